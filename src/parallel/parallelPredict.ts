/**
 * Batched prediction on an executor: the rows are split into one share per worker (and, on
 * request, one for the calling thread), each share is predicted by the built-in task
 * `'finml.predictRows'` with a model restored once per worker and cached there, and the shares
 * are joined in row order.
 *
 * @module
 */
import { allFinite32, allFinite64 } from '../core/_internal/finite';
import * as tf from '@tensorflow/tfjs-core';
import { DataError, DisposedError, InvalidOptionError, ShapeError, describeValue } from '../core/errors';
import type { EstimatorJSON } from '../core/estimator';
import { checkExecutor, type Executor } from '../core/executor';
import { isTensor, type DenseMatrix } from '../core/matrix';
import { isTable } from '../data/_internal/categorical';
import type { Table } from '../data/table';
import { predictValues } from '../models/_internal/batchedPredict';
import { linearScores, type FittedLinearRegression } from '../models/linearRegression';
import type { FittedLogisticRegression } from '../models/logisticRegression';
import type { FittedNeuralModel } from '../models/neuralModel';
import type { RiskModel } from '../presets/buildRiskModel';
import { fromEstimatorJSON } from '../registry';
import { withRestored } from './_internal/modelCache';

/**
 * Row-major float32 rows: what a neural network computes in. {@link predictRowsWith} takes them
 * as they are (no float64 copy), and sends them to the workers.
 *
 * @example
 * ```ts
 * import { type Float32Rows } from 'finml';
 * const x: Float32Rows = { rows: 2, cols: 3, data: Float32Array.of(1, 2, 3, 4, 5, 6) };
 * ```
 * @category Models
 */
export interface Float32Rows {
  readonly rows: number;
  readonly cols: number;
  /** Row-major values, length `rows * cols`. */
  readonly data: Float32Array;
}

/**
 * The payload of the built-in task `'finml.predictRows'`.
 *
 * @example
 * ```ts
 * import { type PredictRowsPayload } from 'finml';
 * declare const payload: PredictRowsPayload; // { model: fitted.toJSON(), x: { rows, cols, data: Float32Array } }
 * ```
 * @category Models
 */
export interface PredictRowsPayload {
  /** The `toJSON()` of a fitted neural classifier or regressor, or of a risk model (`buildRiskModel`). */
  readonly model: EstimatorJSON;
  /**
   * The rows, flat (`cols` = the model's input width): float32 for a neural model (the values its
   * network computes in), float64 (a DenseMatrix of encoded rows) for a risk model (its linear
   * members and calibration compute in float64).
   */
  readonly x: Float32Rows | DenseMatrix;
}

/**
 * The result of the built-in task `'finml.predictRows'`, row-major: a neural model's network
 * outputs (float32: probabilities of a classifier, values of a regressor) or a risk model's
 * probabilities of default (float64).
 *
 * @example
 * ```ts
 * import { type PredictRowsResult } from 'finml';
 * const r: PredictRowsResult = { rows: 2, width: 1, values: Float32Array.of(0.2, 0.9) };
 * ```
 * @category Models
 */
export interface PredictRowsResult {
  readonly rows: number;
  /** Output values per row (the network's output units; 1 for a risk model). */
  readonly width: number;
  /** `rows * width` values. */
  readonly values: Float32Array | Float64Array;
}

/** @internal */
export const NEURAL_KINDS: readonly string[] = ['NeuralClassifier', 'NeuralRegressor'];
/** Kinds whose rows travel as float64 (they compute in float64). @internal */
export const FLOAT64_KINDS: readonly string[] = ['RiskModel', 'LogisticRegression', 'LinearRegression'];
/**
 * Computed in the calling thread, never sent: one dot product per row costs less than copying the
 * row for a worker. Measured on 2 cores, 100k rows × 61, 2 warmed workers: the pool was 0.72× (logistic)
 * and 0.78× (linear) as fast as this thread.
 * @internal
 */
