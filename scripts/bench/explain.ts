/**
 * Explainer benchmark. On wasm, side by side in one run (interleaved, median ratio): finml's
 * kernelShap with a tfjs dense network (20-16-1) through `layersModelPredictor` vs a NumPy
 * KernelSHAP evaluating the same network (same weights) in PyTorch CPU (1 thread), with the same
 * coalitions (finml's design for the seed: 2·20 + 2048 = 2088 coalitions and their weights), the
 * same 50 background rows and the logit link; the SHAP values of both sides are compared too.
 * Goal (issue #11): finml ≥ 1.0× the NumPy+torch side. Also, in the same interleaved repetitions:
 * the same network as a finml neural classifier, explained in this thread and through
 * `explainRowsWith` on a warmed 2-worker pool (model and explainer cached in the workers; the
 * values checked equal to this thread's), vs the NumPy+torch side on 1 and on 2 torch threads.
 *
 * Then permutation importance on wasm: a finml neural classifier (20-64-64-1) in this thread vs
 * `permutationImportanceWith` on a warmed 2-worker pool (interleaved, median ratio, results checked
 * bit-identical; `--permutation-only` runs this part alone).
 *
 * Then, on cpu: throughput of KernelSHAP (explained rows/s) and permutation importance
 * (evaluated dataset rows/s) for 20 features, with a cheap JavaScript predictor and with a small
 * tfjs dense model through `layersModelPredictor` on the cpu backend. Also reports the predictor
 * rows/s implied (coalition × background rows per second), the number of predictor calls, the
 * adapter's rows/s with predict batch 4096 vs tfjs's default 32, and tf.memory().numTensors
 * before/after (must be equal).
 *
 * Part of `npm run bench` (`-- --quick`: fewer rows and repetitions); standalone:
 * `npx tsx scripts/bench/explain.ts [--quick] [--permutation-only] [--permutation-hidden 16]` (prints JSON).
 */
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { useBackend } from '../../src/core/backend';
import { ensureChainedOps } from '../../src/core/chainedOps';
import type { Predictor } from '../../src/core/predictor';
import { createRng } from '../../src/core/random';
import { kernelShap } from '../../src/explain/kernelShap';
import { layersModelPredictor } from '../../src/explain/layersModelPredictor';
import { permutationImportance } from '../../src/explain/permutationImportance';
import { predictorFromFunction } from '../../src/explain/predictorFromFunction';
import { sampleCoalitions } from '../../src/explain/_internal/explainCoalitions';
import { neuralClassifier } from '../../src/models/neuralModel';
import { createWorkerPool } from '../../src/node/workerPool';
import { explainRowsWith } from '../../src/parallel/parallelShap';
import { permutationImportanceWith } from '../../src/parallel/parallelImportance';
import { parallelCpu } from './_machine';
import { median, QUICK, round as roundTo, startPython } from './_python';
import { runIfMain } from './_standalone';

const FEATURES = 20;
const now = (): number => performance.now();
const round = (v: number, d = 1): number => Math.round(v * 10 ** d) / 10 ** d;

function makeData(n: number, seed: number): { x: number[][]; y: number[] } {
  const rng = createRng(seed);
  const x = Array.from({ length: n }, () => Array.from({ length: FEATURES }, () => rng.normal()));
  const y = x.map((r) => (cheapScore(r) + 0.3 * rng.normal() > 0.5 ? 1 : 0));
  return { x, y };
}

/** A logistic model with a few interactions: cheap, nonlinear. */
function cheapScore(r: ArrayLike<number>): number {
  let z = -0.2;
  for (let j = 0; j < FEATURES; j++) z += ((j % 5) - 2) * 0.3 * (r[j] as number);
  z += 0.5 * (r[0] as number) * (r[1] as number) - 0.4 * (r[2] as number) * (r[3] as number);
  return 1 / (1 + Math.exp(-z));
}

function logLoss(t: Float64Array, p: Float64Array): number {
  let s = 0;
  for (let i = 0; i < t.length; i++) {
    const q = Math.min(1 - 1e-12, Math.max(1e-12, p[i] as number));
    s -= (t[i] as number) * Math.log(q) + (1 - (t[i] as number)) * Math.log(1 - q);
  }
  return s / t.length;
}

