import { beforeAll, describe, expect, it, vi } from "vitest";
import { createTestDb } from "@/test/db";
import { createFixtureDataset, createFixtureUser } from "@/test/fixtures/pairs";
import { mockRequestCookies, mockSessionToken, signInAs } from "@/test/fixtures/session";

// Only the session cookie and Next's cache are replaced (see test/fixtures/session.ts).
vi.mock("next-auth/jwt", async (original) => mockSessionToken(await original()));
vi.mock("next/headers", async (original) => mockRequestCookies(await original()));
vi.mock("next/cache", () => ({ revalidatePath: () => {} }));

const { db } = createTestDb();
const { POST } = await import("./route");

type User = Awaited<ReturnType<typeof createFixtureUser>>;
let researcher: User;
let annotator: User;
const ORIGIN = "http://localhost:3000";

/** `count` prompts in IFEval's layout, about 335 bytes each; the third one is a seed's task. */
function ifevalLayoutFile(count: number, badLine?: number): string {
  const lines: string[] = [];
  for (let i = 0; i < count; i++) {
    const row = {
      key: 1000 + i,
      prompt:
        i === 2
          ? "Write a letter to a friend about the old lighthouse on the cliff and the keeper who painted it blue every spring."
          : `Prompt ${i}: describe the history of town number ${i} in the hills, its market, its river crossings and the families who kept its mills running through ${i % 7} hard winters. Your entire response should be in English, and in all lowercase letters.`,
      instruction_id_list: ["change_case:english_lowercase"],
      kwargs: i + 1 === badLine ? "not a list" : [{}],
    };
    lines.push(JSON.stringify(row));
  }
  return lines.join("\n") + "\n";
}

/** The file as a streamed request body, 64 KB a chunk, as a browser sends it. */
function upload(file: string, query: Record<string, string>, headers: Record<string, string> = {}): Request {
  const bytes = new TextEncoder().encode(file);
  let offset = 0;
  const body = new ReadableStream<Uint8Array>({
    pull(controller) {
      if (offset >= bytes.length) return controller.close();
      controller.enqueue(bytes.subarray(offset, offset + 65_536));
      offset += 65_536;
    },
  });
  return new Request(`${ORIGIN}/benchmarks/upload?${new URLSearchParams(query)}`, {
    method: "POST",
    body,
    headers: { host: "localhost:3000", origin: ORIGIN, "content-type": "application/octet-stream", ...headers },
    duplex: "half",
  } as RequestInit);
}

/** What a refused upload must leave as it was. */
const state = async () =>
  JSON.stringify([await db.benchmarkSet.count(), await db.benchmarkPrompt.count(), await db.job.count()]);

/** What Next's forbidden()/redirect() throw, outside a Next server. */
async function refusal(run: () => Promise<unknown>): Promise<string> {
  const error = await run().then(
    () => null,
    (e: unknown) => e as { message?: string; digest?: string },
  );
  if (/`forbidden\(\)` is experimental/.test(error?.message ?? "")) return "forbidden";
  return String(error?.digest ?? error?.message ?? "no refusal").split(";")[0]!;
}

beforeAll(async () => {
  researcher = await createFixtureUser(db, { role: "researcher" });
  annotator = await createFixtureUser(db, { role: "annotator" });
  const dataset = await createFixtureDataset(db);
  await db.seed.create({
    data: {
      datasetId: dataset.id,
      instruction:
        "Write a letter to a friend about the old lighthouse on the cliff and the keeper who painted it blue every spring.",
      contentHash: "lighthouse",
      source: "plain",
      metadata: {},
    },
  });
});

describe("POST /benchmarks/upload", () => {
  it("adds a set from an IFEval-layout file over 2 MB, streamed, and starts the recheck", async () => {
    signInAs(researcher);
    const file = ifevalLayoutFile(7000);
    expect(file.length).toBeGreaterThan(2 * 1024 * 1024);
    const response = await POST(upload(file, { name: "big-set", licence: "CC-BY-4.0", fileName: "big.jsonl" }));
    const body = await response.json();
    expect(response.status, JSON.stringify(body)).toBe(200);
    expect(body).toMatchObject({ ok: true, message: expect.stringContaining('Added "big-set" with 7000 prompts') });
    const set = await db.benchmarkSet.findUniqueOrThrow({ where: { name: "big-set" }, include: { prompts: true } });
    expect(set).toMatchObject({ source: "upload", licence: "CC-BY-4.0" });
    expect(set.prompts).toHaveLength(7000);
    // IFEval's layout keeps its constraints, so the set can be used for evaluation.
    expect(set.prompts.find((p) => p.position === 6999)).toMatchObject({
      key: "7999",
      instructionIds: ["change_case:english_lowercase"],
      kwargs: [{}],
    });
    const job = await db.job.findUniqueOrThrow({ where: { id: body.jobId } });
    expect(job.kind).toBe("decontam-recheck");
  });

  it("refuses a bad line by its number, and adds nothing", async () => {
    signInAs(researcher);
    const before = await state();
    const response = await POST(upload(ifevalLayoutFile(7000, 4321), { name: "bad-set", fileName: "bad.jsonl" }));
    expect(response.status).toBe(400);
    const body = await response.json();
    expect(body.ok).toBe(false);
    expect(body.error).toMatch(/^bad\.jsonl: line 4321: kwargs: .*No set was added\.$/);
    expect(body.error).not.toMatch(/at \w+ \(|node_modules/);
    expect(await state()).toBe(before);
  });

  it("names the field of a bad query, refuses a declared size over the limit and a cross-site post", async () => {
    signInAs(researcher);
    const before = await state();
    const small = ifevalLayoutFile(3);
    const badName = await POST(upload(small, { name: "no spaces allowed", fileName: "a.jsonl" }));
    expect(badName.status).toBe(400);
    expect((await badName.json()).error).toMatch(/^name: /);
    const noFile = await POST(upload(small, { name: "ok-name" }));
    expect((await noFile.json()).error).toBe("fileName: fileName is required");
    const taken = await POST(upload(small, { name: "big-set", fileName: "a.jsonl" }));
    expect(taken.status).toBe(400);
    expect((await taken.json()).error).toContain('a benchmark set named "big-set" exists already');
    const huge = await POST(
      upload(small, { name: "huge", fileName: "a.jsonl" }, { "content-length": String(2 ** 40) }),
    );
    expect(huge.status).toBe(413);
    expect((await huge.json()).error).toMatch(
      /^The file is 1,024 GB, larger than the 512 MB upload limit \(split the set into several files\)$/,
    );
    const crossSite = await POST(upload(small, { name: "x", fileName: "a.jsonl" }, { origin: "http://evil.example" }));
    expect(crossSite.status).toBe(403);
    expect(await state()).toBe(before);
  });

  it("refuses an annotator (403) and sends a signed-out caller to sign in, before reading anything", async () => {
    const before = await state();
    signInAs(annotator);
    expect(await refusal(() => POST(upload(ifevalLayoutFile(3), { name: "ann", fileName: "a.jsonl" })))).toBe(
      "forbidden",
    );
    signInAs(null);
    expect(await refusal(() => POST(upload(ifevalLayoutFile(3), { name: "anon", fileName: "a.jsonl" })))).toBe(
      "NEXT_REDIRECT",
    );
    expect(await state()).toBe(before);
  });
});
