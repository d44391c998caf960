/**
 * A browser POST from another site carries that site's Origin; route handlers that change data
 * refuse it, because the session cookie alone is not consent. (Server actions get the same check
 * from Next.js itself.)
 */
export function isCrossSiteRequest(request: Request): boolean {
  const origin = request.headers.get("origin");
  if (!origin) return false;
  const host = request.headers.get("x-forwarded-host") ?? request.headers.get("host");
  try {
    return new URL(origin).host !== host;
  } catch {
    return true;
  }
}
