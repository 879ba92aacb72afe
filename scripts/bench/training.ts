/**
 * Training and inference benchmark on the wasm backend (one thread), measured side by side in
 * one run as interleaved A/B/C repetitions; every ratio is the median of per-repetition ratios.
 *
 * - rowsScaling: FNN features-64-64-1 (ReLU, sigmoid head), Adam, batch 256, 61 features, at
 *   10k / 40k / 160k rows: finml `trainModel` vs plain tfjs-layers `model.fit` on the same model
 *   and tensors vs PyTorch CPU (1 thread). Goals (issue #11): finml ≥ 1.0× fit at every size;
 *   time per sample at 160k within 1.2× of 10k; ≥ 0.25× torch (stretch 0.5×).
 * - featuresScaling: the same network with 20 / 80 / 320 features.
 * - predict: 100k rows through the FNN: finml's batched predict (`layersModelPredictor` on float64
 *   rows; and on float32 rows) vs tfjs `model.predict(x, { batchSize: 4096 })` vs the bare fused
 *   matMuls on one device tensor (the floor wasm allows) vs torch (no_grad, batch 4096).
 *   Goal ≥ 0.8× torch. Also the same network as a finml neural classifier predicted on a warmed
 *   2-worker pool (`predictRowsWith`, the model cached in the workers, one share per worker; with
 *   the default `local: false` and with a share in this thread) vs its own `predictProba` in this thread, vs torch on 1 thread and on 2 threads
 *   (the pool uses both cores, so torch gets both too); the pooled values are checked bit-identical.
 * - backends: finml samples/s for a small FNN (61-64-32-1, batch 64) and an LSTM(32) on 20×4
 *   windows on cpu vs wasm (the README's "wasm trains an MLP ~3x / an LSTM ~6x faster than cpu"),
 *   and the LSTM trainer vs plain `fit` on wasm (a model that takes the generic `model.apply` path).
 * - tf.memory().numTensors at start and end (must be equal).
 *
 * Part of `npm run bench` (`-- --quick`: one repetition); standalone:
 * `npx tsx scripts/bench/training.ts [--quick] [--predict-only]`.
 */
import * as tf from '@tensorflow/tfjs-core';
import type * as tfl from '@tensorflow/tfjs-layers';
import { useBackend } from '../../src/core/backend';
import { ensureChainedOps } from '../../src/core/chainedOps';
import { createRng } from '../../src/core/random';
import { layersModelPredictor } from '../../src/explain/layersModelPredictor';
import { neuralClassifier } from '../../src/models/neuralModel';
import { createWorkerPool } from '../../src/node/workerPool';
import { predictRowsWith } from '../../src/parallel/parallelPredict';
import { predictValuesAsync } from '../../src/models/_internal/batchedPredict';
import { buildModel } from '../../src/models/buildModel';
import { disposeModel } from '../../src/models/disposeModel';
import type { ModelSpec } from '../../src/models/spec';
import { trainModel } from '../../src/train/trainModel';
import { parallelCpu } from './_machine';
import { median, QUICK, round, startPython, type PythonPeer } from './_python';
import { runIfMain } from './_standalone';

const HIDDEN = [64, 64];
const BATCH = 256;
const REPS = QUICK ? 1 : 3;
/** `--predict-only`: run the predict section alone. */
const PREDICT_ONLY = process.argv.includes('--predict-only');
const now = (): number => performance.now();

interface Data {
  readonly rows: number;
  readonly features: number;
  readonly x: Float32Array;
  readonly y: Float32Array;
}

function makeData(rows: number, features: number, seed: number): Data {
  const rng = createRng(seed);
  const x = new Float32Array(rows * features);
  const y = new Float32Array(rows);
  for (let i = 0; i < rows; i++) {
    let s = 0;
    for (let j = 0; j < features; j++) {
      const v = rng.normal();
      x[i * features + j] = v;
      if (j % 7 === 0) s += v;
    }
    y[i] = s + 0.5 * rng.normal() > 0 ? 1 : 0;
  }
  return { rows, features, x, y };
}

const fnn = (features: number): tfl.LayersModel => buildModel({ type: 'fnn', hidden: HIDDEN }, { inputShape: [features], head: { task: 'binary', units: 1 }, seed: 1 });

async function timeFinml(d: Data, xt: tf.Tensor, yt: tf.Tensor, epochs: number): Promise<number> {
  const model = fnn(d.features);
  try {
    const t0 = now();
    await trainModel(model, xt, yt, { epochs, batchSize: BATCH, seed: 2 });
    return now() - t0;
  } finally {
    disposeModel(model);
  }
}

