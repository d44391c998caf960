/**
 * `ecd verify`: a drop-in for IFEval's `evaluation_main`. Reads the prompt rows and the responses
 * (JSONL), writes `eval_results_strict.jsonl` and `eval_results_loose.jsonl` in the official layout
 * (Python `json.dumps` formatting, ASCII-escaped) and prints the official accuracy report.
 *
 * Unlike the reference, every input line is validated before anything is written, and a bad line
 * stops the command with one message naming the file, the line and the field. Blank lines are
 * skipped; line breaks may be LF, CRLF or CR (Python's universal newlines).
 */
import { existsSync } from "node:fs";
import { mkdir, readFile, writeFile } from "node:fs/promises";
import { availableParallelism } from "node:os";
import { Worker } from "node:worker_threads";
import { z } from "zod";
import {
  buildInstructions,
  formatEvaluationBlock,
  InstructionBuildError,
  PromptRowSchema,
  ResponseRowSchema,
  type BuiltInstruction,
  type PromptRow,
} from "../../constraints/evaluate";
import { CliError, type CliCommand, type CliIO } from "../command";
import { verifyOne, type VerifiedItem } from "./verify-batch";

const USAGE = `Usage: ecd verify --input-data FILE --input-response-data FILE --output-dir DIR

Scores responses against IFEval verifiable instructions, like IFEval's evaluation_main.
  --input-data FILE           JSONL prompt rows {key, prompt, instruction_id_list, kwargs}
  --input-response-data FILE  JSONL response rows {prompt, response}, joined by exact prompt
  --output-dir DIR            where eval_results_strict.jsonl and eval_results_loose.jsonl go
                              (created if missing)
Option names may also be written with underscores (--input_data), and as --name=value.`;

const OPTIONS = {
  "input-data": "inputData",
  "input-response-data": "inputResponseData",
  "output-dir": "outputDir",
} as const;

const ArgsSchema = z.object({
  inputData: z.string({ error: "missing --input-data" }).min(1, "empty --input-data"),
  inputResponseData: z.string({ error: "missing --input-response-data" }).min(1, "empty --input-response-data"),
  outputDir: z.string({ error: "missing --output-dir" }).min(1, "empty --output-dir"),
});
type VerifyArgs = z.infer<typeof ArgsSchema>;

function usageError(message: string): never {
  throw new CliError(`${message} (npm run ecd -- help verify shows the options)`);
}

function parseArgs(args: string[]): VerifyArgs {
  const values: Record<string, string> = {};
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!;
    const m = /^--([A-Za-z_-]+)(?:=(.*))?$/s.exec(arg);
    if (!m) usageError(`unexpected argument ${JSON.stringify(arg)}`);
    const name = m[1]!.replaceAll("_", "-");
    if (!Object.hasOwn(OPTIONS, name)) usageError(`unknown option --${m[1]}`);
    let value = m[2];
    if (value === undefined) {
      value = args[++i];
      if (value === undefined) usageError(`--${m[1]} needs a value`);
    }
    values[OPTIONS[name as keyof typeof OPTIONS]] = value;
  }
  const parsed = ArgsSchema.safeParse(values);
  if (!parsed.success) usageError(parsed.error.issues[0]!.message);
  return parsed.data;
}

interface Line {
  number: number;
  value: unknown;
}

async function readJsonLines(file: string): Promise<Line[]> {
  let text: string;
  try {
    text = await readFile(file, "utf8");
  } catch (err) {
    throw new CliError(`${file}: cannot read (${(err as NodeJS.ErrnoException).code ?? (err as Error).message})`);
  }
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  const lines: Line[] = [];
  text.split(/\r\n|\r|\n/).forEach((raw, index) => {
    if (raw.trim() === "") return;
    try {
      lines.push({ number: index + 1, value: JSON.parse(raw) });
    } catch (err) {
      throw new CliError(`${file}:${index + 1}: (line): invalid JSON (${(err as Error).message})`);
    }
  });
  return lines;
}

function fieldName(path: readonly PropertyKey[]): string {
  let out = "";
  for (const part of path) out += typeof part === "number" ? `[${part}]` : out ? `.${String(part)}` : String(part);
  return out || "(line)";
}

function valueAt(value: unknown, path: readonly PropertyKey[]): unknown {
  let current = value;
  for (const part of path) {
    if (current === null || typeof current !== "object" || !Object.hasOwn(current, part)) return undefined;
    current = (current as Record<PropertyKey, unknown>)[part];
  }
  return current;
}

function schemaError(file: string, line: number, value: unknown, error: z.ZodError): CliError {
  const issue = error.issues[0]!;
  const detail = valueAt(value, issue.path) === undefined ? "missing" : issue.message;
  return new CliError(`${file}:${line}: ${fieldName(issue.path)}: ${detail}`);
}

/** Python's `os.path.join(dir, name)` (what the official report prints). */
function joinLikePython(dir: string, name: string): string {
  return dir === "" || dir.endsWith("/") ? dir + name : `${dir}/${name}`;
}

/** Inputs at least this large are shared with worker threads (below it, starting them costs more than it saves). */
const PARALLEL_MIN_PROMPTS = Number(process.env.ECD_VERIFY_PARALLEL_MIN ?? 2000);
const BATCH_SIZE = 250;

