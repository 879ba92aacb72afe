import { resolveOptions } from '../core/options';
import { sampleWeights, weightSum } from './_internal/metricWeights';
import { WEIGHT_DEFAULTS, WEIGHT_RULES, pair, squaredErrorSum } from './_internal/metricInputs';
import type { MetricInput, SampleWeightOptions } from './types';

/**
 * Mean squared error (sklearn `mean_squared_error`): `mean((yTrue − yPred)²)`, the weighted mean
 * `Σ w·(yTrue − yPred)² / Σ w` with `sampleWeight`.
 *
 * @param yTrue - Observed values.
 * @param yPred - Predictions.
 * @param options - {@link SampleWeightOptions}.
 * @returns The MSE (>= 0).
 * @throws {ShapeError} when the lengths of `yTrue`, `yPred` or `sampleWeight` differ.
 * @throws {DataError} on empty input, NaN/Infinity, or negative or all-zero weights.
 * @throws {InvalidOptionError} on an invalid option.
 * @example
 * ```ts
 * import { mse } from 'finml';
 * mse([3, -0.5, 2, 7], [2.5, 0, 2, 8]); //=> 0.375
 * mse([3, -0.5, 2, 7], [2.5, 0, 2, 8], { sampleWeight: [1, 1, 1, 5] }); //=> 0.6875
 * ```
 * @category Metrics
 */
export function mse(yTrue: MetricInput, yPred: MetricInput, options?: SampleWeightOptions): number {
  const o = resolveOptions('mse', options, WEIGHT_DEFAULTS, WEIGHT_RULES);
  const [t, p] = pair(yTrue, yPred, 'mse');
  const w = sampleWeights(o.sampleWeight, t.length, 'mse');
  return squaredErrorSum(t, p, w) / weightSum(w, t.length);
}
