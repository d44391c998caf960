/**
 * ECD_TRUSTED_PROXY=on says the app runs behind a reverse proxy that sets X-Forwarded-For and
 * X-Forwarded-Host (and strips what clients send). Off (the default), those headers are the
 * client's own words: the client address comes from the socket and X-Forwarded-Host is removed.
 */
export function behindTrustedProxy(env: Record<string, string | undefined> = process.env): boolean {
  const value = (env.ECD_TRUSTED_PROXY ?? "").trim().toLowerCase();
  if (["", "off", "0", "false", "no"].includes(value)) return false;
  if (["on", "1", "true", "yes"].includes(value)) return true;
  throw new Error(`ECD_TRUSTED_PROXY: expected on or off, got "${env.ECD_TRUSTED_PROXY}"`);
}

/** Set on every incoming request by the guard (lib/http/incoming.ts); a client's own copy is dropped. */
export const CLIENT_ADDRESS_HEADER = "x-ecd-client-address";

/** The client address of a request, as the guard recorded it ("unknown" outside the server). */
export function clientAddress(headers: Headers | Record<string, string | string[] | undefined>): string {
  const value = headers instanceof Headers ? headers.get(CLIENT_ADDRESS_HEADER) : headers[CLIENT_ADDRESS_HEADER];
  return (Array.isArray(value) ? value[0] : value) || "unknown";
}
