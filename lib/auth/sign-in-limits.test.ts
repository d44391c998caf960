import { describe, expect, it } from "vitest";
import { createTestDb } from "../../test/db.ts";
import { prismaLimitStore, SignInLimiter, unlockAccount } from "./sign-in-limits.ts";

const { db } = createTestDb();
const store = prismaLimitStore(db);

/** One sign-in attempt as the app makes it: count, check the password, record the outcome. */
async function attempt(limiter: SignInLimiter, email: string, client: string, correct: boolean) {
  const decision = await limiter.begin(email, client);
  if (!decision.allowed) return "limited";
  if (correct) {
    await limiter.succeeded(email, client);
    return "signed-in";
  }
  await limiter.failed(email);
  return "wrong";
}

describe("sign-in limits", () => {
  it("counts 40 parallel wrong passwords atomically: only the first 5 are checked", async () => {
    const limiter = new SignInLimiter(store);
    const outcomes = await Promise.all(
      Array.from({ length: 40 }, () => attempt(limiter, "admin@x.test", "10.0.0.1", false)),
    );
    expect(outcomes.filter((o) => o === "wrong")).toHaveLength(5);
    expect(outcomes.filter((o) => o === "limited")).toHaveLength(35);
    const row = await db.signInLimit.findUniqueOrThrow({ where: { key: "ac1m:admin@x.test 10.0.0.1" } });
    expect(row.points).toBe(40);
    // The right password from that client waits too…
    expect(await attempt(limiter, "admin@x.test", "10.0.0.1", true)).toBe("limited");
    // …but not from a client that has not been failing.
    expect(await attempt(limiter, "admin@x.test", "10.0.0.2", true)).toBe("signed-in");
  });

  it("slows every failing client once an account has many failures, never a fresh one", async () => {
    const limiter = new SignInLimiter(store);
    for (let i = 0; i < 10; i++) expect(await attempt(limiter, "ann@x.test", `10.1.0.${i}`, false)).toBe("wrong");
    // 10.1.0.3 already failed on this account: its second try waits.
    expect(await attempt(limiter, "ann@x.test", "10.1.0.3", false)).toBe("limited");
    expect(await attempt(limiter, "ann@x.test", "10.1.0.3", true)).toBe("limited");
    expect(await attempt(limiter, "ann@x.test", "10.1.0.99", true)).toBe("signed-in");
  });

  it("limits one client over many accounts, and a correct password gives its attempt back", async () => {
    const limiter = new SignInLimiter(store);
    for (let i = 0; i < 25; i++) await attempt(limiter, `ok${i}@x.test`, "10.2.0.1", true);
    for (let i = 0; i < 50; i++) await attempt(limiter, `spray${i}@x.test`, "10.2.0.2", false);
    expect(await attempt(limiter, "other@x.test", "10.2.0.2", true)).toBe("limited");
    expect(await attempt(limiter, "other@x.test", "10.2.0.1", true)).toBe("signed-in");
  });

  it("lets an admin unlock an account, which forgets its counts and nothing else", async () => {
    const limiter = new SignInLimiter(store);
    for (let i = 0; i < 6; i++) await attempt(limiter, "bob@x.test", "10.3.0.1", false);
    for (let i = 0; i < 6; i++) await attempt(limiter, "bobby@x.test", "10.3.0.1", false);
    expect(await attempt(limiter, "bob@x.test", "10.3.0.1", true)).toBe("limited");
    await unlockAccount(store, "bob@x.test");
    expect(await attempt(limiter, "bob@x.test", "10.3.0.1", true)).toBe("signed-in");
    expect(await attempt(limiter, "bobby@x.test", "10.3.0.1", true)).toBe("limited");
  });

  it("keeps its counts in the database, where expired ones start a new window", async () => {
    const limiter = new SignInLimiter(store);
    for (let i = 0; i < 6; i++) await attempt(limiter, "carol@x.test", "10.4.0.1", false);
    await db.signInLimit.updateMany({
      where: { key: { endsWith: "carol@x.test 10.4.0.1" } },
      data: { expire: new Date(Date.now() - 1000) },
    });
    expect(await attempt(limiter, "carol@x.test", "10.4.0.1", true)).toBe("signed-in");
  });
});