async function timeFit(d: Data, xt: tf.Tensor, yt: tf.Tensor, epochs: number): Promise<number> {
  const model = fnn(d.features);
  const opt = tf.train.adam(0.001);
  try {
    model.compile({ optimizer: opt, loss: 'binaryCrossentropy' });
    const t0 = now();
    await model.fit(xt, yt, { epochs, batchSize: BATCH, verbose: 0, shuffle: true });
    return now() - t0;
  } finally {
    disposeModel(model);
    opt.dispose();
  }
}

async function timeTorch(py: PythonPeer, d: Data, files: { x: string; y: string }, epochs: number): Promise<number> {
  const r = await py.call({ cmd: 'train', x: files.x, y: files.y, rows: d.rows, features: d.features, hidden: HIDDEN, batch: BATCH, epochs, seed: 2 });
  return (r.seconds as number) * 1000;
}

/** Interleaved finml / fit / torch repetitions on one data set. */
async function compareTraining(d: Data, py: PythonPeer | null): Promise<Record<string, unknown>> {
  // at least ~40k samples per timed run, so small sizes are not all start-up noise
  const epochs = Math.max(1, Math.round(40_000 / d.rows));
  const xt = tf.tensor2d(d.x, [d.rows, d.features]);
  const yt = tf.tensor2d(d.y, [d.rows, 1]);
  const files = py === null ? null : { x: py.file(`x${d.rows}x${d.features}.f32`, d.x), y: py.file(`y${d.rows}x${d.features}.f32`, d.y) };
  const finml: number[] = [];
  const fit: number[] = [];
  const torch: number[] = [];
  const vsFit: number[] = [];
  const vsTorch: number[] = [];
  try {
    for (let rep = 0; rep < REPS; rep++) {
      // rotate the order so no side always runs first (after the other's garbage)
      const order = [0, 1, 2].map((k) => (k + rep) % 3);
      let a = 0;
      let b = 0;
      let c = 0;
      for (const k of order) {
        if (k === 0) a = await timeFinml(d, xt, yt, epochs);
        else if (k === 1) b = await timeFit(d, xt, yt, epochs);
        else if (py !== null && files !== null) c = await timeTorch(py, d, files, epochs);
      }
      finml.push(a);
      fit.push(b);
      vsFit.push(b / a);
      if (c > 0) {
        torch.push(c);
        vsTorch.push(c / a);
      }
    }
  } finally {
    tf.dispose([xt, yt]);
  }
  const samples = d.rows * epochs;
  const sps = (ms: number[]): number => Math.round(samples / (median(ms) / 1000));
  return {
    rows: d.rows,
    features: d.features,
    epochs,
    finmlSamplesPerSec: sps(finml),
    fitSamplesPerSec: sps(fit),
    ...(torch.length > 0 ? { torchSamplesPerSec: sps(torch) } : {}),
    finmlVsFit: round(median(vsFit), 2),
    ...(vsTorch.length > 0 ? { finmlVsTorch: round(median(vsTorch), 3) } : {}),
    finmlMicrosPerSample: round((median(finml) * 1000) / samples, 2),
  };
}

/**
 * Linear scaling: finml time per sample at 160k rows vs 10k rows, measured as interleaved pairs
 * (10k rows × 4 epochs, then 160k rows × 1 epoch; the order alternates) so load changes on a
 * shared machine hit both sides; the torch ratio is the same measure for PyTorch.
 */
async function linearScaling(small: Data, big: Data, py: PythonPeer | null): Promise<Record<string, unknown>> {
  const sides = [small, big].map((d) => ({
    d,
    epochs: Math.max(1, Math.round(40_000 / d.rows)),
    xt: tf.tensor2d(d.x, [d.rows, d.features]),
    yt: tf.tensor2d(d.y, [d.rows, 1]),
    files: py === null ? null : { x: py.file(`x${d.rows}x${d.features}.f32`, d.x), y: py.file(`y${d.rows}x${d.features}.f32`, d.y) },
  }));
  const finml: number[] = [];
  const torch: number[] = [];
  try {
    for (let rep = 0; rep < REPS; rep++) {
      const perSample = [0, 0];
      const torchPerSample = [0, 0];
      for (const i of rep % 2 === 0 ? [0, 1] : [1, 0]) {
        const s = sides[i] as (typeof sides)[number];
        perSample[i] = (await timeFinml(s.d, s.xt, s.yt, s.epochs)) / (s.d.rows * s.epochs);
        if (py !== null && s.files !== null) torchPerSample[i] = (await timeTorch(py, s.d, s.files, s.epochs)) / (s.d.rows * s.epochs);
      }
      finml.push((perSample[1] as number) / (perSample[0] as number));
      if (py !== null) torch.push((torchPerSample[1] as number) / (torchPerSample[0] as number));
    }
  } finally {
    for (const s of sides) tf.dispose([s.xt, s.yt]);
  }
  return {
    finmlTimePerSample160kVs10k: round(median(finml), 2),
    ...(torch.length > 0 ? { torchTimePerSample160kVs10k: round(median(torch), 2) } : {}),
  };
}

