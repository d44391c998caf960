import { createReadStream, readdirSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { beforeAll, describe, expect, it } from "vitest";
import { createTestDb } from "../../test/db.ts";
import { ImportError, importSeeds, type ImportOptions } from "./index.ts";

/**
 * The bad-input corpus (lib/io/testdata/bad): every file gets a clear error naming its line,
 * and the database is exactly as it was afterwards. `skip` says what --on-error skip does with
 * it: "fails" for problems with the whole file, "skips" for a bad record (the line is listed).
 */
const CORPUS: { file: string; error: RegExp; skip: "fails" | "skips"; options?: ImportOptions }[] = [
  {
    file: "truncated.jsonl",
    error:
      /^line 3: not valid JSON: unterminated string: the record is cut off \(truncated JSON\?\)\. Nothing was imported\.$/,
    skip: "skips",
  },
  {
    file: "truncated-array.json",
    error: /^line 3: the file ends inside this record: the JSON is cut off \(truncated file\?\)/,
    skip: "skips",
  },
  { file: "crlf-unclosed-brace.json", error: /^line 3: the file ends inside this record/, skip: "skips" },
  {
    file: "unclosed-array.json",
    error: /^line 3: the JSON array is never closed: the file ends before its '\]'/,
    skip: "skips",
  },
  {
    file: "trailing-comma.json",
    error: /^line 4: a ',' right before '\]': JSON does not allow a trailing comma/,
    skip: "fails",
  },
  {
    file: "text-after-array.json",
    error: /^line 4: unexpected text after the closing '\]' of the JSON array/,
    skip: "fails",
  },
  {
    file: "bad-json.jsonl",
    error: /^line 5: not valid JSON: expected ',' or '\}' after property value at column 21\./,
    skip: "skips",
  },
  {
    file: "not-an-object.jsonl",
    error: /^line 2: expected a JSON object with the record's fields, got an array/,
    skip: "skips",
  },
  {
    file: "wrong-type.jsonl",
    error: /^line 2: instruction must be a string, got a number \(42\)\. Nothing was imported\.$/,
    skip: "skips",
  },
  { file: "missing-field.jsonl", error: /^line 3: instruction is missing\./, skip: "skips" },
  { file: "empty-instruction.csv", error: /^line 3: instruction is empty\./, skip: "skips" },
  {
    file: "messages-wrong-type.jsonl",
    error: /^line 2: messages must be a list of messages, got a string/,
    skip: "skips",
  },
  { file: "sharegpt-no-user.jsonl", error: /^line 2: conversations has no user turn/, skip: "skips" },
  {
    file: "ifeval-unknown-constraint.jsonl",
    error: /^line 2: instruction_id_list\[1\]: unknown constraint id "foo:bar"/,
    skip: "skips",
  },
  {
    file: "ifeval-kwargs-mismatch.jsonl",
    error: /^line 1: kwargs has 1 entry but instruction_id_list has 2/,
    skip: "skips",
  },
  {
    file: "ifeval-bad-kwarg.jsonl",
    error: /^line 2: kwargs\[0\]: length_constraints:number_words: kwargs field "num_words"/,
    skip: "skips",
  },
  {
    file: "utf16-bom.jsonl",
    error: /^line 1: the file is UTF-16 encoded \(it starts with the byte-order mark FF FE\); save it as UTF-8\./,
    skip: "fails",
  },
  {
    file: "bom-in-middle.jsonl",
    error: /^line 3: the line starts with a byte-order mark \(U\+FEFF\): were several files joined together\? Nothing/,
    skip: "skips",
  },
  {
    file: "latin1.csv",
    error: /^line 4: the line is not valid UTF-8 \(byte 0xE9 at byte 15\); save the file as UTF-8\./,
    skip: "skips",
  },
  { file: "empty.jsonl", error: /^line 1: the file is empty \(0 bytes\)\./, skip: "fails" },
  { file: "blank-lines.jsonl", error: /^line 1: the file has no records: it holds only blank lines\./, skip: "fails" },
  {
    file: "huge-line.jsonl",
    error: /^line 2: the line is longer than the 4 KB limit\./,
    skip: "skips",
    options: { limits: { maxLineBytes: 4096 } },
  },
  {
    file: "too-large.jsonl",
    error: /^line 13: the file is larger than the 1,000 bytes limit\./,
    skip: "fails",
    options: { limits: { maxBytes: 1000 } },
  },
  {
    file: "ragged.csv",
    error: /^line 3: the row has 4 fields but the header has 3 \(a value with a delimiter that is not in quotes\?\)/,
    skip: "skips",
  },
  {
    // Was imported as "abcdef" before csv-parse: text after a closing quote is refused.
    file: "text-after-closing-quote.csv",
    error:
      /^line 3: text follows the closing quote of a field \(got "d"\): quote the whole field and double the quotes inside it/,
    skip: "fails",
  },
  {
    // Old Mac line endings (CR only): the lines are told apart, so the empty instruction is on line 4
    // (line 3 is the second line of a quoted answer), not a garbage one-line header.
    file: "cr-only-line-endings.csv",
    error: /^line 4: instruction is empty\./,
    skip: "skips",
  },
  { file: "unclosed-quote.csv", error: /^line 3: a quoted field opened on this line is never closed/, skip: "fails" },
  { file: "duplicate-header.csv", error: /^line 1: the header names column "instruction" twice/, skip: "fails" },
  {
    file: "mapped-missing-column.csv",
    error:
      /^line 1: the mapping names column "question", which the header does not have \(columns: prompt_text, answer\)/,
    skip: "fails",
    options: { mapping: { instruction: "question" } },
  },
  { file: "rows.xml", error: /^line 1: unknown format: \.xml files cannot be imported/, skip: "fails" },
  {
    file: "unknown-shape.jsonl",
    error: /^line 1: cannot tell the row shape from the fields "foo", "bar": expected Alpaca/,
    skip: "fails",
  },
  {
    file: "array-claimed-jsonl.json",
    error: /^line 1: expected JSON Lines \(one object per line\), but the file starts with '\[': is it a JSON array\?/,
    skip: "fails",
    options: { format: "jsonl" },
  },
  {
    file: "json-named-csv.csv",
    error: /^line 1: the file is named \.csv but starts with '\{': it looks like JSON/,
    skip: "fails",
  },
  { file: "gzipped.jsonl", error: /^line 1: the file is gzip-compressed; decompress it first\./, skip: "fails" },
  { file: "binary.jsonl", error: /^line 1: the file contains NUL bytes: it looks like a binary file/, skip: "fails" },
];

const dir = path.join(path.dirname(fileURLToPath(import.meta.url)), "testdata/bad");
const { db } = createTestDb();
let datasetId = 0;

async function snapshot() {
  const [seeds, nodes, audits, lastSeed] = await Promise.all([
    db.seed.count(),
    db.node.count(),
    db.auditEvent.count(),
    db.seed.findFirst({ orderBy: { id: "desc" }, select: { id: true } }),
  ]);
  return { seeds, nodes, audits, lastSeed: lastSeed?.id };
}

beforeAll(async () => {
  datasetId = (await db.dataset.create({ data: { name: "Bad inputs", settings: {} } })).id;
  // Something already in the dataset, so "unchanged" means more than "still empty".
  await importSeeds(db, datasetId, createReadStream(path.join(dir, "..", "good", "seeds.jsonl")), {
    fileName: "seeds.jsonl",
  });
});

describe("bad input corpus", () => {
  it("has at least 20 files, each with an expectation", () => {
    const files = readdirSync(dir).sort();
    expect(files.length).toBeGreaterThanOrEqual(20);
    expect(CORPUS.map((c) => c.file).sort()).toEqual(files);
  });

  for (const { file, error, skip, options } of CORPUS) {
    it(`${file}: a clear, line-numbered error and an unchanged database`, async () => {
      const before = await snapshot();
      expect(before.seeds).toBeGreaterThan(0);
      // Small chunks: every check must hold whatever the chunk boundaries.
      const failure = await importSeeds(db, datasetId, createReadStream(path.join(dir, file), { highWaterMark: 16 }), {
        fileName: file,
        ...options,
      }).catch((e: unknown) => e);
      expect(failure).toBeInstanceOf(ImportError);
      expect((failure as ImportError).message).toMatch(error);
      expect((failure as ImportError).line).toBeGreaterThan(0);
      expect(await snapshot()).toEqual(before);

      const skipped = await importSeeds(db, datasetId, createReadStream(path.join(dir, file)), {
        fileName: file,
        onError: "skip",
        ...options,
      }).catch((e: unknown) => e);
      const line = (failure as ImportError).line;
      if (skip === "fails") {
        expect(skipped, "a file-level problem fails in skip mode too").toBeInstanceOf(ImportError);
        expect((skipped as ImportError).message).toMatch(error);
        expect(await snapshot()).toEqual(before);
      } else {
        expect(skipped).not.toBeInstanceOf(Error);
        const report = skipped as Awaited<ReturnType<typeof importSeeds>>;
        expect(report.issues.map((i) => i.line)).toContain(line);
        expect(report.issues.find((i) => i.line === line)!.reason).toBe(
          (failure as ImportError).reason.replace(/\.? Nothing was imported\.$/, ""),
        );
        // Remove what the skip-mode import added so later files start from the same state.
        await db.seed.deleteMany({ where: { id: { gt: before.lastSeed ?? 0 } } });
      }
    });
  }
});
