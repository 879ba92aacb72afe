import { trapezoid } from '../_lib/metricInputs';
import { rocPoints } from '../_lib/metricCurves';
import type { MetricInput } from './types';

/**
 * Area under the ROC curve (sklearn `roc_auc_score`, binary): the probability that a random
 * positive scores higher than a random negative, a tied pair counting 1/2.
 *
 * @param yTrue - True binary labels 0/1 (both classes present).
 * @param yScore - Scores, higher meaning more likely positive.
 * @returns The AUC in [0, 1].
 * @throws {ShapeError} when the lengths differ.
 * @throws {DataError} on empty input, NaN/Infinity, labels other than 0/1, or a single class.
 * @example
 * ```ts
 * import { rocAuc } from 'finml';
 * rocAuc([0, 0, 1, 1], [0.1, 0.4, 0.35, 0.8]); //=> 0.75
 * rocAuc([0, 1], [0.5, 0.5]); //=> 0.5
 * ```
 * @category Metrics
 */
export function rocAuc(yTrue: MetricInput, yScore: MetricInput): number {
  const c = rocPoints(yTrue, yScore, 'rocAuc', false);
  return trapezoid(c.fpr, c.tpr);
}
