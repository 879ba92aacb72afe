/**
 * The trainer's callbacks: small objects the epoch loop calls before and after every epoch
 * (early stopping, ReduceLROnPlateau, a custom learning-rate schedule, progress hooks), and the
 * options of the two built-in monitors.
 *
 * A callback sees an epoch's values by key (`loss`, `valLoss`, `accuracy`, `valAccuracy`, ...)
 * and may ask the loop to stop. The GAN loop uses the same objects.
 *
 * @module
 */
import type * as tfl from '@tensorflow/tfjs-layers';
import * as tf from '@tensorflow/tfjs-core';
import { InvalidOptionError, describeValue } from '../core/errors';
import { rules, type RuleTable } from '../core/options';
import { isImprovement } from './_internal/monitor';

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

/** Defaults of {@link EarlyStoppingOptions}. @internal */
export const EARLY_STOPPING_DEFAULTS: EarlyStoppingOptions = Object.freeze({
  monitor: 'auto',
  mode: 'auto',
  patience: 5,
  minDelta: 0,
  restoreBestWeights: true,
});

/** Rule table of {@link EarlyStoppingOptions} (private to the trainer). @internal */
export const EARLY_STOPPING_RULES: RuleTable<EarlyStoppingOptions> = {
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

/** Rule table of {@link ReduceLrOnPlateauOptions} (private to the trainer). @internal */
export const REDUCE_LR_RULES: RuleTable<ReduceLrOnPlateauOptions> = {
  monitor: rules.string(),
  mode: rules.oneOf(['auto', 'min', 'max']),
  factor: rules.number({ min: 0, max: 1, exclusiveMin: true }),
  patience: rules.int({ min: 0 }),
  minLr: rules.number({ min: 0 }),
  cooldown: rules.int({ min: 0 }),
  minDelta: rules.number({ min: 0 }),
};

/** An epoch's values by key (`loss`, `valLoss`, metrics, `valXxx` metrics). @internal */
export type EpochValues = Readonly<Record<string, number>>;

/**
 * One callback of the epoch loop. `beforeEpoch` runs before the epoch's batches; `afterEpoch`
 * runs once the epoch's values are known and answers whether training should stop. Callbacks run
 * in the order given, and the loop stops after the first one that asks it to.
 * @internal
 */
export interface EpochCallback<V> {
  beforeEpoch?(epoch: number): void;
  afterEpoch?(epoch: number, values: V): boolean | void | Promise<boolean | void>;
}

/** The optimizer's learning rate, read by the history and changed by schedules and plateaus. @internal */
export interface LearningRate {
  readonly current: number;
  set(lr: number): void;
}

/** A learning-rate handle that writes every change through to `optimizer`. @internal */
export function learningRateOf(optimizer: tf.Optimizer, initial: number): LearningRate {
  let current = initial;
  return {
    get current(): number {
      return current;
    },
    set(lr: number): void {
      current = lr;
      setOptimizerLearningRate(optimizer, lr);
    },
  };
}

function setOptimizerLearningRate(opt: tf.Optimizer, lr: number): void {
  // tfjs optimizers answer `instanceof` by duck typing, so test for the method itself: SGD caches
  // -lr in a scalar and must be told; adam/rmsprop read their `learningRate` field every step.
  const sgd = opt as unknown as { setLearningRate?: (lr: number) => void; learningRate: number };
  if (typeof sgd.setLearningRate === 'function') sgd.setLearningRate(lr);
  else sgd.learningRate = lr;
}

/** The direction of a monitored key: `'auto'` means up for accuracies, down for everything else. @internal */
export function directionOf(mode: MonitorMode, key: string): 'min' | 'max' {
  if (mode !== 'auto') return mode;
  return /accuracy/i.test(key) ? 'max' : 'min';
}

/**
 * The key a monitor watches: `'auto'` is `'valLoss'` with validation data, else `'loss'`; any
 * other key must be one of `available` (an InvalidOptionError lists them otherwise).
 * @internal
 */
export function monitoredKey(monitor: string, available: readonly string[], hasValidation: boolean, fn: string, option: string): string {
  const key = monitor === 'auto' ? (hasValidation ? 'valLoss' : 'loss') : monitor;
  if (!available.includes(key)) {
    throw new InvalidOptionError({
      fn,
      arg: `${option}.monitor`,
      expected: `one of the available keys ${available.map((k) => `'${k}'`).join(', ')}`,
      got: describeValue(monitor),
    });
  }
  return key;
}

/** Calls `schedule(epoch, lr)` before every epoch and applies the rate it returns (finite, > 0). @internal */
export function scheduleLearningRate(schedule: (epoch: number, lr: number) => number, lr: LearningRate, fn: string): EpochCallback<unknown> {
  return {
    beforeEpoch(epoch: number): void {
      const next = schedule(epoch, lr.current);
      if (typeof next !== 'number' || !Number.isFinite(next) || next <= 0) {
        throw new InvalidOptionError({ fn, arg: 'lrSchedule', expected: 'a function returning a finite number > 0', got: `${describeValue(next)} at epoch ${epoch}` });
      }
      if (next !== lr.current) lr.set(next);
    },
  };
}

/** Multiplies the learning rate by `factor` after `patience` epochs without improvement of `key` (Keras ReduceLROnPlateau). @internal */
export function reduceLrOnPlateau(options: ReduceLrOnPlateauOptions, key: string, lr: LearningRate, resumed: PlateauState | null = null): ReduceLrOnPlateau {
  const mode = directionOf(options.mode, key);
  const st: PlateauState = resumed === null ? { best: mode === 'min' ? Infinity : -Infinity, wait: 0, cooldown: 0 } : { ...resumed };
  return {
    afterEpoch(_epoch: number, values: EpochValues): void {
      const current = values[key] as number;
      if (st.cooldown > 0) {
        st.cooldown--;
        st.wait = 0;
      }
      if (isImprovement(mode, current, st.best, options.minDelta)) {
        st.best = current;
        st.wait = 0;
      } else if (st.cooldown === 0) {
        st.wait++;
        if (st.wait >= options.patience && lr.current > options.minLr) {
          lr.set(Math.max(lr.current * options.factor, options.minLr));
          st.cooldown = options.cooldown;
          st.wait = 0;
        }
      }
    },
    snapshot: () => ({ ...st }),
  };
}

/** What {@link reduceLrOnPlateau} remembers between epochs (a paused training carries it). @internal */
export interface PlateauState {
  best: number;
  wait: number;
  cooldown: number;
}

/** The plateau callback, with a copy of its state for a training checkpoint. @internal */
export interface ReduceLrOnPlateau extends EpochCallback<EpochValues> {
  snapshot(): PlateauState;
}

/** What {@link earlyStopping} remembers between epochs (a paused training carries it; `bestWeights` in `model.weights` order). @internal */
export interface EarlyStoppingState {
  readonly best: number | null;
  readonly bestEpoch: number | null;
  readonly wait: number;
  readonly bestWeights: readonly Float32Array[] | null;
}

/** Early stopping on `key`, keeping a copy of the best epoch's weights when asked to restore them. @internal */
export interface EarlyStopping extends EpochCallback<EpochValues> {
  /** The epoch with the best value so far (null while every value was NaN). */
  readonly bestEpoch: number | null;
  /** Whether it stopped training. */
  readonly stopped: boolean;
  /** Writes the best epoch's weights back into the model unless `lastEpoch` is the best one; true when it did. */
  restoreBestWeights(lastEpoch: number): boolean;
  /** A copy of its state for a training checkpoint. */
  snapshot(): EarlyStoppingState;
  /** Disposes the weight copy (idempotent). */
  dispose(): void;
}

/** Stops after `patience` epochs without improvement of `key` (Keras EarlyStopping); call `dispose()` at the end. @internal */
export function earlyStopping(options: EarlyStoppingOptions, key: string, model: tfl.LayersModel, resumed: EarlyStoppingState | null = null): EarlyStopping {
  const mode = directionOf(options.mode, key);
  let best: number | null = resumed === null ? null : resumed.best;
  let bestEpoch: number | null = resumed === null ? null : resumed.bestEpoch;
  let wait = resumed === null ? 0 : resumed.wait;
  let stopped = false;
  let bestWeights: tf.Tensor[] | null =
    resumed === null || resumed.bestWeights === null ? null : model.weights.map((w, i) => tf.tensor((resumed.bestWeights as readonly Float32Array[])[i] as Float32Array, w.read().shape, 'float32'));
  const dispose = (): void => {
    if (bestWeights !== null) tf.dispose(bestWeights);
    bestWeights = null;
  };
  return {
    get bestEpoch(): number | null {
      return bestEpoch;
    },
    get stopped(): boolean {
      return stopped;
    },
    afterEpoch(epoch: number, values: EpochValues): boolean {
      const current = values[key] as number;
      if (isImprovement(mode, current, best, options.minDelta)) {
        best = current;
        bestEpoch = epoch;
        wait = 0;
        if (options.restoreBestWeights) {
          dispose();
          bestWeights = model.weights.map((w) => tf.clone(w.read()));
        }
        return false;
      }
      wait++;
      stopped = wait >= options.patience;
      return stopped;
    },
    restoreBestWeights(lastEpoch: number): boolean {
      const saved = bestWeights;
      if (!options.restoreBestWeights || saved === null || bestEpoch === null || bestEpoch === lastEpoch) return false;
      model.weights.forEach((w, i) => w.write(saved[i] as tf.Tensor));
      return true;
    },
    snapshot: () => ({ best, bestEpoch, wait, bestWeights: bestWeights === null ? null : bestWeights.map((t) => Float32Array.from(t.dataSync() as Float32Array)) }),
    dispose,
  };
}

/** Calls a progress hook (may be async, awaited) after every epoch with the epoch's index and values. @internal */
export function reportProgress<V>(hook: (epoch: number, values: V) => void | Promise<void>): EpochCallback<V> {
  return {
    async afterEpoch(epoch: number, values: V): Promise<void> {
      await hook(epoch, values);
    },
  };
}
