import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { defineConfig } from "vitest/config";

const include = ["lib/**/*.test.ts", "test/**/*.test.ts", "app/**/*.test.ts", "components/**/*.test.{ts,tsx}"];

/**
 * TEST_DB=postgres (npm run test:postgres) runs the files that take a database from test/db.ts
 * on a real PostgreSQL server (test/global-setup.ts); pure unit tests run once, on the default run.
 */
const databaseFiles = () =>
  ["lib", "test", "app", "components"]
    .flatMap((dir) => readdirSync(dir, { recursive: true, encoding: "utf8" }).map((file) => path.join(dir, file)))
    .filter((file) => /\.test\.tsx?$/.test(file) && readFileSync(file, "utf8").includes("createTestDb("));

export default defineConfig({
  resolve: { alias: { "@": import.meta.dirname } },
  test: {
    include: process.env.TEST_DB === "postgres" ? databaseFiles() : include,
    environment: "node",
    testTimeout: 30_000,
    hookTimeout: 60_000,
    pool: "forks",
    globalSetup: ["test/global-setup.ts"],
  },
});