export const LOCAL_KINDS: readonly string[] = ['LogisticRegression', 'LinearRegression'];
const ALL_KINDS: readonly string[] = [...NEURAL_KINDS, ...FLOAT64_KINDS];
/** The kinds the task `'finml.predictRows'` takes. @internal */
export const TASK_KINDS: readonly string[] = ALL_KINDS.filter((k) => !LOCAL_KINDS.includes(k));
/** Fewer rows than this are not worth a task of their own. */
const MIN_SHARE_ROWS = 1024;

/** A model `predictRowsWith` takes. @internal */
export type RowModel = FittedNeuralModel | RiskModel | FittedLogisticRegression | FittedLinearRegression;

/** Values per row the model reads: a neural model's and a GLM's `nFeaturesIn`, a risk model's encoded columns. @internal */
export const inputWidth = (m: RowModel): number => (m.kind === 'RiskModel' ? m.pipeline.nFeaturesOut : m.nFeaturesIn);

/**
 * The raw outputs of `model` on rows (float32 for a neural model, float64 for the others): the
 * network's outputs (what `predict` / `predictProba` are computed from), a risk model's PDs (its
 * `predictor()`), a GLM's `x · coef + intercept` (the same function its `predict` calls).
 * @internal
 */
export async function rawOutputs(model: RowModel, x: Float32Rows | DenseMatrix, fn: string): Promise<PredictRowsResult> {
  if (model.kind === 'NeuralClassifier' || model.kind === 'NeuralRegressor') {
    const out = predictValues(model.network(), x.data, x.rows, model.inputShape, fn);
    return { rows: x.rows, width: out.width, values: out.values };
  }
  const m = x as DenseMatrix;
  const values = model.kind === 'RiskModel' ? Float64Array.from(await model.predictor()(m)) : linearScores(m, model.state);
  return { rows: x.rows, width: 1, values };
}

/**
 * The built-in task `'finml.predictRows'`: restores the model (once per worker: a worker keeps
 * the last restored models, keyed by a hash of their envelope) and computes its raw outputs on
 * `x` (see {@link PredictRowsResult}).
 *
 * @param payload - `{ model, x }` (see {@link PredictRowsPayload}).
 * @returns the model's raw outputs for the rows of `x`.
 * @throws {SerializationError} for a malformed model envelope.
 * @throws {InvalidOptionError} when the payload is not `{ model, x }` with rows of the model's precision, or the model is of another kind.
 * @throws {ShapeError} when the width of `x` is not the model's input width.
 * @internal
 */
export async function predictRowsTask(payload: PredictRowsPayload): Promise<PredictRowsResult> {
  const fn = 'finml.predictRows';
  if (typeof payload !== 'object' || payload === null) {
    throw new InvalidOptionError({ fn, arg: 'payload', expected: 'an object { model, x }', got: describeValue(payload) });
  }
  const kind = (payload.model as Partial<EstimatorJSON> | undefined)?.kind;
  if (typeof kind !== 'string' || !TASK_KINDS.includes(kind)) {
    throw new InvalidOptionError({ fn, arg: 'payload.model', expected: `the envelope of one of ${TASK_KINDS.join(', ')}`, got: describeValue(kind) });
  }
  const f64 = FLOAT64_KINDS.includes(kind);
  const x = payload.x as Partial<Float32Rows | DenseMatrix> | undefined;
  if (typeof x !== 'object' || x === null || !(f64 ? x.data instanceof Float64Array : x.data instanceof Float32Array) || !Number.isSafeInteger(x.rows) || !Number.isSafeInteger(x.cols) || (x.rows as number) * (x.cols as number) !== (x.data as Float32Array | Float64Array).length) {
    const type = f64 ? 'Float64Array' : 'Float32Array';
    throw new InvalidOptionError({ fn, arg: 'payload.x', expected: `rows { rows, cols, data: ${type} of rows*cols values } (a ${kind})`, got: describeValue(x) });
  }
  return withRestored(payload.model, fromEstimatorJSON, (restored) => {
    const model = restored as RowModel;
    const width = inputWidth(model);
    if (x.cols !== width) {
      throw new ShapeError({ fn, arg: 'payload.x', expected: `${width} columns (the model's input width)`, got: `${String(x.cols)} columns` });
    }
    return rawOutputs(model, x as Float32Rows | DenseMatrix, fn);
  });
}

