import { describe, expect, it } from "vitest";
import { agreement } from "./agreement.ts";
import { deriveStatus } from "./status.ts";

const vote = (userId: number, decision: "accept" | "reject", round = 1) => ({ userId, decision, kind: "vote", round });

describe("deriveStatus", () => {
  it("is pending without votes; skips, edits and swaps are not votes", () => {
    expect(deriveStatus([], 1, { reviewsPerPair: 1 })).toEqual({ status: "pending", voters: 0 });
    const changes = [
      { userId: 1, decision: "skip", kind: "skip", round: 1 },
      { userId: 1, decision: "edit", kind: "change", round: 1 },
      { userId: 1, decision: "swap", kind: "change", round: 1 },
    ];
    expect(deriveStatus(changes, 1, { reviewsPerPair: 1 })).toEqual({ status: "pending", voters: 0 });
  });

  it("follows each voter's latest vote of the current round only", () => {
    expect(deriveStatus([vote(1, "accept")], 1, { reviewsPerPair: 1 }).status).toBe("accepted");
    expect(deriveStatus([vote(1, "accept"), vote(1, "reject")], 1, { reviewsPerPair: 1 })).toEqual({
      status: "rejected",
      voters: 1,
    });
    // Round 2 (after a reopen or an edit of a voted pair): round-1 votes no longer count.
    expect(deriveStatus([vote(1, "accept")], 2, { reviewsPerPair: 1 })).toEqual({ status: "pending", voters: 0 });
  });

  it("a 1–1 tie stays pending (one more reviewer), a strict majority settles, adjudication on sends disagreement there", () => {
    const tie = [vote(1, "accept"), vote(2, "reject")];
    expect(deriveStatus(tie, 1, { reviewsPerPair: 2 }).status).toBe("pending");
    expect(deriveStatus([...tie, vote(3, "accept")], 1, { reviewsPerPair: 2 }).status).toBe("accepted");
    expect(deriveStatus([...tie, vote(3, "reject")], 1, { reviewsPerPair: 2 }).status).toBe("rejected");
    expect(deriveStatus(tie, 1, { reviewsPerPair: 2, adjudication: true }).status).toBe("adjudication");
    expect(deriveStatus([vote(1, "accept"), vote(2, "accept")], 1, { reviewsPerPair: 2 }).status).toBe("accepted");
  });

  it("a decision of the current round settles the pair", () => {
    const bulk = { userId: 9, decision: "reject", kind: "decision", round: 1 };
    expect(deriveStatus([vote(1, "accept"), bulk], 1, { reviewsPerPair: 3 }).status).toBe("rejected");
    expect(deriveStatus([bulk], 2, { reviewsPerPair: 1 }).status).toBe("pending");
  });
});

describe("agreement", () => {
  it("is undefined without pairs reviewed twice", () => {
    expect(agreement([["keep"]])).toEqual({ pairs: 0, observed: null, alpha: null });
  });

  it("is 1 for perfect agreement with variation, and matches a hand-computed alpha", () => {
    expect(
      agreement([
        ["keep", "keep"],
        ["drop", "drop"],
      ]),
    ).toEqual({ pairs: 2, observed: 1, alpha: 1 });
    // Units: (keep, keep), (keep, drop), (drop, drop). n_keep = 3, n_drop = 3, n = 6.
    // Disagreement Σ 2·k·d/(m−1) = 2 (only the middle unit). alpha = 1 − 5·2/(2·3·3) = 4/9.
    const result = agreement([
      ["keep", "keep"],
      ["keep", "drop"],
      ["drop", "drop"],
    ]);
    expect(result.pairs).toBe(3);
    expect(result.observed).toBeCloseTo(2 / 3);
    expect(result.alpha).toBeCloseTo(4 / 9);
  });
});
