/** Ids are 32-bit on PostgreSQL: 1..2,147,483,647. */
export const MAX_ID = 2_147_483_647;

/**
 * The one parser for ids in URLs (`[id]`, `[jobId]`, `[seedId]`, `[exportId]`, `?pair=`): canonical
 * decimal only ("7", not "07", "7.0", "+7", "0x7", "7e0" or " 7"), within 1..MAX_ID; else null.
 */
export function parseId(value: string | null | undefined): number | null {
  if (typeof value !== "string" || !/^[1-9][0-9]{0,9}$/.test(value)) return null;
  const id = Number(value);
  return id <= MAX_ID ? id : null;
}
