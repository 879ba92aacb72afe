import { resolveOptions } from '../core/options';
import { PRF_DEFAULTS, PRF_RULES, binaryCounts, binaryLabelsAndPredictions } from '../_lib/metricInputs';
import type { MetricInput, PrecisionRecallOptions } from './types';

/**
 * Precision TP / (TP + FP) (sklearn `precision_score`, positive class 1).
 *
 * `yTrue` holds binary labels 0/1; `yPred` holds scores, predicted positive when
 * `yPred >= threshold`, or 0/1 labels with `threshold: null`.
 *
 * @param yTrue - True binary labels.
 * @param yPred - Scores or predicted labels.
 * @param options - {@link PrecisionRecallOptions} (`threshold`, `zeroDivision`).
 * @returns The precision in [0, 1], or `zeroDivision` when undefined.
 * @throws {ShapeError} when the lengths differ.
 * @throws {DataError} on empty input, NaN/Infinity or labels other than 0/1.
 * @throws {InvalidOptionError} on an invalid option.
 * @example
 * ```ts
 * import { precision } from 'finml';
 * precision([0, 1, 1, 0], [0.6, 0.7, 0.4, 0.1]); //=> 0.5
 * ```
 * @category Metrics
 */
export function precision(yTrue: MetricInput, yPred: MetricInput, options?: PrecisionRecallOptions): number {
  const o = resolveOptions('precision', options, PRF_DEFAULTS, PRF_RULES);
  const [t, p] = binaryLabelsAndPredictions(yTrue, yPred, 'precision', o.threshold);
  const { tp, fp } = binaryCounts(t, p);
  const den = tp + fp;
  return den === 0 ? o.zeroDivision : tp / den;
}
