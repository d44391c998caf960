/**
 * What the route handlers that take a file as their request body share (dataset imports,
 * benchmark sets): the opening checks after authorization, and JSON answers — `{ ok: true, … }`
 * or `{ ok: false, error }` with a message to show as is. A file posted this way streams into
 * lib/ and is never held whole in memory, so it is not bound by the server-action body limit.
 */
import { randomUUID } from "node:crypto";
import { isCrossSiteRequest } from "../auth/same-origin.ts";
import { DomainError } from "../errors.ts";
import { formatBytes } from "../format.ts";

const NO_STORE = { "cache-control": "no-store" };

export function jsonAnswer(body: { ok: boolean } & Record<string, unknown>, status = 200): Response {
  return Response.json(body, { status, headers: NO_STORE });
}

export function jsonFailure(error: string, status: number): Response {
  return jsonAnswer({ ok: false, error }, status);
}

/**
 * A failure caught by an upload route: a DomainError's message (404 for a missing thing, else
 * 400); anything else is logged under a reference and answered without details.
 */
export function jsonFailureOf(error: unknown, what: string, nothingDone: string): Response {
  if (error instanceof DomainError) return jsonFailure(error.message, error.code === "not_found" ? 404 : 400);
  const ref = randomUUID().slice(0, 8);
  console.error(`[${what} error ${ref}]`, error);
  return jsonFailure(`Something went wrong (reference ${ref}). ${nothingDone}`, 500);
}

/** The refusal of a POST from another site (the session cookie alone is not consent), or null. */
export function crossSiteRefusal(request: Request): Response | null {
  return isCrossSiteRequest(request) ? jsonFailure("Refused: the upload did not come from this site", 403) : null;
}

/**
 * The request's body as the uploaded file, or the refusal to answer: a declared size over
 * `maxBytes` (the streaming reader checks the bytes again), no body. `instead` says what to do
 * with a bigger file.
 */
export function uploadedBody(
  request: Request,
  maxBytes: number,
  instead: string,
): ReadableStream<Uint8Array> | Response {
  const length = Number(request.headers.get("content-length") ?? NaN);
  if (length > maxBytes)
    return jsonFailure(
      `The file is ${formatBytes(length)}, larger than the ${formatBytes(maxBytes)} upload limit (${instead})`,
      413,
    );
  if (!request.body) return jsonFailure("No file was sent", 400);
  return request.body;
}
