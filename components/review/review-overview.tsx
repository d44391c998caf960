import Link from "next/link";
import { Card } from "@/components/ui/card";
import type { AcceptanceRow, ReviewOverview as ReviewOverviewData } from "@/lib/review";
import { LengthRatioCard } from "./length-ratio-card";

/**
 * The review part of the dataset overview (a server component): progress from the pair
 * counters, per-reviewer counts, acceptance by depth, method and constraint id, agreement.
 */

const fmt = (n: number) => n.toLocaleString("en-US");
const pct = (x: number | null) => (x === null ? "—" : `${Math.round(x * 100)}%`);

export function ReviewOverview({ overview: o, datasetId }: { overview: ReviewOverviewData; datasetId: number }) {
  const { progress } = o;
  const decided = progress.accepted + progress.rejected;
  const segments: [string, number, string][] = [
    ["accepted", progress.accepted, "bg-emerald-500"],
    ["adjudication", progress.adjudication, "bg-amber-400"],
    ["rejected", progress.rejected, "bg-rose-500"],
    ["pending", progress.pending, "bg-slate-200"],
  ];
  const pairsLink = (filter: string) => `/datasets/${datasetId}/pairs?${filter}`;
  return (
    <div className="mt-6 space-y-6" data-testid="review-overview">
      <Card
        title="Review progress"
        actions={
          <div className="flex gap-3 text-sm font-medium">
            <Link href={`/datasets/${datasetId}/review`} className="text-indigo-700 hover:underline">
              Review
            </Link>
            <Link href={`/datasets/${datasetId}/pairs`} className="text-indigo-700 hover:underline">
              Pairs
            </Link>
            <Link href={`/datasets/${datasetId}/trees`} className="text-indigo-700 hover:underline">
              Trees
            </Link>
          </div>
        }
      >
        <p className="mb-2 text-sm text-slate-700" data-testid="review-progress">
          {fmt(decided)} of {fmt(progress.total)} pairs decided ({pct(progress.total ? decided / progress.total : null)}
          ): {fmt(progress.accepted)} accepted, {fmt(progress.rejected)} rejected, {fmt(progress.adjudication)} in
          adjudication, {fmt(progress.pending)} pending. {fmt(o.edited)} carry a human edit;{" "}
          <span data-testid="override-count">{fmt(o.overrides)}</span> accepted over a failing check (overrides).
        </p>
        <div className="flex h-3 overflow-hidden rounded-full bg-slate-100" role="img" aria-label="Pairs by status">
          {progress.total
            ? segments.map(([label, n, color]) =>
                n ? (
                  <div
                    key={label}
                    className={color}
                    style={{ width: `${(n / progress.total) * 100}%` }}
                    title={`${label}: ${fmt(n)}`}
                  />
                ) : null,
              )
            : null}
        </div>
        {o.cached ? (
          <p className="mt-2 text-xs text-slate-500">
            Progress is current; the tables below are as of {new Date(o.asOf).toLocaleTimeString("en-US")} (large
            dataset: recomputed at most once a minute).
          </p>
        ) : null}
        <div className="mt-2 flex flex-wrap gap-3 text-xs">
          {segments.map(([label, n]) => (
            <Link key={label} href={pairsLink(`status=${label}`)} className="text-slate-600 hover:underline">
              {label}: {fmt(n)}
            </Link>
          ))}
        </div>
      </Card>

      <div className="grid gap-6 lg:grid-cols-2">
        <Card title="Reviewers">
          {o.reviewers.length ? (
            <table className="w-full text-left text-sm" data-testid="reviewer-table">
              <thead className="text-xs text-slate-500">
                <tr>
                  <th className="py-1 font-medium">Reviewer</th>
                  <th className="py-1 font-medium">Reviews</th>
                  <th className="py-1 font-medium">Decisions</th>
                  <th className="py-1 font-medium">Mean time</th>
                </tr>
              </thead>
              <tbody className="divide-y divide-slate-100">
                {o.reviewers.map((r) => (
                  <tr key={r.userId}>
                    <td className="py-1">
                      <Link href={pairsLink(`reviewer=${r.userId}`)} className="text-indigo-700 hover:underline">
                        {r.email}
                      </Link>
                    </td>
                    <td className="py-1 tabular-nums">{fmt(r.total)}</td>
                    <td className="py-1 text-xs text-slate-600">
                      {Object.entries(r.decisions)
                        .sort((a, b) => b[1] - a[1])
                        .map(([d, n]) => `${d} ${fmt(n)}`)
                        .join(" · ")}
                    </td>
                    <td className="py-1 tabular-nums">
                      {r.meanMs === null ? "—" : `${(r.meanMs / 1000).toFixed(1)} s`}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          ) : (
            <p className="text-sm text-slate-500">No reviews yet.</p>
          )}
          <p className="mt-3 text-xs text-slate-500" data-testid="agreement">
            Agreement:{" "}
            {o.agreement.pairs
              ? `${fmt(o.agreement.pairs)} pairs reviewed by two or more people; ${pct(o.agreement.observed)} of reviewer pairs agree (keep vs drop), Krippendorff’s α ${o.agreement.alpha === null ? "undefined" : o.agreement.alpha.toFixed(2)}.`
              : "no pair has been reviewed by two people yet."}
          </p>
        </Card>
        <Card title="Acceptance by depth and method">
          <AcceptanceTable rows={o.byDepth} label="Depth" link={(k) => pairsLink(`depth=${k}`)} />
          <div className="mt-4" />
          <AcceptanceTable rows={o.byMethod} label="Method" link={(k) => pairsLink(`method=${k}`)} />
        </Card>
      </div>
      <Card title="Acceptance by constraint id">
        <AcceptanceTable
          rows={o.byConstraint}
          label="Constraint id"
          mono
          link={(k) => pairsLink(`cid=${encodeURIComponent(k)}`)}
        />
      </Card>
      <LengthRatioCard ratio={o.lengthRatio} pairsLink={pairsLink} />
    </div>
  );
}

function AcceptanceTable({
  rows,
  label,
  mono,
  link,
}: {
  rows: AcceptanceRow[];
  label: string;
  mono?: boolean;
  link: (key: string) => string;
}) {
  if (!rows.length) return <p className="text-sm text-slate-500">No pairs yet.</p>;
  return (
    <table className="w-full text-left text-sm" aria-label={`Acceptance by ${label.toLowerCase()}`}>
      <thead className="text-xs text-slate-500">
        <tr>
          <th className="py-1 font-medium">{label}</th>
          <th className="py-1 font-medium">Pairs</th>
          <th className="py-1 font-medium">Pending</th>
          <th className="py-1 font-medium">Accepted</th>
          <th className="py-1 font-medium">Adjudication</th>
          <th className="py-1 font-medium">Rejected</th>
          <th className="py-1 font-medium">Acceptance</th>
        </tr>
      </thead>
      <tbody className="divide-y divide-slate-100 tabular-nums">
        {rows.map((r) => (
          <tr key={r.key}>
            <td className={`py-1 ${mono ? "font-mono text-xs" : ""}`}>
              <Link href={link(r.key)} className="text-indigo-700 hover:underline">
                {r.key}
              </Link>
            </td>
            <td className="py-1">{fmt(r.total)}</td>
            <td className="py-1">{fmt(r.pending)}</td>
            <td className="py-1">{fmt(r.accepted)}</td>
            <td className="py-1">{fmt(r.adjudication)}</td>
            <td className="py-1">{fmt(r.rejected)}</td>
            <td className="py-1 font-medium">{pct(r.acceptance)}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
