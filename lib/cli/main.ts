import { z } from "zod";
import { describeZodIssues, DomainError } from "../errors.ts";
import { type CliCommand, CliError, type CliIO } from "./command.ts";

/**
 * `npm run ecd -- <command>`: the same lib/ as the app, from the shell. Each command's module is
 * imported only when it runs (or for the help list), so a command starts without loading what
 * the others need (`ecd verify` loads neither Prisma nor the LLM client).
 */
export const COMMANDS: { name: string; load: () => Promise<CliCommand> }[] = [
  { name: "user", load: async () => (await import("./commands/user.ts")).userCommand },
  { name: "dataset", load: async () => (await import("./commands/dataset.ts")).datasetCommand },
  { name: "verify", load: async () => (await import("./commands/verify.ts")).verifyCommand },
  { name: "eval", load: async () => (await import("./commands/eval.ts")).evalCommand },
  { name: "benchmark", load: async () => (await import("./commands/benchmark.ts")).benchmarkCommand },
  { name: "db", load: async () => (await import("./commands/db.ts")).dbCommand },
  { name: "import", load: async () => (await import("./commands/import.ts")).importCommand },
  { name: "export", load: async () => (await import("./commands/export.ts")).exportCommand },
  { name: "generate", load: async () => (await import("./commands/generate.ts")).generateCommand },
  { name: "jobs", load: async () => (await import("./commands/jobs.ts")).jobsCommand },
  { name: "worker", load: async () => (await import("./commands/worker.ts")).workerCommand },
];

async function helpText(): Promise<string> {
  const commands = await Promise.all(COMMANDS.map((c) => c.load()));
  const width = Math.max(...commands.map((c) => c.name.length));
  return [
    "usage: npm run ecd -- <command> [options]",
    "",
    ...commands.map((c) => `  ${c.name.padEnd(width)}  ${c.summary}`),
    "",
    "npm run ecd -- help COMMAND shows a command's options.",
  ].join("\n");
}

/** The database module, loaded only by a command that uses it. */
async function db() {
  return import("../db/client.ts");
}

/** lib/db/client.ts keeps the process-wide client on globalThis.ecdDb once a command opened it. */
const dbOpened = () => (globalThis as { ecdDb?: unknown }).ecdDb !== undefined;

async function readStdin(): Promise<string> {
  if (process.stdin.isTTY) return "";
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString("utf8");
}

export async function runCli(argv: string[], io: CliIO): Promise<number> {
  const [name, ...args] = argv;
  if (!name || name === "help" || name === "--help" || name === "-h") {
    const command = await COMMANDS.find((c) => c.name === args[0])?.load();
    io.stdout((command ? `${command.summary}\n\n${command.usage}` : await helpText()) + "\n");
    return 0;
  }
  const command = await COMMANDS.find((c) => c.name === name)?.load();
  if (!command) {
    io.stderr(`ecd: unknown command "${name}" (npm run ecd -- help lists them)\n`);
    return 2;
  }
  // `ecd generate --help` means the same as `ecd help generate` (a value such as a file named -h
  // never follows a bare --help).
  if (args.includes("--help") || args.includes("-h")) {
    io.stdout(`${command.summary}\n\n${command.usage}\n`);
    return 0;
  }
  try {
    const as = await actAs(args);
    return (await command.run(as.args, as.viewer ? { ...io, viewer: as.viewer } : io)) ?? 0;
  } catch (error) {
    if (error instanceof CliError) {
      io.stderr(`ecd ${name}: ${error.message}\n`);
      return error.exitCode;
    }
    if (error instanceof DomainError) {
      io.stderr(`ecd ${name}: ${error.message}\n`);
      return 1;
    }
    if (error instanceof z.ZodError) {
      io.stderr(`ecd ${name}: ${describeZodIssues(error.issues)}\n`);
      return 2;
    }
    io.stderr(
      `ecd ${name}: unexpected error: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
    );
    return 1;
  }
}

/**
 * `--as EMAIL` (anywhere after the command): act with that user's role and dataset memberships.
 * Returns the other arguments and the viewer, or the arguments unchanged without `--as`.
 */
async function actAs(args: string[]): Promise<{ args: string[]; viewer?: CliIO["viewer"] }> {
  const rest: string[] = [];
  let email: string | undefined;
  for (let i = 0; i < args.length; i++) {
    if (args[i] === "--as") {
      email = args[++i];
      if (email === undefined || email.startsWith("--")) throw new CliError("--as: expected an email address");
    } else if (args[i].startsWith("--as=")) email = args[i].slice("--as=".length);
    else rest.push(args[i]);
  }
  if (email === undefined) return { args };
  const user = await (await db()).getDb().user.findUnique({
    where: { email: email.trim().toLowerCase() },
    select: { id: true, role: true, disabled: true },
  });
  if (!user || user.disabled) throw new CliError(`--as: no active user with the email "${email}"`);
  return { args: rest, viewer: { id: user.id, role: user.role } };
}

/** Runs one command as a process: real stdio, then exits with the command's code. */
export async function main(argv: string[]): Promise<never> {
  const io: CliIO = {
    stdout: (text) => process.stdout.write(text),
    stderr: (text) => process.stderr.write(text),
    readStdin,
  };
  let code: number;
  try {
    code = await runCli(argv, io);
  } catch (error) {
    console.error(error);
    process.exit(1);
  }
  // Only a command that loaded the client can have opened a connection.
  if (dbOpened()) await (await db()).disconnectDb();
  // Let piped stdout drain before exiting (a large report must not be cut off).
  await new Promise<void>((resolve) => process.stdout.write("", () => resolve()));
  process.exit(code);
}

const isMain = process.argv[1] && import.meta.url === new URL(`file://${process.argv[1]}`).href;
if (isMain) void main(process.argv.slice(2));
