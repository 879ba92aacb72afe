/**
 * The finml trainer: a custom, seeded training loop for `tf.LayersModel` with validation,
 * early stopping, learning-rate schedules, class weights and a NaN/Inf-loss guard.
 *
 * @module
 */
import { requireBackend } from '../core/backend';
import * as tf from '@tensorflow/tfjs-core';
import { ensureChainedOps } from '../core/chainedOps';
import type * as tfl from '@tensorflow/tfjs-layers';
import { DataError, InvalidOptionError, ShapeError, TrainingError, describeValue } from '../core/errors';
import { resolveOptions, rules, type RuleTable } from '../core/options';
import { createRng } from '../core/random';
import { checkInputShape, readInput, readTarget, type NeuralInput, type NeuralTarget } from './_internal/neuralData';
import { metricCount, metricSum, perSampleLoss, type LossName, type MetricName } from './losses';
import { isImprovement } from './_internal/monitor';
import { chainForward } from './_internal/fusedDense';
import { balancedClassWeights } from './classWeights';

export type { NeuralInput, NeuralTarget } from './_internal/neuralData';

/** Optimizers the trainer can create. @category Training */
export type OptimizerName = 'adam' | 'sgd' | 'rmsprop';

/** Training losses; `'auto'` picks one from the model's output layer (sigmoid → binary CE, softmax → categorical CE, else MSE). @category Training */
export type TrainLoss = 'auto' | LossName;

/** Metrics tracked per epoch (on the training batches and, with validation, as `valXxx`). @category Training */
export type TrainMetric = MetricName;

/** Whether a monitored value should go down (`'min'`) or up (`'max'`); `'auto'`: max for accuracy, min otherwise. @category Training */
export type MonitorMode = 'auto' | 'min' | 'max';

/**
 * Early stopping (Keras `EarlyStopping`).
 *
 * A NaN monitored value (possible with `nanGuard: false`) never counts as an improvement, as in
 * Keras: that epoch counts toward `patience` like a stale one and is never the best epoch, so its
 * weights are never restored. If every monitored value was NaN, `bestEpoch` is null and nothing is
 * restored. ReduceLROnPlateau treats NaN the same way.
 * @category Training
 */
export interface EarlyStoppingOptions {
  /** Monitored key: `'loss'`, `'valLoss'`, a metric (`'accuracy'`) or `'valAccuracy'`...; `'auto'` = `'valLoss'` with validation data, else `'loss'`. @defaultValue 'auto' */
  readonly monitor: string;
  /** @defaultValue 'auto' */
  readonly mode: MonitorMode;
  /** Epochs without improvement before stopping. @defaultValue 5 */
  readonly patience: number;
  /** Minimum change that counts as an improvement. @defaultValue 0 */
  readonly minDelta: number;
  /** Restore the weights of the best epoch at the end (also when training ran all epochs). @defaultValue true */
  readonly restoreBestWeights: boolean;
}

/** Reduce the learning rate when a monitored value stops improving (Keras `ReduceLROnPlateau`). @category Training */
export interface ReduceLrOnPlateauOptions {
  /** Monitored key, as in {@link EarlyStoppingOptions.monitor}. @defaultValue 'auto' */
  readonly monitor: string;
  /** @defaultValue 'auto' */
  readonly mode: MonitorMode;
  /** Multiplier applied to the learning rate, in (0, 1). @defaultValue 0.1 */
  readonly factor: number;
  /** Epochs without improvement before reducing. @defaultValue 10 */
  readonly patience: number;
  /** Lower bound of the learning rate. @defaultValue 0 */
  readonly minLr: number;
  /** Epochs to wait after a reduction before counting again. @defaultValue 0 */
  readonly cooldown: number;
  /** Minimum change that counts as an improvement. @defaultValue 0.0001 */
  readonly minDelta: number;
}

/** Explicit validation data. @category Training */
export interface ValidationData {
  readonly x: NeuralInput;
  readonly y: NeuralTarget;
}

/** What {@link TrainOptions.onEpochEnd} receives. @category Training */
export interface EpochLogs {
  /** 0-based epoch index. */
  readonly epoch: number;
  /** Mean training loss over the epoch (including regularization penalties). */
  readonly loss: number;
  /** Validation loss, when there is validation data. */
  readonly valLoss?: number;
  /** Learning rate used during this epoch. */
  readonly lr: number;
  /** Metrics, e.g. `{ accuracy, valAccuracy }`. */
  readonly metrics: Readonly<Record<string, number>>;
}

/** What {@link TrainOptions.onBatchEnd} receives. @category Training */
export interface BatchLogs {
  readonly epoch: number;
  readonly batch: number;
  /** Loss of this batch. */
  readonly loss: number;
  /** Rows in this batch. */
  readonly size: number;
}

/** Per-epoch record of a training run. @category Training */
export interface TrainHistory {
  readonly epoch: readonly number[];
  readonly loss: readonly number[];
  /** Empty without validation data. */
  readonly valLoss: readonly number[];
  readonly lr: readonly number[];
  /** Metric name (`accuracy`, `valAccuracy`, ...) → one value per epoch. */
  readonly metrics: Readonly<Record<string, readonly number[]>>;
}

/** Class weights: `'balanced'`, an array indexed by class, or a record keyed by class index. @category Training */
export type ClassWeightOption = 'balanced' | readonly number[] | Readonly<Record<string, number>> | null;

