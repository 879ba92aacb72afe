import * as tf from '@tensorflow/tfjs-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  DataError,
  DisposedError,
  FINML_TASKS,
  InvalidOptionError,
  WorkerError,
  choice,
  crossValidate,
  explainRowsWith,
  intUniform,
  kernelShap,
  neuralClassifier,
  kFold,
  randomSearch,
  space,
  runTasks,
  sequentialExecutor,
  type NeuralScoreData,
} from '../../src/index';
import { createWorkerPool, type WorkerPool } from '../../src/node/index';
import { tasks as fixtureTasks } from '../fixtures/parallel/poolTasks';
import { expectNoLeak } from '../helpers/leak';

const TASKS = new URL('../fixtures/parallel/poolTasks.ts', import.meta.url);

function neuralData(n: number, c: number): NeuralScoreData {
  const x = { rows: n, cols: c, data: Float64Array.from({ length: n * c }, (_, i) => Math.sin(i * 0.37)) };
  const y = Float64Array.from({ length: n }, (_, i) => (Math.sin(i * 3.7) + Math.cos(i * 0.37 * c) > 0 ? 1 : 0));
  return { x, y, estimator: 'NeuralClassifier', params: { model: { type: 'fnn', hidden: [8] }, train: { epochs: 3, batchSize: 16 }, seed: 7 }, metric: 'rocAuc' };
}

describe('createWorkerPool', () => {
  let pool: WorkerPool;
  beforeAll(() => {
    pool = createWorkerPool({ workers: 2, tasks: TASKS });
  });
  afterAll(async () => {
    await pool.close();
  });

  it('runs tasks on the backend of this thread and returns results in call order', async () => {
    expect(pool.concurrency).toBe(2);
    expect(await runTasks(pool, [1, 2, 3, 4, 5].map((v) => ({ task: 'square', payload: v })))).toEqual([1, 4, 9, 16, 25]);
    expect(await pool.run('backend', null)).toBe(tf.getBackend());
    const payload = { a: Float64Array.of(1.5, -0), b: [Int32Array.of(3)], s: 'x' };
    expect(await pool.run('echo', payload)).toEqual(payload);
    expect(pool.pending).toBe(0);
  });

  it('cross-validation on the pool is bit-identical to the sequential run with the same seed', async () => {
    const data = neuralData(120, 4);
    const folds = kFold(120, { k: 5 });
    const seq = await crossValidate({ task: 'finml.scoreNeural', data }, folds, { executor: sequentialExecutor(FINML_TASKS) });
    const par = await crossValidate({ task: 'finml.scoreNeural', data }, folds, { executor: pool });
    expect(par.scores).toEqual(seq.scores);
    expect(Object.is(par.mean, seq.mean)).toBe(true);
    // A user task gives the same result as in-process too.
    const y = [3, 1, 4, 1, 5, 9, 2, 6];
    const userSeq = await crossValidate({ task: 'meanAbs', data: { y } }, kFold(8, { k: 4 }), { executor: sequentialExecutor(fixtureTasks) });
    const userPar = await crossValidate({ task: 'meanAbs', data: { y } }, kFold(8, { k: 4 }), { executor: pool });
    expect(userPar).toEqual(userSeq);
  });

  it('a random search on the pool is bit-identical to the sequential search', async () => {
    const data = neuralData(90, 3);
    const sp = space({ model: choice([{ type: 'fnn', hidden: [4] }, { type: 'fnn', hidden: [6] }]), seed: intUniform(1, 1000) });
    const opt = { direction: 'maximize' as const, nTrials: 3, seed: 11, cv: kFold(90, { k: 3 }) };
    const seq = await randomSearch(sp, { task: 'finml.scoreNeural', data }, { ...opt, executor: sequentialExecutor(FINML_TASKS) });
    const par = await randomSearch(sp, { task: 'finml.scoreNeural', data }, { ...opt, executor: pool });
    expect(par).toEqual(seq);
    expect(new Set(par.trials.map((t) => t.score)).size).toBeGreaterThan(1);
  });

  it('KernelSHAP row batches on the pool equal explaining all rows in this thread', async () => {
    const d = neuralData(40, 4);
    const rows = Array.from({ length: 40 }, (_, i) => Array.from(d.x.data.subarray(i * 4, i * 4 + 4)));
    const model = await neuralClassifier({ model: { type: 'fnn', hidden: [5] }, train: { epochs: 2 }, seed: 4 }).fit(rows, d.y);
    try {
      const fitted = kernelShap({ backgroundSize: 5, seed: 1 }).fit(rows);
      const ref = await fitted.explain(model.asPredictor(), rows.slice(0, 9));
      const e = await explainRowsWith(pool, fitted, model, rows.slice(0, 9), { batchRows: 2 });
      expect(e.values).toEqual(ref.values);
      expect(e.fx).toEqual(ref.fx);
      expect(e.baseValue).toBe(ref.baseValue);
    } finally {
      model.dispose();
    }
  });

  it('leaks no tensor: none left in this thread, none left in the worker', async () => {
    const data = neuralData(60, 3);
    const folds = kFold(60, { k: 3 });
    await expectNoLeak(() => crossValidate({ task: 'finml.scoreNeural', data }, folds, { executor: pool }), { warmup: false });
    const left = await runTasks(pool, folds.map((fold, foldIndex) => ({ task: 'scoreNeuralLeak', payload: { data, params: undefined, fold, foldIndex } })));
    expect(left).toEqual([0, 0, 0]);
  });

  it("re-throws a task's own error with its class, code and details", async () => {
    const e = await pool.run('dataError', null).catch((x: unknown) => x);
    expect(e).toBeInstanceOf(DataError);
    expect((e as DataError).code).toBe('DATA');
    expect((e as DataError).details).toEqual({ fn: 'myTask', arg: 'x', expected: 'finite values', got: 'NaN at row 3' });
    const t = await pool.run('typeError', null).catch((x: unknown) => x);
    expect(t).toBeInstanceOf(TypeError);
    expect((t as Error).message).toBe('plain type error');
    const u = await pool.run('noSuchTask', null).catch((x: unknown) => x);
    expect(u).toBeInstanceOf(InvalidOptionError);
    expect((u as Error).message).toMatch(/noSuchTask/);
    // An error in the task's data surfaces from crossValidate as the same typed error.
    const bad = { ...neuralData(20, 2), metric: 'mse' };
    await expect(crossValidate({ task: 'finml.scoreNeural', data: bad }, kFold(20, { k: 2 }), { executor: pool })).rejects.toBeInstanceOf(InvalidOptionError);
  });

  it('a worker that exits or throws outside its task rejects that call with WorkerError, and the pool goes on', async () => {
    const results = await Promise.allSettled([pool.run('exit', 7), pool.run('square', 6), pool.run('uncaught', null), pool.run('square', 7)]);
    expect(results[0]?.status).toBe('rejected');
    const exitErr = (results[0] as PromiseRejectedResult).reason as WorkerError;
    expect(exitErr).toBeInstanceOf(WorkerError);
    expect(exitErr.code).toBe('WORKER');
    expect(exitErr.message).toMatch(/exit code 7/);
    const uncaught = (results[2] as PromiseRejectedResult).reason as WorkerError;
    expect(uncaught).toBeInstanceOf(WorkerError);
    expect(uncaught.message).toMatch(/boom outside the task/);
    expect((uncaught.cause as Error).message).toBe('boom outside the task');
    expect(results[1]).toEqual({ status: 'fulfilled', value: 36 });
    expect(results[3]).toEqual({ status: 'fulfilled', value: 49 });
    expect(await pool.run('square', 8)).toBe(64);
  });

  it('a result or payload that cannot be cloned is a typed error, not a hang', async () => {
    const r = await pool.run('unclonable', null).catch((x: unknown) => x);
    expect(r).toBeInstanceOf(Error);
    expect((r as Error).name).toBe('DataCloneError');
    const p = await pool.run('echo', { f: () => 1 }).catch((x: unknown) => x);
    expect(p).toBeInstanceOf(DataError);
    expect(await pool.run('square', 2)).toBe(4);
  });

  it('crossValidate waits for every fold and throws the first failing fold error in fold order', async () => {
    const folds = kFold(8, { k: 4 });
    const objective = { task: 'meanAbs', data: { y: [1, 2, 3, 4, 5, 6, 7, 8] } };
    expect((await crossValidate(objective, folds, { executor: pool })).scores).toHaveLength(4);
    await expect(crossValidate({ task: 'dataError', data: null }, folds, { executor: pool })).rejects.toBeInstanceOf(DataError);
  });
});