/**
 * Options of {@link predictRowsWith}.
 *
 * @example
 * ```ts
 * import { type PredictRowsWithOptions } from 'finml';
 * const o: PredictRowsWithOptions = { method: 'predictProba', local: false };
 * ```
 * @category Models
 */
export interface PredictRowsWithOptions {
  /**
   * What to return: `fitted.predict(x)` (labels of a classifier, values of a regressor) or
   * `fitted.predictProba(x)` (classifiers; a risk model's probability of default, its only one).
   * @defaultValue `'predict'` (`'predictProba'` for a risk model)
   */
  readonly method?: 'predict' | 'predictProba';
  /**
   * The calling thread predicts the first share itself while the workers run theirs. Off by
   * default: a pool has one worker per core, so a share here only competes with the workers for
   * the cores (measured on 2 cores with 2 workers, 100k rows, interleaved: the same speed within
   * the noise, 0.9–1.2× either way between runs), and it keeps this thread busy meanwhile: no UI
   * updates, and no timer runs, so a pool's `timeoutMs` cannot stop a worker until this thread's
   * share is done. Turn it on when the executor has fewer workers than the machine has free cores.
   * @defaultValue false
   */
  readonly local?: boolean;
  /**
   * Rows per share (task). Each worker runs one share at a time and gets its next one only after
   * this thread has received the last, so more shares than workers mostly add round trips
   * (measured: two shares per worker were 0.8× as fast as one).
   * @defaultValue one share per worker (and one for this thread with `local`), at least 1024 rows each
   */
  readonly batchRows?: number;
}

/** The validated rows of an input, read share by share as float32 (neural models) or float64 (the others). */
interface RowSource {
  readonly rows: number;
  /** Rows `[start, start + rows)` checked finite, then converted and copied into a new array (ours: moved to a worker). */
  take(start: number, rows: number): Float32Array | Float64Array;
  /** The same, without a copy when the input has that type already (for this thread's share). */
  view(start: number, rows: number): Float32Array | Float64Array;
}

const FINITE = 'finite numbers (no NaN or Infinity; impute or drop missing values first)';

/** Throws DataError for the first non-finite value of `v` (rows from `row0`). */
function throwNonFinite(v: Float32Array | Float64Array, width: number, row0: number, fn: string): never {
  const k = v.findIndex((a) => !Number.isFinite(a));
  throw new DataError({ fn, arg: 'x', expected: FINITE, got: `${describeValue(v[k])} at row ${row0 + Math.floor(k / width)}` });
}

/** Checks the values of `v` (the caller's, before any conversion) are finite; an Int32Array always is. */
function checkFinite(v: Float32Array | Float64Array | Int32Array, width: number, row0: number, fn: string): void {
  if (v instanceof Float64Array && !allFinite64(v)) throwNonFinite(v, width, row0, fn);
  else if (v instanceof Float32Array && !allFinite32(v)) throwNonFinite(v, width, row0, fn);
}

