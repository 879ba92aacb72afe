import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { beforeAll, describe, expect, it } from 'vitest';
import { chainForward, fusedDense, type FusedActivation } from '../../src/train/_internal/fusedDense';
import { ensureChainedOps } from '../../src/core/chainedOps';
import { TrainingError } from '../../src/core/errors';
import { createRng } from '../../src/core/random';
import { buildModel } from '../../src/models/buildModel';
import { trainModel } from '../../src/train/trainModel';
import { expectNoLeak } from '../helpers/leak';

beforeAll(() => ensureChainedOps());

const ACTS: FusedActivation[] = ['linear', 'relu', 'sigmoid', 'tanh', 'softmax'];

function randomTensor(shape: number[], seed: number): tf.Tensor {
  const rng = createRng(seed);
  const n = shape.reduce((a, b) => a * b, 1);
  return tf.tensor(Float32Array.from({ length: n }, () => rng.normal()), shape);
}

/** Asserts that fusedDense gives the value and gradients (x, W, b) of a tfjs-layers Dense layer, bit for bit. */
function expectSameAsDense(act: FusedActivation, useBias: boolean, x: tf.Tensor, r: tf.Tensor, seed: number): void {
  const layer = tfl.layers.dense({ units: 4, activation: act, useBias, kernelInitializer: tfl.initializers.glorotUniform({ seed }), biasInitializer: tfl.initializers.randomNormal({ seed: seed + 1 }) });
  const model = tfl.sequential({ layers: [tfl.layers.inputLayer({ inputShape: [3] }), layer] });
  try {
    const vars = layer.weights.map((w) => w.read() as tf.Variable);
    const viaLayer = (xx: tf.Tensor): tf.Scalar => tf.sum(tf.mul(layer.apply(xx) as tf.Tensor, r));
    const viaFused = (xx: tf.Tensor): tf.Scalar => tf.sum(tf.mul(fusedDense(xx as tf.Tensor2D, vars[0] as tf.Variable, useBias ? (vars[1] as tf.Variable) : null, act, true), r));
    const read = (f: (xx: tf.Tensor) => tf.Scalar): number[][] =>
      tf.tidy(() => {
        const { value, grads } = tf.variableGrads(() => f(x), vars);
        const dx = tf.grad(f)(x);
        return [value, dx, ...vars.map((v) => grads[v.name] as tf.Tensor)].map((t) => Array.from(t.dataSync()));
      });
    const want = read(viaLayer);
    const got = read(viaFused);
    expect(got.length).toBe(want.length);
    got.forEach((g, i) => expect(g, `${act}, bias ${useBias}: output ${i} (value, dx, dW, db)`).toEqual(want[i]));
  } finally {
    model.dispose();
  }
}

describe('fusedDense', () => {
  it('gives the value and gradients of tfjs-layers Dense bit for bit on cpu (every activation, with/without bias)', () => {
    const x = randomTensor([5, 3], 1);
    const r = randomTensor([5, 4], 2);
    for (const act of ACTS) for (const useBias of [true, false]) expectSameAsDense(act, useBias, x, r, 7);
    tf.dispose([x, r]);
  });

  it('without the input gradient differentiates only W and b, with the same values', () => {
    const x = randomTensor([6, 3], 3) as tf.Tensor2D;
    const w = randomTensor([3, 2], 4);
    const b = randomTensor([2], 5);
    for (const act of ACTS) {
      const a = tf.grads((ww: tf.Tensor, bb: tf.Tensor) => tf.sum(tf.square(fusedDense(x, ww, bb, act, false))))([w, b]);
      const c = tf.grads((xx: tf.Tensor, ww: tf.Tensor, bb: tf.Tensor) => tf.sum(tf.square(fusedDense(xx as tf.Tensor2D, ww, bb, act, true))))([x, w, b]);
      expect(Array.from(a[0]!.dataSync())).toEqual(Array.from(c[1]!.dataSync()));
      expect(Array.from(a[1]!.dataSync())).toEqual(Array.from(c[2]!.dataSync()));
      tf.dispose([...a, ...c]);
    }
    tf.dispose([x, w, b]);
  });

  it('leaks no tensors (forward and gradient)', async () => {
    const x = randomTensor([4, 3], 6) as tf.Tensor2D;
    const w = randomTensor([3, 2], 7);
    const b = randomTensor([2], 8);
    await expectNoLeak(() => {
      for (const inputGrad of [true, false]) {
        tf.dispose(tf.grads((ww: tf.Tensor, bb: tf.Tensor) => tf.sum(fusedDense(x, ww, bb, 'sigmoid', inputGrad)))([w, b]));
        tf.tidy(() => fusedDense(x, w, null, 'relu', inputGrad)).dispose();
      }
    });
    tf.dispose([x, w, b]);
  });
});

