/**
 * The finml trainer: a custom, seeded training loop for `tf.LayersModel` with validation,
 * early stopping, learning-rate schedules, class weights and a NaN/Inf-loss guard.
 *
 * `trainModel` reads as its steps: the data are prepared and validated on the JS side
 * (`_internal/trainingData.ts`), the epoch loop (`_internal/epochLoop.ts`) runs
 * `trainOneEpoch` (one pass of mini-batches) and calls small callback objects after every epoch
 * (history, `onEpochEnd`, ReduceLROnPlateau and early stopping, from `callbacks.ts`), and the
 * result is frozen.
 *
 * @module
 */
import { requireBackend } from '../core/backend';
import * as tf from '@tensorflow/tfjs-core';
import { backendKeepsTensorsOnHost, createOptimizer, isHostOptimizer, type HostOptimizer } from './_internal/hostOptimizer';
import { captureCheckpoint, checkCheckpoint, copyHistory, restoreModelState, type CheckpointFingerprint, type CheckpointHistory, type TrainCheckpoint } from './_internal/checkpoint';
import { ensureChainedOps } from '../core/chainedOps';
import type * as tfl from '@tensorflow/tfjs-layers';
import { InvalidOptionError, TrainingError, describeValue } from '../core/errors';
import { resolveOptions, rules, type RuleTable } from '../core/options';
import { createRng, type Rng } from '../core/random';
import type { NeuralInput, NeuralTarget } from './_internal/neuralData';
import { metricCount, metricSum, perSampleLoss, type LossName, type MetricName } from './losses';
import { chainForward } from './_internal/fusedDense';
import { denseBackprop, type DenseBackprop, type HostBatch } from './_internal/denseBackprop';
import { gatherRows, sizeOf, type HostData } from './_internal/batches';
import { eventLoopPauses, runEpochs, type EventLoopPauses } from './_internal/epochLoop';
import { prepareTrainingData, type OutputHead, type TrainingData } from './_internal/trainingData';
import {
  EARLY_STOPPING_DEFAULTS,
  EARLY_STOPPING_RULES,
  REDUCE_LR_DEFAULTS,
  REDUCE_LR_RULES,
  earlyStopping,
  learningRateOf,
  monitoredKey,
  reduceLrOnPlateau,
  reportProgress,
  scheduleLearningRate,
  type EarlyStoppingOptions,
  type EpochCallback,
  type EpochValues,
  type LearningRate,
  type ReduceLrOnPlateauOptions,
} from './callbacks';

export type { NeuralInput, NeuralTarget } from './_internal/neuralData';

/** Optimizers the trainer can create. @category Training */
export type OptimizerName = 'adam' | 'sgd' | 'rmsprop';

/** Training losses; `'auto'` picks one from the model's output layer (sigmoid → binary CE, softmax → categorical CE, else MSE). @category Training */
export type TrainLoss = 'auto' | LossName;

/** Metrics tracked per epoch (on the training batches and, with validation, as `valXxx`). @category Training */
export type TrainMetric = MetricName;

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
 *   so time grows linearly with rows. On cpu and wasm, `tf.Sequential` chains of Dense layers
 *   (finml's seeded dropout and L1/L2 kernel penalties allowed) train without tfjs's gradient
 *   tape: fused forward ops, the loss and its gradient on the host, a hand-written backward, and
 *   the optimizer's arithmetic (tfjs's own, bit for bit) in one host loop per weight, about 25 ops
 *   per step instead of 180. Other dense chains (batch norm, webgl) go through the tape with a
 *   fused dense op and a hand-written gradient. The loop yields to the event loop about every
 *   25 ms, so timers, I/O and an AbortSignal stay responsive.
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
import { ensureChainedOps } from 'finml/extend';
 * ensureChainedOps();
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
  const end = await runTraining(model, x, y, options, NO_SEGMENT, 'trainModel');
  return end.result as TrainResult;
}

/**
 * Which part of a training {@link runTraining} runs: from the start or from a checkpoint, to the
 * end or paused before epoch `pauseBefore` (null: no pause). @internal
 */
export interface TrainSegment {
  readonly resumeFrom: TrainCheckpoint | null;
  readonly pauseBefore: number | null;
}

const NO_SEGMENT: TrainSegment = Object.freeze({ resumeFrom: null, pauseBefore: null });

