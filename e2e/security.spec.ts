import { E2E_ADMIN } from "../playwright.config";
import { ecd, expect, httpSignIn, rawRequest, signIn, test } from "./helpers";

const PASSWORD = "security-pass-123";

/** A fresh user made with the CLI (so the admin's sign-in limits stay untouched). */
async function newUser(role: "annotator" | "researcher" | "admin", label: string): Promise<string> {
  const email = `${label}-${Date.now()}-${Math.random().toString(36).slice(2, 6)}@e2e.test`;
  await ecd(["user", "add", "--email", email, "--role", role], `${PASSWORD}\n`);
  return email;
}

/** Whether a Cookie header is a valid session: the home page serves it or sends it to sign in. */
async function sessionWorks(cookie: string): Promise<boolean> {
  const response = await rawRequest("/", { headers: { cookie } });
  if (response.status === 200) return true;
  expect(response.status).toBe(307);
  expect(response.headers.location).toMatch(/\/signin\?callbackUrl=/);
  return false;
}

test.describe("no redirect off-site after sign-in", () => {
  for (const callback of ["/%5Cevil.example/x", "/%09/evil.example/x", "/%5C%5Cevil.example", "//evil.example/x"]) {
    test(`callbackUrl=${callback} stays on the app's origin`, async ({ page, baseURL }) => {
      await page.route(
        (url) => url.hostname.endsWith("evil.example"),
        (route) => route.abort(),
      );
      await page.goto(`/signin?callbackUrl=${callback}`);
      await page.getByLabel("Email").fill(E2E_ADMIN.email);
      await page.getByLabel("Password").fill(E2E_ADMIN.password);
      await page.getByRole("button", { name: "Sign in" }).click();
      await expect(page.getByTestId("current-user")).toContainText(E2E_ADMIN.email);
      expect(new URL(page.url()).origin).toBe(new URL(baseURL!).origin);
      expect(new URL(page.url()).pathname).toBe("/");
    });
  }

  test("next-auth's own redirect (the server side) keeps the origin too", async () => {
    const csrf = await rawRequest("/api/auth/csrf");
    const cookie = [csrf.headers["set-cookie"] ?? []]
      .flat()
      .map((line) => line.split(";")[0])
      .join("; ");
    for (const callbackUrl of ["/\\evil.example/x", "/\t/evil.example/x", "https://evil.example/", "//evil.example"]) {
      const response = await rawRequest("/api/auth/signout", {
        method: "POST",
        headers: { "content-type": "application/x-www-form-urlencoded", cookie },
        body: new URLSearchParams({ csrfToken: JSON.parse(csrf.body).csrfToken, callbackUrl, json: "true" }).toString(),
      });
      const url = new URL(JSON.parse(response.body).url);
      expect(url.host, callbackUrl).toBe(`localhost:${process.env.E2E_PORT ?? 3100}`);
      expect(url.pathname, callbackUrl).toBe("/");
    }
  });
});

test("the sign-in page shows only its own messages, never the error parameter's text", async ({ page }) => {
  await page.goto("/signin?error=Session%20expired.%20Re-enter%20your%20password%20at%20https://evil.example/login");
  await expect(page.getByRole("alert").filter({ hasText: /\S/ })).toHaveText("Email or password is incorrect.");
  await expect(page.locator("body")).not.toContainText("evil.example");
  await page.goto("/signin?error=limited");
  await expect(page.getByRole("alert").filter({ hasText: /\S/ })).toContainText("Too many failed sign-ins");
});

