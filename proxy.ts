import { type NextRequest, NextResponse } from "next/server";
import { contentSecurityPolicy } from "./lib/http/csp";

/**
 * Runs before every page and route: a fresh nonce per request in the Content-Security-Policy.
 * Next.js reads the nonce from the request's CSP header and puts it on its own scripts.
 */
export function proxy(request: NextRequest) {
  const nonce = btoa(crypto.randomUUID());
  const policy = contentSecurityPolicy(nonce, process.env.NODE_ENV === "development");
  const headers = new Headers(request.headers);
  headers.set("content-security-policy", policy);
  const response = NextResponse.next({ request: { headers } });
  response.headers.set("content-security-policy", policy);
  return response;
}

export const config = {
  // Static files carry no HTML; everything else, route handlers included, gets the header.
  matcher: ["/((?!_next/static|_next/image|favicon.ico).*)"],
};
