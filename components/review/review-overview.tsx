import Link from "next/link";
import { Card } from "@/components/ui/card";
import { Table, TBody, Td, Th, THead, Tr } from "@/components/ui/table";
import { formatCount, formatCounted, formatDateTime } from "@/lib/format";
import type { AcceptanceRow, ReviewOverview as ReviewOverviewData } from "@/lib/review";
import { LengthRatioCard } from "./length-ratio-card";
import { AgreementCard } from "./agreement-card";
import { ReviewCharts } from "./review-charts";

/**
 * The review part of the dataset overview (a server component): progress from the pair
 * counters, per-reviewer counts, acceptance by depth, method and constraint id, agreement.
 */

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
          {formatCount(decided)} of {formatCounted(progress.total, "pair")} decided (
          {pct(progress.total ? decided / progress.total : null)}
          ): {formatCount(progress.accepted)} accepted, {formatCount(progress.rejected)} rejected,{" "}
          {formatCount(progress.adjudication)} in adjudication, {formatCount(progress.pending)} pending.{" "}
          {formatCount(o.edited)} carry a human edit;{" "}
          <span data-testid="override-count">{formatCount(o.overrides)}</span> accepted over a failing check
          (overrides).
        </p>
        <div className="flex h-3 overflow-hidden rounded-full bg-slate-100" role="img" aria-label="Pairs by status">
          {progress.total
            ? segments.map(([label, n, color]) =>
                n ? (
                  <div
                    key={label}
                    className={color}
                    style={{ width: `${(n / progress.total) * 100}%` }}
                    title={`${label}: ${formatCount(n)}`}
                  />
                ) : null,
              )
            : null}
        </div>
        {o.cached ? (
          <p className="mt-2 text-xs text-slate-500">
            Progress is current; the figures below are as of{" "}
            {o.statsAsOf ? formatDateTime(o.statsAsOf) : "— (being computed)"} (large dataset: recomputed in the
            background).
          </p>
        ) : null}
        <div className="mt-2 flex flex-wrap gap-3 text-xs">
          {segments.map(([label, n]) => (
            <Link key={label} href={pairsLink(`status=${label}`)} className="text-slate-600 hover:underline">
              {label}: {formatCount(n)}
            </Link>
          ))}
        </div>
      </Card>

      <AgreementCard overview={o} />
      <Card title="Review charts">
        <ReviewCharts charts={o.charts} byDepth={o.byDepth} />
      </Card>
      <div className="grid gap-6 lg:grid-cols-2">
        <Card title="Reviewers">
          {o.reviewers.length ? (
            <Table label="Reviewers" data-testid="reviewer-table">
              <THead>
                <Tr>
                  <Th>Reviewer</Th>
                  <Th numeric>Reviews</Th>
                  <Th>Decisions</Th>
                  <Th numeric>Mean time</Th>
                </Tr>
              </THead>
              <TBody>
                {o.reviewers.map((r) => (
                  <Tr key={r.userId}>
                    <Td>
                      <Link href={pairsLink(`reviewer=${r.userId}`)} className="text-indigo-700 hover:underline">
                        {r.email}
                      </Link>
                    </Td>
                    <Td numeric>{formatCount(r.total)}</Td>
                    <Td muted className="text-xs">
                      {Object.entries(r.decisions)
                        .sort((a, b) => b[1] - a[1])
                        .map(([d, n]) => `${d} ${formatCount(n)}`)
                        .join(" · ")}
                    </Td>
                    <Td numeric>{r.meanMs === null ? "—" : `${(r.meanMs / 1000).toFixed(1)} s`}</Td>
                  </Tr>
                ))}
              </TBody>
            </Table>
          ) : (
            <p className="text-sm text-slate-500">No reviews yet.</p>
          )}
          <p className="mt-3 text-xs text-slate-500" data-testid="agreement">
            Agreement:{" "}
            {o.agreement.pairs
              ? `${formatCounted(o.agreement.pairs, "pair")} reviewed by two or more people; ${pct(o.agreement.observed)} of reviewer pairs agree (keep vs drop), Krippendorff’s α ${o.agreement.alpha === null ? "undefined" : o.agreement.alpha.toFixed(2)}.`
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
    <Table label={`Acceptance by ${label.toLowerCase()}`}>
      <THead>
        <Tr>
          <Th>{label}</Th>
          <Th numeric>Pairs</Th>
          <Th numeric>Pending</Th>
          <Th numeric>Accepted</Th>
          <Th numeric>Adjudication</Th>
          <Th numeric>Rejected</Th>
          <Th numeric>Acceptance</Th>
        </Tr>
      </THead>
      <TBody>
        {rows.map((r) => (
          <Tr key={r.key}>
            <Td className={mono ? "font-mono text-xs" : ""}>
              <Link href={link(r.key)} className="text-indigo-700 hover:underline">
                {r.key}
              </Link>
            </Td>
            <Td numeric>{formatCount(r.total)}</Td>
            <Td numeric>{formatCount(r.pending)}</Td>
            <Td numeric>{formatCount(r.accepted)}</Td>
            <Td numeric>{formatCount(r.adjudication)}</Td>
            <Td numeric>{formatCount(r.rejected)}</Td>
            <Td numeric className="font-medium">
              {pct(r.acceptance)}
            </Td>
          </Tr>
        ))}
      </TBody>
    </Table>
  );
}
