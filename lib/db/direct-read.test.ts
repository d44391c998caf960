import { describe, expect, it } from "vitest";
import { createTestDb } from "../../test/db.ts";
import { sqlDialect } from "./dialect.ts";
import { queryRows } from "./direct-read.ts";
import { Prisma } from "./generated/client.ts";

const { db } = createTestDb();

const datasetsSql = (from: number) =>
  Prisma.sql`SELECT "id", "name", "settings" FROM "Dataset" WHERE "id" >= ${from} AND ${true} ORDER BY "id"`;

describe("queryRows (an export's reads)", () => {
  it("gives the rows Prisma's raw query gives, as the export reads them", async () => {
    await db.dataset.create({ data: { name: "one", settings: { licence: "CC-BY-4.0" } } });
    await db.dataset.create({ data: { name: "two", settings: {} } });
    const direct = await queryRows<{ id: number | bigint; name: string; settings: unknown }>(db, datasetsSql(0));
    const viaPrisma = await db.$queryRaw<{ id: number | bigint; name: string; settings: unknown }[]>(datasetsSql(0));
    const plain = (rows: typeof direct) =>
      rows.map((r) => ({
        id: Number(r.id),
        name: r.name,
        settings: typeof r.settings === "string" ? JSON.parse(r.settings) : r.settings,
      }));
    expect(plain(direct)).toEqual(plain(viaPrisma));
    expect(plain(direct).map((r) => r.name)).toEqual(["one", "two"]);
    if (sqlDialect() === "sqlite") expect(typeof direct[0]!.id).toBe("number");
  });

  it("waits for the process's open transaction instead of reading its uncommitted rows", async () => {
    const from = (await db.dataset.create({ data: { name: "before", settings: {} } })).id;
    let inside!: () => void;
    const txStarted = new Promise<void>((resolve) => (inside = resolve));
    const failing = db
      .$transaction(async (tx) => {
        await tx.dataset.create({ data: { name: "uncommitted", settings: {} } });
        inside();
        await new Promise((resolve) => setTimeout(resolve, 100));
        throw new Error("abort");
      })
      .catch((error: Error) => error.message);
    await txStarted;
    const read = queryRows<{ name: string }>(db, datasetsSql(from));
    expect(await failing).toBe("abort");
    expect((await read).map((r) => r.name)).toEqual(["before"]);
  });
});
