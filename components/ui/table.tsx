import type { HTMLAttributes, ReactNode, TdHTMLAttributes, ThHTMLAttributes } from "react";

/**
 * The table markup of the app, in one place: pages with a few rows use these parts directly,
 * and the TanStack DataTable (components/tables/data-table.tsx) renders through them.
 * `framed`: a white card with a ring (a table on its own); otherwise it sits inside a Card.
 */
export function Table({
  label,
  framed = false,
  busy,
  children,
  ...rest
}: { label: string; framed?: boolean; busy?: boolean; children: ReactNode } & HTMLAttributes<HTMLTableElement>) {
  const table = (
    <table {...rest} className={`w-full text-left text-sm ${rest.className ?? ""}`} aria-label={label}>
      {children}
    </table>
  );
  if (!framed) return <div className="overflow-x-auto">{table}</div>;
  return (
    <div
      className={`overflow-x-auto rounded-lg bg-white shadow-sm ring-1 ring-slate-200 ${busy ? "opacity-60" : ""}`}
      aria-busy={busy}
    >
      {table}
    </div>
  );
}

export function THead({ children, framed = false }: { children: ReactNode; framed?: boolean }) {
  return (
    <thead
      className={
        framed
          ? "border-b border-slate-200 bg-slate-50 text-xs text-slate-600"
          : "text-xs tracking-wide text-slate-500 uppercase"
      }
    >
      {children}
    </thead>
  );
}

export function TBody({ children }: { children: ReactNode }) {
  return <tbody className="divide-y divide-slate-100 align-top">{children}</tbody>;
}

export function Tr(props: HTMLAttributes<HTMLTableRowElement>) {
  return <tr {...props} />;
}

type Cell = { numeric?: boolean; muted?: boolean };

const cellClass = ({ numeric, muted }: Cell, extra = "") =>
  `px-3 py-2 ${numeric ? "text-right tabular-nums" : ""} ${muted ? "text-slate-600" : ""} ${extra}`;

/** A column header: numeric columns align right. */
export function Th({ numeric, className, ...rest }: Cell & ThHTMLAttributes<HTMLTableCellElement>) {
  return (
    <th scope="col" {...rest} className={cellClass({ numeric }, `font-medium whitespace-nowrap ${className ?? ""}`)} />
  );
}

/** A cell: numeric cells align right with tabular figures; muted ones are grey. */
export function Td({ numeric, muted, className, ...rest }: Cell & TdHTMLAttributes<HTMLTableCellElement>) {
  return <td {...rest} className={cellClass({ numeric, muted }, className)} />;
}

/** The one row a table shows when it has none. */
export function EmptyRow({ columns, children }: { columns: number; children?: ReactNode }) {
  return (
    <tr>
      <td colSpan={columns} className="px-3 py-8 text-center text-slate-500">
        {children ?? "Nothing to show."}
      </td>
    </tr>
  );
}
