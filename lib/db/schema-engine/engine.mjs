// Loads Prisma's WebAssembly schema engine and connects it to a database through a
// migration-aware driver adapter factory (better-sqlite3 or pg).
import { randomUUID } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, rmSync } from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import { bindMigrationAwareSqlAdapterFactory } from "@prisma/driver-adapter-utils";
import * as wasmBindings from "@prisma/schema-engine-wasm/schema_engine_bg";
import { parseDatabaseUrl } from "../datasource-url.mjs";

const require = createRequire(import.meta.url);
// The package's `exports` hide package.json and the .wasm file; its bindings file sits beside both.
const wasmPackageDir = path.dirname(require.resolve("@prisma/schema-engine-wasm/schema_engine_bg"));

let wasmReady;
/** Node cannot import the package's `.wasm` ESM entry, so instantiate the module ourselves. */
function loadWasm() {
  wasmReady ??= (async () => {
    const bytes = readFileSync(path.join(wasmPackageDir, "schema_engine_bg.wasm"));
    const { instance } = await WebAssembly.instantiate(bytes, { "./schema_engine_bg.js": wasmBindings });
    wasmBindings.__wbg_set_wasm(instance.exports);
    instance.exports.__wbindgen_start();
    return wasmBindings;
  })();
  return wasmReady;
}

export function engineVersion() {
  const pkg = JSON.parse(readFileSync(path.join(wasmPackageDir, "package.json"), "utf8"));
  // The package version ends with the engine commit hash the CLI knows the engine by.
  return pkg.version.split(".").at(-1);
}

/** One database behind a URL: what the CLI's `cli <command>` invocations and the engine need. */
export function openDatasource(url, shadowDatabaseUrl) {
  const parsed = parseDatabaseUrl(url);
  if (parsed.kind === "sqlite") {
    return {
      displayName: path.basename(parsed.file),
      async exists() {
        return parsed.file === ":memory:" || existsSync(parsed.file);
      },
      async create() {
        mkdirSync(path.dirname(parsed.file), { recursive: true });
        const Database = require("better-sqlite3");
        new Database(parsed.file).close();
      },
      async drop() {
        for (const suffix of ["", "-wal", "-shm", "-journal"]) rmSync(parsed.file + suffix, { force: true });
      },
      async adapterFactory() {
        mkdirSync(path.dirname(parsed.file), { recursive: true });
        const { PrismaBetterSqlite3 } = await import("@prisma/adapter-better-sqlite3");
        const factory = new PrismaBetterSqlite3(
          { url: parsed.file },
          { shadowDatabaseUrl: shadowDatabaseUrl ?? ":memory:" },
        );
        return bridgeSqliteAdapterGaps(factory);
      },
    };
  }
  const target = new URL(parsed.url);
  const database = decodeURIComponent(target.pathname.slice(1)) || "postgres";
  const withDatabase = (name) => {
    const next = new URL(parsed.url);
    next.pathname = `/${encodeURIComponent(name)}`;
    return next.toString();
  };
  const adminQuery = async (sql) => {
    const { default: pg } = await import("pg");
    const client = new pg.Client({ connectionString: withDatabase("postgres") });
    await client.connect();
    try {
      await client.query(sql);
    } finally {
      await client.end();
    }
  };
  const quoted = `"${database.replaceAll('"', '""')}"`;
  return {
    displayName: database,
    async exists() {
      const { default: pg } = await import("pg");
      const client = new pg.Client({ connectionString: parsed.url });
      try {
        await client.connect();
        return true;
      } catch (error) {
        if (error && error.code === "3D000") return false; // invalid_catalog_name: no such database
        throw error;
      } finally {
        await client.end().catch(() => {});
      }
    },
    create: () => adminQuery(`CREATE DATABASE ${quoted}`),
    drop: () => adminQuery(`DROP DATABASE IF EXISTS ${quoted}`),
    async adapterFactory() {
      const { PrismaPg } = await import("@prisma/adapter-pg");
      const factory = new PrismaPg({ connectionString: parsed.url });
      // The adapter's own connectToShadowDb creates a database, then connects with its
      // connectionString, which wins over the database name: the history would be replayed on
      // the real database. So connect to the shadow database by its URL.
      factory.connectToShadowDb = async () => {
        const name = `prisma_migrate_shadow_db_${randomUUID()}`;
        await adminQuery(`CREATE DATABASE "${name}"`);
        const adapter = await new PrismaPg({ connectionString: withDatabase(name) }).connect();
        const dispose = adapter.dispose.bind(adapter);
        adapter.dispose = async () => {
          await dispose();
          await adminQuery(`DROP DATABASE IF EXISTS "${name}"`);
        };
        return adapter;
      };
      return bridgePostgresAdapterGaps(factory);
    },
  };
}

