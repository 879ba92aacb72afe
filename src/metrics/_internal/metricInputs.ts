/**
 * Private helpers shared by the metric functions of src/metrics/: input normalisation and
 * validation (lengths, binary labels, probabilities) and the cumulative counts behind every
 * threshold curve (sklearn's `_binary_clf_curve`).
 *
 * @module
 */
import { DataError, InvalidOptionError, ShapeError, describeValue } from '../../core/errors';
import { type VectorLike, isTensor, toVector } from '../../core/matrix';
import { type Rule, rules } from '../../core/options';
import type { MetricInput } from '../types';

/** Converts and validates one vector (never disposes or mutates the input). */
export function vec(x: MetricInput, arg: string, fn: string, minLength = 1): Float64Array {
  return toVector(x as VectorLike, arg, fn, { minLength });
}

/** Converts and validates a pair of equally long vectors. */
export function pair(
  yTrue: MetricInput,
  yPred: MetricInput,
  fn: string,
  names: readonly [string, string] = ['yTrue', 'yPred'],
  minLength = 1,
): [Float64Array, Float64Array] {
  const t = vec(yTrue, names[0], fn, minLength);
  const p = vec(yPred, names[1], fn, minLength);
  if (p.length !== t.length) {
    throw new ShapeError({ fn, arg: names[1], expected: `length ${t.length} (the length of ${names[0]})`, got: `length ${p.length}` });
  }
  return [t, p];
}

/** Throws DataError unless every value is 0 or 1. */
export function checkBinary(y: Float64Array, arg: string, fn: string): void {
  for (let i = 0; i < y.length; i++) {
    const v = y[i] as number;
    if (v !== 0 && v !== 1) {
      throw new DataError({ fn, arg, expected: 'binary labels 0 or 1', got: `${describeValue(v)} at index ${i}` });
    }
  }
}

/** Throws DataError unless every value is in [0, 1]. */
export function checkProbabilities(p: Float64Array, arg: string, fn: string): void {
  for (let i = 0; i < p.length; i++) {
    const v = p[i] as number;
    if (!(v >= 0 && v <= 1)) {
      throw new DataError({ fn, arg, expected: 'probabilities in [0, 1]', got: `${describeValue(v)} at index ${i}` });
    }
  }
}

/** Throws DataError unless both classes occur in binary labels `y`. */
export function checkBothClasses(y: Float64Array, arg: string, fn: string): number {
  let pos = 0;
  for (let i = 0; i < y.length; i++) pos += y[i] as number;
  if (pos === 0 || pos === y.length) {
    throw new DataError({
      fn,
      arg,
      expected: 'both classes (0 and 1) to be present',
      got: `only class ${pos === 0 ? 0 : 1} (${y.length} samples)`,
    });
  }
  return pos;
}

/** Returns 1 where `score >= threshold`, else 0 (a new array). */
export function binarize(score: Float64Array, threshold: number): Float64Array {
  const out = new Float64Array(score.length);
  for (let i = 0; i < score.length; i++) out[i] = (score[i] as number) >= threshold ? 1 : 0;
  return out;
}

/** Binary confusion counts of labels `t` and predictions `p` (both 0/1). */
export interface BinaryCounts {
  readonly tn: number;
  readonly fp: number;
  readonly fn: number;
  readonly tp: number;
}

/** Counts TN/FP/FN/TP, or sums their weights when `w` is given. */
export function binaryCounts(t: Float64Array, p: Float64Array, w: Float64Array | null = null): BinaryCounts {
  let tn = 0;
  let fp = 0;
  let fn = 0;
  let tp = 0;
  if (w !== null) {
    for (let i = 0; i < t.length; i++) {
      const wi = w[i] as number;
      if ((t[i] as number) === 1) {
        if ((p[i] as number) === 1) tp += wi;
        else fn += wi;
      } else if ((p[i] as number) === 1) fp += wi;
      else tn += wi;
    }
    return { tn, fp, fn, tp };
  }
  for (let i = 0; i < t.length; i++) {
    const a = t[i] as number;
    const b = p[i] as number;
    if (a === 1) {
      if (b === 1) tp++;
      else fn++;
    } else if (b === 1) fp++;
    else tn++;
  }
  return { tn, fp, fn, tp };
}

/**
 * Validated binary labels and predictions for the thresholded metrics: `yTrue` must be 0/1;
 * `yPred` is binarized with `score >= threshold`, or when `threshold` is null it must be 0/1 itself.
 */
export function binaryLabelsAndPredictions(
  yTrue: MetricInput,
  yPred: MetricInput,
  fn: string,
  threshold: number | null,
): [Float64Array, Float64Array] {
  const [t, p] = pair(yTrue, yPred, fn);
  checkBinary(t, 'yTrue', fn);
  if (threshold === null) {
    checkBinary(p, 'yPred', fn);
    return [t, p];
  }
  return [t, binarize(p, threshold)];
}

/**
 * Cumulative counts at each distinct score, scores in decreasing order: at `thresholds[k]`,
 * `tps[k]` positives and `fps[k]` negatives have `score >= thresholds[k]`.
 */
export interface ClfCurve {
  readonly thresholds: Float64Array;
  readonly tps: Float64Array;
  readonly fps: Float64Array;
}

/**
 * sklearn's `_binary_clf_curve`: labels must already be validated 0/1. With weights `w`, the
 * counts are cumulative weight sums (zero-weight samples must already be dropped).
 */