async function benchShap(predictor: Predictor, background: number[][], rows: number[][], label: string): Promise<Record<string, unknown>> {
  const explainer = kernelShap(predictor, background, { link: 'logit', backgroundSize: 20, seed: 1 });
  await explainer.explain(rows.slice(0, 1)); // warm-up
  const t0 = now();
  const e = await explainer.explain(rows);
  const ms = now() - t0;
  let maxAdditivityError = 0;
  e.values.forEach((v, i) => {
    maxAdditivityError = Math.max(maxAdditivityError, Math.abs(e.baseValue + v.reduce((a, b) => a + b, 0) - (e.fx[i] as number)));
  });
  const modelRows = rows.length * e.nCoalitions * explainer.fitted.background.length;
  return {
    predictor: label,
    explainedRows: rows.length,
    players: e.playerNames.length,
    coalitionsPerRow: e.nCoalitions,
    backgroundRows: explainer.fitted.background.length,
    exact: e.exact,
    seconds: round(ms / 1000, 3),
    explainedRowsPerSec: round((rows.length * 1000) / ms, 2),
    predictorRowsPerSec: Math.round((modelRows * 1000) / ms),
    predictorCalls: e.predictorCalls,
    maxAdditivityError,
  };
}

async function benchPermutation(predictor: Predictor, x: number[][], y: number[], label: string): Promise<Record<string, unknown>> {
  const opts = { metric: logLoss, greaterIsBetter: false, nRepeats: 5, seed: 1 } as const;
  await permutationImportance(predictor, x.slice(0, 50), y.slice(0, 50), opts); // warm-up
  const t0 = now();
  const res = await permutationImportance(predictor, x, y, opts);
  const ms = now() - t0;
  const evaluated = x.length * (1 + FEATURES * opts.nRepeats);
  return {
    predictor: label,
    rows: x.length,
    features: FEATURES,
    nRepeats: opts.nRepeats,
    seconds: round(ms / 1000, 3),
    datasetRowsPerSec: Math.round((x.length * 1000) / ms),
    predictorRowsPerSec: Math.round((evaluated * 1000) / ms),
    predictorCalls: res.predictorCalls,
  };
}

/** Flat float32 parameters of a dense chain: per layer the kernel [in, out] row-major, then the bias. */
function flatParams(model: tfl.LayersModel): Float32Array {
  const parts = model.getWeights().map((w) => w.dataSync() as Float32Array);
  const out = new Float32Array(parts.reduce((a, p) => a + p.length, 0));
  let o = 0;
  for (const p of parts) {
    out.set(p, o);
    o += p.length;
  }
  return out;
}

