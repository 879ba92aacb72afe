import { type PrecisionRecallCurve, prPoints } from '../_lib/metricCurves';
import type { MetricInput } from './types';

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
 * import { precisionRecallCurve } from 'finml';
 * precisionRecallCurve([0, 0, 1, 1], [0.1, 0.4, 0.35, 0.8]);
 * //=> { precision: [0.5, 0.666..., 0.5, 1, 1], recall: [1, 1, 0.5, 0.5, 0], thresholds: [0.1, 0.35, 0.4, 0.8] }
 * ```
 * @category Metrics
 */
export function precisionRecallCurve(yTrue: MetricInput, yScore: MetricInput): PrecisionRecallCurve {
  return prPoints(yTrue, yScore, 'precisionRecallCurve');
}

export type { PrecisionRecallCurve };
