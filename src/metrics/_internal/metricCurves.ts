/**
 * Private curve builders shared by the ROC/PR metrics of src/metrics/ (errors name the public caller).
 *
 * @module
 */
import { DataError } from '../../core/errors';
import { type ClfCurve, type MetricVectorLike, binaryClfCurve, checkBinary, checkBothClasses, pair } from './metricInputs';
import { dropZeroWeights, sampleWeights } from './metricWeights';

/**
 * Validated labels and scores with their clf curve; with `sampleWeight`, zero-weight samples are
 * dropped first (sklearn) and the counts are weight sums. `needBoth`: both classes must carry
 * weight (ROC); otherwise at least one positive must (PR).
 */
function weightedCurve(
  yTrue: MetricVectorLike,
  yScore: MetricVectorLike,
  fn: string,
  sampleWeight: MetricVectorLike | null,
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

/**
 * A ROC curve: `fpr[k]`, `tpr[k]` are the false- and true-positive rates of predicting positive
 * when `score >= thresholds[k]`. Thresholds decrease; the first point is (0, 0) with threshold
 * `Infinity` (sklearn >= 1.3), the last is (1, 1).
 * @category Metrics
 */
export interface RocCurve {
  readonly fpr: number[];
  readonly tpr: number[];
  readonly thresholds: number[];
}

/** Shared by rocCurve, rocAuc, gini and ksStatistic (errors name the public caller). */
export function rocPoints(
  yTrue: MetricVectorLike,
  yScore: MetricVectorLike,
  fn: string,
  dropIntermediate: boolean,
  sampleWeight: MetricVectorLike | null = null,
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

/**
 * A precision–recall curve in sklearn's order: `thresholds` increase; `precision[k]` and
 * `recall[k]` belong to `score >= thresholds[k]`; a final point (recall 0, precision 1) without
 * threshold ends the arrays, so they are one longer than `thresholds`.
 * @category Metrics
 */
export interface PrecisionRecallCurve {
  readonly precision: number[];
  readonly recall: number[];
  readonly thresholds: number[];
}

/** Shared by precisionRecallCurve, averagePrecision and prAuc (errors name the public caller). */
export function prPoints(
  yTrue: MetricVectorLike,
  yScore: MetricVectorLike,
  fn: string,
  sampleWeight: MetricVectorLike | null = null,
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
