/**
 * Bit-exact re-implementation of CPython 3's `random.Random` for the operations the language
 * detector needs: integer seeding, `random()`, `gauss()`, `getrandbits()` and `choice()`.
 *
 * The generator is the 32-bit Mersenne Twister MT19937 (Matsumoto & Nishimura). CPython seeds it
 * from an integer through `init_by_array`, using the absolute value split into 32-bit words, least
 * significant first (0 gives the single word [0]).
 */

const N = 624;
const M = 397;
const UPPER_MASK = 0x80000000;
const LOWER_MASK = 0x7fffffff;
const MATRIX_A = 0x9908b0df;

const TWO_PI = 2 * Math.PI;

/** `int.bit_length()` of a non-negative safe integer. */
export function bitLength(n: number): number {
  // n is a non-negative safe integer
  let bits = 0;
  let v = n;
  while (v >= 0x100000000) {
    v = Math.floor(v / 0x100000000);
    bits += 32;
  }
  return bits + (v === 0 ? 0 : 32 - Math.clz32(v));
}

export class PyRandom {
  private readonly mt = new Uint32Array(N);
  private index = N + 1;
  /** Second value of the last Box–Muller pair, as CPython's `gauss_next`. */
  private gaussNext: number | null = null;

  /** Seeded with an integer, or a copy of another generator's state. */
  constructor(seed: number | bigint | PyRandom = 0) {
    if (seed instanceof PyRandom) {
      this.mt.set(seed.mt);
      this.index = seed.index;
      this.gaussNext = seed.gaussNext;
    } else {
      this.seed(seed);
    }
  }

  /** An independent generator in the same state (what `copy.copy` of a `random.Random` gives). */
  clone(): PyRandom {
    return new PyRandom(this);
  }

  /** `random.seed(n)` for an integer n (number or bigint); the sign is ignored, as in CPython. */
  seed(n: number | bigint): void {
    let value: bigint;
    if (typeof n === "bigint") {
      value = n;
    } else {
      if (!Number.isInteger(n)) throw new TypeError("PyRandom.seed: only integer seeds are supported");
      value = BigInt(n);
    }
    if (value < 0n) value = -value;
    const key: number[] = [];
    while (value > 0n) {
      key.push(Number(value & 0xffffffffn));
      value >>= 32n;
    }
    if (key.length === 0) key.push(0);
    this.initByArray(key);
    this.gaussNext = null;
  }

  private initGenrand(s: number): void {
    const mt = this.mt;
    mt[0] = s >>> 0;
    for (let i = 1; i < N; i++) {
      const prev = mt[i - 1]!;
      mt[i] = (Math.imul(1812433253, (prev ^ (prev >>> 30)) >>> 0) + i) >>> 0;
    }
    this.index = N;
  }

  private initByArray(key: readonly number[]): void {
    const mt = this.mt;
    this.initGenrand(19650218);
    let i = 1;
    let j = 0;
    for (let k = Math.max(N, key.length); k > 0; k--) {
      const prev = mt[i - 1]!;
      const mixed = Math.imul((prev ^ (prev >>> 30)) >>> 0, 1664525);
      mt[i] = (((mt[i]! ^ mixed) >>> 0) + key[j]! + j) >>> 0;
      i++;
      j++;
      if (i >= N) {
        mt[0] = mt[N - 1]!;
        i = 1;
      }
      if (j >= key.length) j = 0;
    }
    for (let k = N - 1; k > 0; k--) {
      const prev = mt[i - 1]!;
      const mixed = Math.imul((prev ^ (prev >>> 30)) >>> 0, 1566083941);
      mt[i] = (((mt[i]! ^ mixed) >>> 0) - i) >>> 0;
      i++;
      if (i >= N) {
        mt[0] = mt[N - 1]!;
        i = 1;
      }
    }
    mt[0] = UPPER_MASK;
    this.index = N;
  }