/**
 * The compiled worker beside the compiled CLI (dist/cli/verify-worker.mjs). Running from
 * TypeScript source (tsx, vitest) there is none, and everything runs on the main thread.
 */
function compiledWorker(): URL | null {
  const url = new URL("./verify-worker.mjs", import.meta.url);
  return url.protocol === "file:" && existsSync(url) ? url : null;
}

const nextTurn = () => new Promise<void>((resolve) => setImmediate(resolve));

/**
 * Verifies every prompt, in batches: idle worker threads are sent the next batch, and the main
 * thread takes one itself whenever none is waiting to be sent, so both cores stay busy.
 */
async function verifyAll(prompts: readonly ValidPrompt[], responses: Map<string, string>): Promise<VerifiedItem[]> {
  const results: VerifiedItem[] = new Array(prompts.length);
  const workerUrl = prompts.length >= PARALLEL_MIN_PROMPTS ? compiledWorker() : null;
  const workerCount = workerUrl ? Math.max(0, availableParallelism() - 1) : 0;
  if (workerCount === 0) {
    prompts.forEach(
      ({ row, instructions }, i) => (results[i] = verifyOne(row, instructions, responses.get(row.prompt)!)),
    );
    return results;
  }
  let next = 0;
  let pending = 0;
  let failure: unknown = null;
  const workers = Array.from({ length: workerCount }, () => new Worker(workerUrl!));
  const send = (worker: Worker) => {
    if (next >= prompts.length) return;
    const id = next;
    next = Math.min(prompts.length, next + BATCH_SIZE);
    pending++;
    const items = prompts.slice(id, next).map(({ row }) => ({ row, response: responses.get(row.prompt)! }));
    worker.postMessage({ id, items });
  };
  for (const worker of workers) {
    worker.on("message", ({ id, results: batch }: { id: number; results: VerifiedItem[] }) => {
      batch.forEach((item, k) => (results[id + k] = item));
      pending--;
      send(worker);
    });
    worker.on("error", (err) => (failure ??= err));
    send(worker);
  }
  try {
    while (next < prompts.length || pending > 0) {
      if (failure) throw failure;
      if (next < prompts.length) {
        const from = next;
        next = Math.min(prompts.length, next + BATCH_SIZE);
        for (let i = from; i < next; i++) {
          const { row, instructions } = prompts[i]!;
          results[i] = verifyOne(row, instructions, responses.get(row.prompt)!);
        }
      }
      await nextTurn();
    }
  } finally {
    await Promise.all(workers.map((w) => w.terminate()));
  }
  return results;
}

interface ValidPrompt {
  line: number;
  row: PromptRow;
  instructions: BuiltInstruction[];
}

export const verifyCommand: CliCommand = {
  name: "verify",
  summary: "Score responses against IFEval instructions (drop-in for IFEval's evaluation_main)",
  usage: USAGE,
  async run(args: string[], io: CliIO): Promise<number> {
    const { inputData, inputResponseData, outputDir } = parseArgs(args);

    const prompts: ValidPrompt[] = [];
    for (const { number, value } of await readJsonLines(inputData)) {
      const parsed = PromptRowSchema.safeParse(value);
      if (!parsed.success) throw schemaError(inputData, number, value, parsed.error);
      try {
        prompts.push({ line: number, row: parsed.data, instructions: buildInstructions(parsed.data) });
      } catch (err) {
        if (!(err instanceof InstructionBuildError)) throw err;
        const { id, field } = err.kwargsError;
        const where = field === "(kwargs)" ? `kwargs[${err.index}]` : `kwargs[${err.index}].${field}`;
        throw new CliError(`${inputData}:${number}: ${where}: ${err.kwargsError.detail} (${id})`);
      }
    }
    if (prompts.length === 0) throw new CliError(`${inputData}: no prompt rows`);

    const responses = new Map<string, string>();
    for (const { number, value } of await readJsonLines(inputResponseData)) {
      const parsed = ResponseRowSchema.safeParse(value);
      if (!parsed.success) throw schemaError(inputResponseData, number, value, parsed.error);
      responses.set(parsed.data.prompt, parsed.data.response);
    }
    for (const { line, row } of prompts) {
      if (!responses.has(row.prompt)) {
        throw new CliError(`${inputData}:${line}: prompt: no row of ${inputResponseData} has this prompt`);
      }
    }

    try {
      await mkdir(outputDir, { recursive: true });
    } catch (err) {
      throw new CliError(
        `${outputDir}: cannot create output directory (${(err as NodeJS.ErrnoException).code ?? err})`,
      );
    }
    const verified = await verifyAll(prompts, responses);
    for (const mode of ["strict", "loose"] as const) {
      const outputs = prompts.map(({ row }, i) => ({
        follow_all_instructions: verified[i]![mode].every(Boolean),
        follow_instruction_list: verified[i]![mode],
        instruction_id_list: row.instruction_id_list,
        prompt: row.prompt,
        response: "",
      }));
      const fileName = joinLikePython(outputDir, `eval_results_${mode}.jsonl`);
      try {
        await writeFile(
          fileName,
          verified.map((v) => (mode === "strict" ? v.strictLine : v.looseLine)).join(""),
          "utf8",
        );
      } catch (err) {
        throw new CliError(`${fileName}: cannot write (${(err as NodeJS.ErrnoException).code ?? err})`);
      }
      io.stdout(formatEvaluationBlock(fileName, outputs));
    }
    return 0;
  },
};
