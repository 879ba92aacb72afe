/**
 * Neural estimators under the finml contract: `neuralClassifier` / `neuralRegressor` specs build a
 * network from a {@link ModelSpec}, train it with {@link trainModel} and return a frozen fitted model
 * that predicts in batches, serialises to the JSON envelope (weights as base64), supports
 * incremental `update` and must be disposed.
 *
 * @module
 */
import * as tf from '@tensorflow/tfjs-core';
import type * as tfl from '@tensorflow/tfjs-layers';
import { DataError, DisposedError, InvalidOptionError, SerializationError, ShapeError, describeValue } from '../core/errors';
import { checkEnvelope, deepFreeze, notFitted, type EstimatorJSON, type JsonValue } from '../core/estimator';
import { isTensor, type DenseMatrix } from '../core/matrix';
import { resolveOptions, rules, type RuleTable } from '../core/options';
import { createRng } from '../core/random';
import type { Predictor } from '../core/predictor';
import { buildModel, validateModelSpec } from './buildModel';
import { disposeModel } from './disposeModel';
import type { ModelSpec, OutputHead, TaskKind } from './spec';
import { checkInputShape, readInput, readInputForPredict, readTarget, type NeuralInput, type NeuralTarget } from '../train/_internal/neuralData';
import { coalitionOutputsFor, predictValues } from './_internal/batchedPredict';
import type { TrainCheckpoint } from '../train/_internal/checkpoint';
import { withCoalitionOutputs, withFloat32Rows, type CoalitionOutputs } from '../core/_internal/float32Rows';
import { fromBase64, readWeightSpecs, toBase64 } from '../io/_internal/modelArtifacts';
import type { NetworkParts } from '../io/networkParts';
import { networkFromParts, networkToParts } from './_internal/networkIO';
import { resolveTrainOptions, runTraining, trainModel, type TrainSegment, type EpochLogs, type BatchLogs, type TrainHistory, type TrainOptions, type TrainResult, type ValidationData } from '../train/trainModel';

/** Trainer options a neural estimator stores in its params (JSON values only; no callbacks). @category Training */
export type NeuralTrainParams = Pick<
  TrainOptions,
  | 'epochs'
  | 'batchSize'
  | 'optimizer'
  | 'learningRate'
  | 'loss'
  | 'metrics'
  | 'validationSplit'
  | 'validationMode'
  | 'shuffle'
  | 'earlyStopping'
  | 'reduceLrOnPlateau'
  | 'classWeight'
  | 'nanGuard'
  | 'checkEvery'
>;

/** Per-call runtime options of `fit` / `update` (callbacks, abort signal, explicit validation data, schedule). @category Training */
export interface NeuralFitOptions {
  /** Called after every epoch with its logs (awaited). */
  readonly onEpochEnd?: (logs: EpochLogs) => void | Promise<void>;
  /** Called after every training batch (awaited). */
  readonly onBatchEnd?: (logs: BatchLogs) => void | Promise<void>;
  /** Called once when training ends, with the result. */
  readonly onTrainEnd?: (result: TrainResult) => void | Promise<void>;
  /** Checked before every batch: once aborted, `fit` rejects with TrainingError (no model is returned). */
  readonly signal?: AbortSignal;
  /** Learning rate for each epoch, given the epoch index and the current rate. */
  readonly lrSchedule?: (epoch: number, lr: number) => number;
  /** Explicit validation data (instead of a `validationSplit`). */
  readonly validationData?: ValidationData;
}

/** Parameters of {@link neuralClassifier} and {@link neuralRegressor}. @category Training */
export interface NeuralParams {
  /** The network (see src/models/spec.ts). @defaultValue `{ type: 'fnn' }` */
  readonly model: ModelSpec;
  /** Trainer options (JSON values only). @defaultValue `{}` (the trainer's defaults with 20 epochs) */
  readonly train: Partial<NeuralTrainParams>;
  /** Seed of the initial weights, dropout masks, shuffling and validation split. @defaultValue 0 */
  readonly seed: number;
}

/** Envelope kinds of fitted neural models. @category Training */
export type NeuralKind = 'NeuralClassifier' | 'NeuralRegressor';

/** What a fitted model reports about its last training run. @category Training */
export interface NeuralTrainingSummary {
  readonly epochs: number;
  readonly stopReason: TrainResult['stopReason'];
  readonly bestEpoch: number | null;
  readonly finalLearningRate: number;
}

/** One weight tensor's values, as returned by `layerWeights()`. @category Training */
export interface LayerWeight {
  readonly layer: string;
  readonly name: string;
  readonly shape: readonly number[];
  readonly values: Float32Array;
}

/** Members shared by fitted classifiers and regressors. @category Training */
export interface FittedNeuralBase<K extends NeuralKind> {
  readonly kind: K;
  readonly params: Readonly<NeuralParams>;
  /** Shape of one example (without the batch dimension), e.g. `[61]` or `[20, 3]`. */
  readonly inputShape: readonly number[];
  /** Product of `inputShape` (the number of flat features). */
  readonly nFeaturesIn: number;
  /** Output units of the network. */
  readonly outputUnits: number;
  /** Per-epoch history of the last training run (fit, update or transfer). */
  readonly history: TrainHistory;
  readonly training: NeuralTrainingSummary;
  /** True once `dispose()` was called. */
  readonly isDisposed: boolean;
  /** Copies of every weight tensor (for inspection and tests). */
  layerWeights(): LayerWeight[];
  /** Serialises topology and weights (base64) to the finml envelope. */
  toJSON(): EstimatorJSON;
  /**
   * The network as plain data (copies): topology, weight manifest and float32 weight bytes, the
   * form every finml format stores; {@link neuralModelFromParts} is the inverse.
   */
  exportNetwork(): NetworkParts;
  /**
   * The live network (not a copy), for inspection, `summary()` or export: owned by this model, so
   * do not dispose or train it. See also `networkOf(fitted)`.
   */
  network(): tfl.LayersModel;
  /** Releases the network's tensors; every later call throws DisposedError. */
  dispose(): void;
  /** Same as `dispose()`, for `using` declarations. */
  [Symbol.dispose](): void;
}