  /** Next raw 32-bit output of MT19937 (CPython's `genrand_uint32`). */
  nextUint32(): number {
    const mt = this.mt;
    if (this.index >= N) {
      let kk = 0;
      for (; kk < N - M; kk++) {
        const y = (mt[kk]! & UPPER_MASK) | (mt[kk + 1]! & LOWER_MASK);
        mt[kk] = mt[kk + M]! ^ (y >>> 1) ^ (y & 1 ? MATRIX_A : 0);
      }
      for (; kk < N - 1; kk++) {
        const y = (mt[kk]! & UPPER_MASK) | (mt[kk + 1]! & LOWER_MASK);
        mt[kk] = mt[kk + (M - N)]! ^ (y >>> 1) ^ (y & 1 ? MATRIX_A : 0);
      }
      const y = (mt[N - 1]! & UPPER_MASK) | (mt[0]! & LOWER_MASK);
      mt[N - 1] = mt[M - 1]! ^ (y >>> 1) ^ (y & 1 ? MATRIX_A : 0);
      this.index = 0;
    }
    let y = mt[this.index++]!;
    y ^= y >>> 11;
    y ^= (y << 7) & 0x9d2c5680;
    y ^= (y << 15) & 0xefc60000;
    y ^= y >>> 18;
    return y >>> 0;
  }

  /** `random.random()`: a float in [0, 1) with 53 random bits, built from two 32-bit outputs. */
  random(): number {
    const a = this.nextUint32() >>> 5; // 27 bits
    const b = this.nextUint32() >>> 6; // 26 bits
    return (a * 67108864 + b) * (1 / 9007199254740992);
  }

  /**
   * `random.gauss(mu, sigma)`: Box–Muller; every other call returns the cached second value of the
   * previous pair (reset by `seed`).
   */
  gauss(mu = 0, sigma = 1): number {
    let z = this.gaussNext;
    this.gaussNext = null;
    if (z === null) {
      const angle = this.random() * TWO_PI;
      const radius = Math.sqrt(-2 * Math.log(1 - this.random()));
      z = Math.cos(angle) * radius;
      this.gaussNext = Math.sin(angle) * radius;
    }
    return mu + z * sigma;
  }

  /**
   * `random.getrandbits(k)` for 0 <= k <= 53, as a number. Words are drawn least significant
   * first; the last (most significant) word keeps its top bits, as CPython does.
   */
  getrandbits(k: number): number {
    if (!Number.isInteger(k) || k < 0) throw new RangeError("number of bits must be non-negative");
    if (k > 53) throw new RangeError("PyRandom.getrandbits(k) returns a number only for k <= 53; use getrandbitsBig");
    if (k === 0) return 0;
    if (k <= 32) return this.nextUint32() >>> (32 - k);
    const low = this.nextUint32();
    const high = this.nextUint32() >>> (64 - k);
    return high * 0x100000000 + low;
  }

  /** `random.getrandbits(k)` for any k >= 0, as a bigint. */
  getrandbitsBig(k: number): bigint {
    if (!Number.isInteger(k) || k < 0) throw new RangeError("number of bits must be non-negative");
    let result = 0n;
    let shift = 0n;
    for (let left = k; left > 0; left -= 32) {
      let word = this.nextUint32();
      if (left < 32) word >>>= 32 - left;
      result |= BigInt(word) << shift;
      shift += 32n;
    }
    return result;
  }

  /** CPython's `_randbelow(n)`: k = n.bit_length() bits per draw, redrawn while >= n. */
  randbelow(n: number): number {
    if (!Number.isSafeInteger(n) || n <= 0) throw new RangeError("randbelow needs a positive safe integer");
    const k = bitLength(n);
    let r = this.getrandbits(k);
    while (r >= n) r = this.getrandbits(k);
    return r;
  }

  /** `random.choice(seq)`. */
  choice<T>(seq: ArrayLike<T>): T {
    if (seq.length === 0) throw new RangeError("Cannot choose from an empty sequence");
    return seq[this.randbelow(seq.length)]!;
  }
}
