/**
 * Permutation importance of a fitted model on an executor: the permuted copies of the rows are
 * predicted with {@link predictRowsWith} (shares on the workers, the model cached there), while
 * this thread builds the next chunk of copies.
 *
 * @module
 */
import type * as tf from '@tensorflow/tfjs-core';
import { InvalidOptionError, ShapeError, describeValue } from '../core/errors';
import { checkExecutor, type Executor } from '../core/executor';
import { isTensor, type DenseMatrix, type VectorLike } from '../core/matrix';
import type { RowSource } from '../explain/_internal/explainBatch';
import { readPermutationInputs, runPermutation } from '../explain/_internal/permutationCore';
import type { ImportanceMetric, PermutationImportanceOptions, PermutationImportanceResult } from '../explain/permutationImportance';
import type { FittedLinearRegression } from '../models/linearRegression';
import type { FittedLogisticRegression } from '../models/logisticRegression';
import type { FittedNeuralModel } from '../models/neuralModel';
import type { RiskModel } from '../presets/buildRiskModel';
import { predictRowsWith, type Float32Rows } from './parallelPredict';

/**
 * Options of {@link permutationImportanceWith}: those of `permutationImportance` (`metric` is
 * required) and what to predict.
 *
 * @example
 * ```ts
 * import { type PermutationImportanceWithOptions } from 'finml';
 * const auc = (y: Float64Array, p: Float64Array) => 0.5; // your metric
 * const o: PermutationImportanceWithOptions = { metric: auc, nRepeats: 5, seed: 1, method: 'predictProba' };
 * ```
 * @category Explain
 */
export interface PermutationImportanceWithOptions extends PermutationImportanceOptions {
  /**
   * The prediction the metric scores, one value per row.
   * @defaultValue `'predictProba'` for a classifier (neural, logistic regression) and a risk model (its PD), `'predict'` for a regressor
   */
  readonly method?: 'predict' | 'predictProba';
}

const KINDS: readonly string[] = ['NeuralClassifier', 'NeuralRegressor', 'RiskModel', 'LogisticRegression', 'LinearRegression'];

/** Chunks of copies predicted at once: the next chunk is built here while the workers predict the last. */
const IN_FLIGHT = 2;

/**
 * Permutation importance (as `permutationImportance`) of a fitted model, with the permuted
 * copies predicted on an executor (e.g. `createWorkerPool()` from `finml/node`): each chunk of at
 * most `maxBatchRows` copied rows goes through {@link predictRowsWith} (one share per worker,
 * the model restored once per worker and kept), and this thread builds the next chunk
 * meanwhile. The permutations come from the same seeded sequence and the scores from the same
 * code, and a model's predictions do not depend on how the rows are split, so the result is
 * bit-identical to `permutationImportance(predictor, x, y, options)` in this thread with a
 * predictor that returns the same predictions (`(b) => fitted.predictProba(b)` of a binary neural
 * classifier, `layersModelPredictor(fitted.network())`, a risk model's `predictor()`), and the
 * same seed. `predictorCalls` counts the chunks. A logistic or linear regression is computed in
 * this thread (see {@link predictRowsWith}).
 *
 * @param executor - Where the copies are predicted.
 * @param fitted - A fitted neural classifier or regressor (one output), risk model (encoded rows), logistic or linear regression.
 * @param x - Evaluation rows (nested arrays, a DenseMatrix or a `tf.Tensor2D`, not disposed); held-out data. A risk model takes its encoded rows (`pipeline.transformDense(table)`).
 * @param y - Targets, one per row.
 * @param options - `metric` is required; see {@link PermutationImportanceWithOptions}.
 * @returns per-feature mean, std and raw importances; bigger = more important.
 * @throws {InvalidOptionError} for a bad executor, model, `method`, invalid options (including a missing metric) or overlapping groups.
 * @throws {ShapeError} when `y` or `featureNames` does not match `x`, `x` is not the model's width, or the model gives more than one value per row.
 * @throws {DataError} for empty or non-finite inputs, or a metric that returns non-finite values.
 * @throws {DisposedError} for a disposed model. @throws {WorkerError} when a worker crashed, was terminated or timed out.
 * @example
 * ```ts
 * import { permutationImportanceWith, neuralClassifier, sequentialExecutor, FINML_TASKS } from 'finml';
 * const x = [[0, 1], [1, 0], [1, 1], [0, 0], [0.5, 1], [1, 0.2]];
 * const y = [1, 1, 0, 0, 1, 1];
 * const model = await neuralClassifier({ model: { type: 'fnn', hidden: [4] }, train: { epochs: 2 }, seed: 1 }).fit(x, y);
 * const brier = (t: Float64Array, p: Float64Array) => t.reduce((s, v, i) => s + (v - p[i]!) ** 2, 0) / t.length;
 * const res = await permutationImportanceWith(sequentialExecutor(FINML_TASKS), model, x, y, { metric: brier, greaterIsBetter: false, seed: 1 });
 * res.importancesMean.length; //=> 2
 * model.dispose();
 * ```
 * @category Explain
 */
