import type { Db } from "../db/client.ts";
import { decide, editPair } from "../review/decide.ts";
import { createPair } from "../review/pairs.ts";

/**
 * Test fixtures for exports: three evolution trees with pairs in every status, a human edit
 * (three edits: two of the prompt, the last of the chosen response only), and a seed without
 * pairs. Test-only.
 */
export const TEXT = {
  seaPrompt1: "Write a poem about the sea. Do not use commas.",
  seaPrompt2: "Write a poem about the sea. Do not use commas. Use only lowercase letters.",
  r0: "The sea, the endless sea.",
  r1: "The Sea the endless sea.",
  r2: "the sea the endless sea the original",
  human: "the sea the endless sea as a human rewrote it",
  oldEditPrompt: "An older edited prompt that must not win",
  editedPrompt: "Write a short poem about the sea, all lowercase, no commas.",
  fruitsPrompt: "List three fruits. Give your answer a title in double angular brackets. Do not use commas.",
  student: "apple, pear, fig",
  teacher: "<<Fruits>> apple pear fig",
  student2: "banana, kiwi, plum",
  teacher2: "<<Three>> banana kiwi plum",
  hello: "Say hello.",
} as const;

export type PairFixtures = Awaited<ReturnType<typeof createPairFixtures>>;

/**
 * Builds the fixtures through the write paths: nodes and responses as a pipeline would store
 * them, pairs through lib/review's createPair, and every review state through its votes, edits and
 * decisions (decide / editPair / bulkDecide) — never a hand-set status. The dataset asks for two
 * votes per pair; `userId` (a researcher or admin) edits and decides, three annotators vote.
 */
