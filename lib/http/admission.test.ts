import http from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, describe, expect, it } from "vitest";
import { admissionFromEnv, createAdmission, DEFAULT_ADMISSION, isGatedRequest } from "./admission.ts";

// A real server whose handler goes through the gate; `/slow?ms=N` answers after N ms, `/stream` never ends.
const servers: http.Server[] = [];
async function serve(gate: ReturnType<typeof createAdmission>, order: string[]): Promise<number> {
  const server = http.createServer((req, res) =>
    gate.admit(req, res, () => {
      order.push(`start ${req.url}`);
      const url = new URL(req.url ?? "/", "http://x");
      if (url.pathname === "/stream") {
        res.write("first chunk");
        return;
      }
      setTimeout(
        () => {
          order.push(`end ${req.url}`);
          res.end("ok");
        },
        Number(url.searchParams.get("ms") ?? 0),
      );
    }),
  );
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return (server.address() as AddressInfo).port;
}
afterAll(() => servers.forEach((server) => server.closeAllConnections()));

function get(port: number, path: string, agent = new http.Agent()): Promise<string> {
  return new Promise((resolve, reject) => {
    http
      .get({ host: "127.0.0.1", port, path, agent }, (res) => {
        let body = "";
        res.on("data", (chunk) => (body += chunk));
        res.on("end", () => resolve(body));
      })
      .on("error", reject);
  });
}

describe("page admission", () => {
  it("renders `concurrency` requests at a time, in arrival order", async () => {
    const order: string[] = [];
    const gate = createAdmission({ concurrency: 1, maxHoldMs: 10_000 });
    const port = await serve(gate, order);
    const first = get(port, "/slow?ms=150&n=1");
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(gate.counts).toEqual({ active: 1, waiting: 0 });
    const second = get(port, "/slow?ms=0&n=2");
    const third = get(port, "/slow?ms=0&n=3");
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(gate.counts).toEqual({ active: 1, waiting: 2 });
    await Promise.all([first, second, third]);
    expect(order).toEqual([
      "start /slow?ms=150&n=1",
      "end /slow?ms=150&n=1",
      "start /slow?ms=0&n=2",
      "end /slow?ms=0&n=2",
      "start /slow?ms=0&n=3",
      "end /slow?ms=0&n=3",
    ]);
    expect(gate.counts).toEqual({ active: 0, waiting: 0 });
  });

  it("a response that runs long gives its place up after maxHoldMs", async () => {
    const order: string[] = [];
    const gate = createAdmission({ concurrency: 1, maxHoldMs: 100 });
    const port = await serve(gate, order);
    const agent = new http.Agent();
    http.get({ host: "127.0.0.1", port, path: "/stream", agent }).on("error", () => {});
    await new Promise((resolve) => setTimeout(resolve, 30));
    const started = performance.now();
    expect(await get(port, "/slow?ms=0")).toBe("ok");
    expect(performance.now() - started).toBeGreaterThanOrEqual(50);
    expect(order).toEqual(["start /stream", "start /slow?ms=0", "end /slow?ms=0"]);
    agent.destroy();
  });

  it("a client that left while it waited is skipped", async () => {
    const order: string[] = [];
    const gate = createAdmission({ concurrency: 1, maxHoldMs: 10_000 });
    const port = await serve(gate, order);
    const first = get(port, "/slow?ms=200&n=1");
    await new Promise((resolve) => setTimeout(resolve, 30));
    const gone = http.get({ host: "127.0.0.1", port, path: "/slow?ms=0&n=gone" }).on("error", () => {});
    await new Promise((resolve) => setTimeout(resolve, 30));
    gone.destroy();
    await first;
    expect(await get(port, "/slow?ms=0&n=3")).toBe("ok");
    expect(order).not.toContain("start /slow?ms=0&n=gone");
  });

  it("queues pages, not Next.js assets or API routes", () => {
    expect(isGatedRequest("/datasets/1/review")).toBe(true);
    expect(isGatedRequest("/")).toBe(true);
    expect(isGatedRequest("/_next/static/chunks/app.js")).toBe(false);
    expect(isGatedRequest("/api/jobs/3")).toBe(false);
  });

  it("reads ECD_WEB_CONCURRENCY strictly", () => {
    expect(admissionFromEnv({})).toEqual(DEFAULT_ADMISSION);
    expect(admissionFromEnv({ ECD_WEB_CONCURRENCY: "4" })).toEqual({ ...DEFAULT_ADMISSION, concurrency: 4 });
    expect(admissionFromEnv({ ECD_WEB_CONCURRENCY: "0" })).toBeNull();
    expect(() => admissionFromEnv({ ECD_WEB_CONCURRENCY: "many" })).toThrow(
      'ECD_WEB_CONCURRENCY: expected a whole number (0 = no limit), got "many"',
    );
  });
});
