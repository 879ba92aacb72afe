import { prPoints } from '../_lib/metricCurves';
import type { MetricInput } from './types';

/**
 * Average precision (sklearn `average_precision_score`): the step-wise area under the
 * precision–recall curve, `Σ_k (R_k − R_{k−1}) · P_k` over decreasing thresholds, without
 * interpolation. See {@link prAuc} for the trapezoidal area.
 *
 * @param yTrue - True binary labels 0/1 (at least one positive).
 * @param yScore - Scores, higher meaning more likely positive.
 * @returns The average precision in [0, 1].
 * @throws {ShapeError} when the lengths differ.
 * @throws {DataError} on empty input, NaN/Infinity, labels other than 0/1, or no positive label.
 * @example
 * ```ts
 * import { averagePrecision } from 'finml';
 * averagePrecision([0, 0, 1, 1], [0.1, 0.4, 0.35, 0.8]); //=> 0.8333333333333333
 * ```
 * @category Metrics
 */
export function averagePrecision(yTrue: MetricInput, yScore: MetricInput): number {
  const c = prPoints(yTrue, yScore, 'averagePrecision');
  let ap = 0;
  // sklearn: -sum(diff(recall) * precision[:-1]) over its (recall-decreasing) order.
  for (let i = 0; i < c.recall.length - 1; i++) {
    ap -= ((c.recall[i + 1] as number) - (c.recall[i] as number)) * (c.precision[i] as number);
  }
  return ap;
}
