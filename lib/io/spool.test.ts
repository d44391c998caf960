import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { removeOrphanSpools, spoolDirPrefix } from "./spool.ts";

describe("import spool folders", () => {
  it("removes the folders of processes that died, and keeps those of running ones", async () => {
    const tmp = mkdtempSync(path.join(os.tmpdir(), "spool-test-"));
    // A process that has exited: its pid no longer runs.
    const dead = spawnSync(process.execPath, ["-e", "process.stdout.write(String(process.pid))"], { encoding: "utf8" });
    const orphan = path.join(tmp, `ecd-import-${dead.stdout}-abc123`);
    mkdirSync(orphan);
    writeFileSync(path.join(orphan, "seeds.jsonl"), "[]\n");
    const mine = mkdtempSync(spoolDirPrefix(tmp));
    const unrelated = path.join(tmp, "ecd-import-notes");
    mkdirSync(unrelated);

    expect(await removeOrphanSpools(tmp)).toEqual([orphan]);
    expect(existsSync(orphan)).toBe(false);
    expect(existsSync(mine)).toBe(true);
    expect(existsSync(unrelated)).toBe(true);
  });
});
