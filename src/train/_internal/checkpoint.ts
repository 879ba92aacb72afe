/**
 * Private: a paused training's state, so that another thread (or a later call) can run the
 * remaining epochs and end with the weights, history and result an uninterrupted run gives,
 * bit for bit. Cross-validation uses it to split one fold's epochs over two workers.
 *
 * Everything is positional (weights in `model.weights` order, optimizer accumulators in trainable
 * variable order, dropout layers in layer order), because a resumed training rebuilds its model
 * and tfjs names variables with process-wide counters.
 */
import type * as tfl from '@tensorflow/tfjs-layers';
import * as tf from '@tensorflow/tfjs-core';
import { InvalidOptionError, describeValue } from '../../core/errors';
import type { EarlyStoppingState, PlateauState } from '../callbacks';
import type { HostOptimizerState } from './hostOptimizer';

/** The epoch loop's history, as the trainer keeps it (arrays it appends to; frozen into a `TrainHistory` at the end). */
export interface CheckpointHistory {
  readonly epoch: number[];
  readonly loss: number[];
  readonly valLoss: number[];
  readonly lr: number[];
  readonly metrics: Record<string, number[]>;
}

/** What must be the same when a training resumes: the data's split and the options that shape the steps. */
export interface CheckpointFingerprint {
  readonly nTrain: number;
  readonly nValidation: number;
  readonly seed: number;
  readonly epochs: number;
  readonly batchSize: number;
  readonly optimizer: string;
  readonly shuffle: boolean;
}

/** A paused training (structured-cloneable: typed arrays and plain values). */
export interface TrainCheckpoint {
  readonly format: 'finml.trainCheckpoint';
  /** The first epoch the resumed training runs. */
  readonly nextEpoch: number;
  readonly fingerprint: CheckpointFingerprint;
  readonly weightShapes: readonly (readonly number[])[];
  /** Every weight of the model (trainable or not), in `model.weights` order. */
  readonly weights: readonly Float32Array[];
  readonly optimizer: HostOptimizerState;
  /** Each seeded dropout layer's mask-stream position, in layer order. */
  readonly dropoutCalls: readonly number[];
  readonly learningRate: number;
  readonly plateau: PlateauState | null;
  readonly earlyStopping: EarlyStoppingState | null;
  readonly history: CheckpointHistory;
}

/** A seeded dropout layer's mask stream (finml's `SeededDropout`, told apart by duck typing: it lives in a higher area). */
interface ResumableMaskStream {
  readonly maskCalls: number;
  resumeMaskStream(calls: number): void;
}

function isResumableMaskStream(layer: tfl.layers.Layer): boolean {
  const l = layer as unknown as Partial<ResumableMaskStream>;
  return typeof l.resumeMaskStream === 'function' && typeof l.maskCalls === 'number';
}

/** The model's seeded dropout layers, depth first (nested models included). */
function maskStreamsOf(model: tfl.LayersModel): ResumableMaskStream[] {
  const out: ResumableMaskStream[] = [];
  const walk = (layers: readonly tfl.layers.Layer[]): void => {
    for (const layer of layers) {
      const nested = (layer as unknown as { layers?: tfl.layers.Layer[] }).layers;
      if (Array.isArray(nested)) walk(nested);
      else if (isResumableMaskStream(layer)) out.push(layer as unknown as ResumableMaskStream);
    }
  };
  walk(model.layers);
  return out;
}

/** Copies of every weight of `model`, in `model.weights` order. */
function weightValuesOf(model: tfl.LayersModel): Float32Array[] {
  return model.weights.map((w) => {
    const t = w.read();
    return Float32Array.from(t.dataSync() as Float32Array);
  });
}

/** The checkpoint of a training paused before `nextEpoch` (copies: the training may go on). */
export function captureCheckpoint(parts: {
  readonly model: tfl.LayersModel;
  readonly nextEpoch: number;
  readonly fingerprint: CheckpointFingerprint;
  readonly optimizer: HostOptimizerState;
  readonly learningRate: number;
  readonly plateau: PlateauState | null;
  readonly earlyStopping: EarlyStoppingState | null;
  readonly history: CheckpointHistory;
}): TrainCheckpoint {
  const { model, history } = parts;
  return {
    format: 'finml.trainCheckpoint',
    nextEpoch: parts.nextEpoch,
    fingerprint: parts.fingerprint,
    weightShapes: model.weights.map((w) => w.read().shape.slice()),
    weights: weightValuesOf(model),
    optimizer: parts.optimizer,
    dropoutCalls: maskStreamsOf(model).map((l) => l.maskCalls),
    learningRate: parts.learningRate,
    plateau: parts.plateau,
    earlyStopping: parts.earlyStopping,
    history: copyHistory(history),
  };
}

