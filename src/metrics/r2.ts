import { resolveOptions } from '../core/options';
import { sampleWeights, weightAt, weightSum } from './_internal/metricWeights';
import { WEIGHT_DEFAULTS, WEIGHT_RULES, pair, squaredErrorSum } from './_internal/metricInputs';
import type { MetricInput, SampleWeightOptions } from './types';

/**
 * Coefficient of determination (sklearn `r2_score`): `1 − SS_res / SS_tot`. When `yTrue` is
 * constant (`SS_tot = 0`) it is 1 for a perfect prediction and 0 otherwise, like sklearn's
 * `force_finite=True`. Can be negative for predictions worse than the mean. With `sampleWeight`,
 * `SS_res = Σ w·(yTrue − yPred)²` and `SS_tot = Σ w·(yTrue − ȳ_w)²` around the weighted mean `ȳ_w`.
 *
 * @param yTrue - Observed values (at least 2).
 * @param yPred - Predictions.
 * @param options - {@link SampleWeightOptions}.
 * @returns R² (<= 1).
 * @throws {ShapeError} when the lengths of `yTrue`, `yPred` or `sampleWeight` differ.
 * @throws {DataError} on fewer than 2 values, NaN/Infinity, or negative or all-zero weights.
 * @throws {InvalidOptionError} on an invalid option.
 * @example
 * ```ts
 * import { r2 } from 'finml';
 * r2([3, -0.5, 2, 7], [2.5, 0, 2, 8]); //=> 0.9486081370449679
 * r2([1, 2, 3], [1, 2, 4], { sampleWeight: [1, 0, 1] }); //=> 0.5
 * ```
 * @category Metrics
 */
export function r2(yTrue: MetricInput, yPred: MetricInput, options?: SampleWeightOptions): number {
  const o = resolveOptions('r2', options, WEIGHT_DEFAULTS, WEIGHT_RULES);
  const [t, p] = pair(yTrue, yPred, 'r2', ['yTrue', 'yPred'], 2);
  const w = sampleWeights(o.sampleWeight, t.length, 'r2');
  let mean = 0;
  for (let i = 0; i < t.length; i++) mean += weightAt(w, i) * (t[i] as number);
  mean /= weightSum(w, t.length);
  let ssTot = 0;
  for (let i = 0; i < t.length; i++) ssTot += weightAt(w, i) * ((t[i] as number) - mean) ** 2;
  const ssRes = squaredErrorSum(t, p, w);
  if (ssTot === 0) return ssRes === 0 ? 1 : 0;
  return 1 - ssRes / ssTot;
}
