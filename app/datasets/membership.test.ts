import { readdirSync } from "node:fs";
import path from "node:path";
import { beforeAll, describe, expect, it, vi } from "vitest";
import { createTestDb } from "@/test/db";
import { createFixtureDataset, createFixturePair, createFixtureUser } from "@/test/fixtures/pairs";
import { mockRequestCookies, mockSessionToken, signInAs } from "@/test/fixtures/session";

/**
 * Membership, enumerated: every page, route handler and server action under app/ is found by
 * walking the folder (so a new one cannot be missed) and called as an annotator who is not a
 * member of the dataset it names. Each must answer 404 / 403 (or "does not exist") and change
 * nothing; the same calls as a member get through, so the refusal is the membership's doing.
 */

vi.mock("next-auth/jwt", async (original) => mockSessionToken(await original()));
vi.mock("next/headers", async (original) => mockRequestCookies(await original()));
vi.mock("next/cache", () => ({ revalidatePath: () => {} }));

const { db } = createTestDb();
const APP = path.join(import.meta.dirname, "..");

function walk(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory() ? walk(path.join(dir, entry.name)) : [path.join(dir, entry.name)],
  );
}
const files = walk(APP).map((f) => path.relative(APP, f));
/** Routes whose URL names a dataset or a job (the things membership guards). */
const scoped = (file: string) => /\[(id|jobId)\]/.test(file);

/** Server actions that name no dataset, pair, node or job (the rest must be refused to a non-member). */
const UNSCOPED_ACTIONS = new Set([
  "actions.ts#createDatasetAction",
  "account/actions.ts#changePasswordAction",
  "account/actions.ts#signOutEverywhereAction",
  "admin/users/actions.ts#createUserAction",
  "admin/users/actions.ts#resetPasswordAction",
  "admin/users/actions.ts#setUserDisabledAction",
  "admin/users/actions.ts#setUserRoleAction",
  "admin/users/actions.ts#signOutUserEverywhereAction",
  "admin/users/actions.ts#unlockSignInAction",
  "evals/actions.ts#startEvalRunAction",
  // Lets go of the caller's own leases only (by pair id): nothing of anyone else's to read or change.
  "datasets/[id]/review/actions.ts#releaseAction",
]);

type User = Awaited<ReturnType<typeof createFixtureUser>>;
let member: User;
let outsider: User;
let researcher: User;
let datasetId: number;
let pairId: number;
let jobId: number;
let seedId: number;

beforeAll(async () => {
  member = await createFixtureUser(db, { role: "annotator" });
  outsider = await createFixtureUser(db, { role: "annotator" });
  researcher = await createFixtureUser(db, { role: "researcher" });
  const ds = await createFixtureDataset(db, { members: [member] });
  datasetId = ds.id;
  const job = await db.job.create({ data: { kind: "generation", datasetId, params: {}, models: {} } });
  jobId = job.id;
  const fx = await createFixturePair(db, { datasetId, jobId });
  pairId = fx.pairId;
  seedId = fx.seedId;
});

/** Everything that a refused call must leave as it was. */
async function state() {
  const [pairs, reviews, jobs, tasks, audit, exports, seeds] = await Promise.all([
    db.pair.findMany({ orderBy: { id: "asc" } }),
    db.review.count(),
    db.job.findMany({ orderBy: { id: "asc" } }),
    db.task.count(),
    db.auditEvent.count(),
    db.export.count(),
    db.seed.count(),
  ]);
  return JSON.stringify({ pairs, reviews, jobs, tasks, audit, exports, seeds });
}

/**
 * What Next's notFound() / forbidden() throw, as an HTTP status. Outside a Next server forbidden()
 * throws its "experimental" notice instead (next.config.js turns authInterrupts on): that is a 403.
 */
function httpStatusOf(error: unknown): number | null {
  if (/`forbidden\(\)` is experimental/.test((error as Error)?.message ?? "")) return 403;
  const digest = (error as { digest?: string } | null)?.digest ?? "";
  const match = /^NEXT_HTTP_ERROR_FALLBACK;(\d+)$/.exec(digest);
  return match ? Number(match[1]) : null;
}

const params = () => ({ id: String(datasetId), jobId: String(jobId), seedId: String(seedId), exportId: "1" });