export async function createPairFixtures(db: Db, datasetId: number, userId: number) {
  await db.dataset.update({ where: { id: datasetId }, data: { settings: { reviewsPerPair: 2 } } });
  const editor = await db.user.findUniqueOrThrow({ where: { id: userId }, select: { id: true, role: true } });
  const voters = await Promise.all(
    ["a", "b", "c"].map((name) =>
      db.user.create({
        data: { email: `voter-${name}-${datasetId}@fixtures.test`, passwordHash: "x", role: "annotator" },
        select: { id: true, role: true },
      }),
    ),
  );
  const [a, b, c] = voters as [(typeof voters)[0], (typeof voters)[0], (typeof voters)[0]];
  const seed = (instruction: string, hash: string) =>
    db.seed.create({ data: { datasetId, instruction, contentHash: hash, source: "plain", metadata: {} } });
  const node = (
    seedId: number,
    depth: number,
    instruction: string,
    parentId: number | null,
    constraints: object[] = [],
    operation: string | null = null,
  ) => db.node.create({ data: { datasetId, seedId, depth, instruction, parentId, constraints, operation } });
  const response = (nodeId: number, text: string, role: string, model: string, parentId: number | null = null) =>
    db.response.create({
      data: { nodeId, text, role, provider: "openai", model, verification: [], parentId },
    });
  const pair = async (data: {
    nodeId: number;
    chosenId: number;
    rejectedId: number;
    method: "ecd" | "c2s" | "manual";
  }) => (await createPair(db, { datasetId, ...data })).id;
  const version = async (pairId: number) =>
    (await db.pair.findUniqueOrThrow({ where: { id: pairId }, select: { version: true } })).version;
  const vote = async (who: { id: number }, pairId: number, decision: "accept" | "reject") =>
    decide(db, who, { pairId, version: await version(pairId), decision, override: true, durationMs: 1200 });

  const noComma = { kind: "verifiable", id: "punctuation:no_comma", kwargs: {}, text: "Do not use commas" };
  const lower = {
    kind: "verifiable",
    id: "change_case:english_lowercase",
    kwargs: {},
    text: "Use only lowercase letters",
  };
  const title = { kind: "verifiable", id: "detectable_format:title", kwargs: {}, text: "Give your answer a title" };

  // Tree 1: ECD, seed → +no_comma → +lowercase; the depth-2 pair was edited by a human.
  const sea = await seed("Write a poem about the sea.", "h-sea");
  const n0 = await node(sea.id, 0, "Write a poem about the sea.", null);
  const n1 = await node(sea.id, 1, TEXT.seaPrompt1, n0.id, [noComma], "add_verifiable");
  const n2 = await node(sea.id, 2, TEXT.seaPrompt2, n1.id, [noComma, lower], "add_verifiable");
  const r0 = await response(n0.id, TEXT.r0, "responder", "gpt-4o-mini");
  const r1 = await response(n1.id, TEXT.r1, "responder", "gpt-4o-mini");
  const r2 = await response(n2.id, TEXT.r2, "responder", "gpt-4o-mini");
  const accepted = await pair({ nodeId: n1.id, chosenId: r1.id, rejectedId: r0.id, method: "ecd" });
  await vote(a, accepted, "accept");
  await vote(b, accepted, "accept");
  const edited = await pair({ nodeId: n2.id, chosenId: r2.id, rejectedId: r1.id, method: "ecd" });
  const edit = async (input: { prompt?: string; chosen?: string }) =>
    editPair(db, editor, { pairId: edited, version: await version(edited), ...input, durationMs: 1200 });
  await edit({ prompt: TEXT.oldEditPrompt, chosen: "an older edit" });
  await edit({ prompt: TEXT.editedPrompt, chosen: "a second edit" });
  // A later edit of only the chosen response keeps the edited prompt.
  await edit({ chosen: TEXT.human });
  await vote(a, edited, "accept");
  await vote(b, edited, "accept");
  const human = (await db.pair.findUniqueOrThrow({ where: { id: edited }, select: { chosenId: true } })).chosenId;

  // Tree 2: C2S, two corrected pairs on one node: one pending, one rejected.
  const fruits = await seed("List three fruits.", "h-fruits");
  const m0 = await node(fruits.id, 0, "List three fruits.", null);
  const m1 = await node(fruits.id, 1, TEXT.fruitsPrompt, m0.id, [title, noComma], "compose");
  const s1 = await response(m1.id, TEXT.student, "student", "llama-2-7b");
  const t1 = await response(m1.id, TEXT.teacher, "teacher", "gpt-4o", s1.id);
  const s2 = await response(m1.id, TEXT.student2, "student", "llama-2-7b");
  const t2 = await response(m1.id, TEXT.teacher2, "teacher", "gpt-4o", s2.id);
  const pending = await pair({ nodeId: m1.id, chosenId: t1.id, rejectedId: s1.id, method: "c2s" });
  const rejected = await pair({ nodeId: m1.id, chosenId: t2.id, rejectedId: s2.id, method: "c2s" });
  await vote(a, rejected, "reject");
  await vote(c, rejected, "reject");

  // Tree 3: a manual pair at depth 0: a 1–1 tie broken by a third reviewer.
  const hello = await seed(TEXT.hello, "h-hello");
  const k0 = await node(hello.id, 0, TEXT.hello, null);
  const x1 = await response(k0.id, "Hello!", "responder", "gpt-4o");
  const x2 = await response(k0.id, "hi", "responder", "rule-based");
  const manual = await pair({ nodeId: k0.id, chosenId: x1.id, rejectedId: x2.id, method: "manual" });
  await vote(a, manual, "accept");
  await vote(b, manual, "reject");
  await vote(c, manual, "accept");

  // A seed without pairs: never exported.
  const lonely = await seed("A seed nobody evolved.", "h-lonely");
  await node(lonely.id, 0, "A seed nobody evolved.", null);

  return {
    pairs: { accepted, edited, pending, rejected, manual },
    seeds: { sea: sea.id, fruits: fruits.id, hello: hello.id, lonely: lonely.id },
    responses: { r2: r2.id, human },
  };
}
