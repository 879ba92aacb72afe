/**
 * createWebWorkerPool in the page: 5-fold CV of a small neural classifier on 2 Web Workers (wasm)
 * vs the same CV in the page, a worker that fails, and the tensor count of the page.
 */
import * as tf from '@tensorflow/tfjs-core';
import { crossValidate, kFold, type NeuralScoreData } from '../../src/index';
import { createWebWorkerPool } from '../../src/parallel/webWorkerPool';

export interface PoolScenarioResult {
  readonly sequential: readonly number[];
  readonly pool: readonly number[];
  readonly workerBackend: unknown;
  readonly crash: string;
  readonly afterCrash: unknown;
  readonly tensorsBefore: number;
  readonly tensorsAfter: number;
  /** Workers created by `warmUp()`, and in all after the CV (the CV starts none). */
  readonly workersAfterWarmUp: number;
  readonly workersAfterCv: number;
  /** Live tensors in each worker after the warm-up fits. */
  readonly workerTensors: readonly unknown[];
}

export async function runPoolScenario(workerUrl: string): Promise<PoolScenarioResult> {
  const n = 120;
  const c = 4;
  const x = { rows: n, cols: c, data: Float64Array.from({ length: n * c }, (_, i) => Math.sin(i * 0.37)) };
  const y = Float64Array.from({ length: n }, (_, i) => (Math.sin(i * 3.7) + Math.cos(i * 0.37 * c) > 0 ? 1 : 0));
  const data: NeuralScoreData = { x, y, estimator: 'NeuralClassifier', params: { model: { type: 'fnn', hidden: [8] }, train: { epochs: 3, batchSize: 16 }, seed: 7 }, metric: 'rocAuc' };
  const folds = kFold(n, { k: 5 });
  const tensorsBefore = tf.memory().numTensors;
  const sequential = await crossValidate({ task: 'finml.scoreNeural', data }, folds);
  let created = 0;
  const pool = createWebWorkerPool({
    workers: 2,
    createWorker: () => {
      created++;
      return new Worker(workerUrl, { type: 'module' });
    },
  });
  try {
    // start both workers and run the warm-up fit in each (wasm in a real Web Worker)
    await pool.warmUp({ jit: true });
    const workersAfterWarmUp = created;
    const workerTensors = await Promise.all([0, 1].map(() => pool.run('finml.numTensors', null)));
    const par = await crossValidate({ task: 'finml.scoreNeural', data }, folds, { executor: pool });
    const workersAfterCv = created;
    const workerBackend = await pool.run('backend', null);
    let crash = 'no error';
    try {
      await pool.run('uncaught', null);
    } catch (e) {
      crash = e instanceof Error ? e.name : String(e);
    }
    const afterCrash = await pool.run('square', 3);
    return { sequential: sequential.scores, pool: par.scores, workerBackend, crash, afterCrash, tensorsBefore, tensorsAfter: tf.memory().numTensors, workersAfterWarmUp, workersAfterCv, workerTensors };
  } finally {
    await pool.close();
  }
}
