import { describe, expect, it } from "vitest";
import { createTestDb } from "../../test/db.ts";
import { listGuidelineVersions } from "./guidelines.ts";
import { createDataset } from "./index.ts";

const { db } = createTestDb();

describe("createDataset", () => {
  it("records guidelines given at creation as version 1 (the demo's guidelines had no version)", async () => {
    const author = await db.user.create({
      data: { email: "creator@example.com", passwordHash: "x", role: "researcher" },
    });
    const ds = await createDataset(db, { name: "With guidelines", guidelines: "Accept **good** pairs." }, author.id);
    expect(await listGuidelineVersions(db, ds.id)).toEqual([
      expect.objectContaining({ version: 1, text: "Accept **good** pairs.", author: "creator@example.com" }),
    ]);
    const bare = await createDataset(db, { name: "Without guidelines" }, null);
    expect(await listGuidelineVersions(db, bare.id)).toEqual([]);
  });
});
