/**
 * Inter-reviewer agreement on pairs with several votes (pure).
 *
 * Votes are reduced to two categories — keep (accept, edit) and drop (reject) — and only pairs
 * with at least two voters count. Reported: the share of agreeing reviewer pairs (observed
 * pairwise agreement), and Krippendorff's alpha for nominal data, which corrects that share for
 * the agreement expected by chance and allows any number of reviewers per pair:
 *
 *   alpha = 1 − (n − 1) · Σ_u Σ_{c≠k} o_ck(u) / Σ_{c≠k} n_c · n_k
 *
 * where, per pair u with m_u voters, o_ck(u) = (#c · #k) / (m_u − 1) counts the ordered
 * disagreeing vote pairs, n_c is the number of votes in category c over all such pairs and
 * n = Σ n_c. alpha is 1 for perfect agreement, about 0 for chance; null when undefined (every
 * vote in the same category).
 */

export type Agreement = {
  /** Pairs with two or more voters. */
  pairs: number;
  /** Share of agreeing reviewer pairs, 0..1 (null without data). */
  observed: number | null;
  alpha: number | null;
};

export function agreement(votesByPair: Iterable<readonly ("keep" | "drop")[]>): Agreement {
  let pairs = 0;
  let agreeing = 0;
  let comparisons = 0;
  let disagreement = 0; // Σ_u Σ_{c≠k} o_ck(u)
  let keep = 0;
  let drop = 0;
  for (const votes of votesByPair) {
    const m = votes.length;
    if (m < 2) continue;
    pairs += 1;
    const k = votes.filter((v) => v === "keep").length;
    const d = m - k;
    keep += k;
    drop += d;
    agreeing += (k * (k - 1)) / 2 + (d * (d - 1)) / 2;
    comparisons += (m * (m - 1)) / 2;
    disagreement += (2 * k * d) / (m - 1);
  }
  if (!pairs) return { pairs: 0, observed: null, alpha: null };
  const n = keep + drop;
  const expected = 2 * keep * drop;
  const alpha = expected === 0 ? null : 1 - ((n - 1) * disagreement) / expected;
  return { pairs, observed: agreeing / comparisons, alpha };
}