/** The model's forward as bare tfjs ops on pre-uploaded batch tensors (the wasm matMul floor). */
async function opsFloor(model: tfl.LayersModel, batches: readonly tf.Tensor2D[]): Promise<void> {
  const ws = model.getWeights();
  const outs = batches.map((xb) =>
    tf.tidy(() => {
      let h = xb;
      for (let l = 0; l + 1 < ws.length; l += 2) {
        const w = ws[l] as tf.Tensor2D;
        const b = ws[l + 1] as tf.Tensor1D;
        h = l + 2 >= ws.length ? (tf.sigmoid(tf.add(tf.matMul(h, w), b)) as tf.Tensor2D) : (tf.fused.matMul({ a: h, b: w, bias: b, activation: 'relu' }) as tf.Tensor2D);
      }
      return h;
    }),
  );
  const all = tf.concat(outs);
  tf.dispose(outs);
  await all.data();
  all.dispose();
}

/**
 * Predict on 100k rows, interleaved: finml's `layersModelPredictor` (float64 rows, as every
 * explainer calls it), finml's batched predict on float32 rows (the input torch gets), tfjs
 * `model.predict`, the bare-ops floor, and torch.
 */
export async function comparePredict(py: PythonPeer | null): Promise<Record<string, unknown>> {
  const rows = 100_000;
  const features = 61;
  const d = makeData(rows, features, 11);
  const model = fnn(features);
  const predictor = layersModelPredictor(model, { batchSize: 4096 });
  const batch = { rows, cols: features, data: Float64Array.from(d.x) };
  const xt = tf.tensor2d(d.x, [rows, features]);
  const floorBatches: tf.Tensor2D[] = [];
  for (let s = 0; s < rows; s += 4096) floorBatches.push(tf.tensor2d(d.x.subarray(s * features, Math.min(rows, s + 4096) * features), [Math.min(rows, s + 4096) - s, features]));
  const file = py === null ? null : py.file('xpredict.f32', d.x);
  // The same network as a finml estimator (weights from a short fit: the speed does not depend on them),
  // predicted on a 2-worker pool, warmed up and with the model cached in both workers.
  const fitted = await neuralClassifier({ model: { type: 'fnn', hidden: HIDDEN }, train: { epochs: 1, batchSize: BATCH }, seed: 1 }).fit(
    { rows: 4096, cols: features, data: batch.data.subarray(0, 4096 * features) },
    d.y.subarray(0, 4096),
  );
  const pool = createWorkerPool({ workers: 2 });
  // the rows torch gets: float32 (sent as they are, no conversion)
  const rows32 = { rows, cols: features, data: d.x };
  const t = { finml: [] as number[], finml32: [] as number[], tfjs: [] as number[], floor: [] as number[], torch: [] as number[], seq: [] as number[], pooled: [] as number[], pooledLocal: [] as number[], pooled32: [] as number[], torch2: [] as number[] };
  const r = {
    vsTfjs: [] as number[],
    vsTorch: [] as number[],
    f32VsTorch: [] as number[],
    floorVsTorch: [] as number[],
    vsFloor: [] as number[],
    pooledVsSeq: [] as number[],
    pooledLocalVsSeq: [] as number[],
    pooledVsTorch: [] as number[],
    pooledLocalVsTorch: [] as number[],
    pooled32VsTorch: [] as number[],
    pooledVsTorch2: [] as number[],
    seqVsTorch: [] as number[],
  };
  let pooledEqualsSequential = true;
  let parallelCpuBefore = 0;
  let parallelCpuAfter = 0;
  const sameBits = (a: Float64Array, b: Float64Array): boolean => a.length === b.length && a.every((v, i) => Object.is(v, b[i]));
  const time = async (f: () => Promise<unknown>): Promise<number> => {
    const t0 = now();
    await f();
    return now() - t0;
  };
  try {
    await predictor({ rows: 10, cols: features, data: batch.data.subarray(0, 10 * features) }); // warm-up
    await opsFloor(model, floorBatches);
    await pool.warmUp();
    parallelCpuBefore = await parallelCpu();
    // warm-up: both workers restore and cache the model and optimise their code paths
    for (let i = 0; i < 4; i++) {
      fitted.predictProba(batch);
      await predictRowsWith(pool, fitted, batch, { method: 'predictProba', local: false });
      await predictRowsWith(pool, fitted, batch, { method: 'predictProba', local: true });
      await predictRowsWith(pool, fitted, rows32, { method: 'predictProba' });
    }
    for (let rep = 0; rep < (QUICK ? 3 : 7); rep++) {
      // finml on the pool vs the same estimator in this thread vs torch on 1 and 2 threads
      let seqOut: Float64Array = new Float64Array(0);
      let poolOut: Float64Array = new Float64Array(0);
      let localOut: Float64Array = new Float64Array(0);
      const s1 = await time(async () => (seqOut = fitted.predictProba(batch)));
      const p1 = await time(async () => (poolOut = await predictRowsWith(pool, fitted, batch, { method: 'predictProba', local: false })));
      const l1 = await time(async () => (localOut = await predictRowsWith(pool, fitted, batch, { method: 'predictProba', local: true })));
      let out32: Float64Array = new Float64Array(0);
      const f1 = await time(async () => (out32 = await predictRowsWith(pool, fitted, rows32, { method: 'predictProba' })));
      pooledEqualsSequential &&= sameBits(poolOut, seqOut) && sameBits(localOut, seqOut) && sameBits(out32, seqOut);
      t.seq.push(s1);
      t.pooled.push(p1);
      t.pooledLocal.push(l1);
      t.pooled32.push(f1);
      r.pooledVsSeq.push(s1 / p1);
      r.pooledLocalVsSeq.push(s1 / l1);
      if (py !== null && file !== null) {
        const c1 = ((await py.call({ cmd: 'predict', x: file, rows, features, hidden: HIDDEN, batch: 4096, threads: 1 })).seconds as number) * 1000;
        const c2 = ((await py.call({ cmd: 'predict', x: file, rows, features, hidden: HIDDEN, batch: 4096, threads: 2 })).seconds as number) * 1000;
        t.torch2.push(c2);
        r.pooledVsTorch.push(c1 / p1);
        r.pooledLocalVsTorch.push(c1 / l1);
        r.pooled32VsTorch.push(c1 / f1);
        r.pooledVsTorch2.push(c2 / Math.min(p1, l1, f1));
        r.seqVsTorch.push(c1 / s1);
      }
      const a = await time(async () => predictor(batch));
      const a32 = await time(() => predictValuesAsync(model, d.x, rows, [features], 'bench'));
      const b = await time(async () => {
        const p = model.predict(xt, { batchSize: 4096 }) as tf.Tensor;
        await p.data();
        p.dispose();
      });
      const f = await time(() => opsFloor(model, floorBatches));
      t.finml.push(a);
      t.finml32.push(a32);
      t.tfjs.push(b);
      t.floor.push(f);
      r.vsTfjs.push(b / a);
      r.vsFloor.push(f / a32);
      if (py !== null && file !== null) {
        const res = await py.call({ cmd: 'predict', x: file, rows, features, hidden: HIDDEN, batch: 4096 });
        const c = (res.seconds as number) * 1000;
        t.torch.push(c);
        r.vsTorch.push(c / a);
        r.f32VsTorch.push(c / a32);
        r.floorVsTorch.push(c / f);
      }
    }
    parallelCpuAfter = await parallelCpu();
  } finally {
    tf.dispose([xt, ...floorBatches]);
    disposeModel(model);
    fitted.dispose();
    await pool.close();
  }
  const rps = (ms: number[]): number => Math.round(rows / (median(ms) / 1000));
  const pooled = {
    threads: { finmlSequential: 1, finmlPooled: '2 worker threads (this thread sends and joins)', finmlPooledLocal: '2 worker threads + this thread', finmlPooledFloat32: '2 worker threads (this thread sends and joins)', torch: 1, torch2Threads: 2 },
    finmlSequentialRowsPerSec: rps(t.seq),
    finmlPooledRowsPerSec: rps(t.pooled),
    finmlPooledLocalRowsPerSec: rps(t.pooledLocal),
    finmlPooledFloat32RowsPerSec: rps(t.pooled32),
    pooledSpeedUpVsSequential: round(median(r.pooledVsSeq), 2),
    pooledLocalSpeedUpVsSequential: round(median(r.pooledLocalVsSeq), 2),
    pooledEqualsSequential,
    machine: { parallelCpuBefore, parallelCpuAfter, note: 'pure-JS loop on 2 threads vs twice on 1: ~2 on an idle 2-core machine, ~1 when other processes hold a core' },
    ...(t.torch2.length > 0
      ? {
          torch2ThreadsRowsPerSec: rps(t.torch2),
          finmlSequentialVsTorch: round(median(r.seqVsTorch), 3),
          finmlPooledVsTorch: round(median(r.pooledVsTorch), 3),
          finmlPooledLocalVsTorch: round(median(r.pooledLocalVsTorch), 3),
          finmlPooledFloat32VsTorch: round(median(r.pooled32VsTorch), 3),
          finmlPooledBestVsTorch2Threads: round(median(r.pooledVsTorch2), 3),
        }
      : {}),
    note: 'finml neural classifier with the same network: predictProba in this thread (float64 rows) vs predictRowsWith on a warmed 2-worker pool (model cached in the workers, one share per worker; pooled: float64 rows sent as float32, the default local: false; pooledLocal: local: true, a share in this thread too; pooledFloat32: the float32 rows torch gets, local: false), interleaved with torch on 1 and 2 threads (torch.set_num_threads)',
  };
  return {
    rows,
    network: `${features}-${HIDDEN.join('-')}-1`,
    batchSize: 4096,
    finmlRowsPerSec: rps(t.finml),
    finmlFloat32RowsPerSec: rps(t.finml32),
    tfjsPredictRowsPerSec: rps(t.tfjs),
    tfjsOpsFloorRowsPerSec: rps(t.floor),
    ...(t.torch.length > 0 ? { torchRowsPerSec: rps(t.torch) } : {}),
    finmlVsTfjsPredict: round(median(r.vsTfjs), 2),
    finmlFloat32VsOpsFloor: round(median(r.vsFloor), 2),
    ...(r.vsTorch.length > 0
      ? { finmlVsTorch: round(median(r.vsTorch), 3), finmlFloat32VsTorch: round(median(r.f32VsTorch), 3), opsFloorVsTorch: round(median(r.floorVsTorch), 3) }
      : {}),
    note: 'finml: layersModelPredictor on float64 rows (converted per batch); finmlFloat32: the same batched predict on float32 rows; opsFloor: bare fused matMuls on pre-uploaded batch tensors (the wasm XNNPACK ceiling for this network)',
    pooled,
  };
}

