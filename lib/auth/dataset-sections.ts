import { hasScope, type Scope } from "./roles.ts";

/**
 * A dataset's sections and the scope each page asks for (its loadDatasetPage call uses the same
 * scope): the one place that decides which links a person sees, so nobody is shown a link or a
 * button that would answer 403.
 */
export const DATASET_SECTIONS = [
  { segment: "review", label: "Review", scope: "pairs:review" },
  { segment: "pairs", label: "Pairs", scope: "datasets:read" },
  { segment: "adjudication", label: "Adjudication", scope: "pairs:bulk" },
  { segment: "trees", label: "Trees", scope: "datasets:read" },
  { segment: "jobs", label: "Jobs", scope: "datasets:read" },
  { segment: "generate", label: "Generate", scope: "jobs:run" },
  { segment: "import", label: "Import", scope: "datasets:manage" },
  { segment: "export", label: "Export", scope: "exports:create" },
  { segment: "settings", label: "Settings", scope: "datasets:manage" },
] as const satisfies readonly { segment: string; label: string; scope: Scope }[];

export type DatasetSection = (typeof DATASET_SECTIONS)[number];

/** The sections this role may open. */
export function sectionsFor(role: string): DatasetSection[] {
  return DATASET_SECTIONS.filter((section) => hasScope(role, section.scope));
}
