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
    "license: other",
    "pretty_name: " + y(manifest.dataset.name),
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
  return [...front, ...body].join("\n").trimEnd() + "\n";
}
