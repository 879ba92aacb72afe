/**
 * Model-agnostic permutation feature importance (Breiman 2001; scikit-learn's
 * `permutation_importance`) for any {@link Predictor} and any metric.
 *
 * @module
 */
import { InvalidOptionError, describeValue } from '../core/errors';
import type { MatrixLike, VectorLike } from '../core/matrix';
import type { Predictor } from '../core/predictor';
import { streamPredict } from './_internal/explainBatch';
import { readPermutationInputs, runPermutation, type PermutationImportanceResult } from './_internal/permutationCore';

export type { PermutationImportanceResult } from './_internal/permutationCore';
import type { FeatureGroup } from './groupByPrefix';

/** A metric `(yTrue, yPred) => number`, e.g. AUC or log-loss. @category Explain */
export type ImportanceMetric = (yTrue: Float64Array, yPred: Float64Array) => number;

/** Options of {@link permutationImportance}. @category Explain */
export interface PermutationImportanceOptions {
  /** The score to compare. Required. */
  readonly metric?: ImportanceMetric | null;
  /**
   * Whether larger metric values are better (AUC, accuracy: true; log-loss, MSE: false). The
   * importance is always oriented so that a bigger value means a more important feature.
   * @defaultValue true
   */
  readonly greaterIsBetter?: boolean;
  /** Permutations per feature. @defaultValue 5 */
  readonly nRepeats?: number;
  /** Seed of the permutations. @defaultValue 0 */
  readonly seed?: number;
  /** Columns permuted jointly as one feature (e.g. one-hot columns of a variable). @defaultValue null */
  readonly groups?: readonly FeatureGroup[] | null;
  /** Names of the columns (ungrouped columns are reported under these names). @defaultValue null */
  readonly featureNames?: readonly string[] | null;
  /**
   * Maximum rows per predictor call: the baseline and all permuted copies are streamed through the
   * predictor in chunks of this many rows.
   * @defaultValue 65536
   */
  readonly maxBatchRows?: number;
}

/**
 * Permutation importance: how much the metric degrades when one feature (or one group of columns,
 * permuted jointly with the same row permutation) is shuffled, breaking its link with the target.
 * The baseline and every permuted copy are streamed through `predictor` in chunks of at most
 * `maxBatchRows` rows, so a model is called `ceil(n·(1 + features·nRepeats) / maxBatchRows)` times.
 *
 * @param predictor - Scores a batch of rows (see {@link layersModelPredictor}).
 * @param x - Evaluation features (nested arrays or a `tf.Tensor2D`, not disposed); use held-out data.
 * @param y - Targets, one per row.
 * @param options - `metric` is required; see {@link PermutationImportanceOptions}.
 * @returns per-feature mean, std and raw importances; bigger = more important.
 * @throws {InvalidOptionError} for invalid options (including a missing metric) or overlapping groups.
 * @throws {ShapeError} when `y` or `featureNames` does not match `x`, or the predictor returns the wrong count.
 * @throws {DataError} for empty/non-finite inputs, or when the metric or predictor returns non-finite values.
 * @example
 * ```ts
 * import { permutationImportance, predictorFromFunction } from 'finml';
 * const f = predictorFromFunction((r) => 3 * r[0]!);
 * const mse = (t: Float64Array, p: Float64Array) => t.reduce((s, v, i) => s + (v - p[i]!) ** 2, 0) / t.length;
 * const x = [[1, 5], [2, 1], [3, 4], [4, 2]];
 * const res = await permutationImportance(f, x, [3, 6, 9, 12], { metric: mse, greaterIsBetter: false, seed: 1 });
 * res.importancesMean[1]; //=> 0 (column 1 is not used)
 * ```
 * @category Explain
 */
export async function permutationImportance(
  predictor: Predictor,
  x: MatrixLike,
  y: VectorLike,
  options: PermutationImportanceOptions & { readonly metric: ImportanceMetric },
): Promise<PermutationImportanceResult> {
  const fn = 'permutationImportance';
  if (typeof predictor !== 'function') throw new InvalidOptionError({ fn, arg: 'predictor', expected: 'a Predictor function', got: describeValue(predictor) });
  // the options, permutations, copies and scores are shared with permutationImportanceWith (src/parallel)
  const inputs = readPermutationInputs(fn, x, y, options);
  return runPermutation(fn, inputs, (src, maxBatchRows, consume) => streamPredict(predictor, src, maxBatchRows, fn, consume));
}
