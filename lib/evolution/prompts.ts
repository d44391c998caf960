/**
 * The prompts the LLM roles send. All wording is ECD Studio's own.
 *
 * The evolution prompt frames its parts with a few scaffolding phrases (TEMPLATE_MARKERS); a
 * candidate instruction that repeats one of them has leaked our template and is rejected.
 */
import {
  CONSTRAINT_IDS,
  conflictsWithAny,
  createRng,
  describeConstraint,
  FALLBACK_WORDS,
  sampleKwargs,
  type ConstraintId,
  type Rng,
} from "../constraints/index";
import type { ChatMessage } from "../llm/types";
import type { Constraint, EvolutionOperation } from "./types";

// ---------------------------------------------------------------------------------------------
// Scaffolding words
// ---------------------------------------------------------------------------------------------

const INSTRUCTION_HEADER = "Instruction to rewrite";
const KEPT_HEADER = "Requirements it already carries";
const CHANGE_HEADER = "Kind of change";

/**
 * Lowercased phrases that belong to our prompt (or to evolution prompts in general) and never to
 * a genuine instruction. Compared case-insensitively against the candidate.
 */
export const TEMPLATE_MARKERS: readonly string[] = [
  INSTRUCTION_HEADER.toLowerCase(),
  KEPT_HEADER.toLowerCase(),
  CHANGE_HEADER.toLowerCase(),
  "rewritten instruction",
  "original instruction",
  "new requirement",
  "added requirement",
  "added_requirements",
  "new_constraints",
  "kwargs_json",
  "#rewritten prompt#",
  "#given prompt#",
  "rewritten prompt",
  "given prompt",
  "<<<",
  ">>>",
];

// ---------------------------------------------------------------------------------------------
// Evolution
// ---------------------------------------------------------------------------------------------

/** Ids an LLM evolver may add: repeat_prompt's argument is the whole prompt, so it is left out. */
export const EVOLVABLE_IDS: readonly ConstraintId[] = CONSTRAINT_IDS.filter((id) => id !== "combination:repeat_prompt");

const OPERATION_GUIDANCE: Record<EvolutionOperation, string> = {
  add_verifiable:
    "Add exactly one requirement that a program can check, taken from the catalogue below. Pick one that suits " +
    "the task and does not clash with what is already asked. Phrase it naturally inside the instruction, and " +
    "report it in new_constraints with its id, its arguments as a JSON object encoded in the string field " +
    "kwargs_json, and the words you added for it in text.",
  add_free_form:
    "Add exactly one concrete requirement on content, tone, audience or form that a careful reader can verify by " +
    "reading the response (a point it must cover, a perspective it must take, something it must avoid). Do not " +
    "use counts of words, sentences or letters. Report it in new_constraints as one self-contained sentence.",
  deepen:
    "Ask for more depth on one aspect the instruction already touches: a cause, a consequence, a trade-off or an " +
    "edge case. Report what the response must now contain in new_constraints as one self-contained sentence.",
  concretize:
    "Replace one general part of the instruction with something specific: a named situation, a particular " +
    "audience, or a concrete example the response must use. Report what the response must now do in " +
    "new_constraints as one self-contained sentence.",
  add_reasoning:
    "Ask the response to show one extra explicit reasoning step, such as stating its assumptions first, " +
    "comparing two options before choosing, or justifying its conclusion. Report that step in new_constraints " +
    "as one self-contained sentence.",
};

const EVOLVER_SYSTEM =
  "You help build a training set of instructions that become harder one small step at a time. You receive an " +
  "instruction and rewrite it so that it asks for a little more, using the kind of change you are given. Keep " +
  "the task, the topic and every requirement the instruction already has; change as little as you can, so that " +
  "a response that fully satisfied the old instruction would still be nearly right for the new one and miss " +
  "only what you add. Write the new instruction the way a user would write it: no headings, labels, or remarks " +
  "about the rewriting. Reply with a JSON object only.";

