import { trapezoid } from '../_lib/metricInputs';
import { rocPoints } from '../_lib/metricCurves';
import type { MetricInput } from './types';

/**
 * Gini coefficient (accuracy ratio) of a score, as used in credit scoring: `2 · AUC − 1`.
 *
 * @param yTrue - True binary labels 0/1 (both classes present).
 * @param yScore - Scores, higher meaning more likely positive.
 * @returns The Gini coefficient in [−1, 1].
 * @throws {ShapeError} when the lengths differ.
 * @throws {DataError} on empty input, NaN/Infinity, labels other than 0/1, or a single class.
 * @example
 * ```ts
 * import { gini } from 'finml';
 * gini([0, 0, 1, 1], [0.1, 0.4, 0.35, 0.8]); //=> 0.5
 * ```
 * @category Metrics
 */
export function gini(yTrue: MetricInput, yScore: MetricInput): number {
  const c = rocPoints(yTrue, yScore, 'gini', false);
  return 2 * trapezoid(c.fpr, c.tpr) - 1;
}