/** A fitted {@link neuralClassifier}. @category Training */
export interface FittedNeuralClassifier extends FittedNeuralBase<'NeuralClassifier'> {
  /** The sorted distinct labels seen at fit; `classes[1]` is the positive class of a binary model. */
  readonly classes: readonly number[];
  /** Predicted labels (values of `classes`): Float64Array for array input, a new Tensor1D for tensor input. */
  predict(x: tf.Tensor): tf.Tensor1D;
  /** Array form: predicted labels as a Float64Array. */
  predict(x: NeuralInput): Float64Array;
  /**
   * Binary: P(classes[1]) per row. Multiclass: row-major `n × K` probabilities.
   * Tensor input gives a new tensor (`[n]` binary, `[n, K]` multiclass) owned by the caller.
   */
  predictProba(x: tf.Tensor): tf.Tensor;
  /** Array form: probabilities as a Float64Array (row-major `n × K` for multiclass). */
  predictProba(x: NeuralInput): Float64Array;
  /** Probabilities of every class, `[n][K]` (binary: `[1 - p, p]`). */
  predictProbaRows(x: NeuralInput): number[][];
  /** A {@link Predictor} returning P(classes[1]) per row (binary only); flat rows of sequence models are reshaped. */
  asPredictor(): Predictor;
  /** Trains a copy further on new data (same classes); this model is untouched. */
  update(x: NeuralInput, y: NeuralTarget, options?: Partial<NeuralTrainParams> & NeuralFitOptions): Promise<FittedNeuralClassifier>;
}

/** A fitted {@link neuralRegressor}. @category Training */
export interface FittedNeuralRegressor extends FittedNeuralBase<'NeuralRegressor'> {
  /** Predictions: Float64Array (row-major `n × outputUnits`) for array input; a new `[n, outputUnits]` tensor for tensor input. */
  predict(x: tf.Tensor): tf.Tensor;
  /** Array form: row-major `n × outputUnits` predictions as a Float64Array. */
  predict(x: NeuralInput): Float64Array;
  /** Predictions as rows `[n][outputUnits]`. */
  predictRows(x: NeuralInput): number[][];
  /** A {@link Predictor} returning the first output per row. */
  asPredictor(): Predictor;
  /** Trains a copy further on new data; this model is untouched. */
  update(x: NeuralInput, y: NeuralTarget, options?: Partial<NeuralTrainParams> & NeuralFitOptions): Promise<FittedNeuralRegressor>;
}

/** Either fitted neural model. @category Training */
export type FittedNeuralModel = FittedNeuralClassifier | FittedNeuralRegressor;

/** Unfitted neural estimator spec. @category Training */
export interface NeuralEstimator<K extends NeuralKind> {
  readonly kind: K;
  readonly params: Readonly<NeuralParams>;
  /** Builds the network (seeded), trains it and returns the fitted model. */
  fit(x: NeuralInput, y: NeuralTarget, options?: NeuralFitOptions): Promise<K extends 'NeuralClassifier' ? FittedNeuralClassifier : FittedNeuralRegressor>;
  /** A new spec with the given params replaced (validated like the factory); this spec is unchanged. */
  withParams(patch: Partial<NeuralParams>): NeuralEstimator<K>;
  /** Not available before `fit`: throws NotFittedError. */
  readonly predict: (...args: never[]) => never;
  /** Not available before `fit`: throws NotFittedError. */
  readonly predictProba: (...args: never[]) => never;
}

/** The defaults of {@link NeuralParams}. @internal */
export const NEURAL_DEFAULTS: NeuralParams = Object.freeze({
  model: Object.freeze({ type: 'fnn' }) as ModelSpec,
  train: Object.freeze({}),
  seed: 0,
});

/** Default epochs of a neural estimator (the other trainer defaults apply unchanged). */
const ESTIMATOR_EPOCHS = 20;

const MODEL_TYPES = ['linear', 'logistic', 'fnn', 'cnn', 'rnn'] as const;

const TRAIN_PARAM_KEYS: readonly (keyof NeuralTrainParams)[] = [
  'epochs', 'batchSize', 'optimizer', 'learningRate', 'loss', 'metrics', 'validationSplit', 'validationMode',
  'shuffle', 'earlyStopping', 'reduceLrOnPlateau', 'classWeight', 'nanGuard', 'checkEvery',
];

function isJson(v: unknown): boolean {
  if (v === null || typeof v === 'string' || typeof v === 'boolean') return true;
  if (typeof v === 'number') return Number.isFinite(v);
  if (Array.isArray(v)) return v.every(isJson);
  if (typeof v === 'object') return Object.getPrototypeOf(v) === Object.prototype && Object.values(v as object).every(isJson);
  return false;
}

const NEURAL_RULES: RuleTable<NeuralParams> = {
  model: rules.custom(
    `a model spec object with 'type' one of ${MODEL_TYPES.map((t) => `'${t}'`).join(', ')} (JSON values only)`,
    (v) => typeof v === 'object' && v !== null && MODEL_TYPES.includes((v as { type?: never }).type ?? ('' as never)) && isJson(v),
  ),
  train: rules.custom('a trainer options object', (v) => typeof v === 'object' && v !== null && !Array.isArray(v)),
  seed: rules.custom('a safe integer', (v) => typeof v === 'number' && Number.isSafeInteger(v)),
};

/** Validates and freezes neural params (train options validated against the trainer's rules). @internal */
export function resolveNeuralParams(fn: string, given: Partial<NeuralParams> | undefined): Readonly<NeuralParams> {
  const p = resolveOptions(fn, given, NEURAL_DEFAULTS, NEURAL_RULES);
  validateModelSpec(p.model, fn);
  const train = checkTrainParams(fn, p.train);
  return deepFreeze({ model: structuredClone(p.model) as ModelSpec, train, seed: p.seed });
}

