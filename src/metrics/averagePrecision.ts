import { prPoints } from './_internal/metricCurves';
import { WEIGHT_DEFAULTS, WEIGHT_RULES } from './_internal/metricInputs';
import { resolveOptions } from '../core/options';
import type { MetricInput, SampleWeightOptions } from './types';

/**
 * Average precision (sklearn `average_precision_score`): the step-wise area under the
 * precision–recall curve, `Σ_k (R_k − R_{k−1}) · P_k` over decreasing thresholds, without
 * interpolation. See {@link prAuc} for the trapezoidal area. With `sampleWeight`, precision and
 * recall are computed from weight sums (zero-weight samples are dropped).
 *
 * @param yTrue - True binary labels 0/1 (at least one positive).
 * @param yScore - Scores, higher meaning more likely positive.
 * @param options - {@link SampleWeightOptions}.
 * @returns The average precision in [0, 1].
 * @throws {ShapeError} when the lengths of `yTrue`, `yScore` or `sampleWeight` differ.
 * @throws {DataError} on empty input, NaN/Infinity, labels other than 0/1, no positive label
 *   (with non-zero weight), or negative or all-zero weights.
 * @throws {InvalidOptionError} on an invalid option.
 * @example
 * ```ts
 * import { averagePrecision } from 'finml';
 * averagePrecision([0, 0, 1, 1], [0.1, 0.4, 0.35, 0.8]); //=> 0.8333333333333333
 * averagePrecision([0, 0, 1, 1], [0.1, 0.4, 0.35, 0.8], { sampleWeight: [1, 3, 1, 1] }); //=> 0.7
 * ```
 * @category Metrics
 */
export function averagePrecision(yTrue: MetricInput, yScore: MetricInput, options?: SampleWeightOptions): number {
  const o = resolveOptions('averagePrecision', options, WEIGHT_DEFAULTS, WEIGHT_RULES);
  const c = prPoints(yTrue, yScore, 'averagePrecision', o.sampleWeight);
  let ap = 0;
  // sklearn: -sum(diff(recall) * precision[:-1]) over its (recall-decreasing) order.
  for (let i = 0; i < c.recall.length - 1; i++) {
    ap -= ((c.recall[i + 1] as number) - (c.recall[i] as number)) * (c.precision[i] as number);
  }
  return ap;
}
