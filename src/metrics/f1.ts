import { resolveOptions } from '../core/options';
import { PRF_DEFAULTS, PRF_RULES, binaryCounts, binaryLabelsAndPredictions } from '../_lib/metricInputs';
import type { MetricInput, PrecisionRecallOptions } from './types';

/**
 * F1 score 2TP / (2TP + FP + FN), the harmonic mean of precision and recall (sklearn `f1_score`, positive class 1).
 *
 * `yTrue` holds binary labels 0/1; `yPred` holds scores, predicted positive when
 * `yPred >= threshold`, or 0/1 labels with `threshold: null`.
 *
 * @param yTrue - True binary labels.
 * @param yPred - Scores or predicted labels.
 * @param options - {@link PrecisionRecallOptions} (`threshold`, `zeroDivision`).
 * @returns The f1 in [0, 1], or `zeroDivision` when undefined.
 * @throws {ShapeError} when the lengths differ.
 * @throws {DataError} on empty input, NaN/Infinity or labels other than 0/1.
 * @throws {InvalidOptionError} on an invalid option.
 * @example
 * ```ts
 * import { f1 } from 'finml';
 * f1([0, 1, 1, 0], [0.6, 0.7, 0.4, 0.1]); //=> 0.5
 * ```
 * @category Metrics
 */
export function f1(yTrue: MetricInput, yPred: MetricInput, options?: PrecisionRecallOptions): number {
  const o = resolveOptions('f1', options, PRF_DEFAULTS, PRF_RULES);
  const [t, p] = binaryLabelsAndPredictions(yTrue, yPred, 'f1', o.threshold);
  const { tp, fp, fn } = binaryCounts(t, p);
  const den = 2 * tp + fp + fn;
  return den === 0 ? o.zeroDivision : 2 * tp / den;
}