/** finml kernelShap (wasm, tfjs dense 20-16-1) vs NumPy KernelSHAP + torch on the same coalitions. */
export async function shapVsTorch(): Promise<Record<string, unknown>> {
  await useBackend('wasm');
  ensureChainedOps();
  const started = await startPython();
  if ('skipped' in started) return { skipped: started.skipped };
  const py = started;
  const { x, y } = makeData(600, 11);
  const background = x.slice(0, 50);
  // an even count: the pooled run splits the rows between 2 workers
  const rows = x.slice(100, 100 + (QUICK ? 4 : 8));
  const model = tfl.sequential({
    layers: [
      tfl.layers.dense({ inputShape: [FEATURES], units: 16, activation: 'relu', kernelInitializer: tfl.initializers.glorotUniform({ seed: 1 }) }),
      tfl.layers.dense({ units: 1, activation: 'sigmoid', kernelInitializer: tfl.initializers.glorotUniform({ seed: 2 }) }),
    ],
  });
  // The same architecture (20-16-1, ReLU, sigmoid) as a finml estimator, for the pool (its
  // envelope is what a worker restores); torch gets its weights in the pooled comparison.
  const neural = await neuralClassifier({ model: { type: 'fnn', hidden: [16] }, train: { epochs: 1 }, seed: 3 }).fit(x, y);
  const pool = createWorkerPool({ workers: 2 });
  try {
    const seed = 1;
    const explainer = kernelShap(layersModelPredictor(model), background, { link: 'logit', backgroundSummary: 'none', seed });
    const fittedShap = kernelShap({ link: 'logit', backgroundSummary: 'none', seed }).fit(background);
    const neuralPredictor = neural.asPredictor();
    const budget = 2 * FEATURES + 2048;
    const design = sampleCoalitions(FEATURES, budget, createRng(seed));
    const bg = Float32Array.from(explainer.fitted.background.flat());
    const files = {
      x: py.file('shap-x.f32', Float32Array.from(rows.flat())),
      bg: py.file('shap-bg.f32', bg),
      masks: py.file('shap-masks.u8', design.masks),
      weights: py.file('shap-w.f64', design.weights),
      params: py.file('shap-params.f32', flatParams(model)),
    };
    const cmd = { cmd: 'shap', ...files, rows: rows.length, bgRows: explainer.fitted.background.length, k: design.k, features: FEATURES, hidden: [16] };
    const neuralCmd = { ...cmd, params: py.file('shap-params-neural.f32', flatParams(neural.network())) };
    // warm-up on the same rows: V8 needs a few calls to optimise the row building (measured: the
    // 1st call ~3x the steady time, steady from about the 4th); NumPy/torch need one
    for (let i = 0; i < 3; i++) await explainer.explain(rows);
    await py.call(cmd);
    await pool.warmUp();
    // each worker runs as many explain calls as this thread before timing (V8 optimises per thread)
    for (let i = 0; i < 6; i++) {
      await fittedShap.explain(neuralPredictor, rows);
      await explainRowsWith(pool, fittedShap, neural, rows);
    }
    await py.call({ ...neuralCmd, threads: 2 });
    const parallelCpuBefore = await parallelCpu();
    const finml: number[] = [];
    const numpy: number[] = [];
    const ratios: number[] = [];
    const p = { seq: [] as number[], pooled: [] as number[], numpy1: [] as number[], numpy2: [] as number[], pooledVsNumpy1: [] as number[], pooledVsNumpy2: [] as number[], seqVsNumpy1: [] as number[], pooledVsSeq: [] as number[] };
    let maxAbsDiff = 0;
    let pooledMaxAbsDiff = 0;
    let pooledEqualsSequential = true;
    let nCoalitions = 0;
    const maxDiff = (values: readonly (readonly number[])[], pv: number[]): number => {
      let m = 0;
      values.forEach((v, i) => v.forEach((phi, j) => (m = Math.max(m, Math.abs(phi - (pv[i * FEATURES + j] as number))))));
      return m;
    };
    for (let rep = 0; rep < (QUICK ? 3 : 7); rep++) {
      const t0 = now();
      const e = await explainer.explain(rows);
      const a = now() - t0;
      nCoalitions = e.nCoalitions;
      const r = await py.call(cmd);
      const b = (r.seconds as number) * 1000;
      finml.push(a);
      numpy.push(b);
      ratios.push(b / a);
      maxAbsDiff = Math.max(maxAbsDiff, maxDiff(e.values, r.values as number[]));
      // the finml estimator: this thread, the 2-worker pool, NumPy+torch on 1 and 2 threads
      const t1 = now();
      const seqE = await fittedShap.explain(neuralPredictor, rows);
      const s1 = now() - t1;
      const t2 = now();
      const poolE = await explainRowsWith(pool, fittedShap, neural, rows);
      const p1 = now() - t2;
      pooledEqualsSequential &&= JSON.stringify(poolE.values) === JSON.stringify(seqE.values) && JSON.stringify(poolE.fx) === JSON.stringify(seqE.fx);
      const r1 = await py.call({ ...neuralCmd, threads: 1 });
      const r2 = await py.call({ ...neuralCmd, threads: 2 });
      pooledMaxAbsDiff = Math.max(pooledMaxAbsDiff, maxDiff(poolE.values, r1.values as number[]));
      const n1 = (r1.seconds as number) * 1000;
      const n2 = (r2.seconds as number) * 1000;
      p.seq.push(s1);
      p.pooled.push(p1);
      p.numpy1.push(n1);
      p.numpy2.push(n2);
      p.pooledVsNumpy1.push(n1 / p1);
      p.pooledVsNumpy2.push(n2 / p1);
      p.seqVsNumpy1.push(n1 / s1);
      p.pooledVsSeq.push(s1 / p1);
    }
    const parallelCpuAfter = await parallelCpu();
    const perSec = (ms: number[]): number => roundTo((rows.length * 1000) / median(ms), 2);
    const pooled = {
      model: 'finml neural classifier fnn 20-16-1 (ReLU, sigmoid); same weights in torch',
      threads: { finmlSequential: 1, finmlPooled: '2 worker threads (this thread sends and joins)', numpyTorch: 1, numpyTorch2Threads: '2 (torch.set_num_threads(2); NumPy 1)' },
      finmlSequentialExplainedRowsPerSec: perSec(p.seq),
      finmlPooledExplainedRowsPerSec: perSec(p.pooled),
      numpyTorchExplainedRowsPerSec: perSec(p.numpy1),
      numpyTorch2ThreadsExplainedRowsPerSec: perSec(p.numpy2),
      finmlSequentialVsNumpyTorch: roundTo(median(p.seqVsNumpy1), 2),
      finmlPooledVsNumpyTorch: roundTo(median(p.pooledVsNumpy1), 2),
      finmlPooledVsNumpyTorch2Threads: roundTo(median(p.pooledVsNumpy2), 2),
      pooledSpeedUpVsSequential: roundTo(median(p.pooledVsSeq), 2),
      pooledEqualsSequential,
      maxAbsShapDiff: pooledMaxAbsDiff,
      machine: { parallelCpuBefore, parallelCpuAfter, note: 'pure-JS loop on 2 threads vs twice on 1: ~2 on an idle 2-core machine, ~1 when other processes hold a core' },
    };
    return {
      backend: 'wasm',
      model: 'tfjs dense 20-16-1 (ReLU, sigmoid); same weights in torch',
      explainedRows: rows.length,
      coalitionsPerRow: nCoalitions,
      pythonCoalitions: design.k,
      backgroundRows: explainer.fitted.background.length,
      finmlExplainedRowsPerSec: roundTo((rows.length * 1000) / median(finml), 2),
      numpyTorchExplainedRowsPerSec: roundTo((rows.length * 1000) / median(numpy), 2),
      finmlVsNumpyTorch: roundTo(median(ratios), 2),
      msPerRepetition: { finml: finml.map((v) => Math.round(v)), numpyTorch: numpy.map((v) => Math.round(v)) },
      maxAbsShapDiff: maxAbsDiff,
      threads: { finml: 1, numpyTorch: 1 },
      pooled,
      peer: { ...py.versions, note: 'NumPy KernelSHAP (same masks, weights, background), PyTorch CPU 1 thread (2 where said)' },
    };
  } finally {
    model.dispose();
    neural.dispose();
    await pool.close();
    py.close();
  }
}

