import { describe, expect, it } from "vitest";
import { MAX_ID, parseId } from "./ids.ts";

describe("parseId", () => {
  it("accepts canonical decimal ids from 1 to 2,147,483,647", () => {
    expect(parseId("1")).toBe(1);
    expect(parseId("42")).toBe(42);
    expect(parseId(String(MAX_ID))).toBe(2_147_483_647);
  });

  it.each(["0", "-1", "01", "+1", "1.0", "1e3", "0x10", " 1", "1 ", "", "2147483648", "99999999999", "1٢", "NaN"])(
    "refuses %j",
    (value) => {
      expect(parseId(value)).toBeNull();
    },
  );
});
