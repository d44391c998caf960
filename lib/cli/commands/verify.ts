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
import { verifyItems, type VerifiedBatch } from "./verify-batch";

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

/** A non-blank line of an input file; `text()` decodes it. */
interface RawLine {
  number: number;
  text(): string;
}

/** JavaScript's `line.trim() === ""` on the UTF-8 bytes, decoding only a line with non-ASCII bytes. */
function isBlank(bytes: Buffer, from: number, end: number): boolean {
  for (let i = from; i < end; i++) {
    const byte = bytes[i]!;
    if (byte === 0x20 || (byte >= 0x09 && byte <= 0x0d)) continue;
    if (byte < 0x80) return false;
    return bytes.toString("utf8", from, end).trim() === "";
  }
  return true;
}

/**
 * The file's non-blank lines (UTF-8, an optional byte order mark), numbered from 1; line breaks
 * may be LF, CRLF or CR. Without a CR the lines are cut from the bytes and decoded one by one when
 * read: the same strings as decoding the whole file and splitting it, but most lines stay one-byte
 * strings (a single non-ASCII character makes a whole decoded file two-byte), and a line's text is
 * garbage as soon as it is parsed, instead of tens of MB of kept text that the young-generation
 * collector copies twice.
 */
async function readLines(file: string): Promise<RawLine[]> {
  let bytes: Buffer;
  try {
    bytes = await readFile(file);
  } catch (err) {
    throw new CliError(`${file}: cannot read (${(err as NodeJS.ErrnoException).code ?? (err as Error).message})`);
  }
  const lines: RawLine[] = [];
  const start = bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf ? 3 : 0;
  if (bytes.includes(0x0d)) {
    bytes
      .toString("utf8", start)
      .split(/\r\n|\r|\n/)
      .forEach((raw, index) => {
        if (raw.trim() !== "") lines.push({ number: index + 1, text: () => raw });
      });
    return lines;
  }
  // A line break is never inside a UTF-8 sequence, so cutting there decodes nothing differently.
  for (let from = start, number = 1; from <= bytes.length; number++) {
    let end = bytes.indexOf(0x0a, from);
    if (end < 0) end = bytes.length;
    const lineStart = from;
    if (!isBlank(bytes, lineStart, end)) lines.push({ number, text: () => bytes.toString("utf8", lineStart, end) });
    from = end + 1;
  }
  return lines;
}

function parseJsonLine(file: string, line: RawLine): unknown {
  const { number } = line;
  try {
    return JSON.parse(line.text());
  } catch (err) {
    throw new CliError(`${file}:${number}: (line): invalid JSON (${(err as Error).message})`);
  }
}

/**
 * The invalid-JSON error of the first bad line from `from` on, if any: a file's JSON is judged
 * before its rows' fields, so such a line is reported ahead of a field error on an earlier line.
 */
function firstJsonError(file: string, lines: readonly RawLine[], from: number): CliError | null {
  for (let i = from; i < lines.length; i++) {
    try {
      parseJsonLine(file, lines[i]!);
    } catch (err) {
      if (err instanceof CliError) return err;
      throw err;
    }
  }
  return null;
}

