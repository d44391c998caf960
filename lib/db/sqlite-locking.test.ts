import { type ChildProcess, spawn } from "node:child_process";
import { beforeAll, describe, expect, it } from "vitest";
import { createTestDb } from "../../test/db.ts";
import { configureDatabase } from "./client.ts";

/**
 * Two processes on one SQLite file (the web server and its worker child, or a CLI import next to
 * them). Under WAL, a transaction begun with a plain (deferred) BEGIN reads from a snapshot; if
 * another process commits before it writes, its first write fails at once with SQLITE_BUSY_SNAPSHOT
 * (the busy timeout cannot help: waiting would not make the snapshot current). Write transactions
 * therefore begin with BEGIN IMMEDIATE (lib/db/sqlite-begin.ts) and wait for the write lock instead.
 */
const { db, url } = createTestDb();
beforeAll(() => configureDatabase(db)); // WAL, as every app process sets it

function startWriter(mode: "insert" | "transactions", count: number, prefix: string, startAt = 0) {
  const child = spawn(
    process.execPath,
    ["--import", "tsx", "test/fixtures/read-then-write.ts", mode, String(count), prefix, String(startAt)],
    {
      env: { ...process.env, DATABASE_URL: url },
      stdio: ["ignore", "pipe", "pipe"],
    },
  );
  let out = "";
  let err = "";
  const ready = new Promise<void>((resolve) => {
    child.stdout!.on("data", (chunk) => {
      out += chunk;
      if (out.includes("ready\n")) resolve();
    });
  });
  child.stderr!.on("data", (chunk) => (err += chunk));
  const exited = new Promise<void>((resolve, reject) =>
    child.on("exit", (code) => (code === 0 ? resolve() : reject(new Error(`writer exited ${code}: ${err}`)))),
  );
  return { child, ready, exited };
}

function settleWithin(promise: Promise<unknown>, ms: number): Promise<void> {
  return Promise.race([
    promise.then(
      () => undefined,
      () => undefined,
    ),
    new Promise<void>((r) => setTimeout(r, ms)),
  ]);
}

async function names(prefix: string): Promise<string[]> {
  const rows = await db.dataset.findMany({ where: { name: { startsWith: prefix } }, select: { name: true } });
  return rows.map((row) => row.name).sort();
}

/** Another process holding the write lock for `ms` (test/fixtures/hold-write-lock.mjs). */
function holdWriteLock(ms: number) {
  const file = url.replace(/^file:/, "");
  const child = spawn(process.execPath, ["test/fixtures/hold-write-lock.mjs", file, String(ms)], {
    stdio: ["ignore", "pipe", "inherit"],
  });
  const locked = new Promise<void>((resolve) => child.stdout!.on("data", () => resolve()));
  const exited = new Promise<void>((resolve) => child.on("exit", () => resolve()));
  return { locked, exited };
}

describe.skipIf(process.env.TEST_DB === "postgres")("SQLite write transactions across processes", () => {
  it("a transaction that read before another process committed still writes (it waits, not fails)", async () => {
    let writer: ReturnType<typeof startWriter> & { child: ChildProcess };
    await db.$transaction(
      async (tx) => {
        await tx.dataset.count();
        writer = startWriter("insert", 1, "other");
        await writer.ready;
        // Give the other process its chance to commit first: it must wait for this transaction.
        await settleWithin(writer.exited, 2_000);
        await tx.dataset.create({ data: { name: "mine", settings: {} } });
      },
      { maxWait: 30_000, timeout: 60_000 },
    );
    await writer!.exited;
    expect(await names("mine")).toEqual(["mine"]);
    expect(await names("other")).toEqual(["other-0"]);
  }, 90_000);

  it("two processes running read-then-write transactions side by side both finish, nothing lost", async () => {
    // Both start their transactions at the same moment, well after either process is up.
    const startAt = Date.now() + 8_000;
    const a = startWriter("transactions", 100, "a", startAt);
    const b = startWriter("transactions", 100, "b", startAt);
    await Promise.all([a.exited, b.exited]);
    expect(await names("a-")).toHaveLength(100);
    expect(await names("b-")).toHaveLength(100);
  }, 120_000);

  it("waits for another process's write lock without stalling the process, and fails cleanly past the busy timeout", async () => {
    // Held for 3 s, longer than Prisma's default maxWait (2 s): the transaction waits, with the
    // client's defaults, and timers keep firing meanwhile.
    let holder = holdWriteLock(3_000);
    await holder.locked;
    let ticks = 0;
    const ticker = setInterval(() => (ticks += 1), 50);
    const started = Date.now();
    await db.$transaction(async (tx) => {
      await tx.dataset.create({ data: { name: "after the wait", settings: {} } });
    });
    clearInterval(ticker);
    expect(Date.now() - started).toBeGreaterThan(2_000);
    expect(ticks).toBeGreaterThan(20);
    await holder.exited;
    // Held past the busy timeout (10 s): Prisma's timeout error, and the next transaction still runs.
    holder = holdWriteLock(12_000);
    await holder.locked;
    await expect(
      db.$transaction(async (tx) => tx.dataset.create({ data: { name: "never", settings: {} } }), {
        maxWait: 30_000,
        timeout: 30_000,
      }),
    ).rejects.toThrow();
    await holder.exited;
    await db.$transaction(async (tx) => tx.dataset.create({ data: { name: "next one", settings: {} } }));
    expect(await names("never")).toEqual([]);
    expect(await names("next one")).toEqual(["next one"]);
  }, 90_000);

  it("while a transaction waits for another process's write lock, this process's reads still run", async () => {
    await db.dataset.create({ data: { name: "readable", settings: {} } });
    const holder = holdWriteLock(1_500);
    await holder.locked;
    const events: string[] = [];
    const waiting = db.$transaction(async (tx) => {
      events.push("transaction began");
      await tx.dataset.create({ data: { name: "written after the wait", settings: {} } });
    });
    await new Promise((resolve) => setTimeout(resolve, 100)); // the transaction is waiting now
    expect(await names("readable")).toEqual(["readable"]);
    events.push("read done");
    await waiting;
    await holder.exited;
    expect(events).toEqual(["read done", "transaction began"]);
    expect(await names("written after the wait")).toEqual(["written after the wait"]);
  }, 30_000);

  it("a single write outside a transaction waits for another process's lock without stalling the process", async () => {
    const holder = holdWriteLock(1_500);
    await holder.locked;
    let ticks = 0;
    const ticker = setInterval(() => (ticks += 1), 50);
    const started = Date.now();
    await db.dataset.update({ where: { name: "readable" }, data: { name: "renamed after the wait" } });
    clearInterval(ticker);
    expect(Date.now() - started).toBeGreaterThan(500);
    expect(ticks).toBeGreaterThan(10);
    await holder.exited;
    expect(await names("renamed after the wait")).toEqual(["renamed after the wait"]);
  }, 30_000);
});