test.describe("revocable sessions: a copied cookie stops working", () => {
  test("after sign-out", async ({ page }) => {
    const email = await newUser("annotator", "signout");
    await signIn(page, email, PASSWORD);
    const copied = (await page.context().cookies()).map((c) => `${c.name}=${c.value}`).join("; ");
    expect(await sessionWorks(copied)).toBe(true);
    await page.getByRole("button", { name: "Sign out", exact: true }).click();
    await expect(page).toHaveURL(/\/signin/);
    expect(await sessionWorks(copied)).toBe(false);
  });

  test("after a password change, except in the browser that changed it", async ({ page }) => {
    const email = await newUser("researcher", "passwd");
    const elsewhere = await httpSignIn(email, PASSWORD, "127.0.0.6");
    expect(await sessionWorks(elsewhere.cookie)).toBe(true);
    await signIn(page, email, PASSWORD);
    await page.getByTestId("current-user").click();
    await expect(page.getByRole("heading", { name: "Your account" })).toBeVisible();
    const form = page.getByRole("form", { name: "Change password" });
    await form.getByLabel("Current password").fill("not-my-password-1");
    await form.getByLabel("New password").fill("a-fresh-password-9");
    await form.getByRole("button", { name: "Change password" }).click();
    await expect(form.getByRole("alert")).toHaveText("Current password is incorrect");
    expect(await sessionWorks(elsewhere.cookie)).toBe(true); // a refusal changes nothing

    await form.getByLabel("Current password").fill(PASSWORD);
    await form.getByLabel("New password").fill("password1234");
    await form.getByRole("button", { name: "Change password" }).click();
    await expect(form.getByRole("alert")).toContainText("commonly used passwords");

    await form.getByLabel("Current password").fill(PASSWORD);
    await form.getByLabel("New password").fill("a-fresh-password-9");
    await form.getByRole("button", { name: "Change password" }).click();
    await expect(form.getByRole("status")).toHaveText("Password changed. Your other sessions are signed out.");
    expect(await sessionWorks(elsewhere.cookie)).toBe(false);
    await page.goto("/");
    await expect(page.getByTestId("current-user")).toContainText(email);
    expect((await httpSignIn(email, "a-fresh-password-9", "127.0.0.6")).outcome).toBe("signed-in");
  });

  test("after disable → enable, and after an admin's sign-out-everywhere", async ({ page }) => {
    const email = await newUser("annotator", "disable");
    const before = await httpSignIn(email, PASSWORD, "127.0.0.7");
    expect(await sessionWorks(before.cookie)).toBe(true);
    await signIn(page, E2E_ADMIN.email, E2E_ADMIN.password);
    await page.goto("/admin/users");
    const row = page.getByTestId(`user-row-${email}`);
    await row.getByRole("button", { name: "Disable" }).click();
    await expect(row.getByRole("status")).toHaveText(`${email} is disabled`);
    await row.getByRole("button", { name: "Enable" }).click();
    await expect(row.getByRole("status")).toHaveText(`${email} is enabled`);
    expect(await sessionWorks(before.cookie)).toBe(false);

    const again = await httpSignIn(email, PASSWORD, "127.0.0.7");
    expect(await sessionWorks(again.cookie)).toBe(true);
    await row.getByRole("button", { name: "Sign out everywhere" }).click();
    await expect(row.getByRole("status")).toHaveText(`Every session of ${email} is signed out`);
    expect(await sessionWorks(again.cookie)).toBe(false);
  });

  test("own sign-out-everywhere ends this browser's session too", async ({ page }) => {
    const email = await newUser("annotator", "everywhere");
    const other = await httpSignIn(email, PASSWORD, "127.0.0.8");
    await signIn(page, email, PASSWORD);
    await page.goto("/account");
    await page.getByRole("button", { name: "Sign out everywhere" }).click();
    await expect(page).toHaveURL(/\/signin/);
    expect(await sessionWorks(other.cookie)).toBe(false);
    await page.goto("/");
    await expect(page).toHaveURL(/\/signin/);
  });
});

