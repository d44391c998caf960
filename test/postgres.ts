import { execFileSync } from "node:child_process";
import { chownSync, existsSync, mkdtempSync, readdirSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import os from "node:os";
import path from "node:path";

/**
 * A real, throwaway PostgreSQL server from Debian's binaries (no Docker): initdb into a temporary
 * folder, a free loopback port, trust authentication for the `postgres` user. initdb and postgres
 * refuse to run as root, so as root they run as the `postgres` user (runuser) on a folder it owns.
 * Used by the vitest global setup (TEST_DB=postgres) and by `npm run db:migration`.
 */
export interface PostgresServer {
  /** A URL to one database on this server (default: the `postgres` maintenance database). */
  url(database?: string): string;
  /** Runs one SQL statement with psql, synchronously (CREATE/DROP DATABASE from sync code). */
  psql(sql: string): string;
  stop(): void;
}

export function postgresBinDir(): string {
  const root = "/usr/lib/postgresql";
  const versions = existsSync(root)
    ? readdirSync(root)
        .filter((name) => existsSync(path.join(root, name, "bin/initdb")))
        .sort((a, b) => Number(b) - Number(a))
    : [];
  if (!versions.length) {
    throw new Error("PostgreSQL is not installed (no /usr/lib/postgresql/*/bin/initdb): apt-get install postgresql");
  }
  return path.join(root, versions[0], "bin");
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

export async function startPostgres(): Promise<PostgresServer> {
  const bin = postgresBinDir();
  const asRoot = process.getuid?.() === 0;
  const run = (program: string, args: string[]) =>
    execFileSync(
      asRoot ? "runuser" : path.join(bin, program),
      asRoot ? ["-u", "postgres", "--", path.join(bin, program), ...args] : args,
      { encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] },
    );
  const dir = mkdtempSync(path.join(os.tmpdir(), "ecd-pg-"));
  if (asRoot) {
    const uid = Number(execFileSync("id", ["-u", "postgres"], { encoding: "utf8" }).trim());
    const gid = Number(execFileSync("id", ["-g", "postgres"], { encoding: "utf8" }).trim());
    chownSync(dir, uid, gid);
  }
  const data = path.join(dir, "data");
  // C.UTF-8: byte order like SQLite's BINARY collation, independent of the machine's locales.
  run("initdb", ["-D", data, "-U", "postgres", "--auth=trust", "-E", "UTF8", "--locale=C.UTF-8", "--no-sync"]);
  const port = await freePort();
  const options = [
    `-p ${port}`,
    "-c listen_addresses=127.0.0.1",
    `-c unix_socket_directories=${dir}`,
    // A test server: durability is not needed, speed is.
    "-c fsync=off",
    "-c synchronous_commit=off",
    "-c full_page_writes=off",
    "-c max_connections=300",
  ].join(" ");
  run("pg_ctl", ["start", "-D", data, "-w", "-t", "60", "-l", path.join(dir, "server.log"), "-o", options]);
  const url = (database = "postgres") => `postgresql://postgres@127.0.0.1:${port}/${encodeURIComponent(database)}`;
  let stopped = false;
  return {
    url,
    psql: (sql) => psqlAt(url(), sql),
    stop() {
      if (stopped) return;
      stopped = true;
      try {
        run("pg_ctl", ["stop", "-D", data, "-m", "immediate", "-w"]);
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    },
  };
}

/** Runs one SQL statement with psql on the server at `serverUrl` (also from other processes of the run). */
export function psqlAt(serverUrl: string, sql: string): string {
  const bin = postgresBinDir();
  return execFileSync(path.join(bin, "psql"), ["-X", "-q", "-v", "ON_ERROR_STOP=1", "-d", serverUrl, "-c", sql], {
    encoding: "utf8",
    stdio: ["ignore", "pipe", "pipe"],
  });
}