/**
 * One catalogue line per id that does not conflict with the constraints already present. The
 * example kwargs are drawn from `rng` (the node's: job seed, seed, node key), so they vary from
 * call to call and the model has no single example to copy; without one they are fixed per id.
 */
export function constraintCatalogue(existing: readonly Constraint[], rng?: Rng): string {
  const taken = existing.flatMap((c) => (c.kind === "verifiable" ? [c.id] : []));
  return EVOLVABLE_IDS.filter((id) => !conflictsWithAny(id, taken))
    .map((id) => {
      const draw = rng ?? createRng(id);
      const kwargs = sampleKwargs(id, draw, () => draw.choice(FALLBACK_WORDS));
      return `- ${id}: ${describeConstraint(id, kwargs).replace(/\s+/gu, " ")} | example kwargs: ${JSON.stringify(kwargs)}`;
    })
    .join("\n");
}

export function evolutionMessages(
  instruction: string,
  constraints: readonly Constraint[],
  operation: EvolutionOperation,
  rng?: Rng,
  wordBudget?: number,
): ChatMessage[] {
  const kept = constraints.length ? constraints.map((c) => `- ${c.text}`).join("\n") : "- (none listed separately)";
  const shape =
    operation === "add_verifiable"
      ? '{"instruction": "...", "added_requirements": ["..."], "new_constraints": [{"id": "...", "kwargs_json": "{...}", "text": "..."}]}'
      : '{"instruction": "...", "added_requirements": ["..."], "new_constraints": [{"text": "..."}]}';
  const parts = [
    `${CHANGE_HEADER}: ${operation.replaceAll("_", " ")}`,
    OPERATION_GUIDANCE[operation],
    `${KEPT_HEADER}:\n${kept}`,
    `${INSTRUCTION_HEADER}:\n<<<\n${instruction}\n>>>`,
  ];
  if (wordBudget !== undefined) parts.push(`Add at most ${wordBudget} words to the instruction.`);
  if (operation === "add_verifiable")
    parts.push(`Catalogue (id: meaning | example kwargs):\n${constraintCatalogue(constraints, rng)}`);
  parts.push(
    `Reply with JSON of this shape: ${shape}\n"instruction" is the complete new instruction; "added_requirements" ` +
      "lists in a few words each what you added.",
  );
  return [
    { role: "system", content: EVOLVER_SYSTEM },
    { role: "user", content: parts.join("\n\n") },
  ];
}

export function evolutionSchema(operation: EvolutionOperation): { name: string; schema: Record<string, unknown> } {
  const item =
    operation === "add_verifiable"
      ? {
          type: "object",
          properties: {
            id: { type: "string", enum: [...EVOLVABLE_IDS] },
            kwargs_json: { type: "string" },
            text: { type: "string" },
          },
          required: ["id", "kwargs_json", "text"],
          additionalProperties: false,
        }
      : { type: "object", properties: { text: { type: "string" } }, required: ["text"], additionalProperties: false };
  return {
    name: "evolved_instruction",
    schema: {
      type: "object",
      properties: {
        instruction: { type: "string" },
        added_requirements: { type: "array", items: { type: "string" } },
        new_constraints: { type: "array", items: item },
      },
      required: ["instruction", "added_requirements", "new_constraints"],
      additionalProperties: false,
    },
  };
}

// ---------------------------------------------------------------------------------------------
// Keywords (C2S)
// ---------------------------------------------------------------------------------------------

export function keywordMessages(seedText: string): ChatMessage[] {
  return [
    {
      role: "system",
      content: "You suggest vocabulary for answers to tasks. Reply with a JSON object only.",
    },
    {
      role: "user",
      content:
        "Suggest between 5 and 10 single words that a good answer to the task below would naturally contain. " +
        "Use plain words only: no phrases, numbers, punctuation or names of formats.\n\n" +
        `Task:\n${seedText}\n\nReply as {"keywords": ["...", "..."]}.`,
    },
  ];
}

