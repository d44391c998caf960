import { RateLimiterPrisma, RateLimiterRes, RateLimiterUnion, type RateLimiterAbstract } from "rate-limiter-flexible";
import { type Db, getDb } from "../db/client.ts";

/**
 * Sign-in limits (rate-limiter-flexible). Every attempt is counted atomically *before* the
 * password is checked, so parallel guesses cannot slip past the limit:
 *
 * - per account and client (email + client address): a progressive delay — 5 attempts a minute,
 *   10 per 15 minutes, 20 a day — cleared by a correct password. A client that has not been
 *   failing for an account is never slowed by someone else's failures on it.
 * - per client address: 50 attempts per 15 minutes over all accounts (password spraying); a correct
 *   password gives its attempt back.
 * - per account: once it has 10 failures in 15 minutes from anywhere, every client that has already
 *   failed on it in that window waits (a distributed attack gets one guess per address).
 *
 * The counts live in the database (the `SignInLimit` table through `RateLimiterPrisma`), so they
 * hold across processes, survive restarts and take no memory per attacker; expired rows are
 * deleted by the store. See lib/auth/README.md for the store interface.
 */

export type LimiterOptions = { keyPrefix: string; points: number; duration: number };

/** Where the counts live: any rate-limiter-flexible store, plus a way to forget an account. */
export type LimitStore = {
  limiter(options: LimiterOptions): RateLimiterAbstract;
  /** Deletes the counts whose key (prefix + ":" + key) equals `exact` or starts with `startsWith`. */
  forget(keys: { exact: string[]; startsWith: string[] }): Promise<void>;
};

export function prismaLimitStore(db: Db): LimitStore {
  return {
    limiter: (options) => new RateLimiterPrisma({ storeClient: db, tableName: "signInLimit", ...options }),
    async forget({ exact, startsWith }) {
      await db.signInLimit.deleteMany({
        where: { OR: [{ key: { in: exact } }, ...startsWith.map((prefix) => ({ key: { startsWith: prefix } }))] },
      });
    },
  };
}

export type LimitDecision = { allowed: true } | { allowed: false; retryAfterSeconds: number };

/** Per account and client: the progressive delay. */
const ACCOUNT_CLIENT_TIERS = [
  { keyPrefix: "ac1m", points: 5, duration: 60 },
  { keyPrefix: "ac15m", points: 10, duration: 15 * 60 },
  { keyPrefix: "ac1d", points: 20, duration: 24 * 60 * 60 },
] as const;
const CLIENT = { keyPrefix: "client", points: 50, duration: 15 * 60 } as const;
const ACCOUNT = { keyPrefix: "account", points: 10, duration: 15 * 60 } as const;

/** A limiter's verdict: its result when within the limit, its rejection when over; store errors are thrown. */
async function settle<T>(promise: Promise<T>): Promise<{ over: boolean; result: T }> {
  try {
    return { over: false, result: await promise };
  } catch (rejected) {
    if (rejected instanceof Error) throw rejected;
    return { over: true, result: rejected as T };
  }
}

export class SignInLimiter {
  private readonly accountClient: RateLimiterUnion;
  private readonly client: RateLimiterAbstract;
  private readonly account: RateLimiterAbstract;

  constructor(private readonly store: LimitStore) {
    this.accountClient = new RateLimiterUnion(...ACCOUNT_CLIENT_TIERS.map((tier) => store.limiter(tier)));
    this.client = store.limiter(CLIENT);
    this.account = store.limiter(ACCOUNT);
  }

  /** Counts an attempt and says whether the password may be checked. Call before checking it. */
  async begin(email: string, client: string): Promise<LimitDecision> {
    const [byClient, byAccountClient] = await Promise.all([
      settle(this.client.consume(client)),
      settle(this.accountClient.consume(accountClientKey(email, client))),
    ]);
    const waits: number[] = [];
    if (byClient.over) waits.push(byClient.result.msBeforeNext);
    // A rejected union lists only the tiers that are over; a resolved one lists all of them.
    const tiers = Object.values(byAccountClient.result as Record<string, RateLimiterRes>);
    if (byAccountClient.over) waits.push(...tiers.map((tier) => tier.msBeforeNext));
    const hasFailedHere = tiers.some((tier) => tier.consumedPoints > 1);
    if (!waits.length && hasFailedHere) {
      const failures = await this.account.get(email);
      if (failures && failures.consumedPoints >= ACCOUNT.points) waits.push(failures.msBeforeNext);
    }
    if (!waits.length) return { allowed: true };
    return { allowed: false, retryAfterSeconds: Math.max(1, Math.ceil(Math.max(...waits) / 1000)) };
  }

  async failed(email: string): Promise<void> {
    await this.account.penalty(email);
  }

  async succeeded(email: string, client: string): Promise<void> {
    const key = accountClientKey(email, client);
    await Promise.all([
      this.store.forget({ exact: ACCOUNT_CLIENT_TIERS.map((tier) => `${tier.keyPrefix}:${key}`), startsWith: [] }),
      this.client.reward(client),
    ]);
  }
}

/** An admin's unlock: forgets every count kept for the account (not those of client addresses). */
export async function unlockAccount(store: LimitStore, email: string): Promise<void> {
  await store.forget({
    exact: [`${ACCOUNT.keyPrefix}:${email}`],
    startsWith: ACCOUNT_CLIENT_TIERS.map((tier) => `${tier.keyPrefix}:${accountClientKey(email, "")}`),
  });
}

let processLimiter: SignInLimiter | undefined;
/** The sign-in limiter of this process (its counts live in the app's database). */
export function signInLimiter(): SignInLimiter {
  processLimiter ??= new SignInLimiter(prismaLimitStore(getDb()));
  return processLimiter;
}

// Emails never contain a space, so "email client" cannot be forged by another email.
const accountClientKey = (email: string, client: string) => `${email} ${client}`;