function checkTrainParams(fn: string, train: Partial<NeuralTrainParams>): Partial<NeuralTrainParams> {
  for (const k of Object.keys(train)) {
    if (!(TRAIN_PARAM_KEYS as readonly string[]).includes(k)) {
      throw new InvalidOptionError({
        fn,
        arg: `train.${k}`,
        expected: `a stored trainer option (one of ${TRAIN_PARAM_KEYS.map((x) => `'${x}'`).join(', ')}; pass callbacks, signal and lrSchedule to fit())`,
        got: 'an unknown or non-JSON option',
      });
    }
  }
  resolveTrainOptions(train, `${fn} (train)`);
  const copy: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(train)) if (v !== undefined) copy[k] = structuredClone(v);
  return copy as Partial<NeuralTrainParams>;
}

/** The effective trainer options of a fit: estimator defaults < params.train < per-call overrides. */
function trainerOptions(params: Readonly<NeuralParams>, trainSeed: number, extra: Partial<NeuralTrainParams> & NeuralFitOptions = {}): Partial<TrainOptions> {
  const o: Record<string, unknown> = { epochs: ESTIMATOR_EPOCHS, ...params.train, seed: trainSeed };
  for (const [k, v] of Object.entries(extra)) if (v !== undefined) o[k] = v;
  return o as Partial<TrainOptions>;
}

// ---------------------------------------------------------------------------------------------
// Targets

function classLabels(y: NeuralTarget, n: number, fn: string): Float64Array {
  const t = readTarget(y, fn, 'y', n);
  if (t.shape.length === 2 && t.shape[1] !== 1) {
    throw new DataError({ fn, arg: 'y', expected: 'one class label per row (a 1-D array)', got: `rows of ${t.shape[1] as number} values` });
  }
  return Float64Array.from(t.values);
}