/** Options of {@link trainModel}. All optional. @category Training */
export interface TrainOptions {
  /** @defaultValue 10 */
  readonly epochs: number;
  /** @defaultValue 32 */
  readonly batchSize: number;
  /** @defaultValue 'adam' */
  readonly optimizer: OptimizerName;
  /** Initial learning rate. @defaultValue 0.001 */
  readonly learningRate: number;
  /** @defaultValue 'auto' */
  readonly loss: TrainLoss;
  /** @defaultValue [] */
  readonly metrics: readonly TrainMetric[];
  /** Fraction of rows held out for validation, in [0, 1). @defaultValue 0 */
  readonly validationSplit: number;
  /** `'last'`: the last rows (like Keras; right for time series); `'shuffled'`: a seeded random subset. @defaultValue 'last' */
  readonly validationMode: 'last' | 'shuffled';
  /** Explicit validation data (overrides validationSplit). @defaultValue null */
  readonly validationData: ValidationData | null;
  /** Shuffle the training rows every epoch with the seeded generator. @defaultValue true */
  readonly shuffle: boolean;
  /** Seed of shuffling and of the shuffled validation split. @defaultValue 0 */
  readonly seed: number;
  /** @defaultValue null (off) */
  readonly earlyStopping: Partial<EarlyStoppingOptions> | null;
  /** @defaultValue null (off) */
  readonly reduceLrOnPlateau: Partial<ReduceLrOnPlateauOptions> | null;
  /** Custom schedule called at the start of every epoch: `(epoch, currentLr) => newLr`. @defaultValue null */
  readonly lrSchedule: ((epoch: number, lr: number) => number) | null;
  /**
   * Per-class loss weights, for models with one class label per row (one binary output unit, or a
   * softmax output). `'balanced'` needs a training row of every class (a DataError names the
   * missing class otherwise). @defaultValue null
   */
  readonly classWeight: ClassWeightOption;
  /** Stop with a TrainingError as soon as a batch loss is NaN or infinite. @defaultValue true */
  readonly nanGuard: boolean;
  /** Read batch losses back every N batches (1 = name the exact batch at once; larger = less sync overhead). @defaultValue 1 */
  readonly checkEvery: number;
  /** @defaultValue null */
  readonly onEpochEnd: ((logs: EpochLogs) => void | Promise<void>) | null;
  /** @defaultValue null */
  readonly onBatchEnd: ((logs: BatchLogs) => void | Promise<void>) | null;
  /** @defaultValue null */
  readonly onTrainEnd: ((result: TrainResult) => void | Promise<void>) | null;
  /** Aborts training (TrainingError) at the next batch. The loop yields to the event loop about every 25 ms, so an abort from a timer or I/O callback takes effect within one batch. @defaultValue null */
  readonly signal: AbortSignal | null;
}

/** What {@link trainModel} resolves to. @category Training */
export interface TrainResult {
  readonly history: TrainHistory;
  /** Number of epochs run. */
  readonly epochs: number;
  /** Why training ended. */
  readonly stopReason: 'completed' | 'earlyStopping';
  /** Epoch with the best monitored value (early stopping only; NaN values are never best), else null. */
  readonly bestEpoch: number | null;
  /** True when the best epoch's weights were restored at the end. */
  readonly restoredBestWeights: boolean;
  /** Learning rate at the end of training. */
  readonly finalLearningRate: number;
  /** The loss used (resolved from 'auto'). */
  readonly loss: LossName;
}

/** The defaults of {@link TrainOptions}. @internal */
export const TRAIN_DEFAULTS: TrainOptions = Object.freeze({
  epochs: 10,
  batchSize: 32,
  optimizer: 'adam',
  learningRate: 0.001,
  loss: 'auto',
  metrics: Object.freeze([]) as readonly TrainMetric[],
  validationSplit: 0,
  validationMode: 'last',
  validationData: null,
  shuffle: true,
  seed: 0,
  earlyStopping: null,
  reduceLrOnPlateau: null,
  lrSchedule: null,
  classWeight: null,
  nanGuard: true,
  checkEvery: 1,
  onEpochEnd: null,
  onBatchEnd: null,
  onTrainEnd: null,
  signal: null,
});

const isPlainObject = (v: unknown): boolean => typeof v === 'object' && v !== null && !Array.isArray(v);

const TRAIN_RULES: RuleTable<TrainOptions> = {
  epochs: rules.int({ min: 1 }),
  batchSize: rules.int({ min: 1 }),
  optimizer: rules.oneOf(['adam', 'sgd', 'rmsprop']),
  learningRate: rules.number({ min: 0, exclusiveMin: true }),
  loss: rules.oneOf(['auto', 'binaryCrossentropy', 'categoricalCrossentropy', 'meanSquaredError', 'meanAbsoluteError', 'huber']),
  metrics: rules.custom("an array of 'accuracy', 'mae', 'mse'", (v) => Array.isArray(v) && v.every((m) => m === 'accuracy' || m === 'mae' || m === 'mse')),
  validationSplit: rules.custom('a number >= 0 and < 1', (v) => typeof v === 'number' && v >= 0 && v < 1),
  validationMode: rules.oneOf(['last', 'shuffled']),
  validationData: rules.custom('null or an object { x, y }', (v) => v === null || (isPlainObject(v) && 'x' in (v as object) && 'y' in (v as object))),
  shuffle: rules.boolean(),
  seed: rules.custom('a safe integer', (v) => typeof v === 'number' && Number.isSafeInteger(v)),
  earlyStopping: rules.custom('null or an early-stopping options object', (v) => v === null || isPlainObject(v)),
  reduceLrOnPlateau: rules.custom('null or a reduce-on-plateau options object', (v) => v === null || isPlainObject(v)),
  lrSchedule: rules.nullable(rules.func()),
  classWeight: rules.custom(
    "null, 'balanced', an array of positive numbers or a record of class index → positive number",
    (v) =>
      v === null ||
      v === 'balanced' ||
      (Array.isArray(v) && v.every((w) => typeof w === 'number' && Number.isFinite(w) && w > 0)) ||
      (isPlainObject(v) &&
        Object.entries(v as object).every(([k, w]) => /^\d+$/.test(k) && typeof w === 'number' && Number.isFinite(w) && w > 0)),
  ),
  nanGuard: rules.boolean(),
  checkEvery: rules.int({ min: 1 }),
  onEpochEnd: rules.nullable(rules.func()),
  onBatchEnd: rules.nullable(rules.func()),
  onTrainEnd: rules.nullable(rules.func()),
  signal: rules.custom('null or an AbortSignal', (v) => v === null || (typeof v === 'object' && typeof (v as { aborted?: unknown }).aborted === 'boolean')),
};

