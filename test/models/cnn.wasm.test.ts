/**
 * Runs on cpu and on wasm: PortableConv1D matches tf.conv1d and trains on whichever backend is active.
 */
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { beforeAll, describe, expect, it } from 'vitest';
import { useBackend } from '../../src/core/backend';
import type { BackendName } from '../../src/core/backend';
import { createRng } from '../../src/core/random';
import { PortableConv1D, buildCnn, disposeModel, portableConv1d, registerFinmlLayers } from '../../src/models/index';
import type { Conv1DPadding } from '../../src/models/index';
import { expectClose, expectNoLeak } from '../helpers/leak';

interface ConvCase {
  readonly name: string;
  readonly batch: number;
  readonly steps: number;
  readonly cin: number;
  readonly k: number;
  readonly filters: number;
  readonly dilation: number;
  readonly padding: Conv1DPadding;
  /** Stride (default 1). */
  readonly strides?: number;
}

const CASES: readonly ConvCase[] = [
  { name: 'valid k3', batch: 2, steps: 7, cin: 3, k: 3, filters: 4, dilation: 1, padding: 'valid' },
  { name: 'same k3', batch: 2, steps: 7, cin: 2, k: 3, filters: 3, dilation: 1, padding: 'same' },
  { name: 'same k4 (even)', batch: 1, steps: 6, cin: 2, k: 4, filters: 2, dilation: 1, padding: 'same' },
  { name: 'valid k2 dilation 2', batch: 2, steps: 8, cin: 2, k: 2, filters: 3, dilation: 2, padding: 'valid' },
  { name: 'same k3 dilation 2', batch: 2, steps: 8, cin: 1, k: 3, filters: 2, dilation: 2, padding: 'same' },
  { name: 'causal k3', batch: 2, steps: 6, cin: 2, k: 3, filters: 2, dilation: 1, padding: 'causal' },
  { name: 'k1', batch: 3, steps: 4, cin: 3, k: 1, filters: 2, dilation: 1, padding: 'valid' },
  { name: 'valid k3 stride 2 (odd span)', batch: 2, steps: 9, cin: 2, k: 3, filters: 3, dilation: 1, padding: 'valid', strides: 2 },
  { name: 'valid k3 stride 2 (even span, tail dropped)', batch: 2, steps: 10, cin: 2, k: 3, filters: 2, dilation: 1, padding: 'valid', strides: 2 },
  { name: 'valid k3 stride 3', batch: 2, steps: 11, cin: 2, k: 3, filters: 3, dilation: 1, padding: 'valid', strides: 3 },
  { name: 'valid k2 stride 3 (stride > kernel)', batch: 1, steps: 10, cin: 3, k: 2, filters: 2, dilation: 1, padding: 'valid', strides: 3 },
  { name: 'same k3 stride 2 (pad 0 before, 1 after)', batch: 2, steps: 8, cin: 2, k: 3, filters: 3, dilation: 1, padding: 'same', strides: 2 },
  { name: 'same k3 stride 2 (odd steps)', batch: 2, steps: 7, cin: 1, k: 3, filters: 2, dilation: 1, padding: 'same', strides: 2 },
  { name: 'same k4 stride 3', batch: 2, steps: 10, cin: 2, k: 4, filters: 2, dilation: 1, padding: 'same', strides: 3 },
  { name: 'same k5 stride 3 (no padding needed)', batch: 1, steps: 11, cin: 2, k: 5, filters: 2, dilation: 1, padding: 'same', strides: 3 },
  { name: 'same k2 stride 2', batch: 2, steps: 7, cin: 2, k: 2, filters: 2, dilation: 1, padding: 'same', strides: 2 },
  { name: 'causal k3 stride 2', batch: 2, steps: 7, cin: 2, k: 3, filters: 2, dilation: 1, padding: 'causal', strides: 2 },
  { name: 'causal k2 stride 3', batch: 2, steps: 8, cin: 1, k: 2, filters: 3, dilation: 1, padding: 'causal', strides: 3 },
  { name: 'k1 stride 2', batch: 2, steps: 5, cin: 2, k: 1, filters: 2, dilation: 1, padding: 'valid', strides: 2 },
  // tf.conv1d rejects stride and dilation both > 1: these are checked against the brute force only
  { name: 'valid k3 dilation 2 stride 2 (brute force)', batch: 2, steps: 11, cin: 2, k: 3, filters: 2, dilation: 2, padding: 'valid', strides: 2 },
  { name: 'same k3 dilation 2 stride 3 (brute force)', batch: 2, steps: 10, cin: 2, k: 3, filters: 2, dilation: 2, padding: 'same', strides: 3 },
];

