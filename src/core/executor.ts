/**
 * The executor interface: how finml runs independent pieces of work (cross-validation folds,
 * search trials, walk-forward folds, KernelSHAP row batches) one after another or in parallel.
 *
 * Work is named, not passed as a closure: a closure cannot cross into another thread. A *task* is
 * a function registered under a name in a {@link TaskRegistry}; a call is `executor.run(name,
 * payload)` with a structured-cloneable payload (plain objects, arrays, numbers, strings, typed
 * arrays). The same registry runs in-process with {@link sequentialExecutor}, or in worker threads
 * with `createWorkerPool` from `finml/node`, which loads the registry module in every worker.
 * Because a task gets nothing but its payload, and every finml model is seeded from its params, a
 * parallel run returns exactly what a sequential one does.
 *
 * Any object with `concurrency`, `run` and `close` is an executor: wrap your own pool (piscina, a
 * Web Worker pool, a job queue) to use it with `crossValidate`, the searches and `explainRowsWith`.
 *
 * @module
 */
import { DisposedError, InvalidOptionError, describeValue } from './errors';

/**
 * A task: a named function of one structured-cloneable payload. It may be async; its result must
 * be structured-cloneable too (it is sent back from the worker).
 *
 * @example
 * ```ts
 * import { type TaskFn } from 'finml';
 * const double: TaskFn = (payload) => 2 * (payload as number);
 * ```
 * @category Core
 */
export type TaskFn = (payload: unknown) => unknown;

/**
 * Task name → task function. Register your own tasks in a module that exports such a registry as
 * `tasks`, so that `createWorkerPool({ tasks: moduleUrl })` can load it in every worker.
 *
 * @example
 * ```ts
 * import { type TaskRegistry } from 'finml';
 * const tasks: TaskRegistry = { square: (p) => (p as number) ** 2 }; // export it from your task module
 * ```
 * @category Core
 */
export type TaskRegistry = Readonly<Record<string, TaskFn>>;

/**
 * Per-call options of {@link Executor.run}.
 *
 * @example
 * ```ts
 * import { type RunTaskOptions } from 'finml';
 * const x = new Float64Array(1000);
 * const o: RunTaskOptions = { transfer: [x.buffer] }; // moved to the worker, not copied
 * ```
 * @category Core
 */
export interface RunTaskOptions {
  /** ArrayBuffers inside the payload to move to the worker instead of copying (they become unusable here). Ignored in-process. */
  readonly transfer?: readonly ArrayBuffer[];
}

/**
 * Runs named tasks, possibly several at a time. finml's parallel entry points only need this.
 *
 * Contract: `run` settles for every call (no hung promise): with the task's result, with the error
 * the task threw (same class, code and details as in-process), or with a {@link WorkerError} when
 * the worker died, was terminated, timed out or the executor was closed. `close` settles every
 * pending call and releases the workers; later `run` calls reject with {@link DisposedError}.
 *
 * @example
 * ```ts
 * import { sequentialExecutor, type Executor } from 'finml';
 * const ex: Executor = sequentialExecutor({ add: (p) => (p as number[])[0]! + (p as number[])[1]! });
 * await ex.run('add', [1, 2]); //=> 3
 * await ex.close();
 * ```
 * @category Core
 */
export interface Executor {
  /** How many tasks run at the same time (1 for {@link sequentialExecutor}; the worker count for a pool). */
  readonly concurrency: number;
  /** Runs task `task` on `payload`; resolves with its result. */
  run(task: string, payload: unknown, options?: RunTaskOptions): Promise<unknown>;
  /** Stops the executor: pending calls reject with a WorkerError, workers are terminated. */
  close(): Promise<void>;
}

/**
 * One call of {@link runTasks}.
 *
 * @example
 * ```ts
 * import { type TaskCall } from 'finml';
 * const call: TaskCall = { task: 'square', payload: 3 };
 * ```
 * @category Core
 */
export interface TaskCall {
  /** Registered task name. */
  readonly task: string;
  /** Its payload (structured-cloneable). */
  readonly payload: unknown;
  /** See {@link RunTaskOptions.transfer}. */
  readonly transfer?: readonly ArrayBuffer[];
}

/**
 * An executor that runs tasks in this thread, one at a time, in call order: the reference a
 * parallel executor must match, and the default of finml's entry points.
 *
 * @param tasks - The task registry (e.g. `{ ...FINML_TASKS, ...myTasks }`).
 * @returns an {@link Executor} with `concurrency` 1.
 * @throws {InvalidOptionError} when `tasks` is not an object of functions; `run` rejects with
 *   InvalidOptionError for an unknown task name and with {@link DisposedError} after `close`.
 * @example
 * ```ts
 * import { sequentialExecutor } from 'finml';
 * const ex = sequentialExecutor({ square: (p) => (p as number) ** 2 });
 * await Promise.all([ex.run('square', 2), ex.run('square', 3)]); //=> [4, 9]
 * await ex.close();
 * ```
 * @category Core
 */