/** Valid input for every action a member annotator may call: they must get past validation. */
const actionInput = (key: string): unknown => {
  const base = { datasetId, pairId, jobId, version: 1, durationMs: 1000 };
  if (key.endsWith("#decideAction")) return { ...base, decision: "skip" };
  if (key.endsWith("#editAction")) return { ...base, chosen: "an edit" };
  if (key.endsWith("#reopenAction")) return { ...base, reason: "check again" };
  if (key.endsWith("#abVoteAction")) return { ...base, choice: "tie" };
  if (key.endsWith("#saveDraftAction")) return { ...base, pairVersion: 1, prompt: "p", chosen: "c", rejected: "r" };
  if (key.endsWith("#addCommentAction")) return { ...base, body: "a comment" };
  return base;
};

type Outcome = { status: number | "ok" | string; threw?: unknown };

async function call(run: () => Promise<unknown>): Promise<Outcome> {
  try {
    const result = await run();
    if (result instanceof Response) return { status: result.status };
    if (result && typeof result === "object" && "ok" in result)
      return { status: (result as { ok: boolean }).ok ? "ok" : (result as unknown as { error: string }).error };
    return { status: "ok" };
  } catch (error) {
    const status = httpStatusOf(error);
    if (status) return { status };
    return { status: `threw ${(error as Error).message}`, threw: error };
  }
}

const refused = (o: Outcome) => o.status === 404 || o.status === 403 || /does not exist/.test(String(o.status));

describe("membership on every page, route handler and server action (walked from app/)", () => {
  const pages = files.filter((f) => f.endsWith("page.tsx") && scoped(f));
  const routes = files.filter((f) => f.endsWith("route.ts") && scoped(f));
  const actionFiles = files.filter((f) => f.endsWith("actions.ts"));

  it("finds the dataset pages, routes and actions", () => {
    expect(pages.length).toBeGreaterThanOrEqual(9);
    expect(routes.length).toBeGreaterThanOrEqual(4);
    expect(actionFiles.length).toBeGreaterThanOrEqual(8);
  });

  it("every dataset and job page is a 404 (or 403) for a non-member annotator", async () => {
    const failures: string[] = [];
    for (const file of pages) {
      const mod = (await import(/* @vite-ignore */ path.join(APP, file))) as {
        default: (p: unknown) => Promise<unknown>;
      };
      signInAs(outsider);
      const before = await state();
      const outcome = await call(() =>
        mod.default({ params: Promise.resolve(params()), searchParams: Promise.resolve({}) }),
      );
      if (!refused(outcome)) failures.push(`${file}: ${outcome.status}`);
      if ((await state()) !== before) failures.push(`${file}: changed the database`);
    }
    expect(failures).toEqual([]);
  });

  it("every dataset and job route handler answers 404 (or 403) to a non-member annotator", async () => {
    const failures: string[] = [];
    for (const file of routes) {
      const mod = (await import(/* @vite-ignore */ path.join(APP, file))) as Record<
        string,
        (r: Request, c: unknown) => Promise<Response>
      >;
      for (const method of ["GET", "POST"] as const) {
        if (!mod[method]) continue;
        signInAs(outsider);
        const before = await state();
        const request = new Request(`http://localhost/x?format=trl-dpo`, {
          method,
          headers: {
            origin: "http://localhost",
            host: "localhost",
            "content-type": "application/x-www-form-urlencoded",
          },
          body: method === "POST" ? "format=trl-dpo" : undefined,
        });
        const outcome = await call(() => mod[method](request, { params: Promise.resolve(params()) }));
        if (!refused(outcome)) failures.push(`${method} ${file}: ${outcome.status}`);
        if ((await state()) !== before) failures.push(`${method} ${file}: changed the database`);
      }
    }
    expect(failures).toEqual([]);
  });

  it("every server action naming a dataset, pair or job is refused to a non-member annotator and changes nothing; a member gets through", async () => {
    const failures: string[] = [];
    const checked: string[] = [];
    for (const file of actionFiles) {
      const mod = (await import(/* @vite-ignore */ path.join(APP, file))) as Record<string, unknown>;
      for (const [name, action] of Object.entries(mod)) {
        if (typeof action !== "function") continue;
        const key = `${file}#${name}`;
        if (UNSCOPED_ACTIONS.has(key)) continue;
        checked.push(key);
        const run = action as (input: unknown) => Promise<unknown>;
        signInAs(outsider);
        const before = await state();
        const outcome = await call(() => run(actionInput(key)));
        if (!refused(outcome)) failures.push(`${key} as a non-member: ${outcome.status}`);
        if ((await state()) !== before) failures.push(`${key} as a non-member: changed the database`);
        // The control: a member passes the scope and the membership (whatever the action then says).
        signInAs(member);
        const asMember = await call(() => run(actionInput(key)));
        if (asMember.status !== 403 && /does not exist|^404$/.test(String(asMember.status)))
          failures.push(`${key} as a member: ${asMember.status}`);
      }
    }
    expect(checked.length).toBeGreaterThanOrEqual(10);
    expect(failures).toEqual([]);
  });
});

