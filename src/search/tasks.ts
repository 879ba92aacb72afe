/**
 * Fold-scoring tasks: the named, worker-safe form of a cross-validation or search objective, and
 * finml's built-in task that fits and scores a neural estimator on one fold.
 *
 * @module
 */
import * as tf from '@tensorflow/tfjs-core';
import type { DenseMatrix } from '../core/matrix';
import { InvalidOptionError, ShapeError, describeValue } from '../core/errors';
import type { TaskFn, TaskRegistry } from '../core/executor';
import { accuracy } from '../metrics/accuracy';
import { brierScore } from '../metrics/brierScore';
import { logLoss } from '../metrics/logLoss';
import { mae } from '../metrics/mae';
import { mse } from '../metrics/mse';
import { r2 } from '../metrics/r2';
import { rmse } from '../metrics/rmse';
import { rocAuc } from '../metrics/rocAuc';
import {
  fitEpochsOf,
  fitNeuralSegment,
  neuralClassifier,
  neuralRegressor,
  type FittedNeuralClassifier,
  type FittedNeuralModel,
  type FittedNeuralRegressor,
  type NeuralEstimator,
  type NeuralKind,
  type NeuralParams,
} from '../models/neuralModel';
import { canPauseTraining, type TrainSegment } from '../train/trainModel';
import type { TrainCheckpoint } from '../train/_internal/checkpoint';
import type { Fold } from './searchTypes';

/**
 * What a fold-scoring task receives: the shared `data` of the objective, the trial's `params`
 * (undefined in {@link crossValidate}), and the fold (undefined in a search without `cv`).
 *
 * @example
 * ```ts
 * import { type ScoreTaskInput, type Fold } from 'finml';
 * const input: ScoreTaskInput<{ y: number[] }, undefined> = { data: { y: [1, 2] }, params: undefined, fold: { train: Int32Array.of(0), test: Int32Array.of(1) }, foldIndex: 0 };
 * ```
 * @category Search
 */
export interface ScoreTaskInput<D, P> {
  /** The `data` of the {@link TaskObjective} (a structured clone of it in a worker). */
  readonly data: D;
  /** The trial's parameters (search), or undefined (crossValidate). */
  readonly params: P;
  /** The fold, or undefined when a search runs without `cv`. */
  readonly fold: Fold | undefined;
  /** The fold's position (0 without `cv`). */
  readonly foldIndex: number;
}

/**
 * A cross-validation or search objective given by name, so that it can run on an {@link Executor}
 * (e.g. a worker pool): each fold becomes one call `executor.run(task, { data, params, fold, foldIndex })`.
 * `data` must be structured-cloneable (plain objects, arrays, typed arrays); it is copied to the
 * worker for every fold, so keep it to what the fit needs.
 *
 * @example
 * ```ts
 * import { type TaskObjective } from 'finml';
 * const objective: TaskObjective<{ x: number[][]; y: number[] }> = { task: 'myTasks.scoreFold', data: { x: [[0], [1]], y: [0, 1] } };
 * ```
 * @category Search
 */
export interface TaskObjective<D = unknown> {
  /** The registered task name. */
  readonly task: string;
  /** The data every call receives (as `input.data`). */
  readonly data: D;
}

/**
 * Types a fold-scoring task: wraps `(input) => score` as a {@link TaskFn} for a task registry.
 * (It only casts the payload: validate what you read from `input.data` if it comes from users.)
 *
 * @param fn - Fits on `input.fold.train` with `input.params` and returns the score on `input.fold.test`.
 * @returns the task function.
 * @throws {InvalidOptionError} when `fn` is not a function.
 * @example
 * ```ts
 * import { crossValidate, defineScoreTask, kFold, sequentialExecutor } from 'finml';
 * const y = [1, 2, 3, 4, 5, 6];
 * const tasks = {
 *   meanAbsError: defineScoreTask<{ y: number[] }, undefined>(({ data, fold }) => {
 *     const m = fold!.train.reduce((a, i) => a + data.y[i]!, 0) / fold!.train.length;
 *     return fold!.test.reduce((a, i) => a + Math.abs(data.y[i]! - m), 0) / fold!.test.length;
 *   }),
 * };
 * const r = await crossValidate({ task: 'meanAbsError', data: { y } }, kFold(6, { k: 3 }), { executor: sequentialExecutor(tasks) });
 * r.scores.length; //=> 3
 * ```
 * @category Search
 */
