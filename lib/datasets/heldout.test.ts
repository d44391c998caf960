import { createHash } from "node:crypto";
import { describe, expect, it } from "vitest";
import { heldoutBound, isHeldOut } from "./heldout.ts";

const hash = (text: string) => createHash("sha256").update(text).digest("hex");

describe("held-out seeds", () => {
  it("holds out nothing at share 0 and about the share of seeds otherwise", () => {
    const hashes = Array.from({ length: 20_000 }, (_, i) => hash(`seed ${i}`));
    expect(hashes.filter((h) => isHeldOut(h, 0))).toHaveLength(0);
    for (const share of [0.05, 0.1, 0.3]) {
      const held = hashes.filter((h) => isHeldOut(h, share)).length / hashes.length;
      expect(Math.abs(held - share)).toBeLessThan(0.01);
    }
  });

  it("is monotone in the share: raising it only adds held-out seeds", () => {
    const hashes = Array.from({ length: 2_000 }, (_, i) => hash(`s${i}`));
    const at10 = new Set(hashes.filter((h) => isHeldOut(h, 0.1)));
    const at20 = new Set(hashes.filter((h) => isHeldOut(h, 0.2)));
    for (const h of at10) expect(at20.has(h)).toBe(true);
  });

  it("agrees with the string bound used in SQL", () => {
    const bound = heldoutBound(0.25)!;
    expect(bound).toBe("40000000");
    expect(isHeldOut("3fffffff" + "f".repeat(56), 0.25)).toBe(true);
    expect(isHeldOut("40000000" + "0".repeat(56), 0.25)).toBe(false);
  });
});
