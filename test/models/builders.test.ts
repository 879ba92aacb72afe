import * as tf from '@tensorflow/tfjs-core';
import type * as tfl from '@tensorflow/tfjs-layers';
import { describe, expect, it } from 'vitest';
import { InvalidOptionError } from '../../src/core/errors';
import {
  buildCnn,
  buildFnn,
  buildLinear,
  buildLogistic,
  buildModel,
  buildRnn,
  defaultLoss,
  disposeModel,
} from '../../src/models/index';
import type { BuildOptions, ModelSpec } from '../../src/models/index';
import { expectNoLeak } from '../helpers/leak';

const bin = { task: 'binary', units: 1 } as const;
const reg = { task: 'regression', units: 1 } as const;
const multi = { task: 'multiclass', units: 3 } as const;

function weightsOf(m: tfl.LayersModel): number[][] {
  return m.getWeights().map((w) => Array.from(w.dataSync()));
}

function predict(m: tfl.LayersModel, x: tf.Tensor): number[] {
  return tf.tidy(() => Array.from((m.predict(x, { batchSize: 4096 }) as tf.Tensor).dataSync()));
}

const cases: [ModelSpec, BuildOptions, number[]][] = [
  [{ type: 'linear', l2: 0.01 }, { inputShape: [4], head: reg, seed: 1 }, [5, 4]],
  [{ type: 'logistic' }, { inputShape: [4], head: bin, seed: 1 }, [5, 4]],
  [{ type: 'fnn', hidden: [8, 4], dropout: 0.2, batchNorm: true }, { inputShape: [4], head: multi, seed: 1 }, [5, 4]],
  [{ type: 'cnn', filters: [4, 3], kernelSize: 2, poolSize: 2, dense: [5] }, { inputShape: [10, 2], head: reg, seed: 1 }, [5, 10, 2]],
  [{ type: 'cnn', filters: [4, 3], kernelSize: 3, strides: 2, padding: 'same', dense: [5] }, { inputShape: [11, 2], head: reg, seed: 1 }, [5, 11, 2]],
  [{ type: 'rnn', cell: 'lstm', units: [4, 3], recurrentDropout: 0.1, dense: [3] }, { inputShape: [6, 2], head: bin, seed: 1 }, [5, 6, 2]],
  [{ type: 'rnn', cell: 'gru', units: [4] }, { inputShape: [6, 2], head: multi, seed: 1 }, [5, 6, 2]],
  [{ type: 'rnn', cell: 'simple', units: [4] }, { inputShape: [6, 2], head: reg, seed: 1 }, [5, 6, 2]],
];

