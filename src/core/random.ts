/**
 * Seeded pseudo-random numbers. Every place in finml that needs randomness takes a
 * `seed` and uses this generator, so runs are reproducible.
 *
 * @module
 */
import { InvalidOptionError, describeValue } from './errors';

/**
 * A seeded random number generator (xoshiro128** seeded through splitmix32).
 *
 * @category Core
 */
export interface Rng {
  /** Uniform float in [0, 1). */
  next(): number;
  /** Uniform integer in [0, n). */
  int(n: number): number;
  /** Standard normal deviate (Box-Muller). */
  normal(): number;
  /** A new array with the elements of `xs` in random order (input untouched). */
  shuffle<T>(xs: readonly T[]): T[];
  /** A random permutation of 0..n-1. */
  permutation(n: number): Int32Array;
  /** `k` distinct indices from 0..n-1 (k <= n), in random order. */
  sample(n: number, k: number): Int32Array;
  /** A 32-bit integer seed derived from this stream, e.g. for tfjs initializers. */
  seed(): number;
  /** An independent generator derived from this one. */
  fork(): Rng;
}

function splitmix32(a: number): () => number {
  let s = a >>> 0;
  return () => {
    s = (s + 0x9e3779b9) >>> 0;
    let z = s;
    z = Math.imul(z ^ (z >>> 16), 0x85ebca6b) >>> 0;
    z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35) >>> 0;
    return (z ^ (z >>> 16)) >>> 0;
  };
}

/**
 * Creates a seeded generator. Equal seeds give equal streams on every platform.
 *
 * @param seed - Any safe integer.
 * @throws {InvalidOptionError} when `seed` is not a safe integer.
 * @example
 * ```ts
 * import { createRng } from 'finml';
 * const rng = createRng(42);
 * rng.int(10); // the same number on every run
 * ```
 * @category Core
 */
export function createRng(seed: number): Rng {
  if (typeof seed !== 'number' || !Number.isSafeInteger(seed)) {
    throw new InvalidOptionError({ fn: 'createRng', arg: 'seed', expected: 'a safe integer', got: describeValue(seed) });
  }
  const hi = Math.floor(seed / 2 ** 32);
  const sm = splitmix32((seed >>> 0) ^ Math.imul(hi | 0, 0x27d4eb2d));
  let a = sm();
  let b = sm();
  let c = sm();
  let d = sm();
  if (hi < 0) {
    // Folding the high word into 32 bits made every seed in [0, 2^31) share its stream with a
    // negative seed (and -2 with 2^32); negative seeds also mix it into all four state words.
    // Non-negative seeds (and forks) keep their streams.
    const sh = splitmix32(hi ^ 0x6a09e667);
    a ^= sh();
    b ^= sh();
    c ^= sh();
    d ^= sh();
  }
  if ((a | b | c | d) === 0) a = 1;
  const nextU32 = (): number => {
    const r = Math.imul(rotl(Math.imul(b, 5), 7), 9) >>> 0;
    const t = b << 9;
    c ^= a;
    d ^= b;
    b ^= c;
    a ^= d;
    c ^= t;
    d = rotl(d, 11);
    return r;
  };
  let spare: number | undefined;
  const next = (): number => nextU32() / 4294967296;
  const int = (n: number): number => {
    if (!Number.isInteger(n) || n <= 0) {
      throw new InvalidOptionError({ fn: 'Rng.int', arg: 'n', expected: 'a positive integer', got: describeValue(n) });
    }
    return Math.floor(next() * n);
  };
  const rng: Rng = {
    next,
    int,
    normal(): number {
      if (spare !== undefined) {
        const s = spare;
        spare = undefined;
        return s;
      }
      let u = 0;
      while (u === 0) u = next();
      const v = next();
      const r = Math.sqrt(-2 * Math.log(u));
      spare = r * Math.sin(2 * Math.PI * v);
      return r * Math.cos(2 * Math.PI * v);
    },
    shuffle<T>(xs: readonly T[]): T[] {
      const out = xs.slice();
      for (let i = out.length - 1; i > 0; i--) {
        const j = Math.floor(next() * (i + 1));
        const tmp = out[i] as T;
        out[i] = out[j] as T;
        out[j] = tmp;
      }
      return out;
    },
    permutation(n: number): Int32Array {
      const p = new Int32Array(n);
      for (let i = 0; i < n; i++) p[i] = i;
      for (let i = n - 1; i > 0; i--) {
        const j = Math.floor(next() * (i + 1));
        const tmp = p[i] as number;
        p[i] = p[j] as number;
        p[j] = tmp;
      }
      return p;
    },
    sample(n: number, k: number): Int32Array {
      if (!Number.isInteger(k) || k < 0 || k > n) {
        throw new InvalidOptionError({ fn: 'Rng.sample', arg: 'k', expected: `an integer in [0, ${n}]`, got: describeValue(k) });
      }
      return rng.permutation(n).slice(0, k);
    },
    seed(): number {
      return nextU32() & 0x7fffffff;
    },
    fork(): Rng {
      return createRng(nextU32() * 2 ** 20 + (nextU32() >>> 12));
    },
  };
  return Object.freeze(rng);
}

function rotl(x: number, k: number): number {
  return ((x << k) | (x >>> (32 - k))) >>> 0;
}
