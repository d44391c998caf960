import { beforeAll, describe, expect, it, vi } from "vitest";
import { createTestDb } from "@/test/db";
import { createFixtureDataset, createFixturePair, createFixtureUser, LOWERCASE, NO_COMMA } from "@/test/fixtures/pairs";
import { mockRequestCookies, mockSessionToken, signInAs } from "@/test/fixtures/session";

// Only the session cookie and Next's cache are replaced (see test/fixtures/session.ts).
vi.mock("next-auth/jwt", async (original) => mockSessionToken(await original()));
vi.mock("next/headers", async (original) => mockRequestCookies(await original()));
vi.mock("next/cache", () => ({ revalidatePath: () => {} }));

const { db } = createTestDb();

const { claimNextAction, decideAction, editAction, reopenAction, viewPairAction } = await import("./actions");
const { bulkDecideAction, countSelectionAction } = await import("../pairs/actions");
const { runExport } = await import("@/lib/io");

type User = Awaited<ReturnType<typeof createFixtureUser>>;
let ann: User;
let bob: User;
let cat: User;
let res: User;

beforeAll(async () => {
  ann = await createFixtureUser(db, { role: "annotator" });
  bob = await createFixtureUser(db, { role: "annotator" });
  cat = await createFixtureUser(db, { role: "annotator" });
  res = await createFixtureUser(db, { role: "researcher", email: "res@trust.test" });
});

/** The pair's row, its reviews and the dataset's counters: what "nothing changed" compares. */
async function snapshot(pairId: number) {
  const pair = await db.pair.findUniqueOrThrow({ where: { id: pairId } });
  return {
    pair: { ...pair, updatedAt: undefined },
    reviews: await db.review.count({ where: { pairId } }),
    responses: await db.response.count(),
    counts: await db.pairCount.findMany({ where: { datasetId: pair.datasetId }, orderBy: { status: "asc" } }),
  };
}

async function as<T>(user: User, run: () => Promise<T>): Promise<T> {
  signInAs(user);
  return run();
}

/** Good pair: chosen passes (lowercase, no comma), rejected fails. */
const goodPair = (datasetId: number) =>
  createFixturePair(db, {
    datasetId,
    constraints: [NO_COMMA, LOWERCASE],
    chosen: "a calm walk under tall trees with birds singing",
    rejected: "A calm walk, under tall trees.",
  });

async function exportRows(datasetId: number) {
  let text = "";
  await runExport(db, { datasetId, format: "trl-dpo" }, (chunk) => {
    text += Buffer.from(chunk).toString("utf8");
  });
  return text
    .trim()
    .split("\n")
    .filter(Boolean)
    .map((line) => JSON.parse(line) as { pair_id: number; chosen: string; rejected: string; review_status: string });
}