interface SmallWorkload {
  readonly spec: ModelSpec;
  readonly inputShape: number[];
  readonly rows: number;
  readonly epochs: number;
}

const SMALL: Record<string, SmallWorkload> = {
  fnn: { spec: { type: 'fnn', hidden: [64, 32] }, inputShape: [61], rows: 4096, epochs: 2 },
  lstm: { spec: { type: 'rnn', cell: 'lstm', units: [32] }, inputShape: [20, 4], rows: 512, epochs: 1 },
};

/** finml samples/s on cpu and wasm for the small workloads, and the LSTM trainer vs fit on wasm. */
async function compareBackends(): Promise<Record<string, unknown>> {
  const out: Record<string, Record<string, number>> = {};
  for (const backend of ['cpu', 'wasm'] as const) {
    await useBackend(backend);
    for (const [name, w] of Object.entries(SMALL)) {
      const width = w.inputShape.reduce((a, b) => a * b, 1);
      const d = makeData(w.rows, width, 7);
      const xt = tf.tensor(d.x, [w.rows, ...w.inputShape]);
      const yt = tf.tensor2d(d.y, [w.rows, 1]);
      const build = (): tfl.LayersModel => buildModel(w.spec, { inputShape: w.inputShape, head: { task: 'binary', units: 1 }, seed: 1 });
      try {
        const finml: number[] = [];
        const fit: number[] = [];
        for (let rep = 0; rep < REPS; rep++) {
          const m = build();
          try {
            if (rep === 0) await trainModel(m, xt, yt, { epochs: 1, batchSize: 64, seed: 1 }); // warm-up
            const t0 = now();
            await trainModel(m, xt, yt, { epochs: w.epochs, batchSize: 64, seed: 2 });
            finml.push(now() - t0);
          } finally {
            disposeModel(m);
          }
          if (backend === 'wasm' && name === 'lstm') {
            const m2 = build();
            const opt = tf.train.adam(0.001);
            try {
              m2.compile({ optimizer: opt, loss: 'binaryCrossentropy' });
              if (rep === 0) await m2.fit(xt, yt, { epochs: 1, batchSize: 64, verbose: 0 });
              const t0 = now();
              await m2.fit(xt, yt, { epochs: w.epochs, batchSize: 64, verbose: 0, shuffle: true });
              fit.push(now() - t0);
            } finally {
              disposeModel(m2);
              opt.dispose();
            }
          }
        }
        const sps = (ms: number[]): number => Math.round((w.rows * w.epochs) / (median(ms) / 1000));
        out[name] = { ...(out[name] ?? {}), [`${backend}SamplesPerSec`]: sps(finml), ...(fit.length > 0 ? { wasmFitSamplesPerSec: sps(fit) } : {}) };
      } finally {
        tf.dispose([xt, yt]);
      }
    }
  }
  for (const v of Object.values(out)) v.wasmVsCpu = round((v.wasmSamplesPerSec as number) / (v.cpuSamplesPerSec as number), 2);
  await useBackend('wasm');
  return out;
}

