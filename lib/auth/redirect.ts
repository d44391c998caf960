/**
 * Where to go after signing in: the requested URL resolved against the app's own origin, kept
 * only when the origin is unchanged (so `/\evil.example`, `/%09/evil.example` and absolute URLs to
 * other hosts fall back to "/"). Returns a path that starts with exactly one "/".
 * Used by the sign-in form (browser) and next-auth's redirect callback (server).
 */
export function safeCallbackPath(url: string | null | undefined, origin: string): string {
  if (!url) return "/";
  try {
    const base = new URL(origin);
    const resolved = new URL(url, base);
    if (resolved.origin !== base.origin) return "/";
    // "//host" as a path would be read as another origin by whoever follows it.
    return `/${resolved.pathname.replace(/^[/\\]+/, "")}${resolved.search}${resolved.hash}`;
  } catch {
    return "/";
  }
}
