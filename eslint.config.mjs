import { defineConfig, globalIgnores } from "eslint/config";
import nextVitals from "eslint-config-next/core-web-vitals";
import nextTs from "eslint-config-next/typescript";

export default defineConfig([
  ...nextVitals,
  ...nextTs,
  globalIgnores([
    ".next/**",
    ".next-*/**",
    "node_modules/**",
    "lib/db/generated/**",
    "data/**",
    "next-env.d.ts",
    "test-results/**",
    "playwright-report/**",
    "**/*.generated.ts",
  ]),
  {
    rules: {
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_" }],
    },
  },
  {
    // lib/constraints and lib/evolution are pure: no DB, no Next, no React (DESIGN.md).
    files: ["lib/constraints/**", "lib/evolution/**"],
    ignores: ["**/*.test.ts", "**/*.generated.ts"],
    rules: {
      "no-restricted-imports": [
        "error",
        { patterns: ["**/db/**", "@/lib/db*", "next", "next/*", "react", "react-dom", "node:fs", "fs"] },
      ],
    },
  },
]);
