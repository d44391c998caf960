import { notFound } from "next/navigation";
import { parseId } from "./ids.ts";

/** parseId for pages and route handlers: a malformed id is a 404 like a missing one. */
export function idOrNotFound(value: string | null | undefined): number {
  const id = parseId(value);
  if (id === null) notFound();
  return id;
}