/** A copy of a history, every series a new array (a checkpoint's, or one a resumed training appends to). */
export function copyHistory(h: CheckpointHistory): CheckpointHistory {
  const metrics: Record<string, number[]> = {};
  for (const [k, v] of Object.entries(h.metrics)) metrics[k] = v.slice();
  return { epoch: h.epoch.slice(), loss: h.loss.slice(), valLoss: h.valLoss.slice(), lr: h.lr.slice(), metrics };
}

/**
 * Checks that `cp` is a checkpoint of this model, data and options (typed errors naming `fn` and
 * `arg`); returns it typed.
 */
export function checkCheckpoint(cp: unknown, model: tfl.LayersModel, fingerprint: CheckpointFingerprint, fn: string, arg: string): TrainCheckpoint {
  const c = cp as Partial<TrainCheckpoint> | null;
  if (typeof c !== 'object' || c === null || c.format !== 'finml.trainCheckpoint') {
    throw new InvalidOptionError({ fn, arg, expected: "a training checkpoint { format: 'finml.trainCheckpoint', ... }", got: describeValue(cp) });
  }
  const f = c.fingerprint as CheckpointFingerprint | undefined;
  for (const k of Object.keys(fingerprint) as (keyof CheckpointFingerprint)[]) {
    if (f === undefined || f[k] !== fingerprint[k]) {
      throw new InvalidOptionError({ fn, arg: `${arg}.fingerprint.${k}`, expected: `${describeValue(fingerprint[k])} (a checkpoint of the same data and options)`, got: describeValue(f?.[k]) });
    }
  }
  const shapes = c.weightShapes ?? [];
  const weights = c.weights ?? [];
  if (shapes.length !== model.weights.length || weights.length !== model.weights.length) {
    throw new InvalidOptionError({ fn, arg: `${arg}.weights`, expected: `${model.weights.length} weights (the model's)`, got: `${weights.length}` });
  }
  model.weights.forEach((w, i) => {
    const s = shapes[i] ?? [];
    const v = weights[i];
    const { shape, size } = w.read();
    if (s.length !== shape.length || s.some((d, j) => d !== shape[j]) || !(v instanceof Float32Array) || v.length !== size) {
      throw new InvalidOptionError({ fn, arg: `${arg}.weights[${i}]`, expected: `a Float32Array of shape [${shape.join(', ')}] (weight ${w.name})`, got: `shape [${s.join(', ')}]` });
    }
  });
  const streams = maskStreamsOf(model).length;
  if (!Array.isArray(c.dropoutCalls) || c.dropoutCalls.length !== streams) {
    throw new InvalidOptionError({ fn, arg: `${arg}.dropoutCalls`, expected: `${streams} positions (the model's seeded dropout layers)`, got: describeValue(c.dropoutCalls) });
  }
  const e = c.nextEpoch;
  if (typeof e !== 'number' || !Number.isInteger(e) || e < 1 || e >= fingerprint.epochs) {
    throw new InvalidOptionError({ fn, arg: `${arg}.nextEpoch`, expected: `an integer in [1, ${fingerprint.epochs - 1}]`, got: describeValue(e) });
  }
  return c as TrainCheckpoint;
}

/** Writes the checkpoint's weights into the model and moves its dropout mask streams to where they were. */
export function restoreModelState(cp: TrainCheckpoint, model: tfl.LayersModel): void {
  model.weights.forEach((w, i) => {
    const t = tf.tensor(cp.weights[i] as Float32Array, w.read().shape, 'float32');
    w.write(t);
    t.dispose();
  });
  maskStreamsOf(model).forEach((l, i) => l.resumeMaskStream(cp.dropoutCalls[i] as number));
}
