import { resolveOptions } from '../core/options';
import { sampleWeights, weightSum } from './_internal/metricWeights';
import { WEIGHT_DEFAULTS, WEIGHT_RULES, pair, squaredErrorSum } from './_internal/metricInputs';
import type { MetricInput, SampleWeightOptions } from './types';

/**
 * Root mean squared error: `sqrt(mse)`, in the units of the target (weighted with `sampleWeight`,
 * like sklearn's `root_mean_squared_error`).
 *
 * @param yTrue - Observed values.
 * @param yPred - Predictions.
 * @param options - {@link SampleWeightOptions}.
 * @returns The RMSE (>= 0).
 * @throws {ShapeError} when the lengths of `yTrue`, `yPred` or `sampleWeight` differ.
 * @throws {DataError} on empty input, NaN/Infinity, or negative or all-zero weights.
 * @throws {InvalidOptionError} on an invalid option.
 * @example
 * ```ts
 * import { rmse } from 'finml';
 * rmse([0, 0], [3, 4]); //=> 3.5355339059327378  (= sqrt(12.5))
 * rmse([0, 0], [3, 4], { sampleWeight: [2, 0] }); //=> 3
 * ```
 * @category Metrics
 */
export function rmse(yTrue: MetricInput, yPred: MetricInput, options?: SampleWeightOptions): number {
  const o = resolveOptions('rmse', options, WEIGHT_DEFAULTS, WEIGHT_RULES);
  const [t, p] = pair(yTrue, yPred, 'rmse');
  const w = sampleWeights(o.sampleWeight, t.length, 'rmse');
  return Math.sqrt(squaredErrorSum(t, p, w) / weightSum(w, t.length));
}
