import { DataError } from '../core/errors';
import { binaryClfCurve, checkBinary, pair } from '../_lib/metricInputs';
import type { MetricInput } from './types';

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

/**
 * Precision–recall pairs at every distinct score (sklearn `precision_recall_curve`,
 * `drop_intermediate=False`). Precision is 0 where nothing is predicted positive.
 *
 * @param yTrue - True binary labels 0/1 (at least one positive).
 * @param yScore - Scores, higher meaning more likely positive.
 * @returns A new {@link PrecisionRecallCurve}.
 * @throws {ShapeError} when the lengths differ.
 * @throws {DataError} on empty input, NaN/Infinity, labels other than 0/1, or no positive label.
 * @example
 * ```ts
 * precisionRecallCurve([0, 0, 1, 1], [0.1, 0.4, 0.35, 0.8]);
 * //=> { precision: [0.5, 0.666..., 0.5, 1, 1], recall: [1, 1, 0.5, 0.5, 0], thresholds: [0.1, 0.35, 0.4, 0.8] }
 * ```
 * @category Metrics
 */
export function precisionRecallCurve(yTrue: MetricInput, yScore: MetricInput): PrecisionRecallCurve {
  return prPoints(yTrue, yScore, 'precisionRecallCurve');
}

/** Shared by precisionRecallCurve, averagePrecision and prAuc (errors name the public caller). */
export function prPoints(yTrue: MetricInput, yScore: MetricInput, fn: string): PrecisionRecallCurve {
  const [t, s] = pair(yTrue, yScore, fn, ['yTrue', 'yScore']);
  checkBinary(t, 'yTrue', fn);
  const c = binaryClfCurve(t, s);
  const k = c.tps.length;
  const nPos = c.tps[k - 1] as number;
  if (nPos === 0) {
    throw new DataError({ fn, arg: 'yTrue', expected: 'at least one positive label (1)', got: `only 0s (${t.length} samples)` });
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