describe('createWorkerPool: timeouts, close and options', () => {
  it('stops a task that exceeds timeoutMs with WorkerError, replaces the worker and keeps going', async () => {
    // The timeout measures the task only, not the worker's start-up (loading finml and the backend).
    const pool = createWorkerPool({ workers: 1, tasks: TASKS, timeoutMs: 1500 });
    try {
      expect(await pool.run('square', 3)).toBe(9);
      const t0 = Date.now();
      const e = await pool.run('sleep', 60_000).catch((x: unknown) => x);
      expect(e).toBeInstanceOf(WorkerError);
      expect((e as WorkerError).message).toMatch(/timeoutMs = 1500/);
      expect(Date.now() - t0).toBeLessThan(20_000);
      expect(await pool.run('sleep', 10)).toBe(10); // on a fresh worker
    } finally {
      await pool.close();
    }
  });

  it('close() rejects queued and running calls with WorkerError; later calls reject with DisposedError', async () => {
    const pool = createWorkerPool({ workers: 1, tasks: TASKS });
    expect(await pool.run('square', 2)).toBe(4);
    const running = pool.run('sleep', 60_000).catch((x: unknown) => x);
    const queued = pool.run('square', 3).catch((x: unknown) => x);
    expect(pool.pending).toBe(2);
    await pool.close();
    const [r, q] = await Promise.all([running, queued]);
    expect(r).toBeInstanceOf(WorkerError);
    expect(q).toBeInstanceOf(WorkerError);
    expect((q as Error).message).toMatch(/queued/);
    await expect(pool.run('square', 4)).rejects.toBeInstanceOf(DisposedError);
    await pool.close(); // idempotent
  });

  it('warmUp() starts every worker and settles; it is idempotent, survives a dead worker and rejects after close', async () => {
    const pool = createWorkerPool({ workers: 2, tasks: TASKS });
    try {
      await pool.warmUp();
      await pool.warmUp();
      expect(pool.pending).toBe(0);
      expect(await runTasks(pool, [2, 3].map((v) => ({ task: 'square', payload: v })))).toEqual([4, 9]);
      await expect(pool.run('exit', 3)).rejects.toBeInstanceOf(WorkerError);
      await pool.warmUp(); // replaces the dead worker
      expect(await pool.run('backend', null)).toBe(tf.getBackend());
    } finally {
      await pool.close();
    }
    await expect(pool.warmUp()).rejects.toBeInstanceOf(DisposedError);
    const closing = createWorkerPool({ workers: 2, tasks: TASKS });
    const warming = closing.warmUp();
    await closing.close();
    await expect(warming).resolves.toBeUndefined(); // no hung promise
  });

  it('warmUp({ jit: true }) runs one warm-up fit on every new worker: no tensor kept, results unchanged', async () => {
    const data = neuralData(100, 3);
    const folds = kFold(100, { k: 4 });
    const seq = await crossValidate({ task: 'finml.scoreNeural', data }, folds, { executor: sequentialExecutor(FINML_TASKS) });
    const cold = createWorkerPool({ workers: 1, tasks: TASKS });
    const warm = createWorkerPool({ workers: 2, tasks: TASKS });
    try {
      await cold.warmUp();
      await expect(warm.warmUp({ jit: 1 } as never)).rejects.toBeInstanceOf(InvalidOptionError);
      await expect(warm.warmUp({ fit: true } as never)).rejects.toBeInstanceOf(InvalidOptionError);
      await expect(warm.warmUp(null as never)).rejects.toBeInstanceOf(InvalidOptionError);
      // two concurrent calls: the second too waits for the warm-up fits the first started; no tensor here
      await expectNoLeak(
        async () => {
          const w1 = warm.warmUp({ jit: true });
          await warm.warmUp({ jit: true });
          expect(warm.pending).toBe(0);
          await w1;
        },
        { warmup: false },
      );
      // a cold worker has made a handful of tensors; each warmed worker has fitted a network
      const coldIds = await cold.run('nextTensorId', null);
      const warmIds = (await runTasks(warm, [0, 1].map(() => ({ task: 'nextTensorId', payload: null })))) as number[];
      expect(coldIds).toBeLessThan(100);
      for (const id of warmIds) expect(id).toBeGreaterThan(1000);
      expect(await runTasks(warm, [0, 1].map(() => ({ task: 'finml.numTensors', payload: null })))).toEqual([0, 0]);
      // already warm (and used): warmUp({ jit: true }) again runs nothing more
      const before = (await runTasks(warm, [0, 1].map(() => ({ task: 'nextTensorId', payload: null })))) as number[];
      await warm.warmUp({ jit: true });
      const after = (await runTasks(warm, [0, 1].map(() => ({ task: 'nextTensorId', payload: null })))) as number[];
      expect(Math.max(...after) - Math.max(...before)).toBeLessThan(10);
      const par = await crossValidate({ task: 'finml.scoreNeural', data }, folds, { executor: warm });
      expect(par.scores).toEqual(seq.scores);
    } finally {
      await Promise.all([cold.close(), warm.close()]);
    }
  });

  it('validates its options', () => {
    expect(() => createWorkerPool({ workers: 0 })).toThrow(InvalidOptionError);
    expect(() => createWorkerPool({ workers: 1.5 })).toThrow(InvalidOptionError);
    expect(() => createWorkerPool({ timeoutMs: -1 })).toThrow(InvalidOptionError);
    expect(() => createWorkerPool({ tasks: 3 as unknown as string })).toThrow(InvalidOptionError);
  });

  it('defaults to one worker per available core', async () => {
    const { availableParallelism } = await import('node:os');
    const pool = createWorkerPool();
    expect(pool.concurrency).toBe(availableParallelism());
    await pool.close();
  });

  it('runs more workers than cores when asked (one per fold), bit-identical', async () => {
    const { availableParallelism } = await import('node:os');
    const data = neuralData(60, 2);
    const folds = kFold(60, { k: availableParallelism() + 1 });
    const seq = await crossValidate({ task: 'finml.scoreNeural', data }, folds, { executor: sequentialExecutor(FINML_TASKS) });
    const pool = createWorkerPool({ workers: folds.length, tasks: TASKS });
    try {
      expect(pool.concurrency).toBe(folds.length);
      const par = await crossValidate({ task: 'finml.scoreNeural', data }, folds, { executor: pool });
      expect(par.scores).toEqual(seq.scores);
    } finally {
      await pool.close();
    }
  });
});
