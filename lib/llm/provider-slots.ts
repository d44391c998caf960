/**
 * A provider's `concurrency` as a cap over every process on the database: before each HTTP
 * attempt a call takes one of the provider's ProviderSlot rows (lib/db/provider-slot-sql.ts) and
 * gives it back after. A slot is held under a lease that its process renews while it holds it, so
 * the slot of a process killed outright (SIGKILL) returns when that lease expires.
 *
 * The process's own semaphore (limiter.ts, the same limit) stays in front as the fast path: a
 * process never asks the database for more slots than the limit, its waiters queue in memory in
 * FIFO order, and one call at a time per process polls the database (the others queue behind it
 * in memory), with a short backoff that a slot given back in this process cuts short.
 *
 * A slot a call gives back stays held by this process for `lingerMs` (default 200 ms, about one call): the next
 * call here takes it without a round trip (a task's next call, or another task's, usually comes
 * within milliseconds). Only a slot nobody here asked for in that time goes back to the database,
 * so a busy process pays no database statement per call, and an idle one frees its slots quickly.
 */
import { randomBytes } from "node:crypto";
import { hostname } from "node:os";
import type { Db } from "../db/client.ts";
import { sqlDialect } from "../db/dialect.ts";
import {
  ensureProviderSlots,
  releaseProviderSlot,
  renewProviderSlots,
  takeProviderSlot,
} from "../db/provider-slot-sql.ts";
import { type ConcurrencyLimiter, providerLimiter, Semaphore } from "./limiter.ts";

export interface ProviderSlotsOptions {
  /** How long a slot stays held without renewal (default ECD_LEASE_MS or 30 s, the worker's lease). */
  leaseMs?: number;
  /** First and longest wait between two tries when every slot is held (default 5 ms and 100 ms). */
  pollMs?: number;
  maxPollMs?: number;
  /** How long a slot no call here uses stays held for the next one before it goes back (default 200 ms). */
  lingerMs?: number;
  /** Failed releases and renewals (the lease then expires on its own); default console.warn. */
  log?: (message: string) => void;
}

/** This process, in every holder name it writes. */
const PROCESS_ID = `${hostname()}:${process.pid}:${randomBytes(3).toString("hex")}`;
let holderCount = 0;

function leaseFromEnv(): number {
  const raw = process.env.ECD_LEASE_MS;
  if (raw === undefined || raw === "") return 30_000;
  const value = Number(raw);
  if (!Number.isInteger(value) || value <= 0)
    throw new Error(`ECD_LEASE_MS must be a positive whole number (got "${raw}")`);
  return value;
}

export class ProviderSlots implements ConcurrencyLimiter {
  readonly provider: string;
  readonly leaseMs: number;
  readonly #db: Db;
  readonly #local: Semaphore;
  readonly #pollMs: number;
  readonly #maxPollMs: number;
  readonly #log: (message: string) => void;
  readonly #lingerMs: number;
  /** Holder name → slot, for the slots this object holds now (in use or idle). */
  readonly #held = new Map<string, number>();
  /** Held slots no call uses now, oldest first, with when they were given back. */
  readonly #idle: { holder: string; since: number }[] = [];
  #lingerTimer: NodeJS.Timeout | null = null;
  /** Calls sleeping between two tries; a slot given back here wakes them. */
  readonly #sleepers = new Set<() => void>();
  /** The one caller of this process that polls the database; the others wait their turn here. */
  readonly #turn = new Semaphore(1);
  #ensured = 0;
  #renewTimer: NodeJS.Timeout | null = null;

  constructor(db: Db, provider: string, local: Semaphore, options: ProviderSlotsOptions = {}) {
    this.#db = db;
    this.provider = provider;
    this.#local = local;
    this.leaseMs = options.leaseMs ?? leaseFromEnv();
    this.#pollMs = options.pollMs ?? 5;
    this.#maxPollMs = options.maxPollMs ?? 100;
    this.#lingerMs = options.lingerMs ?? 200;
    this.#log = options.log ?? ((message) => console.warn(message));
  }

  get limit(): number {
    return this.#local.limit;
  }

  /** Slots this object holds now (idle ones included). */
  get held(): number {
    return this.#held.size;
  }

  /** Slots this object holds that no call uses now. */
  get idle(): number {
    return this.#idle.length;
  }

