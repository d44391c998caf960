/** Text for eval runs and comparisons (the CLI prints these; the pages show the same numbers). */
import type { Tally } from "../constraints/evaluate.ts";
import type { Interval, RunComparison } from "./compare.ts";
import type { EvalRunResults } from "./runs.ts";

export function percent(x: number): string {
  return Number.isNaN(x) ? "–" : `${(x * 100).toFixed(1)}%`;
}

function tallyText(t: Tally): string {
  return `${percent(t.accuracy)} (${t.correct}/${t.total})`;
}

function intervalText(i: Interval): string {
  return `${percent(i.value)} [${percent(i.low)}, ${percent(i.high)}]`;
}

export function formatEvalRun(r: EvalRunResults): string {
  const lines = [
    `eval run ${r.id} · ${r.status} · ${r.provider}/${r.model} on ${r.benchmark} · ${r.answered}/${r.promptsTotal} answered`,
    `strict  prompt ${tallyText(r.strict.prompt)}  instruction ${tallyText(r.strict.instruction)}`,
    `loose   prompt ${tallyText(r.loose.prompt)}  instruction ${tallyText(r.loose.instruction)}`,
    "",
    "by instruction group (strict, loose):",
    ...Object.entries(r.strict.byGroup).map(
      ([group, t]) => `  ${group.padEnd(48)} ${tallyText(t).padEnd(18)} ${tallyText(r.loose.byGroup[group]!)}`,
    ),
    "",
    "by number of constraints per prompt (prompt-level strict, loose):",
    ...r.byConstraintCount.map(
      (row) => `  ${String(row.constraints).padEnd(48)} ${tallyText(row.strict).padEnd(18)} ${tallyText(row.loose)}`,
    ),
    "",
    "by instruction id (strict, loose):",
    ...Object.entries(r.strict.byId).map(
      ([id, t]) => `  ${id.padEnd(48)} ${tallyText(t).padEnd(18)} ${tallyText(r.loose.byId[id]!)}`,
    ),
  ];
  return `${lines.join("\n")}\n`;
}

export function formatComparison(aId: number, bId: number, c: RunComparison): string {
  const row = (name: string, a: Interval, b: Interval) =>
    `  ${name.padEnd(20)} ${intervalText(a).padEnd(28)} ${intervalText(b)}`;
  const lines = [
    `run ${aId} (A) vs run ${bId} (B) on ${c.paired} paired prompts (95% bootstrap intervals)`,
    `  ${"".padEnd(20)} ${"A".padEnd(28)} B`,
    row("strict prompt", c.a.strictPrompt, c.b.strictPrompt),
    row("strict instruction", c.a.strictInstruction, c.b.strictInstruction),
    row("loose prompt", c.a.loosePrompt, c.b.loosePrompt),
    row("loose instruction", c.a.looseInstruction, c.b.looseInstruction),
    `strict prompt B − A: ${intervalText(c.strictPromptDelta)}`,
    `McNemar (exact): A only ${c.mcnemar.aOnly}, B only ${c.mcnemar.bOnly}, p = ${c.mcnemar.pValue.toPrecision(4)}`,
    "",
    "per instruction id (strict, B − A):",
    ...c.byId.map((d) => `  ${d.id.padEnd(48)} ${percent(d.a).padStart(7)} → ${percent(d.b).padStart(7)}`),
  ];
  return `${lines.join("\n")}\n`;
}
