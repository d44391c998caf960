import { Markdown } from "./markdown";
import { keyHelp, type ReviewMode } from "./review-keys";

export function HelpPanel({
  guidelines,
  reviewMode,
  onClose,
}: {
  guidelines: string;
  reviewMode: ReviewMode;
  onClose: () => void;
}) {
  return (
    <div
      role="dialog"
      aria-label="Keyboard shortcuts"
      className="mb-4 grid gap-4 rounded-lg bg-white p-4 shadow ring-1 ring-slate-200 md:grid-cols-2"
    >
      <div>
        <h2 className="mb-2 text-sm font-semibold">Keys</h2>
        <dl className="space-y-1 text-sm">
          {keyHelp(reviewMode).map(([key, what]) => (
            <div key={key} className="flex gap-3">
              <dt className="w-14 font-mono font-semibold">{key}</dt>
              <dd className="text-slate-700">{what}</dd>
            </div>
          ))}
        </dl>
        <p className="mt-2 text-xs text-slate-500">Shortcuts are off while you type in a field.</p>
      </div>
      <div>
        <h2 className="mb-2 text-sm font-semibold">Guidelines</h2>
        {guidelines.trim() ? (
          <Markdown text={guidelines} />
        ) : (
          <p className="text-sm text-slate-500">This dataset has no guidelines yet.</p>
        )}
        <button type="button" onClick={onClose} className="mt-3 text-sm text-indigo-700 underline">
          Close (Esc)
        </button>
      </div>
    </div>
  );
}
