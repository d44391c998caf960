import type { ExportManifest } from "./export.ts";
import { EXPORT_FORMAT_LABELS } from "./formats.ts";

/** Hugging Face size category for a row count. */
export function sizeCategory(n: number): string {
  if (n < 1_000) return "n<1K";
  if (n < 10_000) return "1K<n<10K";
  if (n < 100_000) return "10K<n<100K";
  if (n < 1_000_000) return "100K<n<1M";
  if (n < 10_000_000) return "1M<n<10M";
  if (n < 100_000_000) return "10M<n<100M";
  return "100M<n<1B";
}

/** A YAML scalar: JSON strings are valid double-quoted YAML scalars. */
const y = (value: string) => JSON.stringify(value);

function yamlMap(name: string, counts: Record<string, number>): string[] {
  const entries = Object.entries(counts);
  if (entries.length === 0) return [`  ${name}: {}`];
  return [`  ${name}:`, ...entries.map(([k, v]) => `    ${y(k)}: ${v}`)];
}

function table(
  title: string,
  header: string,
  counts: Record<string, number>,
  sort: (a: [string, number], b: [string, number]) => number,
): string[] {
  const rows = Object.entries(counts).sort(sort);
  if (rows.length === 0) return [];
  return [
    `### ${title}`,
    "",
    `| ${header} | pairs |`,
    "| --- | ---: |",
    ...rows.map(([key, n]) => `| ${key.replace(/\|/g, "\\|")} | ${n} |`),
    "",
  ];
}

const TAGS: Record<ExportManifest["format"], string[]> = {
  "trl-dpo": ["dpo", "preference", "trl"],
  "trl-dpo-conversational": ["dpo", "preference", "trl", "conversational"],
  "openai-dpo": ["dpo", "preference", "openai"],
  sft: ["sft"],
  chains: ["evolution-tree", "preference"],
};

/** Licence ids the Hub accepts as `license:` (lower-case SPDX-like ids); anything else is `other`. */
const HUB_LICENCE = /^[a-z0-9][a-z0-9.+-]*$/;

/** The card's licence keys: the dataset's licence setting, else `other` with a name and link to fill in. */
export function licenceFields(licence: string | undefined): string[] {
  const value = (licence ?? "").trim();
  if (value && HUB_LICENCE.test(value.toLowerCase()) && value.toLowerCase() !== "other")
    return [`license: ${y(value.toLowerCase())}`];
  return ["license: other", `license_name: ${y(value || "not-stated")}`, `license_link: ${y("LICENSE")}`];
}