/** Validates the shape of `x` (its values are checked share by share) and reads it as float32 or, with `f64`, float64. */
function rowSource(x: unknown, width: number, f64: boolean, fn: string): RowSource {
  const arg = 'x';
  const checkRows = (rows: number, cols: number): void => {
    if (rows === 0) throw new DataError({ fn, arg, expected: 'at least 1 row', got: '0 rows' });
    if (cols !== width) throw new ShapeError({ fn, arg, expected: `${width} values per row (the model's input width)`, got: `${cols} values per row` });
  };
  const typed = (rows: number, data: Float32Array | Float64Array | Int32Array): RowSource => {
    const same = f64 ? data instanceof Float64Array : data instanceof Float32Array;
    const read = (start: number, n: number, copy: boolean): Float32Array | Float64Array => {
      const v = data.subarray(start * width, (start + n) * width);
      // the source values are checked (a float64 value too large for float32 is finite, as the model's own predict takes it)
      checkFinite(v, width, start, fn);
      if (same && !copy) return v as Float32Array | Float64Array;
      // converted and copied by the engine (faster than a JS loop), straight into the buffer that is sent
      const out = f64 ? new Float64Array(v.length) : new Float32Array(v.length);
      out.set(v);
      return out;
    };
    return { rows, take: (start, n) => read(start, n, true), view: (start, n) => read(start, n, false) };
  };
  if (isTensor(x)) {
    const t = x as tf.Tensor;
    if (t.rank < 2) throw new ShapeError({ fn, arg, expected: 'a tensor of rank >= 2 [rows, ...features]', got: describeValue(t) });
    const rows = t.shape[0] as number;
    checkRows(rows, rows === 0 ? width : t.size / rows);
    // tfjs may hand out its own buffer: read only, never moved
    return typed(rows, t.dataSync() as Float32Array | Int32Array);
  }
  const m = x as Partial<DenseMatrix | Float32Rows> | null;
  if (typeof m === 'object' && m !== null && (m.data instanceof Float64Array || m.data instanceof Float32Array) && Number.isSafeInteger(m.rows) && Number.isSafeInteger(m.cols)) {
    const rows = m.rows as number;
    if (m.data.length !== rows * (m.cols as number)) {
      throw new ShapeError({ fn, arg, expected: `data of length rows*cols = ${rows * (m.cols as number)}`, got: `length ${m.data.length}` });
    }
    checkRows(rows, m.cols as number);
    return typed(rows, m.data);
  }
  if (!Array.isArray(x)) {
    throw new ShapeError({ fn, arg, expected: 'nested arrays (rows), a DenseMatrix, float32 rows { rows, cols, data: Float32Array } or a tf.Tensor', got: describeValue(x) });
  }
  checkRows(x.length, width);
  for (let i = 0; i < x.length; i++) {
    const r = x[i] as unknown;
    if ((!Array.isArray(r) && !ArrayBuffer.isView(r)) || (r as ArrayLike<unknown>).length !== width) {
      throw new ShapeError({ fn, arg, expected: `rows of ${width} numbers (the model's nFeaturesIn)`, got: `row ${i} with ${describeValue(r)}` });
    }
  }
  const take = (start: number, n: number): Float32Array | Float64Array => {
    const data = f64 ? new Float64Array(n * width) : new Float32Array(n * width);
    for (let i = 0; i < n; i++) {
      const row = x[start + i] as ArrayLike<unknown>;
      for (let j = 0; j < width; j++) {
        const v = row[j];
        if (typeof v !== 'number' || !Number.isFinite(v)) {
          throw new DataError({ fn, arg, expected: FINITE, got: `${describeValue(v)} at row ${start + i}, column ${j}` });
        }
        data[i * width + j] = v;
      }
    }
    return data;
  };
  return { rows: x.length, take, view: take };
}

/** Same as `LogisticRegression.predictProba`'s link (the same expression, so the same bits). */
const sigmoid = (z: number): number => (z >= 0 ? 1 / (1 + Math.exp(-z)) : Math.exp(z) / (1 + Math.exp(z)));

/**
 * The result of `fitted[method]` for `n` rows, written share by share as the raw outputs arrive
 * (no joined copy): probabilities, PDs and values go straight into the Float64Array returned,
 * labels and a logistic regression's probabilities are mapped value by value, and multiclass
 * labels take the argmax of the joined probabilities at the end (the same op as the model's own
 * `predict`).
 * @internal
 */
