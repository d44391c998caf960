"use client";

import type { ColumnDef, RowSelectionState, SortingState, Updater, VisibilityState } from "@tanstack/react-table";
import Link from "next/link";
import { useRouter } from "next/navigation";
import { useMemo, useState, useTransition } from "react";
import { bulkDecideAction, countSelectionAction } from "@/app/datasets/[id]/pairs/actions";
import { DataTable } from "@/components/tables/data-table";
import { ChoiceGroup } from "@/components/ui/choice-group";
import {
  HIDEABLE_COLUMNS,
  pairQueryToParams,
  PAIR_SORTS,
  type PairFilter,
  type PairQuery,
  type PairSort,
} from "@/lib/review/pair-query";
import type { PairRow, VerdictSummary } from "@/lib/review/query";
import { PAIR_METHODS, PAIR_STATUSES } from "@/lib/domain";
import { formatCount, formatCounted } from "@/lib/format";
import { StatusBadge } from "./badges";

/**
 * The pairs table: every control writes the table state into the URL (filters, sort, cursor,
 * page size, hidden columns) and the server page answers with the rows. Rows open the review
 * screen. People with pairs:bulk can accept or reject the ticked rows or everything the filter
 * matches, after a confirmation that states the exact count.
 */

export type PairsTableProps = {
  datasetId: number;
  rows: PairRow[];
  nextCursor: string | null;
  prevCursor: string | null;
  total: number | null;
  datasetTotal: number;
  query: PairQuery;
  hidden: string[];
  errors: string[];
  reviewers: { id: number; email: string }[];
  jobs: { id: number; pipeline: string; status: string }[];
  constraintIds: readonly string[];
  canBulk: boolean;
};

function filterOnly(query: PairQuery): PairFilter {
  const { sort: _s, dir: _d, after: _a, before: _b, size: _z, ...filter } = query;
  return filter;
}

export function describeFilter(filter: PairFilter): string {
  const parts: string[] = [];
  if (filter.ids?.length) parts.push(`${filter.ids.length} ticked row${filter.ids.length === 1 ? "" : "s"}`);
  if (filter.status?.length) parts.push(`status ${filter.status.join(" or ")}`);
  if (filter.method?.length) parts.push(`method ${filter.method.join(" or ")}`);
  if (filter.depth?.length) parts.push(`depth ${filter.depth.join(" or ")}`);
  if (filter.cid?.length) parts.push(`constraints ${filter.cid.join(" and ")}`);
  if (filter.maxDepth !== undefined) parts.push(`depth ≤ ${filter.maxDepth}`);
  if (filter.minReviews) parts.push(`≥ ${filter.minReviews} reviews`);
  if (filter.chosen)
    parts.push(`chosen ${filter.chosen === "pass" ? "passes every constraint" : "fails a constraint"}`);
  if (filter.rejected)
    parts.push(`rejected ${filter.rejected === "fail" ? "fails a constraint" : "fails a new constraint"}`);
  if (filter["hard-negative"]) parts.push("hard negatives");
  if (filter.unknown) parts.push("some verdict unknown");
  if (filter["no-override"]) parts.push("no overrides");
  if (filter["has-comments"]) parts.push("with comments");
  if (filter.contamination) parts.push(filter.contamination === "contaminated" ? "contaminated" : "not contaminated");
  if (filter["max-length-ratio"] !== undefined) parts.push(`length ratio within ${filter["max-length-ratio"]}×`);
  if (filter.reviewer) parts.push(`reviewed by user #${filter.reviewer}`);
  if (filter.job) parts.push(`job #${filter.job}`);
  if (filter.q) parts.push(`text “${filter.q}”`);
  return parts.length ? parts.join(" · ") : "all pairs of the dataset";
}

/** One side's verdicts from the pair's stored record: passed/total, with failures and unknowns named. */
function Checks({ value }: { value: VerdictSummary }) {
  if (!value.total) return <span className="text-slate-400">—</span>;
  const color =
    value.outcome === "pass" ? "text-emerald-700" : value.outcome === "fail" ? "text-rose-700" : "text-amber-700";
  return (
    <span
      className={`tabular-nums ${color}`}
      data-outcome={value.outcome}
      title={`${value.failed} fail, ${value.unknown} unknown`}
    >
      {`${value.passed}/${value.total}`}
      {value.unknown ? ` (${value.unknown}?)` : ""}
    </span>
  );
}