describe("the life of a pair, through the review screen's server actions", () => {
  it("refuses an annotator's vote, swap and edit on a final pair and changes nothing; the export keeps the orientation", async () => {
    const ds = await createFixtureDataset(db);
    const fx = await goodPair(ds.id);
    await as(res, () => decideAction({ datasetId: ds.id, pairId: fx.pairId, version: 1, decision: "accept" }));
    const before = await snapshot(fx.pairId);
    expect(before.pair.status).toBe("accepted");

    const vote = await as(ann, () =>
      decideAction({ datasetId: ds.id, pairId: fx.pairId, version: 2, decision: "reject" }),
    );
    expect(vote).toMatchObject({ ok: false });
    expect(!vote.ok && vote.error).toMatch(/pair #\d+ is final — accepted on .* UTC by res@trust\.test/);
    const swap = await as(ann, () =>
      decideAction({ datasetId: ds.id, pairId: fx.pairId, version: 2, decision: "swap" }),
    );
    expect(!swap.ok && swap.error).toMatch(/is final.*cannot swap it/);
    const edit = await as(ann, () =>
      editAction({ datasetId: ds.id, pairId: fx.pairId, version: 2, chosen: "an inverted text" }),
    );
    expect(!edit.ok && edit.error).toMatch(/is final.*cannot edit it/);
    expect(await snapshot(fx.pairId)).toEqual(before);

    const [row] = await exportRows(ds.id);
    expect(row).toMatchObject({
      pair_id: fx.pairId,
      chosen: "a calm walk under tall trees with birds singing",
      rejected: "A calm walk, under tall trees.",
    });
  });

  it("a swap by the holder after a vote starts a new round: accepts of opposite orientations never agree", async () => {
    const ds = await createFixtureDataset(db, { reviewsPerPair: 2 });
    const fx = await goodPair(ds.id);
    // ann votes accept on the generated orientation.
    const first = await as(ann, () =>
      decideAction({ datasetId: ds.id, pairId: fx.pairId, version: 1, decision: "accept" }),
    );
    expect(first).toMatchObject({ ok: true, data: { outcome: "saved", status: "pending" } });
    // bob takes the pair from the queue (he holds its lease), swaps it and accepts the swapped pair.
    const next = await as(bob, () => claimNextAction({ datasetId: ds.id, exclude: [] }));
    expect(next.ok && next.data.pair?.id).toBe(fx.pairId);
    const swapped = await as(bob, () =>
      decideAction({ datasetId: ds.id, pairId: fx.pairId, version: 2, decision: "swap" }),
    );
    expect(swapped.ok && swapped.data.outcome === "saved" && swapped.data.pair.round).toBe(2);
    const accepted = await as(bob, () =>
      decideAction({ datasetId: ds.id, pairId: fx.pairId, version: 3, decision: "accept", override: true }),
    );
    // Only bob's vote counts in round 2: one of two, still pending — ann's accept was on the other orientation.
    expect(accepted).toMatchObject({ ok: true, data: { status: "pending" } });
    const pair = await db.pair.findUniqueOrThrow({ where: { id: fx.pairId } });
    expect(pair).toMatchObject({ round: 2, reviewCount: 1, swapped: true, chosenId: fx.rejectedId });
    // A swap needs the lease: cat, not holding the pair, is refused.
    const refused = await as(cat, () =>
      decideAction({ datasetId: ds.id, pairId: fx.pairId, version: 4, decision: "swap" }),
    );
    expect(!refused.ok && refused.error).toMatch(/you must hold it/);
  });

  it("a 1–1 tie asks one more reviewer; the third vote settles it", async () => {
    const ds = await createFixtureDataset(db, { reviewsPerPair: 2 });
    const fx = await goodPair(ds.id);
    await as(ann, () => decideAction({ datasetId: ds.id, pairId: fx.pairId, version: 1, decision: "accept" }));
    const tie = await as(bob, () =>
      decideAction({ datasetId: ds.id, pairId: fx.pairId, version: 2, decision: "reject", reason: "both_bad" }),
    );
    expect(tie).toMatchObject({ ok: true, data: { status: "pending" } });
    // Neither voter gets it again; a third reviewer does.
    expect(await as(ann, () => claimNextAction({ datasetId: ds.id, exclude: [] }))).toMatchObject({
      ok: true,
      data: { pair: null },
    });
    const third = await as(cat, () => claimNextAction({ datasetId: ds.id, exclude: [] }));
    expect(third.ok && third.data.pair?.id).toBe(fx.pairId);
    const settled = await as(cat, () =>
      decideAction({ datasetId: ds.id, pairId: fx.pairId, version: 3, decision: "accept" }),
    );
    expect(settled).toMatchObject({ ok: true, data: { status: "accepted" } });
  });

  it("a bulk decision applies to pending pairs only and reports the final ones it skipped", async () => {
    const ds = await createFixtureDataset(db);
    const [a, b, c] = [await goodPair(ds.id), await goodPair(ds.id), await goodPair(ds.id)];
    await as(ann, () => decideAction({ datasetId: ds.id, pairId: a.pairId, version: 1, decision: "accept" }));
    const before = await snapshot(a.pairId);
    const count = await as(res, () => countSelectionAction({ datasetId: ds.id, filter: {} }));
    expect(count).toEqual({ ok: true, data: { count: 3 } });
    const result = await as(res, () =>
      bulkDecideAction({ datasetId: ds.id, decision: "reject", filter: {}, expectedCount: 3 }),
    );
    expect(result).toEqual({
      ok: true,
      data: { count: 2, byStatus: { rejected: 2 }, skipped: { final: 1, adjudication: 0, ids: [a.pairId] } },
    });
    expect((await snapshot(a.pairId)).pair).toEqual(before.pair);
    const statuses = await db.pair.findMany({ where: { id: { in: [b.pairId, c.pairId] } }, select: { status: true } });
    expect(statuses.map((s) => s.status)).toEqual(["rejected", "rejected"]);
    // An annotator has no bulk scope: the action answers 403 (forbidden) before reading anything.
    await expect(
      as(ann, () => bulkDecideAction({ datasetId: ds.id, decision: "accept", filter: {}, expectedCount: 3 })),
    ).rejects.toThrow();
  });

  it("a voter replaces their own last vote while nobody else acted, and not after", async () => {
    const ds = await createFixtureDataset(db, { reviewsPerPair: 1 });
    const fx = await goodPair(ds.id);
    await as(ann, () => decideAction({ datasetId: ds.id, pairId: fx.pairId, version: 1, decision: "accept" }));
    // A mis-key undone: the pair is final, but ann's vote is the last act on it.
    const changed = await as(ann, () =>
      decideAction({ datasetId: ds.id, pairId: fx.pairId, version: 2, decision: "reject", reason: "other" }),
    );
    expect(changed).toMatchObject({ ok: true, data: { status: "rejected" } });
    expect((await db.pair.findUniqueOrThrow({ where: { id: fx.pairId } })).reviewCount).toBe(1);

    // Once someone else acted (a reopen, then bob's vote), ann's vote is no longer hers to replace.
    await as(res, () => reopenAction({ datasetId: ds.id, pairId: fx.pairId, version: 3, reason: "second look" }));
    await as(bob, () => decideAction({ datasetId: ds.id, pairId: fx.pairId, version: 4, decision: "accept" }));
    const before = await snapshot(fx.pairId);
    const late = await as(ann, () =>
      decideAction({ datasetId: ds.id, pairId: fx.pairId, version: 5, decision: "reject", reason: "other" }),
    );
    expect(!late.ok && late.error).toMatch(/is final — accepted/);
    expect(await snapshot(fx.pairId)).toEqual(before);
  });

  it("a researcher reopens a final pair with a reason, audited; only later votes count", async () => {
    const ds = await createFixtureDataset(db, { reviewsPerPair: 2 });
    const fx = await goodPair(ds.id);
    await as(ann, () => decideAction({ datasetId: ds.id, pairId: fx.pairId, version: 1, decision: "accept" }));
    await as(bob, () => decideAction({ datasetId: ds.id, pairId: fx.pairId, version: 2, decision: "accept" }));
    expect((await db.pair.findUniqueOrThrow({ where: { id: fx.pairId } })).status).toBe("accepted");

    // An annotator lacks the scope: requireUser refuses (403) before anything is read.
    await expect(
      as(ann, () => reopenAction({ datasetId: ds.id, pairId: fx.pairId, version: 3, reason: "x" })),
    ).rejects.toThrow();
    const noReason = await as(res, () =>
      reopenAction({ datasetId: ds.id, pairId: fx.pairId, version: 3, reason: " " }),
    );
    expect(!noReason.ok && noReason.error).toMatch(/reason: A reason is required/);

    const reopened = await as(res, () =>
      reopenAction({ datasetId: ds.id, pairId: fx.pairId, version: 3, reason: "rejected is not really worse" }),
    );
    expect(reopened).toMatchObject({ ok: true, data: { status: "pending" } });
    const audit = await db.auditEvent.findFirstOrThrow({
      where: { action: "pair.reopen", entityId: String(fx.pairId) },
    });
    expect(audit).toMatchObject({
      userId: res.id,
      data: { from: "accepted", round: 2, reason: "rejected is not really worse" },
    });
    expect(
      await db.pairCount.findUniqueOrThrow({ where: { datasetId_status: { datasetId: ds.id, status: "pending" } } }),
    ).toMatchObject({ count: 1 });

    // Round 2: the two earlier accepts do not count; one new reject is one vote of two.
    const one = await as(cat, () =>
      decideAction({
        datasetId: ds.id,
        pairId: fx.pairId,
        version: 4,
        decision: "reject",
        reason: "rejected_not_worse",
      }),
    );
    expect(one).toMatchObject({ ok: true, data: { status: "pending" } });
    const two = await as(ann, () =>
      decideAction({
        datasetId: ds.id,
        pairId: fx.pairId,
        version: 5,
        decision: "reject",
        reason: "rejected_not_worse",
      }),
    );
    expect(two).toMatchObject({ ok: true, data: { status: "rejected" } });
    const view = await as(ann, () => viewPairAction({ datasetId: ds.id, pairId: fx.pairId }));
    expect(view.ok && view.data.reviews.map((r) => [r.decision, r.kind, r.round])).toEqual([
      ["accept", "vote", 1],
      ["accept", "vote", 1],
      ["reopen", "decision", 2],
      ["reject", "vote", 2],
      ["reject", "vote", 2],
    ]);
  });

  it("edit is not accept: Save edit leaves the pair pending; Save and accept over a failing check needs the override", async () => {
    const ds = await createFixtureDataset(db);
    const fx = await goodPair(ds.id);
    const claimed = await as(ann, () => claimNextAction({ datasetId: ds.id, exclude: [] }));
    expect(claimed.ok && claimed.data.pair?.id).toBe(fx.pairId);
    const saved = await as(ann, () =>
      editAction({ datasetId: ds.id, pairId: fx.pairId, version: 1, chosen: "a quiet walk under tall trees" }),
    );
    expect(saved).toMatchObject({ ok: true, data: { outcome: "saved", status: "pending", pair: { edited: true } } });

    // An upper-case chosen breaks "lowercase": accepting it without confirmation is refused, nothing written.
    const before = await snapshot(fx.pairId);
    const unconfirmed = await as(ann, () =>
      editAction({ datasetId: ds.id, pairId: fx.pairId, version: 2, chosen: "A QUIET WALK", accept: true }),
    );
    expect(!unconfirmed.ok && unconfirmed.error).toMatch(/fails Write everything in lowercase letters.*Confirm/);
    expect(await snapshot(fx.pairId)).toEqual(before);

    const confirmed = await as(ann, () =>
      editAction({
        datasetId: ds.id,
        pairId: fx.pairId,
        version: 2,
        chosen: "A QUIET WALK",
        accept: true,
        override: true,
      }),
    );
    expect(confirmed).toMatchObject({ ok: true, data: { status: "accepted", pair: { override: true, edited: true } } });
    const last = await db.review.findFirstOrThrow({ where: { pairId: fx.pairId }, orderBy: { id: "desc" } });
    expect(last).toMatchObject({ decision: "accept", kind: "vote", override: true });
    // Exports can leave overrides out.
    expect((await exportRows(ds.id)).map((r) => r.pair_id)).toEqual([fx.pairId]);
    let text = "";
    await runExport(db, { datasetId: ds.id, format: "trl-dpo", filters: { "no-override": true } }, (c) => {
      text += Buffer.from(c).toString("utf8");
    });
    expect(text).toBe("");
  });
});