export const KEYWORD_SCHEMA = {
  name: "keywords",
  schema: {
    type: "object",
    properties: { keywords: { type: "array", items: { type: "string" } } },
    required: ["keywords"],
    additionalProperties: false,
  },
};

// ---------------------------------------------------------------------------------------------
// Judge
// ---------------------------------------------------------------------------------------------

export function judgeMessages(instruction: string, response: string, requirement: string): ChatMessage[] {
  return [
    {
      role: "system",
      content:
        "You check whether a response meets ONE requirement. Judge only that requirement, literally and strictly; " +
        "ignore every other quality of the response. Reply with a JSON object only.",
    },
    {
      role: "user",
      content:
        `The writer was asked:\n"""\n${instruction}\n"""\n\n` +
        `The requirement to check:\n"""\n${requirement}\n"""\n\n` +
        `The response:\n"""\n${response}\n"""\n\n` +
        'Does the response meet the requirement? Reply as {"passed": true or false, "reason": "one sentence"}.',
    },
  ];
}

export const JUDGE_SCHEMA = {
  name: "judgement",
  schema: {
    type: "object",
    properties: { passed: { type: "boolean" }, reason: { type: "string" } },
    required: ["passed", "reason"],
    additionalProperties: false,
  },
};

// ---------------------------------------------------------------------------------------------
// Responder and student
// ---------------------------------------------------------------------------------------------

export function responderMessages(instruction: string): ChatMessage[] {
  return [
    {
      role: "system",
      content:
        "Answer the user's request. Meet every requirement it states exactly, including those on format, length, " +
        "wording, letter case and punctuation. Reply with the answer only.",
    },
    { role: "user", content: instruction },
  ];
}

/** The student sees the composed prompt as its only turn. */
export function studentMessages(prompt: string): ChatMessage[] {
  return [{ role: "user", content: prompt }];
}

// ---------------------------------------------------------------------------------------------
// Teacher: minimal-edit correction of one constraint (spec §9.3, our wording)
// ---------------------------------------------------------------------------------------------

export const REVISED_HEADER = "### Revised response";

const TEACHER_SYSTEM =
  "You are a careful editor. You fix exactly one problem in a text and leave everything else as it was.";

const TEACHER_EXAMPLE = [
  "### Response",
  "Sure! Tulips do best where winters are cool. Plant the bulbs in autumn, about 15 cm deep, pointed end up.",
  "### Requirement",
  'End your reply with the exact phrase "Happy planting!" and add nothing after it',
  "### Analysis",
  'The reply stops after "pointed end up." instead of the required phrase. Adding the phrase as a final sentence fixes it; nothing else needs to change.',
  REVISED_HEADER,
  "Sure! Tulips do best where winters are cool. Plant the bulbs in autumn, about 15 cm deep, pointed end up. Happy planting!",
].join("\n");

export function correctionMessages(prompt: string, response: string, requirement: string): ChatMessage[] {
  const user = [
    "Below is a response written for a request. It is known to break one requirement. Revise the response so " +
      "that it meets that requirement, with the smallest edit that does it: keep the content, wording, order and " +
      "letter case of everything else, unless the requirement itself demands a change.",
    'First write a short analysis under the header "### Analysis": what breaks the requirement and how you will ' +
      `fix it. Then write the COMPLETE revised response (all of it, not only the changed part) under the header ` +
      `"${REVISED_HEADER}". Write nothing after the revised response.`,
    "Worked example:",
    TEACHER_EXAMPLE,
    "Your case. The request, for context only:",
    `"""\n${prompt}\n"""`,
    `### Response\n${response}\n### Requirement\n${requirement}`,
  ].join("\n\n");
  return [
    { role: "system", content: TEACHER_SYSTEM },
    { role: "user", content: user },
  ];
}
