/**
 * Cases shared by the cpu and wasm tests of the host optimizer and the tape-free dense step
 * (src/train/_internal/hostOptimizer.ts, denseBackprop.ts).
 */
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { expect, it } from 'vitest';
import { createRng } from '../../src/core/random';
import { SeededDropout } from '../../src/models/seededDropout';
import { denseBackprop } from '../../src/train/_internal/denseBackprop';
import { HostOptimizer, type HostOptimizerName } from '../../src/train/_internal/hostOptimizer';
import { perSampleLoss, type LossName } from '../../src/train/losses';
import { trainModel } from '../../src/train/trainModel';
import { expectClose, expectNoLeak } from '../helpers/leak';

const bits = (v: tf.Variable): number[] => Array.from(v.dataSync());

/** HostOptimizer and tfjs's optimizer, stepped side by side on equal variables with equal gradients. */
export function hostOptimizerMatchesTfjs(): void {
  const configs: [HostOptimizerName, number][] = [['adam', 0.9], ['adam', 0.5], ['sgd', 0.9], ['rmsprop', 0.9]];
  for (const [name, beta1] of configs) {
    it(`${name}${name === 'adam' ? ` (β1 ${beta1})` : ''}: the host step gives tfjs's weights bit for bit, also after a learning-rate change`, () => {
      const rng = createRng(7);
      const shapes = [[5, 3], [3], [3, 1]];
      const init = shapes.map((s) => tf.tensor(Array.from({ length: s.reduce((a, b) => a * b, 1) }, () => rng.normal()), s));
      const ours = init.map((t) => tf.variable(t.clone()));
      const theirs = init.map((t) => tf.variable(t.clone()));
      const host = new HostOptimizer(name, 0.01, beta1);
      const ref = name === 'adam' ? tf.train.adam(0.01, beta1) : name === 'sgd' ? tf.train.sgd(0.01) : tf.train.rmsprop(0.01);
      try {
        for (let step = 0; step < 6; step++) {
          if (step === 3) {
            host.learningRate = 0.003;
            if (name === 'sgd') (ref as tf.SGDOptimizer).setLearningRate(0.003);
            else (ref as unknown as { learningRate: number }).learningRate = 0.003;
          }
          const grads = shapes.map((s) => tf.tensor(Array.from({ length: s.reduce((a, b) => a * b, 1) }, () => rng.normal() * 10 ** (rng.int(7) - 3)), s));
          host.applyGradients(ours.map((v, i) => ({ name: v.name, tensor: grads[i] as tf.Tensor })));
          ref.applyGradients(theirs.map((v, i) => ({ name: v.name, tensor: grads[i] as tf.Tensor })));
          tf.dispose(grads);
          ours.forEach((v, i) => expect(bits(v), `step ${step} variable ${i}`).toEqual(bits(theirs[i] as tf.Variable)));
        }
      } finally {
        tf.dispose([...init, ...ours, ...theirs]);
        host.dispose();
        ref.dispose();
      }
    });
  }

  it('reads the variable again when something else assigned it between steps', () => {
    const v = tf.variable(tf.tensor1d([1, 2, 3]));
    const w = tf.variable(tf.tensor1d([1, 2, 3]));
    const host = new HostOptimizer('adam', 0.1);
    const ref = tf.train.adam(0.1);
    try {
      const g = tf.tensor1d([0.5, -1, 2]);
      host.applyGradients([{ name: v.name, tensor: g }]);
      ref.applyGradients([{ name: w.name, tensor: g }]);
      const reset = tf.tensor1d([4, 5, 6]);
      v.assign(reset);
      w.assign(reset);
      host.applyGradients([{ name: v.name, tensor: g }]);
      ref.applyGradients([{ name: w.name, tensor: g }]);
      expect(bits(v)).toEqual(bits(w));
      tf.dispose([g, reset]);
    } finally {
      tf.dispose([v, w]);
      host.dispose();
      ref.dispose();
    }
  });
}