async function readJsonLines(file: string): Promise<Line[]> {
  return (await readLines(file)).map((line) => ({ number: line.number, value: parseJsonLine(file, line) }));
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
/** Prompts per batch sent to a worker, and per slice the main thread verifies between turns. */
const BATCH_SIZE = 100;
const MAIN_SLICE = 50;

/**
 * The compiled worker beside the compiled CLI (dist/cli/verify-worker.mjs). Running from
 * TypeScript source (tsx, vitest) there is none, and everything runs on the main thread.
 */
function compiledWorker(): URL | null {
  const url = new URL("./verify-worker.mjs", import.meta.url);
  return url.protocol === "file:" && existsSync(url) ? url : null;
}

const nextTurn = () => new Promise<void>((resolve) => setImmediate(resolve));

/** Batches handed to one worker and not yet answered: the next one waits in its queue, so it never idles. */
const IN_FLIGHT_PER_WORKER = 2;

/**
 * Verifies the prompts as they become ready (`advance`), in batches: worker threads are kept
 * supplied while the main thread is still reading and validating the input, and once it is done
 * (`finish`) the main thread verifies whatever no worker has taken, so both cores stay busy.
 */
class Verification {
  /** The verified batches by their first prompt's index. */
  private readonly results = new Map<number, VerifiedBatch>();
  private readonly inFlight = new Map<Worker, number>();
  private next = 0; // first prompt not handed out
  private ready = 0; // prompts[0, ready) are valid and have their response
  private finished = false;
  private pending = 0;
  private failure: unknown = null;

  constructor(
    private readonly prompts: readonly ValidPrompt[],
    private readonly responses: ReadonlyMap<string, string>,
    private readonly workers: readonly Worker[],
  ) {
    for (const worker of workers) {
      this.inFlight.set(worker, 0);
      worker.on("message", ({ id, results: batch }: { id: number; results: VerifiedBatch }) => {
        this.results.set(id, batch);
        this.pending--;
        this.inFlight.set(worker, this.inFlight.get(worker)! - 1);
        this.dispatch();
      });
      worker.on("error", (err) => (this.failure ??= err));
    }
  }

  /** Starts worker threads for a large input (none from TypeScript source, where there is no compiled worker). */
  static start(
    expectedPrompts: number,
    prompts: readonly ValidPrompt[],
    responses: ReadonlyMap<string, string>,
  ): Verification {
    const workerUrl = expectedPrompts >= PARALLEL_MIN_PROMPTS ? compiledWorker() : null;
    const count = workerUrl ? Math.max(0, availableParallelism() - 1) : 0;
    return new Verification(
      prompts,
      responses,
      Array.from({ length: count }, () => new Worker(workerUrl!)),
    );
  }

  /** prompts[0, count) are valid and have their response. */
  advance(count: number): void {
    this.ready = count;
    this.dispatch();
  }

  private dispatch(): void {
    for (const worker of this.workers) {
      while (this.inFlight.get(worker)! < IN_FLIGHT_PER_WORKER) {
        const available = this.ready - this.next;
        if (available <= 0 || (available < BATCH_SIZE && !this.finished)) return;
        const id = this.next;
        this.next = Math.min(this.ready, this.next + BATCH_SIZE);
        this.pending++;
        this.inFlight.set(worker, this.inFlight.get(worker)! + 1);
        const items = this.prompts
          .slice(id, this.next)
          .map(({ row }) => ({ row, response: this.responses.get(row.prompt)! }));
        worker.postMessage({ id, items });
      }
    }
  }

  /** Every prompt has been added: verifies the rest on this thread too and returns the batches in order. */
  async finish(): Promise<VerifiedBatch[]> {
    this.finished = true;
    this.dispatch();
    while (this.next < this.ready || this.pending > 0) {
      if (this.failure) throw this.failure;
      if (this.next < this.ready) {
        // Small slices, so that answered workers get their next batch soon.
        const from = this.next;
        this.next = Math.min(this.ready, this.next + MAIN_SLICE);
        const slice = this.prompts.slice(from, this.next);
        const items = slice.map(({ row }) => ({ row, response: this.responses.get(row.prompt)! }));
        this.results.set(
          from,
          verifyItems(items, (i) => slice[i]!.instructions),
        );
      }
      await nextTurn();
    }
    if (this.failure) throw this.failure;
    return [...this.results.keys()].sort((a, b) => a - b).map((from) => this.results.get(from)!);
  }

  terminate(): Promise<unknown> {
    return Promise.all(this.workers.map((w) => w.terminate()));
  }
}

interface ValidPrompt {
  line: number;
  row: PromptRow;
  instructions: BuiltInstruction[];
}

/** Reads the response rows into `responses`; answers their file's error (reported only once the prompt rows are valid). */
async function loadResponses(file: string, responses: Map<string, string>): Promise<CliError | null> {
  try {
    for (const { number, value } of await readJsonLines(file)) {
      const parsed = ResponseRowSchema.safeParse(value);
      if (!parsed.success) throw schemaError(file, number, value, parsed.error);
      responses.set(parsed.data.prompt, parsed.data.response);
    }
  } catch (err) {
    if (!(err instanceof CliError)) throw err;
    return err;
  }
  return null;
}

export const verifyCommand: CliCommand = {
  name: "verify",
  summary: "Score responses against IFEval instructions (drop-in for IFEval's evaluation_main)",
  usage: USAGE,
  async run(args: string[], io: CliIO): Promise<number> {
    const { inputData, inputResponseData, outputDir } = parseArgs(args);

    const promptLines = await readLines(inputData);
    const prompts: ValidPrompt[] = [];
    const responses = new Map<string, string>();
    // Threads start before the responses are read, so that they load meanwhile; the prompts are
    // verified as they are validated (nothing is written before every line has been).
    const verification = Verification.start(promptLines.length, prompts, responses);
    let verified: VerifiedBatch[];
    try {
      const responseError = await loadResponses(inputResponseData, responses);
      let missing: ValidPrompt | null = null;
      for (let k = 0; k < promptLines.length; k++) {
        const { number } = promptLines[k]!;
        const value = parseJsonLine(inputData, promptLines[k]!);
        const parsed = PromptRowSchema.safeParse(value);
        if (!parsed.success)
          throw firstJsonError(inputData, promptLines, k + 1) ?? schemaError(inputData, number, value, parsed.error);
        let instructions: BuiltInstruction[];
        try {
          instructions = buildInstructions(parsed.data);
        } catch (err) {
          if (!(err instanceof InstructionBuildError)) throw err;
          const { id, field } = err.kwargsError;
          const where = field === "(kwargs)" ? `kwargs[${err.index}]` : `kwargs[${err.index}].${field}`;
          throw (
            firstJsonError(inputData, promptLines, k + 1) ??
            new CliError(`${inputData}:${number}: ${where}: ${err.kwargsError.detail} (${id})`)
          );
        }
        const prompt = { line: number, row: parsed.data, instructions };
        prompts.push(prompt);
        if (!responses.has(prompt.row.prompt)) missing ??= prompt;
        if (missing === null && responseError === null && prompts.length % MAIN_SLICE === 0) {
          verification.advance(prompts.length);
          await nextTurn();
        }
      }
      if (prompts.length === 0) throw new CliError(`${inputData}: no prompt rows`);
      if (responseError) throw responseError;
      if (missing) {
        throw new CliError(`${inputData}:${missing.line}: prompt: no row of ${inputResponseData} has this prompt`);
      }

      try {
        await mkdir(outputDir, { recursive: true });
      } catch (err) {
        throw new CliError(
          `${outputDir}: cannot create output directory (${(err as NodeJS.ErrnoException).code ?? err})`,
        );
      }
      verification.advance(prompts.length);
      verified = await verification.finish();
    } finally {
      await verification.terminate();
    }
    for (const mode of ["strict", "loose"] as const) {
      const verdicts = verified.flatMap((batch) => batch[mode]);
      const outputs = prompts.map(({ row }, i) => ({
        follow_all_instructions: verdicts[i]!.every(Boolean),
        follow_instruction_list: verdicts[i]!,
        instruction_id_list: row.instruction_id_list,
        prompt: row.prompt,
        response: "",
      }));
      const fileName = joinLikePython(outputDir, `eval_results_${mode}.jsonl`);
      try {
        // The batches' bytes one after another (an iterable), without joining them first.
        await writeFile(
          fileName,
          verified.map((batch) => batch[`${mode}Bytes`]),
        );
      } catch (err) {
        throw new CliError(`${fileName}: cannot write (${(err as NodeJS.ErrnoException).code ?? err})`);
      }
      io.stdout(formatEvaluationBlock(fileName, outputs));
    }
    return 0;
  },
};
