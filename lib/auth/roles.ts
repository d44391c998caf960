import { z } from "zod";

/** Who a user is in the app. Roles only matter through the scopes they grant. */
export const ROLES = ["admin", "researcher", "annotator"] as const;
export type Role = (typeof ROLES)[number];
export const roleSchema = z.enum(ROLES);

export const SCOPES = [
  "account:own",
  "datasets:read",
  "datasets:all",
  "pairs:review",
  "pairs:bulk",
  "datasets:manage",
  "jobs:run",
  "exports:create",
  "users:manage",
] as const;
export type Scope = (typeof SCOPES)[number];

// account:own — one's own password and sessions (/account).
const ANNOTATOR: readonly Scope[] = ["account:own", "datasets:read", "pairs:review"];
// datasets:all — every dataset; without it, only the datasets one is a member of (lib/auth/dataset-access.ts).
const RESEARCHER: readonly Scope[] = [
  ...ANNOTATOR,
  "datasets:all",
  "pairs:bulk",
  "datasets:manage",
  "jobs:run",
  "exports:create",
];
const ADMIN: readonly Scope[] = [...RESEARCHER, "users:manage"];

export const ROLE_SCOPES: Record<Role, ReadonlySet<Scope>> = {
  annotator: new Set(ANNOTATOR),
  researcher: new Set(RESEARCHER),
  admin: new Set(ADMIN),
};

export function hasScope(role: string, scope: Scope): boolean {
  return ROLE_SCOPES[role as Role]?.has(scope) ?? false;
}

export const ROLE_DESCRIPTIONS: Record<Role, string> = {
  admin: "Everything, including managing users and roles",
  researcher: "Datasets, generation jobs, bulk review and exports",
  annotator: "Reviews pairs",
};
