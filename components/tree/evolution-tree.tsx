import Link from "next/link";
import type { TreeNode } from "@/lib/review/tree";

/**
 * The evolution tree of one seed as nested lists: each node links to itself (`?node=`), shows
 * its depth, operation and pairs; dropped candidates stay visible, struck through, with their reason.
 */
export function EvolutionTree({
  nodes,
  selectedId,
  hrefFor,
}: {
  nodes: TreeNode[];
  selectedId: number | null;
  hrefFor: (nodeId: number) => string;
}) {
  const children = new Map<number | null, TreeNode[]>();
  const ids = new Set(nodes.map((n) => n.id));
  for (const node of nodes) {
    const parent = node.parentId !== null && ids.has(node.parentId) ? node.parentId : null;
    children.set(parent, [...(children.get(parent) ?? []), node]);
  }
  const render = (parent: number | null, depth: number) => {
    const list = children.get(parent);
    if (!list?.length || depth > 64) return null;
    return (
      <ul
        className={depth ? "ml-4 border-l border-slate-200 pl-3" : ""}
        role={depth ? "group" : "tree"}
        aria-label={depth ? undefined : "Evolution tree"}
      >
        {list.map((node) => {
          const selected = node.id === selectedId;
          const dropped = node.status === "dropped";
          return (
            <li
              key={node.id}
              role="treeitem"
              aria-selected={selected}
              aria-expanded={children.has(node.id) ? true : undefined}
              className="py-0.5"
            >
              <Link
                href={hrefFor(node.id)}
                scroll={false}
                data-testid={`tree-node-${node.id}`}
                className={`block rounded px-2 py-1 text-sm ${selected ? "bg-indigo-100 ring-1 ring-indigo-300" : "hover:bg-slate-100"} ${dropped ? "text-slate-400" : "text-slate-800"}`}
              >
                <span className="mr-1 text-xs font-semibold text-slate-500">
                  {node.depth === 0 ? "seed" : `d${node.depth}`}
                </span>
                {node.operation ? (
                  <span className="mr-1 rounded bg-slate-100 px-1 text-xs text-slate-600">
                    {node.operation.replaceAll("_", " ")}
                  </span>
                ) : null}
                <span className={dropped ? "line-through" : ""} title={node.title}>
                  {node.added !== null
                    ? node.added
                      ? `+ ${node.added}`
                      : "(no words added)"
                    : node.title || "(empty instruction)"}
                </span>
                {dropped ? (
                  <span className="ml-1 text-xs text-rose-700">
                    dropped{node.dropReason ? `: ${node.dropReason}` : ""}
                  </span>
                ) : null}
                {node.pairs.length ? (
                  <span className="ml-1 text-xs text-slate-500">
                    · {node.pairs.length} pair{node.pairs.length === 1 ? "" : "s"} (
                    {[...new Set(node.pairs.map((p) => p.status))].join(", ")})
                  </span>
                ) : null}
              </Link>
              {render(node.id, depth + 1)}
            </li>
          );
        })}
      </ul>
    );
  };
  return render(null, 0) ?? <p className="text-sm text-slate-500">This seed has no nodes yet.</p>;
}