const stridesOf = (c: ConvCase): number => c.strides ?? 1;

/** Output length counted directly: the output positions t·s with t·s + span inside the padded input. */
function outLenOf(c: ConvCase): number {
  const span = (c.k - 1) * c.dilation;
  const padded = c.padding === 'valid' ? c.steps : c.padding === 'causal' ? c.steps + span : Number.POSITIVE_INFINITY;
  if (c.padding === 'same') {
    let n = 0;
    while (n * stridesOf(c) < c.steps) n++;
    return n;
  }
  let n = 0;
  while (n * stridesOf(c) + span < padded) n++;
  return n;
}

/** Zeros before the input: none for 'valid', the span for 'causal', and for 'same' the smaller half of TF's total. */
function padBefore(c: ConvCase, outLen: number): number {
  const span = (c.k - 1) * c.dilation;
  if (c.padding === 'valid') return 0;
  if (c.padding === 'causal') return span;
  return Math.floor(Math.max((outLen - 1) * stridesOf(c) + span + 1 - c.steps, 0) / 2);
}

function randomArray(n: number, seed: number): Float32Array {
  const rng = createRng(seed);
  return Float32Array.from({ length: n }, () => rng.normal());
}

interface Data {
  readonly x: Float32Array;
  readonly w: Float32Array;
  readonly b: Float32Array;
  readonly g: Float32Array;
  readonly outLen: number;
}

function dataFor(c: ConvCase, i: number): Data {
  const outLen = outLenOf(c);
  return {
    x: randomArray(c.batch * c.steps * c.cin, 100 + i),
    w: randomArray(c.k * c.cin * c.filters, 200 + i),
    b: randomArray(c.filters, 300 + i),
    g: randomArray(c.batch * outLen * c.filters, 400 + i),
    outLen,
  };
}

/** Reference forward and gradients of L = sum(g * conv(x, w) + b) on the cpu backend's own conv1d. */
interface Reference {
  readonly y: number[];
  readonly dx: number[];
  readonly dw: number[];
  readonly db: number[];
}

/** Brute-force forward and gradients in float64 (independent of any backend). */
function bruteForce(c: ConvCase, d: Data): Reference {
  const before = padBefore(c, d.outLen);
  const s = stridesOf(c);
  const xAt = (b: number, t: number, ch: number): number => {
    const tt = t - before;
    return tt < 0 || tt >= c.steps ? 0 : (d.x[(b * c.steps + tt) * c.cin + ch] as number);
  };
  const y = new Array<number>(c.batch * d.outLen * c.filters).fill(0);
  const dx = new Array<number>(c.batch * c.steps * c.cin).fill(0);
  const dw = new Array<number>(c.k * c.cin * c.filters).fill(0);
  const db = new Array<number>(c.filters).fill(0);
  for (let b = 0; b < c.batch; b++) {
    for (let t = 0; t < d.outLen; t++) {
      for (let f = 0; f < c.filters; f++) {
        const o = (b * d.outLen + t) * c.filters + f;
        const g = d.g[o] as number;
        let acc = d.b[f] as number;
        db[f] = (db[f] as number) + g;
        for (let j = 0; j < c.k; j++) {
          for (let ch = 0; ch < c.cin; ch++) {
            const wi = (j * c.cin + ch) * c.filters + f;
            const xv = xAt(b, t * s + j * c.dilation, ch);
            acc += xv * (d.w[wi] as number);
            dw[wi] = (dw[wi] as number) + xv * g;
            const tt = t * s + j * c.dilation - before;
            if (tt >= 0 && tt < c.steps) {
              const xi = (b * c.steps + tt) * c.cin + ch;
              dx[xi] = (dx[xi] as number) + (d.w[wi] as number) * g;
            }
          }
        }
        y[o] = acc;
      }
    }
  }
  return { y, dx, dw, db };
}

