import type { ConstraintView, Verdict } from "@/lib/review/types";

/** A constraint as a chip: its registry id (verifiable) or "free-form", with its text on hover. */
export function ConstraintChip({ constraint }: { constraint: ConstraintView }) {
  const { isNew } = constraint;
  const verifiable = constraint.kind === "verifiable";
  return (
    <span
      title={constraint.label}
      data-testid="constraint-chip"
      className={`inline-flex max-w-full items-center gap-1 truncate rounded-full px-2 py-0.5 text-xs ring-1 ring-inset ${
        isNew ? "bg-indigo-50 text-indigo-800 ring-indigo-300" : "bg-slate-50 text-slate-700 ring-slate-200"
      }`}
    >
      {isNew ? <span className="font-semibold">new</span> : null}
      <span className="truncate font-mono">{verifiable ? constraint.id : "free-form"}</span>
    </span>
  );
}

/** Pass / fail / unknown for one constraint of one response; says who decided (code or judge). */
export function VerdictBadge({ verdict, testId }: { verdict: Verdict | undefined; testId?: string }) {
  const passed = verdict?.passed ?? null;
  const label = passed === null ? "unknown" : passed ? "pass" : "fail";
  const style =
    passed === null
      ? "bg-slate-100 text-slate-600"
      : passed
        ? "bg-emerald-100 text-emerald-800"
        : "bg-rose-100 text-rose-800";
  const by = verdict?.by === "judge" ? "judge" : verdict?.by === "code" ? "code" : null;
  return (
    <span
      data-testid={testId}
      data-passed={passed === null ? "unknown" : String(passed)}
      title={verdict?.reason ?? (by ? `checked by ${by}` : undefined)}
      className={`inline-flex items-center gap-1 rounded px-1.5 py-0.5 text-xs font-medium ${style}`}
    >
      {passed === null ? "?" : passed ? "✓" : "✗"} {label}
      {by ? <span className="font-normal opacity-70">· {by}</span> : null}
    </span>
  );
}

const STATUS_STYLE: Record<string, string> = {
  pending: "bg-amber-100 text-amber-800",
  accepted: "bg-emerald-100 text-emerald-800",
  rejected: "bg-rose-100 text-rose-800",
  adjudication: "bg-violet-100 text-violet-800",
};

export function StatusBadge({ status }: { status: string }) {
  return (
    <span
      className={`inline-flex rounded px-1.5 py-0.5 text-xs font-medium ${STATUS_STYLE[status] ?? "bg-slate-100 text-slate-700"}`}
    >
      {status}
    </span>
  );
}

export function Kbd({ children }: { children: string }) {
  return (
    <kbd className="ml-1 rounded border border-current/30 px-1 font-mono text-[11px] leading-4 opacity-80">
      {children}
    </kbd>
  );
}