describe("membership changes take effect on the next request", () => {
  it("an annotator gains access when added and loses it when removed; researchers see every dataset", async () => {
    const { addMember, removeMember } = await import("@/lib/datasets/members");
    const { viewPairAction } = await import("./[id]/review/actions");
    const { listDatasets } = await import("@/lib/datasets");
    const newcomer = await createFixtureUser(db, { role: "annotator" });
    const view = () => viewPairAction({ datasetId, pairId });

    signInAs(newcomer);
    expect(await view()).toMatchObject({ ok: false, error: `Dataset ${datasetId} does not exist` });
    expect((await listDatasets(db, newcomer)).map((d) => d.id)).not.toContain(datasetId);

    await addMember(db, datasetId, newcomer.email, researcher.id);
    expect(await view()).toMatchObject({ ok: true, data: { id: pairId } });
    expect((await listDatasets(db, newcomer)).map((d) => d.id)).toContain(datasetId);

    await removeMember(db, datasetId, newcomer.email, researcher.id);
    expect(await view()).toMatchObject({ ok: false, error: `Dataset ${datasetId} does not exist` });
    expect((await listDatasets(db, newcomer)).map((d) => d.id)).not.toContain(datasetId);

    signInAs(researcher);
    expect(await view()).toMatchObject({ ok: true });
    expect((await listDatasets(db, researcher)).map((d) => d.id)).toContain(datasetId);
    const audit = await db.auditEvent.findMany({
      where: { entityType: "dataset", entityId: String(datasetId), action: { startsWith: "dataset.member" } },
      orderBy: { id: "asc" },
    });
    expect(audit.map((a) => a.action)).toEqual(["dataset.member_add", "dataset.member_remove"]);
  });
});

describe("a dataset being deleted answers like a missing one, to researchers too", () => {
  it("the export routes and the adjudication action refuse a researcher and change nothing", async () => {
    const failures: string[] = [];
    await db.dataset.update({ where: { id: datasetId }, data: { deletedAt: new Date() } });
    try {
      signInAs(researcher);
      for (const file of [
        "datasets/[id]/export/[exportId]/bundle/route.ts",
        "datasets/[id]/export/[exportId]/card/route.ts",
      ]) {
        const mod = (await import(/* @vite-ignore */ path.join(APP, file))) as {
          GET: (r: Request, c: unknown) => Promise<Response>;
        };
        const outcome = await call(() =>
          mod.GET(new Request("http://localhost/x"), { params: Promise.resolve(params()) }),
        );
        if (!refused(outcome)) failures.push(`GET ${file}: ${outcome.status}`);
      }
      const { adjudicateAction } = await import("./[id]/adjudication/actions");
      const before = await state();
      const outcome = await call(() => adjudicateAction({ datasetId, pairId, version: 1, decision: "accept" }));
      if (!refused(outcome)) failures.push(`adjudicateAction: ${outcome.status}`);
      if ((await state()) !== before) failures.push("adjudicateAction: changed the database");
    } finally {
      await db.dataset.update({ where: { id: datasetId }, data: { deletedAt: null } });
    }
    expect(failures).toEqual([]);
  });
});

/**
 * The same walk as a researcher (who sees every dataset) on a dataset being deleted: every page,
 * route and action that names it must answer as if it were missing and change nothing. Each
 * researcher-only action gets input that passes its validation, so the refusal is the dataset
 * check's doing, not zod's.
 */
