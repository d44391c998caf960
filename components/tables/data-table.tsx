"use client";

import {
  flexRender,
  getCoreRowModel,
  useReactTable,
  type ColumnDef,
  type OnChangeFn,
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
              {row.getVisibleCells().map((cell) => (
                <Td key={cell.id}>{flexRender(cell.column.columnDef.cell, cell.getContext())}</Td>
              ))}
            </Tr>
          ))
        )}
      </TBody>
    </Table>
  );
}
