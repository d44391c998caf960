import { defineConfig, globalIgnores } from "eslint/config";
import nextVitals from "eslint-config-next/core-web-vitals";
import nextTs from "eslint-config-next/typescript";

/*
 * The house's boundaries (DESIGN.md, "Layout"), kept by ESLint; each rule has a fixture the
 * linter must reject in test/lint-fixtures/ (test/lint-boundaries.test.ts).
 */

/** Raw SQL runs only in lib/db: the Prisma raw-query methods and the Prisma.sql builders. */
// SQL text is written only in lib/db: a tagged $queryRaw`…`/$executeRaw`…`, the *Unsafe variants and
// Prisma.sql/raw/join are refused elsewhere. Running a statement that lib/db built
// (db.$queryRaw(pairPageSql(…))) is allowed: the text it runs still lives in lib/db.
const RAW_SQL = [
  {
    selector: "TaggedTemplateExpression[tag.property.name=/^\\$(queryRaw|executeRaw)$/]",
    message: "Raw SQL lives in lib/db: add a function for this aggregate there and call it.",
  },
  {
    selector: "MemberExpression[property.name=/^\\$(queryRawUnsafe|executeRawUnsafe)$/]",
    message: "Raw SQL lives in lib/db: add a function for this aggregate there and call it.",
  },
  {
    selector: "MemberExpression[object.name='Prisma'][property.name=/^(sql|raw|join|empty)$/]",
    message: "Raw SQL lives in lib/db: add a function for this aggregate there and call it.",
  },
];

/** A Prisma model query: db.<model>.<method>(…), tx.…, prisma.…, getDb().<model>.<method>(…). */
const PRISMA_METHODS =
  "/^(findMany|findUnique|findUniqueOrThrow|findFirst|findFirstOrThrow|count|aggregate|groupBy|create|createMany|createManyAndReturn|update|updateMany|upsert|delete|deleteMany)$/";
const MODEL_QUERY = [
  {
    selector: `CallExpression[callee.property.name=${PRISMA_METHODS}][callee.object.type='MemberExpression'][callee.object.object.name=/^(db|tx|prisma)$/]`,
    message: "Pages and components never query the database: call a lib/ function that does.",
  },
  {
    selector: `CallExpression[callee.property.name=${PRISMA_METHODS}][callee.object.object.callee.name='getDb']`,
    message: "Pages and components never query the database: call a lib/ function that does.",
  },
];

/** Prisma's own modules (models, the client class, raw SQL builders): only lib/ imports them. */
const PRISMA_MODULES = {
  regex: "(^@prisma/|(^|/)db/generated(-postgres)?(/|$))",
  message: "Only lib/ imports Prisma: pages and components call lib/ functions.",
};

/**
 * Modules that must never reach the browser (the database client, the session and next-auth
 * options, LLM providers, the job engine, the server start-up, Node built-ins). A lint rule on
 * every "use client" file rather than the `server-only` package, which breaks the tsx CLI and
 * vitest unless aliased (README, "Development").
 */
const SERVER_ONLY_SOURCE =
  "/(^@\\/lib\\/(db|llm|server|jobs\\/(index|commands|read-models|runner|worker|demo|handlers)$|jobs$|auth\\/(session|options|action|password|users|secret|rate-limit)$)|\\/lib\\/db\\/|^@prisma\\/|^(better-sqlite3|pg|next-auth|next\\/headers)$|^node:)/";
const CLIENT_IMPORTS_SERVER_ONLY = {
  selector: `Program:has(> ExpressionStatement[directive='use client']) ImportDeclaration[importKind!='type'][source.value=${SERVER_ONLY_SOURCE}]`,
  message: "A client component must not import a server-only module (db, session, providers, jobs, Node built-ins).",
};

export default defineConfig([
  ...nextVitals,
  ...nextTs,
  globalIgnores([
    ".next/**",
    ".next-*/**",
    "node_modules/**",
    "dist/**",
    "lib/db/generated/**",
    "lib/db/generated-postgres/**",
    "data/**",
    "next-env.d.ts",
    "test-results/**",
    "playwright-report/**",
    "**/*.generated.ts",
    // Code the boundary rules below must reject; test/lint-boundaries.test.ts lints it on purpose.
    "test/lint-fixtures/**",
  ]),
  {
    rules: {
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_" }],
    },
  },
  {
    // Raw SQL only in lib/db (bench/ builds large fixtures with raw inserts on purpose, and tests
    // may build or inspect a database state that no write path makes, e.g. an old schema).
    files: ["**/*.{ts,tsx,mjs}"],
    ignores: ["lib/db/**", "bench/**", "**/*.test.ts", "**/*.test.tsx"],
    rules: { "no-restricted-syntax": ["error", ...RAW_SQL] },
  },
  {
    // Routes: no Prisma, no queries of their own (DESIGN.md: app/ is routes only). Tests beside a
    // route may read the database to check what an action did.
    files: ["app/**/*.{ts,tsx}"],
    ignores: ["**/*.test.ts", "**/*.test.tsx"],
    rules: {
      "no-restricted-imports": ["error", { patterns: [PRISMA_MODULES] }],
      "no-restricted-syntax": ["error", ...RAW_SQL, ...MODEL_QUERY, CLIENT_IMPORTS_SERVER_ONLY],
    },
  },
  {
    // Components: from app/ only the server actions; never the database.
    files: ["components/**/*.{ts,tsx}"],
    rules: {
      "no-restricted-imports": [
        "error",
        {
          patterns: [
            PRISMA_MODULES,
            {
              regex: "^(@/|(\\.\\./)+)app/(?!(.*/)?actions$)",
              message: "Components import from app/ only the server actions of app/**/actions.ts.",
            },
            {
              regex: "^@/lib/db(/|$)",
              message: "Components never touch the database: a page passes them data, or they call a server action.",
            },
          ],
        },
      ],
      "no-restricted-syntax": ["error", ...RAW_SQL, ...MODEL_QUERY, CLIENT_IMPORTS_SERVER_ONLY],
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
