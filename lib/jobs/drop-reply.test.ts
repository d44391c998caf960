/**
 * A dropped candidate keeps the evolver's reply as the model wrote it, beside its drop code and
 * detail: a generation job over real HTTP (the local test server's scripted replies) and real SQL,
 * read back through the tree's node detail (what the tree page shows).
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDb } from "../../test/db.ts";
import { type LlmTestServer, startLlmServer } from "../../test/llm-server.ts";
import { NO_COMMA, scriptedHandler, type Fault } from "../../test/scripted-llm.ts";
import type { ProviderConfig } from "../llm/providers.ts";
import { loadNodeDetail } from "../review/tree.ts";
import { createWorker, getJob, isFinished, type JobWorker, startJob } from "./index.ts";
import { capRawReply, RAW_REPLY_MAX_CHARS } from "./runner.ts";

const { db } = createTestDb();
let server: LlmTestServer;
let worker: JobWorker;

const CHATTY = "Sure! I would rewrite it to ask for more detail.";
const SAME = (instruction: string) =>
  JSON.stringify({
    instruction,
    added_requirements: ["nothing"],
    new_constraints: [{ id: NO_COMMA.id, kwargs_json: "{}", text: NO_COMMA.text }],
  });
const LONG = `Let me think. ${"very ".repeat(3_000)}long.`;
const faults: Record<string, Fault> = {
  "the chatty lighthouse": ({ role }) => (role === "evolver" ? { content: CHATTY } : null),
  "the lazy lighthouse": ({ role }) => (role === "evolver" ? { content: SAME("Describe the lazy lighthouse.") } : null),
  "the verbose lighthouse": ({ role }) => (role === "evolver" ? { content: LONG } : null),
};

beforeAll(async () => {
  server = await startLlmServer({ handler: (body, info) => scriptedHandler(faults)(body, info) });
  const providers: ProviderConfig[] = [
    { name: "local", baseUrl: server.url, models: [], concurrency: 4, timeoutMs: 2_000, maxAttempts: 2 },
  ];
  worker = createWorker(db, {
    slots: 4,
    pollMs: 20,
    maxPollMs: 100,
    retryDelayMs: 50,
    runner: { providers, backoff: { baseMs: 20, maxMs: 100 } },
  }).start();
});

afterAll(async () => {
  await worker?.stop({ graceMs: 1_000 });
  await server?.stop();
});

const local = (model: string) => ({ provider: "local", model });

describe("a dropped candidate's evolver reply", () => {
  it("is stored with the drop code and detail and shown in the node detail; kept nodes store none", async () => {
    const ds = await db.dataset.create({ data: { name: "drops", settings: {} } });
    const names = ["chatty", "lazy", "verbose", "calm"];
    for (const name of names)
      await db.seed.create({
        data: {
          datasetId: ds.id,
          instruction: `Describe the ${name} lighthouse.`,
          referenceResponse: "A lighthouse, tall and white, guides ships at night.",
          contentHash: `drops-${name}`,
          source: "plain",
          metadata: {},
        },
      });
    const job = await startJob(db, {
      datasetId: ds.id,
      pipeline: "ecd",
      params: { rounds: 1, r0Source: "reference", operations: ["add_verifiable"], concurrency: 4 },
      models: { evolver: local("evolver-m"), responder: local("responder-m"), judge: local("judge-m") },
    });
    const started = Date.now();
    while (!isFinished((await getJob(db, job.id)).status)) {
      if (Date.now() - started > 30_000) throw new Error("the job did not finish");
      await new Promise((r) => setTimeout(r, 25));
    }
    expect(await getJob(db, job.id)).toMatchObject({ status: "succeeded", tasksDone: 4, pairs: 1 });

    const nodes = await db.node.findMany({ where: { jobId: job.id }, include: { seed: true } });
    const byName = new Map(nodes.map((n) => [n.seed.instruction.split(" ")[2], n]));
    const detail = async (name: string) => {
      const node = byName.get(name)!;
      return loadNodeDetail(db, node.seedId, node.id);
    };

    expect(await detail("chatty")).toMatchObject({
      status: "dropped",
      dropCode: "evolver_failed",
      dropReason: `unparsable evolution reply (no JSON object): ${JSON.stringify(CHATTY)}`,
      rawReply: CHATTY,
    });
    expect(await detail("lazy")).toMatchObject({
      status: "dropped",
      dropCode: "equal_to_parent",
      dropReason: "equal to its parent instruction",
      rawReply: SAME("Describe the lazy lighthouse."),
    });
    const verbose = await detail("verbose");
    expect(verbose).toMatchObject({ status: "dropped", dropCode: "evolver_failed" });
    expect(LONG.length).toBeGreaterThan(RAW_REPLY_MAX_CHARS);
    expect(verbose.rawReply).toBe(capRawReply(LONG));
    expect(verbose.rawReply!.startsWith(LONG.slice(0, RAW_REPLY_MAX_CHARS))).toBe(true);
    expect(verbose.rawReply).toMatch(/… \(\d+ more characters cut\)$/);

    const calm = await detail("calm");
    expect(calm).toMatchObject({ status: "kept", dropCode: null, rawReply: null });
    expect(byName.get("calm")!.rawReply).toBeNull();
  });
});
