import { pair, squaredErrorSum } from '../_lib/metricInputs';
import type { MetricInput } from './types';

/**
 * Root mean squared error: `sqrt(mse)`, in the units of the target.
 *
 * @param yTrue - Observed values.
 * @param yPred - Predictions.
 * @returns The RMSE (>= 0).
 * @throws {ShapeError} when the lengths differ.
 * @throws {DataError} on empty input or NaN/Infinity.
 * @example
 * ```ts
 * import { rmse } from 'finml';
 * rmse([0, 0], [3, 4]); //=> 3.5355339059327378  (= sqrt(12.5))
 * ```
 * @category Metrics
 */
export function rmse(yTrue: MetricInput, yPred: MetricInput): number {
  const [t, p] = pair(yTrue, yPred, 'rmse');
  return Math.sqrt(squaredErrorSum(t, p) / t.length);
}
