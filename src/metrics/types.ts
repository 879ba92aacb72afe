/**
 * Input and option types shared by the metric functions.
 *
 * @module
 */
import type { MetricVectorLike } from '../_lib/metricInputs';

/**
 * A 1-D numeric metric input: a number array, a typed array, a `tf.Tensor1D` or an `[n, 1]`
 * `tf.Tensor2D`. Tensors are read, never disposed or mutated.
 * @category Metrics
 */
export type MetricInput = MetricVectorLike;

/**
 * Options of the thresholded classification metrics (accuracy, precision, recall, f1,
 * matthewsCorrcoef, confusionMatrix).
 * @category Metrics
 */
export interface ThresholdOptions {
  /**
   * Scores are turned into predicted labels with `score >= threshold` (positive class 1).
   * `null` means `yPred` already holds labels (0/1, or any class labels for accuracy and
   * confusionMatrix) and is used as is.
   * @defaultValue 0.5
   */
  readonly threshold?: number | null;
}


/**
 * Options of precision, recall and f1.
 * @category Metrics
 */
export interface PrecisionRecallOptions extends ThresholdOptions {
  /**
   * Value returned when the metric's denominator is zero (sklearn's `zero_division`): 0, 1 or NaN.
   * For precision: no predicted positive; recall: no true positive label; f1: neither
   * (`2TP + FP + FN = 0`).
   * @defaultValue 0
   */
  readonly zeroDivision?: number;
}
