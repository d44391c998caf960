import { Card } from "@/components/ui/card";
import { Table, TBody, Td, Th, THead, Tr } from "@/components/ui/table";
import { formatCount, formatCounted, formatDateTime } from "@/lib/format";
import type { Estimate } from "@/lib/review/agreement";
import type { ReviewOverview } from "@/lib/review";

/**
 * Agreement and speed on the dataset overview (a server component): percent agreement, Fleiss' κ,
 * Krippendorff's α and Cohen's κ per reviewer pair with their bootstrap 95% intervals (computed in
 * the background: their age is shown), position bias, agreement with the generated label, and per
 * reviewer votes per day, median time, agreement with the majority and the share of fast votes.
 */

const num = (x: number | null, digits = 2) => (x === null ? "—" : x.toFixed(digits));
const pct = (x: number | null) => (x === null ? "—" : `${Math.round(x * 100)}%`);
const ci = (e: Estimate, show: (x: number) => string = (x) => x.toFixed(2)) =>
  e.ci ? ` [${show(e.ci[0])}, ${show(e.ci[1])}]` : "";

export function AgreementCard({ overview: o }: { overview: ReviewOverview }) {
  const r = o.agreementReport;
  const email = new Map(o.reviewers.map((x) => [x.userId, x.email]));
  const who = (id: number) => email.get(id) ?? `#${id}`;
  return (
    <Card title="Agreement and speed">
      <dl className="grid grid-cols-2 gap-3 text-sm sm:grid-cols-3" data-testid="agreement-figures">
        <Figure label="Percent agreement" testId="agreement-percent">
          {pct(r.percent.value)}
          {ci(r.percent, (x) => pct(x))}
        </Figure>
        <Figure label={`Fleiss’ κ (pairs with ${formatCounted(r.fleiss.raters, "vote")})`} testId="agreement-fleiss">
          {num(r.fleiss.value)}
          {ci(r.fleiss)}
        </Figure>
        <Figure label="Krippendorff’s α" testId="agreement-alpha">
          {num(r.alpha.value)}
          {ci(r.alpha)}
        </Figure>
        <Figure label="Position bias (votes for the left side)" testId="agreement-left-share">
          {pct(r.positionBias.leftShare)} of {formatCount(r.positionBias.votes)}
        </Figure>
        <Figure label="Agreement with the generated label" testId="agreement-generated">
          {pct(r.generatedAgreement)}
        </Figure>
        <Figure label="Pairs with two or more votes" testId="agreement-units">
          {formatCount(r.units)}
        </Figure>
      </dl>
      <p className="mt-2 text-xs text-slate-500" data-testid="stats-age">
        {o.statsAsOf
          ? `95% bootstrap intervals as of ${formatDateTime(o.statsAsOf)} (recomputed in the background).`
          : "95% bootstrap intervals are being computed in the background."}
      </p>
      {r.cohen.length ? (
        <div className="mt-4">
          <Table label="Cohen's kappa per reviewer pair">
            <THead>
              <Tr>
                <Th>Reviewers</Th>
                <Th numeric>Shared pairs</Th>
                <Th numeric>Cohen’s κ [95%]</Th>
              </Tr>
            </THead>
            <TBody>
              {r.cohen.map((c) => (
                <Tr key={`${c.a}:${c.b}`}>
                  <Td>
                    {who(c.a)} · {who(c.b)}
                  </Td>
                  <Td numeric>{formatCount(c.units)}</Td>
                  <Td numeric>
                    {num(c.value)}
                    {ci(c)}
                  </Td>
                </Tr>
              ))}
            </TBody>
          </Table>
        </div>
      ) : null}
      {r.reviewers.length ? (
        <div className="mt-4">
          <Table label="Reviewer speed" data-testid="reviewer-speed">
            <THead>
              <Tr>
                <Th>Reviewer</Th>
                <Th numeric>Votes</Th>
                <Th numeric>Votes per day</Th>
                <Th numeric>Median time</Th>
                <Th numeric>Agrees with majority</Th>
                <Th numeric>Left side</Th>
                <Th numeric>Under 2 s</Th>
              </Tr>
            </THead>
            <TBody>
              {r.reviewers.map((x) => (
                <Tr key={x.userId} data-testid="reviewer-speed-row" data-flagged={x.flagged}>
                  <Td>{who(x.userId)}</Td>
                  <Td numeric>{formatCount(x.votes)}</Td>
                  <Td numeric>{num(x.votesPerDay, 1)}</Td>
                  <Td numeric>{x.medianSeconds === null ? "—" : `${x.medianSeconds.toFixed(1)} s`}</Td>
                  <Td numeric>{pct(x.agreementWithMajority)}</Td>
                  <Td numeric>{pct(x.leftShare)}</Td>
                  <Td numeric className={x.flagged ? "font-semibold text-rose-700" : ""}>
                    {pct(x.fastShare)}
                    {x.flagged ? " ⚑ fast" : ""}
                  </Td>
                </Tr>
              ))}
            </TBody>
          </Table>
        </div>
      ) : null}
    </Card>
  );
}

function Figure({ label, testId, children }: { label: string; testId: string; children: React.ReactNode }) {
  return (
    <div className="rounded-md bg-slate-50 p-3">
      <dt className="text-xs text-slate-500">{label}</dt>
      <dd className="mt-1 font-semibold tabular-nums" data-testid={testId}>
        {children}
      </dd>
    </div>
  );
}
