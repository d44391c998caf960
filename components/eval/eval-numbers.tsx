import type { AccuracyReport } from "@/lib/constraints/evaluate";
import { percent } from "@/lib/eval/format";

/** The four IFEval numbers: prompt- and instruction-level accuracy, strict and loose. */
export function EvalNumbers({ strict, loose }: { strict: AccuracyReport; loose: AccuracyReport }) {
  const cells = [
    ["Prompt-level strict", strict.prompt],
    ["Instruction-level strict", strict.instruction],
    ["Prompt-level loose", loose.prompt],
    ["Instruction-level loose", loose.instruction],
  ] as const;
  return (
    <dl className="grid grid-cols-2 gap-4 sm:grid-cols-4" data-testid="eval-numbers">
      {cells.map(([label, t]) => (
        <div key={label} className="rounded-lg bg-white p-4 shadow-sm ring-1 ring-slate-200">
          <dt className="text-xs text-slate-500">{label}</dt>
          <dd className="mt-1 text-2xl font-semibold text-slate-900">{percent(t.accuracy)}</dd>
          <dd className="text-xs text-slate-500">
            {t.correct}/{t.total}
          </dd>
        </div>
      ))}
    </dl>
  );
}
