import { test as base, expect, type Page } from "@playwright/test";

export { expect };
export type { APIRequestContext, Page, Request } from "@playwright/test";

type Violation = { page: string; directive: string; blocked: string; sample: string };

/**
 * Every spec imports `test` from here: its `page` fails the test on any Content-Security-Policy
 * violation (the `securitypolicyviolation` event, on every page the test visits) and on any HTML
 * page served without a Content-Security-Policy header.
 */
export const test = base.extend<{ page: Page }>({
  page: async ({ page }, provide) => {
    const violations: Violation[] = [];
    const unprotected: string[] = [];
    await page.exposeFunction("__reportCspViolation", (violation: Violation) => violations.push(violation));
    await page.addInitScript(() => {
      document.addEventListener("securitypolicyviolation", (event) => {
        (window as unknown as { __reportCspViolation: (v: unknown) => void }).__reportCspViolation({
          page: location.href,
          directive: event.violatedDirective,
          blocked: event.blockedURI,
          sample: event.sample,
        });
      });
    });
    page.on("response", (response) => {
      const request = response.request();
      if (request.resourceType() !== "document" || request.frame() !== page.mainFrame()) return;
      const type = response.headers()["content-type"] ?? "";
      if (type.startsWith("text/html") && !response.headers()["content-security-policy"])
        unprotected.push(response.url());
    });
    await provide(page);
    expect(violations, "Content-Security-Policy violations").toEqual([]);
    expect(unprotected, "HTML pages without a Content-Security-Policy header").toEqual([]);
  },
});

export async function signIn(page: Page, email: string, password: string) {
  await page.goto("/signin");
  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Password").fill(password);
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page.getByTestId("current-user")).toContainText(email);
}

export async function signOut(page: Page) {
  await page.getByRole("button", { name: "Sign out", exact: true }).click();
  await expect(page).toHaveURL(/\/signin/);
}

const PORT = Number(process.env.E2E_PORT ?? 3100);

export type RawResponse = { status: number; headers: Record<string, string | string[] | undefined>; body: string };

/**
 * One HTTP request to the e2e server from a chosen loopback address (127.0.0.2, 127.0.0.3…), so a
 * test can be several clients. No redirects are followed.
 */
export async function rawRequest(
  path: string,
  options: { method?: string; headers?: Record<string, string>; body?: string; from?: string; timeoutMs?: number } = {},
): Promise<RawResponse> {
  const http = await import("node:http");
  return new Promise((resolve, reject) => {
    const request = http.request(
      {
        host: "127.0.0.1",
        port: PORT,
        path,
        method: options.method ?? "GET",
        // The app's own name for itself, as a browser would send it.
        headers: { host: `localhost:${PORT}`, ...options.headers },
        localAddress: options.from ?? "127.0.0.1",
        timeout: options.timeoutMs ?? 30_000,
      },
      (response) => {
        let body = "";
        response.setEncoding("utf8");
        response.on("data", (chunk: string) => (body += chunk));
        response.on("end", () => resolve({ status: response.statusCode ?? 0, headers: response.headers, body }));
      },
    );
    request.on("timeout", () =>
      request.destroy(new Error(`no answer to ${options.method ?? "GET"} ${path.slice(0, 80)}…`)),
    );
    request.on("error", reject);
    request.end(options.body);
  });
}

/** The name=value pairs of a response's Set-Cookie headers, merged into a Cookie header. */
export function mergeCookies(cookie: string, response: RawResponse): string {
  const jar = new Map(
    cookie
      .split("; ")
      .filter(Boolean)
      .map((pair) => [pair.slice(0, pair.indexOf("=")), pair] as const),
  );
  for (const line of [response.headers["set-cookie"] ?? []].flat()) {
    const pair = line.split(";")[0];
    jar.set(pair.slice(0, pair.indexOf("=")), pair);
  }
  return [...jar.values()].join("; ");
}

/**
 * Signs in over plain HTTP the way the sign-in form does (next-auth's credentials callback) from
 * the loopback address `from`. Returns "signed-in" with the session cookie, or the error code.
 */
export async function httpSignIn(
  email: string,
  password: string,
  from = "127.0.0.1",
  extraHeaders: Record<string, string> = {},
): Promise<{ outcome: string; cookie: string }> {
  const csrf = await rawRequest("/api/auth/csrf", { from, headers: extraHeaders });
  let cookie = mergeCookies("", csrf);
  const body = new URLSearchParams({
    email,
    password,
    csrfToken: JSON.parse(csrf.body).csrfToken,
    callbackUrl: "/",
    json: "true",
  }).toString();
  const response = await rawRequest("/api/auth/callback/credentials", {
    method: "POST",
    from,
    body,
    headers: { ...extraHeaders, "content-type": "application/x-www-form-urlencoded", cookie },
  });
  cookie = mergeCookies(cookie, response);
  const url = new URL(JSON.parse(response.body).url);
  return { outcome: url.searchParams.get("error") ?? "signed-in", cookie };
}

/** Runs the `ecd` CLI against the e2e server's database. */
export async function ecd(args: string[], stdin = ""): Promise<string> {
  const { execFileSync } = await import("node:child_process");
  return execFileSync(process.execPath, ["--import", "tsx", "lib/cli/main.ts", ...args], {
    input: stdin,
    encoding: "utf8",
    env: { ...process.env, DATABASE_URL: `file:./data/e2e-${PORT}/ecd.db`, ECD_DATA_DIR: `data/e2e-${PORT}` },
  });
}
