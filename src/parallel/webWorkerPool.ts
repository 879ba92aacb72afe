/**
 * A pool of Web Workers implementing finml's {@link Executor} (the browser's counterpart of
 * `createWorkerPool` from `finml/node`), and the worker side that serves tasks inside a worker.
 *
 * @module
 */
import { useBackend, type BackendName } from '../core/backend';
import { DisposedError, InvalidOptionError, WorkerError, describeValue } from '../core/errors';
import { checkRegistry, lookupTask, type Executor, type TaskRegistry } from '../core/executor';
import { serializeError } from './_internal/taskErrors';
import { enableTaskCache } from './_internal/modelCache';
import { createTaskQueue, currentBackendAmong, resolvePoolLimits, type Reply, type Slot, type TaskMessage } from './_internal/taskQueue';
import { FINML_TASKS } from './tasks';

/**
 * What the pool needs of a worker: a browser `Worker` fits (so does anything with the same
 * `postMessage`, `addEventListener` and `terminate`).
 *
 * @example
 * ```ts
 * import { type WorkerLike } from 'finml';
 * const make = (): WorkerLike => new Worker(new URL('./finmlWorker.js', import.meta.url), { type: 'module' });
 * ```
 * @category Core
 */
export interface WorkerLike {
  /** Sends a message to the worker, moving the `transfer` buffers. */
  postMessage(message: unknown, transfer: Transferable[]): void;
  /** Listens for the worker's replies (`message`), undecodable replies (`messageerror`) and uncaught errors (`error`). */
  addEventListener(type: 'message' | 'messageerror' | 'error', listener: (event: Event) => void): void;
  /** Stops the worker at once. */
  terminate(): void;
}

/**
 * Options of {@link createWebWorkerPool}.
 *
 * @example
 * ```ts
 * import { type WebWorkerPoolOptions } from 'finml';
 * const o: WebWorkerPoolOptions = { createWorker: () => new Worker(new URL('./finmlWorker.js', import.meta.url), { type: 'module' }), workers: 2 };
 * ```
 * @category Core
 */
export interface WebWorkerPoolOptions {
  /**
   * Starts one worker. Its script must call {@link serveWorkerTasks} (the URL depends on your
   * bundler, so the pool does not guess it).
   */
  readonly createWorker: () => WorkerLike;
  /** Number of workers. @defaultValue `navigator.hardwareConcurrency` (1 when unknown) */
  readonly workers?: number;
  /**
   * The tfjs backend every worker activates with `useBackend` before its first task.
   * @defaultValue this thread's backend when it is 'cpu', 'wasm' or 'webgl'; otherwise `null` (the worker's default)
   */
  readonly backend?: BackendName | null;
  /** A task running longer than this (ms, counted from when its worker is ready) is stopped: its worker is terminated and the call rejects with WorkerError. @defaultValue no limit */
  readonly timeoutMs?: number;
}

/**
 * Options of a pool's `warmUp`: {@link WebWorkerPool.warmUp}, and `WorkerPool.warmUp` of
 * `createWorkerPool` (finml/node).
 *
 * @example
 * ```ts
 * import { type PoolWarmUpOptions } from 'finml';
 * const o: PoolWarmUpOptions = { jit: true };
 * ```
 * @category Core
 */
export interface PoolWarmUpOptions {
  /**
   * Also run one small neural fit (the built-in task `'finml.warmUp'`: 64 Adam steps of an FNN on
   * 256 synthetic rows, then a prediction; about 0.1-0.3 s on wasm) in every started worker that
   * has not run a call yet. The first folds in a thread run up to 3x slower than later ones while
   * V8 compiles and optimises tfjs and finml there; the warm-up fit pays most of that in advance,
   * so use it before neural fits (crossValidate, searches with `'finml.scoreNeural'`), ideally
   * while this thread loads the data. It changes no result (every finml model is seeded from its
   * params) and keeps no tensor. A worker busy with a call is not warmed (the call warms it).
   * @defaultValue false
   */
  readonly jit?: boolean;
}

/**
 * A pool of Web Workers: an {@link Executor} whose `concurrency` is its worker count.
 *
 * @example
 * ```ts
 * import { createWebWorkerPool, type WebWorkerPool } from 'finml';
 * const pool: WebWorkerPool = createWebWorkerPool({ createWorker: () => new Worker(new URL('./finmlWorker.js', import.meta.url), { type: 'module' }), workers: 2 });
 * pool.concurrency; //=> 2
 * await pool.close();
 * ```
 * @category Core
 */
