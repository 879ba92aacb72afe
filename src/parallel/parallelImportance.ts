/**
 * Permutation importance of a fitted model on an executor: each task receives the rows, the
 * permutations of its range of copies and the model (cached in the worker), builds the permuted
 * copies itself and predicts them (built-in task `'finml.permutedRows'`); this thread draws the
 * permutations and scores the predictions.
 *
 * @module
 */
import type * as tf from '@tensorflow/tfjs-core';
import { InvalidOptionError, ShapeError, describeValue } from '../core/errors';
import type { EstimatorJSON } from '../core/estimator';
import { checkExecutor, type Executor } from '../core/executor';
import { isTensor, type DenseMatrix, type VectorLike } from '../core/matrix';
import type { RowSource } from '../explain/_internal/explainBatch';
import { copyFiller, readPermutationInputs, runPermutation } from '../explain/_internal/permutationCore';
import { fromEstimatorJSON } from '../registry';
import { withRestored } from './_internal/modelCache';
import type { ImportanceMetric, PermutationImportanceOptions, PermutationImportanceResult } from '../explain/permutationImportance';
import type { FittedLinearRegression } from '../models/linearRegression';
import type { FittedLogisticRegression } from '../models/logisticRegression';
import type { FittedNeuralModel } from '../models/neuralModel';
import type { RiskModel } from '../presets/buildRiskModel';
import {
  FLOAT64_KINDS,
  LOCAL_KINDS,
  NEURAL_KINDS,
  TASK_KINDS,
  envelopeOf,
  inputWidth,
  predictRowsWith,
  rawOutputs,
  resultWriter,
  throwIfDisposed,
  type Float32Rows,
  type PredictRowsResult,
  type RowModel,
} from './parallelPredict';

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

/** Chunks of copies predicted at once (a GLM, in this thread). */
const IN_FLIGHT = 2;
/** Ranges of copies per worker (see permutationImportanceWith). */
const TASKS_PER_WORKER = 2;
/** Copied rows per task at most (bounds a worker's output array). */
const TASK_ROWS = 1 << 22;

/**
 * The payload of the built-in task `'finml.permutedRows'`: the copies `firstCopy ..
 * firstCopy + copies − 1` of permutation importance (copy 0: the rows as they are; copy
 * `1 + p·nRepeats + r`: the rows with the columns of feature p taken from the rows of its
 * permutation).
 * @internal
 */
export interface PermutedRowsPayload {
  /** The `toJSON()` of a neural classifier or regressor, or of a risk model. */
  readonly model: EstimatorJSON;
  /** The rows: float32 for a neural model, float64 for a risk model. */
  readonly x: Float32Rows | DenseMatrix;
  /** Columns of each feature. */
  readonly columns: readonly (readonly number[])[];
  readonly nRepeats: number;
  readonly firstCopy: number;
  readonly copies: number;
  /** The permutations of the permuted copies of the range (from copy `max(1, firstCopy)`), `x.rows` indices each, back to back. */
  readonly perms: Int32Array;
  /** Rows per model call. */
  readonly batchRows: number;
}

const isIndexList = (v: unknown, below: number): boolean => Array.isArray(v) && v.length > 0 && v.every((c) => Number.isInteger(c) && (c as number) >= 0 && (c as number) < below);

/**
 * The built-in task `'finml.permutedRows'`: restores the model (cached per worker, as for
 * `'finml.predictRows'`), builds the copies of its range batch by batch (the code of
 * `permutationImportance`) and returns the model's raw outputs for all of them, copy after copy.
 *
 * @param payload - See {@link PermutedRowsPayload}.
 * @returns the raw outputs (as `'finml.predictRows'`) of `copies × x.rows` rows.
 * @throws {InvalidOptionError} for a malformed payload. @throws {ShapeError} when `x` is not the model's width.
 * @throws {SerializationError} for a malformed model envelope.
 * @internal
 */
