import { describe, expect, it } from "vitest";
import { safeCallbackPath } from "./redirect.ts";

const origin = "http://localhost:3000";

describe("safeCallbackPath", () => {
  it("keeps paths on the app's own origin", () => {
    expect(safeCallbackPath("/datasets/1?x=1#top", origin)).toBe("/datasets/1?x=1#top");
    expect(safeCallbackPath("http://localhost:3000/admin/users", origin)).toBe("/admin/users");
    expect(safeCallbackPath("datasets/1", origin)).toBe("/datasets/1");
  });

  it.each([
    "/\\evil.example/x",
    "/\t/evil.example/x",
    "/\\\\evil.example",
    "//evil.example/x",
    "https://evil.example/",
    "http://localhost:3001/",
    "javascript:alert(1)",
    "\\\\evil.example",
  ])("sends %j to / instead of off-site", (url) => {
    expect(safeCallbackPath(url, origin)).toBe("/");
  });

  it("never returns a path that a browser would read as another host", () => {
    expect(safeCallbackPath("http://localhost:3000//evil.example/x", origin)).toBe("/evil.example/x");
    expect(safeCallbackPath(undefined, origin)).toBe("/");
    expect(safeCallbackPath("http://[bad", origin)).toBe("/");
  });
});
