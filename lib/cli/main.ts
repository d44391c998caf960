import { z } from "zod";
import { disconnectDb, getDb } from "../db/client.ts";
import { describeZodIssues, DomainError } from "../errors.ts";
import { type CliCommand, CliError, type CliIO } from "./command.ts";
import { benchmarkCommand } from "./commands/benchmark.ts";
import { datasetCommand } from "./commands/dataset.ts";
import { evalCommand } from "./commands/eval.ts";
import { dbCommand } from "./commands/db.ts";
import { exportCommand } from "./commands/export.ts";
import { generateCommand } from "./commands/generate.ts";
import { jobsCommand } from "./commands/jobs.ts";
import { importCommand } from "./commands/import.ts";
import { userCommand } from "./commands/user.ts";
import { verifyCommand } from "./commands/verify.ts";
import { workerCommand } from "./commands/worker.ts";

/** `npm run ecd -- <command>`: the same lib/ as the app, from the shell. */
export const COMMANDS: CliCommand[] = [
  userCommand,
  datasetCommand,
  verifyCommand,
  evalCommand,
  benchmarkCommand,
  dbCommand,
  importCommand,
  exportCommand,
  generateCommand,
  jobsCommand,
  workerCommand,
];

function helpText(): string {
  const width = Math.max(...COMMANDS.map((c) => c.name.length));
  return [
    "usage: npm run ecd -- <command> [options]",
    "",
    ...COMMANDS.map((c) => `  ${c.name.padEnd(width)}  ${c.summary}`),
    "",
    "npm run ecd -- help COMMAND shows a command's options.",
  ].join("\n");
}

async function readStdin(): Promise<string> {
  if (process.stdin.isTTY) return "";
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString("utf8");
}

export async function runCli(argv: string[], io: CliIO): Promise<number> {
  const [name, ...args] = argv;
  if (!name || name === "help" || name === "--help" || name === "-h") {
    const command = COMMANDS.find((c) => c.name === args[0]);
    io.stdout((command ? `${command.summary}\n\n${command.usage}` : helpText()) + "\n");
    return 0;
  }
  const command = COMMANDS.find((c) => c.name === name);
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
  const user = await getDb().user.findUnique({
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
  await disconnectDb();
  // Let piped stdout drain before exiting (a large report must not be cut off).
  await new Promise<void>((resolve) => process.stdout.write("", () => resolve()));
  process.exit(code);
}

const isMain = process.argv[1] && import.meta.url === new URL(`file://${process.argv[1]}`).href;
if (isMain) void main(process.argv.slice(2));
