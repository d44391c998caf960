/**
 * Runs a query over `ids` in slices, so an `IN (…)` list never passes the driver's parameter
 * limit (Prisma's SQLite limit is 999 bind parameters per query).
 */
export const IN_LIST_MAX = 400;

export async function inSlices<T, R>(
  ids: readonly T[],
  query: (slice: T[]) => Promise<R[]>,
  size = IN_LIST_MAX,
): Promise<R[]> {
  if (ids.length <= size) return ids.length ? query([...ids]) : [];
  const out: R[] = [];
  for (let i = 0; i < ids.length; i += size) out.push(...(await query(ids.slice(i, i + size))));
  return out;
}