export function sequentialExecutor(tasks: TaskRegistry): Executor {
  checkRegistry('sequentialExecutor', 'tasks', tasks);
  const registry: TaskRegistry = Object.freeze({ ...tasks });
  let tail: Promise<unknown> = Promise.resolve();
  let closed = false;
  const run = (task: string, payload: unknown): Promise<unknown> => {
    if (closed) return Promise.reject(new DisposedError('sequentialExecutor.run', 'executor'));
    const f = lookupTask(registry, task, 'sequentialExecutor.run');
    if (f instanceof Error) return Promise.reject(f);
    const p = tail.then(() => f(payload));
    tail = p.then(
      () => undefined,
      () => undefined,
    );
    return p;
  };
  const close = async (): Promise<void> => {
    closed = true;
    await tail;
  };
  return Object.freeze({ concurrency: 1, run, close });
}

/**
 * Runs calls on an executor and returns their results in call order, like a sequential loop would.
 * Every call is awaited before returning (nothing keeps running in the background); if any failed,
 * the error of the first failing call in call order is thrown (the one a sequential loop hits).
 *
 * @param executor - Any {@link Executor}.
 * @param calls - The calls, in order.
 * @returns the results, in call order.
 * @throws {InvalidOptionError} when `executor` is not an Executor; otherwise the first call's error, see above.
 * @example
 * ```ts
 * import { runTasks, sequentialExecutor } from 'finml';
 * const ex = sequentialExecutor({ square: (p) => (p as number) ** 2 });
 * await runTasks(ex, [1, 2, 3].map((v) => ({ task: 'square', payload: v }))); //=> [1, 4, 9]
 * ```
 * @category Core
 */
export async function runTasks(executor: Executor, calls: readonly TaskCall[]): Promise<unknown[]> {
  checkExecutor('runTasks', 'executor', executor);
  const settled = await Promise.allSettled(
    calls.map((c) => executor.run(c.task, c.payload, c.transfer === undefined ? undefined : { transfer: c.transfer })),
  );
  const out: unknown[] = [];
  for (const s of settled) {
    if (s.status === 'rejected') throw s.reason;
    out.push(s.value);
  }
  return out;
}

/**
 * Checks that a value implements {@link Executor} (`concurrency` ≥ 1, `run`, `close`).
 *
 * @param fn - Caller name for the error.
 * @param arg - Argument name for the error.
 * @param v - The value.
 * @throws {InvalidOptionError} when it does not.
 * @example
 * ```ts
 * import { sequentialExecutor } from 'finml';
 * import { checkExecutor } from 'finml/extend';
 * checkExecutor('myFn', 'executor', sequentialExecutor({})); // ok
 * checkExecutor('myFn', 'executor', {}); // throws InvalidOptionError
 * ```
 * @category Core
 */
export function checkExecutor(fn: string, arg: string, v: unknown): asserts v is Executor {
  const e = v as Partial<Executor> | null;
  if (
    typeof e !== 'object' ||
    e === null ||
    typeof e.run !== 'function' ||
    typeof e.close !== 'function' ||
    typeof e.concurrency !== 'number' ||
    !Number.isInteger(e.concurrency) ||
    e.concurrency < 1
  ) {
    throw new InvalidOptionError({ fn, arg, expected: 'an Executor { concurrency: integer >= 1; run(task, payload); close() } (e.g. sequentialExecutor or createWorkerPool)', got: describeValue(v) });
  }
}

/** Validates a registry object (plain object of functions). @internal */
export function checkRegistry(fn: string, arg: string, tasks: unknown): asserts tasks is TaskRegistry {
  if (typeof tasks !== 'object' || tasks === null || Array.isArray(tasks)) {
    throw new InvalidOptionError({ fn, arg, expected: 'a task registry { name: (payload) => result }', got: describeValue(tasks) });
  }
  for (const [k, f] of Object.entries(tasks)) {
    if (typeof f !== 'function') {
      throw new InvalidOptionError({ fn, arg: `${arg}.${k}`, expected: 'a task function (payload) => result', got: describeValue(f) });
    }
  }
}

/** The task function of `name`, or the InvalidOptionError to reject with. @internal */
export function lookupTask(registry: TaskRegistry, name: unknown, fn: string): TaskFn | InvalidOptionError {
  const f = typeof name === 'string' && Object.prototype.hasOwnProperty.call(registry, name) ? registry[name] : undefined;
  if (f === undefined) {
    const known = Object.keys(registry);
    return new InvalidOptionError({
      fn,
      arg: 'task',
      expected: `a registered task name (${known.length === 0 ? 'none registered' : known.map((k) => `'${k}'`).join(', ')})`,
      got: describeValue(name),
    });
  }
  return f;
}
