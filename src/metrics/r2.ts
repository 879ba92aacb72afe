import { pair, squaredErrorSum } from '../_lib/metricInputs';
import type { MetricInput } from './types';

/**
 * Coefficient of determination (sklearn `r2_score`): `1 − SS_res / SS_tot`. When `yTrue` is
 * constant (`SS_tot = 0`) it is 1 for a perfect prediction and 0 otherwise, like sklearn's
 * `force_finite=True`. Can be negative for predictions worse than the mean.
 *
 * @param yTrue - Observed values (at least 2).
 * @param yPred - Predictions.
 * @returns R² (<= 1).
 * @throws {ShapeError} when the lengths differ.
 * @throws {DataError} on fewer than 2 values or NaN/Infinity.
 * @example
 * ```ts
 * import { r2 } from 'finml';
 * r2([3, -0.5, 2, 7], [2.5, 0, 2, 8]); //=> 0.9486081370449679
 * ```
 * @category Metrics
 */
export function r2(yTrue: MetricInput, yPred: MetricInput): number {
  const [t, p] = pair(yTrue, yPred, 'r2', ['yTrue', 'yPred'], 2);
  let mean = 0;
  for (let i = 0; i < t.length; i++) mean += t[i] as number;
  mean /= t.length;
  let ssTot = 0;
  for (let i = 0; i < t.length; i++) ssTot += ((t[i] as number) - mean) ** 2;
  const ssRes = squaredErrorSum(t, p);
  if (ssTot === 0) return ssRes === 0 ? 1 : 0;
  return 1 - ssRes / ssTot;
}
