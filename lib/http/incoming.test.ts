import http from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, describe, expect, it } from "vitest";
import { guardRequest } from "./incoming.ts";
import { behindTrustedProxy, CLIENT_ADDRESS_HEADER } from "./trusted-proxy.ts";

// A real server whose handler runs the guard and answers with the headers the app would see.
const servers: http.Server[] = [];
async function serve(trusted: boolean): Promise<number> {
  const server = http.createServer((req, res) => {
    guardRequest(req, trusted);
    res.end(JSON.stringify(req.headers));
  });
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return (server.address() as AddressInfo).port;
}
afterAll(() => servers.forEach((server) => server.close()));

function get(port: number, headers: Record<string, string>, localAddress = "127.0.0.1") {
  return new Promise<Record<string, string>>((resolve, reject) => {
    http
      .get({ host: "127.0.0.1", port, headers, localAddress }, (res) => {
        let body = "";
        res.on("data", (chunk) => (body += chunk));
        res.on("end", () => resolve(JSON.parse(body)));
      })
      .on("error", reject);
  });
}

const forwarded = {
  "x-forwarded-for": "203.0.113.7, 198.51.100.2",
  "x-forwarded-host": "evil.example",
  "x-forwarded-proto": "https",
  [CLIENT_ADDRESS_HEADER]: "10.9.9.9",
};

describe("incoming request guard", () => {
  it("without a trusted proxy: the socket's address, and no X-Forwarded-* from the client", async () => {
    const seen = await get(await serve(false), forwarded, "127.0.0.2");
    expect(seen[CLIENT_ADDRESS_HEADER]).toBe("127.0.0.2");
    expect(seen["x-forwarded-host"]).toBeUndefined();
    expect(seen["x-forwarded-for"]).toBeUndefined();
    expect(seen["x-forwarded-proto"]).toBeUndefined();
  });

  it("behind a trusted proxy: the last X-Forwarded-For hop, and X-Forwarded-Host is kept", async () => {
    const seen = await get(await serve(true), forwarded);
    expect(seen[CLIENT_ADDRESS_HEADER]).toBe("198.51.100.2");
    expect(seen["x-forwarded-host"]).toBe("evil.example");
  });

  it("reads ECD_TRUSTED_PROXY strictly", () => {
    expect(behindTrustedProxy({})).toBe(false);
    expect(behindTrustedProxy({ ECD_TRUSTED_PROXY: "on" })).toBe(true);
    expect(behindTrustedProxy({ ECD_TRUSTED_PROXY: "off" })).toBe(false);
    expect(() => behindTrustedProxy({ ECD_TRUSTED_PROXY: "maybe" })).toThrow(
      'ECD_TRUSTED_PROXY: expected on or off, got "maybe"',
    );
  });
});
