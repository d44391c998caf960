import { describe, expect, it } from "vitest";
import { pairPrompt } from "./prompt.ts";
import { jsonColumn } from "./verdict-record.ts";

describe("jsonColumn", () => {
  it("reads a JSON column's text as raw SQL gives it, and passes a parsed value through", () => {
    expect(jsonColumn('{"editedPrompt":"Hi"}')).toEqual({ editedPrompt: "Hi" });
    expect(jsonColumn('[{"kind":"free","text":"Be kind"}]')).toEqual([{ kind: "free", text: "Be kind" }]);
    expect(jsonColumn({ a: 1 })).toEqual({ a: 1 });
    expect(jsonColumn(null)).toBeNull();
    expect(jsonColumn("not json")).toBeNull();
  });

  it("lets the pair's prompt fall back to the node's instruction when the metadata is empty", () => {
    expect(pairPrompt("{}", "Write a poem.")).toBe("Write a poem.");
    expect(pairPrompt('{"editedPrompt":"Write a haiku."}', "Write a poem.")).toBe("Write a haiku.");
    expect(pairPrompt('{"editedPrompt":""}', "Write a poem.")).toBe("Write a poem.");
  });
});
