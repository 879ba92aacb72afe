/**
 * Private helpers for the `sampleWeight` option of the metric functions of src/metrics/:
 * the option rule, validation of the weights (sklearn's `_check_sample_weight` plus finml's
 * stricter checks), and the weighted average used by the averaged precision/recall/f1.
 *
 * @module
 */
import { DataError, ShapeError, describeValue } from '../../core/errors';
import { vec } from './metricInputs';
import type { MetricInput } from '../types';

/**
 * Validated sample weights as a new Float64Array, or null when `w` is null (unit weights).
 * Weights must be finite, >= 0, `n` of them, and not all zero. Never disposes or mutates `w`.
 * `arg` names the weight argument and `of` the vector whose length `n` is (in error messages).
 */
export function sampleWeights(
  w: MetricInput | null,
  n: number,
  fn: string,
  arg = 'sampleWeight',
  of = 'yTrue',
): Float64Array | null {
  if (w === null) return null;
  const out = vec(w, arg, fn);
  if (out.length !== n) {
    throw new ShapeError({ fn, arg, expected: `length ${n} (the length of ${of})`, got: `length ${out.length}` });
  }
  let total = 0;
  for (let i = 0; i < out.length; i++) {
    const v = out[i] as number;
    if (v < 0) throw new DataError({ fn, arg, expected: 'non-negative weights', got: `${describeValue(v)} at index ${i}` });
    total += v;
  }
  if (total === 0) throw new DataError({ fn, arg, expected: 'at least one positive weight', got: `${n} zero weights` });
  return out;
}

/** Weight of sample `i`: 1 without weights (so `wi * x === x` and unweighted sums stay bit-identical). */
export function weightAt(w: Float64Array | null, i: number): number {
  return w === null ? 1 : (w[i] as number);
}

/** Sum of the weights, or `n` without weights. */
export function weightSum(w: Float64Array | null, n: number): number {
  if (w === null) return n;
  let s = 0;
  for (let i = 0; i < w.length; i++) s += w[i] as number;
  return s;
}

/**
 * The samples whose weight is non-zero (sklearn's `_binary_clf_curve` drops zero-weight samples,
 * so they add no threshold to a curve). Returns the inputs themselves when nothing is dropped.
 */
export function dropZeroWeights(
  t: Float64Array,
  s: Float64Array,
  w: Float64Array,
): [Float64Array, Float64Array, Float64Array] {
  let keep = 0;
  for (let i = 0; i < w.length; i++) if ((w[i] as number) !== 0) keep++;
  if (keep === w.length) return [t, s, w];
  const t2 = new Float64Array(keep);
  const s2 = new Float64Array(keep);
  const w2 = new Float64Array(keep);
  let k = 0;
  for (let i = 0; i < w.length; i++) {
    if ((w[i] as number) === 0) continue;
    t2[k] = t[i] as number;
    s2[k] = s[i] as number;
    w2[k] = w[i] as number;
    k++;
  }
  return [t2, s2, w2];
}

/**
 * sklearn's `_nanaverage`: the (weighted) mean of the non-NaN values; NaN when all are NaN;
 * the plain mean when the remaining weights sum to zero.
 */
export function nanAverage(a: readonly number[], weights: readonly number[] | null): number {
  const vals: number[] = [];
  const ws: number[] = [];
  for (let i = 0; i < a.length; i++) {
    const v = a[i] as number;
    if (Number.isNaN(v)) continue;
    vals.push(v);
    ws.push(weights === null ? 1 : (weights[i] as number));
  }
  if (vals.length === 0) return Number.NaN;
  let sw = 0;
  for (const x of ws) sw += x;
  if (weights === null || sw === 0) {
    let s = 0;
    for (const v of vals) s += v;
    return s / vals.length;
  }
  let s = 0;
  for (let i = 0; i < vals.length; i++) s += (vals[i] as number) * (ws[i] as number);
  return s / sw;
}
