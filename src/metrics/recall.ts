import { resolveOptions } from '../core/options';
import { PRF_DEFAULTS, PRF_RULES, binaryCounts, binaryLabelsAndPredictions } from '../_lib/metricInputs';
import type { MetricInput, PrecisionRecallOptions } from './types';

/**
 * Recall (sensitivity, true-positive rate) TP / (TP + FN) (sklearn `recall_score`, positive class 1).
 *
 * `yTrue` holds binary labels 0/1; `yPred` holds scores, predicted positive when
 * `yPred >= threshold`, or 0/1 labels with `threshold: null`.
 *
 * @param yTrue - True binary labels.
 * @param yPred - Scores or predicted labels.
 * @param options - {@link PrecisionRecallOptions} (`threshold`, `zeroDivision`).
 * @returns The recall in [0, 1], or `zeroDivision` when undefined.
 * @throws {ShapeError} when the lengths differ.
 * @throws {DataError} on empty input, NaN/Infinity or labels other than 0/1.
 * @throws {InvalidOptionError} on an invalid option.
 * @example
 * ```ts
 * import { recall } from 'finml';
 * recall([0, 1, 1, 0], [0.6, 0.7, 0.4, 0.1]); //=> 0.5
 * ```
 * @category Metrics
 */
export function recall(yTrue: MetricInput, yPred: MetricInput, options?: PrecisionRecallOptions): number {
  const o = resolveOptions('recall', options, PRF_DEFAULTS, PRF_RULES);
  const [t, p] = binaryLabelsAndPredictions(yTrue, yPred, 'recall', o.threshold);
  const { tp, fn } = binaryCounts(t, p);
  const den = tp + fn;
  return den === 0 ? o.zeroDivision : tp / den;
}
