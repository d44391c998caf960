import { afterAll, describe, expect, it } from "vitest";
import { createTestDb } from "../../test/db.ts";
import { createDb } from "../db/client.ts";
import { listProviderSlots, takeProviderSlot } from "../db/provider-slot-sql.ts";
import { Semaphore } from "./limiter.ts";
import { giveBackIdleProviderSlots, ProviderSlots, providerSlots } from "./provider-slots.ts";

// A provider's concurrency over several processes: each "process" here has its own client and
// its own in-memory semaphore, as separate worker processes would; only the database is shared.
const { db, url } = createTestDb();
const clients = Array.from({ length: 3 }, () => createDb(url));
afterAll(() => Promise.all(clients.map((client) => client.$disconnect())));

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function processes(provider: string, limit: number, leaseMs = 5_000) {
  return clients.map((client) => new ProviderSlots(client, provider, new Semaphore(limit), { leaseMs }));
}

describe("ProviderSlots: a provider's concurrency over all processes", () => {
  it("never lets more than `concurrency` calls hold a slot, whichever process they run in", async () => {
    const limit = 3;
    const slots = processes("cap", limit);
    let holding = 0;
    let maxHolding = 0;
    // 3 processes × 6 calls, each holding its slot 30 ms: without the shared cap, 9 would hold at once.
    await Promise.all(
      slots.flatMap((process) =>
        Array.from({ length: 6 }, async () => {
          const release = await process.acquire();
          holding++;
          maxHolding = Math.max(maxHolding, holding);
          await sleep(30);
          holding--;
          release();
        }),
      ),
    );
    expect(maxHolding).toBeLessThanOrEqual(limit);
    expect(maxHolding).toBeGreaterThan(1);
    // Every slot is given back.
    await expect
      .poll(async () => (await listProviderSlots(db, "cap")).filter((s) => s.holder !== null), { timeout: 10_000 })
      .toEqual([]);
  });

  it("gives a dead holder's slot back when its lease expires, not before", async () => {
    const [alive] = processes("expiry", 1);
    const release = await alive.acquire();
    release();
    await expect.poll(async () => (await listProviderSlots(db, "expiry"))[0]?.holder, { timeout: 10_000 }).toBeNull();
    // A process that took the only slot and died (it never renews nor releases): lease of 600 ms.
    const now = new Date();
    const dead = await takeProviderSlot(db, {
      provider: "expiry",
      limit: 1,
      holder: "dead-process#1",
      now,
      leaseUntil: new Date(now.getTime() + 600),
    });
    expect(dead).toBe(0);
    const started = Date.now();
    const releaseAfter = await alive.acquire();
    expect(Date.now() - started).toBeGreaterThanOrEqual(550);
    expect((await listProviderSlots(db, "expiry"))[0]?.holder).not.toBe("dead-process#1");
    releaseAfter();
  });

  it("keeps a slot while its holder lives: the lease is renewed past its length", async () => {
    const [first, second] = processes("renew", 1, 1_000);
    const release = await first.acquire();
    let secondGotIt = 0;
    const waiting = second.acquire().then((releaseSecond) => {
      secondGotIt = Date.now();
      releaseSecond();
    });
    await sleep(2_500); // 2.5 lease lengths
    expect(secondGotIt).toBe(0);
    const releasedAt = Date.now();
    release();
    await waiting;
    expect(secondGotIt).toBeGreaterThanOrEqual(releasedAt);
  });

  it("hands a slot given back to the next call of the same process, and frees it after the linger", async () => {
    const local = new Semaphore(2);
    const process = new ProviderSlots(db, "linger", local, { leaseMs: 5_000, lingerMs: 300 });
    const first = await process.acquire();
    const [row] = (await listProviderSlots(db, "linger")).filter((s) => s.holder !== null);
    first();
    expect(process.idle).toBe(1);
    // The next call takes the same slot under the same holder: no statement, the row unchanged.
    const next = await process.acquire();
    expect(process.idle).toBe(0);
    expect((await listProviderSlots(db, "linger")).filter((s) => s.holder !== null)).toEqual([row]);
    next();
    // Nobody asks for it: it goes back to the database once the linger is over.
    await expect
      .poll(async () => (await listProviderSlots(db, "linger")).every((s) => s.holder === null), { timeout: 10_000 })
      .toBe(true);
    expect(process.held).toBe(0);
  });

  it("stops waiting when the call is cancelled, holding nothing", async () => {
    const [first, second] = processes("abort", 1);
    const release = await first.acquire();
    const controller = new AbortController();
    const waiting = second.acquire(controller.signal);
    await sleep(50);
    controller.abort(new Error("cancelled by the test"));
    await expect(waiting).rejects.toThrow("cancelled by the test");
    expect(second.held).toBe(0);
    release();
    // The cancelled waiter left its local slot free: it can take the slot now.
    const again = await second.acquire();
    expect(second.held).toBe(1);
    again();
  });

  it("a raised limit adds slots; a lowered one stops handing out the slots past it", async () => {
    const local = new Semaphore(1);
    const process = new ProviderSlots(db, "resize", local, { leaseMs: 5_000 });
    const one = await process.acquire();
    local.limit = 3;
    const two = await process.acquire();
    const three = await process.acquire();
    expect((await listProviderSlots(db, "resize")).map((s) => s.holder !== null)).toEqual([true, true, true]);
    for (const release of [one, two, three]) release();
    await expect
      .poll(async () => (await listProviderSlots(db, "resize")).every((s) => s.holder === null), { timeout: 10_000 })
      .toBe(true);
    local.limit = 1;
    const [other] = processes("resize", 2);
    // Another process still configured with 2 may take slots 0 and 1, never slot 2.
    const a = await other.acquire();
    const b = await other.acquire();
    expect((await listProviderSlots(db, "resize")).map((s) => s.holder !== null)).toEqual([true, true, false]);
    a();
    b();
    await other.giveBackIdle();
  });

  it("a stopping process gives its idle slots back at once (JobWorker.stop), not after the linger", async () => {
    const shared = providerSlots(clients[0], "stop", 2);
    const release = await shared.acquire();
    release();
    // Kept for the next call here: still held in the database.
    expect(shared.idle).toBe(1);
    expect((await listProviderSlots(db, "stop")).filter((s) => s.holder !== null)).toHaveLength(1);
    await giveBackIdleProviderSlots(clients[0]);
    expect(shared.held).toBe(0);
    expect((await listProviderSlots(db, "stop")).filter((s) => s.holder !== null)).toHaveLength(0);
  });
});
