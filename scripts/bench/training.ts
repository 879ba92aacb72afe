/**
 * Training benchmark: samples/s of finml's trainer for an FNN (tabular, German-credit width) and
 * an LSTM (windows) on the cpu and wasm backends; the trainer's overhead against a raw
 * tfjs-layers `model.fit` on the same model; predict rows/s with batch 4096 vs tfjs's default
 * 32; and tf.memory().numTensors before/after each section (must be equal).
 *
 * Part of `npm run bench`; standalone: `npx tsx scripts/bench/training.ts` (prints JSON).
 * Sizes are small so the whole module takes well under a minute on 2 cores.
 */
import * as tf from '@tensorflow/tfjs-core';
import type * as tfl from '@tensorflow/tfjs-layers';
import { useBackend, type BackendName } from '../../src/core/backend';
import { createRng } from '../../src/core/random';
import { buildModel } from '../../src/models/buildModel';
import { disposeModel } from '../../src/models/disposeModel';
import type { ModelSpec } from '../../src/models/spec';
import { trainModel } from '../../src/train/trainModel';
import { runIfMain } from './_standalone';

interface Workload {
  readonly name: string;
  readonly spec: ModelSpec;
  readonly inputShape: number[];
  readonly rows: number;
  readonly epochs: number;
  readonly batchSize: number;
}

const FNN: Workload = { name: 'fnn', spec: { type: 'fnn', hidden: [64, 32] }, inputShape: [61], rows: 4096, epochs: 2, batchSize: 64 };
const LSTM: Workload = { name: 'lstm', spec: { type: 'rnn', cell: 'lstm', units: [32] }, inputShape: [20, 4], rows: 512, epochs: 1, batchSize: 64 };

function makeData(w: Workload, seed: number): { x: Float32Array; y: Float32Array; shape: number[] } {
  const rng = createRng(seed);
  const width = w.inputShape.reduce((a, b) => a * b, 1);
  const x = new Float32Array(w.rows * width);
  const y = new Float32Array(w.rows);
  for (let i = 0; i < w.rows; i++) {
    let s = 0;
    for (let j = 0; j < width; j++) {
      const v = rng.normal();
      x[i * width + j] = v;
      if (j % 7 === 0) s += v;
    }
    y[i] = s + 0.5 * rng.normal() > 0 ? 1 : 0;
  }
  return { x, y, shape: [w.rows, ...w.inputShape] };
}

const now = (): number => performance.now();
const round = (v: number, d = 1): number => Math.round(v * 10 ** d) / 10 ** d;

async function timeFinml(w: Workload, xt: tf.Tensor, yt: tf.Tensor): Promise<number> {
  const model = buildModel(w.spec, { inputShape: w.inputShape, head: { task: 'binary', units: 1 }, seed: 1 });
  try {
    // warm-up epoch (kernel compilation / first-use costs), then the timed run
    await trainModel(model, xt as tf.Tensor2D, yt as tf.Tensor1D, { epochs: 1, batchSize: w.batchSize, seed: 1 });
    const t0 = now();
    await trainModel(model, xt as tf.Tensor2D, yt as tf.Tensor1D, { epochs: w.epochs, batchSize: w.batchSize, seed: 2 });
    return now() - t0;
  } finally {
    disposeModel(model);
  }
}

async function timeRawFit(w: Workload, xt: tf.Tensor, yt: tf.Tensor): Promise<number> {
  const model = buildModel(w.spec, { inputShape: w.inputShape, head: { task: 'binary', units: 1 }, seed: 1 });
  const opt = tf.train.adam(0.001);
  const y2 = tf.reshape(yt, [-1, 1]);
  try {
    model.compile({ optimizer: opt, loss: 'binaryCrossentropy' });
    await model.fit(xt, y2, { epochs: 1, batchSize: w.batchSize, verbose: 0, shuffle: true });
    const t0 = now();
    await model.fit(xt, y2, { epochs: w.epochs, batchSize: w.batchSize, verbose: 0, shuffle: true });
    return now() - t0;
  } finally {
    disposeModel(model);
    opt.dispose();
    y2.dispose();
  }
}

async function timePredict(model: tfl.LayersModel, xt: tf.Tensor, batchSize: number | undefined): Promise<number> {
  const once = async (): Promise<void> => {
    const p = (batchSize === undefined ? model.predict(xt) : model.predict(xt, { batchSize })) as tf.Tensor;
    await p.data();
    p.dispose();
  };
  await once();
  const t0 = now();
  await once();
  return now() - t0;
}

async function benchWorkload(w: Workload): Promise<Record<string, unknown>> {
  const d = makeData(w, 7);
  const xt = tf.tensor(d.x, d.shape);
  const yt = tf.tensor1d(d.y);
  const before = tf.memory().numTensors;
  try {
    const finmlMs = await timeFinml(w, xt, yt);
    const rawMs = await timeRawFit(w, xt, yt);
    const samples = w.rows * w.epochs;
    const out: Record<string, unknown> = {
      rows: w.rows,
      inputShape: w.inputShape,
      epochs: w.epochs,
      batchSize: w.batchSize,
      finmlSamplesPerSec: round(samples / (finmlMs / 1000)),
      rawFitSamplesPerSec: round(samples / (rawMs / 1000)),
      finmlOverheadPct: round((finmlMs / rawMs - 1) * 100),
    };
    if (w.name === 'fnn') {
      const model = buildModel(w.spec, { inputShape: w.inputShape, head: { task: 'binary', units: 1 }, seed: 1 });
      try {
        const big = await timePredict(model, xt, 4096);
        const small = await timePredict(model, xt, undefined);
        out.predictRowsPerSecBatch4096 = round(w.rows / (big / 1000));
        out.predictRowsPerSecBatch32 = round(w.rows / (small / 1000));
        out.predictSpeedupBatch4096 = round(small / big, 2);
      } finally {
        disposeModel(model);
      }
    }
    const after = tf.memory().numTensors;
    out.numTensorsBefore = before;
    out.numTensorsAfter = after;
    return out;
  } finally {
    tf.dispose([xt, yt]);
  }
}

/** Runs the training benchmark on cpu and wasm; returns plain JSON. */
export async function run(): Promise<Record<string, unknown>> {
  const results: Record<string, unknown> = {};
  let initial: number | undefined;
  for (const backend of ['cpu', 'wasm'] as BackendName[]) {
    await useBackend(backend);
    initial ??= tf.memory().numTensors;
    const r: Record<string, unknown> = {};
    for (const w of [FNN, LSTM]) r[w.name] = await benchWorkload(w);
    results[backend] = r;
  }
  results.numTensorsStart = initial;
  results.numTensorsEnd = tf.memory().numTensors;
  return results;
}

runIfMain(import.meta.url, run);
