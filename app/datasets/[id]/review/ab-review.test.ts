import { beforeAll, describe, expect, it, vi } from "vitest";
import { createTestDb } from "@/test/db";
import { createFixtureDataset, createFixturePair, createFixtureUser } from "@/test/fixtures/pairs";
import { mockRequestCookies, mockSessionToken, signInAs } from "@/test/fixtures/session";
import { chosenOnLeft, shownOrder, voteOutcome } from "@/lib/review/ab";
import type { PairView } from "@/lib/review/types";

// Only the session cookie and Next's cache are replaced (see test/fixtures/session.ts).
vi.mock("next-auth/jwt", async (original) => mockSessionToken(await original()));
vi.mock("next/headers", async (original) => mockRequestCookies(await original()));
vi.mock("next/cache", () => ({ revalidatePath: () => {} }));

const { db } = createTestDb();
const { abVoteAction, claimNextAction, decideAction, editAction, viewPairAction } = await import("./actions");
const { adjudicate, adjudicationQueue, loadPairView } = await import("@/lib/review");
const { runExport } = await import("@/lib/io");
const { updateDatasetSettings } = await import("@/lib/datasets/settings");

type User = Awaited<ReturnType<typeof createFixtureUser>>;
let ann: User;
let bob: User;
let cat: User;
let dan: User;
let res: User;

beforeAll(async () => {
  ann = await createFixtureUser(db, { email: "ann@blind.test" });
  bob = await createFixtureUser(db, { email: "bob@blind.test" });
  cat = await createFixtureUser(db, { email: "cat@blind.test" });
  dan = await createFixtureUser(db, { email: "dan@blind.test" });
  res = await createFixtureUser(db, { role: "researcher", email: "res@blind.test" });
});

async function as<T>(user: User, run: () => Promise<T>): Promise<T> {
  signInAs(user);
  return run();
}

const CHOSEN = "a calm walk under tall trees with birds singing";
const REJECTED = "A calm walk, under tall trees.";

/** A blind A/B dataset with three reviews per pair. */
async function abDataset(adjudication = true) {
  const ds = await createFixtureDataset(db);
  await db.dataset.update({
    where: { id: ds.id },
    data: { settings: { reviewsPerPair: 3, adjudication, blind: true, mode: "ab" } },
  });
  return ds;
}

const pairIn = (datasetId: number) => createFixturePair(db, { datasetId, chosen: CHOSEN, rejected: REJECTED });

/** The choice that picks the given text for this reviewer (A = left). */
const pick = (userId: number, pairId: number, text: "chosen" | "rejected") =>
  chosenOnLeft(userId, pairId) === (text === "chosen") ? ("a" as const) : ("b" as const);

/**
 * Everything in the payload that could tell the generated orientation: provenance, verdict
 * badges, times, names, response or parent-node ids. The pair's own ids and the viewer's own
 * claim are checked apart.
 */
function leaks(payload: unknown, ids: number[], viewerId = ann.id): string[] {
  const { id: _id, datasetId: _ds, seedId: _seed, nodeId: _node, claim, ...rest } = payload as PairView;
  expect(claim === null || claim.userId === viewerId).toBe(true);
  const json = JSON.stringify(rest);
  const found: string[] = [];
  for (const word of ["responder", "gpt-4o-mini", "openai", "@blind.test", '"passed":true', '"passed":false'])
    if (json.includes(word)) found.push(word);
  if (/\d{4}-\d\d-\d\dT\d\d:/.test(json)) found.push("a timestamp");
  const walk = (value: unknown, key: string) => {
    if (Array.isArray(value)) value.forEach((v) => walk(v, key));
    else if (value && typeof value === "object")
      for (const [k, v] of Object.entries(value)) {
        if (/id$/i.test(k) && typeof v === "number" && ids.includes(v)) found.push(`${k}=${v}`);
        walk(v, k);
      }
  };
  walk(rest, "");
  return found;
}

