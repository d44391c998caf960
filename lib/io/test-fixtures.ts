import type { Db } from "../db/client.ts";

/**
 * Test fixtures for exports: three evolution trees with pairs in every status, a human edit
 * (a "human" Response derived from the original, the pair pointing at it, and two edit reviews,
 * the latest with an edited prompt), and a seed without pairs. Test-only.
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

export async function createPairFixtures(db: Db, datasetId: number, userId: number) {
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
      data: {
        nodeId,
        text,
        role,
        provider: role === "human" ? "human" : "openai",
        model,
        verification: [],
        parentId,
        createdById: role === "human" ? userId : null,
      },
    });
  const pair = (data: {
    nodeId: number;
    chosenId: number;
    rejectedId: number;
    method: string;
    status: string;
    depth: number;
    reviewCount: number;
    constraintIds: string;
  }) => db.pair.create({ data: { datasetId, metadata: {}, ...data } });
  const review = (pairId: number, decision: string, extra: { editedPrompt?: string; editedChosen?: string } = {}) =>
    db.review.create({
      data: { pairId, userId, decision, pairVersion: 1, shownAt: new Date(), durationMs: 1200, ...extra },
    });

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
  const human = await response(n2.id, TEXT.human, "human", "", r2.id);
  const accepted = await pair({
    nodeId: n1.id,
    chosenId: r1.id,
    rejectedId: r0.id,
    method: "ecd",
    status: "accepted",
    depth: 1,
    reviewCount: 1,
    constraintIds: "punctuation:no_comma",
  });
  await review(accepted.id, "accept");
  const edited = await pair({
    nodeId: n2.id,
    chosenId: human.id,
    rejectedId: r1.id,
    method: "ecd",
    status: "edited",
    depth: 2,
    reviewCount: 2,
    constraintIds: "punctuation:no_comma change_case:english_lowercase",
  });
  await review(edited.id, "edit", { editedPrompt: TEXT.oldEditPrompt, editedChosen: "an older edit" });
  await review(edited.id, "edit", { editedPrompt: TEXT.editedPrompt, editedChosen: "a second edit" });
  // A later edit of only the chosen response keeps the edited prompt.
  await review(edited.id, "edit", { editedChosen: TEXT.human });

  // Tree 2: C2S, two corrected pairs on one node: one pending, one rejected.
  const fruits = await seed("List three fruits.", "h-fruits");
  const m0 = await node(fruits.id, 0, "List three fruits.", null);
  const m1 = await node(fruits.id, 1, TEXT.fruitsPrompt, m0.id, [title, noComma], "compose");
  const s1 = await response(m1.id, TEXT.student, "student", "llama-2-7b");
  const t1 = await response(m1.id, TEXT.teacher, "teacher", "gpt-4o", s1.id);
  const s2 = await response(m1.id, TEXT.student2, "student", "llama-2-7b");
  const t2 = await response(m1.id, TEXT.teacher2, "teacher", "gpt-4o", s2.id);
  const pending = await pair({
    nodeId: m1.id,
    chosenId: t1.id,
    rejectedId: s1.id,
    method: "c2s",
    status: "pending",
    depth: 1,
    reviewCount: 0,
    constraintIds: "detectable_format:title punctuation:no_comma",
  });
  const rejected = await pair({
    nodeId: m1.id,
    chosenId: t2.id,
    rejectedId: s2.id,
    method: "c2s",
    status: "rejected",
    depth: 1,
    reviewCount: 1,
    constraintIds: "detectable_format:title punctuation:no_comma",
  });
  await review(rejected.id, "reject");

  // Tree 3: a manual pair at depth 0, reviewed three times.
  const hello = await seed(TEXT.hello, "h-hello");
  const k0 = await node(hello.id, 0, TEXT.hello, null);
  const x1 = await response(k0.id, "Hello!", "responder", "gpt-4o");
  const x2 = await response(k0.id, "hi", "responder", "rule-based");
  const manual = await pair({
    nodeId: k0.id,
    chosenId: x1.id,
    rejectedId: x2.id,
    method: "manual",
    status: "accepted",
    depth: 0,
    reviewCount: 3,
    constraintIds: "",
  });
  for (let i = 0; i < 3; i++) await review(manual.id, "accept");

  // A seed without pairs: never exported.
  const lonely = await seed("A seed nobody evolved.", "h-lonely");
  await node(lonely.id, 0, "A seed nobody evolved.", null);

  return {
    pairs: { accepted: accepted.id, edited: edited.id, pending: pending.id, rejected: rejected.id, manual: manual.id },
    seeds: { sea: sea.id, fruits: fruits.id, hello: hello.id, lonely: lonely.id },
    responses: { r2: r2.id, human: human.id },
  };
}