describe('chainForward', () => {
  it('accepts dense sequential chains (with dropout/batch norm) and rejects other models', () => {
    const fnn = buildModel({ type: 'fnn', hidden: [4, 3], dropout: 0.2, batchNorm: true }, { inputShape: [5], head: { task: 'binary', units: 1 }, seed: 1 });
    const lstm = buildModel({ type: 'rnn', cell: 'lstm', units: [3] }, { inputShape: [4, 2], head: { task: 'binary', units: 1 }, seed: 1 });
    const inp = tfl.input({ shape: [2] });
    const functional = tfl.model({ inputs: inp, outputs: tfl.layers.dense({ units: 1 }).apply(inp) as tfl.SymbolicTensor });
    const eluNet = tfl.sequential({ layers: [tfl.layers.dense({ units: 2, inputShape: [2], activation: 'elu' })] });
    try {
      expect(chainForward(fnn)).not.toBeNull();
      expect(chainForward(lstm)).toBeNull();
      expect(chainForward(functional)).toBeNull();
      expect(chainForward(eluNet)).toBeNull();
    } finally {
      [fnn, lstm, functional, eluNet].forEach((m) => m.dispose());
    }
  });

  it('trains a sequential dense model exactly like the same network run through model.apply (cpu)', async () => {
    const rng = createRng(11);
    const x = Array.from({ length: 120 }, () => [rng.normal(), rng.normal(), rng.normal()]);
    const y = x.map((r) => (r[0]! - r[2]! > 0 ? 1 : 0));
    // tfjs' own Dropout (rate 0) keeps the chain on the fused tape path (the tape-free step, tested
    // in denseBackprop.test.ts, takes only finml's SeededDropout)
    const layers = (): tfl.layers.Layer[] => [
      tfl.layers.dropout({ rate: 0 }),
      tfl.layers.dense({ units: 5, activation: 'relu', kernelInitializer: tfl.initializers.glorotUniform({ seed: 1 }) }),
      tfl.layers.dense({ units: 4, activation: 'tanh', kernelInitializer: tfl.initializers.glorotUniform({ seed: 2 }) }),
      tfl.layers.dense({ units: 1, activation: 'sigmoid', kernelInitializer: tfl.initializers.glorotUniform({ seed: 3 }) }),
    ];
    const seq = tfl.sequential({ layers: [tfl.layers.inputLayer({ inputShape: [3] }), ...layers()] });
    const inp = tfl.input({ shape: [3] });
    let h: tfl.SymbolicTensor = inp;
    for (const l of layers()) h = l.apply(h) as tfl.SymbolicTensor;
    const fun = tfl.model({ inputs: inp, outputs: h });
    expect(chainForward(seq)).not.toBeNull();
    expect(chainForward(fun)).toBeNull();
    const opts = { epochs: 3, batchSize: 16, learningRate: 0.05, seed: 4, validationSplit: 0.2, metrics: ['accuracy'] as const };
    const a = await trainModel(seq, x, y, { ...opts, metrics: [...opts.metrics] });
    const b = await trainModel(fun, x, y, { ...opts, metrics: [...opts.metrics] });
    expect(a.history).toEqual(b.history);
    expect(seq.getWeights().flatMap((w) => Array.from(w.dataSync()))).toEqual(fun.getWeights().flatMap((w) => Array.from(w.dataSync())));
    seq.dispose();
    fun.dispose();
  });
});

describe('trainModel yields to the event loop', () => {
  it('an AbortSignal fired from a timer stops training within one batch, in the first epoch', async () => {
    const rng = createRng(3);
    const x = Array.from({ length: 4000 }, () => [rng.normal(), rng.normal()]);
    const y = x.map((r) => (r[0]! > 0 ? 1 : 0));
    const model = tfl.sequential({ layers: [tfl.layers.dense({ units: 1, inputShape: [2], activation: 'sigmoid' })] });
    await expectNoLeak(async () => {
      const ctl = new AbortController();
      let done = 0;
      let atAbort = -1;
      const timer = setTimeout(() => {
        atAbort = done;
        ctl.abort();
      }, 20);
      let err: unknown;
      try {
        await trainModel(model, x, y, { epochs: 3, batchSize: 1, signal: ctl.signal, onBatchEnd: (b) => void (done = b.batch + 1) });
      } catch (e) {
        err = e;
      } finally {
        clearTimeout(timer);
      }
      expect(err).toBeInstanceOf(TrainingError);
      const m = /aborted at epoch (\d+), batch (\d+)/.exec((err as Error).message);
      expect(m).not.toBeNull();
      expect(Number(m![1])).toBe(0); // the timer ran during the first epoch of 4000 batches
      expect(atAbort).toBeGreaterThanOrEqual(0);
      expect(Number(m![2])).toBe(atAbort); // the next batch after the timer fired
    }, { warmup: false });
    model.dispose();
  });
});
