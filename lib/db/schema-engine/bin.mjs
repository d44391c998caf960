#!/usr/bin/env node
// A stand-in for Prisma's native `schema-engine` executable, so `prisma migrate …`, `prisma db …`
// and `prisma generate` never download one. The Prisma CLI finds it through
// PRISMA_SCHEMA_ENGINE_BINARY (set in prisma.config.ts) and talks to it exactly as to the native
// engine: newline-delimited JSON-RPC 2.0 on stdin/stdout, JSON log lines on stderr, plus the
// `--version` and `cli <command>` invocations. Each request is forwarded to Prisma's WebAssembly
// schema engine, which reaches the database through the same driver adapters as the app.
// Plain JavaScript on purpose: the CLI spawns it directly, with no TypeScript loader.
import { readFileSync } from "node:fs";
import { createInterface } from "node:readline";
import { engineVersion, openDatasource, startWasmEngine } from "./engine.mjs";

function parseArgs(argv) {
  const args = { datamodels: [], datasource: undefined, cliCommand: undefined, version: false };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === "--version" || arg === "-V") args.version = true;
    else if (arg === "--datamodels") args.datamodels.push(argv[++i]);
    else if (arg === "--datasource") args.datasource = JSON.parse(argv[++i]);
    else if (arg === "--enabled-preview-features" || arg === "--extension-types") i++;
    else if (arg === "cli") {
      args.cliCommand = argv[i + 1];
      break;
    } else throw new Error(`unknown argument ${arg}`);
  }
  return args;
}

/** A log line in the shape the Prisma CLI parses from the native engine's stderr. */
function logLine(level, message, extra = {}) {
  process.stderr.write(
    JSON.stringify({
      timestamp: new Date().toISOString(),
      level,
      target: "schema_engine::logger",
      fields: { message, ...extra },
    }) + "\n",
  );
}

async function runCliCommand(command, datasource) {
  const source = openDatasource(datasource?.url);
  // The CLI ignores the first stderr line of a `cli` invocation.
  process.stderr.write("\n");
  try {
    if (command === "can-connect-to-database") {
      if (!(await source.exists())) {
        logLine("ERROR", `Database \`${source.displayName}\` does not exist`, { error_code: "P1003" });
        return 1;
      }
      return 0;
    }
    if (command === "create-database") {
      await source.create();
      return 0;
    }
    if (command === "drop-database") {
      await source.drop();
      return 0;
    }
    logLine("ERROR", `unsupported schema-engine cli command ${command}`);
    return 1;
  } catch (error) {
    logLine("ERROR", error instanceof Error ? error.message : String(error), { error_code: "P1001" });
    return 1;
  }
}

/** Turns an error thrown by the WebAssembly engine into a JSON-RPC error object the CLI understands. */
function rpcError(error) {
  const message = error && typeof error.message === "string" ? error.message : String(error);
  const isPanic = error instanceof WebAssembly.RuntimeError || /unreachable|panicked/i.test(message);
  const data = { is_panic: isPanic, message, backtrace: null };
  if (error && typeof error.code === "string") {
    data.error_code = error.code;
    data.meta = error.meta ?? null;
  }
  return { code: 4466, message: "An error happened. Check the data field for details.", data };
}

async function serve(args) {
  const datamodels = args.datamodels.length
    ? args.datamodels.map((file) => [file, readFileSync(file, "utf8")])
    : undefined;
  const engine = await startWasmEngine({
    datamodels,
    datasource: args.datasource,
    // The wasm engine already logs JSON lines in the native engine's shape: pass them through.
    log: (message) => process.stderr.write(String(message).replace(/\n?$/, "\n")),
  });
  const send = (message) => process.stdout.write(JSON.stringify(message) + "\n");
  let nextPrintId = 1_000_000;

  // The wasm engine is single-threaded: handle one request at a time, in arrival order.
  let queue = Promise.resolve();
  const lines = createInterface({ input: process.stdin, crlfDelay: Infinity });
  lines.on("line", (line) => {
    if (!line.trim()) return;
    let request;
    try {
      request = JSON.parse(line);
    } catch {
      send({ jsonrpc: "2.0", id: null, error: { code: -32700, message: "Parse error" } });
      return;
    }
    // Replies to our own `print` requests carry no method: nothing to do.
    if (typeof request.method !== "string") return;
    queue = queue.then(async () => {
      try {
        const result = await engine.call(request.method, request.params ?? {});
        // The native engine prints diff output through a `print` request to the CLI.
        if (request.method === "diff" && result && typeof result.stdout === "string") {
          const { stdout, ...rest } = result;
          if (stdout)
            send({
              jsonrpc: "2.0",
              id: nextPrintId++,
              method: "print",
              params: { content: stdout.replace(/\n$/, "") },
            });
          send({ jsonrpc: "2.0", id: request.id, result: rest });
          return;
        }
        send({ jsonrpc: "2.0", id: request.id, result: result ?? null });
      } catch (error) {
        send({ jsonrpc: "2.0", id: request.id, error: rpcError(error) });
      }
    });
  });
  lines.on("close", () => {
    queue.then(() => engine.close()).finally(() => process.exit(0));
  });
}

async function main() {
  const args = parseArgs(process.argv.slice(2));
  if (args.version) {
    process.stdout.write(`schema-engine-cli ${engineVersion()}\n`);
    return;
  }
  if (args.cliCommand) {
    process.exitCode = await runCliCommand(args.cliCommand, args.datasource);
    return;
  }
  await serve(args);
}

main().catch((error) => {
  logLine("ERROR", error instanceof Error ? error.message : String(error));
  process.exit(1);
});
