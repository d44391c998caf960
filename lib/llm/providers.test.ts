import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDb } from "../../test/db.ts";
import { type LlmTestServer, startLlmServer } from "../../test/llm-server.ts";
import { DomainError } from "../errors.ts";
import { providerLimiter } from "./limiter.ts";
import { createChatModel, listProviders, loadProviders, parseProvidersFile, type ProviderConfig } from "./providers.ts";

const { db } = createTestDb();
let server: LlmTestServer;
let dir: string;

beforeAll(async () => {
  server = await startLlmServer();
  dir = mkdtempSync(path.join(tmpdir(), "ecd-providers-"));
});
afterAll(async () => {
  await server.stop();
  rmSync(dir, { recursive: true, force: true });
});

function invalid(json: unknown): DomainError {
  try {
    parseProvidersFile(json, "providers.json");
  } catch (error) {
    expect(error).toBeInstanceOf(DomainError);
    return error as DomainError;
  }
  throw new Error("expected the file to be refused");
}

const vllm = { name: "vllm", baseUrl: "http://localhost:8000/v1", models: [{ name: "qwen", promptPricePerM: 0.1 }] };

describe("providers file", () => {
  it("accepts a valid file and fills defaults", () => {
    expect(parseProvidersFile({ providers: [vllm, { name: "ollama", baseUrl: "http://localhost:11434/v1" }] })).toEqual(
      [vllm, { name: "ollama", baseUrl: "http://localhost:11434/v1", models: [] }],
    );
  });

  it.each([
    [{ providers: [{ ...vllm, baseUrl: "not a url" }] }, "providers.0.baseUrl", "providers.0.baseUrl"],
    [
      { providers: [{ ...vllm, models: [{ promptPricePerM: 1 }] }] },
      "providers.0.models.0.name",
      "providers.0.models.0.name",
    ],
    [
      { providers: [{ ...vllm, models: [{ name: "m", promptPricePerM: -1 }] }] },
      "providers.0.models.0.promptPricePerM",
      "providers.0.models.0.promptPricePerM",
    ],
    [{ providers: [{ ...vllm, apiKeyEnv: "sk-abc123" }] }, "providers.0.apiKeyEnv", "not the key itself"],
    [{ providers: [{ ...vllm, concurrency: 0 }] }, "providers.0.concurrency", "providers.0.concurrency"],
    [{ providers: [vllm, vllm] }, "providers.1.name", "duplicate provider name"],
    [{ providers: [{ ...vllm, name: "rule-based" }] }, "providers.0.name", "built in"],
    [{ providers: [{ ...vllm, apikey: "x" }] }, "providers.0", "apikey"],
    [{ providers: [{ ...vllm, batch: "yes" }] }, "providers.0.batch", "providers.0.batch"],
    [{ providers: [{ ...vllm, batchPriceFactor: 2 }] }, "providers.0.batchPriceFactor", "providers.0.batchPriceFactor"],
    [{}, "providers", "providers"],
  ])("refuses %j naming the field", (json, field, text) => {
    const error = invalid(json);
    expect(error.field).toBe(field);
    expect(error.message).toContain(text);
    expect(error.message.startsWith("providers.json: ")).toBe(true);
  });

  it("loads ECD_PROVIDERS_FILE, and ./providers.json when present", () => {
    const file = path.join(dir, "custom.json");
    writeFileSync(file, JSON.stringify({ providers: [vllm] }));
    expect(loadProviders({ env: { ECD_PROVIDERS_FILE: file } }).map((provider) => provider.name)).toEqual(["vllm"]);
    expect(loadProviders({ env: {}, cwd: dir })).toEqual([]);
    writeFileSync(path.join(dir, "providers.json"), JSON.stringify({ providers: [{ ...vllm, name: "default-file" }] }));
    expect(loadProviders({ env: {}, cwd: dir }).map((provider) => provider.name)).toEqual(["default-file"]);
    rmSync(path.join(dir, "providers.json"));
  });

  it("names the file when it is missing or not JSON", () => {
    expect(() => loadProviders({ env: { ECD_PROVIDERS_FILE: path.join(dir, "nope.json") } })).toThrow(
      /nope\.json: cannot read/,
    );
    const broken = path.join(dir, "broken.json");
    writeFileSync(broken, "{ providers: ");
    expect(() => loadProviders({ env: { ECD_PROVIDERS_FILE: broken } })).toThrow(/broken\.json: not valid JSON/);
    const bad = path.join(dir, "bad.json");
    writeFileSync(bad, JSON.stringify({ providers: [{ ...vllm, timeoutMs: "soon" }] }));
    expect(() => loadProviders({ env: { ECD_PROVIDERS_FILE: bad } })).toThrow(/bad\.json: providers\.0\.timeoutMs/);
  });
});

