import { describe, expect, it } from "vitest";
import { agreement } from "./agreement.ts";
import { deriveStatus } from "./status.ts";

describe("deriveStatus", () => {
  it("is pending without votes; skip and swap are not votes", () => {
    expect(deriveStatus([], 1)).toEqual({ status: "pending", voters: 0, modified: false });
    expect(deriveStatus([{ userId: 1, decision: "skip" }], 1).status).toBe("pending");
    expect(deriveStatus([{ userId: 1, decision: "swap" }], 1)).toEqual({
      status: "pending",
      voters: 0,
      modified: true,
    });
  });

  it("follows each reviewer's latest vote", () => {
    expect(deriveStatus([{ userId: 1, decision: "accept" }], 1).status).toBe("accepted");
    expect(
      deriveStatus(
        [
          { userId: 1, decision: "accept" },
          { userId: 1, decision: "reject" },
        ],
        1,
      ),
    ).toEqual({ status: "rejected", voters: 1, modified: false });
    expect(deriveStatus([{ userId: 1, decision: "edit" }], 1).status).toBe("edited");
    expect(
      deriveStatus(
        [
          { userId: 1, decision: "swap" },
          { userId: 1, decision: "accept" },
        ],
        1,
      ).status,
    ).toBe("edited");
  });

  it("needs reviewsPerPair voters, then the majority; ties stay pending", () => {
    const votes = [
      { userId: 1, decision: "accept" },
      { userId: 2, decision: "reject" },
    ];
    expect(deriveStatus(votes.slice(0, 1), 2).status).toBe("pending");
    expect(deriveStatus(votes, 2).status).toBe("pending");
    expect(deriveStatus([...votes, { userId: 3, decision: "reject" }], 2).status).toBe("rejected");
    expect(deriveStatus([...votes, { userId: 3, decision: "edit" }], 2).status).toBe("edited");
  });

  it("lets a bulk decision settle the pair when it is the latest vote", () => {
    expect(deriveStatus([{ userId: 9, decision: "accept", reason: "bulk" }], 3).status).toBe("accepted");
    expect(
      deriveStatus(
        [
          { userId: 1, decision: "edit" },
          { userId: 9, decision: "reject", reason: "bulk" },
        ],
        3,
      ).status,
    ).toBe("rejected");
    expect(
      deriveStatus(
        [
          { userId: 1, decision: "edit" },
          { userId: 9, decision: "accept", reason: "bulk" },
        ],
        3,
      ).status,
    ).toBe("edited");
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
