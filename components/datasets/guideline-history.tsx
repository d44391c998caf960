import { Markdown } from "@/components/review/markdown";
import { formatDateTime } from "@/lib/format";

export type GuidelineVersionItem = { version: number; text: string; author: string | null; createdAt: Date };

/** Every saved version of the guidelines, newest first, each rendered like responses. */
export function GuidelineHistory({ versions }: { versions: readonly GuidelineVersionItem[] }) {
  if (versions.length === 0) return <p className="text-sm text-slate-500">No guidelines saved yet.</p>;
  return (
    <ol className="space-y-2" aria-label="Guideline versions">
      {versions.map((v) => (
        <li key={v.version}>
          <details open={v === versions[0]}>
            <summary className="cursor-pointer text-sm">
              <span className="font-medium">Version {v.version}</span>{" "}
              <span className="text-slate-500">
                · {formatDateTime(v.createdAt)}
                {v.author ? ` · ${v.author}` : ""}
              </span>
            </summary>
            <div className="mt-1 rounded-md bg-slate-50 p-2">
              <Markdown text={v.text} />
            </div>
          </details>
        </li>
      ))}
    </ol>
  );
}
