/**
 * A worker-thread pool implementing finml's {@link Executor}: independent fits (cross-validation
 * folds, search trials, walk-forward folds, KernelSHAP row batches) run on every core.
 *
 * @module
 */
import { createRequire } from 'node:module';
import { availableParallelism } from 'node:os';
import { pathToFileURL } from 'node:url';
import { Worker, type ResourceLimits } from 'node:worker_threads';
import type { BackendName } from '../core/backend';
import { DisposedError, InvalidOptionError, WorkerError, describeValue } from '../core/errors';
import type { Executor } from '../core/executor';
import type { PoolWorkerInit } from './_internal/poolWorker';
import type { PoolWarmUpOptions } from '../parallel/webWorkerPool';
import { createTaskQueue, currentBackendAmong, resolvePoolLimits, type Job, type Reply, type Slot } from '../parallel/_internal/taskQueue';

/**
 * Options of {@link createWorkerPool}.
 *
 * @example
 * ```ts
 * import { type WorkerPoolOptions } from 'finml/node';
 * const o: WorkerPoolOptions = { workers: 2, tasks: new URL('./myTasks.js', import.meta.url), timeoutMs: 600_000 };
 * ```
 * @category Node
 */
export interface WorkerPoolOptions {
  /** Number of worker threads. @defaultValue `os.availableParallelism()` (the cores this process may use) */
  readonly workers?: number;
  /**
   * Your task module (path or URL): it must export `tasks`, a `TaskRegistry` (or export it as
   * default). finml's built-in tasks (`FINML_TASKS`) are always there. A `.ts` module is loaded
   * through `tsx` when it is installed.
   */
  readonly tasks?: string | URL;
  /**
   * The tfjs backend every worker activates with `useBackend` before its first task.
   * @defaultValue this thread's current backend (`tf.getBackend()`); `null` leaves the worker's default
   */
  readonly backend?: BackendName | null;
  /** A task running longer than this (ms, counted from when its worker is ready) is stopped: its worker is terminated and the call rejects with WorkerError. @defaultValue no limit */
  readonly timeoutMs?: number;
  /** Node's per-worker memory limits (`maxOldGenerationSizeMb`, ...): a worker that exceeds them is stopped and its call rejects with WorkerError. */
  readonly resourceLimits?: ResourceLimits;
}

/**
 * A pool of worker threads: an {@link Executor} whose `concurrency` is its worker count.
 *
 * @example
 * ```ts
 * import { createWorkerPool, type WorkerPool } from 'finml/node';
 * const pool: WorkerPool = createWorkerPool({ workers: 2 });
 * pool.concurrency; //=> 2
 * await pool.close();
 * ```
 * @category Node
 */
export interface WorkerPool extends Executor {
  /** Calls queued or running. */
  readonly pending: number;
  /**
   * Starts every worker now (instead of on the first calls) and resolves once each has loaded
   * finml, activated the backend and loaded the task module (or has stopped, or the pool was
   * closed meanwhile). Call it while you load your data, so that the first `crossValidate` or
   * search does not wait for worker start-up (about 1 s per worker with the wasm backend);
   * calling it again starts replacements for workers that stopped. With `{ jit: true }`, each new
   * worker then also runs a small neural fit (see {@link PoolWarmUpOptions.jit}), so that its
   * first folds do not run at the speed of code V8 has not optimised yet; `warmUp` resolves once
   * those fits are done (a warm-up fit that fails is not reported here: the worker's next call is).
   *
   * @param options - `jit` (default false).
   * @returns a promise that settles when every worker is ready or stopped (and warmed up).
   * @throws {DisposedError} (rejects) after `close`.
   * @throws {InvalidOptionError} (rejects) for options other than `{ jit?: boolean }`.
   * @example
   * ```ts
   * import { createWorkerPool } from 'finml/node';
   * const pool = createWorkerPool({ workers: 2 });
   * const warming = pool.warmUp({ jit: true }); // in the background while the data loads
   * // ... read the data ...
   * await warming;
   * await pool.close();
   * ```
   */
  warmUp(options?: PoolWarmUpOptions): Promise<void>;
}

