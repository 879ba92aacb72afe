import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { beforeAll, describe, expect, it } from 'vitest';
import { ensureChainedOps } from '../../src/core/chainedOps';
import { InvalidOptionError, ShapeError, DataError, TrainingError } from '../../src/core/errors';
import { createRng } from '../../src/core/random';
import { trainModel, type EpochLogs } from '../../src/train/trainModel';
import { balancedClassWeights } from '../../src/train/classWeights';
import { expectClose, expectNoLeak } from '../helpers/leak';

beforeAll(() => ensureChainedOps());

function mlp(inputs: number, seed: number, out: { units: number; activation: 'sigmoid' | 'softmax' | 'linear' } = { units: 1, activation: 'sigmoid' }): tfl.LayersModel {
  return tfl.sequential({
    layers: [
      tfl.layers.dense({ units: 6, inputShape: [inputs], activation: 'tanh', kernelInitializer: tfl.initializers.glorotUniform({ seed }) }),
      tfl.layers.dense({ units: out.units, activation: out.activation, kernelInitializer: tfl.initializers.glorotUniform({ seed: seed + 1 }) }),
    ],
  });
}

/** Two Gaussian blobs, label = 1 when x0 + x1 > 0. */
function blobs(n: number, seed: number): { x: number[][]; y: number[] } {
  const rng = createRng(seed);
  const x: number[][] = [];
  const y: number[] = [];
  for (let i = 0; i < n; i++) {
    const a = rng.normal();
    const b = rng.normal();
    x.push([a, b]);
    y.push(a + b > 0 ? 1 : 0);
  }
  return { x, y };
}

function disposable(model: tfl.LayersModel): { model: tfl.LayersModel; [Symbol.dispose](): void } {
  return { model, [Symbol.dispose]: () => model.dispose() };
}

function weightsOf(model: tfl.LayersModel): number[] {
  return model.getWeights().flatMap((w) => Array.from(w.dataSync()));
}

function scalarModel(init: number, activation: 'linear' | 'sigmoid' = 'linear', useBias = false): tfl.LayersModel {
  return tfl.sequential({
    layers: [tfl.layers.dense({ units: 1, inputShape: [1], useBias, activation, kernelInitializer: tfl.initializers.constant({ value: init }) })],
  });
}

