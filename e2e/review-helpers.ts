import { execFileSync } from "node:child_process";
import { expect, type Page } from "./helpers";

const PORT = Number(process.env.E2E_PORT ?? 3100);

/** Runs a seed script against the e2e server's database and returns what it printed (JSON). */
export function runSeed<T>(script: string): T {
  const out = execFileSync(process.execPath, ["--import", "tsx", script], {
    env: { ...process.env, DATABASE_URL: `file:./data/e2e-${PORT}/ecd.db` },
    encoding: "utf8",
  });
  return JSON.parse(out) as T;
}

export const screenOf = (page: Page) => page.getByTestId("review-screen");

/** The id of the pair on the review screen, once one is shown. */
export async function pairIdOf(page: Page): Promise<string> {
  const screen = screenOf(page);
  await expect(screen).toHaveAttribute("data-pair-id", /\d+/);
  return (await screen.getAttribute("data-pair-id"))!;
}