export function defineScoreTask<D, P = undefined>(fn: (input: ScoreTaskInput<D, P>) => number | Promise<number>): TaskFn {
  if (typeof fn !== 'function') {
    throw new InvalidOptionError({ fn: 'defineScoreTask', arg: 'fn', expected: 'a function (input) => score', got: describeValue(fn) });
  }
  return (payload) => fn(payload as ScoreTaskInput<D, P>);
}

/**
 * Metrics of the built-in `'finml.scoreNeural'` task: the first four for a (binary) classifier,
 * the last four for a regressor.
 *
 * @example
 * ```ts
 * import { type NeuralScoreMetric } from 'finml';
 * const m: NeuralScoreMetric = 'rocAuc';
 * ```
 * @category Search
 */
export type NeuralScoreMetric = 'rocAuc' | 'logLoss' | 'brierScore' | 'accuracy' | 'mse' | 'rmse' | 'mae' | 'r2';

/**
 * The `data` of the built-in `'finml.scoreNeural'` task: a dense feature matrix, the target, the
 * estimator and the metric. With a search, the trial's `params` patch the estimator's params
 * (`model`, `train`, `seed`), as `withParams` does.
 *
 * @example
 * ```ts
 * import { type NeuralScoreData } from 'finml';
 * const data: NeuralScoreData = {
 *   x: { rows: 2, cols: 1, data: Float64Array.of(0, 1) }, y: Float64Array.of(0, 1),
 *   estimator: 'NeuralClassifier', params: { model: { type: 'fnn', hidden: [8] }, train: { epochs: 5 }, seed: 1 }, metric: 'rocAuc',
 * };
 * ```
 * @category Search
 */
export interface NeuralScoreData {
  /** All rows (the folds index into them). */
  readonly x: DenseMatrix;
  /** One target value per row (labels for a classifier). */
  readonly y: Float64Array | readonly number[];
  /** Which estimator to fit. */
  readonly estimator: 'NeuralClassifier' | 'NeuralRegressor';
  /** Its params (JSON values, as for {@link neuralClassifier}). */
  readonly params: Partial<NeuralParams>;
  /** The score returned for the fold's test rows. */
  readonly metric: NeuralScoreMetric;
}

const CLASSIFIER_METRICS = ['rocAuc', 'logLoss', 'brierScore', 'accuracy'] as const;
const REGRESSOR_METRICS = ['mse', 'rmse', 'mae', 'r2'] as const;

function takeFoldRows(x: DenseMatrix, idx: Int32Array, fn: string): DenseMatrix {
  const { cols } = x;
  const out = new Float64Array(idx.length * cols);
  for (let r = 0; r < idx.length; r++) {
    const i = idx[r] as number;
    if (i >= x.rows) throw new ShapeError({ fn, arg: 'fold', expected: `row indices below ${x.rows} (the rows of data.x)`, got: `index ${i}` });
    out.set(x.data.subarray(i * cols, (i + 1) * cols), r * cols);
  }
  return { rows: idx.length, cols, data: out };
}

function takeValues(y: Float64Array | readonly number[], idx: Int32Array): Float64Array {
  const out = new Float64Array(idx.length);
  for (let r = 0; r < idx.length; r++) out[r] = y[idx[r] as number] as number;
  return out;
}

