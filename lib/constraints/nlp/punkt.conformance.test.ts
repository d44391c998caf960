/**
 * Conformance of the Punkt sentence count and the word_tokenize capital count with the official
 * verdicts: IFEval GPT-4 (strict and loose) and FCI llama2 (strict), for the two instruction ids
 * that depend on them. Needs ../shared/data (skips without it; fails under CI=true).
 */
import { readFileSync } from "node:fs";
import { expect, it } from "vitest";
import { describeWithSharedData, sharedDataPath } from "../../../test/shared-data";
import { countSentences, punktModel } from "./punkt";
import { wordTokenize } from "./word-tokenize";

const SENTENCES = "length_constraints:number_sentences";
const CAPITALS = "change_case:capital_word_frequency";

// Local stand-ins for the evaluator helpers (the real ones live with the checker).
const PY_SPACE = "\\t\\n\\v\\f\\r\\x1c-\\x20\\x85\\xa0\\u1680\\u2000-\\u200a\\u2028\\u2029\\u202f\\u205f\\u3000";
const LEADING_SPACE = new RegExp(`^[${PY_SPACE}]+`, "u");
const TRAILING_SPACE = new RegExp(`[${PY_SPACE}]+$`, "u");
const pyStrip = (s: string): string => s.replace(LEADING_SPACE, "").replace(TRAILING_SPACE, "");
const pyIsUpper = (s: string): boolean => /\p{Uppercase}/u.test(s) && !/[\p{Lowercase}\p{Lt}]/u.test(s);

/** Spec §1: the eight loose-mode candidates. */
function looseCandidates(response: string): string[] {
  const lines = response.split("\n");
  const dropped = [lines.slice(1), lines.slice(0, -1), lines.slice(1, -1)].map((l) => pyStrip(l.join("\n")));
  const noStars = (s: string): string => s.replaceAll("*", "");
  return [response, noStars(response), ...dropped, ...dropped.map(noStars)];
}

type Kwargs = Record<string, unknown>;

function compare(actual: number, relation: unknown, n: unknown): boolean {
  if (typeof n !== "number") throw new Error(`bad threshold ${String(n)}`);
  if (relation === "less than") return actual < n;
  if (relation === "at least") return actual >= n;
  throw new Error(`bad relation ${String(relation)}`);
}

function check(id: string, kwargs: Kwargs, text: string): boolean {
  if (id === SENTENCES) return compare(countSentences(text), kwargs.relation, kwargs.num_sentences);
  const capitals = wordTokenize(text).filter(pyIsUpper).length;
  return compare(capitals, kwargs.capital_relation, kwargs.capital_frequency);
}

const strictVerdict = (id: string, kwargs: Kwargs, response: string): boolean =>
  pyStrip(response) !== "" && check(id, kwargs, response);

const looseVerdict = (id: string, kwargs: Kwargs, response: string): boolean =>
  looseCandidates(response).some((c) => pyStrip(c) !== "" && check(id, kwargs, c));

function readJsonl<T>(...parts: string[]): T[] {
  return readFileSync(sharedDataPath(...parts), "utf8")
    .split("\n")
    .filter((l) => l.trim() !== "")
    .map((l) => JSON.parse(l) as T);
}

interface Tally {
  checked: number;
  agree: number;
  mismatches: string[];
}

function tally(): Tally {
  return { checked: 0, agree: 0, mismatches: [] };
}

function record(t: Tally, ok: boolean, label: string): void {
  t.checked++;
  if (ok) t.agree++;
  else t.mismatches.push(label);
}

describeWithSharedData("punkt / word_tokenize conformance with official verdicts", () => {
  it("the generated parameters equal the Punkt English model file", () => {
    interface Params {
      abbrev_types: string[];
      collocations: [string, string][];
      sent_starters: string[];
      ortho_context: Record<string, number>;
    }
    const p = JSON.parse(readFileSync(sharedDataPath("ifeval", "punkt_english_params.json"), "utf8")) as Params;
    expect([...punktModel.abbrevTypes].sort()).toEqual([...p.abbrev_types].sort());
    expect([...punktModel.sentStarters].sort()).toEqual([...p.sent_starters].sort());
    expect([...punktModel.collocations].sort()).toEqual(p.collocations.map(([a, b]) => `${a} ${b}`).sort());
    expect(Object.fromEntries(punktModel.orthoContext)).toEqual(p.ortho_context);
  });

  it("IFEval GPT-4: number_sentences and capital_word_frequency, strict and loose", () => {
    interface Prompt {
      key: number;
      prompt: string;
      instruction_id_list: string[];
      kwargs: Kwargs[];
    }
    interface Verdict {
      key: number;
      instruction_id_list: string[];
      strict: boolean[];
      loose: boolean[];
    }
    const prompts = readJsonl<Prompt>("ifeval", "input_data.jsonl");
    const responses = new Map(
      readJsonl<{ prompt: string; response: string }>("ifeval", "input_response_data_gpt4_20231107_145030.jsonl").map(
        (r) => [r.prompt, r.response],
      ),
    );
    const verdicts = new Map(
      readJsonl<Verdict>("ifeval", "official_verdicts_gpt4_compact.jsonl").map((v) => [v.key, v]),
    );

    const strict = tally();
    const loose = tally();
    for (const p of prompts) {
      const response = responses.get(p.prompt);
      const v = verdicts.get(p.key);
      if (response === undefined || !v) throw new Error(`key ${p.key}: response or verdict missing`);
      p.instruction_id_list.forEach((id, i) => {
        if (id !== SENTENCES && id !== CAPITALS) return;
        const kwargs = p.kwargs[i] ?? {};
        record(strict, strictVerdict(id, kwargs, response) === v.strict[i], `${p.key} ${id} strict`);
        record(loose, looseVerdict(id, kwargs, response) === v.loose[i], `${p.key} ${id} loose`);
      });
    }
    console.log(
      `IFEval strict ${strict.agree}/${strict.checked}, loose ${loose.agree}/${loose.checked} verdicts agree`,
    );
    expect(strict.checked).toBe(52 + 25);
    expect([...strict.mismatches, ...loose.mismatches]).toEqual([]);
  });

  it("FCI llama2: number_sentences and capital_word_frequency, strict", () => {
    interface Row {
      instruction_id_list: string[];
      kwargs: Kwargs[];
      response: string;
      follow_instruction_list: boolean[];
    }
    const rows = readJsonl<Row>("fci", "checked_res_llama2.jsonl");
    const strict = tally();
    rows.forEach((r, n) => {
      r.instruction_id_list.forEach((id, i) => {
        if (id !== SENTENCES && id !== CAPITALS) return;
        const ok = strictVerdict(id, r.kwargs[i] ?? {}, r.response) === r.follow_instruction_list[i];
        record(strict, ok, `row ${n} ${id}`);
      });
    });
    console.log(`FCI strict ${strict.agree}/${strict.checked} verdicts agree`);
    expect(strict.checked).toBe(262 + 225);
    expect(strict.mismatches).toEqual([]);
  });
});
