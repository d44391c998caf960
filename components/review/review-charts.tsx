"use client";

import {
  Bar,
  BarChart,
  CartesianGrid,
  Legend,
  Line,
  LineChart,
  ResponsiveContainer,
  Tooltip,
  XAxis,
  YAxis,
} from "recharts";
import type { AcceptanceRow, ReviewCharts as ReviewChartsData } from "@/lib/review/stats";

/**
 * The overview's review charts (recharts): agreement over time, votes per reviewer per day,
 * time-per-vote distribution, acceptance by depth and by new constraint. Each chart carries its
 * numbers in `data-series` (what it plots), so a test can compare them with its own.
 */

const COLORS = ["#4f46e5", "#059669", "#d97706", "#e11d48", "#0891b2", "#7c3aed", "#65a30d"];
const percent = (x: number | null) => (x === null ? null : Math.round(x * 1000) / 10);

function ChartBox({
  title,
  testId,
  series,
  children,
}: {
  title: string;
  testId: string;
  series: unknown;
  children: React.ReactElement;
}) {
  return (
    <figure
      className="rounded-md border border-slate-200 p-3"
      data-testid={testId}
      data-series={JSON.stringify(series)}
    >
      <figcaption className="mb-2 text-xs font-semibold uppercase tracking-wide text-slate-500">{title}</figcaption>
      <div style={{ width: "100%", height: 220 }}>
        <ResponsiveContainer>{children}</ResponsiveContainer>
      </div>
    </figure>
  );
}

const acceptance = (rows: AcceptanceRow[]) =>
  rows.map((r) => ({ key: r.key, acceptance: percent(r.acceptance), pairs: r.total }));

export function ReviewCharts({ charts, byDepth }: { charts: ReviewChartsData; byDepth: AcceptanceRow[] }) {
  const agreement = charts.agreementOverTime.map((d) => ({ day: d.day, agreement: percent(d.agreement) }));
  const perDay = charts.votesPerDay.map((d) => ({ day: d.day, ...d.counts }));
  const byNew = acceptance(charts.acceptanceByNewConstraint);
  const depth = acceptance(byDepth);
  return (
    <div className="grid gap-4 lg:grid-cols-2" data-testid="review-charts">
      <ChartBox title="Agreement over time (% agreeing vote pairs)" testId="chart-agreement" series={agreement}>
        <LineChart data={agreement}>
          <CartesianGrid strokeDasharray="3 3" />
          <XAxis dataKey="day" tick={{ fontSize: 11 }} />
          <YAxis domain={[0, 100]} unit="%" />
          <Tooltip />
          <Line dataKey="agreement" stroke={COLORS[0]} isAnimationActive={false} dot />
        </LineChart>
      </ChartBox>
      <ChartBox title="Votes per reviewer per day" testId="chart-votes-per-day" series={perDay}>
        <BarChart data={perDay}>
          <CartesianGrid strokeDasharray="3 3" />
          <XAxis dataKey="day" tick={{ fontSize: 11 }} />
          <YAxis allowDecimals={false} />
          <Tooltip />
          <Legend wrapperStyle={{ fontSize: 11 }} />
          {charts.reviewers.map((email, i) => (
            <Bar
              key={email}
              dataKey={email}
              stackId="votes"
              fill={COLORS[i % COLORS.length]}
              isAnimationActive={false}
            />
          ))}
        </BarChart>
      </ChartBox>
      <ChartBox title="Time per vote" testId="chart-time-per-vote" series={charts.timePerVote}>
        <BarChart data={charts.timePerVote}>
          <CartesianGrid strokeDasharray="3 3" />
          <XAxis dataKey="bucket" tick={{ fontSize: 11 }} />
          <YAxis allowDecimals={false} />
          <Tooltip />
          <Bar dataKey="votes" fill={COLORS[1]} isAnimationActive={false} />
        </BarChart>
      </ChartBox>
      <ChartBox title="Acceptance by depth (%)" testId="chart-acceptance-depth" series={depth}>
        <BarChart data={depth}>
          <CartesianGrid strokeDasharray="3 3" />
          <XAxis dataKey="key" />
          <YAxis domain={[0, 100]} unit="%" />
          <Tooltip />
          <Bar dataKey="acceptance" fill={COLORS[2]} isAnimationActive={false} />
        </BarChart>
      </ChartBox>
      <ChartBox title="Acceptance by new constraint (%)" testId="chart-acceptance-new-constraint" series={byNew}>
        <BarChart data={byNew} layout="vertical" margin={{ left: 24 }}>
          <CartesianGrid strokeDasharray="3 3" />
          <XAxis type="number" domain={[0, 100]} unit="%" />
          <YAxis type="category" dataKey="key" width={200} tick={{ fontSize: 11 }} />
          <Tooltip />
          <Bar dataKey="acceptance" fill={COLORS[3]} isAnimationActive={false} />
        </BarChart>
      </ChartBox>
    </div>
  );
}