const CITATIONS = [
  "```bibtex",
  "@article{katzsamuels2024ecd,",
  "  title   = {Evolutionary Contrastive Distillation for Language Model Alignment},",
  "  author  = {Katz-Samuels, Julian and others},",
  "  journal = {arXiv preprint arXiv:2410.07513},",
  "  year    = {2024}",
  "}",
  "@article{he2024complex,",
  "  title   = {From Complex to Simple: Enhancing Multi-Constraint Complex Instruction Following Ability of Large Language Models},",
  "  author  = {He, Qianyu and others},",
  "  journal = {arXiv preprint arXiv:2404.15846},",
  "  year    = {2024}",
  "}",
  "```",
];

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? "" : "s"}`;
}

/** How the pairs were made, from the manifest's jobs and generator counts (only what is recorded). */
function provenanceSection(manifest: ExportManifest): string[] {
  const { counts } = manifest;
  const jobs = manifest.jobs ?? [];
  const lines = ["## How the pairs were made", ""];
  if (jobs.length === 0)
    lines.push("No generation job is recorded for these pairs (they were made by hand or imported).");
  for (const job of jobs) {
    const models = Object.entries(job.models)
      .map(([role, m]) => `${role}: ${m.model ? `${m.provider}/${m.model}` : m.provider}`)
      .join(", ");
    lines.push(`- Job ${job.id}: ${job.pipeline ?? job.kind} pipeline${models ? ` (${models})` : ""}.`);
  }
  lines.push("");
  const gen = counts.byGenerator ?? {};
  const parts = Object.entries(gen)
    .sort((a, b) => b[1] - a[1])
    .map(([g, n]) => `${n} ${g}`);
  if (parts.length)
    lines.push(
      `Chosen responses by generator: ${parts.join(", ")}. Rule-based responses are deterministic repairs written by code, not by a model; human responses are reviewers' edits.`,
      "",
    );
  lines.push(`Pairs carrying a human edit of the prompt or a response: ${counts.edited ?? 0}.`, "");
  const sources = manifest.seedSources ?? [];
  if (sources.length) {
    lines.push("Seed files:", "");
    for (const s of sources)
      lines.push(
        `- \`${s.fileName ?? "(unnamed upload)"}\`${s.format ? ` (${s.format})` : ""}: ${s.rows ?? "?"} rows${s.sha256 ? `, sha256 \`${s.sha256}\`` : ""}`,
      );
    lines.push("");
  }
  return lines;
}

/**
 * A Hugging Face dataset card (README.md with YAML front matter: tags, size category, task,
 * the data file, and the counts by method, depth and constraint id) for one export.
 */
export function datasetCard(manifest: ExportManifest): string {
  const { counts } = manifest;
  const rows = counts.lines;
  const tags = ["synthetic", "instruction-following", "ecd-studio", ...TAGS[manifest.format]];
  const front = [
    "---",
    "language:",
    "- en",
    ...licenceFields(manifest.licence),
    "pretty_name: " + y(manifest.dataset.name),
    "annotations_creators:",
    "- machine-generated",
    // Reviewed pairs carry a person's decision.
    ...((counts.byStatus.accepted ?? 0) + (counts.byStatus.rejected ?? 0) > 0 ? ["- expert-generated"] : []),
    "source_datasets:",
    ...((manifest.seedSources ?? []).length
      ? (manifest.seedSources ?? []).map((s) => `- ${y(s.fileName ?? "original")}`)
      : ["- original"]),
    "tags:",
    ...tags.map((t) => `- ${y(t)}`),
    "size_categories:",
    `- ${y(sizeCategory(rows))}`,
    "task_categories:",
    "- text-generation",
    "configs:",
    "- config_name: default",
    "  data_files:",
    "  - split: train",
    `    path: ${y(manifest.fileName)}`,
    "ecd_studio:",
    `  format: ${y(manifest.format)}`,
    `  app_version: ${y(manifest.appVersion)}`,
    `  created_at: ${y(manifest.createdAt)}`,
    `  sha256: ${y(manifest.sha256)}`,
    `  rows: ${rows}`,
    `  pairs: ${counts.pairs}`,
    ...yamlMap("pairs_by_method", counts.byMethod),
    ...yamlMap("pairs_by_depth", counts.byDepth),
    ...yamlMap("pairs_by_constraint", counts.byConstraint),
    ...(counts.lengthRatio
      ? [
          "  length_ratio:",
          `    pairs: ${counts.lengthRatio.pairs}`,
          `    geometric_mean: ${counts.lengthRatio.mean === null ? "null" : counts.lengthRatio.mean.toFixed(4)}`,
          `    chosen_longer_share: ${counts.lengthRatio.chosenLonger === null ? "null" : counts.lengthRatio.chosenLonger.toFixed(4)}`,
        ]
      : []),
    `  overrides: ${counts.overrides ?? 0}`,
    ...(counts.byGenerator ? yamlMap("pairs_by_generator", counts.byGenerator) : []),
    ...(manifest.heldOut
      ? [
          "  held_out:",
          `    share: ${manifest.heldOut.share}`,
          `    seeds: ${manifest.heldOut.seeds}`,
          `    pairs_left_out: ${manifest.heldOut.pairs}`,
        ]
      : []),
    ...(manifest.decontamination
      ? [
          "  decontamination:",
          `    sets_checked: [${manifest.decontamination.sets.map((set) => y(set.name)).join(", ")}]`,
          `    contaminated_pairs: ${manifest.decontamination.contaminatedPairs}`,
          `    pairs_removed: ${manifest.decontamination.removedPairs}`,
        ]
      : []),
    ...(manifest.app?.commit ? [`  git_commit: ${y(manifest.app.commit)}`] : []),
    "---",
  ];
  const filters = Object.entries(manifest.filters)
    .filter(([, v]) => v !== undefined)
    .map(([k, v]) => `${k}=${String(v)}`)
    .join(", ");
  const body = [
    "",
    `# ${manifest.dataset.name}`,
    "",
    `Preference data for complex instruction following, curated in ECD Studio ${manifest.appVersion} and exported as **${EXPORT_FORMAT_LABELS[manifest.format]}** (\`${manifest.format}\`).`,
    "",
    `- File: \`${manifest.fileName}\` (${rows} line${rows === 1 ? "" : "s"}, ${manifest.byteSize} bytes, sha256 \`${manifest.sha256}\`)`,
    `- Pairs: ${counts.pairs}${counts.trees !== undefined ? ` in ${counts.trees} evolution trees` : ""}`,
    `- Filters: ${filters || "none"}`,
    `- Exported: ${manifest.createdAt}`,
    "",
    "Pairs come from Evolutionary Contrastive Distillation (`ecd`: the response to the previous, simpler instruction is the hard negative) and from complex-to-simple correction (`c2s`: the teacher's corrected response is chosen, the student's original is rejected). Human edits made during review replace the generated text.",
    "",
    "## Length bias",
    "",
    counts.lengthRatio && counts.lengthRatio.pairs
      ? `The chosen response is longer than the rejected one in ${Math.round((counts.lengthRatio.chosenLonger ?? 0) * 100)}% of the ${counts.lengthRatio.pairs} pairs (geometric mean chosen/rejected word ratio ${counts.lengthRatio.mean?.toFixed(2)}). A model trained on these pairs may learn to prefer longer answers; \`--max-length-ratio R\` exports only pairs with 1/R ≤ ratio ≤ R.`
      : "No length ratio (no pairs with text on both sides).",
    "",
    `Accepted pairs whose chosen response fails a code-checked constraint (reviewer overrides): ${counts.overrides ?? 0}.`,
    "",
    ...provenanceSection(manifest),
    "## Review",
    "",
    `Pairs by review status: ${
      Object.entries(counts.byStatus)
        .map(([k, n]) => `${k} ${n}`)
        .join(", ") || "none"
    }. Pairs waiting for adjudication are never exported. Reviewers appear in \`metadata.jsonl\` as per-dataset pseudonyms.`,
    "",
    "## Held-out seeds",
    "",
    manifest.heldOut
      ? `Held out for evaluation: ${plural(manifest.heldOut.seeds, "seed")} of the dataset (share ${manifest.heldOut.share}). Held-out seeds are never exported: ${plural(manifest.heldOut.pairs, "pair")} matching the filters left out.`
      : "No held-out split is recorded.",
    "",
    "## Decontamination",
    "",
    decontaminationText(manifest),
    "",
    "## Files",
    "",
    ...(manifest.files ?? []).map((f) => `- \`${f.name}\` (${f.kind}): ${f.byteSize} bytes, sha256 \`${f.sha256}\``),
    "- `manifest.json`: the full provenance (jobs, parameters, models, prompt template hashes, seed files, filters, counts).",
    "",
    "## Counts",
    "",
    ...table("By method", "method", counts.byMethod, (a, b) => a[0].localeCompare(b[0])),
    ...table("By depth", "depth", counts.byDepth, (a, b) => Number(a[0]) - Number(b[0])),
    ...table(
      "By constraint id",
      "constraint id",
      counts.byConstraint,
      (a, b) => b[1] - a[1] || a[0].localeCompare(b[0]),
    ),
  ];
  return [...front, ...body, "", "## Citation", "", ...CITATIONS].join("\n").trimEnd() + "\n";
}