function cpuReference(c: ConvCase, d: Data): Reference {
  // tf.conv1d rejects stride and dilation both > 1: the reference is the brute force
  if (c.dilation > 1 && stridesOf(c) > 1) return bruteForce(c, d);
  return tf.tidy(() => {
    const x = tf.tensor3d(d.x, [c.batch, c.steps, c.cin]);
    const w = tf.tensor3d(d.w, [c.k, c.cin, c.filters]);
    const b = tf.tensor1d(d.b);
    const g = tf.tensor3d(d.g, [c.batch, d.outLen, c.filters]);
    const conv = (xx: tf.Tensor3D, ww: tf.Tensor3D, bb: tf.Tensor1D): tf.Tensor3D => {
      // causal = left-pad then 'valid' (tf.conv1d has no causal mode)
      const [xin, pad] = c.padding === 'causal' ? [tf.pad(xx, [[0, 0], [(c.k - 1) * c.dilation, 0], [0, 0]]), 'valid' as const] : [xx, c.padding];
      return tf.add(tf.conv1d(xin, ww, stridesOf(c), pad, 'NWC', c.dilation), bb);
    };
    const y = conv(x, w, b);
    if (c.dilation > 1) {
      // tfjs cannot differentiate dilated conv1d on any backend: gradients from brute force only
      const bf = bruteForce(c, d);
      return { y: Array.from(y.dataSync()), dx: bf.dx, dw: bf.dw, db: bf.db };
    }
    const grads = tf.grads((xx: tf.Tensor, ww: tf.Tensor, bb: tf.Tensor) =>
      tf.sum(tf.mul(conv(xx as tf.Tensor3D, ww as tf.Tensor3D, bb as tf.Tensor1D), g)),
    )([x, w, b]);
    return {
      y: Array.from(y.dataSync()),
      dx: Array.from((grads[0] as tf.Tensor).dataSync()),
      dw: Array.from((grads[1] as tf.Tensor).dataSync()),
      db: Array.from((grads[2] as tf.Tensor).dataSync()),
    };
  });
}

const DATA = CASES.map(dataFor);
const REFS: Reference[] = [];
let active: BackendName = 'cpu';

beforeAll(async () => {
  active = tf.getBackend() as BackendName;
  await useBackend('cpu');
  CASES.forEach((c, i) => REFS.push(cpuReference(c, DATA[i] as Data)));
  await useBackend(active);
});

