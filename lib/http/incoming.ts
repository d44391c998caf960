import http from "node:http";
import { admissionFromEnv, createAdmission, isGatedRequest } from "./admission.ts";
import { behindTrustedProxy, CLIENT_ADDRESS_HEADER } from "./trusted-proxy.ts";

/**
 * Runs on every HTTP request before Next.js sees it (installed once per server process from
 * instrumentation.ts), because only here is the socket known:
 * - records the client address (the socket's, or the last X-Forwarded-For hop when
 *   ECD_TRUSTED_PROXY is on) in CLIENT_ADDRESS_HEADER, replacing anything the client sent;
 * - without a trusted proxy, removes X-Forwarded-Host/-Proto/-Port/-For, which Next.js would
 *   otherwise believe (its server-action origin check reads X-Forwarded-Host);
 * - answers 414 to a request line longer than MAX_URL_LENGTH;
 * - lets page requests into Next.js a few at a time, in arrival order (lib/http/admission.ts).
 */

export const MAX_URL_LENGTH = 8 * 1024;

export function guardRequest(req: http.IncomingMessage, trusted: boolean): void {
  const headers = req.headers;
  let address = req.socket.remoteAddress ?? "unknown";
  if (trusted) {
    const hops = String(headers["x-forwarded-for"] ?? "")
      .split(",")
      .map((hop) => hop.trim())
      .filter(Boolean);
    address = hops.at(-1) ?? address;
  } else {
    for (const name of ["x-forwarded-host", "x-forwarded-proto", "x-forwarded-port", "x-forwarded-for"])
      delete headers[name];
  }
  headers[CLIENT_ADDRESS_HEADER] = address.replace(/^::ffff:/, "");
}

export function installIncomingGuard(env: Record<string, string | undefined> = process.env): void {
  const trusted = behindTrustedProxy(env);
  const limits = admissionFromEnv(env);
  const admission = limits && createAdmission(limits);
  const proto = http.Server.prototype as http.Server & { ecdGuarded?: boolean };
  if (proto.ecdGuarded) return;
  proto.ecdGuarded = true;
  const emit = proto.emit;
  proto.emit = function (this: http.Server, event: string, ...args: unknown[]) {
    if (event === "request") {
      const [req, res] = args as [http.IncomingMessage, http.ServerResponse];
      if ((req.url ?? "").length > MAX_URL_LENGTH) {
        res.writeHead(414, { "content-type": "text/plain; charset=utf-8", connection: "close" });
        res.end("URI too long\n");
        return true;
      }
      guardRequest(req, trusted);
      if (admission && isGatedRequest(req.url)) {
        admission.admit(req, res, () => Reflect.apply(emit, this, [event, ...args]));
        return true;
      }
    }
    return Reflect.apply(emit, this, [event, ...args]) as boolean;
  } as typeof proto.emit;
}
