import { getHeapSpaceStatistics } from "node:v8";
import { describe, expect, it } from "vitest";
import { boundHeapGrowth, settleHeap } from "./heap.ts";

function oldGenerationMb(): number {
  return (
    getHeapSpaceStatistics()
      .filter((s) => s.space_name === "old_space" || s.space_name === "large_object_space")
      .reduce((n, s) => n + s.space_used_size, 0) /
    1024 /
    1024
  );
}

describe("bounded heap growth (ecd import / ecd export)", () => {
  it("is a no-op until turned on, then collects once the old generation grew past its headroom", () => {
    settleHeap(); // off: nothing happens, nothing throws
    boundHeapGrowth(8);
    const before = oldGenerationMb();
    // ~64 MB in large arrays (allocated in the old generation's large-object space), then dropped: garbage
    // only a full collection frees.
    let garbage: number[][] | null = Array.from({ length: 64 }, (_, i) => new Array<number>(131_072).fill(i + 0.5));
    expect(garbage).toHaveLength(64);
    garbage = null;
    expect(oldGenerationMb()).toBeGreaterThan(before + 24);
    settleHeap();
    expect(oldGenerationMb()).toBeLessThan(before + 12);
  });
});
