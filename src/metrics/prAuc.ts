import { WEIGHT_DEFAULTS, WEIGHT_RULES, trapezoid } from './_internal/metricInputs';
import { resolveOptions } from '../core/options';
import { prPoints } from './_internal/metricCurves';
import type { MetricInput, SampleWeightOptions } from './types';

/**
 * Trapezoidal area under the precision–recall curve (sklearn
 * `auc(recall, precision)` on `precision_recall_curve`), including the final (recall 0,
 * precision 1) point. Linear interpolation between PR points is optimistic; prefer
 * {@link averagePrecision} for model selection. With `sampleWeight`, the area under the weighted
 * curve of {@link precisionRecallCurve} (precision and recall from weight sums, zero-weight
 * samples dropped).
 *
 * @param yTrue - True binary labels 0/1 (at least one positive).
 * @param yScore - Scores, higher meaning more likely positive.
 * @param options - {@link SampleWeightOptions}.
 * @returns The area in [0, 1].
 * @throws {ShapeError} when the lengths of `yTrue`, `yScore` or `sampleWeight` differ.
 * @throws {DataError} on empty input, NaN/Infinity, labels other than 0/1, no positive label
 *   (with non-zero weight), or negative or all-zero weights.
 * @throws {InvalidOptionError} on an invalid option.
 * @example
 * ```ts
 * import { prAuc } from 'finml';
 * prAuc([0, 0, 1, 1], [0.1, 0.4, 0.35, 0.8]); //=> 0.7916666666666666
 * prAuc([0, 0, 1, 1], [0.1, 0.4, 0.35, 0.8], { sampleWeight: [1, 3, 1, 1] }); //=> 0.6625
 * ```
 * @category Metrics
 */
export function prAuc(yTrue: MetricInput, yScore: MetricInput, options?: SampleWeightOptions): number {
  const o = resolveOptions('prAuc', options, WEIGHT_DEFAULTS, WEIGHT_RULES);
  const c = prPoints(yTrue, yScore, 'prAuc', o.sampleWeight);
  return trapezoid(c.recall, c.precision);
}