  /**
   * Waits for a local slot, then for a database slot; returns the function that gives both back.
   * Rejects with the signal's reason when it aborts first (nothing is then held).
   */
  async acquire(signal?: AbortSignal): Promise<() => void> {
    const releaseLocal = await this.#local.acquire(signal);
    let holder: string;
    try {
      holder = await this.#take(signal);
    } catch (error) {
      releaseLocal();
      throw error;
    }
    let released = false;
    return () => {
      if (released) return;
      released = true;
      // Kept for the next call here (the local waiter released next finds it), else given back.
      this.#idle.push({ holder, since: Date.now() });
      this.#scheduleGiveBack();
      releaseLocal();
      for (const wake of [...this.#sleepers]) wake();
    };
  }

  /** Gives every idle slot back to the database now (a stopping process; tests). */
  async giveBackIdle(): Promise<void> {
    if (this.#lingerTimer) clearTimeout(this.#lingerTimer);
    this.#lingerTimer = null;
    await Promise.all(this.#idle.splice(0).map(({ holder }) => this.#giveBack(holder)));
  }

  /** An idle slot still within the limit, now in use; null when there is none. */
  #reuse(): string | null {
    for (let entry = this.#idle.pop(); entry; entry = this.#idle.pop()) {
      if (this.#held.get(entry.holder)! < this.#local.limit) return entry.holder;
      void this.#giveBack(entry.holder); // past a lowered limit
    }
    return null;
  }

  #giveBack(holder: string): Promise<void> {
    const slot = this.#held.get(holder);
    if (slot === undefined) return Promise.resolve();
    this.#held.delete(holder);
    if (!this.#held.size) this.#stopRenewing();
    return releaseProviderSlot(this.#db, { provider: this.provider, slot, holder }).catch((error) =>
      this.#log(`[${this.provider}] could not give back slot ${slot} (its lease will expire): ${String(error)}`),
    );
  }

  /** Gives back the slots idle for `lingerMs`, checking again while some are idle. */
  #scheduleGiveBack() {
    if (this.#lingerTimer) return;
    // Not unref'd: a process that stops waits the linger out, so its slots go back at once.
    this.#lingerTimer = setTimeout(() => {
      this.#lingerTimer = null;
      const due = Date.now() - this.#lingerMs;
      while (this.#idle.length && this.#idle[0].since <= due) void this.#giveBack(this.#idle.shift()!.holder);
      if (this.#idle.length) this.#scheduleGiveBack();
    }, this.#lingerMs);
  }

  async #take(signal?: AbortSignal): Promise<string> {
    const idle = this.#reuse();
    if (idle) return idle;
    const limit = this.#local.limit;
    if (this.#ensured < limit) {
      await ensureProviderSlots(this.#db, this.provider, limit);
      this.#ensured = limit;
    }
    const holder = `${PROCESS_ID}#${++holderCount}`;
    const leaveTurn = await this.#turn.acquire(signal);
    try {
      return await this.#poll(holder, signal);
    } finally {
      leaveTurn();
    }
  }

  async #poll(holder: string, signal?: AbortSignal): Promise<string> {
    for (let delay = this.#pollMs; ; delay = Math.min(delay * 2, this.#maxPollMs)) {
      signal?.throwIfAborted();
      // A call here gave one back while we waited our turn or slept.
      const idle = this.#reuse();
      if (idle) return idle;
      const now = new Date();
      const slot = await takeProviderSlot(this.#db, {
        provider: this.provider,
        limit: this.#local.limit,
        holder,
        now,
        leaseUntil: new Date(now.getTime() + this.leaseMs),
      });
      if (slot !== null) {
        this.#held.set(holder, slot);
        this.#startRenewing();
        return holder;
      }
      await this.#sleep(delay * (0.75 + Math.random() / 2), signal);
    }
  }

  #sleep(ms: number, signal?: AbortSignal): Promise<void> {
    return new Promise((resolve, reject) => {
      const done = () => {
        clearTimeout(timer);
        this.#sleepers.delete(wake);
        signal?.removeEventListener("abort", onAbort);
      };
      const wake = () => (done(), resolve());
      const timer = setTimeout(wake, ms);
      const onAbort = () => (done(), reject(signal!.reason));
      this.#sleepers.add(wake);
      signal?.addEventListener("abort", onAbort, { once: true });
    });
  }

  #startRenewing() {
    if (this.#renewTimer) return;
    this.#renewTimer = setInterval(
      () => {
        const holders = [...this.#held.keys()];
        renewProviderSlots(this.#db, holders, new Date(Date.now() + this.leaseMs)).catch((error) =>
          this.#log(`[${this.provider}] could not renew the lease of ${holders.length} slot(s): ${String(error)}`),
        );
      },
      Math.max(20, Math.floor(this.leaseMs / 4)),
    );
    this.#renewTimer.unref?.();
  }

  #stopRenewing() {
    if (this.#renewTimer) clearInterval(this.#renewTimer);
    this.#renewTimer = null;
  }
}

const globalForSlots = globalThis as unknown as { ecdProviderSlots?: WeakMap<Db, Map<string, ProviderSlots>> };

/**
 * The limiter every model of `provider` shares in this process for database `db`: the provider's
 * process-wide semaphore (the latest configured limit wins) in front of its database slots.
 */
export function providerSlots(db: Db, provider: string, limit: number): ProviderSlots {
  const local = providerLimiter(provider, limit);
  globalForSlots.ecdProviderSlots ??= new WeakMap();
  let byProvider = globalForSlots.ecdProviderSlots.get(db);
  if (!byProvider) globalForSlots.ecdProviderSlots.set(db, (byProvider = new Map()));
  let slots = byProvider.get(provider);
  if (!slots) byProvider.set(provider, (slots = new ProviderSlots(db, provider, local)));
  return slots;
}

/**
 * Gives back now every provider slot this process holds on `db` that no call uses (a stopping
 * worker: its slots are free for the others at once, not after the linger, and nothing is
 * written after the worker has stopped).
 */
export async function giveBackIdleProviderSlots(db: Db): Promise<void> {
  const byProvider = globalForSlots.ecdProviderSlots?.get(db);
  if (byProvider) await Promise.all([...byProvider.values()].map((slots) => slots.giveBackIdle()));
}

/**
 * What a model of `provider` holds around each HTTP attempt. PostgreSQL (many processes): the
 * database slots above. SQLite (one process is the supported deployment, README "Scale-out"): the
 * process's semaphore alone — a slot write per call there would queue behind the single writer,
 * and better-sqlite3 waits for the write lock synchronously, stalling the process's other work.
 */
export function providerConcurrency(db: Db, provider: string, limit: number): ConcurrencyLimiter {
  return sqlDialect() === "postgres" ? providerSlots(db, provider, limit) : providerLimiter(provider, limit);
}
