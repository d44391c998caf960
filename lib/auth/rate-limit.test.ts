import { describe, expect, it } from "vitest";
import { FailureLimiter } from "./rate-limit.ts";

describe("FailureLimiter", () => {
  it("blocks a key after the limit of failures within the window, and frees it when the window passes", () => {
    const limiter = new FailureLimiter(3, 60_000);
    const t0 = 1_000_000;
    for (let i = 0; i < 3; i++) {
      expect(limiter.blockedForMinutes("a@x.io", t0 + i)).toBe(0);
      limiter.recordFailure("a@x.io", t0 + i);
    }
    expect(limiter.blockedForMinutes("a@x.io", t0 + 10)).toBe(1);
    expect(limiter.blockedForMinutes("b@x.io", t0 + 10)).toBe(0);
    expect(limiter.blockedForMinutes("a@x.io", t0 + 60_001)).toBe(0);
  });

  it("forgets failures after a successful sign-in", () => {
    const limiter = new FailureLimiter(2, 60_000);
    limiter.recordFailure("a@x.io", 1);
    limiter.recordFailure("a@x.io", 2);
    expect(limiter.blockedForMinutes("a@x.io", 3)).toBe(1);
    limiter.reset("a@x.io");
    expect(limiter.blockedForMinutes("a@x.io", 3)).toBe(0);
  });
});