export function PairsTable(props: PairsTableProps) {
  const { datasetId, rows, query, hidden } = props;
  const router = useRouter();
  const [busy, startTransition] = useTransition();
  const [selection, setSelection] = useState<RowSelectionState>({});
  const [confirm, setConfirm] = useState<{ decision: "accept" | "reject"; filter: PairFilter; count: number } | null>(
    null,
  );
  const [message, setMessage] = useState<{ ok: boolean; text: string } | null>(null);
  const [working, setWorking] = useState(false);
  // Shown at once; the URL follows (the page remounts this table on every new URL).
  const [hiddenCols, setHiddenCols] = useState(hidden);

  const go = (next: Partial<PairQuery>, nextHidden = hiddenCols) => {
    const params = pairQueryToParams({ ...query, ...next });
    if (nextHidden.length) params.set("hide", nextHidden.join(","));
    setSelection({});
    startTransition(() =>
      router.push(`/datasets/${datasetId}/pairs${params.size ? `?${params}` : ""}`, { scroll: false }),
    );
  };
  const openPair = (id: number) => router.push(`/datasets/${datasetId}/review?pair=${id}`);

  const sorting: SortingState = [{ id: query.sort, desc: query.dir === "desc" }];
  const onSortingChange = (updater: Updater<SortingState>) => {
    const next = typeof updater === "function" ? updater(sorting) : updater;
    const first = next[0];
    if (!first || !(PAIR_SORTS as readonly string[]).includes(first.id)) return;
    go({ sort: first.id as PairSort, dir: first.desc ? "desc" : "asc", after: undefined, before: undefined });
  };
  const visibility: VisibilityState = Object.fromEntries(hiddenCols.map((id) => [id, false]));
  const onVisibilityChange = (updater: Updater<VisibilityState>) => {
    const next = typeof updater === "function" ? updater(visibility) : updater;
    const nextHidden = HIDEABLE_COLUMNS.map((c) => c.id).filter((id) => next[id] === false);
    setHiddenCols(nextHidden);
    go({}, nextHidden);
  };

  const columns = useMemo<ColumnDef<PairRow, unknown>[]>(() => {
    const cols: ColumnDef<PairRow, unknown>[] = [
      {
        id: "id",
        header: "Pair",
        accessorFn: (row) => row.id,
        enableSorting: true,
        cell: ({ row }) => (
          <Link
            href={`/datasets/${datasetId}/review?pair=${row.original.id}`}
            className="font-medium text-indigo-700 hover:underline"
          >
            #{row.original.id}
          </Link>
        ),
      },
      {
        id: "status",
        header: "Status",
        accessorFn: (row) => row.status,
        enableSorting: true,
        cell: ({ row }) => <StatusBadge status={row.original.status} />,
      },
      {
        id: "method",
        header: "Method",
        accessorFn: (row) => row.method,
        enableSorting: true,
        cell: ({ row }) => <span className="uppercase">{row.original.method}</span>,
      },
      {
        id: "depth",
        header: "Depth",
        accessorFn: (row) => row.depth,
        enableSorting: true,
        cell: ({ row }) => <span className="tabular-nums">{row.original.depth}</span>,
      },
      {
        id: "prompt",
        header: "Prompt",
        enableSorting: false,
        cell: ({ row }) => (
          <span className="line-clamp-2 max-w-md text-slate-700" title={row.original.prompt}>
            {row.original.edited ? (
              <span className="mr-1 rounded bg-sky-100 px-1 text-xs text-sky-800">edited</span>
            ) : null}
            {row.original.override ? (
              <span className="mr-1 rounded bg-amber-100 px-1 text-xs text-amber-800">override</span>
            ) : null}
            {row.original.prompt}
          </span>
        ),
      },
      {
        id: "constraints",
        header: "Constraints",
        enableSorting: false,
        cell: ({ row }) => (
          <span
            className="block max-w-xs truncate font-mono text-xs text-slate-600"
            title={row.original.constraintIds.join("\n")}
          >
            {row.original.constraintIds.length ? row.original.constraintIds.join(", ") : "—"}
          </span>
        ),
      },
      {
        id: "chosen",
        header: "Chosen",
        enableSorting: false,
        cell: ({ row }) => <Checks value={row.original.chosen} />,
      },
      {
        id: "rejected",
        header: "Rejected",
        enableSorting: false,
        cell: ({ row }) => <Checks value={row.original.rejected} />,
      },
      {
        id: "ratio",
        header: "Length ratio",
        enableSorting: false,
        cell: ({ row }) => (
          <span className="tabular-nums text-xs text-slate-600" title="chosen words / rejected words">
            {row.original.lengthRatio === null ? "—" : row.original.lengthRatio.toFixed(2)}
          </span>
        ),
      },
      {
        id: "reviews",
        header: "Reviews",
        enableSorting: false,
        cell: ({ row }) => (
          <span className="text-xs text-slate-600">
            {row.original.reviewCount}
            {row.original.lastReview ? ` · ${row.original.lastReview.decision} by ${row.original.lastReview.user}` : ""}
          </span>
        ),
      },
      {
        id: "comments",
        header: "Comments",
        enableSorting: false,
        cell: ({ row }) => (
          <span className="tabular-nums text-xs text-slate-600" data-testid="comment-count">
            {row.original.commentCount}
          </span>
        ),
      },
      {
        id: "contaminated",
        header: "Contaminated",
        enableSorting: false,
        cell: ({ row }) =>
          row.original.contaminated ? (
            <span
              className="rounded bg-amber-100 px-1 text-xs text-amber-900"
              title="The prompt matches a benchmark set: exports leave it out by default"
              data-testid="contaminated-flag"
            >
              contaminated
            </span>
          ) : null,
      },
      {
        id: "version",
        header: "Version",
        enableSorting: false,
        cell: ({ row }) => <span className="tabular-nums">v{row.original.version}</span>,
      },
      {
        id: "job",
        header: "Job",
        enableSorting: false,
        cell: ({ row }) => (row.original.jobId ? `#${row.original.jobId}` : "—"),
      },
      {
        id: "updated",
        header: "Updated",
        enableSorting: false,
        cell: ({ row }) => (
          <time dateTime={row.original.updatedAt} className="text-xs whitespace-nowrap text-slate-500">
            {row.original.updatedAt.slice(0, 16).replace("T", " ")}
          </time>
        ),
      },
    ];
    if (props.canBulk) {
      cols.unshift({
        id: "select",
        enableSorting: false,
        enableHiding: false,
        header: ({ table }) => (
          <input
            type="checkbox"
            aria-label="Select all rows on this page"
            checked={table.getIsAllRowsSelected()}
            onChange={table.getToggleAllRowsSelectedHandler()}
          />
        ),
        cell: ({ row }) => (
          <input
            type="checkbox"
            aria-label={`Select pair ${row.original.id}`}
            checked={row.getIsSelected()}
            onChange={row.getToggleSelectedHandler()}
          />
        ),
      });
    }
    return cols;
  }, [datasetId, props.canBulk]);

  const selectedIds = Object.keys(selection)
    .filter((k) => selection[k])
    .map(Number);
  const filter = filterOnly(query);

  const askBulk = async (decision: "accept" | "reject", target: PairFilter) => {
    setMessage(null);
    setWorking(true);
    try {
      const result = await countSelectionAction({ datasetId, filter: target });
      if (!result.ok) setMessage({ ok: false, text: result.error });
      else if (result.data.count === 0) setMessage({ ok: false, text: "Nothing matches this selection." });
      else setConfirm({ decision, filter: target, count: result.data.count });
    } finally {
      setWorking(false);
    }
  };
  const runBulk = async () => {
    if (!confirm) return;
    setWorking(true);
    try {
      const result = await bulkDecideAction({
        datasetId,
        decision: confirm.decision,
        filter: confirm.filter,
        expectedCount: confirm.count,
      });
      if (!result.ok) setMessage({ ok: false, text: result.error });
      else {
        setMessage({
          ok: true,
          text: `${confirm.decision === "accept" ? "Accepted" : "Rejected"} ${formatCounted(result.data.count, "pending pair")}.${
            result.data.skipped.final + result.data.skipped.adjudication
              ? ` Skipped ${formatCount(result.data.skipped.final)} final and ${formatCount(result.data.skipped.adjudication)} in adjudication (left as they were).`
              : ""
          }`,
        });
        setSelection({});
        router.refresh();
      }
      setConfirm(null);
    } finally {
      setWorking(false);
    }
  };

  const shown = rows.length;
  const countText =
    props.total !== null
      ? `${formatCounted(props.total, "pair")}${props.total !== props.datasetTotal ? ` match (of ${formatCount(props.datasetTotal)})` : ""}`
      : `${shown ? `showing ${formatCounted(shown, "matching pair")}` : "no matching pairs"}${props.nextCursor ? " on this page, more follow" : ""} (of ${formatCount(props.datasetTotal)} in the dataset)`;

  return (
    <div className="space-y-3">
      <FilterForm
        key={JSON.stringify(filter)}
        query={query}
        reviewers={props.reviewers}
        jobs={props.jobs}
        constraintIds={props.constraintIds}
        onApply={(f) => go({ ...f, after: undefined, before: undefined })}
      />
      {props.errors.length ? (
        <p role="alert" className="rounded-md bg-amber-50 px-3 py-2 text-sm text-amber-900">
          Ignored in the address: {props.errors.join("; ")}
        </p>
      ) : null}
      <div className="flex flex-wrap items-center gap-3 text-sm">
        <span data-testid="pairs-count" className="text-slate-700">
          {countText}
        </span>
        <details className="relative">
          <summary className="cursor-pointer rounded-md px-2 py-1 ring-1 ring-slate-300">Columns</summary>
          <div className="absolute z-10 mt-1 w-48 space-y-1 rounded-md bg-white p-2 shadow ring-1 ring-slate-200">
            {HIDEABLE_COLUMNS.map((c) => (
              <label key={c.id} className="flex items-center gap-2">
                <input
                  type="checkbox"
                  checked={!hiddenCols.includes(c.id)}
                  onChange={(e) => onVisibilityChange({ ...visibility, [c.id]: e.target.checked })}
                />
                {c.label}
              </label>
            ))}
          </div>
        </details>
        <label className="flex items-center gap-1">
          Rows
          <select
            value={query.size}
            onChange={(e) => go({ size: Number(e.target.value), after: undefined, before: undefined })}
            className="rounded-md px-1 py-0.5 ring-1 ring-slate-300"
          >
            {[25, 50, 100, 200].map((n) => (
              <option key={n}>{n}</option>
            ))}
          </select>
        </label>
        {props.canBulk ? (
          <div className="ml-auto flex flex-wrap items-center gap-2" aria-label="Bulk decisions">
            {selectedIds.length ? (
              <>
                <span>{selectedIds.length} ticked:</span>
                <button
                  type="button"
                  disabled={working}
                  className="rounded-md bg-emerald-600 px-2 py-1 text-white"
                  onClick={() => askBulk("accept", { ids: selectedIds })}
                >
                  Accept ticked
                </button>
                <button
                  type="button"
                  disabled={working}
                  className="rounded-md bg-rose-600 px-2 py-1 text-white"
                  onClick={() => askBulk("reject", { ids: selectedIds })}
                >
                  Reject ticked
                </button>
              </>
            ) : null}
            <button
              type="button"
              disabled={working}
              className="rounded-md px-2 py-1 ring-1 ring-emerald-600 text-emerald-800"
              onClick={() => askBulk("accept", filter)}
            >
              Accept all matching…
            </button>
            <button
              type="button"
              disabled={working}
              className="rounded-md px-2 py-1 ring-1 ring-rose-600 text-rose-800"
              onClick={() => askBulk("reject", filter)}
            >
              Reject all matching…
            </button>
          </div>
        ) : null}
      </div>
      {message ? (
        <p
          role={message.ok ? "status" : "alert"}
          className={`rounded-md px-3 py-2 text-sm ${message.ok ? "bg-emerald-50 text-emerald-800" : "bg-rose-50 text-rose-800"}`}
        >
          {message.text}
        </p>
      ) : null}
      {confirm ? (
        <div
          role="alertdialog"
          aria-label="Confirm bulk decision"
          className="rounded-md border border-amber-300 bg-amber-50 p-3 text-sm"
        >
          <p className="font-medium text-amber-950">
            {confirm.decision === "accept" ? "Accept" : "Reject"} {formatCounted(confirm.count, "pair")} (
            {describeFilter(confirm.filter)})?
          </p>
          <p className="mt-1 text-amber-900">
            Each gets a review by you (reason “bulk”) and a new version. If the selection changes before you confirm,
            nothing is changed.
          </p>
          <div className="mt-2 flex gap-2">
            <button
              type="button"
              disabled={working}
              onClick={runBulk}
              className="rounded-md bg-amber-600 px-3 py-1 font-medium text-white"
            >
              Yes, {confirm.decision} {formatCounted(confirm.count, "pair")}
            </button>
            <button
              type="button"
              onClick={() => setConfirm(null)}
              className="rounded-md px-3 py-1 ring-1 ring-amber-400"
            >
              Cancel
            </button>
          </div>
        </div>
      ) : null}
      <DataTable
        label="Pairs"
        data={rows}
        columns={columns}
        getRowId={(row) => String(row.id)}
        sorting={sorting}
        onSortingChange={onSortingChange}
        columnVisibility={visibility}
        onColumnVisibilityChange={onVisibilityChange}
        rowSelection={props.canBulk ? selection : undefined}
        onRowSelectionChange={props.canBulk ? setSelection : undefined}
        onRowClick={(row) => openPair(row.id)}
        busy={busy}
        empty="No pairs match these filters."
      />
      <nav className="flex items-center justify-between text-sm" aria-label="Pages">
        <button
          type="button"
          disabled={!props.prevCursor || busy}
          onClick={() => go({ before: props.prevCursor!, after: undefined })}
          className="rounded-md px-3 py-1 ring-1 ring-slate-300 disabled:text-slate-400"
        >
          ← Previous
        </button>
        <button
          type="button"
          disabled={!props.nextCursor || busy}
          onClick={() => go({ after: props.nextCursor!, before: undefined })}
          className="rounded-md px-3 py-1 ring-1 ring-slate-300 disabled:text-slate-400"
        >
          Next →
        </button>
      </nav>
    </div>
  );
}