export function resultWriter(model: RowModel, method: 'predict' | 'predictProba', n: number, fn: string): { put(r: PredictRowsResult, row0: number, rows: number): void; done(): Float64Array } {
  const width = model.kind === 'NeuralClassifier' || model.kind === 'NeuralRegressor' ? model.outputUnits : 1;
  const f64 = FLOAT64_KINDS.includes(model.kind);
  const classes = model.kind === 'NeuralClassifier' ? model.classes : [];
  const multi = model.kind === 'NeuralClassifier' && method === 'predict' && width > 1;
  let map: ((v: number) => number) | null = null;
  if (model.kind === 'NeuralClassifier' && method === 'predict' && width === 1) map = (p) => classes[p > 0.5 ? 1 : 0] as number;
  else if (model.kind === 'LogisticRegression') map = method === 'predict' ? (z) => (z >= 0 ? 1 : 0) : sigmoid;
  const out = new Float64Array(multi ? n : n * width);
  const probs = multi ? new Float32Array(n * width) : null;
  return {
    put(r, row0, rows) {
      const v = (r as Partial<PredictRowsResult> | null)?.values;
      if (v === undefined || !(f64 ? v instanceof Float64Array : v instanceof Float32Array) || r.rows !== rows || r.width !== width || v.length !== rows * width) {
        throw new ShapeError({ fn, arg: 'executor', expected: `a 'finml.predictRows' result of ${rows} rows × ${width} ${f64 ? 'float64' : 'float32'} outputs`, got: describeValue(r) });
      }
      if (probs !== null) probs.set(v, row0 * width);
      else if (map !== null) for (let i = 0; i < rows; i++) out[row0 + i] = map(v[i] as number);
      else out.set(v, row0 * width);
    },
    done() {
      if (probs === null) return out;
      const idx = tf.tidy(() => tf.argMax(tf.tensor(probs, [n, width], 'float32'), -1));
      const k = idx.dataSync() as Int32Array;
      idx.dispose();
      for (let i = 0; i < n; i++) out[i] = classes[k[i] as number] as number;
      return out;
    },
  };
}

/** Throws DisposedError for a disposed neural model or a risk model with a disposed network. @internal */
export function throwIfDisposed(fn: string, fitted: RowModel): void {
  const k = fitted.kind;
  if (k === 'NeuralClassifier' || k === 'NeuralRegressor' ? fitted.isDisposed : k === 'RiskModel' && fitted.members.some((m) => m.isDisposed)) throw new DisposedError(fn, k);
}

/**
 * Each fitted model's `toJSON()` envelope, made once: a fitted model is frozen and never changes
 * (its `update` returns a new one), and serialising a network (base64 weights) costs more than
 * sending it. Kept per object, so it goes when the model does; a disposed model is refused
 * before its envelope is looked up. Only frozen objects are cached.
 */
const envelopes = new WeakMap<object, EstimatorJSON>();

/** The cached `toJSON()` of a frozen live model (see {@link envelopes}). @internal */
export function envelopeOf(fitted: { toJSON(): EstimatorJSON }): EstimatorJSON {
  let e = envelopes.get(fitted);
  if (e === undefined) {
    e = fitted.toJSON();
    if (Object.isFrozen(fitted)) envelopes.set(fitted, e);
  }
  return e;
}

