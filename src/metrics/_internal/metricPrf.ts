/**
 * Private core of precision, recall and f1: sklearn's `precision_recall_fscore_support` for
 * binary and multiclass label vectors, with sample weights and `average`.
 *
 * @module
 */
import { InvalidOptionError } from '../../core/errors';
import { resolveOptions } from '../../core/options';
import {
  type PrfAverage,
  PRF_DEFAULTS,
  PRF_RULES,
  binaryCounts,
  binaryLabelsAndPredictions,
  classLabels,
  pair,
} from './metricInputs';
import type { MetricInput } from '../types';
import { nanAverage, sampleWeights } from './metricWeights';

/** Which score of the precision/recall/F family. */
export type PrfMetric = 'precision' | 'recall' | 'f1';

/** Options accepted by {@link prfScore} (the union of the public option types). */
export interface PrfGiven {
  readonly threshold?: number | null;
  readonly zeroDivision?: number;
  readonly average?: PrfAverage;
  readonly labels?: readonly number[] | null;
  readonly sampleWeight?: MetricInput | null;
}

/** `num / den`, or `zeroDivision` when `den` is 0. */
function ratio(num: number, den: number, zeroDivision: number): number {
  return den === 0 ? zeroDivision : num / den;
}

/** The score of `metric` from counts: tp, predicted-positive sum, true-positive sum. */
function scoreOf(metric: PrfMetric, tp: number, predSum: number, trueSum: number, zeroDivision: number): number {
  if (metric === 'precision') return ratio(tp, predSum, zeroDivision);
  if (metric === 'recall') return ratio(tp, trueSum, zeroDivision);
  return ratio(2 * tp, predSum + trueSum, zeroDivision);
}

/**
 * Precision, recall or f1 (`fn` names the public caller). Binary (`average: 'binary'`, default):
 * class 1 of 0/1 labels, unchanged from the unweighted formulas. Otherwise one-vs-rest counts per
 * label of `labels` (default: sorted union of the labels seen), combined by `average`.
 */
export function prfScore(
  metric: PrfMetric,
  yTrue: MetricInput,
  yPred: MetricInput,
  options: PrfGiven | undefined,
): number | number[] {
  const fn = metric;
  const o = resolveOptions(fn, options, PRF_DEFAULTS, PRF_RULES);
  if (o.average === 'binary') {
    if (o.labels !== null) {
      throw new InvalidOptionError({
        fn,
        arg: 'labels',
        expected: "null when average is 'binary' (labels select classes for 'micro', 'macro', 'weighted' or null)",
        got: `[${o.labels.join(', ')}]`,
      });
    }
    const [t, p] = binaryLabelsAndPredictions(yTrue, yPred, fn, o.threshold);
    const w = sampleWeights(o.sampleWeight, t.length, fn);
    const c = binaryCounts(t, p, w);
    return scoreOf(metric, c.tp, c.tp + c.fp, c.tp + c.fn, o.zeroDivision);
  }
  // Multiclass: labels as given; a numeric threshold only when the caller set one (binarized 0/1 labels).
  const threshold = options?.threshold === undefined ? null : o.threshold;
  const [t, p] = threshold === null ? pair(yTrue, yPred, fn) : binaryLabelsAndPredictions(yTrue, yPred, fn, threshold);
  const w = sampleWeights(o.sampleWeight, t.length, fn);
  const labels = classLabels(o.labels, t, p, fn);
  const index = new Map<number, number>(labels.map((l, i) => [l, i]));
  const k = labels.length;
  const tp = new Array<number>(k).fill(0);
  const predSum = new Array<number>(k).fill(0);
  const trueSum = new Array<number>(k).fill(0);
  for (let i = 0; i < t.length; i++) {
    const wi = w === null ? 1 : (w[i] as number);
    const a = index.get(t[i] as number);
    const b = index.get(p[i] as number);
    if (a !== undefined) trueSum[a] = (trueSum[a] as number) + wi;
    if (b !== undefined) predSum[b] = (predSum[b] as number) + wi;
    if (a !== undefined && a === b) tp[a] = (tp[a] as number) + wi;
  }
  if (o.average === 'micro') {
    let sTp = 0;
    let sPred = 0;
    let sTrue = 0;
    for (let j = 0; j < k; j++) {
      sTp += tp[j] as number;
      sPred += predSum[j] as number;
      sTrue += trueSum[j] as number;
    }
    return scoreOf(metric, sTp, sPred, sTrue, o.zeroDivision);
  }
  const perClass = labels.map((_, j) => scoreOf(metric, tp[j] as number, predSum[j] as number, trueSum[j] as number, o.zeroDivision));
  if (o.average === null) return perClass;
  return nanAverage(perClass, o.average === 'weighted' ? trueSum : null);
}