describe('trainModel', () => {
  it('learns a separable problem and reports history, metrics and callbacks', async () => {
    const { x, y } = blobs(80, 1);
    const model = mlp(2, 3);
    const epochs: EpochLogs[] = [];
    let batches = 0;
    let ended = 0;
    const r = await trainModel(model, x, y, {
      epochs: 15,
      batchSize: 16,
      learningRate: 0.05,
      metrics: ['accuracy'],
      validationSplit: 0.25,
      seed: 4,
      onEpochEnd: (l) => {
        epochs.push(l);
      },
      onBatchEnd: () => {
        batches++;
      },
      onTrainEnd: () => {
        ended++;
      },
    });
    expect(r.loss).toBe('binaryCrossentropy');
    expect(r.epochs).toBe(15);
    expect(r.history.loss).toHaveLength(15);
    expect(r.history.valLoss).toHaveLength(15);
    expect(r.history.lr).toEqual(new Array(15).fill(0.05));
    expect(epochs.map((e) => e.epoch)).toEqual([...Array(15).keys()]);
    expect(batches).toBe(15 * Math.ceil(60 / 16));
    expect(ended).toBe(1);
    expect(r.history.loss[14] as number).toBeLessThan((r.history.loss[0] as number) * 0.6);
    expect(r.history.metrics.valAccuracy?.[14]).toBeGreaterThanOrEqual(0.85);
    expect(Object.isFrozen(r.history.loss)).toBe(true);
    model.dispose();
  });

  it('validationSplit holds out the last rows: valLoss equals the loss recomputed on them', async () => {
    const { x, y } = blobs(40, 2);
    const model = mlp(2, 5);
    const r = await trainModel(model, x, y, { epochs: 2, validationSplit: 0.25, seed: 1 });
    const p = tf.tidy(() => (model.predict(tf.tensor2d(x.slice(30)), { batchSize: 4096 }) as tf.Tensor).dataSync());
    let bce = 0;
    y.slice(30).forEach((t, i) => {
      const q = Math.min(Math.max(p[i] as number, 1e-7), 1 - 1e-7);
      bce -= t * Math.log(q) + (1 - t) * Math.log(1 - q);
    });
    expectClose([r.history.valLoss[1] as number], [bce / 10], 1e-5);
    model.dispose();
  });

  it('is deterministic: same seed and initial weights give identical weights; another seed differs', async () => {
    const { x, y } = blobs(50, 3);
    const run = async (seed: number): Promise<number[]> => {
      const m = mlp(2, 11);
      await trainModel(m, x, y, { epochs: 3, batchSize: 8, seed, validationSplit: 0.2, validationMode: 'shuffled' });
      const w = weightsOf(m);
      m.dispose();
      return w;
    };
    const a = await run(7);
    const b = await run(7);
    const c = await run(8);
    expect(b).toEqual(a);
    expect(c).not.toEqual(a);
  });

  it('applies SGD with a custom schedule exactly (closed form)', async () => {
    // y = w·x, x = 1, target 1, MSE: grad = 2(w - 1); w0 = 0.
    const model = scalarModel(0);
    const r = await trainModel(model, [[1]], [1], { optimizer: 'sgd', epochs: 2, lrSchedule: (e) => 0.1 / (e + 1), shuffle: false });
    expect(r.history.lr).toEqual([0.1, 0.05]);
    expectClose(weightsOf(model), [0.2 + 0.05 * 2 * 0.8], 1e-6);
    model.dispose();
  });

  it("class weights 'balanced' weight the loss per sample (gradient cancels exactly)", async () => {
    // sigmoid(b) with b = 0 on inputs 0: dL/db = mean(w_i (0.5 - y_i)).
    const x = [[0], [0], [0], [0]];
    const y = [1, 0, 0, 0];
    const mk = (): tfl.LayersModel =>
      tfl.sequential({ layers: [tfl.layers.dense({ units: 1, inputShape: [1], activation: 'sigmoid', kernelInitializer: 'zeros' })] });
    const plain = mk();
    await trainModel(plain, x, y, { optimizer: 'sgd', learningRate: 1, epochs: 1, shuffle: false });
    expectClose([(plain.getWeights()[1] as tf.Tensor).dataSync()[0] as number], [-0.25], 1e-6);
    const balanced = mk();
    await trainModel(balanced, x, y, { optimizer: 'sgd', learningRate: 1, epochs: 1, shuffle: false, classWeight: 'balanced' });
    expectClose([(balanced.getWeights()[1] as tf.Tensor).dataSync()[0] as number], [0], 1e-6);
    const explicit = mk();
    await trainModel(explicit, x, y, { optimizer: 'sgd', learningRate: 1, epochs: 1, shuffle: false, classWeight: { 1: 3 } });
    // mean((0.5-1)*3, 0.5, 0.5, 0.5) = 0 as well.
    expectClose([(explicit.getWeights()[1] as tf.Tensor).dataSync()[0] as number], [0], 1e-6);
    plain.dispose();
    balanced.dispose();
    explicit.dispose();
    await expect(trainModel(scalarModel(0), [[1]], [1], { classWeight: 'balanced' })).rejects.toBeInstanceOf(InvalidOptionError);
  });

  it('balancedClassWeights matches scikit-learn compute_class_weight', () => {
    expect(balancedClassWeights([0, 0, 0, 1])).toEqual([4 / 6, 2]);
    expect(balancedClassWeights([0, 1, 2, 2])).toEqual([4 / 3, 4 / 3, 4 / 6]);
    expect(() => balancedClassWeights([0, 0], 2)).toThrow(DataError);
    expect(() => balancedClassWeights([0.5])).toThrow(DataError);
  });

  it('early stopping stops after `patience` epochs without improvement', async () => {
    const model = scalarModel(0);
    // minDelta larger than any possible improvement: only epoch 0 counts as best.
    const r = await trainModel(model, [[1], [2]], [1, 2], {
      epochs: 20,
      optimizer: 'sgd',
      learningRate: 0.01,
      earlyStopping: { monitor: 'loss', patience: 2, minDelta: 1e9, restoreBestWeights: false },
    });
    expect(r.stopReason).toBe('earlyStopping');
    expect(r.epochs).toBe(3);
    expect(r.bestEpoch).toBe(0);
    expect(r.restoredBestWeights).toBe(false);
    model.dispose();
  });

  it('restores the best weights, also when all epochs ran and the last epoch was worse', async () => {
    const { x, y } = blobs(40, 5);
    const model = mlp(2, 21);
    const perEpoch: number[][] = [];
    // A small rate first, then a huge one that makes the validation loss worse at the end.
    const r = await trainModel(model, x, y, {
      epochs: 6,
      optimizer: 'sgd',
      validationSplit: 0.25,
      lrSchedule: (e) => (e < 4 ? 0.5 : 60),
      earlyStopping: { patience: 10 },
      onEpochEnd: () => {
        perEpoch.push(weightsOf(model));
      },
    });
    expect(r.stopReason).toBe('completed');
    const vl = r.history.valLoss;
    const best = vl.indexOf(Math.min(...vl));
    expect(best).toBeLessThan(5);
    expect(r.bestEpoch).toBe(best);
    expect(r.restoredBestWeights).toBe(true);
    expect(weightsOf(model)).toEqual(perEpoch[best]);
    model.dispose();
  });

  it('reduceLrOnPlateau lowers the rate after `patience` stale epochs, respecting minLr and cooldown', async () => {
    const model = scalarModel(0);
    const r = await trainModel(model, [[1], [2]], [1, 2], {
      epochs: 6,
      optimizer: 'sgd',
      learningRate: 0.01,
      reduceLrOnPlateau: { monitor: 'loss', patience: 1, factor: 0.5, minDelta: 1e9, minLr: 0.002 },
    });
    expect(r.history.lr).toEqual([0.01, 0.01, 0.005, 0.0025, 0.002, 0.002]);
    const m2 = scalarModel(0);
    const r2 = await trainModel(m2, [[1], [2]], [1, 2], {
      epochs: 6,
      optimizer: 'adam',
      learningRate: 0.01,
      reduceLrOnPlateau: { monitor: 'loss', patience: 1, factor: 0.5, minDelta: 1e9, cooldown: 2 },
    });
    expect(r2.history.lr).toEqual([0.01, 0.01, 0.005, 0.005, 0.0025, 0.0025]);
    expect(r2.finalLearningRate).toBe(0.00125);
    model.dispose();
    m2.dispose();
  });

  it('trains multiclass softmax models on integer labels', async () => {
    const { x, y } = blobs(60, 6);
    const y3 = y.map((v, i) => (v === 1 ? ((x[i] as number[])[0] as number) > 1 ? 2 : 1 : 0));
    const model = mlp(2, 31, { units: 3, activation: 'softmax' });
    const r = await trainModel(model, x, y3, { epochs: 25, learningRate: 0.05, metrics: ['accuracy'], seed: 2 });
    expect(r.loss).toBe('categoricalCrossentropy');
    expect(r.history.metrics.accuracy?.[24]).toBeGreaterThan(0.75);
    await expect(trainModel(model, x, y3.map((v) => v + 1), { epochs: 1 })).rejects.toBeInstanceOf(DataError);
    model.dispose();
  });

  it('updates BatchNorm moving statistics once per training batch (closed form), never during validation', async () => {
    const m = tfl.sequential({ layers: [tfl.layers.batchNormalization({ inputShape: [1] }), tfl.layers.dense({ units: 1 })] });
    const x = Array.from({ length: 80 }, (_, i) => [i < 64 ? 5 + (i % 2) : 100]);
    // 64 training rows in order (4 batches of 16, each with mean 5.5 and biased variance 0.25, which
    // tfjs-layers uses) x 3 epochs; the 16 validation rows must not move the statistics.
    await trainModel(m, x, new Array(80).fill(1), { epochs: 3, batchSize: 16, validationSplit: 0.2, shuffle: false });
    const bn = m.layers[0] as tfl.layers.Layer;
    const byName = Object.fromEntries(bn.weights.map((w) => [w.originalName.split('/').pop(), (w.read().dataSync() as Float32Array)[0] as number]));
    const decay = 0.99 ** 12;
    expectClose([byName.moving_mean as number], [5.5 * (1 - decay)], 1e-5);
    expectClose([byName.moving_variance as number], [1 + (0.25 - 1) * (1 - decay)], 1e-5);
    m.dispose();
  });

  it('NaN guard throws TrainingError naming epoch and batch, without leaking', async () => {
    const x = [[1], [1], [1], [1], [1e30], [1]];
    const y = [1, 1, 1, 1, 1, 1];
    let err: unknown;
    await expectNoLeak(async () => {
      // Fresh model each run: the failing batch's update has already made the weights non-finite.
      using _m = disposable(scalarModel(1e10));
      const model = _m.model;
      try {
        await trainModel(model, x, y, { epochs: 2, batchSize: 2, shuffle: false });
      } catch (e) {
        err = e;
      }
    });
    expect(err).toBeInstanceOf(TrainingError);
    expect((err as Error).message).toContain('epoch 0, batch 2');
  });

  it('aborts through an AbortSignal with TrainingError and no leak', async () => {
    const { x, y } = blobs(32, 7);
    const model = mlp(2, 41);
    await expectNoLeak(async () => {
      const ctl = new AbortController();
      await expect(
        trainModel(model, x, y, {
          epochs: 5,
          batchSize: 8,
          signal: ctl.signal,
          onBatchEnd: (b) => {
            if (b.epoch === 1 && b.batch === 1) ctl.abort();
          },
        }),
      ).rejects.toThrow(/aborted at epoch 1, batch 2/);
    });
    model.dispose();
  });

  it('leaks no tensors (optimizer, per-batch tensors, validation, snapshots)', async () => {
    const { x, y } = blobs(30, 8);
    const model = mlp(2, 51);
    const xt = tf.tensor2d(x);
    const yt = tf.tensor1d(y);
    await expectNoLeak(async () => {
      await trainModel(model, xt, yt, {
        epochs: 3,
        batchSize: 8,
        metrics: ['accuracy', 'mse'],
        validationSplit: 0.3,
        classWeight: 'balanced',
        earlyStopping: { patience: 1 },
        reduceLrOnPlateau: { patience: 1 },
      });
      for (const optimizer of ['sgd', 'rmsprop'] as const) await trainModel(model, xt, yt, { epochs: 1, optimizer });
    });
    expect(xt.isDisposed).toBe(false);
    tf.dispose([xt, yt]);
    model.dispose();
  });

  it('does not mutate its inputs', async () => {
    const { x, y } = blobs(20, 9);
    const xc = JSON.parse(JSON.stringify(x)) as number[][];
    const yc = y.slice();
    const model = mlp(2, 61);
    await trainModel(model, x, y, { epochs: 1, classWeight: 'balanced' });
    expect(x).toEqual(xc);
    expect(y).toEqual(yc);
    model.dispose();
  });

  it('validates options, monitored keys and shapes', async () => {
    const model = mlp(2, 71);
    const x = [[0, 1], [1, 0], [1, 1], [0, 0]];
    const y = [1, 0, 1, 0];
    await expect(trainModel(model, x, y, { epochs: 0 })).rejects.toBeInstanceOf(InvalidOptionError);
    await expect(trainModel(model, x, y, { bogus: 1 } as never)).rejects.toBeInstanceOf(InvalidOptionError);
    await expect(trainModel(model, x, y, { earlyStopping: { patience: -1 } })).rejects.toThrow(/'patience' option of trainModel \(earlyStopping\)/);
    const e = await trainModel(model, x, y, { metrics: ['accuracy'], earlyStopping: { monitor: 'valAuc' } }).catch((err: unknown) => err);
    expect(e).toBeInstanceOf(InvalidOptionError);
    expect((e as Error).message).toContain("'loss', 'accuracy'");
    await expect(trainModel(model, [[1, 2, 3]], [1], {})).rejects.toBeInstanceOf(ShapeError);
    await expect(trainModel(model, x, [1, 0], {})).rejects.toBeInstanceOf(ShapeError);
    await expect(trainModel(model, [[Number.NaN, 1]], [1], {})).rejects.toBeInstanceOf(DataError);
    await expect(trainModel(model, x, [2, 0, 1, 0], {})).rejects.toBeInstanceOf(DataError);
    await expect(trainModel(model, [], [], {})).rejects.toBeInstanceOf(DataError);
    model.dispose();
  });
});

