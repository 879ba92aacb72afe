import { checkBinary, checkProbabilities, pair } from '../_lib/metricInputs';
import type { MetricInput } from './types';

/**
 * Brier score (sklearn `brier_score_loss`): mean squared difference between the predicted
 * probability of class 1 and the 0/1 outcome. Lower is better.
 *
 * @param yTrue - True binary labels 0/1.
 * @param yProb - Predicted probabilities of class 1, in [0, 1].
 * @returns The Brier score in [0, 1].
 * @throws {ShapeError} when the lengths differ.
 * @throws {DataError} on empty input, NaN/Infinity, labels other than 0/1 or probabilities outside [0, 1].
 * @example
 * ```ts
 * import { brierScore } from 'finml';
 * brierScore([1, 0], [0.8, 0.4]); //=> 0.1  (= (0.04 + 0.16) / 2)
 * ```
 * @category Metrics
 */
export function brierScore(yTrue: MetricInput, yProb: MetricInput): number {
  const fn = 'brierScore';
  const [t, p] = pair(yTrue, yProb, fn, ['yTrue', 'yProb']);
  checkBinary(t, 'yTrue', fn);
  checkProbabilities(p, 'yProb', fn);
  let s = 0;
  for (let i = 0; i < t.length; i++) {
    const d = (p[i] as number) - (t[i] as number);
    s += d * d;
  }
  return s / t.length;
}