export function binaryClfCurve(t: Float64Array, score: Float64Array, w: Float64Array | null = null): ClfCurve {
  const n = t.length;
  const order = Array.from({ length: n }, (_, i) => i).sort((a, b) => (score[b] as number) - (score[a] as number));
  const thr: number[] = [];
  const tps: number[] = [];
  const fps: number[] = [];
  let tp = 0;
  let fp = 0;
  for (let k = 0; k < n; k++) {
    const i = order[k] as number;
    if (w !== null) {
      if ((t[i] as number) === 1) tp += w[i] as number;
      else fp += w[i] as number;
    } else if ((t[i] as number) === 1) tp++;
    else fp++;
    const next = order[k + 1];
    if (next === undefined || (score[next] as number) !== (score[i] as number)) {
      thr.push(score[i] as number);
      tps.push(tp);
      fps.push(fp);
    }
  }
  return { thresholds: Float64Array.from(thr), tps: Float64Array.from(tps), fps: Float64Array.from(fps) };
}

/** Trapezoidal area under a piecewise-linear curve given by (x, y) points, x monotonic. */
export function trapezoid(x: ArrayLike<number>, y: ArrayLike<number>): number {
  let area = 0;
  for (let i = 1; i < x.length; i++) {
    area += ((x[i] as number) - (x[i - 1] as number)) * ((y[i] as number) + (y[i - 1] as number)) / 2;
  }
  return Math.abs(area);
}

/** Number of `edges` strictly less than `v` (numpy searchsorted, side 'left'); edges sorted ascending. */
export function searchLeft(edges: ArrayLike<number>, v: number): number {
  let lo = 0;
  let hi = edges.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if ((edges[mid] as number) < v) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** Rule of the `sampleWeight` option: null, or something `sampleWeights` (metricWeights) can read. */
export const SAMPLE_WEIGHT_RULE: Rule = rules.custom(
  'null or one weight per sample (an array, a typed array or a 1-D tf.Tensor)',
  (v) => v === null || Array.isArray(v) || ArrayBuffer.isView(v) || isTensor(v),
);

/** Defaults of the `sampleWeight` option. */
export const WEIGHT_DEFAULTS: { readonly sampleWeight: MetricInput | null } = Object.freeze({ sampleWeight: null });

/** Rule table of the `sampleWeight` option. */
export const WEIGHT_RULES: { readonly sampleWeight: Rule } = Object.freeze({ sampleWeight: SAMPLE_WEIGHT_RULE });

/** Defaults of the `threshold` and `sampleWeight` options of the thresholded classification metrics. */
export const THRESHOLD_DEFAULTS: { readonly threshold: number | null; readonly sampleWeight: MetricInput | null } = Object.freeze({
  threshold: 0.5,
  sampleWeight: null,
});

/** Rule table of the `threshold` and `sampleWeight` options. */
export const THRESHOLD_RULES: { readonly threshold: Rule; readonly sampleWeight: Rule } = Object.freeze({
  threshold: rules.nullable(rules.number()),
  sampleWeight: SAMPLE_WEIGHT_RULE,
});

/** How precision/recall/f1 combine classes (sklearn's `average`); null returns one score per class. */
export type PrfAverage = 'binary' | 'micro' | 'macro' | 'weighted' | null;

/** Defaults of precision/recall/f1 options (`threshold` becomes null when `average` is not 'binary' and no threshold is given). */
export const PRF_DEFAULTS: {
  readonly threshold: number | null;
  readonly zeroDivision: number;
  readonly average: PrfAverage;
  readonly labels: readonly number[] | null;
  readonly sampleWeight: MetricInput | null;
} = Object.freeze({
  threshold: 0.5,
  zeroDivision: 0,
  average: 'binary',
  labels: null,
  sampleWeight: null,
});

/** Rule table of precision/recall/f1 options. */
export const PRF_RULES: {
  readonly threshold: Rule;
  readonly zeroDivision: Rule;
  readonly average: Rule;
  readonly labels: Rule;
  readonly sampleWeight: Rule;
} = Object.freeze({
  threshold: rules.nullable(rules.number()),
  zeroDivision: rules.custom('0, 1 or NaN', (v) => v === 0 || v === 1 || Number.isNaN(v)),
  average: rules.oneOf<PrfAverage>(['binary', 'micro', 'macro', 'weighted', null]),
  labels: rules.nullable(rules.numberArray({ nonEmpty: true })),
  sampleWeight: SAMPLE_WEIGHT_RULE,
});

/** Sum of (weighted) squared errors of validated inputs (shared by mse, rmse and r2). */
export function squaredErrorSum(t: Float64Array, p: Float64Array, w: Float64Array | null = null): number {
  let s = 0;
  for (let i = 0; i < t.length; i++) {
    const d = (t[i] as number) - (p[i] as number);
    s += w === null ? d * d : (w[i] as number) * (d * d);
  }
  return s;
}

/**
 * The class labels of a multiclass metric: the caller's `labels` (which must be distinct), or the
 * sorted union of the labels in `t` and `p`.
 */
export function classLabels(given: readonly number[] | null, t: Float64Array, p: Float64Array, fn: string): number[] {
  if (given === null) return [...new Set([...t, ...p])].sort((a, b) => a - b);
  const labels = [...given];
  if (new Set(labels).size !== labels.length) {
    throw new InvalidOptionError({ fn, arg: 'labels', expected: 'distinct labels', got: `[${labels.join(', ')}]` });
  }
  return labels;
}
