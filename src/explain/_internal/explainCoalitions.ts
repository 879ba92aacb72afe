/**
 * Private helper of src/explain/kernelShap: coalition designs for KernelSHAP.
 *
 * @module
 */
import type { Rng } from '../../core/random';
import { binom } from './explainMath';

/** K coalitions of M players: `masks[k * M + i] = 1` when player i is in coalition k. */
export interface CoalitionDesign {
  readonly k: number;
  readonly masks: Uint8Array;
  /** Regression weight of each coalition (Shapley kernel mass; unused in exact mode). */
  readonly weights: Float64Array;
}

/** All 2^M − 2 proper non-empty coalitions; coalition k is the bitmask k + 1. */
export function allCoalitions(m: number): CoalitionDesign {
  const k = 2 ** m - 2;
  const masks = new Uint8Array(k * m);
  for (let c = 0; c < k; c++) {
    const bits = c + 1;
    for (let i = 0; i < m; i++) masks[c * m + i] = (bits >>> i) & 1;
  }
  return { k, masks, weights: new Float64Array(k).fill(1) };
}

function forEachCombination(m: number, s: number, f: (idx: Int32Array) => void): void {
  const idx = new Int32Array(s);
  for (let i = 0; i < s; i++) idx[i] = i;
  for (;;) {
    f(idx);
    let i = s - 1;
    while (i >= 0 && idx[i] === m - s + i) i--;
    if (i < 0) return;
    idx[i] = (idx[i] as number) + 1;
    for (let j = i + 1; j < s; j++) idx[j] = (idx[j - 1] as number) + 1;
  }
}

/**
 * A KernelSHAP design of about `budget` coalitions (Lundberg & Lee 2017, with the budget
 * allocation of the reference implementation): subset sizes whose every subset (and complement)
 * fits into the budget share are enumerated completely with their exact Shapley kernel weight;
 * the remaining sizes are sampled in complementary pairs with probability proportional to the
 * kernel; the distinct sampled coalitions of each size share that size's kernel mass equally
 * (stratified sampling without replacement, so a fully covered size gets its exact weights).
 */
export function sampleCoalitions(m: number, budget: number, rng: Rng): CoalitionDesign {
  const nSizes = Math.ceil((m - 1) / 2);
  const nPaired = Math.floor((m - 1) / 2);
  const wv = new Float64Array(nSizes);
  for (let s = 1; s <= nSizes; s++) wv[s - 1] = ((m - 1) / (s * (m - s))) * (s <= nPaired ? 2 : 1);
  const wsum = wv.reduce((a, b) => a + b, 0);
  for (let i = 0; i < nSizes; i++) wv[i] = (wv[i] as number) / wsum;
  const rem = Float64Array.from(wv);
  const masks: Uint8Array[] = [];
  const weights: number[] = [];
  let left = budget;
  let nFull = 0;
  for (let s = 1; s <= nSizes; s++) {
    const paired = s <= nPaired;
    const nsub = binom(m, s) * (paired ? 2 : 1);
    if ((left * (rem[s - 1] as number)) / nsub < 1 - 1e-8) break;
    nFull++;
    left -= nsub;
    const r = rem[s - 1] as number;
    if (r < 1) for (let i = 0; i < nSizes; i++) rem[i] = (rem[i] as number) / (1 - r);
    const w = (wv[s - 1] as number) / binom(m, s) / (paired ? 2 : 1);
    forEachCombination(m, s, (idx) => {
      const mask = new Uint8Array(m);
      for (const i of idx) mask[i] = 1;
      masks.push(mask);
      weights.push(w);
      if (paired) {
        masks.push(mask.map((v) => 1 - v));
        weights.push(w);
      }
    });
  }
  const nFixed = masks.length;
  if (nFull < nSizes && left > 0) {
    let weightLeft = 0;
    for (let i = nFull; i < nSizes; i++) weightLeft += wv[i] as number;
    const dist: number[] = [];
    let dsum = 0;
    for (let i = nFull; i < nSizes; i++) dsum += rem[i] as number;
    for (let i = nFull; i < nSizes; i++) dist.push((rem[i] as number) / dsum);
    const seen = new Map<string, number>();
    const add = (mask: Uint8Array): void => {
      const key = mask.join('');
      const at = seen.get(key);
      if (at === undefined) {
        seen.set(key, masks.length);
        masks.push(mask);
        weights.push(1);
        left--;
      }
    };
    let attempts = 0;
    const maxAttempts = 20 * left + 1000;
    while (left > 0 && attempts < maxAttempts) {
      attempts++;
      let u = rng.next();
      let which = dist.length - 1;
      for (let i = 0; i < dist.length; i++) {
        u -= dist[i] as number;
        if (u < 0) {
          which = i;
          break;
        }
      }
      const s = nFull + 1 + which;
      const mask = new Uint8Array(m);
      for (const i of rng.sample(m, s)) mask[i] = 1;
      add(mask);
      if (s <= nPaired && left > 0) add(mask.map((v) => 1 - v));
    }
    // Stratified by subset size (a subset and its complement share a stratum): each sampled
    // coalition of stratum s gets that stratum's kernel mass divided by the number of distinct
    // coalitions drawn from it (sampling without replacement; exact when a stratum is covered).
    const stratum = (mk: Uint8Array): number => {
      let c = 0;
      for (const v of mk) c += v;
      return Math.min(c, m - c);
    };
    const perStratum = new Float64Array(nSizes + 1);
    for (let i = nFixed; i < masks.length; i++) {
      const s = stratum(masks[i] as Uint8Array);
      perStratum[s] = (perStratum[s] as number) + 1;
    }
    let covered = 0;
    for (let s = nFull + 1; s <= nSizes; s++) if ((perStratum[s] as number) > 0) covered += wv[s - 1] as number;
    for (let i = nFixed; i < masks.length; i++) {
      const s = stratum(masks[i] as Uint8Array);
      weights[i] = (((wv[s - 1] as number) / (perStratum[s] as number)) * weightLeft) / covered;
    }
  }
  const k = masks.length;
  const flat = new Uint8Array(k * m);
  masks.forEach((mk, i) => flat.set(mk, i * m));
  return { k, masks: flat, weights: Float64Array.from(weights) };
}
