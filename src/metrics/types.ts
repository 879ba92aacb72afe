/**
 * Input and option types shared by the metric functions.
 *
 * @module
 */
import type * as tf from '@tensorflow/tfjs-core';
import type { VectorLike } from '../core/matrix';

/**
 * A 1-D numeric metric input: a number array, a typed array, a `tf.Tensor1D` or an `[n, 1]`
 * `tf.Tensor2D`. Tensors are read, never disposed or mutated.
 * @category Metrics
 */
export type MetricInput = VectorLike | tf.Tensor2D;

/**
 * The `sampleWeight` option shared by the classification, probability and regression metrics
 * (sklearn's `sample_weight`).
 * @category Metrics
 */
export interface SampleWeightOptions {
  /**
   * One weight per sample (same length as `yTrue`): finite, non-negative and not all zero. Counts
   * become weight sums and means become weighted means, so an integer weight `k` acts like
   * repeating the sample `k` times (a weight of 0 removes it; threshold curves drop it, like
   * sklearn). `null` means unit weights. A tensor is read, never disposed.
   * @defaultValue null
   */
  readonly sampleWeight?: MetricInput | null;
}

/**
 * Options of the thresholded classification metrics (accuracy, precision, recall, f1,
 * matthewsCorrcoef).
 * @category Metrics
 */
export interface ThresholdOptions extends SampleWeightOptions {
  /**
   * Scores are turned into predicted labels with `score >= threshold` (positive class 1).
   * `null` means `yPred` already holds labels (0/1, or any class labels for accuracy and
   * confusionMatrix) and is used as is.
   * @defaultValue 0.5
   */
  readonly threshold?: number | null;
}

/**
 * How {@link precision}, {@link recall} and {@link f1} combine classes (sklearn's `average`):
 * - `'binary'`: the score of class 1 of 0/1 labels;
 * - `'micro'`: one score from the true-positive, predicted and true counts summed over `labels`;
 * - `'macro'`: the unweighted mean of the per-class scores;
 * - `'weighted'`: the mean of the per-class scores weighted by their (weighted) support, the
 *   number of true samples of the class.
 *
 * `average: null` (see {@link PerClassPrecisionRecallOptions}) returns the per-class scores.
 * @category Metrics
 */
export type PrecisionRecallAverage = 'binary' | 'micro' | 'macro' | 'weighted';

/**
 * Options of precision, recall and f1 returning one number.
 * @category Metrics
 */
export interface PrecisionRecallOptions extends ThresholdOptions {
  /**
   * Value returned when the metric's denominator is zero (sklearn's `zero_division`): 0, 1 or NaN.
   * For precision: no predicted positive; recall: no true positive label; f1: neither
   * (`2TP + FP + FN = 0`). In `'macro'`/`'weighted'` averages, classes whose score is NaN are
   * left out (sklearn).
   * @defaultValue 0
   */
  readonly zeroDivision?: number;
  /**
   * See {@link PrecisionRecallAverage}. With any value but `'binary'`, `yPred` holds class labels
   * (any numbers) unless a numeric `threshold` is given explicitly (then `yTrue` must be 0/1 and
   * the classes are 0 and 1).
   * @defaultValue 'binary'
   */
  readonly average?: PrecisionRecallAverage;
  /**
   * The classes to score (and their order for per-class results) when `average` is not
   * `'binary'`. Classes absent from the data score `zeroDivision`; classes present but not
   * listed are left out of the average (their samples still count as false positives/negatives
   * of the listed classes). `null`: the sorted union of the labels in `yTrue` and `yPred`.
   * Must be null with `average: 'binary'`.
   * @defaultValue null
   */
  readonly labels?: readonly number[] | null;
}

/**
 * Options of precision, recall and f1 returning one score per class (sklearn's `average=None`).
 * @category Metrics
 */
export interface PerClassPrecisionRecallOptions extends Omit<PrecisionRecallOptions, 'average'> {
  /** `null`: one score per class of `labels`, in that order. */
  readonly average: null;
}

/**
 * A ROC curve: `fpr[k]`, `tpr[k]` are the false- and true-positive rates of predicting positive
 * when `score >= thresholds[k]`. Thresholds decrease; the first point is (0, 0) with threshold
 * `Infinity` (sklearn >= 1.3), the last is (1, 1).
 * @category Metrics
 */
export interface RocCurve {
  readonly fpr: number[];
  readonly tpr: number[];
  readonly thresholds: number[];
}

/**
 * A precision–recall curve in sklearn's order: `thresholds` increase; `precision[k]` and
 * `recall[k]` belong to `score >= thresholds[k]`; a final point (recall 0, precision 1) without
 * threshold ends the arrays, so they are one longer than `thresholds`.
 * @category Metrics
 */
export interface PrecisionRecallCurve {
  readonly precision: number[];
  readonly recall: number[];
  readonly thresholds: number[];
}

/**
 * A position-driven return series (all arrays of the input length).
 * @category Metrics
 */
export interface StrategyResult {
  /** Net return per period: `position_t · realized_t − cost_t`. */
  readonly returns: number[];
  /** Position per period: 1 long, −1 short, 0 flat. */
  readonly positions: number[];
  /** Transaction cost per period (a fraction, subtracted from the return). */
  readonly costs: number[];
  /** Sum of `|position_t − position_{t−1}|` (number of units traded). */
  readonly turnover: number;
}
