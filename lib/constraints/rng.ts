/**
 * A small seeded pseudo-random generator for constraint composition and rendering.
 *
 * Core: mulberry32 (a 32-bit state, one multiply-xorshift round per draw) — fast, tiny and good
 * enough for sampling templates and values; not for cryptography. String seeds are folded into
 * 32 bits with FNV-1a followed by a murmur-style finaliser, so "seed-1" and "seed-2" start far apart.
 *
 * The same seed always yields the same sequence, in Node and in the browser.
 */

export interface Rng {
  /** A float in [0, 1). */
  next(): number;
  /** An integer in [min, max], both inclusive. Throws when max < min. */
  int(min: number, max: number): number;
  /** One element chosen uniformly. Throws on an empty array. */
  choice<T>(items: readonly T[]): T;
  /** A new array with the elements in random order (Fisher–Yates); the input is not changed. */
  shuffle<T>(items: readonly T[]): T[];
  /** An independent generator derived from this one's next draw (for sub-streams). */
  fork(): Rng;
}

/** Folds any string into an unsigned 32-bit seed. */
export function hashSeed(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

function normaliseSeed(seed: number | string): number {
  if (typeof seed === "string") return hashSeed(seed);
  if (!Number.isFinite(seed)) throw new RangeError(`rng seed must be a finite number, got ${seed}`);
  // Keep integers as they are (mod 2^32); fold fractional seeds through their text form.
  return Number.isInteger(seed) ? seed >>> 0 : hashSeed(String(seed));
}

/** A seeded generator. `createRng(42)` and `createRng("record-7")` are both fine. */
export function createRng(seed: number | string): Rng {
  let state = normaliseSeed(seed);

  const next = (): number => {
    state = (state + 0x6d2b79f5) | 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };

  const int = (min: number, max: number): number => {
    if (!Number.isInteger(min) || !Number.isInteger(max)) throw new RangeError("rng.int bounds must be integers");
    if (max < min) throw new RangeError(`rng.int: max (${max}) < min (${min})`);
    return min + Math.floor(next() * (max - min + 1));
  };

  const rng: Rng = {
    next,
    int,
    choice<T>(items: readonly T[]): T {
      if (items.length === 0) throw new RangeError("rng.choice on an empty array");
      return items[int(0, items.length - 1)]!;
    },
    shuffle<T>(items: readonly T[]): T[] {
      const out = items.slice();
      for (let i = out.length - 1; i > 0; i--) {
        const j = int(0, i);
        [out[i], out[j]] = [out[j]!, out[i]!];
      }
      return out;
    },
    fork(): Rng {
      return createRng(Math.floor(next() * 4294967296));
    },
  };
  return rng;
}