/** Defaults of {@link EarlyStoppingOptions}. @internal */
export const EARLY_STOPPING_DEFAULTS: EarlyStoppingOptions = Object.freeze({
  monitor: 'auto',
  mode: 'auto',
  patience: 5,
  minDelta: 0,
  restoreBestWeights: true,
});

const EARLY_STOPPING_RULES: RuleTable<EarlyStoppingOptions> = {
  monitor: rules.string(),
  mode: rules.oneOf(['auto', 'min', 'max']),
  patience: rules.int({ min: 0 }),
  minDelta: rules.number({ min: 0 }),
  restoreBestWeights: rules.boolean(),
};

/** Defaults of {@link ReduceLrOnPlateauOptions}. @internal */
export const REDUCE_LR_DEFAULTS: ReduceLrOnPlateauOptions = Object.freeze({
  monitor: 'auto',
  mode: 'auto',
  factor: 0.1,
  patience: 10,
  minLr: 0,
  cooldown: 0,
  minDelta: 1e-4,
});

const REDUCE_LR_RULES: RuleTable<ReduceLrOnPlateauOptions> = {
  monitor: rules.string(),
  mode: rules.oneOf(['auto', 'min', 'max']),
  factor: rules.number({ min: 0, max: 1, exclusiveMin: true }),
  patience: rules.int({ min: 0 }),
  minLr: rules.number({ min: 0 }),
  cooldown: rules.int({ min: 0 }),
  minDelta: rules.number({ min: 0 }),
};

/** Fully resolved trainer options (nested option objects resolved too). @internal */
export interface ResolvedTrainOptions extends Omit<TrainOptions, 'earlyStopping' | 'reduceLrOnPlateau'> {
  readonly earlyStopping: EarlyStoppingOptions | null;
  readonly reduceLrOnPlateau: ReduceLrOnPlateauOptions | null;
}

/**
 * Validates trainer options (including the nested early-stopping and plateau options) and
 * returns them frozen, merged over {@link TRAIN_DEFAULTS}.
 *
 * @param options - Partial trainer options.
 * @param fn - Function name used in error messages.
 * @throws {InvalidOptionError} for unknown keys or invalid values.
 * @internal
 */
export function resolveTrainOptions(options?: Partial<TrainOptions>, fn = 'trainModel'): ResolvedTrainOptions {
  const o = resolveOptions<TrainOptions>(fn, options, TRAIN_DEFAULTS, TRAIN_RULES);
  const es = o.earlyStopping === null ? null : resolveOptions(`${fn} (earlyStopping)`, o.earlyStopping, EARLY_STOPPING_DEFAULTS, EARLY_STOPPING_RULES);
  const rp = o.reduceLrOnPlateau === null ? null : resolveOptions(`${fn} (reduceLrOnPlateau)`, o.reduceLrOnPlateau, REDUCE_LR_DEFAULTS, REDUCE_LR_RULES);
  return Object.freeze({ ...o, metrics: Object.freeze([...o.metrics]), earlyStopping: es, reduceLrOnPlateau: rp });
}

/**
 * Infers the loss from the model's output layer activation: sigmoid → binary cross-entropy,
 * softmax → categorical cross-entropy, otherwise mean squared error (what `loss: 'auto'` uses).
 *
 * @param model - A tfjs-layers model.
 * @returns the loss name.
 * @internal
 */
export function inferLoss(model: tfl.LayersModel): LossName {
  const last = model.layers[model.layers.length - 1];
  const act = last === undefined ? undefined : (last.getConfig() as { activation?: unknown }).activation;
  if (act === 'sigmoid') return 'binaryCrossentropy';
  if (act === 'softmax') return 'categoricalCrossentropy';
  return 'meanSquaredError';
}

function createOptimizer(name: OptimizerName, lr: number): tf.Optimizer {
  switch (name) {
    case 'adam':
      return tf.train.adam(lr);
    case 'sgd':
      return tf.train.sgd(lr);
    case 'rmsprop':
      return tf.train.rmsprop(lr);
  }
}

function setLearningRate(opt: tf.Optimizer, lr: number): void {
  // tfjs optimizers answer `instanceof` by duck typing, so test for the method itself: SGD caches
  // -lr in a scalar and must be told; adam/rmsprop read their `learningRate` field every step.
  const sgd = opt as unknown as { setLearningRate?: (lr: number) => void; learningRate: number };
  if (typeof sgd.setLearningRate === 'function') sgd.setLearningRate(lr);
  else sgd.learningRate = lr;
}

/**
 * Copies the rows `rowOf(order[from..to))` of a row-major array into a new array. Batches are
 * built on the JS side and uploaded one by one: slicing a big device tensor per batch copies the
 * whole tensor out of wasm memory each time (tf.slice reads the full source), which made training
 * time grow with rows².
 */
