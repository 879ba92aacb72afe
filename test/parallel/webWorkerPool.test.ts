/**
 * createWebWorkerPool / serveWorkerTasks, driven in Node: each "Web Worker" is a worker thread
 * behind a small adapter with the browser Worker's postMessage / addEventListener / terminate, and
 * its script emulates the worker scope over parentPort (test/fixtures/parallel/webWorkerScript.ts).
 */
import * as tf from '@tensorflow/tfjs-core';
import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  DataError,
  DisposedError,
  FINML_TASKS,
  InvalidOptionError,
  WorkerError,
  crossValidate,
  kFold,
  runTasks,
  sequentialExecutor,
  type NeuralScoreData,
} from '../../src/index';
import { createWebWorkerPool, serveWorkerTasks, type WebWorkerPool, type WorkerLike } from '../../src/parallel/webWorkerPool';
import { expectNoLeak } from '../helpers/leak';

const SCRIPT = new URL('../fixtures/parallel/webWorkerScript.ts', import.meta.url).href;

/** tsx's ESM API (to load the .ts worker script in a worker thread). */
function tsxApi(): string {
  const req = createRequire(import.meta.url);
  const pkgPath = req.resolve('tsx/package.json');
  const pkg = req(pkgPath) as { exports: Record<string, { import: { default: string } }> };
  return new URL(pkg.exports['./esm/api']?.import.default as string, pathToFileURL(pkgPath)).href;
}
const TSX = tsxApi();
const BOOT = `const { workerData } = require('node:worker_threads');
(async () => { (await import(workerData.tsx)).register(); await import(workerData.entry); })().catch((e) => { setImmediate(() => { throw e; }); });`;

/** A worker thread seen through the browser Worker's interface. */
class ThreadWorker implements WorkerLike {
  private readonly w = new Worker(BOOT, { eval: true, workerData: { tsx: TSX, entry: SCRIPT } });
  static started = 0;
  /** Workers that have told the pool they are ready. */
  static ready = 0;
  constructor() {
    ThreadWorker.started++;
    this.w.on('message', (m: unknown) => {
      if (typeof m === 'object' && m !== null && 'ready' in m) ThreadWorker.ready++;
    });
  }
  postMessage(message: unknown, transfer: Transferable[]): void {
    this.w.postMessage(message, transfer as ArrayBuffer[]);
  }
  addEventListener(type: 'message' | 'messageerror' | 'error', listener: (event: Event) => void): void {
    if (type === 'message') this.w.on('message', (data: unknown) => listener({ data } as MessageEvent));
    else if (type === 'messageerror') this.w.on('messageerror', (e: unknown) => listener({ error: e } as unknown as Event));
    else this.w.on('error', (e: Error) => listener({ error: e, message: e.message } as unknown as Event));
  }
  terminate(): void {
    void this.w.terminate();
  }
}

/** A worker whose script cannot be loaded: the browser fires an error event and never a reply. */
class FailingWorker implements WorkerLike {
  private readonly listeners: Array<(event: Event) => void> = [];
  constructor() {
    setTimeout(() => {
      for (const l of this.listeners) l({ message: 'failed to fetch the script' } as unknown as Event);
    }, 5);
  }
  postMessage(): void {
    // the script never loaded: nothing receives it
  }
  addEventListener(type: 'message' | 'messageerror' | 'error', listener: (event: Event) => void): void {
    if (type === 'error') this.listeners.push(listener);
  }
  terminate(): void {
    this.listeners.length = 0;
  }
}

function neuralData(n: number, c: number): NeuralScoreData {
  const x = { rows: n, cols: c, data: Float64Array.from({ length: n * c }, (_, i) => Math.sin(i * 0.37)) };
  const y = Float64Array.from({ length: n }, (_, i) => (Math.sin(i * 3.7) + Math.cos(i * 0.37 * c) > 0 ? 1 : 0));
  return { x, y, estimator: 'NeuralClassifier', params: { model: { type: 'fnn', hidden: [8] }, train: { epochs: 3, batchSize: 16 }, seed: 7 }, metric: 'rocAuc' };
}

