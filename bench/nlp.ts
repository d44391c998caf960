/**
 * Speed of the NLP ports the checkers use: `npx tsx bench/nlp.ts` (or `npm run bench:nlp`).
 *
 * - punkt_2kb_ms: NLTK Punkt sentence count of a 2 KB English text (abbreviations, initials,
 *   ellipses, list items), per text, after warm-up (typically ~0.1 ms)
 * - langdetect_2kb_ms: langdetect on a 2 KB English text, per text, profiles loaded (typically < 1 ms)
 */
import { detectLanguage } from "../lib/constraints/nlp/langdetect.ts";
import { countSentences } from "../lib/constraints/nlp/punkt.ts";

function msPerRun(runs: number, fn: () => void): number {
  for (let i = 0; i < Math.min(50, runs); i++) fn();
  const started = performance.now();
  for (let i = 0; i < runs; i++) fn();
  return (performance.now() - started) / runs;
}

const unit =
  'Mr. Smith paid $3.50 for the U.S. edition (2nd ed.) of "The Book." Really? Yes! It was... fine. ' +
  "He met J. S. Bach at 5 p.m. on Jan. 3. However, the vote was 10 to 3.\n- item one\n- item two\n";
const punktText = unit.repeat(Math.ceil(2048 / unit.length)).slice(0, 2048);
const langText = "The committee reviewed the proposal carefully and agreed to fund the new library. ".repeat(25);

process.stdout.write(`punkt_2kb_ms: ${msPerRun(500, () => countSentences(punktText)).toFixed(3)} ms\n`);
process.stdout.write(`langdetect_2kb_ms: ${msPerRun(100, () => detectLanguage(langText)).toFixed(3)} ms\n`);
