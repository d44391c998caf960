import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import path from "node:path";
import Database from "better-sqlite3";
import { E2E_ADMIN } from "../playwright.config";
import { ROLE_SCOPES, type Role, type Scope } from "../lib/auth/roles";
import { ecd, expect, httpSignIn, type RawResponse, rawRequest, test } from "./helpers";

/**
 * The authorization matrix: every page, route handler and server action that the production build
 * contains (read from its manifests, so a new one cannot be missed) × anonymous, annotator,
 * researcher and admin. Each must send the anonymous visitor to sign in, refuse a role without
 * its scope with 403, let the others through — and a refusal must leave the database unchanged.
 */

const PORT = Number(process.env.E2E_PORT ?? 3100);
const ORIGIN = `http://localhost:${PORT}`;
const BUILD = path.join(process.env.NEXT_DIST_DIR || ".next", "server");
const DB_FILE = `data/e2e-${PORT}/ecd.db`;

/** What each entry of the build needs. A new page, route or action fails the test until it is listed here. */
const PAGES: Record<string, Scope | "public"> = {
  "/page": "datasets:read",
  "/signin/page": "public",
  "/account/page": "account:own",
  "/admin/users/page": "users:manage",
  "/datasets/[id]/(overview)/page": "datasets:read",
  "/datasets/[id]/adjudication/page": "pairs:bulk",
  "/datasets/[id]/export/page": "exports:create",
  "/datasets/[id]/generate/page": "jobs:run",
  "/datasets/[id]/import/page": "datasets:manage",
  "/datasets/[id]/jobs/page": "datasets:read",
  "/datasets/[id]/pairs/page": "datasets:read",
  "/datasets/[id]/review/page": "pairs:review",
  "/datasets/[id]/settings/page": "datasets:manage",
  "/datasets/[id]/trees/page": "datasets:read",
  "/datasets/[id]/trees/[seedId]/page": "datasets:read",
  "/jobs/[jobId]/page": "datasets:read",
  "/evals/(list)/page": "jobs:run",
  "/benchmarks/page": "datasets:manage",
  "/evals/[id]/page": "jobs:run",
  "/evals/compare/page": "jobs:run",
};
/** Framework pages that are not routes of their own. */
const INTERNAL = new Set(["/_not-found/page", "/_global-error/page"]);
const ROUTES: Record<string, { method: "GET" | "POST"; scope: Scope | "public"; probe?: string }> = {
  "/api/auth/[...nextauth]/route": { method: "GET", scope: "public", probe: "/api/auth/session" },
  "/api/jobs/[jobId]/route": { method: "GET", scope: "datasets:read" },
  "/datasets/[id]/export/[exportId]/card/route": { method: "GET", scope: "exports:create" },
  "/datasets/[id]/export/[exportId]/bundle/route": { method: "GET", scope: "exports:create" },
  "/datasets/[id]/export/download/route": { method: "POST", scope: "exports:create" },
  "/datasets/[id]/import/upload/route": { method: "POST", scope: "datasets:manage" },
  "/benchmarks/upload/route": { method: "POST", scope: "datasets:manage" },
  "/icon.svg/route": { method: "GET", scope: "public" },
};
const ACTIONS: Record<string, Scope> = {
  "app/actions.ts#createDatasetAction": "datasets:manage",
  "app/account/actions.ts#changePasswordAction": "account:own",
  "app/account/actions.ts#signOutEverywhereAction": "account:own",
  "app/admin/users/actions.ts#createUserAction": "users:manage",
  "app/admin/users/actions.ts#resetPasswordAction": "users:manage",
  "app/admin/users/actions.ts#setUserDisabledAction": "users:manage",
  "app/admin/users/actions.ts#setUserRoleAction": "users:manage",
  "app/admin/users/actions.ts#signOutUserEverywhereAction": "users:manage",
  "app/admin/users/actions.ts#unlockSignInAction": "users:manage",
  "app/datasets/[id]/export/actions.ts#countExportAction": "exports:create",
  "app/datasets/[id]/export/actions.ts#cancelExportAction": "exports:create",
  "app/datasets/[id]/generate/actions.ts#startGenerationAction": "jobs:run",
  "app/datasets/[id]/generate/actions.ts#startEstimateAction": "jobs:run",
  "app/datasets/[id]/import/actions.ts#previewImportAction": "datasets:manage",
  "app/datasets/[id]/pairs/actions.ts#bulkDecideAction": "pairs:bulk",
  "app/datasets/[id]/pairs/actions.ts#countSelectionAction": "pairs:bulk",
  "app/datasets/[id]/adjudication/actions.ts#adjudicateAction": "pairs:bulk",
  "app/datasets/[id]/review/actions.ts#abVoteAction": "pairs:review",
  "app/datasets/[id]/review/actions.ts#claimNextAction": "pairs:review",
  "app/datasets/[id]/review/actions.ts#decideAction": "pairs:review",
  "app/datasets/[id]/review/actions.ts#editAction": "pairs:review",
  "app/datasets/[id]/review/actions.ts#releaseAction": "pairs:review",
  "app/datasets/[id]/review/actions.ts#reopenAction": "pairs:bulk",
  "app/datasets/[id]/review/actions.ts#viewPairAction": "pairs:review",
  "app/datasets/[id]/settings/actions.ts#addMemberAction": "datasets:manage",
  "app/datasets/[id]/settings/actions.ts#deleteDatasetAction": "datasets:manage",
  "app/datasets/[id]/settings/actions.ts#removeMemberAction": "datasets:manage",
  "app/datasets/[id]/settings/actions.ts#updateSettingsAction": "datasets:manage",
  "app/datasets/[id]/review/actions.ts#loadDraftAction": "pairs:review",
  "app/datasets/[id]/review/actions.ts#saveDraftAction": "pairs:review",
  "app/datasets/[id]/review/actions.ts#discardDraftAction": "pairs:review",
  "app/datasets/[id]/review/actions.ts#commentsAction": "pairs:review",
  "app/datasets/[id]/review/actions.ts#addCommentAction": "pairs:review",
  "app/evals/actions.ts#startEvalRunAction": "jobs:run",
  "app/benchmarks/actions.ts#removeBenchmarkSetAction": "datasets:manage",
  "app/jobs/[jobId]/actions.ts#cancelJobAction": "jobs:run",
  "app/jobs/[jobId]/actions.ts#retryFailedAction": "jobs:run",
};