test.describe("sign-in limits", () => {
  test("40 parallel wrong passwords are all counted; a fresh client still signs in", async () => {
    const email = await newUser("admin", "target");
    const outcomes = await Promise.all(
      Array.from({ length: 40 }, () => httpSignIn(email, "wrong-password-1", "127.0.0.3").then((r) => r.outcome)),
    );
    expect(outcomes.filter((o) => o === "invalid").length).toBeLessThanOrEqual(5);
    expect(outcomes.filter((o) => o === "limited").length).toBeGreaterThanOrEqual(35);
    // The right password from the client that has been failing waits…
    expect((await httpSignIn(email, PASSWORD, "127.0.0.3")).outcome).toBe("limited");
    // …while the account's owner on another client signs in at once.
    const fresh = await httpSignIn(email, PASSWORD, "127.0.0.4");
    expect(fresh.outcome).toBe("signed-in");
    expect(await sessionWorks(fresh.cookie)).toBe(true);
  });

  test("X-Forwarded-For does not make a new client (no trusted proxy)", async () => {
    const email = await newUser("annotator", "spoof");
    const outcomes: string[] = [];
    for (let i = 0; i < 8; i++) {
      const spoofed = { "x-forwarded-for": `203.0.113.${i}` };
      outcomes.push((await httpSignIn(email, "wrong-password-1", "127.0.0.5", spoofed)).outcome);
    }
    expect(outcomes.slice(5)).toEqual(["limited", "limited", "limited"]);
  });

  test("an admin unlocks a limited account", async ({ page }) => {
    const email = await newUser("annotator", "unlock");
    for (let i = 0; i < 6; i++) await httpSignIn(email, "wrong-password-1", "127.0.0.9");
    expect((await httpSignIn(email, PASSWORD, "127.0.0.9")).outcome).toBe("limited");
    await signIn(page, E2E_ADMIN.email, E2E_ADMIN.password);
    await page.goto("/admin/users");
    const row = page.getByTestId(`user-row-${email}`);
    await row.getByRole("button", { name: "Unlock sign-in" }).click();
    await expect(row.getByRole("status")).toHaveText(`Sign-in limits cleared for ${email}`);
    expect((await httpSignIn(email, PASSWORD, "127.0.0.9")).outcome).toBe("signed-in");
  });

  test("an admin's reset shows a generated password once, and it works", async ({ page }) => {
    const email = await newUser("annotator", "reset");
    await signIn(page, E2E_ADMIN.email, E2E_ADMIN.password);
    await page.goto("/admin/users");
    const row = page.getByTestId(`user-row-${email}`);
    await row.getByRole("button", { name: "Reset password" }).click();
    const status = row.getByRole("status");
    await expect(status).toContainText(`New password for ${email}`);
    const generated = /: ([A-Za-z0-9]{20})$/.exec((await status.textContent()) ?? "")?.[1];
    expect(generated).toBeTruthy();
    expect((await httpSignIn(email, PASSWORD, "127.0.0.10")).outcome).toBe("invalid");
    expect((await httpSignIn(email, generated!, "127.0.0.11")).outcome).toBe("signed-in");
    await page.reload();
    await expect(page.locator("body")).not.toContainText(generated!);
  });
});

test("every page carries a Content-Security-Policy with a per-request nonce", async () => {
  const policies = await Promise.all([1, 2].map(() => rawRequest("/signin")));
  const [a, b] = policies.map((r) => String(r.headers["content-security-policy"]));
  for (const policy of [a, b]) {
    expect(policy).toMatch(/script-src 'self' 'nonce-[A-Za-z0-9+/=]+' 'strict-dynamic'/);
    for (const part of [
      "object-src 'none'",
      "base-uri 'none'",
      "frame-ancestors 'none'",
      "style-src-attr 'unsafe-inline'",
    ])
      expect(policy).toContain(part);
  }
  expect(a).not.toBe(b);
  const nonce = /'nonce-([^']+)'/.exec(a)![1];
  expect(policies[0].body).toContain(`nonce="${nonce}"`);
});