/**
 * Predicts many rows on an executor (e.g. `createWorkerPool()` from `finml/node`): the rows are
 * split into shares (one per worker by default), each one call of the built-in task
 * `'finml.predictRows'` (the model travels as its `toJSON()`, made once per fitted model and kept
 * with it; the rows checked, then converted and copied straight into a buffer that is moved,
 * not copied again), and each share's outputs are written into the result as they arrive. A pool's
 * worker restores a model once and keeps it for the next calls (a few models per worker, keyed
 * by their content). With `local: true` this thread computes one share itself meanwhile. Each
 * row's prediction does not depend on the other rows, so the result is bit-identical to the
 * model's own prediction in this thread.
 *
 * What each model gives, and how its rows travel:
 * - neural classifier or regressor: `fitted.predict(x)` or `fitted.predictProba(x)`; rows as
 *   float32, the values its network computes in.
 * - risk model (`buildRiskModel`): the probability of default, `model.score(table)` for a Table
 *   (encoded here with `model.pipeline`) or `model.predictor()(x)` for encoded rows (`method`
 *   `'predictProba'`, its default); rows as float64. Its five networks make it worth a pool.
 * - logistic or linear regression: `fitted.predict(x)` (or `predictProba` of the logistic one),
 *   computed in this thread whatever the executor, `local` or `batchRows`: one dot product per
 *   row costs less than copying the row for a worker (measured on 2 cores, 100k rows × 61 columns:
 *   a 2-worker pool was 0.7–0.8× as fast as this thread). So code that predicts with any model can
 *   call this and get the fastest route.
 *
 * @param executor - Where the shares run.
 * @param fitted - A fitted neural classifier or regressor, risk model, logistic or linear regression.
 * @param x - The rows: nested arrays of the model's input width (`nFeaturesIn`; a risk model's encoded columns, `pipeline.nFeaturesOut`), a DenseMatrix, {@link Float32Rows}, a tensor `[rows, ...inputShape]`, or (a risk model) a Table of applicants.
 * @param options - `method` (`'predict'` or `'predictProba'`), `local`, `batchRows`.
 * @returns the prediction as a Float64Array (row-major `rows × outputUnits` for a multi-output regressor or multiclass probabilities).
 * @throws {InvalidOptionError} for a bad executor, model, `method` (`'predictProba'` of a regressor, `'predict'` of a risk model), `local` or `batchRows`.
 * @throws {ShapeError} for rows of the wrong width, or a Table given to a model other than a risk model. @throws {DataError} for no rows or non-finite values.
 * @throws {DisposedError} for a disposed model. @throws {WorkerError} when a worker crashed, was terminated or timed out.
 * @example
 * ```ts
 * import { predictRowsWith, neuralClassifier, logisticRegression, sequentialExecutor, FINML_TASKS } from 'finml';
 * const x = [[0, 1], [1, 0], [1, 1], [0, 0]];
 * const ex = sequentialExecutor(FINML_TASKS);
 * const model = await neuralClassifier({ model: { type: 'fnn', hidden: [4] }, train: { epochs: 2 }, seed: 1 }).fit(x, [1, 1, 0, 0]);
 * const p = await predictRowsWith(ex, model, x, { method: 'predictProba' });
 * p.length; //=> 4
 * model.dispose();
 * const glm = logisticRegression().fit(x, [1, 1, 0, 0]);
 * const labels = await predictRowsWith(ex, glm, x); // the values of glm.predict(x), computed in this thread
 * ```
 * @category Models
 */