describe("the seeded A/B order", () => {
  it("is stable per (reviewer, pair) and puts the chosen response on the left for 45–55% of 1,000 pairs", () => {
    const left = Array.from({ length: 1000 }, (_, i) => chosenOnLeft(7, i + 1));
    const share = left.filter(Boolean).length / 1000;
    expect(share).toBeGreaterThanOrEqual(0.45);
    expect(share).toBeLessThanOrEqual(0.55);
    expect(Array.from({ length: 1000 }, (_, i) => chosenOnLeft(7, i + 1))).toEqual(left);
    // Another reviewer gets another order on some pairs.
    expect(Array.from({ length: 1000 }, (_, i) => chosenOnLeft(8, i + 1))).not.toEqual(left);
  });

  it("maps A/B choices against the order shown: chosen won → accept, rejected won → flip, tie/both bad → reject", () => {
    const pair = { id: 1, chosenId: 10, rejectedId: 20 };
    const left = shownOrder(3, pair).leftResponseId;
    expect(voteOutcome(left === 10 ? "a" : "b", left, 10)).toBe("accept");
    expect(voteOutcome(left === 10 ? "b" : "a", left, 10)).toBe("flip");
    expect(voteOutcome("a", 10, 10)).toBe("accept");
    expect(voteOutcome("b", 10, 10)).toBe("flip");
    expect(voteOutcome("a", 20, 10)).toBe("flip");
    expect(voteOutcome("b", 20, 10)).toBe("accept");
    expect(voteOutcome("tie", 10, 10)).toBe("reject");
    expect(voteOutcome("both_bad", 20, 10)).toBe("reject");
  });
});

