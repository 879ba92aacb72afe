/**
 * Private curve builders shared by the ROC/PR metrics of src/metrics/ (errors name the public caller).
 *
 * @module
 */
import { DataError } from '../../core/errors';
import { type ClfCurve, binaryClfCurve, checkBinary, checkBothClasses, pair } from './metricInputs';
import type { MetricInput, PrecisionRecallCurve, RocCurve } from '../types';
import { dropZeroWeights, sampleWeights } from './metricWeights';

/**
 * Validated labels and scores with their clf curve; with `sampleWeight`, zero-weight samples are
 * dropped first (sklearn) and the counts are weight sums. `needBoth`: both classes must carry
 * weight (ROC); otherwise at least one positive must (PR).
 */
function weightedCurve(
  yTrue: MetricInput,
  yScore: MetricInput,
  fn: string,
  sampleWeight: MetricInput | null,
  needBoth: boolean,
): ClfCurve {
  const [t0, s0] = pair(yTrue, yScore, fn, ['yTrue', 'yScore']);
  checkBinary(t0, 'yTrue', fn);
  const w0 = sampleWeights(sampleWeight, t0.length, fn);
  if (w0 === null) {
    if (needBoth) checkBothClasses(t0, 'yTrue', fn);
    return binaryClfCurve(t0, s0);
  }
  const [t, s, w] = dropZeroWeights(t0, s0, w0);
  let pos = 0;
  let neg = 0;
  for (let i = 0; i < t.length; i++) {
    if ((t[i] as number) === 1) pos++;
    else neg++;
  }
  if (pos === 0 || (needBoth && neg === 0)) {
    throw new DataError({
      fn,
      arg: 'yTrue',
      expected: needBoth ? 'both classes (0 and 1) among the samples with non-zero weight' : 'at least one positive label (1) with non-zero weight',
      got: `only class ${pos === 0 ? 0 : 1} (${t.length} samples with non-zero weight)`,
    });
  }
  return binaryClfCurve(t, s, w);
}


/** Shared by rocCurve, rocAuc, gini and ksStatistic (errors name the public caller). */
export function rocPoints(
  yTrue: MetricInput,
  yScore: MetricInput,
  fn: string,
  dropIntermediate: boolean,
  sampleWeight: MetricInput | null = null,
): RocCurve {
  const c = weightedCurve(yTrue, yScore, fn, sampleWeight, true);
  let keep: number[] = Array.from({ length: c.tps.length }, (_, i) => i);
  if (dropIntermediate && c.tps.length > 2) {
    // Keep a point when the second difference of fps or tps is non-zero (sklearn's rule).
    keep = keep.filter((i) => {
      if (i === 0 || i === c.tps.length - 1) return true;
      const d2f = (c.fps[i + 1] as number) - 2 * (c.fps[i] as number) + (c.fps[i - 1] as number);
      const d2t = (c.tps[i + 1] as number) - 2 * (c.tps[i] as number) + (c.tps[i - 1] as number);
      return d2f !== 0 || d2t !== 0;
    });
  }
  const nPos = c.tps[c.tps.length - 1] as number;
  const nNeg = c.fps[c.fps.length - 1] as number;
  const fpr = [0];
  const tpr = [0];
  const thresholds = [Number.POSITIVE_INFINITY];
  for (const i of keep) {
    fpr.push((c.fps[i] as number) / nNeg);
    tpr.push((c.tps[i] as number) / nPos);
    thresholds.push(c.thresholds[i] as number);
  }
  return { fpr, tpr, thresholds };
}


/** Shared by precisionRecallCurve, averagePrecision and prAuc (errors name the public caller). */
export function prPoints(
  yTrue: MetricInput,
  yScore: MetricInput,
  fn: string,
  sampleWeight: MetricInput | null = null,
): PrecisionRecallCurve {
  const c = weightedCurve(yTrue, yScore, fn, sampleWeight, false);
  const k = c.tps.length;
  const nPos = c.tps[k - 1] as number;
  if (nPos === 0) {
    throw new DataError({ fn, arg: 'yTrue', expected: 'at least one positive label (1)', got: `only 0s (${k === 0 ? 0 : c.fps[k - 1]} samples)` });
  }
  const precision: number[] = [];
  const recall: number[] = [];
  const thresholds: number[] = [];
  for (let i = k - 1; i >= 0; i--) {
    const tp = c.tps[i] as number;
    const ps = tp + (c.fps[i] as number);
    precision.push(ps === 0 ? 0 : tp / ps);
    recall.push(tp / nPos);
    thresholds.push(c.thresholds[i] as number);
  }
  precision.push(1);
  recall.push(0);
  return { precision, recall, thresholds };
}