interface HeadCase {
  readonly loss: LossName;
  readonly act: 'sigmoid' | 'softmax' | 'linear' | 'tanh';
  readonly units: number;
}

const HEADS: readonly HeadCase[] = [
  { loss: 'binaryCrossentropy', act: 'sigmoid', units: 1 },
  { loss: 'categoricalCrossentropy', act: 'softmax', units: 3 },
  { loss: 'meanSquaredError', act: 'linear', units: 2 },
  { loss: 'meanAbsoluteError', act: 'linear', units: 1 },
  { loss: 'huber', act: 'linear', units: 1 },
  { loss: 'meanSquaredError', act: 'sigmoid', units: 1 },
  { loss: 'meanSquaredError', act: 'linear', units: 8 },
];

/** A dense chain with relu/tanh/sigmoid hidden layers, a seeded dropout, L1+L2 penalties and the given head. */
function chain(head: HeadCase, opts: { dropout?: number; l1?: number; l2?: number } = {}): tfl.Sequential {
  const reg = opts.l1 !== undefined || opts.l2 !== undefined ? tfl.regularizers.l1l2({ l1: opts.l1 ?? 0, l2: opts.l2 ?? 0 }) : undefined;
  const init = (seed: number) => tfl.initializers.glorotUniform({ seed });
  const layers: tfl.layers.Layer[] = [
    tfl.layers.dense({ units: 6, activation: 'relu', kernelInitializer: init(1), ...(reg && { kernelRegularizer: reg }) }),
    new SeededDropout({ rate: opts.dropout ?? 0.3, seed: 5 }),
    tfl.layers.dense({ units: 5, activation: 'tanh', kernelInitializer: init(2) }),
    tfl.layers.dense({ units: 4, activation: 'sigmoid', kernelInitializer: init(3), ...(reg && { kernelRegularizer: reg }) }),
    tfl.layers.dense({ units: head.units, activation: head.act, kernelInitializer: init(4), biasInitializer: 'ones' }),
  ];
  return tfl.sequential({ layers: [tfl.layers.inputLayer({ inputShape: [4] }), ...layers] });
}

function batchFor(head: HeadCase, rows: number, seed: number): { x: Float32Array; y: Float32Array; w: Float32Array } {
  const rng = createRng(seed);
  const x = Float32Array.from({ length: rows * 4 }, () => rng.normal());
  const y = new Float32Array(rows * head.units);
  for (let r = 0; r < rows; r++) {
    if (head.loss === 'categoricalCrossentropy') y[r * head.units + rng.int(head.units)] = 1;
    else for (let j = 0; j < head.units; j++) y[r * head.units + j] = head.loss === 'binaryCrossentropy' || head.act === 'sigmoid' ? (rng.next() < 0.4 ? 1 : 0) : rng.normal() * 2;
  }
  const w = Float32Array.from({ length: rows }, () => 0.5 + rng.next());
  return { x, y, w };
}

/** The tape's loss and gradients for the same batch, as the trainer's tape path computes them. */
function tapeStep(model: tfl.LayersModel, loss: LossName, b: { x: Float32Array; y: Float32Array; w: Float32Array | null }, rows: number): { loss: number; grads: Float32Array[] } {
  const vars = model.trainableWeights.map((v) => v.read() as tf.Variable);
  return tf.tidy(() => {
    const xb = tf.tensor2d(b.x, [rows, 4]);
    const yb = tf.tensor2d(b.y, [rows, b.y.length / rows]);
    const { value, grads } = tf.variableGrads(() => {
      const pred = model.apply(xb, { training: true }) as tf.Tensor;
      const l = perSampleLoss(loss, yb, pred);
      let total: tf.Scalar = b.w === null ? tf.mean(l) : tf.div(tf.sum(tf.mul(l, tf.tensor1d(b.w))), rows);
      for (const r of model.calculateLosses()) total = tf.add(total, r);
      return total;
    }, vars);
    return { loss: value.dataSync()[0] as number, grads: vars.map((v) => Float32Array.from((grads[v.name] as tf.Tensor).dataSync())) };
  });
}

