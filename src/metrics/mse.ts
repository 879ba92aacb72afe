import { pair, squaredErrorSum } from '../_lib/metricInputs';
import type { MetricInput } from './types';

/**
 * Mean squared error (sklearn `mean_squared_error`): `mean((yTrue − yPred)²)`.
 *
 * @param yTrue - Observed values.
 * @param yPred - Predictions.
 * @returns The MSE (>= 0).
 * @throws {ShapeError} when the lengths differ.
 * @throws {DataError} on empty input or NaN/Infinity.
 * @example
 * ```ts
 * import { mse } from 'finml';
 * mse([3, -0.5, 2, 7], [2.5, 0, 2, 8]); //=> 0.375
 * ```
 * @category Metrics
 */
export function mse(yTrue: MetricInput, yPred: MetricInput): number {
  const [t, p] = pair(yTrue, yPred, 'mse');
  return squaredErrorSum(t, p) / t.length;
}