function checkScoreData(d: unknown, fn: string): NeuralScoreData {
  const o = d as Partial<NeuralScoreData> | null;
  if (typeof o !== 'object' || o === null) {
    throw new InvalidOptionError({ fn, arg: 'data', expected: 'an object { x, y, estimator, params, metric }', got: describeValue(d) });
  }
  const x = o.x as Partial<DenseMatrix> | undefined;
  if (
    typeof x !== 'object' || x === null || !(x.data instanceof Float64Array) ||
    !Number.isInteger(x.rows) || !Number.isInteger(x.cols) || (x.rows as number) * (x.cols as number) !== x.data.length
  ) {
    throw new InvalidOptionError({ fn, arg: 'data.x', expected: 'a dense matrix { rows, cols, data: Float64Array of rows*cols values }', got: describeValue(x) });
  }
  if (!(o.y instanceof Float64Array) && !Array.isArray(o.y)) {
    throw new InvalidOptionError({ fn, arg: 'data.y', expected: 'a Float64Array or number array', got: describeValue(o.y) });
  }
  if (o.y.length !== x.rows) {
    throw new ShapeError({ fn, arg: 'data.y', expected: `${String(x.rows)} values (one per row of data.x)`, got: `${o.y.length}` });
  }
  if (o.estimator !== 'NeuralClassifier' && o.estimator !== 'NeuralRegressor') {
    throw new InvalidOptionError({ fn, arg: 'data.estimator', expected: "'NeuralClassifier' or 'NeuralRegressor'", got: describeValue(o.estimator) });
  }
  const allowed: readonly string[] = o.estimator === 'NeuralClassifier' ? CLASSIFIER_METRICS : REGRESSOR_METRICS;
  if (typeof o.metric !== 'string' || !allowed.includes(o.metric)) {
    throw new InvalidOptionError({ fn, arg: 'data.metric', expected: `one of ${allowed.map((m) => `'${m}'`).join(', ')} for a ${o.estimator}`, got: describeValue(o.metric) });
  }
  return o as NeuralScoreData;
}

/**
 * The built-in task `'finml.scoreNeural'`: fits `data.estimator` with `data.params` (patched by
 * the trial's `params` in a search) on the fold's training rows of `data.x`/`data.y` and returns
 * `data.metric` on its test rows. The network is disposed before returning (no tensor kept).
 *
 * @param input - `{ data: NeuralScoreData, params, fold, foldIndex }`.
 * @returns the fold's score.
 * @throws {InvalidOptionError} for malformed data, an unknown estimator or metric, or a missing fold.
 * @throws {ShapeError} when `y` or the fold's indices do not match `x`.
 * @internal
 */
export async function scoreNeuralTask(input: ScoreTaskInput<NeuralScoreData, Partial<NeuralParams> | undefined>): Promise<number> {
  const fn = 'finml.scoreNeural';
  const fold = foldRowsOf(input, fn);
  const model = await specOf(fold.data, fold.params).fit(fold.xTrain, fold.yTrain);
  return scoreAndDispose(fold, model, fn);
}

/** One fold's rows, the estimator's params and the score's inputs. */
interface FoldRows {
  readonly data: NeuralScoreData;
  readonly params: Partial<NeuralParams>;
  readonly xTrain: DenseMatrix;
  readonly yTrain: Float64Array;
  readonly xTest: DenseMatrix;
  readonly yTest: Float64Array;
}

function foldRowsOf(input: ScoreTaskInput<NeuralScoreData, Partial<NeuralParams> | undefined>, fn: string): FoldRows {
  const data = checkScoreData(input.data, fn);
  const fold = input.fold;
  if (fold === undefined) {
    throw new InvalidOptionError({ fn, arg: 'fold', expected: 'a fold { train, test } (pass cv to the search)', got: 'undefined' });
  }
  const params = input.params === undefined ? data.params : { ...data.params, ...input.params };
  return { data, params, xTrain: takeFoldRows(data.x, fold.train, fn), xTest: takeFoldRows(data.x, fold.test, fn), yTrain: takeValues(data.y, fold.train), yTest: takeValues(data.y, fold.test) };
}