/**
 * Permutation importance on wasm, interleaved: a finml neural classifier (20-64-64-1) in this thread
 * (`permutationImportance` with its `asPredictor()`) vs `permutationImportanceWith` on a warmed
 * 2-worker pool (model cached in the workers), 10k rows × (1 + 20 features × 5 repeats) copies;
 * the results are checked bit-identical.
 */
export async function permutationPooled(): Promise<Record<string, unknown>> {
  // --permutation-hidden 16 (say) for another network; default 64-64, the FNN of the training bench
  const arg = process.argv.indexOf('--permutation-hidden');
  const PERMUTATION_HIDDEN = arg >= 0 ? (process.argv[arg + 1] ?? '').split(',').map(Number) : [64, 64];
  await useBackend('wasm');
  ensureChainedOps();
  const n = QUICK ? 2000 : 10_000;
  const { x, y } = makeData(n, 13);
  const neural = await neuralClassifier({ model: { type: 'fnn', hidden: PERMUTATION_HIDDEN }, train: { epochs: 1 }, seed: 3 }).fit(x, y);
  const pool = createWorkerPool({ workers: 2 });
  const opts = { metric: logLoss, greaterIsBetter: false, nRepeats: 5, seed: 1 } as const;
  const t = { thread: [] as number[], pooled: [] as number[] };
  const speedUp: number[] = [];
  let identical = true;
  try {
    await pool.warmUp();
    const parallelCpuBefore = await parallelCpu();
    const predictor = neural.asPredictor();
    // warm-up: both workers restore and cache the model
    await permutationImportance(predictor, x.slice(0, 500), y.slice(0, 500), opts);
    await permutationImportanceWith(pool, neural, x.slice(0, 500), y.slice(0, 500), opts);
    for (let rep = 0; rep < (QUICK ? 2 : 7); rep++) {
      let t0 = now();
      const a = await permutationImportance(predictor, x, y, opts);
      const s1 = now() - t0;
      t0 = now();
      const b = await permutationImportanceWith(pool, neural, x, y, opts);
      const p1 = now() - t0;
      identical &&= JSON.stringify({ ...a, predictorCalls: 0 }) === JSON.stringify({ ...b, predictorCalls: 0 });
      t.thread.push(s1);
      t.pooled.push(p1);
      speedUp.push(s1 / p1);
    }
    const parallelCpuAfter = await parallelCpu();
    const evaluated = n * (1 + FEATURES * opts.nRepeats);
    return {
      rows: n,
      features: FEATURES,
      nRepeats: opts.nRepeats,
      network: `${FEATURES}-${PERMUTATION_HIDDEN.join('-')}-1`,
      threadSeconds: round(median(t.thread) / 1000, 3),
      pooledSeconds: round(median(t.pooled) / 1000, 3),
      threadPredictedRowsPerSec: Math.round((evaluated * 1000) / median(t.thread)),
      pooledPredictedRowsPerSec: Math.round((evaluated * 1000) / median(t.pooled)),
      pooledSpeedUpVsThread: roundTo(median(speedUp), 2),
      pooledSpeedUps: speedUp.map((v) => roundTo(v, 2)),
      pooledEqualsThread: identical,
      machine: { parallelCpuBefore, parallelCpuAfter, note: 'pure-JS loop on 2 threads vs twice on 1: ~2 on an idle 2-core machine, ~1 when other processes hold a core' },
      note: 'wasm: permutationImportance with the classifier\'s asPredictor() in this thread vs permutationImportanceWith on a warmed 2-worker pool (one range of copies per worker: each worker builds and predicts its copies; this thread draws the permutations and scores), interleaved; median of per-repetition ratios',
    };
  } finally {
    neural.dispose();
    await pool.close();
  }
}

