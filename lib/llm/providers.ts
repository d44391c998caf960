/**
 * Provider configuration: the environment (`OPENAI_BASE_URL` / `OPENAI_API_KEY` / `OPENAI_MODELS`
 * define `openai`), an optional JSON file (`ECD_PROVIDERS_FILE`, default ./providers.json when it
 * exists), and the built-in `rule-based` provider. API keys stay in the environment: the config
 * names the variable, listProviders() says only whether it is set.
 */
import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import { z } from "zod";
import type { Db } from "../db/client.ts";
import { DomainError, describeZodIssues } from "../errors.ts";
import { CachedChatModel } from "./cache.ts";
import {
  type BackoffOptions,
  DEFAULT_CONCURRENCY,
  DEFAULT_MAX_ATTEMPTS,
  DEFAULT_TIMEOUT_MS,
  type LlmAttemptEvent,
  OpenAICompatibleChatModel,
} from "./openai-compatible.ts";
import { providerConcurrency } from "./provider-slots.ts";
import type { ChatModel } from "./types.ts";

export const RULE_BASED_PROVIDER = "rule-based";
export const OPENAI_DEFAULT_BASE_URL = "https://api.openai.com/v1";

type Env = Record<string, string | undefined>;

const modelSchema = z.strictObject({
  name: z.string().trim().min(1, "a model needs a name"),
  promptPricePerM: z.number().nonnegative().optional(),
  completionPricePerM: z.number().nonnegative().optional(),
});

const providerSchema = z.strictObject({
  name: z
    .string()
    .trim()
    .regex(/^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/, "use letters, digits, '.', '_' or '-' (up to 64)")
    .refine((name) => name !== RULE_BASED_PROVIDER, `"${RULE_BASED_PROVIDER}" is built in and cannot be configured`),
  baseUrl: z.url({ protocol: /^https?$/, error: "must be an http(s) URL, e.g. http://localhost:8000/v1" }),
  apiKeyEnv: z
    .string()
    .regex(
      /^[A-Za-z_][A-Za-z0-9_]*$/,
      "must be the NAME of an environment variable holding the key (e.g. OPENAI_API_KEY), not the key itself",
    )
    .optional(),
  models: z.array(modelSchema).default([]),
  concurrency: z.int().min(1).max(1024).optional(),
  timeoutMs: z.int().min(1).max(3_600_000).optional(),
  maxAttempts: z.int().min(1).max(20).optional(),
  temperature: z.number().min(0).max(2).optional(),
  topP: z.number().gt(0).max(1).optional(),
  maxTokens: z.int().min(1).optional(),
  seed: z.int().optional(),
  maxTokensField: z.enum(["max_tokens", "max_completion_tokens"]).optional(),
  /** The provider serves OpenAI's Batch API (/v1/files, /v1/batches): jobs may run in batch mode. */
  batch: z.boolean().optional(),
  /** Batch price as a share of the normal price (default 0.5: OpenAI's batch discount). */
  batchPriceFactor: z.number().min(0).max(1).optional(),
});

export const providersFileSchema = z.strictObject({
  providers: z.array(providerSchema).superRefine((providers, ctx) => {
    const seen = new Set<string>();
    providers.forEach((provider, index) => {
      if (seen.has(provider.name))
        ctx.addIssue({ code: "custom", path: [index, "name"], message: `duplicate provider name "${provider.name}"` });
      seen.add(provider.name);
    });
  }),
});

export type ProviderModelConfig = z.infer<typeof modelSchema>;
export type ProviderConfig = z.infer<typeof providerSchema>;

/** What the browser may see about a provider: never a key, never a URL. */
export interface PublicProviderInfo {
  name: string;
  kind: "openai-compatible" | "rule-based";
  /** Configured model names (any other name the server knows may still be asked for). */
  models: string[];
  /** Name of the key's environment variable, null when the server needs no key. */
  apiKeyEnv: string | null;
  /** Whether that variable is set (false when there is none). */
  keySet: boolean;
  /** Usable now: rule-based, a keyless server, or a key that is set. */
  ready: boolean;
  /** Serves the Batch API (`batch: true` in its config): jobs may run in batch mode. */
  batch: boolean;
}

export interface LoadProvidersOptions {
  env?: Env;
  /** Resolves a relative providers file path. Default process.cwd(). */
  cwd?: string;
}

/** Validates a parsed providers file; a bad one throws a DomainError naming the field. */
export function parseProvidersFile(json: unknown, source = "providers.json"): ProviderConfig[] {
  const parsed = providersFileSchema.safeParse(json);
  if (!parsed.success) {
    const first = parsed.error.issues[0];
    throw new DomainError(
      `${source}: ${describeZodIssues(parsed.error.issues)}`,
      "invalid",
      first?.path.map(String).join("."),
    );
  }
  return parsed.data.providers;
}

/** Reads and validates a providers file. */
export function readProvidersFile(file: string): ProviderConfig[] {
  let text: string;
  try {
    text = readFileSync(file, "utf8");
  } catch (error) {
    throw new DomainError(
      `${file}: cannot read the providers file (${(error as Error).message})`,
      "invalid",
      "ECD_PROVIDERS_FILE",
    );
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new DomainError(`${file}: not valid JSON (${(error as Error).message})`, "invalid", "ECD_PROVIDERS_FILE");
  }
  return parseProvidersFile(json, file);
}