/** How a {@link runTraining} call ended: the result, or (paused) the checkpoint to resume from. @internal */
export type TrainingEnd = { readonly result: TrainResult; readonly checkpoint: null } | { readonly result: null; readonly checkpoint: TrainCheckpoint };

/**
 * True when a training can pause and resume on this backend (its optimizer state is on the host:
 * cpu and wasm). @internal
 */
export function canPauseTraining(): boolean {
  return backendKeepsTensorsOnHost();
}

/**
 * {@link trainModel}, one segment of it: resumed from `segment.resumeFrom` (the model's weights
 * are overwritten with the checkpoint's) and/or paused before `segment.pauseBefore`. A training
 * paused and resumed, in this thread or another, ends exactly as one uninterrupted call: the
 * same weights, history and result, bit for bit. `onTrainEnd` runs only at the real end.
 * @internal
 */
export async function runTraining(
  model: tfl.LayersModel,
  x: NeuralInput,
  y: NeuralTarget,
  options: Partial<TrainOptions> | undefined,
  segment: TrainSegment,
  fn: string,
): Promise<TrainingEnd> {
  requireBackend(fn);
  ensureChainedOps();
  const o = resolveTrainOptions(options, fn);
  const head = outputHeadOf(model, o.loss, fn);
  const rng = createRng(o.seed);
  const data = prepareTrainingData(x, y, head, o, rng, fn);
  const keys = monitorableKeys(o.metrics, data.validation !== null);
  const monitored = monitoredKeysOf(o, keys, data.validation !== null, fn);
  if (isAborted(o.signal)) throw abortError(o.signal, -1, -1);
  const vars = trainableVariablesOf(model, fn);
  const fingerprint = fingerprintOf(data, o);
  const resumed = resumeModelFrom(segment, model, fingerprint, o, fn);

  // Owned by this call: the optimizer and early stopping's copy of the best weights (per-batch tensors are tidied).
  const optimizer = createOptimizer(o.optimizer, o.learningRate);
  if (resumed !== null) importOptimizerState(optimizer, resumed, vars, fn);
  const lr = learningRateOf(optimizer, o.learningRate);
  if (resumed !== null && resumed.learningRate !== o.learningRate) lr.set(resumed.learningRate);
  const stopper = o.earlyStopping === null ? null : earlyStopping(o.earlyStopping, monitored.earlyStopping, model, resumed?.earlyStopping ?? null);
  try {
    const history = resumed === null ? emptyHistory(keys) : copyHistory(resumed.history);
    const pauses = eventLoopPauses();
    const backprop = isHostOptimizer(optimizer) ? denseBackprop(model, head.loss, vars) : null;
    const trainer: EpochTrainer = { model, data, vars, optimizer, loss: head.loss, options: o, pauses, chain: chainForward(model), backprop, batch: batchBuffers(data, o.batchSize), fn };
    const firstEpoch = resumed === null ? 0 : resumed.nextEpoch;
    const shuffleRng = shuffleStreamAt(rng, firstEpoch, o.shuffle ? data.nTrain : 0);
    const plateau = o.reduceLrOnPlateau === null ? null : reduceLrOnPlateau(o.reduceLrOnPlateau, monitored.plateau, lr, resumed?.plateau ?? null);
    const end = await runEpochs({
      epochs: o.epochs,
      callbacks: epochCallbacks(o, history, lr, plateau, stopper, fn),
      pauses,
      firstEpoch,
      pauseBefore: segment.pauseBefore,
      runEpoch: async (epoch) => {
        const order = o.shuffle ? shuffleRng.permutation(data.nTrain) : null;
        const sums = await trainOneEpoch(trainer, epoch, order);
        return epochValues(trainer, epoch, sums);
      },
    });
    if (end.paused) {
      const state = { optimizer: (optimizer as HostOptimizer).exportState(vars), learningRate: lr.current, plateau: plateau?.snapshot() ?? null, earlyStopping: stopper?.snapshot() ?? null };
      return { result: null, checkpoint: captureCheckpoint({ model, nextEpoch: end.epochsRun, fingerprint, history, ...state }) };
    }
    const result = freezeResult({
      history,
      epochs: end.epochsRun,
      stopReason: end.stoppedEarly ? 'earlyStopping' : 'completed',
      bestEpoch: stopper === null ? null : stopper.bestEpoch,
      restoredBestWeights: stopper === null ? false : stopper.restoreBestWeights(end.epochsRun - 1),
      finalLearningRate: lr.current,
      loss: head.loss,
    });
    if (o.onTrainEnd !== null) await o.onTrainEnd(result);
    return { result, checkpoint: null };
  } finally {
    stopper?.dispose();
    optimizer.dispose();
  }
}