describe('trainModel: NaN monitored values and class-weight errors', () => {
  /**
   * Options that make the validation loss NaN in the chosen epochs only: after the last batch of
   * such an epoch, onBatchEnd writes NaN into the first kernel (so the validation pass sees NaN
   * weights), and onEpochEnd writes the saved finite weights back before training goes on.
   */
  function nanValidationAt(model: tfl.LayersModel, nanEpochs: ReadonlySet<number>): {
    onBatchEnd: (l: { epoch: number }) => void;
    onEpochEnd: (l: EpochLogs) => void;
    dispose: () => void;
  } {
    let saved: tf.Tensor[] | null = null;
    const restore = (): void => {
      if (saved === null) return;
      const s = saved;
      model.weights.forEach((w, i) => w.write(s[i] as tf.Tensor));
      tf.dispose(s);
      saved = null;
    };
    return {
      onBatchEnd: ({ epoch }) => {
        if (!nanEpochs.has(epoch)) return;
        restore();
        saved = model.weights.map((w) => tf.clone(w.read()));
        const k = model.weights[0] as tfl.LayerVariable;
        const bad = tf.fill(k.shape as number[], Number.NaN);
        k.write(bad);
        bad.dispose();
      },
      onEpochEnd: () => restore(),
      dispose: restore,
    };
  }

  it('early stopping never takes a NaN monitored value as the best epoch (Keras skips NaN)', async () => {
    const { x, y } = blobs(40, 5);
    const v = blobs(20, 4);
    const model = mlp(2, 21);
    const nan = nanValidationAt(model, new Set([0]));
    const perEpoch: number[][] = [];
    try {
      // NaN validation loss at epoch 0; a small rate, then a huge one that makes the last epochs worse.
      const r = await trainModel(model, x, y, {
        epochs: 6,
        batchSize: 64,
        optimizer: 'sgd',
        lrSchedule: (e) => (e < 4 ? 0.5 : 60),
        shuffle: false,
        nanGuard: false,
        validationData: { x: v.x, y: v.y },
        earlyStopping: { patience: 3 },
        onBatchEnd: nan.onBatchEnd,
        onEpochEnd: (l) => {
          nan.onEpochEnd(l);
          perEpoch.push(weightsOf(model));
        },
      });
      const vl = r.history.valLoss;
      expect(Number.isNaN(vl[0])).toBe(true);
      expect(vl.slice(1).every(Number.isFinite)).toBe(true);
      const finite = vl.slice(1);
      const best = 1 + finite.indexOf(Math.min(...finite));
      expect(best).toBeLessThan(5);
      // Before the fix, the NaN of epoch 0 stayed "best" forever: bestEpoch 0, a stop after
      // `patience` epochs, and the epoch-0 weights restored.
      expect(r.bestEpoch).toBe(best);
      expect(r.stopReason).toBe('completed');
      expect(r.epochs).toBe(6);
      expect(r.restoredBestWeights).toBe(true);
      expect(weightsOf(model)).toEqual(perEpoch[best]);
    } finally {
      nan.dispose();
      model.dispose();
    }
  });

  it('a NaN monitored value counts as a stale epoch; all-NaN runs have no best epoch and restore nothing', async () => {
    const { x, y } = blobs(20, 6);
    const v = blobs(10, 7);
    const model = mlp(2, 41);
    const nan = nanValidationAt(model, new Set([0, 1, 2, 3, 4, 5]));
    try {
      const r = await trainModel(model, x, y, {
        epochs: 6,
        batchSize: 64,
        shuffle: false,
        nanGuard: false,
        validationData: { x: v.x, y: v.y },
        earlyStopping: { patience: 2 },
        reduceLrOnPlateau: { patience: 1, factor: 0.5 },
        onBatchEnd: nan.onBatchEnd,
        onEpochEnd: nan.onEpochEnd,
      });
      expect(r.history.valLoss.every(Number.isNaN)).toBe(true);
      expect(r.stopReason).toBe('earlyStopping');
      expect(r.epochs).toBe(2);
      expect(r.bestEpoch).toBeNull();
      expect(r.restoredBestWeights).toBe(false);
      // ReduceLROnPlateau treats NaN as no improvement too: halved after every stale epoch.
      expect(r.history.lr).toEqual([0.001, 0.0005]);
      expect(r.finalLearningRate).toBe(0.00025);
    } finally {
      nan.dispose();
      model.dispose();
    }
  });

  it('leaks nothing when the monitored value is NaN', async () => {
    const { x, y } = blobs(20, 8);
    const model = mlp(2, 51);
    try {
      await expectNoLeak(async () => {
        const nan = nanValidationAt(model, new Set([0]));
        try {
          await trainModel(model, x, y, {
            epochs: 3,
            batchSize: 64,
            nanGuard: false,
            validationSplit: 0.25,
            earlyStopping: { patience: 1 },
            onBatchEnd: nan.onBatchEnd,
            onEpochEnd: nan.onEpochEnd,
          });
        } finally {
          nan.dispose();
        }
      });
    } finally {
      model.dispose();
    }
  });

  it("classWeight 'balanced' names trainModel, classWeight and the class missing from the training rows", async () => {
    // The last 25% of rows (the validation split) hold every positive: no positive left for training.
    const x = Array.from({ length: 8 }, (_, i) => [i / 8, 1 - i / 8]);
    const y = [0, 0, 0, 0, 0, 0, 1, 1];
    const model = mlp(2, 61);
    try {
      const e = await trainModel(model, x, y, { epochs: 1, validationSplit: 0.25, classWeight: 'balanced' }).catch((err: unknown) => err);
      expect(e).toBeInstanceOf(DataError);
      const d = (e as DataError).details;
      expect(d.fn).toBe('trainModel');
      expect(d.arg).toBe('classWeight');
      expect((e as Error).message).toMatch(/class 1/);
      expect((e as Error).message).toMatch(/training rows/);
      expect((e as Error).message).toMatch(/validationSplit/);
      expect((e as Error).message).not.toMatch(/balancedClassWeights/);
      expect((e as Error).message).toBe(
        "The 'classWeight' argument of trainModel must be used only when the training rows contain every class 0..1 ('balanced' divides by each class's count of training rows). " +
          "Got 'balanced' with no training row of class 1: the validationSplit of 0.25 (validationMode 'last') put all 2 row(s) of class 1 in the validation rows; use validationMode 'shuffled', explicit validationData or explicit class weights.",
      );
      // Without a split, the same data trains.
      await expect(trainModel(model, x, y, { epochs: 1, classWeight: 'balanced' })).resolves.toBeDefined();
    } finally {
      model.dispose();
    }
    // A softmax model whose targets never use one of its classes.
    const soft = mlp(2, 62, { units: 3, activation: 'softmax' });
    try {
      const e = await trainModel(soft, [[0, 1], [1, 0]], [0, 1], { epochs: 1, classWeight: 'balanced' }).catch((err: unknown) => err);
      expect(e).toBeInstanceOf(DataError);
      expect((e as DataError).details).toMatchObject({ fn: 'trainModel', arg: 'classWeight' });
      expect((e as Error).message).toMatch(/no training row of class 2: y has no row of class 2\./);
    } finally {
      soft.dispose();
    }
  });

  it('classWeight on a multi-output binary model says class weights need a single output', async () => {
    const model = mlp(2, 71, { units: 2, activation: 'sigmoid' });
    try {
      const e = await trainModel(model, [[0, 1], [1, 0]], [[1, 0], [0, 1]], { epochs: 1, classWeight: 'balanced' }).catch((err: unknown) => err);
      expect(e).toBeInstanceOf(InvalidOptionError);
      expect((e as Error).message).not.toMatch(/regression/);
      expect((e as Error).message).toMatch(/one output unit/);
      expect((e as Error).message).toMatch(/2 output units/);
      const r = await trainModel(scalarModel(0), [[1]], [1], { classWeight: 'balanced' }).catch((err: unknown) => err);
      expect((r as Error).message).toMatch(/regression loss meanSquaredError/);
    } finally {
      model.dispose();
    }
  });
});
