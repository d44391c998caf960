import { createReadStream, existsSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { createTestDb } from "../../test/db.ts";
import { describeConstraint } from "../constraints/index.ts";
import {
  bytesOf,
  contentHash,
  ImportError,
  importSeeds,
  previewImport,
  seedText,
  type ImportOptions,
} from "./index.ts";
import { SHARED_DATA_DIR } from "../../test/shared-data.ts";

const { db } = createTestDb();

async function freshDataset(name: string) {
  return (await db.dataset.create({ data: { name, settings: {} } })).id;
}

async function seedsOf(id: number) {
  return db.seed.findMany({ where: { datasetId: id }, orderBy: { id: "asc" }, include: { nodes: true } });
}

function jsonl(rows: unknown[]): string {
  return rows.map((r) => JSON.stringify(r)).join("\n") + "\n";
}

/** Feeds the text in chunks of `size` bytes, so chunk boundaries fall everywhere (inside lines, inside UTF-8 characters). */
function chunked(text: string, size: number) {
  const bytes = Buffer.from(text, "utf8");
  const chunks: Uint8Array[] = [];
  for (let i = 0; i < bytes.length; i += size) chunks.push(bytes.subarray(i, i + size));
  return bytesOf(...chunks);
}

describe("import shapes", () => {
  it("imports Alpaca rows: seed text is instruction + input, output is the reference response", async () => {
    const id = await freshDataset("alpaca");
    const report = await importSeeds(
      db,
      id,
      bytesOf(
        jsonl([
          { instruction: "Summarise the text.", input: "The cat sat on the mat.", output: "A cat sat." },
          { instruction: "Name a colour.", input: "", output: "" },
        ]),
      ),
      { fileName: "alpaca.jsonl" },
    );
    expect(report).toMatchObject({
      format: "jsonl",
      shape: "alpaca",
      records: 2,
      imported: 2,
      duplicates: 0,
      skipped: 0,
    });
    const [a, b] = await seedsOf(id);
    expect(a).toMatchObject({
      instruction: "Summarise the text.",
      input: "The cat sat on the mat.",
      referenceResponse: "A cat sat.",
      source: "alpaca",
      externalId: "line:1",
    });
    expect(a!.contentHash).toBe(contentHash("Summarise the text.", "The cat sat on the mat."));
    expect(a!.nodes).toHaveLength(1);
    expect(a!.nodes[0]).toMatchObject({
      depth: 0,
      parentId: null,
      instruction: "Summarise the text.\n\nThe cat sat on the mat.",
      constraints: [],
      status: "kept",
    });
    expect(b).toMatchObject({ instruction: "Name a colour.", referenceResponse: null });
    expect(b!.nodes[0]!.instruction).toBe("Name a colour.");
    const audit = await db.auditEvent.findFirstOrThrow({ where: { action: "seeds.import", entityId: String(id) } });
    expect(audit.data).toMatchObject({ fileName: "alpaca.jsonl", imported: 2, shape: "alpaca" });
  });

  it("imports Dolly rows from a JSON array and keeps extra fields as metadata", async () => {
    const id = await freshDataset("dolly");
    const text = JSON.stringify(
      [
        { instruction: "Who wrote Hamlet?", context: "", response: "Shakespeare.", category: "open_qa" },
        { instruction: "Summarise.", context: "Long text here.", response: "Short.", category: "summarization" },
      ],
      null,
      2,
    );
    const report = await importSeeds(db, id, bytesOf(text), { fileName: "dolly.json" });
    expect(report).toMatchObject({ format: "json", shape: "dolly", imported: 2 });
    const [a, b] = await seedsOf(id);
    expect(a).toMatchObject({
      instruction: "Who wrote Hamlet?",
      referenceResponse: "Shakespeare.",
      metadata: { line: 2, category: "open_qa" },
    });
    expect(b).toMatchObject({ input: "Long text here.", metadata: { line: 8, category: "summarization" } });
  });

  it("imports ShareGPT conversations and OpenAI-style messages: first user turn and the assistant turn after it", async () => {
    const id = await freshDataset("sharegpt");
    await importSeeds(
      db,
      id,
      bytesOf(
        jsonl([
          {
            id: "conv-1",
            conversations: [
              { from: "system", value: "Be brief." },
              { from: "human", value: "Explain DPO." },
              { from: "gpt", value: "Direct preference optimisation." },
              { from: "human", value: "More?" },
            ],
          },
          { conversations: [{ from: "human", value: "Only a question" }] },
        ]),
      ),
    );
    const [a, b] = await seedsOf(id);
    expect(a).toMatchObject({
      externalId: "conv-1",
      instruction: "Explain DPO.",
      referenceResponse: "Direct preference optimisation.",
      source: "sharegpt",
      metadata: { system: "Be brief.", turns: 4 },
    });
    expect(b).toMatchObject({ instruction: "Only a question", referenceResponse: null });

    const id2 = await freshDataset("messages");
    await importSeeds(
      db,
      id2,
      bytesOf(
        jsonl([
          {
            messages: [
              {
                role: "user",
                content: [
                  { type: "text", text: "Hello " },
                  { type: "text", text: "there" },
                ],
              },
              { role: "assistant", content: "Hi!" },
            ],
          },
        ]),
      ),
    );
    expect((await seedsOf(id2))[0]).toMatchObject({ instruction: "Hello there", referenceResponse: "Hi!" });
  });

  it("turns IFEval rows into structured verifiable constraints with the registry's text", async () => {
    const id = await freshDataset("ifeval");
    const row = {
      key: 1000,
      prompt: "Write a 300+ word summary. Do not use any commas.",
      instruction_id_list: ["punctuation:no_comma", "length_constraints:number_words"],
      kwargs: [{}, { relation: "at least", num_words: 300, unused: null }],
    };
    const report = await importSeeds(db, id, bytesOf(jsonl([row])), { fileName: "input_data.jsonl" });
    expect(report.shape).toBe("ifeval");
    const [seed] = await seedsOf(id);
    expect(seed).toMatchObject({
      externalId: "1000",
      instruction: row.prompt,
      input: "",
      source: "ifeval",
      referenceResponse: null,
    });
    expect(seed!.nodes[0]!.constraints).toEqual([
      {
        kind: "verifiable",
        id: "punctuation:no_comma",
        kwargs: {},
        text: describeConstraint("punctuation:no_comma", {}),
      },
      {
        kind: "verifiable",
        id: "length_constraints:number_words",
        kwargs: { relation: "at least", num_words: 300 },
        text: describeConstraint("length_constraints:number_words", { relation: "at least", num_words: 300 }),
      },
    ]);
  });

  it("imports FollowComplexInstruction res_llama2 rows: constraint texts from the row, the response as reference", async () => {
    const id = await freshDataset("fci");
    const row = {
      prompt: "Name a disease. end it with a post script starting with P.S.. response without any commas. ",
      instruction_id_list: ["detectable_content:postscript", "punctuation:no_comma"],
      kwargs: [{ postscript_marker: "P.S." }, {}],
      constraints: ["end it with a post script starting with P.S.", "response without any commas"],
      response: " Sure, flu. P.S. Rest.",
    };
    expect((await importSeeds(db, id, bytesOf(jsonl([row])))).shape).toBe("fci");
    const [seed] = await seedsOf(id);
    expect(seed).toMatchObject({ source: "fci", instruction: row.prompt, referenceResponse: row.response });
    expect(seed!.nodes[0]!.constraints).toEqual([
      {
        kind: "verifiable",
        id: "detectable_content:postscript",
        kwargs: { postscript_marker: "P.S." },
        text: row.constraints[0],
      },
      { kind: "verifiable", id: "punctuation:no_comma", kwargs: {}, text: row.constraints[1] },
    ]);
  });

  it("imports plain prompt/response CSV with quoted commas, quotes and line breaks, and TSV", async () => {
    const id = await freshDataset("plain-csv");
    const csv = 'prompt,response\r\n"Write a poem, short","Roses are red,\r\nviolets ""blue"""\r\nSay hi,hi\r\n';
    expect(await importSeeds(db, id, chunked(csv, 3), { fileName: "p.csv" })).toMatchObject({
      format: "csv",
      shape: "plain",
      imported: 2,
    });
    const [a, b] = await seedsOf(id);
    expect(a).toMatchObject({
      instruction: "Write a poem, short",
      referenceResponse: 'Roses are red,\nviolets "blue"',
      metadata: { line: 2 },
    });
    expect(b).toMatchObject({ instruction: "Say hi", referenceResponse: "hi", metadata: { line: 4 } });

    const id2 = await freshDataset("tsv");
    expect(
      await importSeeds(db, id2, bytesOf("instruction\tinput\toutput\nTranslate\tbonjour\thello\n"), {
        fileName: "x.tsv",
      }),
    ).toMatchObject({ format: "tsv", shape: "alpaca", imported: 1 });
  });

  it("imports anything else through an explicit column mapping (dotted paths reach into objects)", async () => {
    const id = await freshDataset("mapped");
    const report = await importSeeds(
      db,
      id,
      bytesOf(jsonl([{ uid: 7, q: { text: "What is 2+2?" }, ctx: "math", a: "4" }])),
      {
        mapping: { instruction: "q.text", input: "ctx", response: "a", id: "uid" },
      },
    );
    expect(report).toMatchObject({
      shape: "mapped",
      mapping: { instruction: "q.text", input: "ctx", response: "a", id: "uid" },
    });
    expect((await seedsOf(id))[0]).toMatchObject({
      externalId: "7",
      instruction: "What is 2+2?",
      input: "math",
      referenceResponse: "4",
      source: "mapped",
    });
  });

  it("accepts a UTF-8 byte-order mark at the start (spreadsheets write one) and chunk boundaries anywhere", async () => {
    const id = await freshDataset("bom");
    const text = "\uFEFFinstruction,input,output\nDécris un café ☕,,Un café.\n";
    for (const size of [1, 2, 5, 1000]) {
      await db.seed.deleteMany({ where: { datasetId: id } });
      const report = await importSeeds(db, id, chunked(text, size), { fileName: "fr.csv" });
      expect(report.imported, `chunks of ${size}`).toBe(1);
      expect((await seedsOf(id))[0]!.instruction).toBe("Décris un café ☕");
    }
  });

  it("imports the real IFEval and FCI files when ../shared/data is there", async (ctx) => {
    const dataDir = SHARED_DATA_DIR;
    if (!existsSync(dataDir)) {
      if (process.env.CI === "true") throw new Error(`${dataDir} is missing`);
      ctx.skip();
    }
    const id = await freshDataset("real");
    const ifeval = await importSeeds(db, id, createReadStream(path.join(dataDir, "ifeval/input_data.jsonl")), {
      fileName: "input_data.jsonl",
    });
    expect(ifeval).toMatchObject({ shape: "ifeval", imported: 541, skipped: 0 });
    const fci = await importSeeds(db, id, createReadStream(path.join(dataDir, "fci/res_llama2.jsonl")), {
      fileName: "res_llama2.jsonl",
    });
    expect(fci).toMatchObject({ shape: "fci", imported: 1500, skipped: 0 });
    // ift_train holds the same composed prompts (instruction = prompt, input ""): all duplicates.
    const ift = await importSeeds(db, id, createReadStream(path.join(dataDir, "fci/ift_train.jsonl")), {
      fileName: "ift_train.jsonl",
    });
    expect(ift).toMatchObject({ shape: "alpaca", imported: 0, duplicates: 1467 });
    const nodes = await db.node.findMany({
      where: { datasetId: id, seed: { source: "fci" } },
      select: { constraints: true },
    });
    expect(nodes.reduce((n, node) => n + (node.constraints as unknown[]).length, 0)).toBe(5712);
  });
});

describe("duplicates", () => {
  it("detects duplicates by content hash within the file and against the dataset, ignoring whitespace", async () => {
    const id = await freshDataset("dups");
    const first = await importSeeds(
      db,
      id,
      bytesOf(
        jsonl([
          { instruction: "Write a poem.", input: "" },
          { instruction: "Write  a poem. ", input: "" },
          { instruction: "Write a song." },
        ]),
      ),
      {
        batchSize: 1,
      },
    );
    expect(first).toMatchObject({ imported: 2, duplicates: 1 });
    const seeds = await seedsOf(id);
    expect(first.duplicateLines).toEqual([{ line: 2, seedId: seeds[0]!.id }]);
    // The same seed in one batch twice is a duplicate too.
    const second = await importSeeds(
      db,
      id,
      bytesOf(jsonl([{ instruction: "Write a song." }, { instruction: "New one" }, { instruction: "New one" }])),
    );
    expect(second).toMatchObject({ imported: 1, duplicates: 2 });
    expect(second.duplicateLines.map((d) => d.line)).toEqual([1, 3]);
    expect(await db.seed.count({ where: { datasetId: id } })).toBe(3);
    expect(await db.node.count({ where: { datasetId: id } })).toBe(3);
  });

  it("does not treat the same text in another dataset as a duplicate", async () => {
    const a = await freshDataset("dup-a");
    const b = await freshDataset("dup-b");
    const text = jsonl([{ prompt: "Shared prompt" }]);
    expect((await importSeeds(db, a, bytesOf(text))).imported).toBe(1);
    expect((await importSeeds(db, b, bytesOf(text))).imported).toBe(1);
  });
});

describe("bad lines", () => {
  const mixed =
    jsonl([{ instruction: "good 1" }, { instruction: 5 }, "not an object", { instruction: "good 2" }]) +
    "{broken\n" +
    jsonl([{ input: "no instruction" }, { instruction: "good 3" }]);

  it("with onError fail, the first bad line stops the import and nothing is written", async () => {
    const id = await freshDataset("fail-mode");
    const before = await db.auditEvent.count();
    const error = await importSeeds(db, id, bytesOf(mixed), { onError: "fail" }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ImportError);
    expect((error as ImportError).message).toBe(
      "line 2: instruction must be a string, got a number (5). Nothing was imported.",
    );
    expect((error as ImportError).line).toBe(2);
    expect(await db.seed.count({ where: { datasetId: id } })).toBe(0);
    expect(await db.node.count({ where: { datasetId: id } })).toBe(0);
    expect(await db.auditEvent.count()).toBe(before);
  });

  it("a bad line at the end of a big file stops the import before anything is written", async () => {
    const id = await freshDataset("late-bad-line");
    const rows =
      Array.from({ length: 250 }, (_, i) => JSON.stringify({ instruction: `Seed ${i}` })).join("\n") +
      '\n{"instruction": 1}\n';
    await expect(importSeeds(db, id, bytesOf(rows), { batchSize: 50 })).rejects.toThrow(
      /^line 251: instruction must be a string/,
    );
    expect(await db.seed.count({ where: { datasetId: id } })).toBe(0);
  });

  it("a database failure half-way through the inserts removes the batches already written", async () => {
    const id = await freshDataset("rollback");
    const before = await db.auditEvent.count();
    let nodeInserts = 0;
    // The same client, but the third batch's Node insert fails (as a full disk would).
    const failing = new Proxy(db, {
      get(target, prop) {
        if (prop !== "$transaction") return Reflect.get(target, prop);
        return (fn: (tx: unknown) => Promise<unknown>, opts: object) =>
          target.$transaction(
            (tx) =>
              fn(
                new Proxy(tx, {
                  get(t, p) {
                    const value = Reflect.get(t, p);
                    if (p === "$executeRawUnsafe" && ++nodeInserts === 3)
                      return () => Promise.reject(new Error("disk I/O error"));
                    return typeof value === "function" ? value.bind(t) : value;
                  },
                }),
              ),
            opts,
          );
      },
    });
    const rows = Array.from({ length: 250 }, (_, i) => JSON.stringify({ instruction: `Seed ${i}` })).join("\n");
    await expect(importSeeds(failing, id, bytesOf(rows), { batchSize: 50 })).rejects.toThrow("disk I/O error");
    expect(nodeInserts).toBe(3);
    // Two batches were committed on their own before the failure: removed again, with the import.
    expect(await db.seed.count({ where: { datasetId: id } })).toBe(0);
    expect(await db.node.count({ where: { datasetId: id } })).toBe(0);
    expect(await db.seedImport.count({ where: { datasetId: id } })).toBe(0);
    expect(await db.auditEvent.count()).toBe(before);
  });

  it("with onError skip, imports the good lines and lists every skipped line with its reason", async () => {
    const id = await freshDataset("skip-mode");
    const seen: number[] = [];
    const report = await importSeeds(db, id, bytesOf(mixed), {
      onError: "skip",
      onIssue: (issue) => seen.push(issue.line),
    });
    expect(report).toMatchObject({ records: 7, imported: 3, skipped: 4, duplicates: 0 });
    expect(report.issues).toEqual([
      { line: 2, reason: "instruction must be a string, got a number (5)" },
      { line: 3, reason: "expected a JSON object with the record's fields, got a string" },
      { line: 5, reason: expect.stringMatching(/^not valid JSON: expected property name or '}' at column 2$/) },
      { line: 6, reason: "instruction is missing" },
    ]);
    expect(seen).toEqual([2, 3, 5, 6]);
    expect((await seedsOf(id)).map((s) => s.instruction)).toEqual(["good 1", "good 2", "good 3"]);
  });

  it("skips bad lines before the first good one and still detects the shape", async () => {
    const id = await freshDataset("skip-first");
    const report = await importSeeds(db, id, bytesOf('{"oops"\n' + jsonl([{ instruction: "a" }])), { onError: "skip" });
    expect(report).toMatchObject({ records: 2, imported: 1, skipped: 1, shape: "alpaca" });
  });

  it("caps the listed issues but keeps the counts complete", async () => {
    const id = await freshDataset("cap");
    const report = await importSeeds(
      db,
      id,
      bytesOf('{"instruction": 1}\n'.repeat(30) + jsonl([{ instruction: "a" }])),
      { onError: "skip", reportLimit: 10 },
    );
    expect(report).toMatchObject({ skipped: 30, imported: 1, truncated: true });
    expect(report.issues).toHaveLength(10);
  });
});

describe("preview", () => {
  it("shows the detected format, shape, mapping and first rows without writing", async () => {
    const seedsBefore = await db.seed.count();
    const text = jsonl(
      Array.from({ length: 30 }, (_, i) => ({
        key: i,
        prompt: `Prompt ${i}`,
        instruction_id_list: ["punctuation:no_comma"],
        kwargs: [{}],
      })),
    );
    const preview = await previewImport(bytesOf(text), { fileName: "x.jsonl", rows: 3 });
    expect(preview).toMatchObject({
      format: "jsonl",
      formatLabel: "JSON Lines",
      shape: "ifeval",
      mapping: { instruction: "prompt", id: "key", constraints: "instruction_id_list + kwargs" },
      columns: ["key", "prompt", "instruction_id_list", "kwargs"],
      issues: [],
    });
    expect(preview.rows.map((r) => r.seedText)).toEqual(["Prompt 0", "Prompt 1", "Prompt 2"]);
    expect(preview.rows[0]!.constraints).toEqual([
      { id: "punctuation:no_comma", text: describeConstraint("punctuation:no_comma", {}) },
    ]);
    expect(await db.seed.count()).toBe(seedsBefore);
  });

  it("reads a cut-off prefix of a file (the upload page's sample) without complaining about the cut", async () => {
    const full = JSON.stringify(
      [{ instruction: "One" }, { instruction: "Two" }, { instruction: "Three, with ü" }],
      null,
      1,
    );
    const cut = Buffer.from(full, "utf8").subarray(0, Buffer.byteLength(full) - 12);
    const preview = await previewImport(bytesOf(cut), { fileName: "x.json", partial: true });
    expect(preview.rows.map((r) => r.seedText)).toEqual(["One", "Two"]);
    expect(preview.issues).toEqual([]);
  });

  it("lists problems in the previewed rows and applies a mapping to CSV", async () => {
    const preview = await previewImport(bytesOf("q,a\nWhat?,This\n,empty\n"), {
      fileName: "m.csv",
      mapping: { instruction: "q", response: "a" },
    });
    expect(preview).toMatchObject({
      format: "csv",
      shape: "mapped",
      columns: ["q", "a"],
      issues: [{ line: 3, reason: '"q" (the instruction) is empty' }],
    });
    expect(preview.rows).toEqual([
      { line: 2, externalId: null, seedText: "What?", referenceResponse: "This", constraints: [] },
    ]);
  });
});

describe("streaming", () => {
  it("imports 20,000 lines fed in small chunks, in batches, with flat memory use", async () => {
    const id = await freshDataset("stream");
    const n = 20_000;
    async function* generate() {
      for (let i = 0; i < n; i += 500) {
        let chunk = "";
        for (let k = i; k < i + 500; k++)
          chunk +=
            JSON.stringify({ instruction: `Seed number ${k}`, input: k % 2 ? `input ${k}` : "", output: `out ${k}` }) +
            "\n";
        yield Buffer.from(chunk);
      }
    }
    const options: ImportOptions = { fileName: "big.jsonl", batchSize: 700 };
    const report = await importSeeds(db, id, generate(), options);
    expect(report).toMatchObject({ records: n, imported: n });
    const last = await db.seed.findFirstOrThrow({
      where: { datasetId: id },
      orderBy: { id: "desc" },
      include: { nodes: true },
    });
    expect(last).toMatchObject({ instruction: `Seed number ${n - 1}`, input: `input ${n - 1}` });
    expect(last.nodes[0]!.instruction).toBe(seedText(`Seed number ${n - 1}`, `input ${n - 1}`));
  });
});

describe("parsers", () => {
  it("JSON arrays: brackets and quotes inside strings, nesting, CRLF, records spanning lines", async () => {
    const text =
      '[\r\n  {"instruction": "Use ] and } and \\" and \\\\", "input": "", "output": "[{}]",\r\n   "meta": {"tags": ["a", {"b": [1, 2]}]}},\r\n  {"instruction": "Second"}\r\n]\r\n';
    for (const size of [1, 7, 1 << 16]) {
      const preview = await previewImport(chunked(text, size), { fileName: "x.json" });
      expect(preview.issues, `chunks of ${size}`).toEqual([]);
      expect(preview.rows.map((r) => [r.line, r.seedText, r.referenceResponse])).toEqual([
        [2, 'Use ] and } and " and \\', "[{}]"],
        [4, "Second", null],
      ]);
    }
  });

  it("JSON arrays: a non-object element is a bad record, not the end of the file", async () => {
    const preview = await previewImport(bytesOf('[{"prompt": "a"}, 42, "text", null, {"prompt": "b"}]'), {
      fileName: "x.json",
    });
    expect(preview.rows.map((r) => r.seedText)).toEqual(["a", "b"]);
    expect(preview.issues.map((i) => i.reason)).toEqual([
      "expected a JSON object with the record's fields, got a number",
      "expected a JSON object with the record's fields, got a string",
      "expected a JSON object with the record's fields, got null",
    ]);
  });

  it("CSV: empty and quoted-empty fields, a trailing empty field, blank lines, no final newline", async () => {
    const preview = await previewImport(bytesOf('instruction,input,output\n\nA,"",\n"B",,"x"'), { fileName: "x.csv" });
    expect(preview.issues).toEqual([]);
    expect(preview.rows.map((r) => [r.line, r.seedText, r.referenceResponse])).toEqual([
      [3, "A", null],
      [4, "B", "x"],
    ]);
  });

  it("sniffs the format when the file name says nothing", async () => {
    expect((await previewImport(bytesOf('[{"prompt": "a"}]'), {})).format).toBe("json");
    expect((await previewImport(bytesOf('{"prompt": "a"}\n'), { fileName: "upload" })).format).toBe("jsonl");
    expect((await previewImport(bytesOf("prompt,response\na,b\n"), { fileName: "data.txt" })).format).toBe("csv");
    expect((await previewImport(bytesOf("prompt\tresponse\na\tb\n"), {})).format).toBe("tsv");
    await expect(previewImport(bytesOf("just some words\n"), { fileName: "notes.txt" })).rejects.toThrow(
      /^line 1: unknown format: cannot tell what kind of file "notes\.txt" is/,
    );
  });
});
