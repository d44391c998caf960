/**
 * A deterministic "model" for engine tests and benches: a reply handler for test/llm-server.ts
 * that recognises which role is asking (from our own prompts in lib/evolution/prompts.ts) and
 * answers like a well-behaved model would, so whole ECD and C2S runs over real HTTP have results
 * a test can spell out exactly:
 *
 * - evolver, add_verifiable: adds the first of NO_COMMA, POSTSCRIPT, TITLE the instruction lacks;
 *   other operations: "Mention the word W." with W the first of FREE_WORDS not yet asked for.
 * - responder: BASE_ANSWER, then for what the instruction asks: commas removed, each word
 *   mentioned, a title in front, a "P.S." at the end.
 * - judge: "mentions the word W" passes iff the response contains W; anything else passes.
 * - keywords: a fixed list. student: STUDENT_ANSWER.
 * - teacher: fixes the one requirement it is shown (commas, postscript, title) and nothing else.
 *
 * `faults` inject trouble for requests whose user message contains a phrase: a function of the
 * request's per-hash count returning a scripted reply (429, 500, delay, garbage…) or null.
 */
import type { ChatCompletionBody, ReplyHandler, ReplyInfo, ScriptedReply } from "./llm-server.ts";

export const BASE_ANSWER = "Here is a clear answer, written with care, for your request.";
export const STUDENT_ANSWER = "Sure, here is my answer, with commas, in full.";
export const PS_LINE = "P.S. Thanks for reading.";

export const NO_COMMA = { id: "punctuation:no_comma", kwargs: {}, text: "Do not use any commas in your answer" };
export const POSTSCRIPT = {
  id: "detectable_content:postscript",
  kwargs: { postscript_marker: "P.S." },
  text: "End with a postscript that starts with P.S.",
};
export const TITLE = {
  id: "detectable_format:title",
  kwargs: {},
  text: "Give the answer a title wrapped in double angular brackets",
};
const VERIFIABLE = [NO_COMMA, POSTSCRIPT, TITLE];
export const FREE_WORDS = ["harbor", "lantern", "compass"];

export type Role = "evolver" | "keywords" | "judge" | "responder" | "student" | "teacher";

export function roleOf(body: ChatCompletionBody): Role {
  const system = body.messages.find((m) => m.role === "system")?.content ?? "";
  if (system.startsWith("You help build a training set")) return "evolver";
  if (system.startsWith("You suggest vocabulary")) return "keywords";
  if (system.startsWith("You check whether a response meets ONE requirement")) return "judge";
  if (system.startsWith("Answer the user's request")) return "responder";
  if (system.startsWith("You are a careful editor")) return "teacher";
  if (!system) return "student";
  throw new Error(`unrecognised request: ${system.slice(0, 80)}`);
}

function userText(body: ChatCompletionBody): string {
  return [...body.messages].reverse().find((m) => m.role === "user")?.content ?? "";
}

function between(text: string, start: string, end: string): string {
  const i = text.indexOf(start);
  if (i < 0) return "";
  const j = text.indexOf(end, i + start.length);
  return text.slice(i + start.length, j < 0 ? undefined : j);
}

export function evolve(instruction: string, operation: string): string {
  if (operation === "add verifiable") {
    const next = VERIFIABLE.find((c) => !instruction.includes(c.text));
    if (!next) return JSON.stringify({ instruction, added_requirements: [], new_constraints: [] });
    return JSON.stringify({
      instruction: `${instruction} ${next.text}.`,
      added_requirements: [next.text.toLowerCase()],
      new_constraints: [{ id: next.id, kwargs_json: JSON.stringify(next.kwargs), text: next.text }],
    });
  }
  const word = FREE_WORDS.find((w) => !instruction.includes(`Mention the word ${w}.`)) ?? "anchor";
  return JSON.stringify({
    instruction: `${instruction} Mention the word ${word}.`,
    added_requirements: [`mention ${word}`],
    new_constraints: [{ text: `The response mentions the word ${word}.` }],
  });
}

export function respond(instruction: string): string {
  let text = BASE_ANSWER;
  if (instruction.includes(NO_COMMA.text)) text = text.replaceAll(",", "");
  for (const m of instruction.matchAll(/Mention the word (\w+)\./g)) text += ` It mentions ${m[1]}.`;
  if (instruction.includes(TITLE.text)) text = `<<Answer>>\n${text}`;
  if (instruction.includes(POSTSCRIPT.text)) text += `\n\n${PS_LINE}`;
  return text;
}

export function correct(user: string): string {
  const response = between(user.slice(user.lastIndexOf("### Response\n")), "### Response\n", "\n### Requirement\n");
  const requirement = user.slice(user.lastIndexOf("### Requirement\n") + "### Requirement\n".length);
  let fixed = response;
  if (/comma/i.test(requirement)) fixed = fixed.replaceAll(",", "");
  if (/P\.P\.S/.test(requirement)) fixed += "\n\nP.P.S Thanks again.";
  else if (/P\.S\.|postscript/i.test(requirement)) fixed += `\n\n${PS_LINE}`;
  if (/angular brackets|title/i.test(requirement)) fixed = `<<Answer>>\n${fixed}`;
  return `### Analysis\nThe response breaks the requirement; a small edit fixes it.\n### Revised response\n${fixed}`;
}

/** The well-behaved answer to any of our prompts. */
export function answer(body: ChatCompletionBody): string {
  const user = userText(body);
  switch (roleOf(body)) {
    case "evolver":
      return evolve(between(user, "<<<\n", "\n>>>"), between(user, "Kind of change: ", "\n"));
    case "keywords":
      return JSON.stringify({ keywords: ["answer", "clear", "careful"] });
    case "judge": {
      const requirement = between(user, 'The requirement to check:\n"""\n', '\n"""');
      const response = between(user, 'The response:\n"""\n', '\n"""\n\nDoes');
      const word = /mentions the word (\w+)/.exec(requirement)?.[1];
      const passed = word ? response.includes(word) : true;
      return JSON.stringify({ passed, reason: passed ? "the requirement is met" : `the word ${word} is missing` });
    }
    case "responder":
      return respond(user);
    case "student":
      return STUDENT_ANSWER;
    case "teacher":
      return correct(user);
  }
}

export type Fault = (info: ReplyInfo & { role: Role }) => ScriptedReply | null;

/** The handler: faults first (matched by a phrase of the request's user message), else `answer`. */
export function scriptedHandler(faults: Record<string, Fault> = {}): ReplyHandler {
  return (body, info) => {
    const role = roleOf(body);
    const user = userText(body);
    for (const [phrase, fault] of Object.entries(faults)) {
      if (!user.includes(phrase)) continue;
      const reply = fault({ ...info, role });
      if (reply)
        return reply.content === undefined && !reply.status && !reply.garbage
          ? { ...reply, content: answer(body) }
          : reply;
    }
    return { content: answer(body) };
  };
}
