import { expect, test } from "./helpers";
import { E2E_ADMIN } from "../playwright.config";
import { signIn, signOut } from "./helpers";

test("signed-out visitors are sent to the sign-in page from every page", async ({ page }) => {
  for (const path of ["/", "/admin/users", "/datasets/1"]) {
    await page.goto(path);
    await expect(page).toHaveURL(
      new RegExp(`/signin\\?callbackUrl=${encodeURIComponent(path).replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}`),
    );
    await expect(page.getByRole("heading", { name: "Sign in to ECD Studio" })).toBeVisible();
  }
});

test("bad sign-in input gets a clear message and no stack trace", async ({ page }) => {
  await page.goto("/signin");
  await page.getByLabel("Email").fill("not-an-email");
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page.getByText("Enter a valid email address")).toBeVisible();
  await expect(page.getByText("Enter your password")).toBeVisible();

  await page.getByLabel("Email").fill(E2E_ADMIN.email);
  await page.getByLabel("Password").fill("wrong password");
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page.getByRole("alert").filter({ hasText: /\S/ })).toHaveText("Email or password is incorrect.");
  await expect(page.locator("body")).not.toContainText(/at \w+ \(|Error:|node_modules/);
  await expect(page).toHaveURL(/\/signin/);
});

test("admin creates an annotator, who cannot open the admin page", async ({ page }) => {
  const annotator = { email: `annotator-${Date.now()}@e2e.test`, password: "annotator-pass-1" };

  await signIn(page, E2E_ADMIN.email, E2E_ADMIN.password);
  await page.getByRole("link", { name: "Users" }).click();
  await expect(page.getByRole("heading", { name: "Users", exact: true })).toBeVisible();

  const form = page.getByRole("form", { name: "Create user" });
  // A too-short password is refused with a message naming the problem; nothing is created.
  await form.getByLabel("Email").fill(annotator.email);
  await form.getByLabel("Role").selectOption("annotator");
  await form.getByLabel("Initial password").fill("short");
  await form.getByRole("button", { name: "Create user" }).click();
  await expect(form.getByText("Password must be at least 12 characters").first()).toBeVisible();
  await expect(page.getByTestId(`user-row-${annotator.email}`)).toHaveCount(0);

  await form.getByLabel("Initial password").fill(annotator.password);
  await form.getByRole("button", { name: "Create user" }).click();
  await expect(form.getByRole("status")).toHaveText(`Created annotator ${annotator.email}`);
  await expect(page.getByTestId(`user-row-${annotator.email}`)).toBeVisible();

  await signOut(page);
  await signIn(page, annotator.email, annotator.password);
  await expect(page.getByRole("link", { name: "Users" })).toHaveCount(0);
  const response = await page.goto("/admin/users");
  expect(response?.status()).toBe(403);
  await expect(page.getByRole("heading", { name: "You don't have access to this page" })).toBeVisible();
});