function gatherRows(values: Float32Array, rowSize: number, order: Int32Array | null, from: number, to: number, rowOf: Int32Array | null): Float32Array {
  const out = new Float32Array((to - from) * rowSize);
  if (order === null && rowOf === null) {
    out.set(values.subarray(from * rowSize, to * rowSize));
    return out;
  }
  for (let i = from; i < to; i++) {
    const pos = order === null ? i : (order[i] as number);
    const r = rowOf === null ? pos : (rowOf[pos] as number);
    if (rowSize === 1) out[i - from] = values[r] as number;
    else out.set(values.subarray(r * rowSize, (r + 1) * rowSize), (i - from) * rowSize);
  }
  return out;
}

/** Row-major training data kept on the JS side; batches are uploaded from it. */
interface HostData {
  readonly x: Float32Array;
  readonly xRowShape: readonly number[];
  readonly y: Float32Array;
  readonly yWidth: number;
}

function isAborted(signal: AbortSignal | null): signal is AbortSignal {
  return signal !== null && signal.aborted;
}

/** Turns raw targets into [n, k] float targets for the loss, and class labels for weighting. */
function prepareTargets(
  shape: number[],
  values: Float32Array,
  loss: LossName,
  units: number,
  fn: string,
  arg: string,
): { values: Float32Array; labels: Int32Array | null } {
  const n = shape[0] as number;
  const k = shape.length === 2 ? (shape[1] as number) : 1;
  if (loss === 'categoricalCrossentropy') {
    const labels = new Int32Array(n);
    if (shape.length === 1 || k === 1) {
      const out = new Float32Array(n * units);
      for (let i = 0; i < n; i++) {
        const v = values[i] as number;
        if (!Number.isInteger(v) || v < 0 || v >= units) {
          throw new DataError({ fn, arg, expected: `integer class labels in [0, ${units - 1}]`, got: `${describeValue(v)} at row ${i}` });
        }
        labels[i] = v;
        out[i * units + v] = 1;
      }
      return { values: out, labels };
    }
    if (k !== units) throw new ShapeError({ fn, arg, expected: `one-hot rows of width ${units} (the model's output units)`, got: `width ${k}` });
    for (let i = 0; i < n; i++) {
      let best = 0;
      for (let j = 1; j < k; j++) if ((values[i * k + j] as number) > (values[i * k + best] as number)) best = j;
      labels[i] = best;
    }
    return { values, labels };
  }
  if (k !== units) throw new ShapeError({ fn, arg, expected: `${units} target column(s) (the model's output units)`, got: `${k} column(s)` });
  if (loss === 'binaryCrossentropy') {
    const labels = new Int32Array(n * k);
    for (let i = 0; i < values.length; i++) {
      const v = values[i] as number;
      if (v < 0 || v > 1) throw new DataError({ fn, arg, expected: 'binary targets in [0, 1]', got: `${describeValue(v)} at row ${Math.floor(i / k)}` });
      labels[i] = v >= 0.5 ? 1 : 0;
    }
    return { values, labels: k === 1 ? labels : null };
  }
  return { values, labels: null };
}

/** Why the training rows lack a class, for the error of `classWeight: 'balanced'`. */
type MissingClassNote = (cls: number) => string;

function sampleWeights(
  labels: Int32Array | null,
  cw: ClassWeightOption,
  nClasses: number,
  loss: LossName,
  units: number,
  missingNote: MissingClassNote,
  fn: string,
): Float32Array | null {
  if (cw === null) return null;
  if (labels === null) {
    if (loss === 'binaryCrossentropy') {
      throw new InvalidOptionError({
        fn,
        arg: 'classWeight',
        expected:
          'null for a multi-output (multi-label) binary model: class weights need one class label per row, i.e. a model with one output unit (binary) or a softmax output (multiclass)',
        got: `${describeValue(cw)} for a model with ${units} output units trained with binaryCrossentropy`,
      });
    }
    throw new InvalidOptionError({ fn, arg: 'classWeight', expected: `null for the regression loss ${loss} (class weights need class labels)`, got: describeValue(cw) });
  }
  let perClass: number[];
  if (cw === 'balanced') {
    const counts = new Array<number>(nClasses).fill(0);
    for (let i = 0; i < labels.length; i++) counts[labels[i] as number] = (counts[labels[i] as number] as number) + 1;
    const missing = counts.findIndex((c) => c === 0);
    if (missing >= 0) {
      throw new DataError({
        fn,
        arg: 'classWeight',
        expected: `used only when the training rows contain every class 0..${nClasses - 1} ('balanced' divides by each class's count of training rows)`,
        got: `'balanced' with no training row of class ${missing}: ${missingNote(missing)}`,
      });
    }
    perClass = balancedClassWeights(labels, nClasses);
  } else if (Array.isArray(cw)) {
    const arr = cw as readonly number[];
    if (arr.length !== nClasses) throw new InvalidOptionError({ fn, arg: 'classWeight', expected: `an array of ${nClasses} weights (one per class)`, got: describeValue(cw) });
    perClass = arr.slice();
  } else {
    const rec = cw as Readonly<Record<string, number>>;
    perClass = Array.from({ length: nClasses }, (_, c) => rec[String(c)] ?? 1);
    const bad = Object.keys(rec).find((k) => Number(k) >= nClasses);
    if (bad !== undefined) throw new InvalidOptionError({ fn, arg: 'classWeight', expected: `class indices in [0, ${nClasses - 1}]`, got: `key ${bad}` });
  }
  const w = new Float32Array(labels.length);
  for (let i = 0; i < labels.length; i++) w[i] = perClass[labels[i] as number] as number;
  return w;
}

