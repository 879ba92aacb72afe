import { resolveOptions } from '../core/options';
import { THRESHOLD_DEFAULTS, THRESHOLD_RULES, binaryCounts, binaryLabelsAndPredictions } from './_internal/metricInputs';
import { sampleWeights } from './_internal/metricWeights';
import type { MetricInput, ThresholdOptions } from './types';

/**
 * Matthews correlation coefficient of binary predictions (sklearn `matthews_corrcoef`):
 * `(TP·TN − FP·FN) / sqrt((TP+FP)(TP+FN)(TN+FP)(TN+FN))`, and 0 when the denominator is 0
 * (as sklearn does). With `sampleWeight`, TP/FP/FN/TN are weight sums.
 *
 * @param yTrue - True binary labels 0/1.
 * @param yPred - Scores (predicted positive when `>= threshold`) or 0/1 labels with `threshold: null`.
 * @param options - {@link ThresholdOptions} (`threshold`, `sampleWeight`).
 * @returns The coefficient in [-1, 1].
 * @throws {ShapeError} when the lengths of `yTrue`, `yPred` or `sampleWeight` differ.
 * @throws {DataError} on empty input, NaN/Infinity, labels other than 0/1, or negative or
 *   all-zero weights.
 * @throws {InvalidOptionError} on an invalid option.
 * @example
 * ```ts
 * import { matthewsCorrcoef } from 'finml';
 * matthewsCorrcoef([0, 1, 1, 0], [0.1, 0.9, 0.8, 0.3]); //=> 1
 * matthewsCorrcoef([0, 1, 1, 0], [0.6, 0.9, 0.8, 0.3], { sampleWeight: [1, 1, 1, 3] }); //=> 0.7071067811865476 (= 6 / sqrt(72))
 * ```
 * @category Metrics
 */
export function matthewsCorrcoef(yTrue: MetricInput, yPred: MetricInput, options?: ThresholdOptions): number {
  const fn = 'matthewsCorrcoef';
  const o = resolveOptions(fn, options, THRESHOLD_DEFAULTS, THRESHOLD_RULES);
  const [t, p] = binaryLabelsAndPredictions(yTrue, yPred, fn, o.threshold);
  const c = binaryCounts(t, p, sampleWeights(o.sampleWeight, t.length, fn));
  const den = Math.sqrt((c.tp + c.fp) * (c.tp + c.fn) * (c.tn + c.fp) * (c.tn + c.fn));
  return den === 0 ? 0 : (c.tp * c.tn - c.fp * c.fn) / den;
}
