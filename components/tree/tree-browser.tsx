"use client";

import Link from "next/link";
import { useMemo, useState } from "react";
import type { TreeNode } from "@/lib/review/tree";
import { dropLabel } from "./drop-label";

/** Subtrees below this depth start collapsed, so a deep tree opens short. */
export const OPEN_DEPTH = 2;

/** A colour per job (cycled), so branches of different jobs are told apart at a glance. */
const JOB_COLOURS = [
  "border-l-sky-500",
  "border-l-amber-500",
  "border-l-emerald-500",
  "border-l-fuchsia-500",
  "border-l-rose-500",
  "border-l-indigo-500",
];

export type SeedCounts = { kept: number; dropped: number; byReason: [string, number][] };

/** Kept and dropped candidates of a seed, the drops by reason code (most first). */
export function seedCounts(nodes: readonly TreeNode[]): SeedCounts {
  const byReason = new Map<string, number>();
  let kept = 0;
  for (const node of nodes) {
    if (node.depth === 0) continue;
    if (node.status !== "dropped") kept += 1;
    else byReason.set(node.dropCode ?? "unknown", (byReason.get(node.dropCode ?? "unknown") ?? 0) + 1);
  }
  const dropped = [...byReason.values()].reduce((a, b) => a + b, 0);
  return { kept, dropped, byReason: [...byReason].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0])) };
}

/**
 * The evolution tree of one seed, for real trees: collapsible subtrees (collapsed below
 * OPEN_DEPTH), a job filter and a colour per job, and the seed's kept/dropped counts by reason.
 * Each node links to itself (`?node=`); the page shows it in a detail panel that stays in view.
 */