/** Runs the explainer benchmarks (wasm vs NumPy+torch, then cpu throughput). */
export async function run(): Promise<Record<string, unknown>> {
  if (process.argv.includes('--permutation-only')) return { permutationPooled: await permutationPooled() };
  const vsTorch = await shapVsTorch();
  const pooledPermutation = await permutationPooled();
  await useBackend('cpu');
  ensureChainedOps();
  const numTensorsStart = tf.memory().numTensors;
  const { x, y } = makeData(2000, 7);
  const background = x.slice(0, 500);
  const cheap = predictorFromFunction(cheapScore);
  const model = tfl.sequential({
    layers: [
      tfl.layers.dense({ inputShape: [FEATURES], units: 16, activation: 'relu', kernelInitializer: tfl.initializers.glorotUniform({ seed: 1 }) }),
      tfl.layers.dense({ units: 1, activation: 'sigmoid', kernelInitializer: tfl.initializers.glorotUniform({ seed: 2 }) }),
    ],
  });
  const dense = layersModelPredictor(model, { batchSize: 4096 });
  const results: Record<string, unknown> = { kernelShapVsNumpyTorch: vsTorch, permutationPooled: pooledPermutation };
  try {
    results.kernelShapCheap = await benchShap(cheap, background, x.slice(500, 520), 'js logistic + interactions');
    results.kernelShapDense = await benchShap(dense, background, x.slice(500, 504), 'tfjs dense 20-16-1 (cpu)');
    // Exact enumeration with 10 grouped players (pairs of columns).
    const groups = Array.from({ length: 10 }, (_, g) => ({ name: `pair${g}`, columns: [2 * g, 2 * g + 1] }));
    const exact = kernelShap(cheap, background, { link: 'logit', backgroundSize: 20, groups });
    await exact.explain(x.slice(500, 501));
    const t0 = now();
    const e = await exact.explain(x.slice(500, 520));
    const ms = now() - t0;
    results.kernelShapExactGroupsCheap = { players: 10, exact: e.exact, coalitionsPerRow: e.nCoalitions, explainedRowsPerSec: round((20 * 1000) / ms, 2) };
    results.permutationCheap = await benchPermutation(cheap, x, y, 'js logistic + interactions');
    results.permutationDense = await benchPermutation(dense, x, y, 'tfjs dense 20-16-1 (cpu)');
    // The adapter's large predict batch against tfjs's default of 32, on the same 20 000 rows.
    const rows = 20000;
    const batch = { rows, cols: FEATURES, data: new Float64Array(rows * FEATURES).map((_, k) => Math.sin(k)) };
    const adapterRowsPerSec: Record<string, number> = {};
    for (const batchSize of [32, 4096]) {
      const pr = layersModelPredictor(model, { batchSize });
      await pr({ rows: 64, cols: FEATURES, data: batch.data.subarray(0, 64 * FEATURES) });
      const t1 = now();
      await pr(batch);
      adapterRowsPerSec[`batch${batchSize}`] = Math.round((rows * 1000) / (now() - t1));
    }
    results.layersModelPredictorRowsPerSec = adapterRowsPerSec;
  } finally {
    model.dispose();
  }
  results.numTensorsStart = numTensorsStart;
  results.numTensorsEnd = tf.memory().numTensors;
  return results;
}

runIfMain(import.meta.url, run);