type Who = "anonymous" | Role;
type Outcome = "signin" | "forbidden" | "allowed";

function readJson(file: string) {
  return JSON.parse(readFileSync(path.join(BUILD, file), "utf8"));
}

/** Every table's rows, hashed: equal before and after means the database did not change. */
function databaseState(): string {
  const db = new Database(DB_FILE, { readonly: true });
  try {
    const tables = db
      .prepare(`SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name`)
      .all() as { name: string }[];
    const hash = createHash("sha256");
    for (const { name } of tables)
      hash.update(name).update(JSON.stringify(db.prepare(`SELECT * FROM "${name}"`).all()));
    return hash.digest("hex");
  } finally {
    db.close();
  }
}

function expected(who: Who, scope: Scope | "public"): Outcome {
  if (scope === "public") return "allowed";
  if (who === "anonymous") return "signin";
  return ROLE_SCOPES[who].has(scope) ? "allowed" : "forbidden";
}

function outcomeOf(response: RawResponse): Outcome | `unexpected ${number}` {
  const location = String(response.headers.location ?? response.headers["x-action-redirect"] ?? "");
  if (/\/signin\?callbackUrl=/.test(location)) return "signin";
  if (response.status === 403) return "forbidden";
  if (response.status >= 500) return `unexpected ${response.status}`;
  return "allowed";
}