export async function permutedRowsTask(payload: PermutedRowsPayload): Promise<PredictRowsResult> {
  const fn = 'finml.permutedRows';
  const bad = (arg: string, expected: string, got: unknown): never => {
    throw new InvalidOptionError({ fn, arg, expected, got: describeValue(got) });
  };
  if (typeof payload !== 'object' || payload === null) bad('payload', 'an object { model, x, columns, nRepeats, firstCopy, copies, perms, batchRows }', payload);
  const kind = (payload.model as Partial<EstimatorJSON> | undefined)?.kind;
  if (typeof kind !== 'string' || !TASK_KINDS.includes(kind)) bad('payload.model', `the envelope of one of ${TASK_KINDS.join(', ')}`, kind);
  const f64 = FLOAT64_KINDS.includes(kind as string);
  const x = payload.x as Partial<Float32Rows | DenseMatrix> | undefined;
  if (typeof x !== 'object' || x === null || !(f64 ? x.data instanceof Float64Array : x.data instanceof Float32Array) || !Number.isSafeInteger(x.rows) || (x.rows as number) < 1 || !Number.isSafeInteger(x.cols) || (x.rows as number) * (x.cols as number) !== (x.data as Float32Array | Float64Array).length) {
    bad('payload.x', `rows { rows >= 1, cols, data: ${f64 ? 'Float64Array' : 'Float32Array'} of rows*cols values }`, x);
  }
  const { rows: n, cols, data } = x as Float32Rows | DenseMatrix;
  const { columns, nRepeats: R, firstCopy, copies, perms, batchRows } = payload;
  if (!Array.isArray(columns) || columns.length === 0 || !columns.every((c) => isIndexList(c, cols))) bad('payload.columns', `column lists of indices below ${cols}`, columns);
  if (!Number.isSafeInteger(R) || R < 1) bad('payload.nRepeats', 'an integer >= 1', R);
  const nCopies = 1 + columns.length * R;
  if (!Number.isSafeInteger(firstCopy) || firstCopy < 0 || !Number.isSafeInteger(copies) || copies < 1 || firstCopy + copies > nCopies) bad('payload.copies', `a range of copies within [0, ${nCopies})`, { firstCopy, copies });
  const permFirst = Math.max(1, firstCopy);
  if (!(perms instanceof Int32Array) || perms.length !== (firstCopy + copies - permFirst) * n || !perms.every((i) => i >= 0 && i < n)) bad('payload.perms', `${firstCopy + copies - permFirst} permutations of ${n} row indices, back to back`, perms);
  if (!Number.isSafeInteger(batchRows) || batchRows < 1) bad('payload.batchRows', 'an integer >= 1', batchRows);
  return withRestored(payload.model, fromEstimatorJSON, async (restored) => {
    const model = restored as RowModel;
    if (cols !== inputWidth(model)) throw new ShapeError({ fn, arg: 'payload.x', expected: `${inputWidth(model)} columns (the model's input width)`, got: `${cols} columns` });
    const permOf = (c: number): Int32Array => perms.subarray((c - permFirst) * n, (c - permFirst + 1) * n);
    const total = copies * n;
    const chunk = Math.min(batchRows, total);
    let out: Float32Array | Float64Array | null = null;
    let width = 0;
    const write = async (start: number, count: number, rowsData: Float32Array | Float64Array): Promise<void> => {
      const r = await rawOutputs(model, { rows: count, cols, data: rowsData } as Float32Rows | DenseMatrix, fn);
      if (out === null) {
        width = r.width;
        out = r.values instanceof Float64Array ? new Float64Array(total * width) : new Float32Array(total * width);
      }
      out.set(r.values, start * width);
    };
    // one buffer of the rows' own type (float64 for a risk model, float32 for a network), reused per chunk
    const fill = copyFiller<Float32Array | Float64Array>(data, n, cols, R, columns, permOf);
    const buf = data instanceof Float64Array ? new Float64Array(chunk * cols) : new Float32Array(chunk * cols);
    for (let s = 0; s < total; s += chunk) {
      const count = Math.min(chunk, total - s);
      const rowsOfChunk = buf.subarray(0, count * cols);
      fill(firstCopy * n + s, count, rowsOfChunk);
      await write(s, count, rowsOfChunk);
    }
    return { rows: total, width, values: out as unknown as Float32Array | Float64Array };
  });
}