export function TreeBrowser({
  nodes,
  selectedId,
  hrefBase,
}: {
  nodes: TreeNode[];
  selectedId: number | null;
  /** The tree page's path; a node's link adds `?node=`. */
  hrefBase: string;
}) {
  const children = useMemo(() => {
    const ids = new Set(nodes.map((n) => n.id));
    const children = new Map<number | null, TreeNode[]>();
    for (const node of nodes) {
      const parent = node.parentId !== null && ids.has(node.parentId) ? node.parentId : null;
      const list = children.get(parent);
      if (list) list.push(node);
      else children.set(parent, [node]);
    }
    return children;
  }, [nodes]);
  const jobs = useMemo(
    () => [...new Set(nodes.map((n) => n.jobId).filter((j): j is number => j !== null))].sort((a, b) => a - b),
    [nodes],
  );
  const colourOf = (jobId: number | null) =>
    jobId === null ? "border-l-slate-200" : JOB_COLOURS[jobs.indexOf(jobId) % JOB_COLOURS.length]!;
  const counts = useMemo(() => seedCounts(nodes), [nodes]);

  // The path to the selected node stays open whatever its depth.
  const onPath = useMemo(() => {
    const byId = new Map(nodes.map((n) => [n.id, n]));
    const path = new Set<number>();
    for (
      let n = selectedId !== null ? byId.get(selectedId) : undefined;
      n;
      n = n.parentId !== null ? byId.get(n.parentId) : undefined
    )
      path.add(n.id);
    return path;
  }, [nodes, selectedId]);
  const [toggled, setToggled] = useState<Map<number, boolean>>(new Map());
  const isOpen = (node: TreeNode) => toggled.get(node.id) ?? (node.depth < OPEN_DEPTH || onPath.has(node.id));
  const toggle = (node: TreeNode) => setToggled((t) => new Map(t).set(node.id, !isOpen(node)));

  const [job, setJob] = useState<number | "all">("all");
  // A node is shown when it or one of its descendants belongs to the chosen job (the seed always).
  const visible = useMemo(() => {
    if (job === "all") return null;
    const keep = new Set<number>();
    const byId = new Map(nodes.map((n) => [n.id, n]));
    for (const node of nodes)
      if (node.jobId === job)
        for (
          let n: TreeNode | undefined = node;
          n && !keep.has(n.id);
          n = n.parentId !== null ? byId.get(n.parentId) : undefined
        )
          keep.add(n.id);
    for (const node of nodes) if (node.depth === 0) keep.add(node.id);
    return keep;
  }, [nodes, job]);

  const render = (parent: number | null, depth: number) => {
    const list = children.get(parent)?.filter((n) => !visible || visible.has(n.id));
    if (!list?.length || depth > 256) return null;
    return (
      <ul
        className={depth ? "ml-3 pl-2" : ""}
        role={depth ? "group" : "tree"}
        aria-label={depth ? undefined : "Evolution tree"}
      >
        {list.map((node) => {
          const selected = node.id === selectedId;
          const dropped = node.status === "dropped";
          const hasChildren = children.has(node.id);
          const open = hasChildren && isOpen(node);
          return (
            <li
              key={node.id}
              role="treeitem"
              aria-selected={selected}
              aria-expanded={hasChildren ? open : undefined}
              className={`border-l-4 py-0.5 ${colourOf(node.jobId)}`}
              data-job={node.jobId ?? ""}
            >
              <div className="flex items-start gap-1">
                {hasChildren ? (
                  <button
                    type="button"
                    onClick={() => toggle(node)}
                    aria-label={`${open ? "Collapse" : "Expand"} node #${node.id}`}
                    data-testid={`tree-toggle-${node.id}`}
                    className="mt-1 w-5 shrink-0 rounded text-xs text-slate-500 hover:bg-slate-100"
                  >
                    {open ? "▾" : "▸"}
                  </button>
                ) : (
                  <span className="w-5 shrink-0" />
                )}
                <Link
                  href={`${hrefBase}?node=${node.id}`}
                  scroll={false}
                  data-testid={`tree-node-${node.id}`}
                  className={`block min-w-0 flex-1 rounded px-2 py-1 text-sm ${selected ? "bg-indigo-100 ring-1 ring-indigo-300" : "hover:bg-slate-100"} ${dropped ? "text-slate-400" : "text-slate-800"}`}
                >
                  <span className="mr-1 text-xs font-semibold text-slate-500">
                    {node.depth === 0 ? "seed" : `d${node.depth}`}
                  </span>
                  {node.operation ? (
                    <span className="mr-1 rounded bg-slate-100 px-1 text-xs text-slate-600">
                      {node.operation.replaceAll("_", " ")}
                    </span>
                  ) : null}
                  <span title={node.title}>
                    {node.added !== null
                      ? node.added
                        ? `+ ${node.added}`
                        : "(no words added)"
                      : node.title || "(empty instruction)"}
                  </span>
                  {dropped ? (
                    <span className="ml-1 text-xs text-rose-700">dropped: {node.dropCode ?? "no code"}</span>
                  ) : null}
                  {node.contamination.length ? (
                    <span
                      className="ml-1 rounded bg-amber-100 px-1 text-xs text-amber-900"
                      data-testid="node-contaminated"
                      title="Matches a benchmark set: exports leave its pairs out by default"
                    >
                      contaminated:{" "}
                      {node.contamination
                        .map((m) => `${m.set} #${m.position + 1} (${Math.round(m.overlap * 100)}% overlap, ${m.from})`)
                        .join("; ")}
                    </span>
                  ) : null}
                  {node.pairs.length ? (
                    <span className="ml-1 text-xs text-slate-500">
                      · {node.pairs.length} pair{node.pairs.length === 1 ? "" : "s"} (
                      {[...new Set(node.pairs.map((p) => p.status))].join(", ")})
                    </span>
                  ) : null}
                  {hasChildren && !open ? (
                    <span className="ml-1 text-xs text-slate-400">· {countBelow(children, node.id)} below</span>
                  ) : null}
                </Link>
              </div>
              {open ? render(node.id, depth + 1) : null}
            </li>
          );
        })}
      </ul>
    );
  };

  return (
    <div className="space-y-3">
      <div className="text-xs text-slate-600" data-testid="seed-counts">
        <span className="font-medium text-slate-800">{counts.kept} kept</span> ·{" "}
        <span className="font-medium text-slate-800">{counts.dropped} dropped</span>
        {counts.byReason.length ? (
          <ul className="mt-1 space-y-0.5">
            {counts.byReason.map(([code, n]) => (
              <li key={code} title={dropLabel(code)}>
                <span className="font-mono">{code}</span>: {n}
              </li>
            ))}
          </ul>
        ) : null}
      </div>
      {jobs.length ? (
        <label className="flex items-center gap-2 text-sm">
          <span className="text-slate-700">Job</span>
          <select
            value={job}
            onChange={(e) => setJob(e.target.value === "all" ? "all" : Number(e.target.value))}
            className="rounded-md px-2 py-1 ring-1 ring-slate-300"
          >
            <option value="all">all jobs ({jobs.length})</option>
            {jobs.map((j) => (
              <option key={j} value={j}>
                job #{j}
              </option>
            ))}
          </select>
          <span className="flex gap-1" aria-hidden>
            {jobs.map((j) => (
              <span key={j} className={`inline-block h-3 w-3 border-l-4 ${colourOf(j)}`} title={`job #${j}`} />
            ))}
          </span>
        </label>
      ) : null}
      {render(null, 0) ?? <p className="text-sm text-slate-500">This seed has no nodes yet.</p>}
    </div>
  );
}

function countBelow(children: Map<number | null, TreeNode[]>, id: number): number {
  let n = 0;
  const stack = [...(children.get(id) ?? [])];
  while (stack.length) {
    const node = stack.pop()!;
    n += 1;
    stack.push(...(children.get(node.id) ?? []));
  }
  return n;
}