function FilterForm({
  query,
  reviewers,
  jobs,
  constraintIds,
  onApply,
}: {
  query: PairQuery;
  reviewers: PairsTableProps["reviewers"];
  jobs: PairsTableProps["jobs"];
  constraintIds: readonly string[];
  onApply: (filter: PairFilter) => void;
}) {
  const [cids, setCids] = useState<string[]>(query.cid ?? []);
  return (
    <form
      aria-label="Filters"
      className="grid gap-3 rounded-lg bg-white p-3 text-sm shadow-sm ring-1 ring-slate-200 md:grid-cols-4"
      onSubmit={(e) => {
        e.preventDefault();
        const form = new FormData(e.currentTarget);
        const text = (name: string) => String(form.get(name) ?? "").trim() || undefined;
        const depth = (text("depth") ?? "")
          .split(/[\s,]+/)
          .filter(Boolean)
          .map(Number)
          .filter((n) => Number.isInteger(n) && n >= 0);
        onApply({
          status: form.getAll("status").map(String) as PairFilter["status"],
          method: form.getAll("method").map(String) as PairFilter["method"],
          depth: depth.length ? depth : undefined,
          cid: cids.length ? cids : undefined,
          chosen: text("chosen") as PairFilter["chosen"],
          rejected: text("rejected") as PairFilter["rejected"],
          "hard-negative": form.get("hard-negative") ? true : undefined,
          unknown: form.get("unknown") ? true : undefined,
          "no-override": form.get("no-override") ? true : undefined,
          "has-comments": form.get("has-comments") ? true : undefined,
          contamination: text("contamination") as PairFilter["contamination"],
          "max-length-ratio": text("max-length-ratio") ? Number(text("max-length-ratio")) : undefined,
          reviewer: text("reviewer") ? Number(text("reviewer")) : undefined,
          job: text("job") ? Number(text("job")) : undefined,
          q: text("q"),
        });
      }}
    >
      <ChoiceGroup legend="Status" name="status" choices={asChoices(PAIR_STATUSES)} checked={query.status} />
      <ChoiceGroup legend="Method" name="method" choices={asChoices(PAIR_METHODS)} checked={query.method} />
      <label className="block">
        <span className="mb-1 block font-medium text-slate-700">Depth</span>
        <input
          name="depth"
          defaultValue={query.depth?.join(",") ?? ""}
          placeholder="e.g. 1,2"
          className="w-full rounded-md px-2 py-1 ring-1 ring-slate-300"
        />
      </label>
      <label className="block">
        <span className="mb-1 block font-medium text-slate-700">Search</span>
        <input
          name="q"
          type="search"
          defaultValue={query.q ?? ""}
          placeholder="words in the prompt or a response, or #id"
          aria-describedby="pairs-q-help"
          className="w-full rounded-md px-2 py-1 ring-1 ring-slate-300"
        />
        <span id="pairs-q-help" className="mt-1 block text-xs text-slate-500">
          Every word must appear in the prompt or in one response, as a word or its start (light finds lighthouse), in
          any case; quotes, *, - and OR are plain text. #123 opens pair 123.
        </span>
      </label>
      <OutcomeSelect
        label="Chosen checks"
        name="chosen"
        value={query.chosen}
        options={[
          ["pass", "every constraint passes"],
          ["fail", "some constraint fails"],
        ]}
      />
      <OutcomeSelect
        label="Rejected checks"
        name="rejected"
        value={query.rejected}
        options={[
          ["fail", "some constraint fails"],
          ["fail-new", "a new constraint fails"],
        ]}
      />
      <OutcomeSelect
        label="Contamination"
        name="contamination"
        value={query.contamination}
        options={[
          ["contaminated", "matches a benchmark set"],
          ["not-contaminated", "matches no benchmark set"],
        ]}
      />
      <fieldset>
        <legend className="mb-1 font-medium text-slate-700">Verdicts</legend>
        {(
          [
            ["hard-negative", "hard negative"],
            ["unknown", "some verdict unknown"],
            ["no-override", "no overrides"],
            ["has-comments", "has comments"],
          ] as const
        ).map(([key, label]) => (
          <label key={key} className="flex items-center gap-1">
            <input type="checkbox" name={key} value="1" defaultChecked={!!query[key]} /> {label}
          </label>
        ))}
      </fieldset>
      <label className="block">
        <span className="mb-1 block font-medium text-slate-700">Max length ratio</span>
        <input
          name="max-length-ratio"
          type="number"
          min={1}
          step="any"
          defaultValue={query["max-length-ratio"] ?? ""}
          placeholder="e.g. 1.25"
          className="w-full rounded-md px-2 py-1 ring-1 ring-slate-300"
        />
      </label>
      <label className="block">
        <span className="mb-1 block font-medium text-slate-700">Reviewer</span>
        <select
          name="reviewer"
          defaultValue={query.reviewer ?? ""}
          className="w-full rounded-md px-2 py-1 ring-1 ring-slate-300"
        >
          <option value="">anyone</option>
          {reviewers.map((r) => (
            <option key={r.id} value={r.id}>
              {r.email}
            </option>
          ))}
        </select>
      </label>
      <label className="block">
        <span className="mb-1 block font-medium text-slate-700">Job</span>
        <select name="job" defaultValue={query.job ?? ""} className="w-full rounded-md px-2 py-1 ring-1 ring-slate-300">
          <option value="">any</option>
          {jobs.map((j) => (
            <option key={j.id} value={j.id}>
              #{j.id} {j.pipeline} ({j.status})
            </option>
          ))}
        </select>
      </label>
      <details className="md:col-span-3">
        <summary className="cursor-pointer font-medium text-slate-700">
          Constraint ids {cids.length ? `(${cids.length})` : ""}
        </summary>
        <div className="mt-1 grid gap-x-3 sm:grid-cols-2 lg:grid-cols-3">
          {constraintIds.map((id) => (
            <label key={id} className="flex items-center gap-1 font-mono text-xs">
              <input
                type="checkbox"
                checked={cids.includes(id)}
                onChange={(e) => setCids((list) => (e.target.checked ? [...list, id] : list.filter((x) => x !== id)))}
              />
              {id}
            </label>
          ))}
        </div>
      </details>
      <div className="flex items-end gap-2">
        <button type="submit" className="rounded-md bg-indigo-600 px-3 py-1.5 font-medium text-white">
          Apply filters
        </button>
        <Link href="?" className="px-2 py-1.5 text-slate-600 underline">
          Clear
        </Link>
      </div>
    </form>
  );
}

/** Filter on one response's verdicts (the keys of lib/review/pair-query.ts). */
function OutcomeSelect({
  label,
  name,
  value,
  options,
}: {
  label: string;
  name: "chosen" | "rejected" | "contamination";
  value?: string;
  options: [string, string][];
}) {
  return (
    <label className="block">
      <span className="mb-1 block font-medium text-slate-700">{label}</span>
      <select name={name} defaultValue={value ?? ""} className="w-full rounded-md px-2 py-1 ring-1 ring-slate-300">
        <option value="">any</option>
        {options.map(([v, text]) => (
          <option key={v} value={v}>
            {text}
          </option>
        ))}
      </select>
    </label>
  );
}

/** A filter's allowed values as choices labelled by the value itself. */
const asChoices = (values: readonly string[]) => values.map((value) => ({ value, label: value }));
