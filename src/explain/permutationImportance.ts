/**
 * Model-agnostic permutation feature importance (Breiman 2001; scikit-learn's
 * `permutation_importance`) for any {@link Predictor} and any metric.
 *
 * @module
 */
import { DataError, InvalidOptionError, ShapeError, describeValue } from '../core/errors';
import { toDense, toVector, type MatrixLike, type VectorLike } from '../core/matrix';
import { resolveOptions, rules, type RuleTable } from '../core/options';
import type { Predictor } from '../core/predictor';
import { createRng } from '../core/random';
import { streamPredict } from './_internal/explainBatch';
import { isGroupList, resolvePlayers } from './_internal/explainPlayers';
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

const PERMUTATION_IMPORTANCE_DEFAULTS = {
  metric: null,
  greaterIsBetter: true,
  nRepeats: 5,
  seed: 0,
  groups: null,
  featureNames: null,
  maxBatchRows: 65536,
} as const satisfies Required<PermutationImportanceOptions>;

const RULES: RuleTable<Required<PermutationImportanceOptions>> = {
  metric: rules.func(),
  greaterIsBetter: rules.boolean(),
  nRepeats: rules.int({ min: 1 }),
  seed: rules.int(),
  groups: rules.nullable(rules.custom('an array of { name, columns } groups with non-empty integer column lists', isGroupList)),
  featureNames: rules.nullable(rules.stringArray()),
  maxBatchRows: rules.int({ min: 1 }),
};

/** What {@link permutationImportance} returns; one entry per feature (group or ungrouped column). @category Explain */
export interface PermutationImportanceResult {
  /** Feature names, in order of their first column. */
  readonly names: readonly string[];
  /** Columns of each feature. */
  readonly columns: readonly (readonly number[])[];
  /** Mean importance over repeats (baseline − permuted for greater-is-better metrics). */
  readonly importancesMean: readonly number[];
  /** Population standard deviation of the importance over repeats (as scikit-learn). */
  readonly importancesStd: readonly number[];
  /** Raw importances: `importances[feature][repeat]`. */
  readonly importances: readonly (readonly number[])[];
  /** The metric on the unpermuted data. */
  readonly baselineScore: number;
  /** Number of predictor calls made. */
  readonly predictorCalls: number;
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
  const o = resolveOptions(fn, options, PERMUTATION_IMPORTANCE_DEFAULTS, RULES);
  const metric = o.metric as ImportanceMetric;
  const xm = toDense(x, 'x', fn);
  const yv = toVector(y, 'y', fn);
  if (yv.length !== xm.rows) throw new ShapeError({ fn, arg: 'y', expected: `${xm.rows} values (one per row of x)`, got: `${yv.length} values` });
  const players = resolvePlayers(xm.cols, o.groups, o.featureNames, fn);
  const nP = players.columns.length;
  const { rows: n, cols, data } = xm;
  const R = o.nRepeats;
  const rng = createRng(o.seed);
  // perms[p * R + r] is the row permutation of copy (p, r).
  const perms: Int32Array[] = [];
  for (let p = 0; p < nP; p++) for (let r = 0; r < R; r++) perms.push(rng.permutation(n));
  const nCopies = 1 + nP * R;
  const preds = new Float64Array(n * nCopies);
  const src = {
    total: n * nCopies,
    cols,
    fill(start: number, count: number, out: Float64Array): void {
      for (let t = 0; t < count; t++) {
        const g = start + t;
        const copy = Math.floor(g / n);
        const i = g - copy * n;
        out.set(data.subarray(i * cols, (i + 1) * cols), t * cols);
        if (copy > 0) {
          const p = Math.floor((copy - 1) / R);
          const perm = perms[copy - 1] as Int32Array;
          const from = perm[i] as number;
          for (const c of players.columns[p] as readonly number[]) out[t * cols + c] = data[from * cols + c] as number;
        }
      }
    },
  };
  const calls = await streamPredict(predictor, src, o.maxBatchRows, fn, (start, p) => {
    for (let k = 0; k < p.length; k++) preds[start + k] = p[k] as number;
  });
  const score = (copy: number): number => {
    const s = metric(yv, preds.subarray(copy * n, (copy + 1) * n));
    if (typeof s !== 'number' || !Number.isFinite(s)) {
      throw new DataError({ fn, arg: 'metric', expected: 'a finite score (check that y and the predictions suit the metric)', got: `${describeValue(s)} for ${copy === 0 ? 'the baseline' : `permuted copy ${copy}`}` });
    }
    return s;
  };
  const baselineScore = score(0);
  const sign = o.greaterIsBetter ? 1 : -1;
  const importances: number[][] = [];
  const importancesMean: number[] = [];
  const importancesStd: number[] = [];
  for (let p = 0; p < nP; p++) {
    const imp: number[] = [];
    for (let r = 0; r < R; r++) imp.push(sign * (baselineScore - score(1 + p * R + r)) + 0); // + 0 turns -0 into 0
    const mean = imp.reduce((a, b) => a + b, 0) / R;
    const variance = imp.reduce((a, b) => a + (b - mean) ** 2, 0) / R;
    importances.push(imp);
    importancesMean.push(mean);
    importancesStd.push(Math.sqrt(variance));
  }
  return Object.freeze({
    names: players.names,
    columns: players.columns,
    importancesMean,
    importancesStd,
    importances,
    baselineScore,
    predictorCalls: calls,
  });
}
