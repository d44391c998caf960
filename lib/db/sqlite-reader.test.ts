/**
 * The read-only connection for the LLM cache's lookup (sqlite-reader.ts): on SQLite it answers
 * while the client's transaction is still open, and sees committed rows only. On PostgreSQL there
 * is no reader: the lookup goes through the client.
 */
import { existsSync } from "node:fs";
import { beforeAll, describe, expect, it } from "vitest";
import { createTestDb } from "../../test/db.ts";
import { configureDatabase, createDb } from "./client.ts";
import { findLlmCallNow, type LlmCallRecord, recordLlmCalls } from "./llm-sql.ts";

const { db, url } = createTestDb();
const onSqlite = url.startsWith("file:");

function call(requestHash: string, text: string): LlmCallRecord {
  return {
    requestHash,
    provider: "p",
    model: "m",
    requestJson: JSON.stringify({ messages: [text] }),
    response: { text },
    status: "ok",
    error: null,
    promptTokens: 3,
    completionTokens: 4,
    costUsd: 0.5,
    latencyMs: 10,
    jobId: null,
    taskId: null,
    createdAt: new Date(),
  };
}

/** Opens a transaction that writes `write` and stays open until the returned `end` is called. */
async function openTransaction(write: (tx: Parameters<Parameters<typeof db.$transaction>[0]>[0]) => Promise<unknown>) {
  let end!: () => void;
  let opened!: () => void;
  const isOpen = new Promise<void>((resolve) => (opened = resolve));
  const done = db.$transaction(async (tx) => {
    await write(tx);
    opened();
    await new Promise<void>((resolve) => (end = resolve));
  });
  await isOpen;
  return { end: () => (end(), done) };
}

describe.runIf(onSqlite)("the SQLite reader", () => {
  // As the app runs (WAL): the reader reads while a transaction is open, even while it commits.
  beforeAll(() => configureDatabase(db));

  it("answers a cache lookup while the client's transaction is open, with committed rows only", async () => {
    await recordLlmCalls(db, [call("a".repeat(64), "stored before")], "any");
    const tx = await openTransaction((t) =>
      t.$executeRawUnsafe(
        `INSERT INTO "LlmCall" ("requestHash", "provider", "model", "request", "response", "status", "promptTokens", "completionTokens", "costUsd", "latencyMs", "createdAt") VALUES ('${"b".repeat(64)}', 'p', 'm', '{}', '{}', 'ok', 0, 0, 0, 0, 0)`,
      ),
    );
    // Answered at once while the transaction is still open (through the client it would wait for it).
    const stored = findLlmCallNow(db, "a".repeat(64));
    const uncommitted = findLlmCallNow(db, "b".repeat(64));
    await tx.end();

    expect(stored?.row).toMatchObject({ status: "ok", provider: "p", promptTokens: 3, costUsd: 0.5 });
    expect(JSON.parse(String(stored?.row?.response))).toEqual({ text: "stored before" });
    // Written inside the open transaction: not visible to the reader until it commits.
    expect(uncommitted).toEqual({ row: undefined });
    expect(findLlmCallNow(db, "b".repeat(64))?.row).toMatchObject({ status: "ok" });
  });

  it("is closed with its client, so the WAL file is folded back in when the last connection closes", async () => {
    const other = createDb(url);
    await recordLlmCalls(other, [call("c".repeat(64), "x")], "any");
    expect(findLlmCallNow(other, "c".repeat(64))?.row).toBeDefined();
    expect(existsSync(`${url.slice("file:".length)}-wal`)).toBe(true);
    await other.$disconnect();
    await db.$disconnect();
    expect(existsSync(`${url.slice("file:".length)}-wal`)).toBe(false);
    // Both reconnect on their next query, the reader too.
    expect(findLlmCallNow(db, "c".repeat(64))?.row).toBeDefined();
    expect(await db.llmCall.count()).toBe(3);
  });
});

describe.runIf(!onSqlite)("without a SQLite reader (PostgreSQL)", () => {
  it("findLlmCallNow says to look up through the client", async () => {
    await recordLlmCalls(db, [call("a".repeat(64), "stored")], "any");
    expect(findLlmCallNow(db, "a".repeat(64))).toBeNull();
  });
});
