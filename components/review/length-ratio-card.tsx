import { Card } from "@/components/ui/card";
import { LENGTH_RATIO_EDGES, type LengthRatioRow, type ReviewOverview } from "@/lib/review/stats";

/** Length bias in plain sight: the chosen/rejected word ratio, by method, depth and new constraint. */

const BUCKETS = [
  `< ${LENGTH_RATIO_EDGES[0]}`,
  ...LENGTH_RATIO_EDGES.slice(1).map((edge, i) => `${LENGTH_RATIO_EDGES[i]}–${edge}`),
  `≥ ${LENGTH_RATIO_EDGES[LENGTH_RATIO_EDGES.length - 1]}`,
];
const pct = (x: number | null) => (x === null ? "—" : `${Math.round(x * 100)}%`);

export function LengthRatioCard({
  ratio,
  pairsLink,
}: {
  ratio: ReviewOverview["lengthRatio"];
  pairsLink: (filter: string) => string;
}) {
  const { overall } = ratio;
  return (
    <Card title="Length ratio (chosen / rejected words)">
      <p className="mb-3 text-sm text-slate-700" data-testid="length-ratio-summary">
        {overall.pairs
          ? `Over ${overall.pairs.toLocaleString("en-US")} pairs the chosen response is longer in ${pct(overall.chosenLonger)} (geometric mean ratio ${overall.mean?.toFixed(2)}). `
          : "No pairs yet. "}
        <a href={pairsLink("max-length-ratio=1.25")} className="text-indigo-700 hover:underline">
          Length-balanced pairs (1/1.25 ≤ r ≤ 1.25)
        </a>
      </p>
      <RatioTable label="Method" rows={ratio.byMethod} />
      <RatioTable label="Depth" rows={ratio.byDepth} />
      <RatioTable label="New constraint" rows={ratio.byNewConstraint} />
    </Card>
  );
}

function RatioTable({ label, rows }: { label: string; rows: LengthRatioRow[] }) {
  if (!rows.length) return null;
  return (
    <table
      className="mb-4 w-full text-left text-sm"
      data-testid={`length-ratio-${label.toLowerCase().replace(/ /g, "-")}`}
    >
      <thead className="text-xs uppercase text-slate-500">
        <tr>
          <th className="py-1 font-medium">{label}</th>
          <th className="py-1 font-medium">Pairs</th>
          <th className="py-1 font-medium">Mean r</th>
          <th className="py-1 font-medium">Chosen longer</th>
          {BUCKETS.map((b) => (
            <th key={b} className="py-1 font-medium">
              r {b}
            </th>
          ))}
        </tr>
      </thead>
      <tbody className="divide-y divide-slate-100 tabular-nums">
        {rows.map((r) => (
          <tr key={r.key}>
            <td className="py-1 font-mono text-xs">{r.key}</td>
            <td className="py-1">{r.pairs.toLocaleString("en-US")}</td>
            <td className="py-1">{r.mean === null ? "—" : r.mean.toFixed(2)}</td>
            <td className="py-1">{pct(r.chosenLonger)}</td>
            {r.buckets.map((n, i) => (
              <td key={i} className="py-1">
                {n.toLocaleString("en-US")}
              </td>
            ))}
          </tr>
        ))}
      </tbody>
    </table>
  );
}
