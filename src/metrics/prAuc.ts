import { trapezoid } from '../_lib/metricInputs';
import { prPoints } from '../_lib/metricCurves';
import type { MetricInput } from './types';

/**
 * Trapezoidal area under the precision–recall curve (sklearn
 * `auc(recall, precision)` on `precision_recall_curve`), including the final (recall 0,
 * precision 1) point. Linear interpolation between PR points is optimistic; prefer
 * {@link averagePrecision} for model selection.
 *
 * @param yTrue - True binary labels 0/1 (at least one positive).
 * @param yScore - Scores, higher meaning more likely positive.
 * @returns The area in [0, 1].
 * @throws {ShapeError} when the lengths differ.
 * @throws {DataError} on empty input, NaN/Infinity, labels other than 0/1, or no positive label.
 * @example
 * ```ts
 * import { prAuc } from 'finml';
 * prAuc([0, 0, 1, 1], [0.1, 0.4, 0.35, 0.8]); //=> 0.7916666666666666
 * ```
 * @category Metrics
 */
export function prAuc(yTrue: MetricInput, yScore: MetricInput): number {
  const c = prPoints(yTrue, yScore, 'prAuc');
  return trapezoid(c.recall, c.precision);
}
