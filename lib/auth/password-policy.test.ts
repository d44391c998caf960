import { describe, expect, it } from "vitest";
import { newPasswordSchema, weakPasswordReason } from "./password-policy.ts";

describe("new password policy", () => {
  it("needs 12 characters and has no composition rules", () => {
    expect(newPasswordSchema.safeParse("short-pw-1").error?.issues[0].message).toBe(
      "Password must be at least 12 characters",
    );
    expect(newPasswordSchema.safeParse("correct horse battery").success).toBe(true);
  });

  it("refuses passwords from the shipped common-password list, in any case", () => {
    expect(weakPasswordReason("1qaz2wsx3edc")).toMatch(/commonly used/);
    expect(weakPasswordReason("PASSWORD1234")).toMatch(/commonly used/);
    expect(weakPasswordReason("violet-harbor-lamp")).toBeNull();
  });

  it("refuses one short pattern repeated and plain sequences", () => {
    expect(weakPasswordReason("aaaaaaaaaaaa")).toMatch(/repeated/);
    expect(weakPasswordReason("abcabcabcabc")).toMatch(/repeated/);
    expect(weakPasswordReason("123456789012")).toMatch(/sequence|commonly/);
  });
});
