/**
 * The Content-Security-Policy of every page: scripts only with this request's nonce (and what
 * they load, 'strict-dynamic'), so an injected <script> or inline event handler does not run;
 * no plugins, no <base>, no framing. Inline style *attributes* are allowed (React renders them);
 * <style> elements need the nonce like scripts.
 */
export function contentSecurityPolicy(nonce: string, dev = false): string {
  return [
    "default-src 'self'",
    `script-src 'self' 'nonce-${nonce}' 'strict-dynamic'${dev ? " 'unsafe-eval'" : ""}`,
    `style-src 'self' 'nonce-${nonce}'`,
    `style-src-elem 'self' 'nonce-${nonce}'`,
    "style-src-attr 'unsafe-inline'",
    "img-src 'self' blob: data:",
    "font-src 'self'",
    "connect-src 'self'",
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'self'",
    "frame-ancestors 'none'",
  ].join("; ");
}