function rowsOf(values: Float32Array, shape: readonly number[], idx: ArrayLike<number>): Float32Array {
  const rowSize = shape.slice(1).reduce((a, b) => a * b, 1);
  const out = new Float32Array(idx.length * rowSize);
  for (let i = 0; i < idx.length; i++) {
    const r = idx[i] as number;
    out.set(values.subarray(r * rowSize, (r + 1) * rowSize), i * rowSize);
  }
  return out;
}

function resolveMode(mode: MonitorMode, key: string): 'min' | 'max' {
  if (mode !== 'auto') return mode;
  return /accuracy/i.test(key) ? 'max' : 'min';
}

function capital(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1);
}

/** How often (ms) the training loop yields to the event loop, so timers (an abort) and I/O can run. */
const YIELD_EVERY_MS = 25;

type Immediate = (cb: () => void) => unknown;
const setImmediateFn: Immediate | undefined = (globalThis as { setImmediate?: Immediate }).setImmediate;

/** Lets queued macrotasks (timers, I/O) run: setImmediate where it exists (Node), else setTimeout 0. */
const yieldToEventLoop = (): Promise<void> =>
  new Promise((resolve) => {
    if (setImmediateFn !== undefined) setImmediateFn(resolve);
    else setTimeout(resolve, 0);
  });

/**
 * Trains a `tf.LayersModel` in place with a seeded custom loop (`optimizer.minimize` per batch).
 *
 * - Optimizer (`adam` / `sgd` / `rmsprop`) and loss are created here; the model does not need to
 *   be compiled. The optimizer is disposed at the end, also when training throws.
 * - Rows are shuffled every epoch with `createRng(seed)` (never tfjs' Math.random shuffle), so the
 *   same seed and the same initial weights give identical trained weights.
 * - Validation: explicit `validationData`, or the last `validationSplit` fraction of rows
 *   (`validationMode: 'shuffled'` for a seeded random subset).
 * - Early stopping (with best-weight restoration also when all epochs ran), ReduceLROnPlateau,
 *   custom `lrSchedule(epoch, lr)`, class weights (`'balanced'` or explicit), NaN/Inf-loss guard.
 *   With `nanGuard: false`, a NaN monitored value is never an improvement (see {@link EarlyStoppingOptions}).
 *
 * - Speed: each mini-batch is gathered from the shuffled rows on the JS side and uploaded on its
 *   own (no slicing of one big device tensor, which on wasm copies the whole tensor per batch),
 *   so time grows linearly with rows; `tf.Sequential` chains of Dense layers (with dropout or
 *   batch norm between them) train through a fused dense op with a hand-written gradient (the
 *   same values as tfjs-layers' Dense, bit for bit on cpu). The loop yields to the event loop
 *   about every 25 ms, so timers, I/O and an AbortSignal stay responsive.
 *
 * Multiclass targets may be integer labels `0..k-1` or one-hot rows; binary targets 0/1.
 * Inputs are never disposed; every tensor the trainer creates is disposed before it returns.
 *
 * @param model - A built single-input, single-output model; its weights are updated in place.
 * @param x - Inputs: `[n, features]` or `[n, lookback, features]` as nested arrays, DenseMatrix or tensor.
 * @param y - Targets: `[n]` or `[n, k]`.
 * @param options - See {@link TrainOptions}.
 * @returns the history and how training ended.
 * @throws {InvalidOptionError} invalid options, an unknown monitored key (the message lists the available ones).
 * @throws {ShapeError} when x or y do not match the model's input/output shape.
 * @throws {DataError} empty data, NaN/Infinity, labels out of range.
 * @throws {TrainingError} when a loss becomes NaN/Infinity (naming epoch and batch) or the signal aborts.
 * @example
 * ```ts
 * import * as tfl from '@tensorflow/tfjs-layers';
 * import { trainModel } from 'finml';
 * const model = tfl.sequential({ layers: [tfl.layers.dense({ units: 1, inputShape: [2], activation: 'sigmoid' })] });
 * const result = await trainModel(model, [[0, 1], [1, 0], [1, 1], [0, 0]], [1, 0, 1, 0], {
 *   epochs: 20, learningRate: 0.05, validationSplit: 0.25, earlyStopping: { patience: 3 }, seed: 1,
 * });
 * result.history.loss.length; //=> number of epochs run
 * model.dispose();
 * ```
 * @category Training
 */
