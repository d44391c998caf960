import { execFileSync } from "node:child_process";
import { createHash } from "node:crypto";
import type { Db } from "../../db/client.ts";
import {
  correctionMessages,
  evolutionMessages,
  judgeMessages,
  keywordMessages,
  responderMessages,
  studentMessages,
} from "../../evolution/prompts.ts";
import { EVOLUTION_OPERATIONS } from "../../evolution/types.ts";
import { loadProviders, RULE_BASED_PROVIDER } from "../../llm/providers.ts";
import { inSlices } from "../chunks.ts";

/**
 * What the manifest says about where an export's pairs came from: the app's commit, the jobs with
 * their pipeline, parameters and models, the prompt templates and the seed files.
 */

let commit: string | null | undefined;

/** The git commit the app runs from (ECD_GIT_COMMIT, else `git rev-parse HEAD` in a checkout), else null. */
export function gitCommit(): string | null {
  if (commit !== undefined) return commit;
  const fromEnv = process.env.ECD_GIT_COMMIT?.trim();
  if (fromEnv) return (commit = fromEnv);
  try {
    const head = execFileSync("git", ["rev-parse", "HEAD"], { stdio: ["ignore", "pipe", "ignore"], timeout: 5000 })
      .toString()
      .trim();
    commit = /^[0-9a-f]{40}$/.test(head) ? head : null;
  } catch {
    commit = null;
  }
  return commit;
}

const sha256 = (value: unknown) => createHash("sha256").update(JSON.stringify(value)).digest("hex");

/**
 * A sha256 per prompt template of this build, taken over the messages it renders for placeholder
 * inputs: a changed wording changes the hash, and two exports made by the same templates agree.
 */
export function promptTemplateHashes(): Record<string, string> {
  const hashes: Record<string, string> = {
    responder: sha256(responderMessages("{instruction}")),
    student: sha256(studentMessages("{prompt}")),
    judge: sha256(judgeMessages("{instruction}", "{response}", "{requirement}")),
    keywords: sha256(keywordMessages("{seed}")),
    correction: sha256(correctionMessages("{prompt}", "{response}", "{requirement}")),
  };
  for (const operation of EVOLUTION_OPERATIONS)
    hashes[`evolution:${operation}`] = sha256(evolutionMessages("{instruction}", [], operation));
  return hashes;
}

export type ManifestProvider = { name: string; baseUrlHost: string | null };

export type ManifestJob = {
  id: number;
  kind: string;
  pipeline: string | null;
  status: string;
  /** The job's parameters as stored (random seed, rounds, sampling…). */
  params: unknown;
  /** Role → provider and model. */
  models: Record<string, { provider: string; model: string }>;
  /** The providers the roles name: name and base-URL host only, never a key. */
  providers: ManifestProvider[];
  createdAt: string;
};

function hostOf(url: string): string | null {
  try {
    return new URL(url).host;
  } catch {
    return null;
  }
}

/** The jobs that made the exported pairs or their responses. */
export async function manifestJobs(db: Db, jobIds: Iterable<number>): Promise<ManifestJob[]> {
  const ids = [...new Set(jobIds)].sort((a, b) => a - b);
  if (ids.length === 0) return [];
  const rows = await inSlices(ids, (slice) =>
    db.job.findMany({
      where: { id: { in: slice } },
      select: { id: true, kind: true, pipeline: true, status: true, params: true, models: true, createdAt: true },
    }),
  );
  let configured: { name: string; baseUrl: string }[] = [];
  try {
    configured = loadProviders();
  } catch {
    // A broken providers file must not stop an export; hosts are then unknown.
  }
  return rows
    .sort((a, b) => a.id - b.id)
    .map((job) => {
      const models = (job.models ?? {}) as Record<string, { provider: string; model: string }>;
      const names = [...new Set(Object.values(models).map((m) => m.provider))].sort();
      return {
        id: job.id,
        kind: job.kind,
        pipeline: job.pipeline,
        status: job.status,
        params: job.params,
        models,
        providers: names.map((name) => {
          const provider = configured.find((p) => p.name === name);
          return {
            name,
            baseUrlHost: name === RULE_BASED_PROVIDER || !provider ? null : hostOf(provider.baseUrl),
          };
        }),
        createdAt: job.createdAt.toISOString(),
      };
    });
}

export type SeedSource = {
  /** The import's id (its audit event). */
  importId: number;
  fileName: string | null;
  sha256: string | null;
  format: string | null;
  shape: string | null;
  rows: number | null;
  imported: number | null;
  importedAt: string;
};

/** The seed files imported into the dataset, as each import recorded them. */
export async function seedSources(db: Db, datasetId: number): Promise<SeedSource[]> {
  const events = await db.auditEvent.findMany({
    where: { action: "seeds.import", entityType: "dataset", entityId: String(datasetId) },
    orderBy: { id: "asc" },
    select: { id: true, data: true, createdAt: true },
  });
  return events.map((event) => {
    const data = (event.data ?? {}) as Record<string, unknown>;
    const str = (key: string) => (typeof data[key] === "string" ? (data[key] as string) : null);
    const num = (key: string) => (typeof data[key] === "number" ? (data[key] as number) : null);
    return {
      importId: event.id,
      fileName: str("fileName"),
      sha256: str("sha256"),
      format: str("format"),
      shape: str("shape"),
      rows: num("records"),
      imported: num("imported"),
      importedAt: event.createdAt.toISOString(),
    };
  });
}
