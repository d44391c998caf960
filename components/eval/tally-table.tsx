import Link from "next/link";
import type { Tally } from "@/lib/constraints/evaluate";
import { percent } from "@/lib/eval/format";
import { Card } from "@/components/ui/card";
import { Table, TBody, Td, Th, THead, Tr } from "@/components/ui/table";

export interface TallyRow {
  key: string;
  label: React.ReactNode;
  strict: Tally;
  loose: Tally;
  /** A link to the failing responses, shown when some failed strictly. */
  failuresHref?: string;
}

/**
 * Rows from a run's strict and loose tallies keyed alike (by instruction id or by group); with
 * `failuresHref`, each row links to its failing responses.
 */
export function tallyRows(
  strict: Record<string, Tally>,
  loose: Record<string, Tally>,
  failuresHref?: (key: string) => string,
): TallyRow[] {
  return Object.entries(strict).map(([key, t]) => ({
    key,
    label: key,
    strict: t,
    loose: loose[key]!,
    failuresHref: failuresHref?.(key),
  }));
}

/** A card titled as its table. */
export function TallyCard({ title, ...table }: { title: string; heading: string; rows: TallyRow[]; unit: string }) {
  return (
    <Card title={title}>
      <TallyTable label={title} {...table} />
    </Card>
  );
}

/** Strict and loose accuracy per row (instruction id, group, or constraint count) of an eval run. */
export function TallyTable({
  label,
  heading,
  rows,
  unit,
}: {
  label: string;
  heading: string;
  rows: TallyRow[];
  unit: string;
}) {
  return (
    <Table label={label}>
      <THead>
        <Tr>
          <Th>{heading}</Th>
          <Th numeric>Strict</Th>
          <Th numeric>Loose</Th>
          <Th numeric>{unit}</Th>
          <Th />
        </Tr>
      </THead>
      <TBody>
        {rows.map((row) => (
          <Tr key={row.key}>
            <Td className="font-mono text-xs">{row.label}</Td>
            <Td numeric>
              {percent(row.strict.accuracy)} <span className="text-xs text-slate-500">({row.strict.correct})</span>
            </Td>
            <Td numeric>
              {percent(row.loose.accuracy)} <span className="text-xs text-slate-500">({row.loose.correct})</span>
            </Td>
            <Td numeric>{row.strict.total}</Td>
            <Td>
              {row.failuresHref && row.strict.correct < row.strict.total ? (
                <Link href={row.failuresHref} className="text-indigo-700 hover:underline">
                  failures
                </Link>
              ) : null}
            </Td>
          </Tr>
        ))}
      </TBody>
    </Table>
  );
}