describe('buildModel', () => {
  it.each(cases.map((c, i) => [`${c[0].type} #${i}`, c] as const))('%s builds, predicts with the head activation, seeds weights', (_n, [spec, opts, xShape]) => {
    const m = buildModel(spec, opts);
    const x = tf.randomNormal(xShape, 0, 1, 'float32', 3);
    const out = predict(m, x);
    const units = opts.head.units;
    expect(out.length).toBe((xShape[0] as number) * units);
    expect(out.every(Number.isFinite)).toBe(true);
    if (opts.head.task === 'binary') expect(out.every((v) => v > 0 && v < 1)).toBe(true);
    if (opts.head.task === 'multiclass') {
      for (let i = 0; i < (xShape[0] as number); i++) {
        const s = out.slice(i * units, (i + 1) * units).reduce((a, b) => a + b, 0);
        expect(s).toBeCloseTo(1, 5);
      }
    }
    const same = buildModel(spec, opts);
    const other = buildModel(spec, { ...opts, seed: 2 });
    expect(weightsOf(same)).toEqual(weightsOf(m));
    expect(predict(same, x)).toEqual(out);
    expect(weightsOf(other)).not.toEqual(weightsOf(m));
    tf.dispose(x);
    for (const k of [m, same, other]) disposeModel(k);
  });

  it('linear, logistic and fnn outputs equal a float64 forward pass computed by hand from their weights', () => {
    const xs = [[0.5, -1, 2, 0], [1, 1, -0.5, 3], [-2, 0.25, 0, 1]];
    const x = tf.tensor2d(xs);
    const affine = (rows: number[][], w: number[], b: number[], nOut: number): number[][] =>
      rows.map((r) => Array.from({ length: nOut }, (_, j) => r.reduce((a, v, i) => a + v * (w[i * nOut + j] as number), b[j] as number)));
    const lin = buildLinear({ type: 'linear' }, { inputShape: [4], head: reg, seed: 3 });
    const [lw, lb] = weightsOf(lin) as [number[], number[]];
    const linRef = affine(xs, lw, lb, 1).flat();
    predict(lin, x).forEach((v, i) => expect(Math.abs(v - (linRef[i] as number))).toBeLessThan(1e-5));
    const logi = buildLogistic({ type: 'logistic' }, { inputShape: [4], head: bin, seed: 3 });
    const [gw, gb] = weightsOf(logi) as [number[], number[]];
    const logiRef = affine(xs, gw, gb, 1).flat().map((z) => 1 / (1 + Math.exp(-z)));
    predict(logi, x).forEach((v, i) => expect(Math.abs(v - (logiRef[i] as number))).toBeLessThan(1e-6));
    // fnn: relu hidden layer (default activation) then softmax
    const fnn = buildFnn({ type: 'fnn', hidden: [5] }, { inputShape: [4], head: multi, seed: 3 });
    const [w1, b1, w2, b2] = weightsOf(fnn) as [number[], number[], number[], number[]];
    const h = affine(xs, w1, b1, 5).map((r) => r.map((v) => Math.max(0, v)));
    const fnnRef = affine(h, w2, b2, 3).flatMap((r) => {
      const m = Math.max(...r);
      const e = r.map((v) => Math.exp(v - m));
      const z = e.reduce((a, b) => a + b, 0);
      return e.map((v) => v / z);
    });
    predict(fnn, x).forEach((v, i) => expect(Math.abs(v - (fnnRef[i] as number))).toBeLessThan(1e-5));
    tf.dispose(x);
    for (const m of [lin, logi, fnn]) disposeModel(m);
  });

  it('the builders are not compiled and defaultLoss matches the head', () => {
    const m = buildFnn({ type: 'fnn', hidden: [3] }, { inputShape: [2], head: bin, seed: 0 });
    expect((m as unknown as { optimizer?: unknown }).optimizer).toBeUndefined();
    expect(defaultLoss(bin)).toBe('binaryCrossentropy');
    expect(defaultLoss(multi)).toBe('categoricalCrossentropy');
    expect(defaultLoss(reg)).toBe('meanSquaredError');
    expect(() => defaultLoss({ task: 'ranking' } as never)).toThrow(InvalidOptionError);
    disposeModel(m);
  });

  it('applies L1/L2 kernel regularizers and output activations per head', () => {
    const m = buildFnn({ type: 'fnn', hidden: [3], l1: 0.01, l2: 0.02 }, { inputShape: [2], head: multi, seed: 0 });
    const denses = m.layers.filter((l) => l.getClassName() === 'Dense');
    expect(denses.length).toBe(2);
    for (const d of denses) {
      const c = d.getConfig() as { kernelRegularizer?: { config?: { l1?: number; l2?: number } } };
      expect(c.kernelRegularizer?.config?.l1).toBeCloseTo(0.01);
      expect(c.kernelRegularizer?.config?.l2).toBeCloseTo(0.02);
    }
    expect((denses[1]?.getConfig() as { activation?: string }).activation).toBe('softmax');
    const plain = buildLinear({ type: 'linear' }, { inputShape: [2], head: reg, seed: 0 });
    expect((plain.layers[0]?.getConfig() as { kernelRegularizer?: unknown }).kernelRegularizer ?? null).toBeNull();
    disposeModel(m);
    disposeModel(plain);
  });

  it('regularization adds to the training loss (L2 penalty equals l2 * sum(w^2))', async () => {
    const m = buildLinear({ type: 'linear', l2: 0.5 }, { inputShape: [2], head: reg, seed: 4 });
    m.compile({ optimizer: 'sgd', loss: 'meanSquaredError' });
    const x = tf.tensor2d([[1, 2], [3, 4]]);
    const y = tf.tensor2d([[1], [2]]);
    const pred = m.predict(x) as tf.Tensor;
    const mse = tf.tidy(() => tf.mean(tf.square(tf.sub(pred, y))).dataSync()[0] as number);
    const w = m.getWeights()[0] as tf.Tensor;
    const penalty = tf.tidy(() => 0.5 * (tf.sum(tf.square(w)).dataSync()[0] as number));
    const h = await m.fit(x, y, { epochs: 1, batchSize: 2, shuffle: false, verbose: 0 });
    expect(h.history.loss?.[0] as number).toBeCloseTo(mse + penalty, 4);
    tf.dispose([x, y, pred]);
    disposeModel(m);
  });

  it('seeded dropout: a fresh mask each training call, reproducible across same-seed models, identity at inference', () => {
    const spec: ModelSpec = { type: 'fnn', hidden: [16], dropout: 0.5 };
    const opts: BuildOptions = { inputShape: [4], head: reg, seed: 9 };
    const a = buildModel(spec, opts);
    const b = buildModel(spec, opts);
    const x = tf.ones([3, 4]);
    const run = (m: tfl.LayersModel, training: boolean): number[] =>
      tf.tidy(() => Array.from((m.apply(x, { training }) as tf.Tensor).dataSync()));
    const a1 = run(a, true);
    const a2 = run(a, true);
    expect(a2).not.toEqual(a1);
    expect(run(b, true)).toEqual(a1);
    expect(run(b, true)).toEqual(a2);
    expect(run(a, false)).toEqual(run(a, false));
    expect(run(a, false)).toEqual(predict(a, x));
    tf.dispose(x);
    disposeModel(a);
    disposeModel(b);
  });

  it.each([
    ['negative units', () => buildFnn({ type: 'fnn', hidden: [-4] }, { inputShape: [2], head: bin }), 'hidden'],
    ['dropout >= 1', () => buildFnn({ type: 'fnn', dropout: 1 }, { inputShape: [2], head: bin }), 'dropout'],
    ['unknown activation', () => buildFnn({ type: 'fnn', activation: 'swish' as never }, { inputShape: [2], head: bin }), 'activation'],
    ['negative l2', () => buildLinear({ type: 'linear', l2: -1 }, { inputShape: [2], head: reg }), 'l2'],
    ['unknown option', () => buildFnn({ type: 'fnn', hiden: [3] } as never, { inputShape: [2], head: bin }), 'hiden'],
    ['cnn rank-1 input', () => buildCnn({ type: 'cnn' }, { inputShape: [10], head: reg }), 'inputShape'],
    ['rnn rank-3 input', () => buildRnn({ type: 'rnn' }, { inputShape: [10, 2, 1], head: reg }), 'inputShape'],
    ['cnn lookback too short', () => buildCnn({ type: 'cnn', kernelSize: 5, filters: [4, 4] }, { inputShape: [6, 1], head: reg }), 'inputShape'],
    ['cnn lookback too short for the strides', () => buildCnn({ type: 'cnn', kernelSize: 3, strides: 3, filters: [4, 4] }, { inputShape: [7, 1], head: reg }), 'inputShape'],
    ['cnn strides 0', () => buildCnn({ type: 'cnn', strides: 0 }, { inputShape: [10, 1], head: reg }), 'strides'],
    ['cnn strides 1.5', () => buildCnn({ type: 'cnn', strides: 1.5 }, { inputShape: [10, 1], head: reg }), 'strides'],
    ['cnn strides as text', () => buildCnn({ type: 'cnn', strides: '2' as never }, { inputShape: [10, 1], head: reg }), 'strides'],
    ['zero-size input', () => buildFnn({ type: 'fnn' }, { inputShape: [0], head: reg }), 'inputShape'],
    ['binary head with 2 units', () => buildLogistic({ type: 'logistic' }, { inputShape: [2], head: { task: 'binary', units: 2 } }), 'head'],
    ['linear with a binary head', () => buildLinear({ type: 'linear' }, { inputShape: [2], head: bin }), 'head'],
    ['logistic with a regression head', () => buildLogistic({ type: 'logistic' }, { inputShape: [2], head: reg }), 'head'],
    ['non-integer seed', () => buildFnn({ type: 'fnn' }, { inputShape: [2], head: reg, seed: 0.5 }), 'seed'],
    ['recurrentDropout 1.5', () => buildRnn({ type: 'rnn', recurrentDropout: 1.5 }, { inputShape: [5, 1], head: reg }), 'recurrentDropout'],
    ['unknown cell', () => buildRnn({ type: 'rnn', cell: 'transformer' as never }, { inputShape: [5, 1], head: reg }), 'cell'],
    ['unknown type', () => buildModel({ type: 'svm' } as never, { inputShape: [2], head: reg }), 'type'],
  ])('%s → InvalidOptionError naming the option', (_n, f, arg) => {
    const before = tf.memory().numTensors;
    let err: unknown;
    try {
      f();
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(InvalidOptionError);
    expect((err as InvalidOptionError).details.arg).toBe(arg);
    expect((err as Error).message).toContain(arg);
    expect(tf.memory().numTensors).toBe(before);
  });

  it('does not mutate the spec or options', () => {
    const spec = Object.freeze({ type: 'fnn' as const, hidden: Object.freeze([3, 2]) });
    const opts = Object.freeze({ inputShape: Object.freeze([4]), head: Object.freeze({ ...bin }), seed: 1 });
    disposeModel(buildModel(spec, opts));
    expect(spec).toEqual({ type: 'fnn', hidden: [3, 2] });
  });

  it.each(cases.map((c, i) => [`${c[0].type} #${i}`, c] as const))('%s: build + predict + disposeModel leaks nothing', async (_n, [spec, opts, xShape]) => {
    const x = tf.ones(xShape);
    await expectNoLeak(() => {
      const m = buildModel(spec, opts);
      tf.dispose(m.predict(x, { batchSize: 4096 }) as tf.Tensor);
      disposeModel(m);
      disposeModel(m);
    });
    tf.dispose(x);
  });
});