/** What the decontamination checked and removed, for the card's body. */
function decontaminationText(manifest: ExportManifest): string {
  const d = manifest.decontamination;
  if (!d) return "No decontamination was recorded for this export.";
  const sets = d.sets.map((set) => `${set.name} (${plural(set.prompts, "prompt")})`).join(", ") || "no benchmark set";
  const perSet = Object.entries(d.pairsBySet)
    .map(([name, n]) => `${name} ${n}`)
    .join(", ");
  const how =
    "Every seed, evolved instruction and human-edited prompt was checked after normalisation (Unicode NFKC, lower case, punctuation removed) and removal of constraint boilerplate: a prompt is contaminated when what remains equals a benchmark prompt's remainder or shares a word 13-gram with it, and a pair is contaminated when its prompt, an ancestor instruction or its seed is.";
  if (d.contaminatedPairs === 0) return `Checked against ${sets}. ${how} No pair matching the filters is contaminated.`;
  return d.allowContaminated
    ? `Checked against ${sets}. ${how} **${plural(d.contaminatedPairs, "contaminated pair")} kept** (exported with --allow-contaminated; per set: ${perSet}). Do not evaluate a model trained on this file on those sets.`
    : `Checked against ${sets}. ${how} ${plural(d.removedPairs, "contaminated pair")} removed (per set: ${perSet}).`;
}