export async function trainModel(
  model: tfl.LayersModel,
  x: NeuralInput,
  y: NeuralTarget,
  options?: Partial<TrainOptions>,
): Promise<TrainResult> {
  const fn = 'trainModel';
  requireBackend(fn);
  ensureChainedOps();
  const o = resolveTrainOptions(options, fn);
  if (typeof model !== 'object' || model === null || !Array.isArray((model as { layers?: unknown }).layers) || typeof model.apply !== 'function') {
    throw new InvalidOptionError({ fn, arg: 'model', expected: 'a tf.LayersModel', got: describeValue(model) });
  }
  if (model.inputs.length !== 1 || model.outputs.length !== 1) {
    throw new InvalidOptionError({ fn, arg: 'model', expected: 'a model with one input and one output', got: `${model.inputs.length} inputs and ${model.outputs.length} outputs` });
  }
  const inputShape = (model.inputs[0] as tfl.SymbolicTensor).shape;
  const outShape = (model.outputs[0] as tfl.SymbolicTensor).shape;
  if (outShape.length !== 2) {
    throw new InvalidOptionError({ fn, arg: 'model', expected: 'an output of shape [batch, units]', got: `output shape [${outShape.join(', ')}]` });
  }
  const units = outShape[1] as number;
  const loss: LossName = o.loss === 'auto' ? inferLoss(model) : o.loss;
  const nClasses = loss === 'categoricalCrossentropy' ? units : 2;
  const metrics = o.metrics;

  // ---- Data (all JS-side validation before any tensor is created) ----
  const xi = readInput(x, fn, 'x');
  checkInputShape(xi.shape, inputShape, fn, 'x');
  const n = xi.shape[0] as number;
  const yi = readTarget(y, fn, 'y', n);
  const yt = prepareTargets(yi.shape, yi.values, loss, units, fn, 'y');
  const yShape = [n, yt.values.length / n];

  let trainIdx: Int32Array;
  let valIdx: Int32Array | null = null;
  const rng = createRng(o.seed);
  if (o.validationData === null && o.validationSplit > 0) {
    const nVal = Math.floor(n * o.validationSplit);
    if (nVal < 1 || nVal >= n) {
      throw new DataError({ fn, arg: 'validationSplit', expected: `a split leaving at least 1 training and 1 validation row of ${n}`, got: `${nVal} validation rows` });
    }
    const order = o.validationMode === 'shuffled' ? rng.fork().permutation(n) : Int32Array.from({ length: n }, (_, i) => i);
    trainIdx = order.slice(0, n - nVal);
    valIdx = order.slice(n - nVal);
    if (o.validationMode === 'shuffled') {
      trainIdx.sort();
      valIdx.sort();
    }
  } else {
    trainIdx = Int32Array.from({ length: n }, (_, i) => i);
  }
  let valRaw: { x: Float32Array; xShape: number[]; y: Float32Array; yShape: number[] } | null = null;
  if (o.validationData !== null) {
    const vx = readInput(o.validationData.x, fn, 'validationData.x');
    checkInputShape(vx.shape, inputShape, fn, 'validationData.x');
    const vn = vx.shape[0] as number;
    const vyRaw = readTarget(o.validationData.y, fn, 'validationData.y', vn);
    const vy = prepareTargets(vyRaw.shape, vyRaw.values, loss, units, fn, 'validationData.y');
    valRaw = { x: vx.values, xShape: vx.shape, y: vy.values, yShape: [vn, vy.values.length / vn] };
  } else if (valIdx !== null) {
    valRaw = {
      x: rowsOf(xi.values, xi.shape, valIdx),
      xShape: [valIdx.length, ...xi.shape.slice(1)],
      y: rowsOf(yt.values, yShape, valIdx),
      yShape: [valIdx.length, yShape[1] as number],
    };
  }
  const nTrain = trainIdx.length;
  const trainLabels = yt.labels === null ? null : (() => {
    const l = new Int32Array(nTrain);
    for (let i = 0; i < nTrain; i++) l[i] = yt.labels[trainIdx[i] as number] as number;
    return l;
  })();
  const missingNote: MissingClassNote = (cls) => {
    let total = 0;
    if (yt.labels !== null) for (let i = 0; i < n; i++) if (yt.labels[i] === cls) total++;
    if (total === 0) return `y has no row of class ${cls}`;
    return `the validationSplit of ${o.validationSplit} (validationMode '${o.validationMode}') put all ${total} row(s) of class ${cls} in the validation rows; use validationMode 'shuffled', explicit validationData or explicit class weights`;
  };
  const weights = sampleWeights(trainLabels, o.classWeight, nClasses, loss, units, missingNote, fn);

  // ---- Monitored keys ----
  const hasVal = valRaw !== null;
  const available = ['loss', ...metrics, ...(hasVal ? ['valLoss', ...metrics.map((m) => `val${capital(m)}`)] : [])];
  const monitorKey = (monitor: string, which: string): string => {
    const key = monitor === 'auto' ? (hasVal ? 'valLoss' : 'loss') : monitor;
    if (!available.includes(key)) {
      throw new InvalidOptionError({
        fn,
        arg: `${which}.monitor`,
        expected: `one of the available keys ${available.map((k) => `'${k}'`).join(', ')}`,
        got: describeValue(monitor),
      });
    }
    return key;
  };
  const es = o.earlyStopping;
  const esKey = es === null ? '' : monitorKey(es.monitor, 'earlyStopping');
  const esMode = es === null ? 'min' : resolveMode(es.mode, esKey);
  const rp = o.reduceLrOnPlateau;
  const rpKey = rp === null ? '' : monitorKey(rp.monitor, 'reduceLrOnPlateau');
  const rpMode = rp === null ? 'min' : resolveMode(rp.mode, rpKey);

  if (isAborted(o.signal)) throw abortError(o.signal, -1, -1);

  const vars = model.trainableWeights.map((w) => w.read() as tf.Variable);
  if (vars.length === 0) {
    throw new InvalidOptionError({ fn, arg: 'model', expected: 'a model with at least one trainable weight', got: 'no trainable weights (every layer frozen)' });
  }

  // ---- Tensors owned by this call: per-batch tensors (tidied), the snapshot, the optimizer ----
  let snapshot: tf.Tensor[] | null = null;
  const disposeSnapshot = (): void => {
    if (snapshot !== null) tf.dispose(snapshot);
    snapshot = null;
  };
  const optimizer = createOptimizer(o.optimizer, o.learningRate);
  let lr = o.learningRate;
  const history = { epoch: [] as number[], loss: [] as number[], valLoss: [] as number[], lr: [] as number[], metrics: {} as Record<string, number[]> };
  for (const k of available) if (k !== 'loss' && k !== 'valLoss') history.metrics[k] = [];

  try {
    const xRowShape = xi.shape.slice(1);
    const xRowSize = xRowShape.reduce((a, b) => a * b, 1);
    const yWidth = yShape[1] as number;
    // Training row i (0..nTrain-1) is row trainIdx[i] of x/y; null when they are the same rows.
    const rowOf = nTrain === n ? null : trainIdx;
    const valHost: HostData | null = valRaw === null ? null : { x: valRaw.x, xRowShape: valRaw.xShape.slice(1), y: valRaw.y, yWidth: valRaw.yShape[1] as number };
    const shuffleRng = rng.fork();
    // Dense chains train through a fused dense op with a hand-written gradient (fewer, faster ops).
    const chain = chainForward(model);
    let lastYield = performance.now();
    const nBatches = Math.ceil(nTrain / o.batchSize);

    let esBest: number | null = null;
    let esWait = 0;
    let bestEpoch: number | null = null;
    let rpBest = rpMode === 'min' ? Infinity : -Infinity;
    let rpWait = 0;
    let rpCooldown = 0;
    let stopReason: TrainResult['stopReason'] = 'completed';
    let epochsRun = 0;

    for (let epoch = 0; epoch < o.epochs; epoch++) {
      if (o.lrSchedule !== null) {
        const next = o.lrSchedule(epoch, lr);
        if (typeof next !== 'number' || !Number.isFinite(next) || next <= 0) {
          throw new InvalidOptionError({ fn, arg: 'lrSchedule', expected: 'a function returning a finite number > 0', got: `${describeValue(next)} at epoch ${epoch}` });
        }
        if (next !== lr) {
          lr = next;
          setLearningRate(optimizer, lr);
        }
      }
      const order = o.shuffle ? shuffleRng.permutation(nTrain) : null;
      let lossSum = 0;
      const metricSums = new Float64Array(metrics.length);
      const pending: { cost: tf.Scalar; ms: tf.Scalar[]; batch: number; size: number }[] = [];
      const flush = async (): Promise<void> => {
        try {
          for (const p of pending) {
            const v = (p.cost.dataSync() as Float32Array)[0] as number;
            if (o.nanGuard && !Number.isFinite(v)) {
              throw new TrainingError(
                `trainModel: the training loss became ${describeValue(v)} at epoch ${epoch}, batch ${p.batch}. Lower the learning rate, scale the inputs, or check the data for extreme values.`,
                { fn, arg: 'loss', expected: 'a finite loss', got: `${describeValue(v)} at epoch ${epoch}, batch ${p.batch}` },
              );
            }
            lossSum += v * p.size;
            for (let m = 0; m < p.ms.length; m++) metricSums[m] = (metricSums[m] as number) + ((p.ms[m] as tf.Scalar).dataSync()[0] as number);
            if (o.onBatchEnd !== null) await o.onBatchEnd({ epoch, batch: p.batch, loss: v, size: p.size });
          }
        } finally {
          for (const p of pending) tf.dispose([p.cost, ...p.ms]);
          pending.length = 0;
        }
      };
      try {
        for (let b = 0; b < nBatches; b++) {
          if (performance.now() - lastYield >= YIELD_EVERY_MS) {
            await yieldToEventLoop();
            lastYield = performance.now();
          }
          if (isAborted(o.signal)) throw abortError(o.signal, epoch, b);
          const start = b * o.batchSize;
          const size = Math.min(o.batchSize, nTrain - start);
          const end = start + size;
          const ms: tf.Scalar[] = [];
          const cost = tf.tidy(() => {
            const xb = tf.tensor(gatherRows(xi.values, xRowSize, order, start, end, rowOf), [size, ...xRowShape], 'float32');
            const yb = tf.tensor(gatherRows(yt.values, yWidth, order, start, end, rowOf), [size, yWidth], 'float32');
            const wb = weights === null ? null : tf.tensor1d(gatherRows(weights, 1, order, start, end, null), 'float32');
            return optimizer.minimize(
              () => {
                const pred = chain !== null ? chain(xb) : (model.apply(xb, { training: true }) as tf.Tensor);
                const l = perSampleLoss(loss, yb, pred);
                let total: tf.Scalar = wb === null ? tf.mean(l) : tf.div(tf.sum(tf.mul(l, wb)), size);
                for (const r of model.calculateLosses()) total = tf.add(total, r);
                for (const m of metrics) ms.push(tf.keep(metricSum(m, yb, pred)));
                return total;
              },
              true,
              vars,
            ) as tf.Scalar;
          });
          pending.push({ cost, ms, batch: b, size });
          if (pending.length >= o.checkEvery || o.onBatchEnd !== null || b === nBatches - 1) await flush();
        }
      } finally {
        for (const p of pending) tf.dispose([p.cost, ...p.ms]);
      }

      // ---- Epoch logs ----
      const logs: Record<string, number> = { loss: lossSum / nTrain };
      metrics.forEach((m, i) => {
        logs[m] = (metricSums[i] as number) / metricCount(m, nTrain, yShape[1] as number);
      });
      if (valHost !== null) {
        const v = evaluate(model, valHost, loss, metrics);
        if (o.nanGuard && !Number.isFinite(v.loss)) {
          throw new TrainingError(
            `trainModel: the validation loss became ${describeValue(v.loss)} at epoch ${epoch}.`,
            { fn, arg: 'valLoss', expected: 'a finite validation loss', got: `${describeValue(v.loss)} at epoch ${epoch}` },
          );
        }
        logs.valLoss = v.loss;
        metrics.forEach((m, i) => {
          logs[`val${capital(m)}`] = v.metrics[i] as number;
        });
      }
      history.epoch.push(epoch);
      history.loss.push(logs.loss as number);
      if (logs.valLoss !== undefined) history.valLoss.push(logs.valLoss);
      history.lr.push(lr);
      for (const k of Object.keys(history.metrics)) (history.metrics[k] as number[]).push(logs[k] as number);
      epochsRun = epoch + 1;
      if (o.onEpochEnd !== null) {
        const metricLogs: Record<string, number> = {};
        for (const k of Object.keys(history.metrics)) metricLogs[k] = logs[k] as number;
        await o.onEpochEnd(
          Object.freeze({ epoch, loss: logs.loss as number, ...(logs.valLoss !== undefined ? { valLoss: logs.valLoss } : {}), lr, metrics: Object.freeze(metricLogs) }),
        );
      }

      // ---- ReduceLROnPlateau ----
      if (rp !== null) {
        const current = logs[rpKey] as number;
        if (rpCooldown > 0) {
          rpCooldown--;
          rpWait = 0;
        }
        if (isImprovement(rpMode, current, rpBest, rp.minDelta)) {
          rpBest = current;
          rpWait = 0;
        } else if (rpCooldown === 0) {
          rpWait++;
          if (rpWait >= rp.patience && lr > rp.minLr) {
            lr = Math.max(lr * rp.factor, rp.minLr);
            setLearningRate(optimizer, lr);
            rpCooldown = rp.cooldown;
            rpWait = 0;
          }
        }
      }

      // ---- Early stopping ----
      if (es !== null) {
        const current = logs[esKey] as number;
        if (isImprovement(esMode, current, esBest, es.minDelta)) {
          esBest = current;
          bestEpoch = epoch;
          esWait = 0;
          if (es.restoreBestWeights) {
            disposeSnapshot();
            snapshot = model.weights.map((w) => tf.clone(w.read()));
          }
        } else {
          esWait++;
          if (esWait >= es.patience) {
            stopReason = 'earlyStopping';
            break;
          }
        }
      }
      if (performance.now() - lastYield >= YIELD_EVERY_MS) {
        await yieldToEventLoop();
        lastYield = performance.now();
      }
    }

    let restored = false;
    if (es !== null && es.restoreBestWeights && snapshot !== null && bestEpoch !== null && bestEpoch !== epochsRun - 1) {
      const snap: tf.Tensor[] = snapshot;
      model.weights.forEach((w, i) => w.write(snap[i] as tf.Tensor));
      restored = true;
    }
    const result: TrainResult = deepFreezeResult({
      history: {
        epoch: history.epoch,
        loss: history.loss,
        valLoss: history.valLoss,
        lr: history.lr,
        metrics: history.metrics,
      },
      epochs: epochsRun,
      stopReason,
      bestEpoch,
      restoredBestWeights: restored,
      finalLearningRate: lr,
      loss,
    });
    if (o.onTrainEnd !== null) await o.onTrainEnd(result);
    return result;
  } finally {
    disposeSnapshot();
    optimizer.dispose();
  }
}