describe("the environment", () => {
  it("OPENAI_BASE_URL and OPENAI_API_KEY define `openai`, with models from OPENAI_MODELS", () => {
    const env = {
      OPENAI_BASE_URL: "http://localhost:9999/v1",
      OPENAI_API_KEY: "sk-env-secret",
      OPENAI_MODELS: "gpt-a, gpt-b,,",
    };
    expect(loadProviders({ env, cwd: dir })).toEqual([
      {
        name: "openai",
        baseUrl: "http://localhost:9999/v1",
        apiKeyEnv: "OPENAI_API_KEY",
        models: [{ name: "gpt-a" }, { name: "gpt-b" }],
      },
    ]);
    expect(loadProviders({ env: { OPENAI_API_KEY: "sk-x" }, cwd: dir })[0]!.baseUrl).toBe("https://api.openai.com/v1");
    expect(loadProviders({ env: {}, cwd: dir })).toEqual([]);
  });

  it("refuses a bad OPENAI_BASE_URL by name", () => {
    expect(() => loadProviders({ env: { OPENAI_BASE_URL: "localhost", OPENAI_API_KEY: "k" }, cwd: dir })).toThrow(
      /^OPENAI_BASE_URL: /,
    );
  });

  it("lets the file's `openai` win over the environment's", () => {
    const file = path.join(dir, "openai.json");
    writeFileSync(
      file,
      JSON.stringify({ providers: [{ name: "openai", baseUrl: "http://proxy.local/v1", apiKeyEnv: "PROXY_KEY" }] }),
    );
    const providers = loadProviders({ env: { ECD_PROVIDERS_FILE: file, OPENAI_API_KEY: "sk-x" } });
    expect(providers).toHaveLength(1);
    expect(providers[0]!.baseUrl).toBe("http://proxy.local/v1");
  });
});

describe("listProviders", () => {
  it("lists public information only: never a key, never a URL; rule-based always", () => {
    const file = path.join(dir, "list.json");
    writeFileSync(
      file,
      JSON.stringify({
        providers: [
          { ...vllm, apiKeyEnv: "VLLM_KEY" },
          { name: "ollama", baseUrl: "http://user:pw@localhost:11434/v1" },
        ],
      }),
    );
    const env = {
      ECD_PROVIDERS_FILE: file,
      VLLM_KEY: "vllm-secret-key-123",
      OPENAI_BASE_URL: "http://localhost:9999/v1",
      OPENAI_API_KEY: "sk-openai-secret-456",
      OPENAI_MODELS: "gpt-a",
    };
    const listed = listProviders({ env });
    expect(listed).toEqual([
      {
        name: "vllm",
        kind: "openai-compatible",
        models: ["qwen"],
        apiKeyEnv: "VLLM_KEY",
        keySet: true,
        ready: true,
        batch: false,
      },
      {
        name: "ollama",
        kind: "openai-compatible",
        models: [],
        apiKeyEnv: null,
        keySet: false,
        ready: true,
        batch: false,
      },
      {
        name: "openai",
        kind: "openai-compatible",
        models: ["gpt-a"],
        apiKeyEnv: "OPENAI_API_KEY",
        keySet: true,
        ready: true,
        batch: false,
      },
      { name: "rule-based", kind: "rule-based", models: [], apiKeyEnv: null, keySet: false, ready: true, batch: false },
    ]);
    const text = JSON.stringify(listed);
    for (const secret of ["vllm-secret-key-123", "sk-openai-secret-456", "pw@", "localhost"])
      expect(text).not.toContain(secret);

    const unset = listProviders({ env: { ECD_PROVIDERS_FILE: file } });
    expect(unset[0]).toMatchObject({ name: "vllm", keySet: false, ready: false });
  });

  it("lists rule-based alone when nothing is configured", () => {
    expect(listProviders({ env: {}, cwd: dir }).map((provider) => provider.name)).toEqual(["rule-based"]);
  });
});

