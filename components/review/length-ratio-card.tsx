import Link from "next/link";
import { Card } from "@/components/ui/card";
import { Table, TBody, Td, Th, THead, Tr } from "@/components/ui/table";
import { formatCount, formatCounted } from "@/lib/format";
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
          ? `Over ${formatCounted(overall.pairs, "pair")} the chosen response is longer in ${pct(overall.chosenLonger)} (geometric mean ratio ${overall.mean?.toFixed(2)}). `
          : "No pairs yet. "}
        <Link href={pairsLink("max-length-ratio=1.25")} className="text-indigo-700 hover:underline">
          Length-balanced pairs (1/1.25 ≤ r ≤ 1.25)
        </Link>
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
    <Table
      label={`Length ratio by ${label.toLowerCase()}`}
      className="mb-4"
      data-testid={`length-ratio-${label.toLowerCase().replace(/ /g, "-")}`}
    >
      <THead>
        <Tr>
          <Th>{label}</Th>
          <Th numeric>Pairs</Th>
          <Th numeric>Mean r</Th>
          <Th numeric>Chosen longer</Th>
          {BUCKETS.map((b) => (
            <Th key={b} numeric>
              r {b}
            </Th>
          ))}
        </Tr>
      </THead>
      <TBody>
        {rows.map((r) => (
          <Tr key={r.key}>
            <Td className="font-mono text-xs">{r.key}</Td>
            <Td numeric>{formatCount(r.pairs)}</Td>
            <Td numeric>{r.mean === null ? "—" : r.mean.toFixed(2)}</Td>
            <Td numeric>{pct(r.chosenLonger)}</Td>
            {r.buckets.map((n, i) => (
              <Td key={i} numeric>
                {formatCount(n)}
              </Td>
            ))}
          </Tr>
        ))}
      </TBody>
    </Table>
  );
}