export async function predictRowsWith(
  executor: Executor,
  fitted: FittedNeuralModel | RiskModel | FittedLogisticRegression | FittedLinearRegression,
  x: readonly (readonly number[])[] | DenseMatrix | Float32Rows | tf.Tensor | Table,
  options: PredictRowsWithOptions = {},
): Promise<Float64Array> {
  const fn = 'predictRowsWith';
  checkExecutor(fn, 'executor', executor);
  const f = fitted as unknown as Partial<Record<string, unknown>> | null;
  const needs = (k: string): boolean => k === 'RiskModel' ? typeof f?.predictor === 'function' && typeof f.pipeline === 'object' && Array.isArray(f.members) : NEURAL_KINDS.includes(k) ? typeof f?.network === 'function' : typeof f?.state === 'object';
  if (typeof f !== 'object' || f === null || typeof f.kind !== 'string' || !ALL_KINDS.includes(f.kind) || typeof f.toJSON !== 'function' || !needs(f.kind)) {
    throw new InvalidOptionError({ fn, arg: 'fitted', expected: 'a fitted neural classifier or regressor, risk model (buildRiskModel), logistic or linear regression', got: describeValue(fitted) });
  }
  if (typeof options !== 'object' || options === null) {
    throw new InvalidOptionError({ fn, arg: 'options', expected: 'an options object { method?, local?, batchRows? }', got: describeValue(options) });
  }
  const kind = fitted.kind;
  const probaOnly = kind === 'RiskModel';
  const hasProba = kind === 'NeuralClassifier' || kind === 'LogisticRegression' || probaOnly;
  const method = options.method ?? (probaOnly ? 'predictProba' : 'predict');
  if (!(method === 'predictProba' && hasProba) && !(method === 'predict' && !probaOnly)) {
    const expected = probaOnly ? "'predictProba' (the probability of default; a risk model's labels are its PD compared with combiner.cutoff)" : hasProba ? "'predict' or 'predictProba'" : "'predict' (a regressor has no predictProba)";
    throw new InvalidOptionError({ fn, arg: 'method', expected, got: describeValue(options.method) });
  }
  const local = options.local ?? false;
  if (typeof local !== 'boolean') throw new InvalidOptionError({ fn, arg: 'local', expected: 'a boolean', got: describeValue(local) });
  throwIfDisposed(fn, fitted);
  const f64 = FLOAT64_KINDS.includes(kind);
  const width = inputWidth(fitted);
  if (isTable(x)) {
    if (kind !== 'RiskModel') throw new ShapeError({ fn, arg: 'x', expected: `rows of ${width} numbers (a Table only for a risk model)`, got: describeValue(x) });
    x = fitted.pipeline.transformDense(x);
  }
  const src = rowSource(x, width, f64, fn);
  const n = src.rows;
  const shares = executor.concurrency + (local ? 1 : 0);
  // one share per worker: each share is one task, and a worker takes its next task only after
  // the calling thread has received the previous result
  const batchRows = options.batchRows ?? Math.max(MIN_SHARE_ROWS, Math.ceil(n / shares));
  if (!Number.isSafeInteger(batchRows) || batchRows < 1) {
    throw new InvalidOptionError({ fn, arg: 'batchRows', expected: 'an integer >= 1', got: describeValue(options.batchRows) });
  }
  const result = resultWriter(fitted, method, n, fn);
  // This thread's share (the first rows) is computed once the others are on their way; a GLM's rows all stay here.
  const localRows = LOCAL_KINDS.includes(kind) ? n : local ? Math.min(n, batchRows) : 0;
  const model = localRows < n ? envelopeOf(fitted) : null;
  const calls: Promise<unknown>[] = [];
  let error: { readonly e: unknown } | null = null;
  try {
    for (let r = localRows; r < n; r += batchRows) {
      const rows = Math.min(batchRows, n - r);
      const data = src.take(r, rows); // a new buffer of ours: moved, not copied
      const payload: PredictRowsPayload = { model: model as EstimatorJSON, x: { rows, cols: width, data } as Float32Rows | DenseMatrix };
      calls.push(executor.run('finml.predictRows', payload, { transfer: [data.buffer as ArrayBuffer] }).then((v) => result.put(v as PredictRowsResult, r, rows)));
    }
    if (localRows > 0) result.put(await rawOutputs(fitted, { rows: localRows, cols: width, data: src.view(0, localRows) } as Float32Rows | DenseMatrix, `${fn} (this thread)`), 0, localRows);
  } catch (e) {
    error = { e };
  }
  // every call settles before returning or throwing: nothing keeps running in the background
  const settled = await Promise.allSettled(calls);
  if (error !== null) throw error.e;
  for (const s of settled) if (s.status === 'rejected') throw s.reason;
  return result.done();
}
