import { WEIGHT_DEFAULTS, WEIGHT_RULES, checkBinary, checkProbabilities, pair } from './_internal/metricInputs';
import { sampleWeights, weightAt, weightSum } from './_internal/metricWeights';
import { resolveOptions } from '../core/options';
import type { MetricInput, SampleWeightOptions } from './types';

/**
 * Brier score (sklearn `brier_score_loss`): mean squared difference between the predicted
 * probability of class 1 and the 0/1 outcome (weighted mean with `sampleWeight`). Lower is better.
 *
 * @param yTrue - True binary labels 0/1.
 * @param yProb - Predicted probabilities of class 1, in [0, 1].
 * @param options - {@link SampleWeightOptions}.
 * @returns The Brier score in [0, 1].
 * @throws {ShapeError} when the lengths of `yTrue`, `yProb` or `sampleWeight` differ.
 * @throws {DataError} on empty input, NaN/Infinity, labels other than 0/1, probabilities outside
 *   [0, 1], or negative or all-zero weights.
 * @throws {InvalidOptionError} on an invalid option.
 * @example
 * ```ts
 * import { brierScore } from 'finml';
 * brierScore([1, 0], [0.8, 0.4]); //=> 0.1  (= (0.04 + 0.16) / 2)
 * brierScore([1, 0], [0.8, 0.4], { sampleWeight: [3, 1] }); //=> 0.07  (= (3 · 0.04 + 0.16) / 4)
 * ```
 * @category Metrics
 */
export function brierScore(yTrue: MetricInput, yProb: MetricInput, options?: SampleWeightOptions): number {
  const fn = 'brierScore';
  const o = resolveOptions(fn, options, WEIGHT_DEFAULTS, WEIGHT_RULES);
  const [t, p] = pair(yTrue, yProb, fn, ['yTrue', 'yProb']);
  checkBinary(t, 'yTrue', fn);
  checkProbabilities(p, 'yProb', fn);
  const w = sampleWeights(o.sampleWeight, t.length, fn);
  let s = 0;
  for (let i = 0; i < t.length; i++) {
    const d = (p[i] as number) - (t[i] as number);
    s += weightAt(w, i) * (d * d);
  }
  return s / weightSum(w, t.length);
}
