import { resolveOptions } from '../core/options';
import { sampleWeights, weightAt, weightSum } from './_internal/metricWeights';
import { WEIGHT_DEFAULTS, WEIGHT_RULES, pair } from './_internal/metricInputs';
import type { MetricInput, SampleWeightOptions } from './types';

/**
 * Mean absolute error (sklearn `mean_absolute_error`): `mean(|yTrue − yPred|)`, the weighted mean
 * with `sampleWeight`.
 *
 * @param yTrue - Observed values.
 * @param yPred - Predictions.
 * @param options - {@link SampleWeightOptions}.
 * @returns The MAE (>= 0).
 * @throws {ShapeError} when the lengths of `yTrue`, `yPred` or `sampleWeight` differ.
 * @throws {DataError} on empty input, NaN/Infinity, or negative or all-zero weights.
 * @throws {InvalidOptionError} on an invalid option.
 * @example
 * ```ts
 * import { mae } from 'finml';
 * mae([3, -0.5, 2, 7], [2.5, 0, 2, 8]); //=> 0.5
 * mae([3, -0.5, 2, 7], [2.5, 0, 2, 8], { sampleWeight: [1, 1, 1, 5] }); //=> 0.75
 * ```
 * @category Metrics
 */
export function mae(yTrue: MetricInput, yPred: MetricInput, options?: SampleWeightOptions): number {
  const o = resolveOptions('mae', options, WEIGHT_DEFAULTS, WEIGHT_RULES);
  const [t, p] = pair(yTrue, yPred, 'mae');
  const w = sampleWeights(o.sampleWeight, t.length, 'mae');
  let s = 0;
  for (let i = 0; i < t.length; i++) s += weightAt(w, i) * Math.abs((t[i] as number) - (p[i] as number));
  return s / weightSum(w, t.length);
}