test("authorization matrix: every page, route handler and server action × every role", async () => {
  test.setTimeout(240_000);
  const pagesInBuild = Object.keys(readJson("app-paths-manifest.json")).filter((key) => !INTERNAL.has(key));
  const actionsInBuild = Object.entries(
    readJson("server-reference-manifest.json").node as Record<
      string,
      { filename: string; exportedName: string; workers: Record<string, unknown> }
    >,
  ).map(([id, entry]) => ({
    id,
    key: `${entry.filename}#${entry.exportedName}`,
    worker: Object.keys(entry.workers)[0],
  }));

  // The lists above are complete: nothing in the build is left out, nothing listed is gone.
  expect(pagesInBuild.filter((k) => k.endsWith("/page")).sort()).toEqual(Object.keys(PAGES).sort());
  expect(pagesInBuild.filter((k) => k.endsWith("/route")).sort()).toEqual(Object.keys(ROUTES).sort());
  expect(actionsInBuild.map((a) => a.key).sort()).toEqual(Object.keys(ACTIONS).sort());

  // Someone of each role, signed in from their own address; a dataset so that [id] is real.
  const cookies: Record<Who, string> = { anonymous: "", annotator: "", researcher: "", admin: "" };
  for (const [i, role] of (["annotator", "researcher"] as const).entries()) {
    const email = `matrix-${role}-${Date.now()}@e2e.test`;
    await ecd(["user", "add", "--email", email, "--role", role], "matrix-password-1\n");
    cookies[role] = (await httpSignIn(email, "matrix-password-1", `127.0.1.${i + 1}`)).cookie;
  }
  cookies.admin = (await httpSignIn(E2E_ADMIN.email, E2E_ADMIN.password, "127.0.1.9")).cookie;
  const datasetName = `Matrix ${Date.now()}`;
  await ecd(["dataset", "create", datasetName]);
  const datasetId = (JSON.parse(await ecd(["dataset", "list", "--json"])) as { id: number; name: string }[]).find(
    (d) => d.name === datasetName,
  )!.id;
  const MISSING = "2147483647"; // a well-formed id of nothing: allowed callers get 404
  const url = (key: string) =>
    key
      .replace(/^app/, "")
      .replace(/\/(page|route)$/, "")
      .replace(/\/\([^)/]+\)/g, "") // route groups, e.g. (overview), are not part of the URL
      .replace("[id]", String(datasetId))
      .replace(/\[(jobId|seedId|exportId)\]/g, MISSING) || "/";

  const failures: string[] = [];
  const check = async (what: string, who: Who, scope: Scope | "public", send: () => Promise<RawResponse>) => {
    const before = databaseState();
    const response = await send();
    const want = expected(who, scope);
    const got = outcomeOf(response);
    if (got !== want) failures.push(`${what} as ${who}: expected ${want}, got ${got} (HTTP ${response.status})`);
    if (want !== "allowed" && databaseState() !== before)
      failures.push(`${what} as ${who}: refused but changed the database`);
  };

  for (const who of ["anonymous", "annotator", "researcher", "admin"] as const) {
    const cookie = cookies[who];
    for (const [key, scope] of Object.entries(PAGES)) {
      if (scope === "public") continue; // the sign-in page: checked in security.spec.ts
      await check(`page ${url(key)}`, who, scope, () => rawRequest(url(key), { headers: { cookie } }));
    }
    for (const [key, route] of Object.entries(ROUTES)) {
      const target = route.probe ?? url(key);
      await check(`${route.method} ${target}`, who, route.scope, () =>
        rawRequest(target, {
          method: route.method,
          headers: { cookie, origin: ORIGIN, "content-type": "application/x-www-form-urlencoded" },
          body: route.method === "POST" ? "" : undefined,
        }),
      );
    }
    for (const action of actionsInBuild) {
      // Bad input on purpose: a caller who passes the gate gets a validation message, nothing runs.
      await check(`action ${action.key}`, who, ACTIONS[action.key], () =>
        rawRequest(url(action.worker), {
          method: "POST",
          headers: {
            cookie,
            origin: ORIGIN,
            "next-action": action.id,
            accept: "text/x-component",
            "content-type": "text/plain;charset=UTF-8",
          },
          body: JSON.stringify([{ __matrix: true }]),
        }),
      );
    }
  }
  expect(failures).toEqual([]);
});