/** The keys early stopping and the plateau callback watch ('' when off), checked against the available ones. */
function monitoredKeysOf(o: ResolvedTrainOptions, keys: readonly string[], hasValidation: boolean, fn: string): { earlyStopping: string; plateau: string } {
  return {
    earlyStopping: o.earlyStopping === null ? '' : monitoredKey(o.earlyStopping.monitor, keys, hasValidation, fn, 'earlyStopping'),
    plateau: o.reduceLrOnPlateau === null ? '' : monitoredKey(o.reduceLrOnPlateau.monitor, keys, hasValidation, fn, 'reduceLrOnPlateau'),
  };
}

/**
 * The checkpoint a segment resumes from, checked against this model, data and options and
 * written into the model (null: a segment from the first epoch). Pausing or resuming needs a
 * host backend.
 */
function resumeModelFrom(segment: TrainSegment, model: tfl.LayersModel, fingerprint: CheckpointFingerprint, o: ResolvedTrainOptions, fn: string): TrainCheckpoint | null {
  const pausing = segment.resumeFrom !== null || (segment.pauseBefore !== null && segment.pauseBefore < o.epochs);
  if (pausing && !canPauseTraining()) {
    throw new InvalidOptionError({ fn, arg: 'segment', expected: 'a host backend (cpu or wasm) to pause or resume a training', got: `backend '${tf.getBackend()}'` });
  }
  if (segment.resumeFrom === null) return null;
  const resumed = checkCheckpoint(segment.resumeFrom, model, fingerprint, fn, 'resumeFrom');
  restoreModelState(resumed, model);
  return resumed;
}

/** The epoch shuffler forked from `rng`, moved past the permutations of the epochs before `firstEpoch` (none when `nTrain` is 0: no shuffling). */
function shuffleStreamAt(rng: Rng, firstEpoch: number, nTrain: number): Rng {
  const shuffleRng = rng.fork();
  if (nTrain > 0) for (let e = 0; e < firstEpoch; e++) shuffleRng.permutation(nTrain);
  return shuffleRng;
}

/** The callbacks after every epoch, in order: schedule, history, `onEpochEnd`, plateau, early stopping. */
function epochCallbacks(o: ResolvedTrainOptions, history: History, lr: LearningRate, plateau: EpochCallback<EpochValues> | null, stopper: EpochCallback<EpochValues> | null, fn: string): EpochCallback<EpochValues>[] {
  return [
    ...(o.lrSchedule === null ? [] : [scheduleLearningRate(o.lrSchedule, lr, fn)]),
    recordHistory(history, lr),
    ...(o.onEpochEnd === null ? [] : [reportProgress(epochLogsFor(o.onEpochEnd, Object.keys(history.metrics), lr))]),
    ...(plateau === null ? [] : [plateau]),
    ...(stopper === null ? [] : [stopper]),
  ];
}

/** What a checkpoint must share with the training that resumes it. */
function fingerprintOf(data: TrainingData, o: ResolvedTrainOptions): CheckpointFingerprint {
  return {
    nTrain: data.nTrain,
    nValidation: data.validation === null ? 0 : data.validation.y.length / data.validation.yWidth,
    seed: o.seed,
    epochs: o.epochs,
    batchSize: o.batchSize,
    optimizer: o.optimizer,
    shuffle: o.shuffle,
  };
}