/** Runs the training/inference benchmark on wasm; returns plain JSON. */
export async function run(): Promise<Record<string, unknown>> {
  await useBackend('wasm');
  ensureChainedOps();
  const numTensorsStart = tf.memory().numTensors;
  const started = await startPython();
  const py = 'skipped' in started ? null : started;
  const results: Record<string, unknown> = {
    backend: 'wasm (1 thread)',
    quick: QUICK,
    repetitions: REPS,
    network: `FNN features-${HIDDEN.join('-')}-1, ReLU, Adam lr 1e-3, batch ${BATCH}`,
    peer: py === null ? { skipped: (started as { skipped: string }).skipped } : { ...py.versions, note: 'PyTorch CPU, torch.set_num_threads(1)' },
  };
  try {
    if (PREDICT_ONLY) {
      results.predict = await comparePredict(py);
      results.numTensorsStart = numTensorsStart;
      results.numTensorsEnd = tf.memory().numTensors;
      return results;
    }
    // warm-up of all three sides (kernel set-up, lazy imports)
    await compareTraining(makeData(2048, 61, 1), py);
    const rows: Record<string, unknown>[] = [];
    const data = [10_000, 40_000, 160_000].map((n) => makeData(n, 61, 3));
    for (const d of data) rows.push(await compareTraining(d, py));
    results.rowsScaling = rows;
    results.linearScaling = await linearScaling(data[0] as Data, data[2] as Data, py);
    const scaling = results.linearScaling as { finmlTimePerSample160kVs10k: number };
    const feats: Record<string, unknown>[] = [];
    for (const f of [20, 80, 320]) feats.push(await compareTraining(makeData(QUICK ? 10_000 : 20_000, f, 5), py));
    results.featuresScaling = feats;
    results.predict = await comparePredict(py);
    results.backends = await compareBackends();
    results.goals = {
      finmlVsFitAtLeast1: rows.every((r) => (r.finmlVsFit as number) >= 1),
      timePerSample160kWithin1_2xOf10k: scaling.finmlTimePerSample160kVs10k <= 1.2,
      ...(py === null
        ? {}
        : {
            fnnVsTorchAtLeast0_25: ((rows.find((r) => r.rows === 40_000)?.finmlVsTorch as number) ?? 0) >= 0.25,
            predictVsTorchAtLeast0_8: ((results.predict as { finmlVsTorch: number }).finmlVsTorch ?? 0) >= 0.8,
            predictFloat32VsTorchAtLeast0_8: ((results.predict as { finmlFloat32VsTorch: number }).finmlFloat32VsTorch ?? 0) >= 0.8,
            predictPooledVsTorchAtLeast0_8: ((results.predict as { pooled: { finmlPooledVsTorch?: number } }).pooled.finmlPooledVsTorch ?? 0) >= 0.8,
            predictPooledFloat32VsTorchAtLeast0_8: ((results.predict as { pooled: { finmlPooledFloat32VsTorch?: number } }).pooled.finmlPooledFloat32VsTorch ?? 0) >= 0.8,
          }),
    };
  } finally {
    py?.close();
  }
  results.numTensorsStart = numTensorsStart;
  results.numTensorsEnd = tf.memory().numTensors;
  return results;
}

runIfMain(import.meta.url, run);
