import { expect, test, type Request } from "./helpers";
import { E2E_ADMIN } from "../playwright.config";
import { signIn } from "./helpers";

/**
 * Server actions are public HTTP endpoints: a captured action request replayed without a
 * session, or with an annotator's session, must be refused and change nothing.
 */
test("a replayed server action is refused when signed out or without the scope", async ({ page, browser }) => {
  await signIn(page, E2E_ADMIN.email, E2E_ADMIN.password);
  await page.goto("/");

  // Capture the real "create dataset" action request the admin's browser sends.
  const captured = page.waitForRequest((req: Request) => req.method() === "POST" && !!req.headers()["next-action"]);
  await page.getByLabel("Name").fill("Admin dataset");
  await page.getByRole("button", { name: "Create dataset" }).click();
  const request = await captured;
  await expect(page.getByRole("link", { name: "Admin dataset" })).toBeVisible();

  const headers = request.headers();
  const body = request.postDataBuffer()!;
  const replayHeaders = {
    "next-action": headers["next-action"],
    "content-type": headers["content-type"],
    accept: "text/x-component",
  };
  // Same action, other name, so a success would be visible.
  const replayBody = Buffer.from(body.toString("latin1").replace("Admin dataset", "Sneaky dataset"), "latin1");

  const anonymous = await browser.newContext();
  const anonResponse = await anonymous.request.post("/", { headers: replayHeaders, data: replayBody, maxRedirects: 0 });
  // Next.js answers a redirect() inside an action with this header; the client follows it.
  expect(anonResponse.headers()["x-action-redirect"]).toMatch(/^\/signin\?callbackUrl=/);
  await anonymous.close();

  // An annotator is signed in but lacks datasets:manage.
  const annotatorEmail = `replay-${Date.now()}@e2e.test`;
  await page.goto("/admin/users");
  const form = page.getByRole("form", { name: "Create user" });
  await form.getByLabel("Email").fill(annotatorEmail);
  await form.getByLabel("Initial password").fill("annotator-pass-2");
  await form.getByRole("button", { name: "Create user" }).click();
  await expect(form.getByRole("status")).toContainText(annotatorEmail);

  const annotator = await browser.newContext();
  const annotatorPage = await annotator.newPage();
  await signIn(annotatorPage, annotatorEmail, "annotator-pass-2");
  await expect(annotatorPage.getByRole("button", { name: "Create dataset" })).toHaveCount(0);
  const annotatorResponse = await annotator.request.post("/", {
    headers: replayHeaders,
    data: replayBody,
    maxRedirects: 0,
  });
  expect(annotatorResponse.status()).toBe(403);
  await annotator.close();

  await page.goto("/");
  await expect(page.getByRole("link", { name: "Admin dataset" })).toBeVisible();
  await expect(page.getByRole("link", { name: "Sneaky dataset" })).toHaveCount(0);
});