/** Gives the (host) optimizer the checkpoint's state, after checking it fits the variables. */
function importOptimizerState(optimizer: tf.Optimizer, cp: TrainCheckpoint, vars: readonly tf.Variable[], fn: string): void {
  const st = cp.optimizer;
  const sizesMatch = (a: readonly Float32Array[] | undefined): boolean => Array.isArray(a) && a.length === vars.length && vars.every((v, i) => a[i] instanceof Float32Array && (a[i] as Float32Array).length === v.size);
  if (typeof st !== 'object' || st === null || st.kind !== (optimizer as HostOptimizer).kind || !sizesMatch(st.acc1) || !sizesMatch(st.acc2)) {
    throw new InvalidOptionError({ fn, arg: 'resumeFrom.optimizer', expected: `the state of a '${(optimizer as HostOptimizer).kind}' optimizer over the model's ${vars.length} trainable variables`, got: describeValue(st) });
  }
  (optimizer as HostOptimizer).importState(st, vars);
}


/** Checks that the model has one input and one `[batch, units]` output and resolves the loss from it. */
function outputHeadOf(model: tfl.LayersModel, lossOption: TrainLoss, fn: string): OutputHead {
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
  const loss: LossName = lossOption === 'auto' ? inferLoss(model) : lossOption;
  return { inputShape, units, loss, nClasses: loss === 'categoricalCrossentropy' ? units : 2 };
}

/** The keys a monitor may watch: the loss and metrics, and their `valXxx` twins with validation data. */
function monitorableKeys(metrics: readonly TrainMetric[], hasValidation: boolean): string[] {
  return ['loss', ...metrics, ...(hasValidation ? ['valLoss', ...metrics.map(validationKey)] : [])];
}

const validationKey = (metric: string): string => `val${metric.charAt(0).toUpperCase()}${metric.slice(1)}`;

function trainableVariablesOf(model: tfl.LayersModel, fn: string): tf.Variable[] {
  const vars = model.trainableWeights.map((w) => w.read() as tf.Variable);
  if (vars.length === 0) {
    throw new InvalidOptionError({ fn, arg: 'model', expected: 'a model with at least one trainable weight', got: 'no trainable weights (every layer frozen)' });
  }
  return vars;
}

/** A mutable {@link TrainHistory} with one series per monitorable key (the shape a checkpoint carries). */
type History = CheckpointHistory;

function emptyHistory(keys: readonly string[]): History {
  const metrics: Record<string, number[]> = {};
  for (const k of keys) if (k !== 'loss' && k !== 'valLoss') metrics[k] = [];
  return { epoch: [], loss: [], valLoss: [], lr: [], metrics };
}

/** Appends every epoch's values (and the learning rate it ran with) to the history. */
function recordHistory(history: History, lr: LearningRate): EpochCallback<EpochValues> {
  return {
    afterEpoch(epoch: number, values: EpochValues): void {
      history.epoch.push(epoch);
      history.loss.push(values.loss as number);
      if (values.valLoss !== undefined) history.valLoss.push(values.valLoss);
      history.lr.push(lr.current);
      for (const k of Object.keys(history.metrics)) (history.metrics[k] as number[]).push(values[k] as number);
    },
  };
}

/** Adapts the user's `onEpochEnd` to the epoch loop: frozen {@link EpochLogs} with the given metric keys. */
function epochLogsFor(onEpochEnd: (logs: EpochLogs) => void | Promise<void>, metricKeys: readonly string[], lr: LearningRate): (epoch: number, values: EpochValues) => void | Promise<void> {
  return (epoch, values) => {
    const metrics: Record<string, number> = {};
    for (const k of metricKeys) metrics[k] = values[k] as number;
    return onEpochEnd(
      Object.freeze({ epoch, loss: values.loss as number, ...(values.valLoss !== undefined ? { valLoss: values.valLoss } : {}), lr: lr.current, metrics: Object.freeze(metrics) }),
    );
  };
}

/** Everything one epoch of mini-batch training needs. */
interface EpochTrainer {
  readonly model: tfl.LayersModel;
  readonly data: TrainingData;
  readonly vars: tf.Variable[];
  readonly optimizer: tf.Optimizer;
  readonly loss: LossName;
  readonly options: ResolvedTrainOptions;
  readonly pauses: EventLoopPauses;
  /** Dense chains train through a fused dense op with a hand-written gradient (fewer, faster ops); null otherwise. */
  readonly chain: ((x: tf.Tensor) => tf.Tensor) | null;
  /** On host backends, dense chains train without the tape (see denseBackprop.ts); null otherwise. */
  readonly backprop: DenseBackprop | null;
  /** Host arrays every batch is gathered into (reused: allocating large typed arrays per batch is slow). */
  readonly batch: BatchBuffers;
  readonly fn: string;
}