test.describe("odd requests get clean answers", () => {
  test("ids that are not canonical decimal or exceed 2,147,483,647 are 404, and the server keeps serving", async () => {
    const { cookie } = await httpSignIn(E2E_ADMIN.email, E2E_ADMIN.password, "127.0.0.12");
    const bad = ["01", "2147483648", "99999999999999999999", "1e3", "0x1", "-1", "1.0", "%20", "abc"];
    for (const id of bad) {
      for (const path of [
        `/datasets/${id}`,
        `/datasets/${id}/pairs`,
        `/datasets/1/trees/${id}`,
        `/jobs/${id}`,
        `/api/jobs/${id}`,
        `/datasets/${id}/export/1/card`,
        `/datasets/1/export/${id}/card`,
        `/datasets/1/review?pair=${id}`,
      ]) {
        const response = await rawRequest(path, { headers: { cookie } });
        expect(response.status, path).toBe(404);
        expect(response.body, path).not.toMatch(/at \w+ \(|node_modules/);
      }
      for (const path of [`/datasets/${id}/export/download`, `/datasets/${id}/import/upload`]) {
        const response = await rawRequest(path, {
          method: "POST",
          headers: { cookie, origin: `http://localhost:${process.env.E2E_PORT ?? 3100}`, "content-type": "text/plain" },
          body: "x",
        });
        expect(response.status, path).toBe(404);
      }
    }
    expect((await rawRequest("/", { headers: { cookie } })).status).toBe(200);
  });

  test("a page with a loading skeleton still answers 404 for what does not exist or may not be seen", async () => {
    // Once a loading.tsx streams, the status is 200; only an authorizing layout above it keeps the 404.
    const { cookie } = await httpSignIn(E2E_ADMIN.email, E2E_ADMIN.password, "127.0.0.15");
    const name = `Skeleton ${Date.now()}`;
    await ecd(["dataset", "create", name]);
    const datasetId = (JSON.parse(await ecd(["dataset", "list", "--json"])) as { id: number; name: string }[]).find(
      (d) => d.name === name,
    )!.id;
    const missing = "2147483647";
    for (const path of [
      `/datasets/${missing}`,
      `/datasets/${missing}/pairs`,
      `/datasets/${missing}/jobs`,
      `/datasets/${datasetId}/trees/${missing}`,
      `/evals/${missing}`,
      `/jobs/${missing}`,
    ]) {
      const response = await rawRequest(path, { headers: { cookie } });
      expect(response.status, path).toBe(404);
    }
    const outsider = await newUser("annotator", "outsider");
    const annotator = await httpSignIn(outsider, PASSWORD, "127.0.0.16");
    expect((await rawRequest(`/datasets/${datasetId}`, { headers: { cookie: annotator.cookie } })).status).toBe(404);
    expect((await rawRequest("/evals", { headers: { cookie: annotator.cookie } })).status).toBe(403);
    expect((await rawRequest(`/datasets/${datasetId}`, { headers: { cookie } })).status).toBe(200);
  });

  test("a signed-in request with a URL of 8 KB or more is answered (414) at once", async () => {
    const { cookie } = await httpSignIn(E2E_ADMIN.email, E2E_ADMIN.password, "127.0.0.13");
    const started = Date.now();
    for (const length of [8_200, 12_000]) {
      const response = await rawRequest(`/?q=${"a".repeat(length)}`, { headers: { cookie }, timeoutMs: 10_000 });
      expect(response.status).toBe(414);
    }
    expect(Date.now() - started).toBeLessThan(10_000);
    expect((await rawRequest(`/?q=${"a".repeat(7_000)}`, { headers: { cookie } })).status).toBe(200);
    expect((await rawRequest("/", { headers: { cookie } })).status).toBe(200);
  });

  test("X-Forwarded-Host is not believed: a cross-site POST naming the attacker's host is refused", async () => {
    const { cookie } = await httpSignIn(E2E_ADMIN.email, E2E_ADMIN.password, "127.0.0.14");
    const response = await rawRequest("/datasets/1/export/download", {
      method: "POST",
      headers: {
        cookie,
        origin: "http://evil.example",
        "x-forwarded-host": "evil.example",
        "content-type": "application/x-www-form-urlencoded",
      },
      body: "format=trl-dpo",
    });
    expect(response.status).toBe(403);
  });
});
