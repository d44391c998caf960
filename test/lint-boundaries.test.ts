import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { ESLint } from "eslint";
import { describe, expect, it } from "vitest";

/**
 * The boundaries of DESIGN.md's layout, as the linter keeps them (eslint.config.mjs): each fixture
 * in test/lint-fixtures/ is linted as if it lived at the path its first line names ("// lint as: …"),
 * with the project's real configuration. The fixtures stay outside the shipped tree (and the
 * main lint run ignores them).
 */

const root = path.resolve(import.meta.dirname, "..");
const fixtures = path.join(root, "test/lint-fixtures");
const BOUNDARY_RULES = new Set(["no-restricted-imports", "no-restricted-syntax"]);

async function lintFixture(name: string) {
  const source = readFileSync(path.join(fixtures, name), "utf8");
  const lintAs = /^\/\/ lint as: (\S+)/.exec(source)?.[1];
  if (!lintAs) throw new Error(`${name}: the first line must be "// lint as: <path>"`);
  const eslint = new ESLint({ cwd: root });
  const [result] = await eslint.lintText(source, { filePath: path.join(root, lintAs) });
  return result.messages
    .filter((m) => m.ruleId !== null && BOUNDARY_RULES.has(m.ruleId))
    .map((m) => ({ line: m.line, message: m.message }));
}

describe("lint boundaries", { timeout: 60_000 }, () => {
  it("has a fixture for every case below", () => {
    expect(readdirSync(fixtures).sort()).toEqual([
      "allowed.tsx",
      "client-imports-server-only.tsx",
      "component-imports-page.tsx",
      "page-imports-prisma.tsx",
      "raw-sql-outside-db.ts",
    ]);
  });

  it("rejects a component that imports a page module (or anything in app/ but actions)", async () => {
    const messages = await lintFixture("component-imports-page.tsx");
    expect(messages.map((m) => m.line)).toEqual([3, 4]);
    for (const m of messages) expect(m.message).toMatch(/only the server actions of app\/\*\*\/actions\.ts/);
  });

  it("rejects raw SQL outside lib/db", async () => {
    const messages = await lintFixture("raw-sql-outside-db.ts");
    expect(messages.map((m) => m.line)).toEqual([7, 8, 9]);
    for (const m of messages) expect(m.message).toMatch(/Raw SQL lives in lib\/db/);
  });

  it("rejects a Prisma import and database queries in a page", async () => {
    const messages = await lintFixture("page-imports-prisma.tsx");
    expect(messages).toEqual([
      { line: 3, message: expect.stringMatching(/Only lib\/ imports Prisma/) },
      { line: 9, message: expect.stringMatching(/never query the database/) },
      { line: 10, message: expect.stringMatching(/never query the database/) },
    ]);
  });

  it("rejects server-only modules in a client component", async () => {
    const messages = await lintFixture("client-imports-server-only.tsx");
    const serverOnly = messages.filter((m) => /must not import a server-only module/.test(m.message));
    expect(serverOnly.map((m) => m.line)).toEqual([4, 5, 6, 7]);
  });

  it("allows server actions, pure lib modules and type-only imports in a client component", async () => {
    expect(await lintFixture("allowed.tsx")).toEqual([]);
  });
});
