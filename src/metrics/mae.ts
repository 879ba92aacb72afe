import { pair } from '../_lib/metricInputs';
import type { MetricInput } from './types';

/**
 * Mean absolute error (sklearn `mean_absolute_error`): `mean(|yTrue − yPred|)`.
 *
 * @param yTrue - Observed values.
 * @param yPred - Predictions.
 * @returns The MAE (>= 0).
 * @throws {ShapeError} when the lengths differ.
 * @throws {DataError} on empty input or NaN/Infinity.
 * @example
 * ```ts
 * import { mae } from 'finml';
 * mae([3, -0.5, 2, 7], [2.5, 0, 2, 8]); //=> 0.5
 * ```
 * @category Metrics
 */
export function mae(yTrue: MetricInput, yPred: MetricInput): number {
  const [t, p] = pair(yTrue, yPred, 'mae');
  let s = 0;
  for (let i = 0; i < t.length; i++) s += Math.abs((t[i] as number) - (p[i] as number));
  return s / t.length;
}
