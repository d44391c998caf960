"use client";

import {
  flexRender,
  getCoreRowModel,
  useReactTable,
  type CellContext,
  type Column,
  type ColumnDef,
  type OnChangeFn,
  type Row as TableRow,
  type Table as TableInstance,
  type RowSelectionState,
  type SortingState,
  type VisibilityState,
} from "@tanstack/react-table";
import type { ReactNode } from "react";
import { EmptyRow, TBody, Table, Td, Th, THead, Tr } from "@/components/ui/table";

/**
 * The one table of the app: @tanstack/react-table in manual mode. The server has already
 * filtered, sorted and paged the rows; this draws them and reports what the person asks for
 * (sorting, column visibility, row selection) to the owner, which keeps that state in the URL.
 * The markup is the table primitive's (components/ui/table.tsx).
 *
 * Body cells are drawn by calling each column's `cell` function directly (so a cell renderer must
 * not use hooks), with a context whose tanstack `cell` object is only built when a renderer reads
 * it: tanstack's per-cell objects and one React component per cell were most of the pairs table's
 * server render time (rows × columns of them on every request).
 */
export function DataTable<Row>({
  data,
  columns,
  getRowId,
  sorting,
  onSortingChange,
  columnVisibility,
  onColumnVisibilityChange,
  rowSelection,
  onRowSelectionChange,
  onRowClick,
  empty,
  busy,
  label,
}: {
  data: Row[];
  columns: ColumnDef<Row, unknown>[];
  getRowId: (row: Row) => string;
  sorting: SortingState;
  onSortingChange: OnChangeFn<SortingState>;
  columnVisibility: VisibilityState;
  onColumnVisibilityChange: OnChangeFn<VisibilityState>;
  rowSelection?: RowSelectionState;
  onRowSelectionChange?: OnChangeFn<RowSelectionState>;
  onRowClick?: (row: Row) => void;
  empty?: ReactNode;
  busy?: boolean;
  label: string;
}) {
  // eslint-disable-next-line react-hooks/incompatible-library -- tanstack's table instance is not memoizable; it is rebuilt per render by design.
  const table = useReactTable({
    data,
    columns,
    getRowId,
    getCoreRowModel: getCoreRowModel(),
    manualPagination: true,
    manualSorting: true,
    manualFiltering: true,
    enableMultiSort: false,
    enableSortingRemoval: false,
    enableRowSelection: !!onRowSelectionChange,
    state: { sorting, columnVisibility, rowSelection: rowSelection ?? {} },
    onSortingChange,
    onColumnVisibilityChange,
    onRowSelectionChange,
  });
  const visibleColumns = table.getVisibleLeafColumns();
  return (
    <Table label={label} framed busy={busy}>
      <THead framed>
        {table.getHeaderGroups().map((group) => (
          <Tr key={group.id}>
            {group.headers.map((header) => {
              const sorted = header.column.getIsSorted();
              const canSort = header.column.getCanSort();
              return (
                <Th
                  key={header.id}
                  aria-sort={sorted === "asc" ? "ascending" : sorted === "desc" ? "descending" : undefined}
                >
                  {header.isPlaceholder ? null : canSort ? (
                    <button
                      type="button"
                      onClick={header.column.getToggleSortingHandler()}
                      className="inline-flex items-center gap-1 hover:text-slate-900"
                    >
                      {flexRender(header.column.columnDef.header, header.getContext())}
                      <span aria-hidden className="text-slate-400">
                        {sorted === "asc" ? "▲" : sorted === "desc" ? "▼" : "↕"}
                      </span>
                    </button>
                  ) : (
                    flexRender(header.column.columnDef.header, header.getContext())
                  )}
                </Th>
              );
            })}
          </Tr>
        ))}
      </THead>
      <TBody>
        {table.getRowModel().rows.length === 0 ? (
          <EmptyRow columns={table.getVisibleLeafColumns().length}>{empty}</EmptyRow>
        ) : (
          table.getRowModel().rows.map((row) => (
            <Tr
              key={row.id}
              data-row-id={row.id}
              onClick={
                onRowClick
                  ? (e) => {
                      // Clicks on controls inside the row keep their own meaning.
                      if ((e.target as HTMLElement).closest("a,button,input,label,select")) return;
                      onRowClick(row.original);
                    }
                  : undefined
              }
              className={`${onRowClick ? "cursor-pointer hover:bg-indigo-50/50" : ""} ${row.getIsSelected() ? "bg-indigo-50" : ""}`}
            >
              {visibleColumns.map((column) => (
                <Td key={column.id}>{renderCell(table, column, row)}</Td>
              ))}
            </Tr>
          ))
        )}
      </TBody>
    </Table>
  );
}

/** One body cell: the column's template called with the cell's context (see above). */
function renderCell<Row>(table: TableInstance<Row>, column: Column<Row, unknown>, row: TableRow<Row>): ReactNode {
  const template = column.columnDef.cell;
  if (typeof template !== "function") return template ?? null;
  const context: CellContext<Row, unknown> = {
    table,
    column,
    row,
    getValue: () => row.getValue(column.id),
    renderValue: () => row.renderValue(column.id),
    get cell() {
      return row.getAllCells().find((cell) => cell.column.id === column.id)!;
    },
  };
  return template(context) as ReactNode;
}