describe("createChatModel", () => {
  const providers = (): ProviderConfig[] => [
    {
      name: "local",
      baseUrl: server.url,
      apiKeyEnv: "LOCAL_LLM_KEY",
      models: [{ name: "priced", promptPricePerM: 3, completionPricePerM: 6 }],
      concurrency: 2,
    },
  ];
  const env = { LOCAL_LLM_KEY: "local-key" };

  it("returns a cached, priced model of the configured provider", async () => {
    server.handler = () => ({ content: "from config", usage: { prompt_tokens: 100, completion_tokens: 50 } });
    const model = createChatModel({ provider: "local", model: "priced" }, { db, providers: providers(), env });
    expect(model).toMatchObject({ provider: "local", model: "priced" });
    const request = { messages: [{ role: "user" as const, content: "configured call" }] };
    const first = await model.complete(request);
    expect(first).toMatchObject({ text: "from config", cached: false });
    expect(first.usage.costUsd).toBeCloseTo((100 * 3 + 50 * 6) / 1e6, 12);
    expect(server.requests.at(-1)!.headers.authorization).toBe("Bearer local-key");
    const second = await createChatModel(
      { provider: "local", model: "priced" },
      { db, providers: providers(), env },
    ).complete(request);
    expect(second.cached).toBe(true);
    expect(await db.llmCall.count({ where: { provider: "local", model: "priced", status: "ok" } })).toBe(1);
    // The API key is never stored.
    const rows = await db.llmCall.findMany();
    expect(JSON.stringify(rows)).not.toContain("local-key");
  });

  it("shares the provider's limiter across its models", async () => {
    createChatModel({ provider: "local", model: "any-model" }, { db, providers: providers(), env });
    expect(providerLimiter("local", 2).limit).toBe(2);
    server.latencyMs = 60;
    server.resetCounters();
    const a = createChatModel({ provider: "local", model: "a" }, { db, providers: providers(), env });
    const b = createChatModel({ provider: "local", model: "b" }, { db, providers: providers(), env });
    await Promise.all(
      Array.from({ length: 6 }, (_, i) =>
        (i % 2 ? a : b).complete({ messages: [{ role: "user", content: `limited ${i}` }] }),
      ),
    );
    server.latencyMs = 0;
    expect(server.totalRequests).toBe(6);
    expect(server.maxInFlight).toBe(2);
  });

  it("refuses unknown providers and rule-based clearly", () => {
    expect(() => createChatModel({ provider: "nope", model: "m" }, { db, providers: providers(), env })).toThrow(
      /unknown provider "nope" \(configured: local, rule-based\)/,
    );
    expect(() => createChatModel({ provider: "rule-based", model: "" }, { db, providers: providers(), env })).toThrow(
      DomainError,
    );
    expect(() => createChatModel({ provider: "local", model: " " }, { db, providers: providers(), env })).toThrow(
      /needs a model name/,
    );
  });
});
