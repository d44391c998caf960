import type http from "node:http";

/**
 * Page requests enter Next.js a few at a time, first come first served (installed with the
 * incoming guard, lib/http/incoming.ts).
 *
 * Why: rendering is CPU work on one event loop, and Next.js/React interleave every request in
 * flight, so N requests that arrive together share the loop and all finish together, after about N
 * times the work of one. Under bench:web's 20 clients (1 s between requests) that made the clients
 * move in lockstep: a burst of 20 pages (~40 ms each) finished as one ~800 ms batch, the clients all
 * waited their second and came back together, and p50 sat near 500 ms with the server half idle.
 * Admitting `concurrency` requests at a time answers the first arrivals after one page's work, so
 * the clients drift apart and the load stays spread out (measured: p95 1,238 → 300 ms on the same
 * load; see bench/web.ts). Two at a time keeps a request that waits (another process's SQLite write
 * lock, on timers) from holding up all the others.
 *
 * A request holds its place until its response finishes or its connection closes, but at most
 * `maxHoldMs`: a long download or upload then goes on outside the count instead of blocking pages.
 */
export type AdmissionOptions = { concurrency: number; maxHoldMs: number };

export const DEFAULT_ADMISSION: AdmissionOptions = { concurrency: 2, maxHoldMs: 1000 };

/** Next.js's own assets and the API routes (sign-in, job status) are never queued. */
export function isGatedRequest(url: string | undefined): boolean {
  const path = url ?? "/";
  return !path.startsWith("/_next/") && !path.startsWith("/api/");
}

/** ECD_WEB_CONCURRENCY: page requests rendered at once (default 2; "0" turns the queue off). */
export function admissionFromEnv(env: Record<string, string | undefined>): AdmissionOptions | null {
  const raw = env.ECD_WEB_CONCURRENCY;
  if (raw === undefined || raw === "") return DEFAULT_ADMISSION;
  const concurrency = Number(raw);
  if (!Number.isInteger(concurrency) || concurrency < 0)
    throw new Error(`ECD_WEB_CONCURRENCY: expected a whole number (0 = no limit), got "${raw}"`);
  return concurrency === 0 ? null : { ...DEFAULT_ADMISSION, concurrency };
}

/** A FIFO gate: `admit(req, res, run)` calls `run` now or once a place is free. */
export function createAdmission(options: AdmissionOptions) {
  let active = 0;
  const waiting: { req: http.IncomingMessage; res: http.ServerResponse; run: () => void }[] = [];

  function start(res: http.ServerResponse, run: () => void) {
    active += 1;
    let held = true;
    const release = () => {
      if (!held) return;
      held = false;
      clearTimeout(timer);
      active -= 1;
      next();
    };
    const timer = setTimeout(release, options.maxHoldMs);
    timer.unref();
    res.once("finish", release);
    res.once("close", release);
    run();
  }

  function next() {
    while (active < options.concurrency && waiting.length) {
      const item = waiting.shift()!;
      // The client gave up while it waited: nothing to render.
      if (item.req.socket.destroyed) continue;
      start(item.res, item.run);
    }
  }

  return {
    admit(req: http.IncomingMessage, res: http.ServerResponse, run: () => void): void {
      if (active < options.concurrency && !waiting.length) start(res, run);
      else waiting.push({ req, res, run });
    },
    /** Requests rendering and waiting (tests). */
    get counts() {
      return { active, waiting: waiting.length };
    },
  };
}