export interface WebWorkerPool extends Executor {
  /** Calls queued or running. */
  readonly pending: number;
  /**
   * Starts every worker now (instead of on the first calls) and resolves once each has activated
   * the backend and is ready for tasks (it has answered the pool's init: its script called
   * {@link serveWorkerTasks}). Call it while you load your data, so that the first
   * `crossValidate` or search does not wait for the workers to load finml and the backend (wasm:
   * fetching and compiling its binary). Resolves as well when a worker fails to start (its
   * script throws or cannot be loaded: the failure shows in the next call, which gets a new
   * worker) or the pool is closed meanwhile; calling it again starts replacements for workers
   * that stopped. A worker whose script never calls `serveWorkerTasks` never becomes ready:
   * `warmUp` then waits for it as a call would. With `{ jit: true }`, each new worker then also
   * runs a small neural fit (see {@link PoolWarmUpOptions.jit}) and `warmUp` resolves once those
   * fits are done (a warm-up fit that fails is not reported here: the worker's next call is).
   *
   * @param options - `jit` (default false).
   * @returns a promise that settles when every worker is ready or stopped (and warmed up).
   * @throws {DisposedError} (rejects) after `close`.
   * @throws {InvalidOptionError} (rejects) for options other than `{ jit?: boolean }`.
   * @throws {WorkerError} (rejects) when `createWorker` throws.
   * @example
   * ```ts
   * import { createWebWorkerPool } from 'finml';
   * const pool = createWebWorkerPool({ createWorker: () => new Worker(new URL('./finmlWorker.js', import.meta.url), { type: 'module' }), workers: 2 });
   * const warming = pool.warmUp({ jit: true }); // both workers load finml and the backend, then run a small fit
   * // ... fetch and parse the data meanwhile ...
   * await warming;
   * await pool.close();
   * ```
   */
  warmUp(options?: PoolWarmUpOptions): Promise<void>;
}

/** The first message to a worker. */
interface InitMessage {
  readonly init: { readonly backend: BackendName | null };
}
const isReply = (v: unknown): v is Reply => typeof v === 'object' && v !== null && ('ready' in v || 'id' in v);

/**
 * Creates a pool of Web Workers that runs finml tasks (and yours) in parallel in a browser. Pass it
 * as `executor` to `crossValidate`, the searches or `explainRowsWith`; close it when done.
 *
 * Each worker runs a script of yours that calls {@link serveWorkerTasks} (with your own tasks, if
 * any); `createWorker` starts one. Workers start lazily (on the first calls, or all at once with
 * `pool.warmUp()`) and activate the `backend` before their first task. An error thrown by a task rejects its call with that error,
 * re-created with its class, code and details. A worker that fails (an uncaught error, a message
 * that cannot be received) or runs longer than `timeoutMs` rejects its call with a
 * {@link WorkerError} and is terminated and replaced for the next calls. A browser may stop a
 * worker without any event (e.g. out of memory): set `timeoutMs` so that such a call cannot hang.
 * Results are what the same task returns in this thread (finml's models are seeded from their
 * params), so a parallel run is bit-identical to a sequential one on the same backend.
 *
 * @param options - `createWorker` (required), `workers`, `backend`, `timeoutMs`.
 * @returns the pool.
 * @throws {InvalidOptionError} for a missing `createWorker`, a non-positive or non-integer
 *   `workers`, or a bad `timeoutMs`. `run` rejects with {@link DisposedError} after `close`, with
 *   InvalidOptionError for an unknown task name, with DataError for a payload that cannot be
 *   cloned, and with WorkerError as above.
 * @example
 * ```ts
 * import { createWebWorkerPool, crossValidate, kFold } from 'finml';
 * // finmlWorker.js: import { serveWorkerTasks } from 'finml'; serveWorkerTasks();
 * const pool = createWebWorkerPool({ createWorker: () => new Worker(new URL('./finmlWorker.js', import.meta.url), { type: 'module' }) });
 * const warming = pool.warmUp(); // optional: start every worker now, while the data loads
 * const x = { rows: 40, cols: 2, data: Float64Array.from({ length: 80 }, (_, i) => Math.sin(i)) };
 * const y = Float64Array.from({ length: 40 }, (_, i) => (Math.sin(2 * i) > 0 ? 1 : 0));
 * try {
 *   await warming;
 *   const data = { x, y, estimator: 'NeuralClassifier' as const, params: { model: { type: 'fnn' as const, hidden: [8] }, train: { epochs: 5 }, seed: 1 }, metric: 'rocAuc' as const };
 *   const r = await crossValidate({ task: 'finml.scoreNeural', data }, kFold(40, { k: 5 }), { executor: pool });
 *   r.scores.length; //=> 5
 * } finally {
 *   await pool.close();
 * }
 * ```
 * @category Core
 */
