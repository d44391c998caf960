import { describe, expect, it } from "vitest";
import { formatBytes, formatCost, formatCount, formatCounted, formatDateTime, formatDuration } from "./format.ts";

describe("format", () => {
  it("writes counts with separators and nouns in the right number", () => {
    expect(formatCount(1234567)).toBe("1,234,567");
    expect(formatCounted(1, "user")).toBe("1 user");
    expect(formatCounted(0, "user")).toBe("0 users");
    expect(formatCounted(1204, "pair")).toBe("1,204 pairs");
    expect(formatCounted(2, "reply", "replies")).toBe("2 replies");
  });

  it("writes sizes, durations, costs and dates", () => {
    expect([formatBytes(1), formatBytes(512), formatBytes(1536), formatBytes(16 * 1024 ** 3)]).toEqual([
      "1 byte",
      "512 bytes",
      "1.5 KB",
      "16 GB",
    ]);
    expect([formatDuration(null), formatDuration(42), formatDuration(75), formatDuration(3700)]).toEqual([
      "–",
      "42s",
      "1m 15s",
      "1h 01m",
    ]);
    expect([formatCost(0), formatCost(0.0042), formatCost(1234.5)]).toEqual(["$0", "$0.0042", "$1,234.50"]);
    expect(formatDateTime(new Date("2026-03-04T05:06:07Z"))).toBe("Mar 4, 2026, 05:06 UTC");
    expect(formatDateTime("2026-12-31T23:59:00Z")).toBe("Dec 31, 2026, 23:59 UTC");
  });
});
