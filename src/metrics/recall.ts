import { prfScore } from './_internal/metricPrf';
import type { MetricInput, PerClassPrecisionRecallOptions, PrecisionRecallOptions } from './types';

/**
 * Recall (sensitivity, true-positive rate) TP / (TP + FN) (sklearn `recall_score`).
 *
 * Binary (default `average: 'binary'`): `yTrue` holds labels 0/1 and the score is that of class 1;
 * `yPred` holds scores, predicted positive when `yPred >= threshold`, or 0/1 labels with
 * `threshold: null`. Multiclass (`average` `'micro'`, `'macro'`, `'weighted'` or `null`): `yTrue`
 * and `yPred` hold class labels and the score is computed one-vs-rest per class of `labels`, then
 * combined like sklearn's `precision_recall_fscore_support`. With `sampleWeight`, counts are
 * weight sums.
 *
 * @param yTrue - True labels (0/1 when binary).
 * @param yPred - Scores or predicted labels.
 * @param options - {@link PrecisionRecallOptions} (`threshold`, `zeroDivision`, `average`,
 *   `labels`, `sampleWeight`), or {@link PerClassPrecisionRecallOptions} (`average: null`).
 * @returns The recall in [0, 1], or `zeroDivision` when undefined; with `average: null`, a new array with one score per class of `labels`.
 * @throws {ShapeError} when the lengths of `yTrue`, `yPred` or `sampleWeight` differ.
 * @throws {DataError} on empty input, NaN/Infinity, labels other than 0/1 (binary), or negative
 *   or all-zero weights.
 * @throws {InvalidOptionError} on an invalid option, duplicated `labels`, or `labels` with
 *   `average: 'binary'`.
 * @example
 * ```ts
 * import { recall } from 'finml';
 * recall([0, 1, 1, 0], [0.6, 0.7, 0.4, 0.1]); //=> 0.5
 * recall([0, 1, 1, 0], [0.6, 0.7, 0.4, 0.1], { sampleWeight: [1, 3, 1, 1] }); //=> 0.75
 * recall([0, 1, 2, 0, 1, 2], [0, 2, 1, 0, 0, 1], { average: 'macro' }); //=> 0.3333333333333333
 * recall([0, 1, 2, 0, 1, 2], [0, 2, 1, 0, 0, 1], { average: null }); //=> [1, 0, 0]
 * ```
 * @category Metrics
 */
export function recall(yTrue: MetricInput, yPred: MetricInput, options: PerClassPrecisionRecallOptions): number[];
export function recall(yTrue: MetricInput, yPred: MetricInput, options?: PrecisionRecallOptions): number;
export function recall(
  yTrue: MetricInput,
  yPred: MetricInput,
  options?: PrecisionRecallOptions | PerClassPrecisionRecallOptions,
): number | number[] {
  return prfScore('recall', yTrue, yPred, options);
}