/** Maps labels to class indices; throws DataError on a label not in `classes`. */
function encodeLabels(labels: Float64Array, classes: readonly number[], fn: string): Float32Array {
  const index = new Map<number, number>();
  classes.forEach((c, i) => index.set(Math.fround(c), i));
  const out = new Float32Array(labels.length);
  for (let i = 0; i < labels.length; i++) {
    const k = index.get(Math.fround(labels[i] as number));
    if (k === undefined) {
      throw new DataError({ fn, arg: 'y', expected: `labels among the classes seen at fit (${classes.join(', ')})`, got: `${describeValue(labels[i])} at row ${i}` });
    }
    out[i] = k;
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// Fitted objects

interface FittedInit {
  readonly kind: NeuralKind;
  readonly params: Readonly<NeuralParams>;
  readonly model: tfl.LayersModel;
  readonly inputShape: readonly number[];
  readonly classes: readonly number[] | null;
  readonly history: TrainHistory;
  readonly training: NeuralTrainingSummary;
}

function summary(r: TrainResult): NeuralTrainingSummary {
  return Object.freeze({ epochs: r.epochs, stopReason: r.stopReason, bestEpoch: r.bestEpoch, finalLearningRate: r.finalLearningRate });
}

/** What every member of one fitted object shares: its init, its derived sizes and its life state. */
interface FittedContext {
  readonly init: FittedInit;
  readonly label: string;
  readonly nFeaturesIn: number;
  readonly outputUnits: number;
  /** A classifier with one sigmoid output (two classes). */
  readonly binary: boolean;
  readonly life: { disposed: boolean };
}

/** Derives the sizes of a fitted model from its init (the network's output width, the flat input width). */
function measureFittedModel(init: FittedInit): FittedContext {
  const outputUnits = ((init.model.outputs[0] as tfl.SymbolicTensor).shape[1] as number) ?? 1;
  return {
    init,
    label: init.kind === 'NeuralClassifier' ? 'neural classifier' : 'neural regressor',
    nFeaturesIn: init.inputShape.reduce((a, b) => a * b, 1),
    outputUnits,
    binary: init.kind === 'NeuralClassifier' && outputUnits === 1,
    life: { disposed: false },
  };
}

/** Throws DisposedError when the model was disposed, naming `Kind.method`. */
function throwIfDisposed(ctx: FittedContext, method: string): void {
  if (ctx.life.disposed) throw new DisposedError(`${ctx.init.kind}.${method}`, ctx.label);
}

/** Validates x and runs the network in batches of 4096 uploaded one by one (returns a new [n, units] tensor). */
function runNetworkOnInput(ctx: FittedContext, x: NeuralInput, method: string): tf.Tensor {
  throwIfDisposed(ctx, method);
  const { kind, inputShape, model } = ctx.init;
  const fn = `${kind}.${method}`;
  let { shape, values } = readInputForPredict(x, fn, 'x');
  if (shape.length === 2 && inputShape.length > 1 && shape[1] === ctx.nFeaturesIn) shape = [shape[0] as number, ...inputShape];
  checkInputShape(shape, [null, ...inputShape], fn, 'x');
  const n = shape[0] as number;
  const out = predictValues(model, values, n, shape.slice(1), fn);
  return tf.tensor(out.values, [n, out.width], 'float32');
}

/**
 * The predictor's float32 entry (rows built by explainers from validated data): the first
 * output column of the network, the values `asPredictor` returns.
 */
function firstOutputOfFloat32Rows(ctx: FittedContext, data: Float32Array, rows: number, cols: number): Float32Array {
  throwIfDisposed(ctx, 'asPredictor');
  const fn = `${ctx.init.kind}.asPredictor`;
  if (cols !== ctx.nFeaturesIn) throw new ShapeError({ fn, arg: 'batch', expected: `${ctx.nFeaturesIn} columns`, got: `${cols} columns` });
  const out = predictValues(ctx.init.model, data, rows, ctx.init.inputShape, fn);
  if (out.width === 1) return out.values;
  return Float32Array.from({ length: rows }, (_, i) => out.values[i * out.width] as number);
}

/** KernelSHAP's coalition entry for the network's first output (dense networks only), checking disposal first. */
function coalitionOutputsOfNetwork(ctx: FittedContext): CoalitionOutputs | null {
  const outputs = coalitionOutputsFor(ctx.init.model, ctx.init.inputShape, 0);
  if (outputs === null) return null;
  return async (x, bg, B, masks, K) => {
    throwIfDisposed(ctx, 'asPredictor');
    return outputs(x, bg, B, masks, K);
  };
}

/** Reads a tensor into a Float64Array and disposes it. */
function readAndDispose(t: tf.Tensor): Float64Array {
  try {
    return Float64Array.from(t.dataSync() as Float32Array);
  } finally {
    t.dispose();
  }
}

/** Splits row-major values into rows of `k`. */
function splitIntoRows(flat: Float64Array, k: number): number[][] {
  const n = flat.length / k;
  const out: number[][] = new Array<number[]>(n);
  for (let i = 0; i < n; i++) out[i] = Array.from(flat.subarray(i * k, (i + 1) * k));
  return out;
}

/** The network's probabilities: `[n]` for a binary classifier, `[n, K]` otherwise (a new tensor). */
function computeProbabilities(ctx: FittedContext, x: NeuralInput, method: string): tf.Tensor {
  const p = runNetworkOnInput(ctx, x, method);
  if (!ctx.binary) return p;
  const r = tf.reshape(p, [p.shape[0] as number]);
  p.dispose();
  return r;
}

/** Copies of every weight tensor, layer by layer. */
function copyLayerWeights(model: tfl.LayersModel): LayerWeight[] {
  const out: LayerWeight[] = [];
  for (const layer of model.layers) {
    for (const w of layer.weights) {
      const t = w.read();
      out.push({ layer: layer.name, name: w.originalName, shape: t.shape.slice(), values: Float32Array.from(t.dataSync() as Float32Array) });
    }
  }
  return out;
}

/** The finml envelope of a fitted model: topology, weight specs and base64 weights in `state`. */
function writeEnvelope(init: FittedInit): EstimatorJSON {
  const { kind, params, inputShape, classes } = init;
  const parts = networkToParts(init.model);
  const state: { readonly [k: string]: JsonValue } = {
    inputShape: [...inputShape],
    classes: classes === null ? null : [...classes],
    topology: parts.modelTopology,
    weightSpecs: parts.weightSpecs.map((s) => ({ name: s.name, shape: [...s.shape], dtype: s.dtype })),
    weights: toBase64(parts.weightData),
    history: historyToJson(init.history),
    training: { ...init.training },
  };
  return { kind, version: 1, params: params as unknown as JsonValue, state };
}

/** `update`: trains a copy of the network on new data (same classes) and wraps it in a new fitted model. */
function trainCopyOnNewData(ctx: FittedContext) {
  const { kind, params, model, inputShape, classes } = ctx.init;
  return async (x: NeuralInput, y: NeuralTarget, options: Partial<NeuralTrainParams> & NeuralFitOptions = {}): Promise<FittedNeuralModel> => {
    throwIfDisposed(ctx, 'update');
    const fn = `${kind}.update`;
    const { onEpochEnd, onBatchEnd, onTrainEnd, signal, lrSchedule, validationData, ...stored } = options;
    checkTrainParams(fn, stored);
    const prepared = prepareY(kind, x, y, classes, fn);
    let copy: tfl.LayersModel | null = null;
    try {
      copy = await networkFromParts(networkToParts(model), fn, 'model');
      const seed = createRng(params.seed).fork().seed();
      const runtime: NeuralFitOptions = {
        ...(onEpochEnd !== undefined && { onEpochEnd }),
        ...(onBatchEnd !== undefined && { onBatchEnd }),
        ...(onTrainEnd !== undefined && { onTrainEnd }),
        ...(signal !== undefined && { signal }),
        ...(lrSchedule !== undefined && { lrSchedule }),
        ...(validationData !== undefined && { validationData: prepareValidation(kind, validationData, classes, fn) }),
      };
      const result = await trainModel(copy, prepared.x, prepared.y, trainerOptions(params, seed, { ...stored, ...runtime }));
      const fitted = createFitted({ kind, params, model: copy, inputShape, classes, history: result.history, training: summary(result) });
      copy = null;
      return fitted;
    } finally {
      if (copy !== null) disposeModel(copy);
      if (isTensor(prepared.x)) (prepared.x as tf.Tensor).dispose();
    }
  };
}

/** The members classifiers and regressors share (sizes, history, weights, export, dispose, update). */
function buildSharedMembers(ctx: FittedContext) {
  const { init } = ctx;
  const members = {
    kind: init.kind,
    params: init.params,
    inputShape: Object.freeze([...init.inputShape]),
    nFeaturesIn: ctx.nFeaturesIn,
    outputUnits: ctx.outputUnits,
    history: init.history,
    training: init.training,
    layerWeights(): LayerWeight[] {
      throwIfDisposed(ctx, 'layerWeights');
      return copyLayerWeights(init.model);
    },
    toJSON(): EstimatorJSON {
      throwIfDisposed(ctx, 'toJSON');
      return writeEnvelope(init);
    },
    exportNetwork(): NetworkParts {
      throwIfDisposed(ctx, 'exportNetwork');
      return networkToParts(init.model);
    },
    network(): tfl.LayersModel {
      throwIfDisposed(ctx, 'network');
      return init.model;
    },
    dispose(): void {
      if (ctx.life.disposed) return;
      ctx.life.disposed = true;
      disposeModel(init.model);
    },
    [Symbol.dispose](): void {
      members.dispose();
    },
    update: trainCopyOnNewData(ctx),
  };
  return members;
}

/** The classifier's prediction members: labels, probabilities, probability rows and a binary predictor. */
function buildClassifierMembers(ctx: FittedContext) {
  const cls = ctx.init.classes as readonly number[];
  return {
    classes: Object.freeze([...cls]),
    predict(x: NeuralInput): Float64Array | tf.Tensor1D {
      const p = runNetworkOnInput(ctx, x, 'predict');
      const idx = tf.tidy(() => (ctx.binary ? tf.reshape(tf.cast(tf.greater(p, 0.5), 'int32'), [p.shape[0] as number]) : tf.argMax(p, -1)));
      p.dispose();
      const k = idx.dataSync() as Int32Array;
      idx.dispose();
      const labels = Float64Array.from(k, (i) => cls[i] as number);
      return isTensor(x) ? tf.tensor1d(Float32Array.from(labels), 'float32') : labels;
    },
    predictProba(x: NeuralInput): Float64Array | tf.Tensor {
      const p = computeProbabilities(ctx, x, 'predictProba');
      return isTensor(x) ? p : readAndDispose(p);
    },
    predictProbaRows(x: NeuralInput): number[][] {
      const flat = readAndDispose(runNetworkOnInput(ctx, x, 'predictProbaRows'));
      if (ctx.binary) return Array.from(flat, (p) => [1 - p, p]);
      return splitIntoRows(flat, ctx.outputUnits);
    },
    asPredictor(): Predictor {
      throwIfDisposed(ctx, 'asPredictor');
      if (!ctx.binary) {
        throw new InvalidOptionError({ fn: 'NeuralClassifier.asPredictor', arg: 'classes', expected: 'a binary classifier (2 classes)', got: `${cls.length} classes` });
      }
      const predictor = withFloat32Rows((batch: DenseMatrix) => readAndDispose(computeProbabilities(ctx, batch, 'asPredictor')), (data, rows, cols) => firstOutputOfFloat32Rows(ctx, data, rows, cols));
      return withCoalitionOutputs(predictor, coalitionOutputsOfNetwork(ctx));
    },
  };
}

/** The regressor's prediction members: values, rows and a first-output predictor. */
function buildRegressorMembers(ctx: FittedContext) {
  const units = ctx.outputUnits;
  return {
    predict(x: NeuralInput): Float64Array | tf.Tensor {
      const p = runNetworkOnInput(ctx, x, 'predict');
      return isTensor(x) ? p : readAndDispose(p);
    },
    predictRows(x: NeuralInput): number[][] {
      return splitIntoRows(readAndDispose(runNetworkOnInput(ctx, x, 'predictRows')), units);
    },
    asPredictor(): Predictor {
      throwIfDisposed(ctx, 'asPredictor');
      const predictor = withFloat32Rows(
        (batch: DenseMatrix) => {
          const flat = readAndDispose(runNetworkOnInput(ctx, batch, 'asPredictor'));
          if (units === 1) return flat;
          return Float64Array.from({ length: flat.length / units }, (_, i) => flat[i * units] as number);
        },
        (data, rows, cols) => firstOutputOfFloat32Rows(ctx, data, rows, cols),
      );
      return withCoalitionOutputs(predictor, coalitionOutputsOfNetwork(ctx));
    },
  };
}

/** Builds the frozen fitted object around a trained model it now owns. @internal */
export function createFitted(init: FittedInit): FittedNeuralModel {
  const ctx = measureFittedModel(init);
  const predictions = init.kind === 'NeuralClassifier' ? buildClassifierMembers(ctx) : buildRegressorMembers(ctx);
  const fitted = withDisposedFlag({ ...buildSharedMembers(ctx), ...predictions }, () => ctx.life.disposed);
  return Object.freeze(fitted) as unknown as FittedNeuralModel;
}

/** Adds a live `isDisposed` getter (object spread would copy a getter's value, not the getter). */
function withDisposedFlag<T extends object>(o: T, get: () => boolean): T {
  return Object.defineProperty(o, 'isDisposed', { get, enumerable: true });
}

function historyToJson(h: TrainHistory): JsonValue {
  const finite = (a: readonly number[]): (number | null)[] => a.map((v) => (Number.isFinite(v) ? v : null));
  const metrics: Record<string, (number | null)[]> = {};
  for (const [k, v] of Object.entries(h.metrics)) metrics[k] = finite(v);
  return { epoch: [...h.epoch], loss: finite(h.loss), valLoss: finite(h.valLoss), lr: [...h.lr], metrics };
}

function historyFromJson(v: unknown, fn: string): TrainHistory {
  const o = v as Record<string, unknown> | null;
  const arr = (a: unknown, name: string): number[] => {
    if (!Array.isArray(a) || !a.every((x) => typeof x === 'number' || x === null)) {
      throw new SerializationError({ fn, arg: `state.history.${name}`, expected: 'an array of numbers', got: describeValue(a) });
    }
    return a.map((x) => (x === null ? Number.NaN : (x as number)));
  };
  if (typeof o !== 'object' || o === null) throw new SerializationError({ fn, arg: 'state.history', expected: 'a history object', got: describeValue(v) });
  const m = o.metrics;
  if (typeof m !== 'object' || m === null || Array.isArray(m)) throw new SerializationError({ fn, arg: 'state.history.metrics', expected: 'an object', got: describeValue(m) });
  const metrics: Record<string, readonly number[]> = {};
  for (const [k, a] of Object.entries(m)) metrics[k] = Object.freeze(arr(a, `metrics.${k}`));
  return deepFreeze({ epoch: arr(o.epoch, 'epoch'), loss: arr(o.loss, 'loss'), valLoss: arr(o.valLoss, 'valLoss'), lr: arr(o.lr, 'lr'), metrics });
}

// ---------------------------------------------------------------------------------------------
// Fit

interface PreparedXY {
  readonly x: NeuralInput;
  readonly y: NeuralTarget;
  readonly inputShape: number[];
  readonly classes: readonly number[] | null;
}

/** Validates x/y, derives the class list (classifier) and encodes labels as class indices. */
function prepareY(kind: NeuralKind, x: NeuralInput, y: NeuralTarget, knownClasses: readonly number[] | null, fn: string): PreparedXY {
  const xi = readInput(x, fn, 'x');
  const n = xi.shape[0] as number;
  const xt = { rows: n, shape: xi.shape, values: xi.values };
  const xOut: NeuralInput = xt.shape.length === 2 ? { rows: n, cols: xt.shape[1] as number, data: Float64Array.from(xt.values) } : tf.tensor(xt.values, xt.shape, 'float32');
  if (kind === 'NeuralRegressor') {
    const t = readTarget(y, fn, 'y', n);
    const k = t.shape.length === 2 ? (t.shape[1] as number) : 1;
    return { x: xOut, y: rowsFromFlat(t.values, k), inputShape: xi.shape.slice(1), classes: null };
  }
  const labels = classLabels(y, n, fn);
  let classes = knownClasses;
  if (classes === null) {
    classes = [...new Set(Array.from(labels))].sort((a, b) => a - b);
    if (classes.length < 2) {
      if (isTensor(xOut)) xOut.dispose();
      throw new DataError({ fn, arg: 'y', expected: 'at least 2 distinct classes', got: `only class ${describeValue(classes[0])}` });
    }
  }
  let encoded: Float32Array;
  try {
    encoded = encodeLabels(labels, classes, fn);
  } catch (e) {
    if (isTensor(xOut)) xOut.dispose();
    throw e;
  }
  return { x: xOut, y: Array.from(encoded), inputShape: xi.shape.slice(1), classes };
}

function rowsFromFlat(values: Float32Array, k: number): number[][] {
  const n = values.length / k;
  return Array.from({ length: n }, (_, i) => Array.from(values.subarray(i * k, (i + 1) * k)));
}

function prepareValidation(kind: NeuralKind, v: ValidationData, classes: readonly number[] | null, fn: string): ValidationData {
  if (kind === 'NeuralRegressor') return v;
  const n = readInput(v.x, fn, 'validationData.x').shape[0] as number;
  return { x: v.x, y: Array.from(encodeLabels(classLabels(v.y, n, `${fn} (validationData)`), classes as readonly number[], fn)) };
}

/** Trains a model built by `build` on prepared data; owns/disposes everything on failure. @internal */
export async function fitNeural(
  kind: NeuralKind,
  params: Readonly<NeuralParams>,
  x: NeuralInput,
  y: NeuralTarget,
  options: NeuralFitOptions,
  build: NetworkBuilder,
  fn: string,
  knownClasses: readonly number[] | null = null,
): Promise<FittedNeuralModel> {
  const end = await fitNeuralPart(kind, params, x, y, options, build, fn, knownClasses, { resumeFrom: null, pauseBefore: null });
  return end.fitted as FittedNeuralModel;
}

/** Builds a network for an input shape and head, seeded. @internal */
export type NetworkBuilder = (inputShape: readonly number[], head: OutputHead, seed: number) => tfl.LayersModel | Promise<tfl.LayersModel>;

/** How {@link fitNeuralSegment} ended: the fitted model, or (paused) the training's checkpoint. @internal */
export type NeuralSegmentEnd = { readonly fitted: FittedNeuralModel; readonly checkpoint: null } | { readonly fitted: null; readonly checkpoint: TrainCheckpoint };

/**
 * `spec.fit(x, y)` of a neural classifier or regressor, one segment of it: paused before epoch
 * `segment.pauseBefore` and/or resumed from `segment.resumeFrom` (a checkpoint of the same spec and
 * rows, from any thread). A fit paused and resumed ends with the model one `fit` gives, bit for
 * bit. Host backends only (cpu, wasm). @internal
 */
export async function fitNeuralSegment(spec: NeuralEstimator<NeuralKind>, x: NeuralInput, y: NeuralTarget, segment: TrainSegment): Promise<NeuralSegmentEnd> {
  return fitNeuralPart(spec.kind, spec.params, x, y, {}, networkOfSpec(spec.params), `${factoryOf(spec.kind)}.fit`, null, segment);
}

/** The factory function of an estimator kind, as named in errors (`neuralClassifier.fit`). */
function factoryOf(kind: NeuralKind): 'neuralClassifier' | 'neuralRegressor' {
  return kind === 'NeuralClassifier' ? 'neuralClassifier' : 'neuralRegressor';
}

/** Builds the network of `params.model` for an input shape and head. */
function networkOfSpec(params: Readonly<NeuralParams>): NetworkBuilder {
  return (inputShape, head, seed) => buildModel(params.model, { inputShape, head, seed });
}

/** The epochs a neural estimator's fit runs (its `train.epochs`, else the estimator default). @internal */
export function fitEpochsOf(params: Readonly<NeuralParams>): number {
  return params.train.epochs ?? ESTIMATOR_EPOCHS;
}

async function fitNeuralPart(
  kind: NeuralKind,
  params: Readonly<NeuralParams>,
  x: NeuralInput,
  y: NeuralTarget,
  options: NeuralFitOptions,
  build: NetworkBuilder,
  fn: string,
  knownClasses: readonly number[] | null,
  segment: TrainSegment,
): Promise<NeuralSegmentEnd> {
  const rng = createRng(params.seed);
  const buildSeed = rng.seed();
  const trainSeed = rng.seed();
  const prepared = prepareY(kind, x, y, knownClasses, fn);
  const disposeX = (): void => {
    if (isTensor(prepared.x)) (prepared.x as tf.Tensor).dispose();
  };
  let model: tfl.LayersModel | null = null;
  try {
    const head: OutputHead =
      kind === 'NeuralRegressor'
        ? { task: 'regression', units: ((prepared.y as number[][])[0] as number[]).length }
        : (prepared.classes as readonly number[]).length === 2
          ? { task: 'binary', units: 1 }
          : { task: 'multiclass', units: (prepared.classes as readonly number[]).length };
    model = await build(prepared.inputShape, head, buildSeed);
    const { validationData, ...runtime } = options;
    const extra: NeuralFitOptions = { ...runtime, ...(validationData !== undefined && { validationData: prepareValidation(kind, validationData, prepared.classes, fn) }) };
    const end = await runTraining(model, prepared.x, prepared.y, trainerOptions(params, trainSeed, extra), segment, 'trainModel');
    if (end.result === null) return { fitted: null, checkpoint: end.checkpoint };
    const result = end.result;
    const fitted = createFitted({ kind, params, model, inputShape: prepared.inputShape, classes: prepared.classes, history: result.history, training: summary(result) });
    model = null;
    return { fitted, checkpoint: null };
  } finally {
    if (model !== null) disposeModel(model);
    disposeX();
  }
}

function makeSpec<K extends NeuralKind>(kind: K, factory: string, params: Readonly<NeuralParams>): NeuralEstimator<K> {
  const spec: NeuralEstimator<K> = {
    kind,
    params,
    fit: (async (x: NeuralInput, y: NeuralTarget, options: NeuralFitOptions = {}) =>
      fitNeural(kind, params, x, y, options, networkOfSpec(params), `${factory}.fit`)) as NeuralEstimator<K>['fit'],
    withParams: (patch: Partial<NeuralParams>) => makeSpec(kind, factory, resolveNeuralParams(factory, { ...params, ...patch })),
    predict: notFitted(kind, 'predict'),
    predictProba: notFitted(kind, 'predictProba'),
  };
  return Object.freeze(spec);
}

/**
 * A neural-network classifier: builds the network of `model` (fnn/logistic on `[n, features]`
 * rows, cnn/rnn on `[n, lookback, features]` windows) with a sigmoid head for 2 classes or a
 * softmax head for more, and trains it with {@link trainModel}. Labels may be any numbers
 * (e.g. 1/2); `classes` is their sorted list and `predictProba` returns P(classes[1]).
 *
 * @param params - `{ model, train, seed }`; `train` holds JSON trainer options (epochs, batchSize,
 *   learningRate, earlyStopping, classWeight, ...). Callbacks and signals go to `fit(x, y, options)`.
 * @returns a frozen spec; `await spec.fit(x, y)` gives a {@link FittedNeuralClassifier}.
 * @throws {InvalidOptionError} invalid params (also for invalid trainer options).
 * @example
 * ```ts
 * import { neuralClassifier } from 'finml';
 * const spec = neuralClassifier({ model: { type: 'fnn', hidden: [16] }, train: { epochs: 30 }, seed: 42 });
 * const fitted = await spec.fit([[0, 1], [1, 0], [1, 1], [0, 0]], [1, 0, 1, 0]);
 * fitted.predictProba([[0, 1]]); //=> Float64Array [p]
 * fitted.dispose();
 * ```
 * @category Training
 */
export function neuralClassifier(params?: Partial<NeuralParams>): NeuralEstimator<'NeuralClassifier'> {
  return makeSpec('NeuralClassifier', 'neuralClassifier', resolveNeuralParams('neuralClassifier', params));
}

/**
 * A neural-network regressor (single output, or `k` outputs for a `[n, k]` target such as a
 * multi-step forecast horizon), trained with {@link trainModel} (MSE loss by default).
 *
 * @param params - `{ model, train, seed }` as in {@link neuralClassifier}.
 * @returns a frozen spec; `await spec.fit(x, y)` gives a {@link FittedNeuralRegressor}.
 * @throws {InvalidOptionError} invalid params.
 * @example
 * ```ts
 * import { neuralRegressor } from 'finml';
 * const spec = neuralRegressor({ model: { type: 'rnn', cell: 'gru', units: [8] }, train: { epochs: 5 }, seed: 1 });
 * // 30 windows of 10 days x 2 features, and the next day's return of each
 * const windows = Array.from({ length: 30 }, (_, i) => Array.from({ length: 10 }, (_, t) => [Math.sin(i + t), Math.cos(i + t)]));
 * const nextReturns = windows.map((w) => 0.1 * (w[9]?.[0] ?? 0));
 * const fitted = await spec.fit(windows, nextReturns); // windows: [n, lookback, features]
 * fitted.predict(windows).length; //=> 30
 * fitted.dispose();
 * ```
 * @category Training
 */
export function neuralRegressor(params?: Partial<NeuralParams>): NeuralEstimator<'NeuralRegressor'> {
  return makeSpec('NeuralRegressor', 'neuralRegressor', resolveNeuralParams('neuralRegressor', params));
}

/**
 * Restores a fitted neural classifier or regressor from its `toJSON()` envelope (async: tfjs
 * deserialises layers asynchronously). The restored model predicts exactly like the original.
 *
 * @param json - A `NeuralClassifier` or `NeuralRegressor` envelope (parsed JSON).
 * @returns a new fitted model owning its tensors (dispose it).
 * @throws {SerializationError} wrong kind/version, malformed state, truncated or mismatched weights.
 * @example
 * ```ts
 * import { neuralClassifier, neuralModelFromJSON } from 'finml';
 * const x = [[0.1, 1], [0.9, 0], [0.2, 1], [0.8, 0], [0.3, 1], [0.7, 0]];
 * const fitted = await neuralClassifier({ model: { type: 'fnn', hidden: [4] }, train: { epochs: 2 }, seed: 1 }).fit(x, [0, 1, 0, 1, 0, 1]);
 * const copy = await neuralModelFromJSON(JSON.parse(JSON.stringify(fitted.toJSON())));
 * fitted.dispose(); copy.dispose();
 * ```
 * @category Training
 */
export async function neuralModelFromJSON(json: unknown): Promise<FittedNeuralModel> {
  return fittedFromEnvelope(json, null, 'neuralModelFromJSON');
}

/**
 * Rebuilds a fitted neural classifier or regressor from its envelope and its network parts: the
 * inverse of `fitted.toJSON()` + `fitted.exportNetwork()`. The envelope's `state` may leave out
 * `topology`, `weightSpecs` and `weights` (formats such as bundles store the parts as raw tfjs
 * artifacts instead); if present they are ignored in favour of `parts`. The parts are validated
 * (sizes, topology budget, finite weights) before any network is built.
 *
 * Restore functions follow one naming rule (see the `finml/io` module): `xxxFromJSON(json)` for
 * JSON envelopes, `xxxFromParts(envelope, parts)` for an envelope plus network parts,
 * `xxxFromArtifacts(artifacts)` for tfjs model artifacts and `loadXxx(store)` for stores.
 *
 * @param envelope - A `NeuralClassifier` or `NeuralRegressor` envelope (parsed JSON).
 * @param parts - The network's {@link NetworkParts} (e.g. from `fitted.exportNetwork()`).
 * @returns a new fitted model owning its tensors (dispose it).
 * @throws {SerializationError} wrong kind/version, malformed state, parts that do not match the
 *   envelope (input shape, classes), truncated, non-finite or mismatched weights.
 * @example
 * ```ts
 * import { neuralClassifier, neuralModelFromParts } from 'finml';
 * const x = [[0.1, 1], [0.9, 0], [0.2, 1], [0.8, 0], [0.3, 1], [0.7, 0]];
 * const fitted = await neuralClassifier({ model: { type: 'fnn', hidden: [4] }, train: { epochs: 2 }, seed: 1 }).fit(x, [0, 1, 0, 1, 0, 1]);
 * const copy = await neuralModelFromParts(fitted.toJSON(), fitted.exportNetwork());
 * copy.kind; //=> 'NeuralClassifier'
 * copy.layerWeights()[0]?.values[0] === fitted.layerWeights()[0]?.values[0]; //=> true
 * fitted.dispose(); copy.dispose();
 * ```
 * @category Training
 */
export async function neuralModelFromParts(envelope: unknown, parts: NetworkParts): Promise<FittedNeuralModel> {
  return fittedFromEnvelope(envelope, parts, 'neuralModelFromParts');
}

/**
 * {@link neuralModelFromParts} for the formats built on it (bundles, risk models): errors name
 * the format's own function `fn`. @internal
 */
export async function neuralModelFromPartsFor(fn: string, envelope: unknown, parts: NetworkParts): Promise<FittedNeuralModel> {
  return fittedFromEnvelope(envelope, parts, fn);
}

/**
 * Restores a fitted model from an envelope whose topology/weights are either in `state` (JSON
 * form) or given separately as network parts (bundle form).
 */
async function fittedFromEnvelope(json: unknown, parts: NetworkParts | null, fn: string): Promise<FittedNeuralModel> {
  const kind = typeof json === 'object' && json !== null ? (json as { kind?: unknown }).kind : undefined;
  const k: NeuralKind = kind === 'NeuralRegressor' ? 'NeuralRegressor' : 'NeuralClassifier';
  const env = checkEnvelope(json, k, [1], fn);
  let params: Readonly<NeuralParams>;
  try {
    params = resolveNeuralParams(fn, env.params as unknown as Partial<NeuralParams>);
  } catch (cause) {
    throw new SerializationError({ fn, arg: 'json.params', expected: 'valid neural estimator params', got: cause instanceof Error ? cause.message : describeValue(env.params) }, { cause });
  }
  const s = env.state as Record<string, unknown> | null;
  if (typeof s !== 'object' || s === null || Array.isArray(s)) throw new SerializationError({ fn, arg: 'json.state', expected: 'an object', got: describeValue(s) });
  const inputShape = s.inputShape;
  if (!Array.isArray(inputShape) || inputShape.length === 0 || !inputShape.every((d) => Number.isInteger(d) && d > 0)) {
    throw new SerializationError({ fn, arg: 'state.inputShape', expected: 'a non-empty array of positive integers', got: describeValue(inputShape) });
  }
  let classes: number[] | null = null;
  if (k === 'NeuralClassifier') {
    if (!Array.isArray(s.classes) || s.classes.length < 2 || !s.classes.every((c) => typeof c === 'number' && Number.isFinite(c))) {
      throw new SerializationError({ fn, arg: 'state.classes', expected: 'an array of at least 2 finite numbers', got: describeValue(s.classes) });
    }
    classes = s.classes as number[];
  }
  const tr = s.training as Record<string, unknown> | null;
  if (typeof tr !== 'object' || tr === null || typeof tr.epochs !== 'number' || (tr.stopReason !== 'completed' && tr.stopReason !== 'earlyStopping')) {
    throw new SerializationError({ fn, arg: 'state.training', expected: 'a training summary object', got: describeValue(tr) });
  }
  const history = historyFromJson(s.history, fn);
  const model = await networkFromParts(
    parts ?? {
      modelTopology: s.topology as JsonValue,
      weightSpecs: readWeightSpecs(s.weightSpecs, fn, 'state.weightSpecs'),
      weightData: fromBase64(s.weights, fn, 'state.weights'),
    },
    fn,
    'state',
  );
  const shapeOk = (() => {
    const mi = (model.inputs[0] as tfl.SymbolicTensor).shape.slice(1);
    return mi.length === inputShape.length && mi.every((d, i) => d === null || d === inputShape[i]);
  })();
  const outUnits = (model.outputs[0] as tfl.SymbolicTensor).shape[1];
  const unitsOk = classes === null || outUnits === (classes.length === 2 ? 1 : classes.length);
  if (!shapeOk || !unitsOk) {
    disposeModel(model);
    throw new SerializationError({ fn, arg: 'state', expected: 'a topology matching inputShape and classes', got: `model input [${(model.inputs[0] as tfl.SymbolicTensor).shape.join(', ')}], ${String(outUnits)} outputs` });
  }
  return createFitted({
    kind: k,
    params,
    model,
    inputShape: inputShape as number[],
    classes,
    history,
    training: Object.freeze({
      epochs: tr.epochs,
      stopReason: tr.stopReason,
      bestEpoch: typeof tr.bestEpoch === 'number' ? tr.bestEpoch : null,
      finalLearningRate: typeof tr.finalLearningRate === 'number' ? tr.finalLearningRate : Number.NaN,
    }),
  });
}

/** The task of a fitted model's head. @internal */
export function taskOf(f: FittedNeuralModel): TaskKind {
  if (f.kind === 'NeuralRegressor') return 'regression';
  return f.outputUnits === 1 ? 'binary' : 'multiclass';
}