describe("blind A/B review through the server actions", () => {
  it("sends nothing before the vote that tells the orientation: review screen, prefetch and refusals", async () => {
    const ds = await abDataset();
    const fx = await pairIn(ds.id);
    const ids = [fx.chosenId, fx.rejectedId, ...fx.chainNodeIds.slice(0, -1), bob.id];
    // bob votes first: ann must not see his vote, name or time.
    const bobVote = await as(bob, () =>
      abVoteAction({ datasetId: ds.id, pairId: fx.pairId, version: 1, choice: "a", durationMs: 4000 }),
    );
    expect(bobVote).toMatchObject({ ok: true, data: { outcome: "saved" } });

    // The prefetch (claim next) and the review screen's own load (the page passes the viewer).
    const next = await as(ann, () => claimNextAction({ datasetId: ds.id, exclude: [] }));
    expect(next.ok).toBe(true);
    const prefetched = next.ok ? next.data.pair! : null;
    const screen = await loadPairView(db, fx.pairId, { datasetId: ds.id, viewerId: ann.id });
    const viewed = await as(ann, () => viewPairAction({ datasetId: ds.id, pairId: fx.pairId }));
    for (const payload of [prefetched, screen, viewed.ok ? viewed.data : null]) {
      expect(payload).not.toBeNull();
      expect(leaks(payload, ids)).toEqual([]);
      const view = payload as PairView;
      const [a, b] = chosenOnLeft(ann.id, fx.pairId) ? [CHOSEN, REJECTED] : [REJECTED, CHOSEN];
      expect(view.ab).toEqual({ a, b });
      expect(view.reviews).toEqual([]);
      expect(view.chain).toEqual([]);
      expect(view.constraints.map((c) => c.text)).toEqual(["Do not use any commas."]);
    }
    // The payload depends on the orientation only through ann's seeded order: swapping the pair's
    // chosen and rejected in the database gives the same payload with A and B exchanged (or equal).
    await db.pair.update({ where: { id: fx.pairId }, data: { chosenId: fx.rejectedId, rejectedId: fx.chosenId } });
    const swapped = await loadPairView(db, fx.pairId, { datasetId: ds.id, viewerId: ann.id });
    await db.pair.update({ where: { id: fx.pairId }, data: { chosenId: fx.chosenId, rejectedId: fx.rejectedId } });
    expect({ ...swapped, ab: null }).toEqual({ ...screen, ab: null });

    // A refusal (stale version) names nobody and its current state is redacted too.
    const stale = await as(ann, () => abVoteAction({ datasetId: ds.id, pairId: fx.pairId, version: 1, choice: "b" }));
    expect(stale).toMatchObject({ ok: true, data: { outcome: "conflict" } });
    if (stale.ok && stale.data.outcome === "conflict") {
      expect(stale.data.message).not.toMatch(/bob|@|accept|flip/);
      expect(leaks(stale.data.current, ids)).toEqual([]);
      expect(stale.data.current.ab).not.toBeNull();
    }

    // After ann's vote the labels, badges and votes are revealed to her.
    const voted = await as(ann, () =>
      abVoteAction({ datasetId: ds.id, pairId: fx.pairId, version: 2, choice: "tie", strength: "slight" }),
    );
    expect(voted.ok && voted.data.outcome === "saved" && voted.data.pair.ab).toBe(null);
    if (voted.ok && voted.data.outcome === "saved") {
      expect(voted.data.pair.chosen.id).toBe(fx.chosenId);
      expect(voted.data.pair.reviews.map((r) => r.user)).toEqual(["bob@blind.test", "ann@blind.test"]);
    }

    // A final pair's refusal names no one to a reviewer who has not voted on it.
    await as(cat, () =>
      abVoteAction({ datasetId: ds.id, pairId: fx.pairId, version: 3, choice: pick(cat.id, fx.pairId, "chosen") }),
    );
    const pair = await db.pair.findUniqueOrThrow({ where: { id: fx.pairId } });
    expect(pair.status).toBe("adjudication");
    const refused = await as(dan, () => abVoteAction({ datasetId: ds.id, pairId: fx.pairId, version: 4, choice: "a" }));
    expect(refused).toMatchObject({ ok: false });
    expect(!refused.ok && refused.error).toMatch(/is in adjudication/);
    expect(!refused.ok && refused.error).not.toMatch(/@/);
  });

  it("records the order, choice, strength and time with the vote; labelled votes, edits and swaps are refused", async () => {
    const ds = await abDataset();
    const fx = await pairIn(ds.id);
    const choice = pick(ann.id, fx.pairId, "rejected");
    const saved = await as(ann, () =>
      abVoteAction({ datasetId: ds.id, pairId: fx.pairId, version: 1, choice, strength: "slight", durationMs: 6500 }),
    );
    expect(saved).toMatchObject({ ok: true, data: { outcome: "saved", status: "pending" } });
    const review = await db.review.findFirstOrThrow({ where: { pairId: fx.pairId } });
    const left = chosenOnLeft(ann.id, fx.pairId) ? fx.chosenId : fx.rejectedId;
    expect(review).toMatchObject({
      decision: "flip",
      kind: "vote",
      choice,
      strength: "slight",
      durationMs: 6500,
      leftResponseId: left,
      rightResponseId: left === fx.chosenId ? fx.rejectedId : fx.chosenId,
    });

    const before = await db.pair.findUniqueOrThrow({ where: { id: fx.pairId } });
    for (const decision of ["accept", "reject", "swap"] as const) {
      const refused = await as(bob, () => decideAction({ datasetId: ds.id, pairId: fx.pairId, version: 2, decision }));
      expect(refused).toMatchObject({ ok: false });
      expect(!refused.ok && refused.error).toMatch(/A\/B mode/);
    }
    const edit = await as(bob, () =>
      editAction({ datasetId: ds.id, pairId: fx.pairId, version: 2, chosen: "something else" }),
    );
    expect(edit).toMatchObject({ ok: false });
    const bad = await as(bob, () =>
      abVoteAction({ datasetId: ds.id, pairId: fx.pairId, version: 2, choice: "left" as "a" }),
    );
    expect(bad).toMatchObject({ ok: false });
    expect(!bad.ok && bad.error).toMatch(/choice/);
    expect(await db.pair.findUniqueOrThrow({ where: { id: fx.pairId } })).toEqual(before);
    expect(await db.review.count({ where: { pairId: fx.pairId } })).toBe(1);
  });

  it("three votes for the shown rejected response settle the pair as accepted with the orientation flipped", async () => {
    const ds = await abDataset();
    const fx = await pairIn(ds.id);
    let version = 1;
    for (const user of [ann, bob, cat]) {
      const r = await as(user, () =>
        abVoteAction({ datasetId: ds.id, pairId: fx.pairId, version, choice: pick(user.id, fx.pairId, "rejected") }),
      );
      expect(r.ok).toBe(true);
      version += 1;
    }
    const pair = await db.pair.findUniqueOrThrow({ where: { id: fx.pairId } });
    expect(pair).toMatchObject({ status: "accepted", swapped: true, chosenId: fx.rejectedId, rejectedId: fx.chosenId });
  });

  it("a disagreement goes to adjudication; the researcher's flip is final, audited, and only then exported", async () => {
    const ds = await abDataset();
    const fx = await pairIn(ds.id);
    const choices = { [ann.id]: "chosen", [bob.id]: "rejected", [cat.id]: "chosen" } as const;
    let version = 1;
    for (const user of [ann, bob, cat]) {
      await as(user, () =>
        abVoteAction({
          datasetId: ds.id,
          pairId: fx.pairId,
          version,
          choice: pick(user.id, fx.pairId, choices[user.id]!),
        }),
      );
      version += 1;
    }
    expect((await db.pair.findUniqueOrThrow({ where: { id: fx.pairId } })).status).toBe("adjudication");
    const exported = async (status: "all" | "accepted") => {
      let text = "";
      await runExport(db, { datasetId: ds.id, format: "trl-dpo", filters: { status } }, (chunk) => {
        text += Buffer.from(chunk).toString("utf8");
      });
      return text.trim().split("\n").filter(Boolean).length;
    };
    expect(await exported("all")).toBe(0);

    await expect(adjudicate(db, ann, { pairId: fx.pairId, version, decision: "flip" })).rejects.toThrow(
      /researcher or an admin/,
    );
    await expect(adjudicate(db, res, { pairId: fx.pairId, version, decision: "sideways" as "flip" })).rejects.toThrow(
      /decision must be accept, flip or reject/,
    );
    const outcome = await adjudicate(db, res, {
      pairId: fx.pairId,
      version,
      decision: "flip",
      reason: "B follows the constraint",
    });
    expect(outcome).toMatchObject({ status: "accepted", previousStatus: "adjudication" });
    const pair = await db.pair.findUniqueOrThrow({ where: { id: fx.pairId } });
    expect(pair).toMatchObject({ status: "accepted", swapped: true, chosenId: fx.rejectedId });
    const audit = await db.auditEvent.findFirstOrThrow({
      where: { action: "pair.adjudicate", entityId: String(fx.pairId) },
    });
    expect(audit.userId).toBe(res.id);
    const counts = await db.pairCount.findMany({ where: { datasetId: ds.id } });
    expect(Object.fromEntries(counts.map((c) => [c.status, c.count]))).toMatchObject({ adjudication: 0, accepted: 1 });
    // Final: another vote or a second adjudication is refused.
    const late = await as(dan, () =>
      abVoteAction({ datasetId: ds.id, pairId: fx.pairId, version: version + 1, choice: "a" }),
    );
    expect(late).toMatchObject({ ok: false });
    await expect(adjudicate(db, res, { pairId: fx.pairId, version: version + 1, decision: "reject" })).rejects.toThrow(
      /not in adjudication/,
    );
    expect(await exported("accepted")).toBe(1);
  });

  it("the adjudication queue puts the most disagreement first, then the oldest, with every vote's details", async () => {
    const ds = await abDataset();
    const guidelines = (text: string) => updateDatasetSettings(db, ds.id, { guidelines: text }, res.id);
    expect((await guidelines("Prefer the answer that follows every constraint.")).guidelineVersion).toBe(1);
    const split21 = await pairIn(ds.id);
    const split111 = await pairIn(ds.id);
    const vote = async (pairId: number, version: number, user: User, choice: "chosen" | "rejected" | "tie") =>
      as(user, () =>
        abVoteAction({
          datasetId: ds.id,
          pairId,
          version,
          choice: choice === "tie" ? "tie" : pick(user.id, pairId, choice),
          strength: "slight",
          reasonText: `${user.email} thinks ${choice}`,
          durationMs: 3000,
        }),
      );
    await vote(split21.pairId, 1, ann, "chosen");
    await vote(split21.pairId, 2, bob, "chosen");
    await vote(split21.pairId, 3, cat, "rejected");
    await vote(split111.pairId, 1, ann, "chosen");
    // The guidelines change between ann's vote and the others': each vote shows the version it was cast under.
    expect((await guidelines("Prefer the answer that follows every constraint; ties are rare.")).guidelineVersion).toBe(
      2,
    );
    await vote(split111.pairId, 2, bob, "rejected");
    await vote(split111.pairId, 3, cat, "tie");
    const queue = await adjudicationQueue(db, ds.id);
    expect(queue.total).toBe(2);
    expect(queue.items.map((i) => [i.pair.id, Number(i.disagreement.toFixed(3))])).toEqual([
      [split111.pairId, 0.667],
      [split21.pairId, 0.333],
    ]);
    const votes = queue.items[0]!.votes;
    expect(
      votes.map((v) => [v.user, v.decision, v.strength, v.durationMs, v.reason, v.reasonText, v.guidelineVersion]),
    ).toEqual([
      ["ann@blind.test", "accept", "slight", 3000, null, "ann@blind.test thinks chosen", 1],
      ["bob@blind.test", "flip", "slight", 3000, null, "bob@blind.test thinks rejected", 2],
      ["cat@blind.test", "reject", "slight", 3000, null, "cat@blind.test thinks tie", 2],
    ]);
    expect(queue.items[1]!.votes.map((v) => v.guidelineVersion)).toEqual([1, 1, 1]);
    expect(votes[0]!.shownLeft).toBe(chosenOnLeft(ann.id, split111.pairId) ? "chosen" : "rejected");
  });
});