function specOf(d: NeuralScoreData, params: Partial<NeuralParams>): NeuralEstimator<NeuralKind> {
  return d.estimator === 'NeuralRegressor' ? neuralRegressor(params) : neuralClassifier(params);
}

/** The fold's `data.metric` on its test rows; disposes the model. */
function scoreAndDispose(fold: FoldRows, model: FittedNeuralModel, fn: string): number {
  const { data: d, xTest, yTest } = fold;
  try {
    if (d.estimator === 'NeuralRegressor') {
      const pred = (model as FittedNeuralRegressor).predict(xTest);
      const m = d.metric as (typeof REGRESSOR_METRICS)[number];
      return m === 'mse' ? mse(yTest, pred) : m === 'rmse' ? rmse(yTest, pred) : m === 'mae' ? mae(yTest, pred) : r2(yTest, pred);
    }
    const c = model as FittedNeuralClassifier;
    const m = d.metric as (typeof CLASSIFIER_METRICS)[number];
    if (m === 'accuracy') return accuracy(yTest, c.predict(xTest));
    if (c.classes.length !== 2) {
      throw new InvalidOptionError({ fn, arg: 'data.metric', expected: `'accuracy' for a multiclass target ('${m}' needs two classes)`, got: `${c.classes.length} classes` });
    }
    // Labels as 0/1 of classes[1], the class whose probability predictProba returns.
    const pos = c.classes[1] as number;
    const y01 = yTest.map((v) => (v === pos ? 1 : 0));
    const p = c.predictProba(xTest);
    return m === 'rocAuc' ? rocAuc(y01, p) : m === 'logLoss' ? logLoss(y01, p) : brierScore(y01, p);
  } finally {
    model.dispose();
  }
}

/**
 * Which part of a fold `'finml.scoreNeuralPart'` runs: the first part of its epochs (paused after
 * the fraction `pauseAt` of them), or the rest from the first part's checkpoint. @internal
 */
export type FoldPart = { readonly pauseAt: number } | { readonly resumeFrom: TrainCheckpoint };

/** What `'finml.scoreNeuralPart'` answers: the fold's score, or the checkpoint to resume it from. @internal */
export type FoldPartResult = { readonly score: number } | { readonly checkpoint: TrainCheckpoint };

/**
 * The built-in task `'finml.scoreNeuralPart'`: {@link scoreNeuralTask} split in two, so that
 * {@link crossValidate} can run one fold's epochs on two workers, one after the other (5 folds on
 * 2 workers then take 2.5 fold-times instead of 3). With `part.pauseAt` it fits the fold's first
 * `round(pauseAt × epochs)` epochs and answers the checkpoint (or the score, when the fit ended
 * before, or when the backend cannot pause: not cpu/wasm); with `part.resumeFrom` it runs the
 * rest and answers the score. The score is bit-identical to {@link scoreNeuralTask}'s.
 * @internal
 */
export async function scoreNeuralPartTask(input: ScoreTaskInput<NeuralScoreData, Partial<NeuralParams> | undefined> & { readonly part: FoldPart }): Promise<FoldPartResult> {
  const fn = 'finml.scoreNeuralPart';
  const fold = foldRowsOf(input, fn);
  const spec = specOf(fold.data, fold.params);
  const part = input.part as Partial<{ pauseAt: unknown; resumeFrom: unknown }> | null;
  let segment: TrainSegment;
  if (typeof part === 'object' && part !== null && typeof part.pauseAt === 'number' && part.pauseAt > 0 && part.pauseAt < 1) {
    const epochs = fitEpochsOf(spec.params);
    const pauseBefore = Math.round(part.pauseAt * epochs);
    segment = { resumeFrom: null, pauseBefore: canPauseTraining() && pauseBefore >= 1 && pauseBefore < epochs ? pauseBefore : null };
  } else if (typeof part === 'object' && part !== null && typeof part.resumeFrom === 'object' && part.resumeFrom !== null) {
    segment = { resumeFrom: part.resumeFrom as TrainCheckpoint, pauseBefore: null };
  } else {
    throw new InvalidOptionError({ fn, arg: 'part', expected: '{ pauseAt: a number in (0, 1) } or { resumeFrom: a training checkpoint }', got: describeValue(part) });
  }
  const end = await fitNeuralSegment(spec, fold.xTrain, fold.yTrain, segment);
  if (end.fitted === null) return { checkpoint: end.checkpoint };
  return { score: scoreAndDispose(fold, end.fitted, fn) };
}