/** The tape-free step's loss and gradients on the same batch (one step, no weight update). */
function hostStep(model: tfl.LayersModel, loss: LossName, b: { x: Float32Array; y: Float32Array; w: Float32Array | null }, rows: number): { loss: number; grads: Float32Array[] } {
  const vars = model.trainableWeights.map((v) => v.read() as tf.Variable);
  const step = denseBackprop(model, loss, vars);
  expect(step).not.toBeNull();
  let grads: Float32Array[] = [];
  const r = step!.step({ x: b.x, y: b.y, w: b.w, rows }, [], (v) => Float32Array.from(v.dataSync()), (g) => {
    grads = g.map((a) => Float32Array.from(a));
  });
  return { loss: r.loss, grads };
}

/** The tape-free step against the tape: same loss and gradients on every head, with dropout, penalties and weights. */
export function tapeFreeStepMatchesTape(tol: number): void {
  for (const head of HEADS) {
    it(`${head.act} + ${head.loss} (${head.units} units): same loss and gradients as the tape, with dropout, L1/L2 and sample weights`, () => {
      const rows = 37;
      const b = batchFor(head, rows, head.units * 31 + head.loss.length);
      const a = chain(head, { l1: 0.01, l2: 0.02 });
      const c = chain(head, { l1: 0.01, l2: 0.02 }); // same seeds: the same weights and dropout masks
      try {
        for (const w of [b.w, null]) {
          const tape = tapeStep(a, head.loss, { ...b, w }, rows);
          const ours = expectNoLeakSync(() => hostStep(c, head.loss, { ...b, w }, rows));
          expectClose([ours.loss], [tape.loss], tol);
          expect(ours.grads.length).toBe(tape.grads.length);
          ours.grads.forEach((g, i) => expectClose(g, tape.grads[i] as Float32Array, tol));
        }
      } finally {
        a.dispose();
        c.dispose();
      }
    });
  }

  it('trains like the tape through trainModel (history and weights), leaving no tensors behind', async () => {
    const head = HEADS[0] as HeadCase;
    const rng = createRng(3);
    const x = Array.from({ length: 150 }, () => [rng.normal(), rng.normal(), rng.normal(), rng.normal()]);
    const y = x.map((r) => (r[0]! + 0.5 * r[3]! > 0 ? 1 : 0));
    const seq = chain(head, { dropout: 0.2, l2: 0.01 });
    const twin = chain(head, { dropout: 0.2, l2: 0.01 });
    const functional = (() => {
      const inp = tfl.input({ shape: [4] });
      let h: tfl.SymbolicTensor = inp;
      for (const l of twin.layers.filter((l) => l.getClassName() !== 'InputLayer')) h = l.apply(h) as tfl.SymbolicTensor;
      return tfl.model({ inputs: inp, outputs: h }); // functional: the tape path
    })();
    try {
      const opts = { epochs: 4, batchSize: 16, learningRate: 0.02, seed: 9, validationSplit: 0.2, metrics: ['accuracy' as const], classWeight: 'balanced' as const };
      const ours = await trainModel(seq, x, y, opts);
      const tape = await trainModel(functional, x, y, opts);
      expectClose(ours.history.loss, tape.history.loss, 1e-4);
      expectClose(ours.history.valLoss, tape.history.valLoss, 1e-4);
      expect(ours.history.metrics.accuracy).toEqual(tape.history.metrics.accuracy);
      const wa = seq.getWeights().flatMap((t) => Array.from(t.dataSync()));
      const wb = functional.getWeights().flatMap((t) => Array.from(t.dataSync()));
      expectClose(wa, wb, 1e-3);
      await expectNoLeak(async () => {
        await trainModel(seq, x, y, { ...opts, epochs: 1 });
      });
    } finally {
      seq.dispose();
      twin.dispose();
    }
  });
}

function expectNoLeakSync<T>(f: () => T): T {
  const before = tf.memory().numTensors;
  const r = f();
  expect(tf.memory().numTensors - before, 'tensors left behind').toBe(0);
  return r;
}
