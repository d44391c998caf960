// No network beyond the npm registry: `next build` would otherwise send anonymous usage telemetry.
// It reads this variable after loading the config, so setting it here covers every build (npm test,
// npm start, the benches) without a global `next telemetry disable`.
process.env.NEXT_TELEMETRY_DISABLED ??= "1";

/** @type {import('next').NextConfig} */
const nextConfig = {
  // Pages call forbidden() when the signed-in user's role lacks a scope (lib/auth).
  experimental: { authInterrupts: true },
  // Native and WebAssembly packages stay out of the server bundle and load from node_modules.
  serverExternalPackages: [
    "better-sqlite3",
    "@prisma/adapter-better-sqlite3",
    "@prisma/adapter-pg",
    "@node-rs/argon2",
    "pg",
  ],
  poweredByHeader: false,
  // Parallel builds (e.g. several e2e runs on one machine) can each use their own folder.
  distDir: process.env.NEXT_DIST_DIR || ".next",
  // `npm test` type-checks the whole project as its own step (tsc --noEmit); the build need not repeat it.
  typescript: { ignoreBuildErrors: true },
  async headers() {
    return [
      {
        source: "/:path*",
        headers: [
          { key: "X-Content-Type-Options", value: "nosniff" },
          { key: "X-Frame-Options", value: "DENY" },
          { key: "Referrer-Policy", value: "same-origin" },
        ],
      },
    ];
  },
};

export default nextConfig;