export async function permutationImportanceWith(
  executor: Executor,
  fitted: FittedNeuralModel | RiskModel | FittedLogisticRegression | FittedLinearRegression,
  x: readonly (readonly number[])[] | DenseMatrix | tf.Tensor2D,
  y: VectorLike,
  options: PermutationImportanceWithOptions & { readonly metric: ImportanceMetric },
): Promise<PermutationImportanceResult> {
  const fn = 'permutationImportanceWith';
  checkExecutor(fn, 'executor', executor);
  const kind = (fitted as { kind?: unknown } | null)?.kind;
  if (typeof options !== 'object' || options === null) {
    throw new InvalidOptionError({ fn, arg: 'options', expected: 'an options object { metric, ... }', got: describeValue(options) });
  }
  if (typeof kind !== 'string' || !KINDS.includes(kind) || typeof (fitted as { toJSON?: unknown }).toJSON !== 'function') {
    throw new InvalidOptionError({ fn, arg: 'fitted', expected: 'a fitted neural classifier or regressor, risk model (buildRiskModel), logistic or linear regression', got: describeValue(fitted) });
  }
  const { method: given, ...rest } = options;
  const proba = kind === 'NeuralClassifier' || kind === 'LogisticRegression' || kind === 'RiskModel';
  const method = given ?? (proba ? 'predictProba' : 'predict');
  if (!(method === 'predictProba' && proba) && !(method === 'predict' && kind !== 'RiskModel')) {
    const expected = kind === 'RiskModel' ? "'predictProba' (the probability of default)" : proba ? "'predict' or 'predictProba'" : "'predict' (a regressor has no predictProba)";
    throw new InvalidOptionError({ fn, arg: 'method', expected, got: describeValue(given) });
  }
  // a DenseMatrix is read as nested arrays would be (the shared reader takes nested arrays and tensors)
  const m = x as Partial<DenseMatrix>;
  const dense = !isTensor(x) && !Array.isArray(x) && m.data instanceof Float64Array && Number.isSafeInteger(m.rows) && Number.isSafeInteger(m.cols) && m.data.length === (m.rows as number) * (m.cols as number);
  const rows = dense ? Array.from({ length: m.rows as number }, (_, i) => (m.data as Float64Array).subarray(i * (m.cols as number), (i + 1) * (m.cols as number))) : x;
  const inputs = readPermutationInputs(fn, rows as readonly (readonly number[])[], y, rest);
  const neural = kind === 'NeuralClassifier' || kind === 'NeuralRegressor';
  return runPermutation(fn, inputs, async (src: RowSource, maxBatchRows, consume) => {
    const chunk = Math.max(1, Math.min(maxBatchRows, src.total));
    const cols = src.cols;
    const pending: Promise<void>[] = [];
    let calls = 0;
    try {
      for (let start = 0; start < src.total; start += chunk) {
        const count = Math.min(chunk, src.total - start);
        let batch: Float32Rows | DenseMatrix;
        if (neural && src.fill32 !== undefined) {
          // a neural model computes in float32: the copies are built in float32 (the same values after its conversion)
          const data = new Float32Array(count * cols);
          src.fill32(start, count, data);
          batch = { rows: count, cols, data };
        } else {
          const data = new Float64Array(count * cols);
          src.fill(start, count, data);
          batch = { rows: count, cols, data };
        }
        calls++;
        pending.push(
          predictRowsWith(executor, fitted, batch, { method }).then((p) => {
            if (p.length !== count) throw new ShapeError({ fn, arg: 'fitted', expected: 'a model with one prediction per row (one output unit, or a binary classifier)', got: `${p.length / count} values per row` });
            consume(start, p);
          }),
        );
        if (pending.length >= IN_FLIGHT) await pending.shift();
      }
      await Promise.all(pending.splice(0));
    } finally {
      // on an error, every call still running settles before this returns: nothing keeps running
      await Promise.allSettled(pending);
    }
    return calls;
  });
}
