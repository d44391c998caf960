import { describe, expect, it } from "vitest";
import { PyRandom } from "./py-random";

// Expected values are CPython 3.11 outputs (random.Random(seed) ...), recorded from the interpreter.

describe("PyRandom (CPython random.Random)", () => {
  it("random() with seed 0", () => {
    const r = new PyRandom(0);
    expect([r.random(), r.random(), r.random()]).toEqual([0.8444218515250481, 0.7579544029403025, 0.420571580830845]);
  });

  it("gauss(0, 1) with seed 0, including the cached second value of each pair", () => {
    const r = new PyRandom(0);
    expect([r.gauss(0, 1), r.gauss(0, 1), r.gauss(0, 1), r.gauss(0, 1)]).toEqual([
      0.9417154046806644, -1.3965781047011498, -0.6797144480784211, 0.3705035674606598,
    ]);
  });

  it("seed() resets the gauss cache and the state", () => {
    const r = new PyRandom(0);
    r.gauss(0, 1); // leaves a cached value
    r.seed(0);
    expect(r.gauss(0, 1)).toBe(0.9417154046806644);
    r.seed(0);
    expect(r.random()).toBe(0.8444218515250481);
  });

  it("getrandbits(k) for k below, at and above 32 bits", () => {
    const r = new PyRandom(0);
    expect([r.getrandbits(1), r.getrandbits(5), r.getrandbits(17), r.getrandbits(32), r.getrandbits(33)]).toEqual([
      1, 12, 99346, 3823568514, 1806341205,
    ]);
    expect(r.getrandbitsBig(64)).toBe(17809683713383489082n);
    expect(r.getrandbitsBig(100)).toBe(1141276462758851372969594381922n);
    expect(r.getrandbits(0)).toBe(0);
  });

  it("choice() uses _randbelow with n.bit_length() bits and rejection", () => {
    const r = new PyRandom(0);
    const picks = [1, 2, 3, 7, 100, 1000, 12345].map((n) => r.choice(Array.from({ length: n }, (_, i) => i)));
    expect(picks).toEqual([0, 1, 0, 2, 65, 497, 6634]);
    expect(() => r.choice([])).toThrow(RangeError);
  });

  it("seeds from any integer like CPython (32-bit words of |n|, least significant first)", () => {
    expect(new PyRandom(42).random()).toBe(0.6394267984578837);
    const r = new PyRandom(42);
    r.random();
    expect(r.gauss(0, 1)).toBe(0.7921447409497909);
    expect(new PyRandom(12345678901234567890n).random()).toBe(0.5120180983871961);
    expect(new PyRandom(-42).random()).toBe(0.6394267984578837);
  });

  it("clone() continues the same sequence independently (a pending gauss value included)", () => {
    const r = new PyRandom(7);
    r.gauss(0, 1); // leaves the pair's second value pending
    const copy = r.clone();
    const fromCopy = [copy.gauss(0, 1), copy.random(), copy.getrandbits(20)];
    expect([r.gauss(0, 1), r.random(), r.getrandbits(20)]).toEqual(fromCopy);
    expect(copy.random()).toBe(r.random());
    copy.random();
    expect(copy.random()).not.toBe(r.random());
  });
});