describe("a dataset being deleted, walked as a researcher", () => {
  /** Valid input for every action of a dataset, for a researcher (validation must pass). */
  const researcherInput = (key: string): unknown => {
    const form = (values: Record<string, string | string[]>) => {
      const data = new FormData();
      for (const [name, value] of Object.entries(values))
        for (const v of Array.isArray(value) ? value : [value]) data.append(name, v);
      return data;
    };
    if (key.endsWith("#startGenerationAction") || key.endsWith("#startEstimateAction"))
      return form({
        datasetId: String(datasetId),
        pipeline: "ecd",
        "models.evolver.provider": "rule-based",
        "models.responder.provider": "rule-based",
        "models.judge.provider": "rule-based",
        rounds: "1",
      });
    if (key.endsWith("#previewImportAction")) {
      const data = form({ datasetId: String(datasetId) });
      data.append("sample", new File(['{"instruction": "Say hi."}\n'], "seeds.jsonl"));
      return data;
    }
    if (key.endsWith("#countExportAction")) return { datasetId, format: "trl-dpo", status: "accepted" };
    if (key.endsWith("#countSelectionAction") || key.endsWith("#bulkDecideAction"))
      return { datasetId, filter: {}, ids: [pairId], decision: "accept", expectedCount: 1 };
    if (key.endsWith("#updateSettingsAction"))
      return {
        datasetId,
        name: "Renamed",
        description: "",
        guidelines: "",
        reviewsPerPair: 1,
        blind: false,
        mode: "labelled",
        adjudication: false,
        licence: "",
        heldoutShare: 0,
      };
    if (key.endsWith("#addMemberAction") || key.endsWith("#removeMemberAction"))
      return { datasetId, email: member.email };
    if (key.endsWith("#deleteDatasetAction")) return { datasetId, confirm: "Fixture" };
    if (key.endsWith("#adjudicateAction")) return { datasetId, pairId, version: 1, decision: "accept" };
    return actionInput(key);
  };

  it("refuses every page, route and action that names it, and changes nothing", async () => {
    const failures: string[] = [];
    await db.dataset.update({ where: { id: datasetId }, data: { deletedAt: new Date() } });
    try {
      signInAs(researcher);
      for (const file of files.filter((f) => f.startsWith("datasets/[id]/") && f.endsWith("page.tsx"))) {
        const mod = (await import(/* @vite-ignore */ path.join(APP, file))) as {
          default: (p: unknown) => Promise<unknown>;
        };
        const outcome = await call(() =>
          mod.default({ params: Promise.resolve(params()), searchParams: Promise.resolve({}) }),
        );
        if (!refused(outcome)) failures.push(`${file}: ${outcome.status}`);
      }
      for (const file of files.filter((f) => f.startsWith("datasets/[id]/") && f.endsWith("route.ts"))) {
        const mod = (await import(/* @vite-ignore */ path.join(APP, file))) as Record<
          string,
          (r: Request, c: unknown) => Promise<Response>
        >;
        if (!mod.GET) continue;
        const outcome = await call(() =>
          mod.GET!(new Request("http://localhost/x?format=trl-dpo"), { params: Promise.resolve(params()) }),
        );
        if (!refused(outcome)) failures.push(`GET ${file}: ${outcome.status}`);
      }
      const before = await state();
      for (const file of files.filter((f) => f.startsWith("datasets/[id]/") && f.endsWith("actions.ts"))) {
        const mod = (await import(/* @vite-ignore */ path.join(APP, file))) as Record<string, unknown>;
        for (const [name, action] of Object.entries(mod)) {
          const key = `${file}#${name}`;
          if (typeof action !== "function" || UNSCOPED_ACTIONS.has(key)) continue;
          const outcome = await call(() => (action as (input: unknown) => Promise<unknown>)(researcherInput(key)));
          if (!refused(outcome)) failures.push(`${key}: ${outcome.status}`);
        }
      }
      if ((await state()) !== before) failures.push("an action changed the database");
    } finally {
      await db.dataset.update({ where: { id: datasetId }, data: { deletedAt: null } });
    }
    expect(failures).toEqual([]);
  });
});