/** The `openai` provider the environment defines (OPENAI_BASE_URL and/or OPENAI_API_KEY), or null. */
export function providerFromEnv(env: Env = process.env): ProviderConfig | null {
  const baseUrl = env.OPENAI_BASE_URL?.trim();
  const key = env.OPENAI_API_KEY?.trim();
  if (!baseUrl && !key) return null;
  const models = (env.OPENAI_MODELS ?? "")
    .split(",")
    .map((name) => name.trim())
    .filter(Boolean)
    .map((name) => ({ name }));
  const parsed = providerSchema.safeParse({
    name: "openai",
    baseUrl: baseUrl || OPENAI_DEFAULT_BASE_URL,
    apiKeyEnv: "OPENAI_API_KEY",
    models,
  });
  if (!parsed.success) {
    throw new DomainError(
      `OPENAI_BASE_URL: ${parsed.error.issues[0]?.message ?? "invalid"}`,
      "invalid",
      "OPENAI_BASE_URL",
    );
  }
  return parsed.data;
}

/**
 * Every configured OpenAI-compatible provider: the providers file's, then `openai` from the
 * environment unless the file defines a provider of that name (the file wins).
 */
export function loadProviders(options: LoadProvidersOptions = {}): ProviderConfig[] {
  const env = options.env ?? process.env;
  const cwd = options.cwd ?? process.cwd();
  const configured = env.ECD_PROVIDERS_FILE?.trim();
  // A path known only at run time: turbopackIgnore keeps Next's file tracing from including the whole project.
  const file = path.resolve(/* turbopackIgnore: true */ cwd, configured || "providers.json");
  const fromFile = configured || existsSync(file) ? readProvidersFile(file) : [];
  const fromEnv = providerFromEnv(env);
  return fromEnv && !fromFile.some((provider) => provider.name === fromEnv.name) ? [...fromFile, fromEnv] : fromFile;
}

/** Public information about every provider, `rule-based` included (always last). */
export function listProviders(
  options: LoadProvidersOptions & { providers?: ProviderConfig[] } = {},
): PublicProviderInfo[] {
  const env = options.env ?? process.env;
  const providers = options.providers ?? loadProviders(options);
  return [
    ...providers.map((provider): PublicProviderInfo => {
      const keySet = provider.apiKeyEnv ? Boolean(env[provider.apiKeyEnv]?.trim()) : false;
      return {
        name: provider.name,
        kind: "openai-compatible",
        models: provider.models.map((model) => model.name),
        apiKeyEnv: provider.apiKeyEnv ?? null,
        keySet,
        ready: provider.apiKeyEnv ? keySet : true,
        batch: provider.batch ?? false,
      };
    }),
    {
      name: RULE_BASED_PROVIDER,
      kind: "rule-based",
      models: [],
      apiKeyEnv: null,
      keySet: false,
      ready: true,
      batch: false,
    },
  ];
}

export interface CreateChatModelOptions extends LoadProvidersOptions {
  db: Db;
  /** Use these instead of loading the environment and the providers file (tests, benches). */
  providers?: ProviderConfig[];
  /** Failed-attempt log; default console.warn. */
  log?: (event: LlmAttemptEvent) => void;
  /** Retry spacing (default: 500 ms doubling to 30 s); tests shorten it. */
  backoff?: BackoffOptions;
}

/** The configured provider of this name (rule-based and unknown names are refused). */
export function findProvider(
  name: string,
  options: LoadProvidersOptions & { providers?: ProviderConfig[] },
): ProviderConfig {
  if (name === RULE_BASED_PROVIDER) {
    throw new DomainError(
      `"${RULE_BASED_PROVIDER}" is not an LLM provider: the pipelines implement it`,
      "invalid",
      "provider",
    );
  }
  const providers = options.providers ?? loadProviders(options);
  const provider = providers.find((candidate) => candidate.name === name);
  if (!provider) {
    const known = [...providers.map((candidate) => candidate.name), RULE_BASED_PROVIDER].join(", ");
    throw new DomainError(`unknown provider "${name}" (configured: ${known})`, "not_found", "provider");
  }
  return provider;
}

/**
 * The ChatModel for `provider`/`model`: OpenAI-compatible, limited by the provider's concurrency
 * (over every process on PostgreSQL: provider-slots.ts), every call recorded in and answered from LlmCall. `rule-based` is not a
 * ChatModel (the pipelines implement it) and is refused here, as is an unknown provider.
 */
export function createChatModel(ref: { provider: string; model: string }, options: CreateChatModelOptions): ChatModel {
  const provider = findProvider(ref.provider, options);
  const modelName = ref.model.trim();
  if (!modelName) throw new DomainError(`provider "${provider.name}" needs a model name`, "invalid", "model");
  const prices = provider.models.find((model) => model.name === modelName);
  const inner = new OpenAICompatibleChatModel({
    provider: provider.name,
    baseUrl: provider.baseUrl,
    model: modelName,
    apiKeyEnv: provider.apiKeyEnv,
    env: options.env,
    temperature: provider.temperature,
    topP: provider.topP,
    maxTokens: provider.maxTokens,
    seed: provider.seed,
    maxTokensField: provider.maxTokensField,
    timeoutMs: provider.timeoutMs ?? DEFAULT_TIMEOUT_MS,
    maxAttempts: provider.maxAttempts ?? DEFAULT_MAX_ATTEMPTS,
    prices: { promptPerM: prices?.promptPricePerM, completionPerM: prices?.completionPricePerM },
    limiter: providerConcurrency(options.db, provider.name, provider.concurrency ?? DEFAULT_CONCURRENCY),
    log: options.log,
    backoff: options.backoff,
  });
  return new CachedChatModel(inner, { db: options.db });
}