describe(`PortableConv1D (backend under test: see project name)`, () => {
  const tfCases = CASES.map((c, i) => [c.name, i] as const).filter(([, i]) => !((CASES[i] as ConvCase).dilation > 1 && stridesOf(CASES[i] as ConvCase) > 1));
  it.each(tfCases)('%s: cpu reference (tf.conv1d and its gradients) agrees with brute force', (_n, i) => {
    const bf = bruteForce(CASES[i] as ConvCase, DATA[i] as Data);
    const ref = REFS[i] as Reference;
    expectClose(ref.y, bf.y, 1e-4);
    expectClose(ref.dx, bf.dx, 1e-4);
    expectClose(ref.dw, bf.dw, 1e-4);
    expectClose(ref.db, bf.db, 1e-4);
  });

  it.each(CASES.map((c, i) => [c.name, i] as const))('%s: forward and gradients equal the cpu backend conv1d', (_n, i) => {
    const c = CASES[i] as ConvCase;
    const d = DATA[i] as Data;
    const ref = REFS[i] as Reference;
    const out = tf.tidy(() => {
      const x = tf.tensor3d(d.x, [c.batch, c.steps, c.cin]);
      const w = tf.tensor3d(d.w, [c.k, c.cin, c.filters]);
      const b = tf.tensor1d(d.b);
      const g = tf.tensor3d(d.g, [c.batch, d.outLen, c.filters]);
      const f = (xx: tf.Tensor, ww: tf.Tensor, bb: tf.Tensor): tf.Tensor3D =>
        portableConv1d(xx as tf.Tensor3D, ww as tf.Tensor3D, { dilationRate: c.dilation, strides: stridesOf(c), padding: c.padding, bias: bb as tf.Tensor1D });
      const y = f(x, w, b);
      expect(y.shape).toEqual([c.batch, d.outLen, c.filters]);
      const grads = tf.grads((xx: tf.Tensor, ww: tf.Tensor, bb: tf.Tensor) => tf.sum(tf.mul(f(xx, ww, bb), g)))([x, w, b]);
      return {
        y: Array.from(y.dataSync()),
        dx: Array.from((grads[0] as tf.Tensor).dataSync()),
        dw: Array.from((grads[1] as tf.Tensor).dataSync()),
        db: Array.from((grads[2] as tf.Tensor).dataSync()),
      };
    });
    expectClose(out.y, ref.y, 1e-4);
    expectClose(out.dx, ref.dx, 1e-4);
    expectClose(out.dw, ref.dw, 1e-4);
    expectClose(out.db, ref.db, 1e-4);
  });

  it('portableConv1d leaks nothing', async () => {
    const x = tf.ones([2, 6, 2]) as tf.Tensor3D;
    const w = tf.ones([3, 2, 2]) as tf.Tensor3D;
    await expectNoLeak(() => {
      tf.dispose(portableConv1d(x, w, { padding: 'same' }));
      tf.dispose(tf.grad((ww: tf.Tensor) => tf.sum(portableConv1d(x, ww as tf.Tensor3D, { dilationRate: 2 })))(w));
      tf.dispose(portableConv1d(x, w, { padding: 'same', strides: 2 }));
      tf.dispose(portableConv1d(x, w, { padding: 'valid', strides: 3 }));
      tf.dispose(tf.grads((xx: tf.Tensor, ww: tf.Tensor) => tf.sum(portableConv1d(xx as tf.Tensor3D, ww as tf.Tensor3D, { padding: 'causal', strides: 2 })))([x, w]));
    });
    tf.dispose([x, w]);
  });

  it('a CNN built by buildCnn trains on the active backend (loss decreases, conv weights change)', () => {
    // target: a fixed linear filter of the window plus a nonlinearity
    const rng = createRng(11);
    const n = 48;
    const lookback = 8;
    const feats = 2;
    const xs = Float32Array.from({ length: n * lookback * feats }, () => rng.normal());
    const ys = new Float32Array(n);
    for (let i = 0; i < n; i++) {
      let s = 0;
      for (let t = 0; t < lookback; t++) s += (xs[(i * lookback + t) * feats] as number) * (t % 2 === 0 ? 0.5 : -0.3);
      ys[i] = Math.tanh(s);
    }
    const x = tf.tensor3d(xs, [n, lookback, feats]);
    const y = tf.tensor2d(ys, [n, 1]);
    const model = buildCnn(
      { type: 'cnn', filters: [6], kernelSize: 3, poolSize: 2, dense: [8], padding: 'same', dropout: 0.1 },
      { inputShape: [lookback, feats], head: { task: 'regression', units: 1 }, seed: 5 },
    );
    const conv = model.layers.find((l) => l instanceof PortableConv1D) as PortableConv1D;
    const kernel0 = Array.from((conv.getWeights()[0] as tf.Tensor).dataSync());
    const before = tf.memory().numTensors;
    const optimizer = tf.train.adam(0.02);
    const vars = model.trainableWeights.map((v) => v.read() as tf.Variable);
    const losses: number[] = [];
    try {
      for (let step = 0; step < 40; step++) {
        const cost = optimizer.minimize(
          () => tf.mean(tf.square(tf.sub(model.apply(x, { training: true }) as tf.Tensor, y))) as tf.Scalar,
          true,
          vars,
        );
        losses.push((cost as tf.Scalar).dataSync()[0] as number);
        if (cost !== null) tf.dispose(cost);
      }
    } finally {
      optimizer.dispose();
    }
    // the optimizer's slots are gone with it; nothing else was left behind
    expect(tf.memory().numTensors).toBe(before);
    const kernel1 = Array.from((conv.getWeights()[0] as tf.Tensor).dataSync());
    expect(losses.every(Number.isFinite)).toBe(true);
    expect(losses[losses.length - 1] as number).toBeLessThan(0.5 * (losses[0] as number));
    expect(kernel1).not.toEqual(kernel0);
    tf.dispose([x, y]);
    disposeModel(model);
  });

  it('a strided CNN (strides 2, same then valid blocks) trains on the active backend: loss decreases, every conv kernel changes', () => {
    const rng = createRng(23);
    const n = 40;
    const lookback = 12;
    const feats = 2;
    const xs = Float32Array.from({ length: n * lookback * feats }, () => rng.normal());
    const ys = new Float32Array(n);
    for (let i = 0; i < n; i++) {
      let s = 0;
      for (let t = 0; t < lookback; t++) s += (xs[(i * lookback + t) * feats + (t % 2)] as number) * (t < 6 ? 0.4 : -0.25);
      ys[i] = Math.tanh(s);
    }
    const x = tf.tensor3d(xs, [n, lookback, feats]);
    const y = tf.tensor2d(ys, [n, 1]);
    const model = buildCnn(
      { type: 'cnn', filters: [6, 4], kernelSize: 3, strides: 2, padding: 'same', dense: [8] },
      { inputShape: [lookback, feats], head: { task: 'regression', units: 1 }, seed: 9 },
    );
    const convs = model.layers.filter((l) => l instanceof PortableConv1D) as PortableConv1D[];
    expect(convs.map((l) => [l.strides, l.outputShape])).toEqual([
      [2, [null, 6, 6]],
      [2, [null, 3, 4]],
    ]);
    const kernels0 = convs.map((l) => Array.from((l.getWeights()[0] as tf.Tensor).dataSync()));
    const before = tf.memory().numTensors;
    const optimizer = tf.train.adam(0.02);
    const vars = model.trainableWeights.map((v) => v.read() as tf.Variable);
    const losses: number[] = [];
    try {
      for (let step = 0; step < 40; step++) {
        const cost = optimizer.minimize(
          () => tf.mean(tf.square(tf.sub(model.apply(x, { training: true }) as tf.Tensor, y))) as tf.Scalar,
          true,
          vars,
        );
        losses.push((cost as tf.Scalar).dataSync()[0] as number);
        if (cost !== null) tf.dispose(cost);
      }
    } finally {
      optimizer.dispose();
    }
    expect(tf.memory().numTensors).toBe(before);
    expect(losses.every(Number.isFinite)).toBe(true);
    expect(losses[losses.length - 1] as number).toBeLessThan(0.5 * (losses[0] as number));
    convs.forEach((l, i) => expect(Array.from((l.getWeights()[0] as tf.Tensor).dataSync())).not.toEqual(kernels0[i]));
    tf.dispose([x, y]);
    disposeModel(model);
  });

  it('save/load round trip of a model with a strided layer restores strides and outputs; configs without strides load as stride 1', async () => {
    registerFinmlLayers();
    const x = tf.tensor3d(randomArray(12 * 9 * 2, 8), [12, 9, 2]);
    const y = tf.tidy(() => tf.reshape(tf.sum(x, [1, 2]), [12, 1]));
    const model = buildCnn({ type: 'cnn', filters: [3], kernelSize: 2, strides: 3, padding: 'causal' }, {
      inputShape: [9, 2],
      head: { task: 'regression', units: 1 },
      seed: 4,
    });
    model.compile({ optimizer: tf.train.sgd(0.02), loss: 'meanSquaredError' });
    const h = await model.fit(x, y, { epochs: 4, batchSize: 12, shuffle: false, verbose: 0 });
    const loss = h.history.loss as number[];
    expect(loss[3] as number).toBeLessThan(loss[0] as number);
    let artifacts: tf.io.ModelArtifacts | undefined;
    await model.save(
      tf.io.withSaveHandler(async (a) => {
        artifacts = a;
        return { modelArtifactsInfo: { dateSaved: new Date(0), modelTopologyType: 'JSON' } };
      }),
    );
    const saved = artifacts as tf.io.ModelArtifacts;
    const topology = JSON.stringify(saved.modelTopology);
    expect(topology).toContain('"strides":3');
    const loaded = await tfl.loadLayersModel(tf.io.fromMemory(saved));
    const a = tf.tidy(() => Array.from((model.predict(x, { batchSize: 4096 }) as tf.Tensor).dataSync()));
    const b = tf.tidy(() => Array.from((loaded.predict(x, { batchSize: 4096 }) as tf.Tensor).dataSync()));
    expect(b).toEqual(a);
    const conv = loaded.layers.find((l) => l instanceof PortableConv1D) as PortableConv1D;
    expect([conv.filters, conv.kernelSize, conv.strides, conv.padding, conv.outputShape]).toEqual([3, 2, 3, 'causal', [null, 3, 3]]);
    // a topology saved before strides existed has no 'strides' key: it loads as stride 1 (topology only:
    // the dense layer after flatten is wider then, so the strided model's weights would not fit)
    const oldTopology = topology.replace('"strides":3,', '');
    expect(oldTopology).not.toContain('strides');
    const old = await tfl.loadLayersModel(tf.io.fromMemory({ modelTopology: JSON.parse(oldTopology) as tf.io.ModelJSON['modelTopology'] }));
    const oldConv = old.layers.find((l) => l instanceof PortableConv1D) as PortableConv1D;
    expect([oldConv.strides, oldConv.outputShape]).toEqual([1, [null, 9, 3]]);
    tf.dispose([x, y]);
    disposeModel(model);
    disposeModel(loaded);
    disposeModel(old);
  });

  it('tfjs fit() trains it too, and a save/load round trip restores the custom layer and its outputs', async () => {
    registerFinmlLayers();
    const x = tf.tensor3d(randomArray(16 * 6 * 1, 5), [16, 6, 1]);
    const y = tf.tidy(() => tf.reshape(tf.sum(x, [1, 2]), [16, 1]));
    const model = buildCnn({ type: 'cnn', filters: [3], kernelSize: 2, dilation: 2, padding: 'causal' }, {
      inputShape: [6, 1],
      head: { task: 'regression', units: 1 },
      seed: 2,
    });
    model.compile({ optimizer: tf.train.sgd(0.05), loss: 'meanSquaredError' });
    const h = await model.fit(x, y, { epochs: 5, batchSize: 16, shuffle: false, verbose: 0 });
    const loss = h.history.loss as number[];
    expect(loss[4] as number).toBeLessThan(loss[0] as number);
    let artifacts: tf.io.ModelArtifacts | undefined;
    await model.save(
      tf.io.withSaveHandler(async (a) => {
        artifacts = a;
        return { modelArtifactsInfo: { dateSaved: new Date(0), modelTopologyType: 'JSON' } };
      }),
    );
    expect(JSON.stringify(artifacts?.modelTopology)).toContain('PortableConv1D');
    const loaded = await tfl.loadLayersModel(tf.io.fromMemory(artifacts as tf.io.ModelArtifacts));
    const a = tf.tidy(() => Array.from((model.predict(x, { batchSize: 4096 }) as tf.Tensor).dataSync()));
    const b = tf.tidy(() => Array.from((loaded.predict(x, { batchSize: 4096 }) as tf.Tensor).dataSync()));
    expect(b).toEqual(a);
    const conv = loaded.layers.find((l) => l instanceof PortableConv1D) as PortableConv1D;
    expect([conv.filters, conv.kernelSize, conv.dilationRate, conv.padding]).toEqual([3, 2, 2, 'causal']);
    tf.dispose([x, y]);
    disposeModel(model);
    disposeModel(loaded);
  });
});