/**
 * Permutation importance (as `permutationImportance`) of a fitted model, with the permuted
 * copies built and predicted on an executor (e.g. `createWorkerPool()` from `finml/node`): the
 * copies are split into two contiguous ranges per worker (at most 4M rows each), and each range
 * is one call of the built-in task `'finml.permutedRows'`, which receives the rows, the
 * permutations of its copies and the model (its `toJSON()`, restored once per worker and kept),
 * builds the copies batch by batch (at most `maxBatchRows` rows) and predicts them. This thread
 * only draws the permutations (a range is sent as soon as its own are drawn) and scores each copy
 * as soon as its predictions are in. The permutations come from the same
 * seeded sequence, the copies from the same code and the scores from the same code, and a
 * model's predictions do not depend on how the rows are split, so the importances are
 * bit-identical to `permutationImportance(predictor, x, y, options)` in this thread with a
 * predictor that returns the same predictions (`(b) => fitted.predictProba(b)` of a binary neural
 * classifier, `layersModelPredictor(fitted.network())`, a risk model's `predictor()`) and the
 * same seed; `predictorCalls` counts the model calls made in the workers. A logistic or linear
 * regression is computed in this thread (see {@link predictRowsWith}).
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
  const model = fitted as RowModel;
  const neural = NEURAL_KINDS.includes(kind);
  if (neural && (fitted as FittedNeuralModel).outputUnits > 1 && !(method === 'predict' && kind === 'NeuralClassifier')) {
    throw new ShapeError({ fn, arg: 'fitted', expected: 'a model with one prediction per row (one output unit, or the labels of a classifier)', got: `${(fitted as FittedNeuralModel).outputUnits} output units` });
  }
  throwIfDisposed(fn, model);
  if (inputs.xm.cols !== inputWidth(model)) {
    throw new ShapeError({ fn, arg: 'x', expected: `${inputWidth(model)} values per row (the model's input width${kind === 'RiskModel' ? ': encoded columns, pipeline.transformDense(table)' : ''})`, got: `${inputs.xm.cols} values per row` });
  }
  if (LOCAL_KINDS.includes(kind)) return runPermutation(fn, inputs, (src, maxBatchRows, consume) => predictChunks(executor, model, method, src, maxBatchRows, consume));
  return runPermutation(fn, inputs, async (_src, maxBatchRows, consume, plan) => {
    const { n, cols } = plan;
    const nCopies = 1 + plan.columns.length * plan.nRepeats;
    // the workers get the rows in the precision the model computes in
    const xRows: Float32Rows | DenseMatrix = neural ? { rows: n, cols, data: Float32Array.from(plan.data) } : { rows: n, cols, data: plan.data };
    const envelope = envelopeOf(model);
    // contiguous ranges of copies, two per worker (the first range goes out once its permutations
    // are drawn, and the first results are scored while the later ranges run), at most TASK_ROWS rows each
    const perTask = Math.max(1, Math.min(Math.ceil(nCopies / (TASKS_PER_WORKER * executor.concurrency)), Math.floor(TASK_ROWS / n)));
    const batchRows = Math.max(1, Math.min(maxBatchRows, perTask * n));
    const calls: Promise<void>[] = [];
    let modelCalls = 0;
    try {
      for (let c0 = 0; c0 < nCopies; c0 += perTask) {
        const copies = Math.min(perTask, nCopies - c0);
        const permFirst = Math.max(1, c0);
        const perms = new Int32Array((c0 + copies - permFirst) * n);
        for (let c = permFirst; c < c0 + copies; c++) perms.set(plan.permOf(c), (c - permFirst) * n);
        const payload: PermutedRowsPayload = { model: envelope, x: xRows, columns: plan.columns, nRepeats: plan.nRepeats, firstCopy: c0, copies, perms, batchRows };
        modelCalls += Math.ceil((copies * n) / batchRows);
        const result = resultWriter(model, method, copies * n, fn);
        calls.push(
          executor.run('finml.permutedRows', payload, { transfer: [perms.buffer as ArrayBuffer] }).then((v) => {
            result.put(v as PredictRowsResult, 0, copies * n);
            consume(c0 * n, result.done());
          }),
        );
      }
    } finally {
      // every call settles before returning or throwing: nothing keeps running in the background
      const settled = await Promise.allSettled(calls);
      for (const r of settled) if (r.status === 'rejected') throw r.reason;
    }
    return modelCalls;
  });
}

/** The copies predicted chunk by chunk through {@link predictRowsWith} (for the GLMs: in this thread). */
async function predictChunks(executor: Executor, fitted: RowModel, method: 'predict' | 'predictProba', src: RowSource, maxBatchRows: number, consume: (start: number, preds: ArrayLike<number>) => void): Promise<number> {
  const chunk = Math.max(1, Math.min(maxBatchRows, src.total));
  const pending: Promise<void>[] = [];
  let calls = 0;
  try {
    for (let start = 0; start < src.total; start += chunk) {
      const count = Math.min(chunk, src.total - start);
      const data = new Float64Array(count * src.cols);
      src.fill(start, count, data);
      calls++;
      pending.push(predictRowsWith(executor, fitted, { rows: count, cols: src.cols, data }, { method }).then((p) => consume(start, p)));
      if (pending.length >= IN_FLIGHT) await pending.shift();
    }
    await Promise.all(pending.splice(0));
  } finally {
    // on an error, every call still running settles before this returns: nothing keeps running
    await Promise.allSettled(pending);
  }
  return calls;
}