describe('createWebWorkerPool (Web Worker executor)', () => {
  let pool: WebWorkerPool;
  beforeAll(() => {
    pool = createWebWorkerPool({ workers: 2, createWorker: () => new ThreadWorker() });
  });
  afterAll(async () => {
    await pool.close();
  });

  it('runs tasks on the backend of this thread, results in call order', async () => {
    expect(pool.concurrency).toBe(2);
    expect(await runTasks(pool, [1, 2, 3, 4, 5].map((v) => ({ task: 'square', payload: v })))).toEqual([1, 4, 9, 16, 25]);
    expect(await pool.run('backend', null)).toBe(tf.getBackend());
    const payload = { a: Float64Array.of(1.5, -0), b: [Int32Array.of(3)], s: 'x' };
    expect(await pool.run('echo', payload)).toEqual(payload);
    expect(pool.pending).toBe(0);
  });

  it('cross-validation on the pool is bit-identical to the sequential run, without leaks here', async () => {
    const data = neuralData(120, 4);
    const folds = kFold(120, { k: 5 });
    const seq = await crossValidate({ task: 'finml.scoreNeural', data }, folds, { executor: sequentialExecutor(FINML_TASKS) });
    await expectNoLeak(async () => {
      const par = await crossValidate({ task: 'finml.scoreNeural', data }, folds, { executor: pool });
      expect(par.scores).toEqual(seq.scores);
      expect(Object.is(par.mean, seq.mean)).toBe(true);
    });
    // the worker's own tensors are freed too
    expect(await pool.run('scoreNeuralLeak', { data, params: undefined, fold: folds[0], foldIndex: 0 })).toBe(0);
  });

  it("a task's error comes back with its class; unknown tasks and unclonable results are typed errors", async () => {
    await expect(pool.run('dataError', null)).rejects.toBeInstanceOf(DataError);
    await expect(pool.run('typeError', null)).rejects.toBeInstanceOf(TypeError);
    await expect(pool.run('nope', null)).rejects.toBeInstanceOf(InvalidOptionError);
    await expect(pool.run('unclonable', null)).rejects.toThrow();
    await expect(pool.run('echo', { f: () => 1 })).rejects.toBeInstanceOf(DataError);
    expect(await pool.run('square', 3)).toBe(9);
  });

  it('a worker that fails or times out rejects with WorkerError and is replaced; nothing hangs', async () => {
    const started = ThreadWorker.started;
    await expect(pool.run('uncaught', null)).rejects.toBeInstanceOf(WorkerError);
    expect(await pool.run('square', 4)).toBe(16);
    const timed = createWebWorkerPool({ workers: 1, createWorker: () => new ThreadWorker(), timeoutMs: 300 });
    try {
      await expect(timed.run('sleep', 60_000)).rejects.toBeInstanceOf(WorkerError);
      expect(await timed.run('sleep', 5)).toBe(5);
    } finally {
      await timed.close();
    }
    expect(ThreadWorker.started).toBeGreaterThan(started);
  });

  it('close() rejects running and queued calls with WorkerError, later calls with DisposedError', async () => {
    const p = createWebWorkerPool({ workers: 1, createWorker: () => new ThreadWorker() });
    const running = p.run('sleep', 60_000);
    const queued = p.run('square', 2);
    await p.close();
    await expect(running).rejects.toBeInstanceOf(WorkerError);
    await expect(queued).rejects.toBeInstanceOf(WorkerError);
    await expect(p.run('square', 2)).rejects.toBeInstanceOf(DisposedError);
    const broken = createWebWorkerPool({
      workers: 1,
      createWorker: () => {
        throw new Error('no worker script');
      },
    });
    await expect(broken.run('square', 2)).rejects.toBeInstanceOf(WorkerError);
    await broken.close();
  });

  it('warmUp() starts every worker and settles once each is ready; idempotent, replaces dead workers, rejects after close', async () => {
    const started = ThreadWorker.started;
    const ready = ThreadWorker.ready;
    const p = createWebWorkerPool({ workers: 2, createWorker: () => new ThreadWorker() });
    try {
      await p.warmUp();
      expect(ThreadWorker.started - started).toBe(2);
      expect(ThreadWorker.ready - ready).toBe(2); // settled only once both answered ready
      expect(p.pending).toBe(0);
      await p.warmUp(); // nothing more to start
      expect(ThreadWorker.started - started).toBe(2);
      // both workers are ready: the calls run on them, none is started
      expect(await runTasks(p, [2, 3].map((v) => ({ task: 'square', payload: v })))).toEqual([4, 9]);
      expect(ThreadWorker.started - started).toBe(2);
      await expect(p.run('uncaught', null)).rejects.toBeInstanceOf(WorkerError);
      await p.warmUp(); // replaces the failed worker
      expect(ThreadWorker.started - started).toBe(3);
      expect(await p.run('backend', null)).toBe(tf.getBackend());
    } finally {
      await p.close();
    }
    await expect(p.warmUp()).rejects.toBeInstanceOf(DisposedError);
    // closing while warming up settles the warm-up (no hung promise)
    const closing = createWebWorkerPool({ workers: 2, createWorker: () => new ThreadWorker() });
    const warming = closing.warmUp();
    await closing.close();
    await expect(warming).resolves.toBeUndefined();
    // a worker whose script fails to load settles the warm-up; the next call gets a new worker
    let n = 0;
    const flaky = createWebWorkerPool({ workers: 1, createWorker: () => (n++ === 0 ? new FailingWorker() : new ThreadWorker()) });
    try {
      await flaky.warmUp();
      expect(await flaky.run('square', 5)).toBe(25);
      expect(n).toBe(2);
    } finally {
      await flaky.close();
    }
    // createWorker itself throws: a typed rejection
    const broken = createWebWorkerPool({
      workers: 1,
      createWorker: () => {
        throw new Error('no worker script');
      },
    });
    await expect(broken.warmUp()).rejects.toBeInstanceOf(WorkerError);
    await broken.close();
  });

  it('warmUp({ jit: true }) runs one warm-up fit on every new worker; bad options are typed errors', async () => {
    const p = createWebWorkerPool({ workers: 2, createWorker: () => new ThreadWorker() });
    try {
      await expect(p.warmUp({ jit: 'yes' } as never)).rejects.toBeInstanceOf(InvalidOptionError);
      await p.warmUp({ jit: true });
      const ids = (await runTasks(p, [0, 1].map(() => ({ task: 'nextTensorId', payload: null })))) as number[];
      for (const id of ids) expect(id).toBeGreaterThan(1000);
      expect(await runTasks(p, [0, 1].map(() => ({ task: 'finml.numTensors', payload: null })))).toEqual([0, 0]);
    } finally {
      await p.close();
    }
  });

  it('validates its options and the worker side', () => {
    expect(() => createWebWorkerPool({} as never)).toThrow(InvalidOptionError);
    expect(() => createWebWorkerPool({ createWorker: () => new ThreadWorker(), workers: 0 })).toThrow(InvalidOptionError);
    expect(() => createWebWorkerPool({ createWorker: () => new ThreadWorker(), timeoutMs: -1 })).toThrow(InvalidOptionError);
    const scope = { postMessage: (): void => undefined, addEventListener: (): void => undefined };
    expect(() => serveWorkerTasks({ tasks: { 'finml.mine': () => 1 }, scope })).toThrow(InvalidOptionError);
    expect(() => serveWorkerTasks({ tasks: { bad: 1 } as never, scope })).toThrow(InvalidOptionError);
    // Node's global scope is no worker scope
    expect(() => serveWorkerTasks()).toThrow(InvalidOptionError);
  });
});