const PG_CHAR = 18; // the one-byte "char" type of PostgreSQL's catalogs (pg_class.relkind, …)
const PG_TEXT = 25;
const CHARACTER = 6; // ColumnTypeEnum.Character in @prisma/driver-adapter-utils
// Marks a "char" column's name between pg and the adapter's result (pg's pool loses async context).
const CHAR_MARK = "\u0000char";
let charPatched = false;

/**
 * The engine's introspection of PostgreSQL reads catalog columns of type "char", which the pg
 * adapter cannot map (UnsupportedNativeDataType), while the engine wants them as Character. pg
 * returns their values as strings: its Client hands them to the adapter as text with a marked
 * name, and the adapter's result then reports those columns, unmarked, as Character. Patched on
 * pg's Client because the adapter opens its own pool per shadow database; only the schema
 * engine's callers run this, and only queries with "char" columns (catalog reads) are touched.
 */
async function bridgePostgresAdapterGaps(factory) {
  if (!charPatched) {
    charPatched = true;
    const { default: pg } = await import("pg");
    const query = pg.Client.prototype.query;
    const markCharFields = (value) => {
      for (const field of value?.fields ?? []) {
        if (field.dataTypeID !== PG_CHAR) continue;
        field.dataTypeID = PG_TEXT;
        field.name += CHAR_MARK;
      }
      return value;
    };
    pg.Client.prototype.query = function (...args) {
      // pg.Pool calls with a callback; a client used directly returns a promise.
      const callback = args.at(-1);
      if (typeof callback === "function") {
        args[args.length - 1] = (error, value) => callback(error, error ? value : markCharFields(value));
      }
      const result = query.apply(this, args);
      return result && typeof result.then === "function" ? result.then(markCharFields) : result;
    };
  }
  const patch = (adapter) => {
    const queryRaw = adapter.queryRaw.bind(adapter);
    adapter.queryRaw = async (sqlQuery) => {
      const result = await queryRaw(sqlQuery);
      result.columnNames.forEach((name, index) => {
        if (!name.endsWith(CHAR_MARK)) return;
        result.columnNames[index] = name.slice(0, -CHAR_MARK.length);
        result.columnTypes[index] = CHARACTER;
      });
      return result;
    };
    return adapter;
  };
  return {
    provider: factory.provider,
    adapterName: factory.adapterName,
    connect: async () => patch(await factory.connect()),
    connectToShadowDb: async () => patch(await factory.connectToShadowDb()),
  };
}

/**
 * Two gaps between the WebAssembly SQLite connector and the better-sqlite3 adapter, bridged here:
 *
 * 1. The connector replays whole migration scripts on the shadow database as one raw command,
 *    but a prepared statement holds one statement. A parameterless multi-statement command is
 *    run as a script instead.
 *
 * 2. The WebAssembly build of the SQLite connector cannot tell "no migrations table yet" from a real
 * error: only its native build inspects the raw SQLite error. So a read of the missing
 * `_prisma_migrations` table answers "no migrations recorded", which is what the native engine
 * concludes too; `applyMigrations` then creates the table as usual. (One difference: a database
 * with tables but no migrations table shows as drift rather than P3005.)
 */
function bridgeSqliteAdapterGaps(factory) {
  const columnNames = [
    "id",
    "checksum",
    "finished_at",
    "migration_name",
    "logs",
    "rolled_back_at",
    "started_at",
    "applied_steps_count",
  ];
  const TEXT = 7; // ColumnTypeEnum.Text in @prisma/driver-adapter-utils
  const patch = (adapter) => {
    const executeRaw = adapter.executeRaw.bind(adapter);
    adapter.executeRaw = async (query) => {
      try {
        return await executeRaw(query);
      } catch (error) {
        if (
          query.args.length === 0 &&
          /more than one statement/.test(error?.message ?? error?.cause?.originalMessage ?? "")
        ) {
          await adapter.executeScript(query.sql);
          return 0;
        }
        throw error;
      }
    };
    const queryRaw = adapter.queryRaw.bind(adapter);
    adapter.queryRaw = async (query) => {
      try {
        return await queryRaw(query);
      } catch (error) {
        const cause = error?.cause;
        const readsMigrations = /^\s*SELECT\b/i.test(query.sql);
        if (readsMigrations && cause?.kind === "TableDoesNotExist" && cause.table === "_prisma_migrations") {
          return { columnNames, columnTypes: columnNames.map(() => TEXT), rows: [] };
        }
        throw error;
      }
    };
    return adapter;
  };
  return {
    provider: factory.provider,
    adapterName: factory.adapterName,
    connect: async () => patch(await factory.connect()),
    connectToShadowDb: async () => patch(await factory.connectToShadowDb()),
  };
}