function deepFreezeResult(r: TrainResult): TrainResult {
  Object.freeze(r.history.epoch);
  Object.freeze(r.history.loss);
  Object.freeze(r.history.valLoss);
  Object.freeze(r.history.lr);
  for (const v of Object.values(r.history.metrics)) Object.freeze(v);
  Object.freeze(r.history.metrics);
  Object.freeze(r.history);
  return Object.freeze(r);
}

function abortError(signal: AbortSignal, epoch: number, batch: number): TrainingError {
  const where = epoch < 0 ? 'before the first epoch' : `at epoch ${epoch}, batch ${batch}`;
  return new TrainingError(
    `trainModel: training was aborted ${where}.`,
    { fn: 'trainModel', arg: 'signal', expected: 'a signal that is not aborted', got: `an aborted signal ${where}` },
    { cause: signal.reason },
  );
}

/** Loss and metric means over a dataset, evaluated in chunks of 4096 rows (inference mode). */
function evaluate(model: tfl.LayersModel, data: HostData, loss: LossName, metrics: readonly TrainMetric[]): { loss: number; metrics: number[] } {
  const k = data.yWidth;
  const n = data.y.length / k;
  const xRowSize = data.xRowShape.reduce((a, b) => a * b, 1);
  const chunk = 4096;
  const sums = tf.tidy(() => {
    let lossSum: tf.Tensor = tf.scalar(0);
    let ms: tf.Tensor[] = metrics.map(() => tf.scalar(0));
    for (let s = 0; s < n; s += chunk) {
      const size = Math.min(chunk, n - s);
      const xb = tf.tensor(gatherRows(data.x, xRowSize, null, s, s + size, null), [size, ...data.xRowShape], 'float32');
      const yb = tf.tensor(gatherRows(data.y, k, null, s, s + size, null), [size, k], 'float32');
      const pred = model.apply(xb, { training: false }) as tf.Tensor;
      lossSum = tf.add(lossSum, tf.sum(perSampleLoss(loss, yb, pred)));
      ms = ms.map((acc, i) => tf.add(acc, metricSum(metrics[i] as TrainMetric, yb, pred)));
    }
    let total: tf.Tensor = tf.div(lossSum, n);
    for (const r of model.calculateLosses()) total = tf.add(total, r);
    return tf.stack([total, ...ms]);
  });
  const v = sums.dataSync();
  sums.dispose();
  return {
    loss: v[0] as number,
    metrics: metrics.map((m, i) => (v[i + 1] as number) / metricCount(m, n, k)),
  };
}
