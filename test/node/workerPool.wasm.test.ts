/**
 * Runs on cpu and on wasm (the backend of the speed figures): workers activate this thread's
 * backend, and a cross-validation and a KernelSHAP run on the pool are bit-identical to the
 * sequential ones.
 */
import * as tf from '@tensorflow/tfjs-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FINML_TASKS, crossValidate, explainRowsWith, kFold, kernelShap, neuralRegressor, sequentialExecutor, type NeuralScoreData } from '../../src/index';
import { createWorkerPool, type WorkerPool } from '../../src/node/index';

const TASKS = new URL('../fixtures/parallel/poolTasks.ts', import.meta.url);

describe(`worker pool (${tf.getBackend()} at collection; this thread's backend at run time)`, () => {
  let pool: WorkerPool;
  beforeAll(() => {
    pool = createWorkerPool({ workers: 2, tasks: TASKS });
  });
  afterAll(async () => {
    await pool.close();
  });

  it("runs on this thread's backend and gives bit-identical CV scores and SHAP values", async () => {
    expect(await pool.run('backend', null)).toBe(tf.getBackend());
    const n = 100;
    const c = 5;
    const x = Float64Array.from({ length: n * c }, (_, i) => Math.sin(i * 0.61));
    const y = Float64Array.from({ length: n }, (_, r) => x[r * c]! - 0.5 * x[r * c + 1]! + 0.1 * Math.cos(r));
    const data: NeuralScoreData = { x: { rows: n, cols: c, data: x }, y, estimator: 'NeuralRegressor', params: { model: { type: 'fnn', hidden: [16, 8] }, train: { epochs: 4, batchSize: 16 }, seed: 5 }, metric: 'rmse' };
    const folds = kFold(n, { k: 5, shuffle: true, seed: 2 });
    const seq = await crossValidate({ task: 'finml.scoreNeural', data }, folds, { executor: sequentialExecutor(FINML_TASKS) });
    const par = await crossValidate({ task: 'finml.scoreNeural', data }, folds, { executor: pool });
    expect(par.scores).toEqual(seq.scores);

    const rows = Array.from({ length: n }, (_, i) => Array.from(x.subarray(i * c, (i + 1) * c)));
    const model = await neuralRegressor(data.params).fit(rows, y);
    try {
      const fitted = kernelShap({ backgroundSize: 8, seed: 3 }).fit(rows);
      const ref = await fitted.explain(model.asPredictor(), rows.slice(0, 10));
      const e = await explainRowsWith(pool, fitted, model, rows.slice(0, 10));
      expect(e.values).toEqual(ref.values);
      expect(e.fx).toEqual(ref.fx);
    } finally {
      model.dispose();
    }
  });
});