/** The bootstrap every worker runs: registers tsx when a `.ts` module must be loaded, then imports the worker entry. */
const BOOTSTRAP = `
const { workerData } = require('node:worker_threads');
(async () => {
  if (workerData.tsx !== null) (await import(workerData.tsx)).register();
  await import(workerData.entry);
})().catch((e) => { setImmediate(() => { throw e; }); });
`;

/** This module's URL (the CJS build gets it from tsup's import.meta.url shim). */
function moduleUrl(): string {
  return import.meta.url;
}

const isTs = (href: string): boolean => /\.[cm]?ts$/.test(href);

/** The file URL of tsx's ESM API, or null when tsx is not installed. */
function findTsx(from: string): string | null {
  for (const base of [from, pathToFileURL(`${process.cwd()}/`).href]) {
    try {
      // The package.json's "import" condition of tsx/esm/api (require.resolve gives the CJS build).
      const req = createRequire(base);
      const pkgPath = req.resolve('tsx/package.json');
      const pkg = req(pkgPath) as { exports?: Record<string, { import?: { default?: string } }> };
      const rel = pkg.exports?.['./esm/api']?.import?.default;
      if (typeof rel === 'string') return new URL(rel, pathToFileURL(pkgPath)).href;
    } catch {
      // try the next base
    }
  }
  return null;
}

/** A worker thread of the pool. */
interface ThreadSlot extends Slot<Worker> {
  lastError: unknown;
}

/**
 * Creates a pool of worker threads that runs finml tasks (and yours) in parallel. Pass it as
 * `executor` to `crossValidate`, the searches or `explainRowsWith`; close it when done.
 *
 * Workers start lazily (on the first calls, or all at once with `pool.warmUp()`), activate the
 * same backend as this thread, and load finml plus your `tasks` module. Idle workers do not keep the process alive. A worker that
 * crashes, exits, runs out of memory or exceeds `timeoutMs` rejects its call with a
 * {@link WorkerError} (cause: the worker's error) and is replaced for the next calls; an error
 * thrown by the task itself rejects with that error, re-created with its class, code and details.
 * Results are what the same task returns in this thread: finml's models are seeded from their
 * params, so a parallel run is bit-identical to a sequential one on the same backend.
 *
 * @param options - `workers` (default: available cores), `tasks` (your task module), `backend`, `timeoutMs`, `resourceLimits`.
 * @returns the pool.
 * @throws {InvalidOptionError} for a non-positive or non-integer `workers`, a bad `timeoutMs`, or a
 *   `.ts` task module without tsx installed. `run` rejects with {@link DisposedError} after `close`,
 *   with InvalidOptionError for an unknown task name, with DataError for a payload that cannot be
 *   cloned, and with WorkerError as above.
 * @example
 * ```ts
 * import { crossValidate, kFold } from 'finml';
 * import { createWorkerPool } from 'finml/node';
 * const x = { rows: 40, cols: 2, data: Float64Array.from({ length: 80 }, (_, i) => Math.sin(i)) };
 * const y = Float64Array.from({ length: 40 }, (_, i) => (Math.sin(2 * i) > 0 ? 1 : 0));
 * const pool = createWorkerPool({ workers: 2 });
 * try {
 *   await pool.warmUp({ jit: true }); // optional: start both workers now and warm them up (e.g. while loading data)
 *   const data = { x, y, estimator: 'NeuralClassifier' as const, params: { model: { type: 'fnn' as const, hidden: [8] }, train: { epochs: 5 }, seed: 1 }, metric: 'rocAuc' as const };
 *   const r = await crossValidate({ task: 'finml.scoreNeural', data }, kFold(40, { k: 5 }), { executor: pool });
 *   r.scores.length; //=> 5
 * } finally {
 *   await pool.close();
 * }
 * ```
 * @category Node
 */