/** Sums over one epoch's batches: the loss (times rows) and each metric's sum. */
interface EpochSums {
  readonly loss: number;
  readonly metrics: Float64Array;
}

/** A batch's loss and metric sums (tensors read back and disposed in groups of `checkEvery`, or host numbers). */
interface PendingBatch {
  readonly cost: tf.Scalar | number;
  readonly ms: (tf.Scalar | number)[];
  readonly batch: number;
  readonly size: number;
}

/**
 * One pass over the training rows in `order` (null: as they are): per batch, gather the rows on
 * the JS side, upload them and take one optimizer step; read the losses back every `checkEvery`
 * batches (the NaN guard and `onBatchEnd` see each batch).
 */
async function trainOneEpoch(t: EpochTrainer, epoch: number, order: Int32Array | null): Promise<EpochSums> {
  const { data, options: o, model, chain, loss, vars, optimizer } = t;
  const metrics = o.metrics;
  const nTrain = data.nTrain;
  const nBatches = Math.ceil(nTrain / o.batchSize);
  const yWidth = data.yWidth;
  let lossSum = 0;
  const metricSums = new Float64Array(metrics.length);
  const pending: PendingBatch[] = [];
  const readPending = async (): Promise<void> => {
    try {
      for (const p of pending) {
        const v = valueOf(p.cost);
        if (o.nanGuard && !Number.isFinite(v)) throw nonFiniteLoss(v, epoch, p.batch, t.fn);
        lossSum += v * p.size;
        for (let m = 0; m < p.ms.length; m++) metricSums[m] = (metricSums[m] as number) + valueOf(p.ms[m] as tf.Scalar | number);
        if (o.onBatchEnd !== null) await o.onBatchEnd({ epoch, batch: p.batch, loss: v, size: p.size });
      }
    } finally {
      for (const p of pending) disposePending(p);
      pending.length = 0;
    }
  };
  try {
    for (let b = 0; b < nBatches; b++) {
      if (t.pauses.due()) await t.pauses.pause();
      if (isAborted(o.signal)) throw abortError(o.signal, epoch, b);
      const start = b * o.batchSize;
      const size = Math.min(o.batchSize, nTrain - start);
      const end = start + size;
      if (t.backprop !== null) {
        pending.push(stepWithoutTape(t, t.backprop, order, start, end, b));
        if (pending.length >= o.checkEvery || o.onBatchEnd !== null || b === nBatches - 1) await readPending();
        continue;
      }
      const ms: tf.Scalar[] = [];
      const batch = gatherBatch(t, order, start, end);
      const cost = tf.tidy(() => {
        const xb = tf.tensor(batch.x, [size, ...data.xRowShape], 'float32');
        const yb = tf.tensor(batch.y, [size, yWidth], 'float32');
        const wb = batch.w === null ? null : tf.tensor1d(batch.w, 'float32');
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
      if (pending.length >= o.checkEvery || o.onBatchEnd !== null || b === nBatches - 1) await readPending();
    }
  } finally {
    for (const p of pending) disposePending(p);
  }
  return { loss: lossSum, metrics: metricSums };
}

/**
 * The training rows `order[start..end)` gathered on the JS side into the trainer's reused buffers
 * (valid until the next batch: tensors made from them must be disposed before then).
 */
function gatherBatch(t: EpochTrainer, order: Int32Array | null, start: number, end: number): HostBatch {
  const { data, batch: buf } = t;
  const size = end - start;
  const xRowSize = sizeOf(data.xRowShape);
  return {
    x: gatherRows(data.x, xRowSize, order, start, end, data.trainRows, buf.x.subarray(0, size * xRowSize)),
    y: gatherRows(data.y, data.yWidth, order, start, end, data.trainRows, buf.y.subarray(0, size * data.yWidth)),
    w: data.weights === null || buf.w === null ? null : gatherRows(data.weights, 1, order, start, end, null, buf.w.subarray(0, size)),
    rows: size,
  };
}

/** One batch through the tape-free step of a dense chain and the host optimizer. */
function stepWithoutTape(t: EpochTrainer, backprop: DenseBackprop, order: Int32Array | null, start: number, end: number, batch: number): PendingBatch {
  const host = t.optimizer as HostOptimizer;
  const b = gatherBatch(t, order, start, end);
  const r = backprop.step(b, t.options.metrics, (v) => host.valuesOf(v), (grads) => host.applyHostGradients(t.vars, grads));
  return { cost: r.loss, ms: r.metricSums, batch, size: b.rows };
}

/** Host arrays for one batch of x, y and the row weights. */
interface BatchBuffers {
  readonly x: Float32Array;
  readonly y: Float32Array;
  readonly w: Float32Array | null;
}

function batchBuffers(data: TrainingData, batchSize: number): BatchBuffers {
  const rows = Math.min(batchSize, data.nTrain);
  return {
    x: new Float32Array(rows * sizeOf(data.xRowShape)),
    y: new Float32Array(rows * data.yWidth),
    w: data.weights === null ? null : new Float32Array(rows),
  };
}

const valueOf = (v: tf.Scalar | number): number => (typeof v === 'number' ? v : ((v.dataSync() as Float32Array)[0] as number));

function disposePending(p: PendingBatch): void {
  for (const v of [p.cost, ...p.ms]) if (typeof v !== 'number') v.dispose();
}

/** The epoch's values by key: mean training loss and metrics, then validation loss and metrics (`valXxx`). */
function epochValues(t: EpochTrainer, epoch: number, sums: EpochSums): EpochValues {
  const { data, options: o } = t;
  const values: Record<string, number> = { loss: sums.loss / data.nTrain };
  o.metrics.forEach((m, i) => {
    values[m] = (sums.metrics[i] as number) / metricCount(m, data.nTrain, data.yWidth);
  });
  if (data.validation !== null) {
    const v = evaluate(t.model, data.validation, t.loss, o.metrics);
    if (o.nanGuard && !Number.isFinite(v.loss)) {
      throw new TrainingError(`trainModel: the validation loss became ${describeValue(v.loss)} at epoch ${epoch}.`, {
        fn: t.fn,
        arg: 'valLoss',
        expected: 'a finite validation loss',
        got: `${describeValue(v.loss)} at epoch ${epoch}`,
      });
    }
    values.valLoss = v.loss;
    o.metrics.forEach((m, i) => {
      values[validationKey(m)] = v.metrics[i] as number;
    });
  }
  return values;
}

function nonFiniteLoss(v: number, epoch: number, batch: number, fn: string): TrainingError {
  return new TrainingError(
    `trainModel: the training loss became ${describeValue(v)} at epoch ${epoch}, batch ${batch}. Lower the learning rate, scale the inputs, or check the data for extreme values.`,
    { fn, arg: 'loss', expected: 'a finite loss', got: `${describeValue(v)} at epoch ${epoch}, batch ${batch}` },
  );
}

function isAborted(signal: AbortSignal | null): signal is AbortSignal {
  return signal !== null && signal.aborted;
}

function abortError(signal: AbortSignal, epoch: number, batch: number): TrainingError {
  const where = epoch < 0 ? 'before the first epoch' : `at epoch ${epoch}, batch ${batch}`;
  return new TrainingError(
    `trainModel: training was aborted ${where}.`,
    { fn: 'trainModel', arg: 'signal', expected: 'a signal that is not aborted', got: `an aborted signal ${where}` },
    { cause: signal.reason },
  );
}

/** The result with its history frozen all the way down. */
function freezeResult(r: Omit<TrainResult, 'history'> & { readonly history: History }): TrainResult {
  const h = r.history;
  for (const v of Object.values(h.metrics)) Object.freeze(v);
  const history: TrainHistory = Object.freeze({
    epoch: Object.freeze(h.epoch),
    loss: Object.freeze(h.loss),
    valLoss: Object.freeze(h.valLoss),
    lr: Object.freeze(h.lr),
    metrics: Object.freeze(h.metrics),
  });
  return Object.freeze({ ...r, history });
}

/** Loss and metric means over a dataset, evaluated in chunks of 4096 rows (inference mode). */
function evaluate(model: tfl.LayersModel, data: HostData, loss: LossName, metrics: readonly TrainMetric[]): { loss: number; metrics: number[] } {
  const k = data.yWidth;
  const n = data.y.length / k;
  const xRowSize = sizeOf(data.xRowShape);
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
