/**
 * predictRowsWith and explainRowsWith on a worker pool (cpu and wasm: the workers run this
 * thread's backend): bit-identical to predicting in this thread, the models cached per worker
 * leak nothing and can be released, and a worker that dies is a typed error.
 */
import * as tf from '@tensorflow/tfjs-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WorkerError, buildRiskModel, explainRowsWith, kernelShap, neuralClassifier, neuralRegressor, permutationImportance, permutationImportanceWith, predictRowsWith, runTasks, type Table } from '../../src/index';
import { createWorkerPool, type WorkerPool } from '../../src/node/index';
import { expectNoLeak } from '../helpers/leak';

const TASKS = new URL('./_cacheTasks.ts', import.meta.url);
const rowsOf = (n: number, c: number): number[][] => Array.from({ length: n }, (_, i) => Array.from({ length: c }, (_, j) => Math.sin((i * c + j) * 0.37) * 3));

/** One call per worker at once (an idle pool gives each worker one). */
const eachWorker = (pool: WorkerPool, task: string): Promise<number[]> => runTasks(pool, Array.from({ length: pool.concurrency }, () => ({ task, payload: null }))) as Promise<number[]>;

describe(`predictRowsWith on a worker pool (${tf.getBackend()} at collection)`, () => {
  let pool: WorkerPool;
  beforeAll(async () => {
    pool = createWorkerPool({ workers: 2, tasks: TASKS });
    await pool.warmUp();
  });
  afterAll(async () => {
    await pool.close();
  });

  it('is bit-identical to predict in this thread, for a dense chain and a recurrent model', async () => {
    const x = rowsOf(9000, 6);
    const y = x.map((r) => (r[0]! * r[1]! > 0 ? 3 : r[2]! > 0 ? 1 : 2));
    const multi = await neuralClassifier({ model: { type: 'fnn', hidden: [16, 8] }, train: { epochs: 1, batchSize: 256 }, seed: 2 }).fit(x, y);
    const windows = Array.from({ length: 300 }, (_, i) => Array.from({ length: 4 }, (_, s) => [Math.sin(i + s), Math.cos(0.3 * i * s)]));
    const gru = await neuralRegressor({ model: { type: 'rnn', cell: 'gru', units: [3] }, train: { epochs: 1 }, seed: 5 }).fit(windows, windows.map((w) => w[3]![0]!));
    try {
      const dense = { rows: x.length, cols: 6, data: Float64Array.from(x.flat()) };
      const refLabels = multi.predict(x);
      const refProba = multi.predictProba(x);
      expect(new Set(refLabels).size).toBeGreaterThan(1);
      // shares of one and of several 4096-row inference batches
      for (const opts of [{}, { local: false }, { batchRows: 1234, local: false }, { batchRows: 5000 }]) {
        expect(Array.from(await predictRowsWith(pool, multi, dense, opts))).toEqual(Array.from(refLabels));
        expect(Array.from(await predictRowsWith(pool, multi, x, { ...opts, method: 'predictProba' }))).toEqual(Array.from(refProba));
        expect(Array.from(await predictRowsWith(pool, gru, windows.map((w) => w.flat()), opts))).toEqual(Array.from(gru.predict(windows)));
      }
      // the caller's float32 rows are copied, not moved
      const f32 = { rows: x.length, cols: 6, data: Float32Array.from(x.flat()) };
      expect(Array.from(await predictRowsWith(pool, multi, f32, { method: 'predictProba', local: false }))).toEqual(Array.from(refProba));
      expect(f32.data.length).toBe(x.length * 6);
    } finally {
      multi.dispose();
      gru.dispose();
    }
  });

  it('keeps restored models per worker without leaking: numTensors stays exact, clearModelCache releases them', async () => {
    const x = rowsOf(400, 5);
    const y = x.map((r) => r[0]! - r[1]!);
    const baseline = await eachWorker(pool, 'finml.numTensors');
    await eachWorker(pool, 'finml.clearModelCache');
    const rawBefore = await eachWorker(pool, 'rawTensors');
    const models = await Promise.all([1, 2, 3].map((seed) => neuralRegressor({ model: { type: 'fnn', hidden: [4] }, train: { epochs: 1 }, seed }).fit(x, y)));
    try {
      await expectNoLeak(async () => {
        for (const m of models) await predictRowsWith(pool, m, x, { batchRows: 200, local: false });
      });
      // the second round restored nothing new: every worker already had all three models
      expect(await eachWorker(pool, 'finml.numTensors')).toEqual(baseline);
      const raw = await eachWorker(pool, 'rawTensors');
      raw.forEach((r, i) => expect(r).toBeGreaterThan(rawBefore[i]!));
      // a SHAP run shares the cache and leaks nothing either
      const fitted = kernelShap({ backgroundSize: 4, seed: 1 }).fit(x);
      await expectNoLeak(() => explainRowsWith(pool, fitted, models[0]!, x.slice(0, 4)));
      expect(await eachWorker(pool, 'finml.numTensors')).toEqual(baseline);
      const cleared = await eachWorker(pool, 'finml.clearModelCache');
      expect(cleared.every((c) => c >= 3)).toBe(true);
      expect(await eachWorker(pool, 'rawTensors')).toEqual(rawBefore);
    } finally {
      for (const m of models) m.dispose();
    }
  });

  it('the cache is bounded: least recently used models are evicted and disposed', async () => {
    const x = rowsOf(50, 3);
    const y = x.map((r) => r[0]!);
    await eachWorker(pool, 'finml.clearModelCache');
    const rawBefore = await eachWorker(pool, 'rawTensors');
    const models = await Promise.all(Array.from({ length: 11 }, (_, seed) => neuralRegressor({ model: { type: 'fnn', hidden: [3] }, train: { epochs: 1 }, seed }).fit(x, y)));
    try {
      // one worker at a time (the other sleeps), so that one worker sees all 11 models
      for (const m of models) {
        const [, p] = await Promise.all([pool.run('sleep', 30), predictRowsWith({ concurrency: 1, run: pool.run, close: pool.close }, m, x, { local: false })]);
        expect(Array.from(p)).toEqual(Array.from(m.predict(x)));
      }
      const raw = await eachWorker(pool, 'rawTensors');
      const cleared = await eachWorker(pool, 'finml.clearModelCache');
      // the busy-waiting worker saw none, the other all 11 and kept 8 (the capacity)
      expect([...cleared].sort()).toEqual([0, 8]);
      expect(await eachWorker(pool, 'rawTensors')).toEqual(rawBefore);
      raw.forEach((r, i) => expect(r).toBeGreaterThanOrEqual(rawBefore[i]!));
    } finally {
      for (const m of models) m.dispose();
    }
  });

  it('pools a risk model: restored once per worker, bit-identical to score, nothing leaked', async () => {
    const n = 600;
    const idx = Array.from({ length: n }, (_, i) => i);
    const amount = Float64Array.from(idx, (i) => ((i * 37) % 101) * 10 + Math.sin(i));
    const age = Float64Array.from(idx, (i) => 20 + ((i * 13) % 41));
    const table: Table = {
      nRows: n,
      columns: [
        { kind: 'numeric', name: 'amount', values: amount },
        { kind: 'numeric', name: 'age', values: age },
        { kind: 'categorical', name: 'housing', values: idx.map((i) => (i % 3 === 0 ? 'rent' : 'own')) },
        { kind: 'categorical', name: 'Class', values: idx.map((i) => ((amount[i]! > 500) === (age[i]! > 40) ? 'Bad' : 'Good')) },
      ],
    };
    const baseline = await eachWorker(pool, 'finml.numTensors');
    const risk = await buildRiskModel(table, { target: 'Class', members: 2, epochs: 20, hidden: [8], seed: 2, backgroundSize: 5 });
    try {
      expect(risk.combiner.networkWeight).toBeGreaterThan(0);
      const ref = risk.score(table);
      await expectNoLeak(async () => {
        for (const opts of [{}, { local: true }, { batchRows: 250 }]) expect(Array.from(await predictRowsWith(pool, risk, table, opts))).toEqual(Array.from(ref));
      });
      expect(await eachWorker(pool, 'finml.numTensors')).toEqual(baseline);
    } finally {
      risk.dispose();
    }
  });

  it('permutationImportanceWith on the pool is bit-identical to permutationImportance in this thread', async () => {
    const x = rowsOf(2000, 6);
    const y = x.map((r) => (r[0]! * r[1]! > 0 ? 1 : 0));
    const model = await neuralClassifier({ model: { type: 'fnn', hidden: [16] }, train: { epochs: 1, batchSize: 256 }, seed: 4 }).fit(x, y);
    const brier = (t: Float64Array, p: Float64Array): number => t.reduce((s, v, i) => s + (v - p[i]!) ** 2, 0) / t.length;
    try {
      const opts = { metric: brier, greaterIsBetter: false, nRepeats: 2, seed: 9, maxBatchRows: 5000 };
      const ref = await permutationImportance((b) => model.predictProba(b), x, y, opts);
      const baseline = await eachWorker(pool, 'finml.numTensors');
      await expectNoLeak(async () => {
        const got = await permutationImportanceWith(pool, model, x, y, opts);
        expect({ ...got, predictorCalls: 0 }).toEqual({ ...ref, predictorCalls: 0 });
        expect(got.importancesMean.some((v) => v !== 0)).toBe(true);
      });
      expect(await eachWorker(pool, 'finml.numTensors')).toEqual(baseline);
    } finally {
      model.dispose();
    }
  });

  it('a worker that dies during a share rejects with WorkerError; the pool goes on', async () => {
    const strict = createWorkerPool({ workers: 1, timeoutMs: 5 });
    const x = rowsOf(60_000, 8);
    const model = await neuralRegressor({ model: { type: 'fnn', hidden: [32] }, train: { epochs: 1, batchSize: 4096 }, seed: 1 }).fit(x.slice(0, 100), x.slice(0, 100).map((r) => r[0]!));
    try {
      await strict.warmUp();
      const before = tf.memory().numTensors;
      // several shares: the worker's timer runs while this thread waits (it cannot while this thread predicts its own share)
      const e = await predictRowsWith(strict, model, x, { local: true, batchRows: 15_000 }).catch((err: unknown) => err);
      expect(e).toBeInstanceOf(WorkerError);
      expect((e as WorkerError).code).toBe('WORKER');
      expect(tf.memory().numTensors).toBe(before);
      expect(Array.from(await predictRowsWith(pool, model, x.slice(0, 10), { local: false }))).toEqual(Array.from(model.predict(x.slice(0, 10))));
    } finally {
      model.dispose();
      await strict.close();
    }
  });
});