export function createWorkerPool(options: WorkerPoolOptions = {}): WorkerPool {
  const fn = 'createWorkerPool';
  if (typeof options !== 'object' || options === null) {
    throw new InvalidOptionError({ fn, arg: 'options', expected: 'an options object', got: describeValue(options) });
  }
  const { size, timeoutMs } = resolvePoolLimits(fn, options.workers, availableParallelism(), options.timeoutMs);
  const tasksOpt = options.tasks;
  if (tasksOpt !== undefined && typeof tasksOpt !== 'string' && !(tasksOpt instanceof URL)) {
    throw new InvalidOptionError({ fn, arg: 'tasks', expected: 'a module path or URL', got: describeValue(tasksOpt) });
  }
  const tasksHref =
    tasksOpt === undefined ? null : tasksOpt instanceof URL ? tasksOpt.href : /^[a-z][a-z0-9+.-]*:/i.test(tasksOpt) ? tasksOpt : pathToFileURL(tasksOpt).href;
  const backend: BackendName | null = options.backend !== undefined ? options.backend : currentBackendAmong<BackendName>(['cpu', 'wasm', 'tensorflow']);

  const here = moduleUrl();
  const entry = isTs(here) ? new URL('./_internal/poolWorker.ts', here).href : new URL('./poolWorker.js', here).href;
  const tsx = isTs(entry) || (tasksHref !== null && isTs(tasksHref)) ? findTsx(here) : null;
  if (tsx === null && (isTs(entry) || (tasksHref !== null && isTs(tasksHref)))) {
    throw new InvalidOptionError({ fn, arg: 'tasks', expected: 'a JavaScript module, or tsx installed to load a TypeScript one', got: describeValue(tasksHref) });
  }
  const init: PoolWorkerInit = { backend, tasks: tasksHref };

  const stoppedError = (slot: ThreadSlot, job: Job, code: number): WorkerError => {
    const why = slot.lastError instanceof Error ? `: ${slot.lastError.message}` : '';
    return new WorkerError(
      `workerPool.run: worker ${slot.index} stopped (exit code ${code}) while running task '${job.task}'${why}. The call was not completed; the pool replaces the worker for later calls.`,
      { fn: 'workerPool.run', arg: 'task', expected: 'a worker that completes the task', got: `exit code ${code}` },
      slot.lastError === undefined ? undefined : { cause: slot.lastError },
    );
  };

  const startThread = (index: number): ThreadSlot => {
    const worker = new Worker(BOOTSTRAP, {
      eval: true,
      workerData: { init, entry, tsx },
      ...(options.resourceLimits !== undefined ? { resourceLimits: options.resourceLimits } : {}),
    });
    const slot: ThreadSlot = { worker, index, job: null, timer: null, ready: false, dead: false, lastError: undefined };
    worker.unref();
    worker.on('message', (reply: Reply) => q.receive(slot, reply));
    worker.on('messageerror', (e: unknown) => {
      slot.lastError = e;
      q.kill(slot, new WorkerError(`workerPool.run: the result of task '${slot.job?.task ?? '?'}' could not be received from worker ${slot.index}.`, { fn: 'workerPool.run', arg: 'task', expected: 'a structured-cloneable result', got: 'a message that failed to deserialize' }, { cause: e }));
    });
    worker.on('error', (e: unknown) => {
      slot.lastError = e;
    });
    worker.on('exit', (code: number) => {
      const job = q.finish(slot);
      slot.dead = true;
      if (job !== null) job.reject(stoppedError(slot, job, code));
      q.forget(slot);
    });
    return slot;
  };

  const q = createTaskQueue<Worker, ThreadSlot>({
    name: 'workerPool',
    size,
    timeoutMs,
    spawn: startThread,
    terminate: (worker) => worker.terminate().then(() => undefined),
    post: (worker, message, transfer) => worker.postMessage(message, transfer),
    busy: (slot) => slot.worker.ref(),
    idle: (slot) => slot.worker.unref(),
  });

  return Object.freeze({
    concurrency: size,
    get pending(): number {
      return q.pending();
    },
    run: q.run,
    warmUp: q.warmUp,
    close: q.close,
  });
}