/**
 * `migrate dev` asks evaluateDataLoss before creating a migration, and this engine build can only
 * replay the history on SQLite through the adapter's shadow database in `diff`. So count the
 * steps with a diff from the migration history to the schema. What is lost: data-loss warnings
 * for SQLite (README, "Migrations"), so review the generated SQL before applying it.
 */
async function evaluateDataLossByDiff(engine, params) {
  const { statements } = await diffHistoryToSchema(engine, params);
  return { migrationSteps: statements.length, warnings: [], unexecutableSteps: [] };
}

/** The SQL from the migration history to the schema, replayed on the adapter's shadow database. */
async function diffHistoryToSchema(engine, params) {
  const result = await engine.diff({
    from: { tag: "migrations", ...params.migrationsList },
    to: { tag: "schemaDatamodel", ...params.schema },
    script: true,
    exitCode: null,
    shadowDatabaseUrl: null,
    filters: params.filters,
  });
  const script = result.stdout ?? "";
  const statements = script
    .split(/;\s*$/m)
    .map((chunk) => chunk.replace(/^\s*--.*$/gm, "").trim())
    .filter(Boolean);
  return { script, statements };
}

/**
 * `migrate dev` (and `--create-only`) asks createMigration for the next migration, which this
 * engine build cannot compute on SQLite (it has no shadow database outside `diff`). The same
 * script comes from a diff; the name follows the native engine (UTC `YYYYMMDDHHMMSS_name`), and
 * the CLI writes the folder as usual.
 */
async function createMigrationByDiff(engine, params) {
  const { script, statements } = await diffHistoryToSchema(engine, params);
  const stamp = new Date().toISOString().replace(/\D/g, "").slice(0, 14);
  return {
    connectorType: "sqlite",
    generatedMigrationName: `${stamp}_${params.migrationName}`,
    migrationScript: statements.length || params.draft ? script : null,
    extension: "sql",
  };
}

/** Freeing the wasm engine does not close the connections it opened; we do. */
function trackingConnections(factory) {
  const open = new Set();
  const track = async (connecting) => {
    const adapter = await connecting;
    open.add(adapter);
    return adapter;
  };
  return {
    factory: {
      provider: factory.provider,
      adapterName: factory.adapterName,
      connect: () => track(factory.connect()),
      connectToShadowDb: () => track(factory.connectToShadowDb()),
    },
    async disposeAll() {
      await Promise.allSettled([...open].map((adapter) => adapter.dispose()));
      open.clear();
    },
  };
}

/**
 * Starts the engine. `call(method, params)` runs one JSON-RPC method by the native engine's
 * name (`getDatabaseVersion` is `version` in the wasm build).
 */
export async function startWasmEngine({ datamodels, datasource, log }) {
  const { SchemaEngine } = await loadWasm();
  const source = openDatasource(datasource?.url, datasource?.shadowDatabaseUrl);
  const { factory, disposeAll } = trackingConnections(await source.adapterFactory());
  const adapter = bindMigrationAwareSqlAdapterFactory(factory);
  // A failure inside the JS adapter reaches us as an engine error carrying the id under which
  // the adapter registered the original error; surface the original (it names the cause).
  const original = (error) => {
    const id = error?.id ?? error?.cause?.id ?? Number(/External error id#(\d+)/.exec(error?.message ?? "")?.[1]);
    return (typeof id === "number" && adapter.errorRegistry.consumeError(id)?.error) || error;
  };
  let engine;
  try {
    engine = await SchemaEngine.new({ datamodels }, log, adapter);
  } catch (error) {
    throw original(error);
  }
  const aliases = { getDatabaseVersion: "version" };
  return {
    async call(method, params) {
      const name = aliases[method] ?? method;
      if (typeof engine[name] !== "function" || name === "free" || name === "constructor") {
        throw new Error(`The WebAssembly schema engine has no method ${method}`);
      }
      try {
        // Call through the instance: detaching the method breaks the wasm binding.
        return await engine[name](params);
      } catch (error) {
        if (/shadow DB must be provided through an external factory/.test(error?.message ?? "")) {
          if (name === "evaluateDataLoss") return evaluateDataLossByDiff(engine, params);
          if (name === "createMigration") return createMigrationByDiff(engine, params);
        }
        throw original(error);
      }
    },
    /** Frees the engine and closes its connections (SQLite keeps an exclusive lock until then). */
    async close() {
      engine.free();
      await disposeAll();
    },
  };
}
