import { z } from "zod";
import { DomainError } from "../../errors.ts";
import { canAccessJob } from "../../auth/dataset-access.ts";
import { findDatasetByName, listDatasets } from "../../datasets/index.ts";
import { getDb } from "../../db/client.ts";
import {
  cancelJob,
  encodeModelChoice,
  explainJob,
  describeMethod,
  formatConstraintRange,
  getJob,
  listJobs,
  listTasks,
  retryFailedTasks,
} from "../../jobs/index.ts";
import { ROLES } from "../../jobs/schemas.ts";
import { MAX_ID } from "../../http/ids.ts";
import { parseCommandArgs } from "../args.ts";
import { type CliCommand, CliError, type CliIO, requireCliScope, viewerOf } from "../command.ts";
import { formatCost, formatDuration } from "../../format.ts";
import { jobLine } from "./generate.ts";

const idSchema = z.coerce
  .number({ error: "must be a job id (a number)" })
  .int("must be a job id (a number)")
  .positive("must be a job id (a number)")
  .max(MAX_ID, `must be a job id (a number up to ${MAX_ID})`);

/** With `--as`, a job of a dataset the user may not see does not exist for them. */
async function visibleJob(io: CliIO, jobId: number): Promise<void> {
  if (!(await canAccessJob(getDb(), viewerOf(io), jobId)))
    throw new DomainError(`Job ${jobId} does not exist`, "not_found");
}

export const jobsCommand: CliCommand = {
  name: "jobs",
  summary: "Generation jobs: list, show, cancel, retry",
  usage: [
    "ecd jobs list [--dataset NAME] [--json]",
    "ecd jobs show ID [--json]      progress, counters and per-task errors",
    "ecd jobs cancel ID             cancel queued tasks now, running ones at their next heartbeat",
    "ecd jobs retry ID              queue the failed and cancelled tasks again",
  ].join("\n"),
  async run(args, io) {
    const [sub, ...rest] = args;
    const db = getDb();
    if (sub === "list") {
      const opts = parseCommandArgs(
        rest,
        { dataset: { type: "string" }, json: { type: "boolean" } },
        z.object({ dataset: z.string().optional(), json: z.boolean().optional() }),
      );
      const datasetId = opts.dataset ? (await findDatasetByName(db, opts.dataset, viewerOf(io))).id : undefined;
      // Only jobs the viewer may see (`--as`): those of no dataset and of datasets visible to them.
      const visible = new Set((await listDatasets(db, viewerOf(io))).map((d) => d.id));
      const jobs = (await listJobs(db, { datasetId })).filter((j) => j.datasetId === null || visible.has(j.datasetId));
      if (opts.json) io.stdout(JSON.stringify(jobs, null, 2) + "\n");
      else if (jobs.length === 0) io.stdout("no jobs\n");
      else for (const job of jobs) io.stdout(`${jobLine(job)} · ${job.pipeline} on "${job.datasetName}"\n`);
      return;
    }
    if (sub === "show") {
      const opts = parseCommandArgs(
        rest,
        { json: { type: "boolean" } },
        z.object({ id: idSchema, json: z.boolean().optional() }),
        ["id"],
      );
      await visibleJob(io, opts.id);
      const job = await getJob(db, opts.id);
      const tasks = await listTasks(db, opts.id, { onlyWithErrors: true });
      const explanation = await explainJob(db, job);
      if (opts.json) {
        io.stdout(
          JSON.stringify(
            {
              ...job,
              explanation,
              taskErrors: tasks.map((t) => ({
                id: t.id,
                seedId: t.seedId,
                status: t.status,
                attempts: t.attempts,
                error: t.error,
              })),
            },
            null,
            2,
          ) + "\n",
        );
        return;
      }
      const p = job.params;
      const lines = [
        jobLine(job),
        `dataset   ${job.datasetName} (id ${job.datasetId})`,
        `pipeline  ${job.pipeline}: ${job.pipeline === "ecd" ? `rounds ${p.rounds}, branches ${p.branches}` : `constraints per prompt ${formatConstraintRange(p.constraintsPerPrompt)}`}, concurrency ${p.concurrency}, max attempts ${p.maxAttempts}`,
        `method    ${describeMethod(job.pipeline, p)}`,
        // In pipeline order: PostgreSQL's jsonb does not keep the stored keys' order.
        `models    ${ROLES.filter((role) => job.models[role])
          .map((role) => `${role}=${encodeModelChoice(job.models[role]!)}`)
          .join(", ")}`,
        `started   ${job.startedAt?.toISOString() ?? "–"}${job.finishedAt ? `, finished ${job.finishedAt.toISOString()} (${formatDuration(job.elapsedSeconds)})` : ""}`,
      ];
      if (job.error) lines.push(`error     ${job.error}`);
      if (explanation.warning) lines.push(`warning   ${explanation.warning}`);
      lines.push(
        `candidates ${explanation.candidates}: kept ${explanation.kept}, dropped ${explanation.dropped}`,
        ...explanation.dropReasons.map(
          (r) =>
            `  ${r.code ?? "uncoded"} ${r.count}: ${r.description}${r.examples[0] ? ` (e.g. node ${r.examples[0].nodeId}: ${r.examples[0].detail ?? ""})` : ""}`,
        ),
      );
      if (explanation.llm.length) {
        lines.push(
          "",
          "LLM calls (provider/role: calls, cached, failed, retries, 429s, 5xx, timeouts, parse failures, tokens, cost):",
        );
        for (const r of explanation.llm)
          lines.push(
            `  ${r.provider}/${r.role}: ${r.calls} calls, ${r.cached} cached, ${r.failed} failed, ${r.retries} retries, ${r.rateLimited} 429s, ${r.serverErrors} 5xx, ${r.timeouts} timeouts, ${r.parseFailures} parse failures, ${r.promptTokens}+${r.completionTokens} tokens, ${formatCost(r.costUsd)}`,
          );
      }
      if (tasks.length) {
        lines.push("", "task errors:");
        for (const t of tasks)
          lines.push(
            `  task ${t.id} (seed ${t.seedId}) ${t.status}, attempt ${t.attempts}/${t.maxAttempts}: ${t.error}`,
          );
      }
      io.stdout(lines.join("\n") + "\n");
      return;
    }
    if (sub === "cancel" || sub === "retry") {
      const opts = parseCommandArgs(rest, {}, z.object({ id: idSchema }), ["id"]);
      requireCliScope(io, "jobs:run");
      await visibleJob(io, opts.id);
      if (sub === "cancel") {
        const result = await cancelJob(db, opts.id, null);
        io.stdout(
          `cancelled job ${opts.id} (${result.cancelledTasks} queued task(s) cancelled; running ones stop at their next heartbeat)\n`,
        );
      } else {
        const result = await retryFailedTasks(db, opts.id, null);
        io.stdout(`queued ${result.requeued} task(s) of job ${opts.id} again\n`);
      }
      return;
    }
    throw new CliError(`unknown jobs command "${sub ?? ""}"; expected list, show, cancel or retry`);
  },
};