/**
 * The built-in task `'finml.numTensors'`: the number of live tensors where the task runs (a
 * worker's own count in a pool). Lets tests and callers check that workers do not leak.
 *
 * @returns `tf.memory().numTensors`.
 * @internal
 */
export function numTensorsTask(): number {
  return tf.memory().numTensors;
}

/** Rows, columns, hidden layers, epochs and batch size of the warm-up fit (64 training steps). */
const WARM_UP = { rows: 512, cols: 16, hidden: [32, 16], epochs: 8, batchSize: 32 } as const;

/**
 * The built-in task `'finml.warmUp'`: one small seeded fit and score of a neural classifier
 * (512 synthetic rows x 16 columns, FNN [32, 16], 64 Adam steps on half the rows, scored on the
 * other half), so that the thread it runs in has compiled and optimised tfjs's and finml's
 * training and prediction code before its first real fold. `pool.warmUp({ jit: true })` runs it
 * once in every new worker. It keeps no tensor and no state that a later task could see (every
 * finml model is seeded from its own params), so later results do not change.
 *
 * @returns the warm-up fit's ROC AUC (of no use but to show the fit ran).
 * @internal
 */
export async function warmUpTask(): Promise<number> {
  const { rows, cols, hidden, epochs, batchSize } = WARM_UP;
  const x = new Float64Array(rows * cols);
  for (let i = 0; i < x.length; i++) x[i] = Math.sin(i * 0.7301) + 0.5 * Math.cos(i * 0.1713);
  const y = new Float64Array(rows);
  for (let r = 0; r < rows; r++) {
    let z = Math.sin(r * 1.31);
    for (let j = 0; j < cols; j++) z += (j % 3 === 0 ? 1 : -0.5) * (x[r * cols + j] as number);
    y[r] = z > 0 ? 1 : 0;
  }
  const half = Int32Array.from({ length: rows / 2 }, (_, i) => 2 * i);
  const data: NeuralScoreData = {
    x: { rows, cols, data: x },
    y,
    estimator: 'NeuralClassifier',
    params: { model: { type: 'fnn', hidden: [...hidden] }, train: { epochs, batchSize }, seed: 1 },
    metric: 'rocAuc',
  };
  return scoreNeuralTask({ data, params: undefined, fold: { train: half, test: half.map((i) => i + 1) }, foldIndex: 0 });
}

/**
 * The tasks the search functions need, by name: `'finml.scoreNeural'` ({@link scoreNeuralTask}),
 * `'finml.scoreNeuralPart'` ({@link scoreNeuralPartTask}: a fold split over two workers),
 * `'finml.numTensors'` ({@link numTensorsTask}) and `'finml.warmUp'` ({@link warmUpTask}, run by
 * the pools' `warmUp({ jit: true })`). The default executor of {@link crossValidate} and the
 * searches runs these; `FINML_TASKS` adds the explainers' tasks.
 * @internal
 */
export const SEARCH_TASKS: TaskRegistry = Object.freeze({
  'finml.scoreNeural': scoreNeuralTask as TaskFn,
  'finml.scoreNeuralPart': scoreNeuralPartTask as TaskFn,
  'finml.numTensors': numTensorsTask,
  'finml.warmUp': warmUpTask,
});
