import { dropLabel } from "@/components/tree/drop-label";

/**
 * Why a candidate was dropped: the drop code with its sentence, the detail the pipeline wrote, and
 * the evolver's reply as the model wrote it (shown as text, never rendered), when a model answered.
 */
export function DropDetail({
  dropCode,
  dropReason,
  rawReply,
}: {
  dropCode: string | null;
  dropReason: string | null;
  rawReply: string | null;
}) {
  return (
    <div className="space-y-2">
      <div className="rounded-md bg-rose-50 px-3 py-2 text-rose-800" data-testid="drop-reason">
        <p>
          Dropped ({dropCode ?? "no code"}): {dropLabel(dropCode)}
        </p>
        {dropReason ? <p className="mt-1 text-rose-900">{dropReason}</p> : null}
      </div>
      <div>
        <h3 className="mb-1 text-xs font-semibold uppercase tracking-wide text-slate-500">The evolver&apos;s reply</h3>
        {rawReply !== null ? (
          <pre
            className="max-h-64 overflow-auto whitespace-pre-wrap break-words rounded-md bg-slate-50 p-2 font-mono text-xs text-slate-800"
            data-testid="drop-raw-reply"
          >
            {rawReply}
          </pre>
        ) : (
          <p className="text-xs text-slate-500" data-testid="drop-raw-reply-none">
            None recorded (a rule-based evolver, a call that failed, or a run from before replies were kept).
          </p>
        )}
      </div>
    </div>
  );
}
