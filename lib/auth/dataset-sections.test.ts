import { describe, expect, it } from "vitest";
import { sectionsFor } from "./dataset-sections.ts";

describe("sectionsFor", () => {
  it("shows annotators only the pages they can open; researchers and admins all of them", () => {
    expect(sectionsFor("annotator").map((s) => s.label)).toEqual(["Review", "Pairs", "Trees", "Jobs"]);
    for (const role of ["researcher", "admin"])
      expect(sectionsFor(role).map((s) => s.label)).toEqual([
        "Review",
        "Pairs",
        "Adjudication",
        "Trees",
        "Jobs",
        "Generate",
        "Import",
        "Export",
        "Settings",
      ]);
    expect(sectionsFor("nobody")).toEqual([]);
  });
});