export function createWebWorkerPool(options: WebWorkerPoolOptions): WebWorkerPool {
  const fn = 'createWebWorkerPool';
  if (typeof options !== 'object' || options === null || typeof options.createWorker !== 'function') {
    throw new InvalidOptionError({ fn, arg: 'options.createWorker', expected: 'a function starting one Worker whose script calls serveWorkerTasks()', got: describeValue(options === null || typeof options !== 'object' ? options : options.createWorker) });
  }
  const nav = (globalThis as { navigator?: { hardwareConcurrency?: unknown } }).navigator;
  const cores = typeof nav?.hardwareConcurrency === 'number' && nav.hardwareConcurrency >= 1 ? Math.floor(nav.hardwareConcurrency) : 1;
  const { size, timeoutMs } = resolvePoolLimits(fn, options.workers, cores, options.timeoutMs);
  const backend: BackendName | null = options.backend !== undefined ? options.backend : currentBackendAmong<BackendName>(['cpu', 'wasm', 'webgl']);
  const createWorker = options.createWorker;

  const failed = (slot: Slot<WorkerLike>, what: string, got: string, cause: unknown): WorkerError =>
    new WorkerError(
      `webWorkerPool.run: worker ${slot.index} ${what} while running task '${slot.job?.task ?? '?'}'. The call was not completed; the pool replaces the worker for later calls.`,
      { fn: 'webWorkerPool.run', arg: 'task', expected: 'a worker that completes the task', got },
      cause === undefined ? undefined : { cause },
    );

  const startWorker = (index: number): Slot<WorkerLike> => {
    const worker = createWorker();
    const slot: Slot<WorkerLike> = { worker, index, job: null, timer: null, ready: false, dead: false };
    worker.addEventListener('message', (event: Event) => {
      const reply = (event as MessageEvent).data as unknown;
      if (slot.dead || !isReply(reply)) return;
      q.receive(slot, reply);
    });
    worker.addEventListener('messageerror', (event: Event) => {
      q.kill(slot, failed(slot, 'sent a message that could not be received', 'a message that failed to deserialize', event));
    });
    worker.addEventListener('error', (event: Event) => {
      // handled here (the call rejects with WorkerError), so not reported again in the page
      if (typeof event.preventDefault === 'function') event.preventDefault();
      const e = event as ErrorEvent;
      const cause: unknown = e.error ?? (typeof e.message === 'string' && e.message !== '' ? new Error(e.message) : undefined);
      const msg = cause instanceof Error ? cause.message : 'an error event';
      q.kill(slot, failed(slot, `failed (${msg})`, `an uncaught error in the worker: ${msg}`, cause));
    });
    try {
      const init: InitMessage = { init: { backend } };
      worker.postMessage(init, []);
    } catch (e) {
      slot.dead = true;
      throw e;
    }
    return slot;
  };

  const q = createTaskQueue<WorkerLike, Slot<WorkerLike>>({
    name: 'webWorkerPool',
    size,
    timeoutMs,
    spawn: startWorker,
    spawnFailed: (e) =>
      new WorkerError(`webWorkerPool.run: createWorker() failed: ${e instanceof Error ? e.message : describeValue(e)}`, { fn: 'webWorkerPool.run', arg: 'createWorker', expected: 'a function starting one Worker', got: 'an error' }, { cause: e }),
    terminate: (worker) => {
      try {
        worker.terminate();
      } catch {
        // already gone
      }
    },
    post: (worker, message, transfer) => worker.postMessage(message, transfer),
    // a browser gives no exit event: forget a killed worker at once
    killed: (slot) => q.forget(slot),
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

/**
 * The scope a worker script talks through: `self` in a Web Worker (the default), or anything with
 * the same `postMessage` and `addEventListener('message', ...)`.
 *
 * @example
 * ```ts
 * import { type WorkerScope } from 'finml';
 * const scope = globalThis as unknown as WorkerScope; // `self` inside a Web Worker
 * ```
 * @category Core
 */
export interface WorkerScope {
  /** Sends a reply to the pool. */
  postMessage(message: unknown): void;
  /** Listens for the pool's requests. */
  addEventListener(type: 'message', listener: (event: { readonly data: unknown }) => void): void;
}

/**
 * Options of {@link serveWorkerTasks}.
 *
 * @example
 * ```ts
 * import { type ServeWorkerTasksOptions } from 'finml';
 * const o: ServeWorkerTasksOptions = { tasks: { square: (p) => (p as number) ** 2 } };
 * ```
 * @category Core
 */
export interface ServeWorkerTasksOptions {
  /** Your tasks, served beside finml's built-in ones (`FINML_TASKS`); names must not start with `'finml.'`. @defaultValue none */
  readonly tasks?: TaskRegistry;
  /** Where messages come from and go to. @defaultValue `globalThis` (the worker's `self`) */
  readonly scope?: WorkerScope;
}

/**
 * The worker side of {@link createWebWorkerPool}: call it once in the worker script. It activates
 * the backend the pool asks for, then answers each task request, one at a time, with the task's
 * result or its error (sent as data and re-created with its class in the caller).
 *
 * @param options - `tasks` (your registry) and `scope` (default: the worker's global scope).
 * @returns nothing; the worker keeps serving until the pool terminates it.
 * @throws {InvalidOptionError} for a registry that is not `{ name: function }` or uses a `'finml.'` name.
 * @example
 * ```ts
 * // finmlWorker.ts, started by createWebWorkerPool({ createWorker: () => new Worker(new URL('./finmlWorker.js', import.meta.url), { type: 'module' }) })
 * import { serveWorkerTasks } from 'finml';
 * serveWorkerTasks({ tasks: { square: (p) => (p as number) ** 2 } });
 * ```
 * @category Core
 */
export function serveWorkerTasks(options: ServeWorkerTasksOptions = {}): void {
  const fn = 'serveWorkerTasks';
  if (typeof options !== 'object' || options === null) {
    throw new InvalidOptionError({ fn, arg: 'options', expected: 'an options object { tasks?, scope? }', got: describeValue(options) });
  }
  let registry: TaskRegistry = FINML_TASKS;
  if (options.tasks !== undefined) {
    checkRegistry(fn, 'tasks', options.tasks);
    const clash = Object.keys(options.tasks).find((k) => k.startsWith('finml.'));
    if (clash !== undefined) {
      throw new InvalidOptionError({ fn, arg: 'tasks', expected: "task names that do not start with 'finml.' (reserved for built-in tasks)", got: describeValue(clash) });
    }
    registry = Object.freeze({ ...FINML_TASKS, ...options.tasks });
  }
  const scope = options.scope ?? (globalThis as unknown as WorkerScope);
  if (typeof scope !== 'object' || scope === null || typeof scope.postMessage !== 'function' || typeof scope.addEventListener !== 'function') {
    throw new InvalidOptionError({ fn, arg: 'scope', expected: 'a worker scope with postMessage and addEventListener (call serveWorkerTasks inside a Web Worker)', got: describeValue(scope) });
  }
  enableTaskCache(); // restored models are kept for the next calls (see modelCache)
  let ready: Promise<void> | null = null;
  // One task at a time, in arrival order (as a worker thread of the Node pool).
  let tail: Promise<void> = Promise.resolve();
  scope.addEventListener('message', (event) => {
    const msg = event.data as Partial<InitMessage & TaskMessage> | null;
    if (typeof msg !== 'object' || msg === null) return;
    if (msg.init !== undefined && ready === null) {
      const b = msg.init.backend;
      // An init failure is reported to every task (the pool sees it as the task's error).
      ready = b === null ? Promise.resolve() : useBackend(b).then(() => undefined);
      ready.then(
        () => scope.postMessage({ ready: true }),
        () => scope.postMessage({ ready: true }),
      );
      return;
    }
    if (typeof msg.id !== 'number') return;
    const id = msg.id;
    const init = ready ?? Promise.resolve();
    tail = tail.then(async () => {
      try {
        await init;
        const f = lookupTask(registry, msg.task, 'webWorkerPool.run');
        if (f instanceof Error) throw f;
        const value = await f(msg.payload);
        scope.postMessage({ id, ok: true, value });
      } catch (e) {
        try {
          scope.postMessage({ id, ok: false, error: serializeError(e) });
        } catch (e2) {
          scope.postMessage({ id, ok: false, error: serializeError(e2) });
        }
      }
    });
  });
}
