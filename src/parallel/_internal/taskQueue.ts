/**
 * The scheduling core shared by the Node worker-thread pool (`createWorkerPool`, finml/node) and
 * the Web Worker pool (`createWebWorkerPool`): the call queue, one call per worker, lazy start up
 * to `size` workers, per-call timeouts that start once the worker is ready, replies matched by id,
 * and closing. Each pool supplies only what differs: how a worker starts, receives a message,
 * stops, and (Node) keeps the process alive while busy.
 *
 * @module
 */
import * as tf from '@tensorflow/tfjs-core';
import { DataError, DisposedError, InvalidOptionError, WorkerError, describeValue } from '../../core/errors';
import type { RunTaskOptions } from '../../core/executor';
import { deserializeError, type SerializedError } from './taskErrors';

/** One queued or running call. */
export interface Job {
  readonly id: number;
  readonly task: string;
  readonly payload: unknown;
  readonly transfer: readonly ArrayBuffer[];
  readonly resolve: (v: unknown) => void;
  readonly reject: (e: unknown) => void;
}

/** A task request as a worker receives it. */
export interface TaskMessage {
  readonly id: number;
  readonly task: string;
  readonly payload: unknown;
}

/** What a worker sends back: ready after start-up, then one reply per call. */
export type Reply = { readonly ready: true } | { readonly id: number; readonly ok: true; readonly value: unknown } | { readonly id: number; readonly ok: false; readonly error: SerializedError };

/** One worker and the call it runs (pools extend it with their own fields). */
export interface Slot<W> {
  readonly worker: W;
  readonly index: number;
  job: Job | null;
  timer: ReturnType<typeof setTimeout> | null;
  /** True once the worker has answered `{ ready: true }`. */
  ready: boolean;
  dead: boolean;
}

/** What a pool tells the core about its workers. */
export interface PoolDriver<W, S extends Slot<W>> {
  /** `'workerPool'` or `'webWorkerPool'`: the prefix of error messages (`<name>.run`). */
  readonly name: string;
  /** The most workers alive at once. */
  readonly size: number;
  readonly timeoutMs: number | null;
  /** Starts a worker as slot `index` (listeners attached); may throw. */
  spawn(index: number): S;
  /** Error for a call whose worker could not be started; without it, the start error is thrown. */
  spawnFailed?(error: unknown): WorkerError;
  /** Stops a worker (called once per worker the core stops). */
  terminate(worker: W): void | Promise<void>;
  /** Posts a task request (throws when the payload cannot be cloned). */
  post(worker: W, message: TaskMessage, transfer: ArrayBuffer[]): void;
  /** The worker starts a call (Node: keep the process alive). */
  busy?(slot: S): void;
  /** The worker finished its call and is still alive (Node: let the process exit). */
  idle?(slot: S): void;
  /**
   * After the core killed a worker (timeout): the Web pool forgets it at once; the Node pool waits
   * for the worker's `exit` event to forget it.
   */
  killed?(slot: S): void;
}

/** The shared queue a pool drives. */
export interface TaskQueue<W, S extends Slot<W>> {
  /** Live slots (a pool removes a stopped worker with {@link TaskQueue.forget}). */
  readonly slots: S[];
  readonly isClosed: () => boolean;
  /** Calls queued or running. */
  readonly pending: () => number;
  /** Starts one more worker. */
  readonly spawn: () => S;
  /**
   * Starts workers up to `size` and resolves once every live worker is ready or has stopped (or
   * the pool closed); with `{ jit: true }`, then runs {@link WARM_UP_TASK} once on every ready,
   * idle worker that has run nothing yet, and resolves when those runs settled (a failed run is
   * not an error: the worker's next call reports what is wrong). Rejects with DisposedError after
   * `close`, InvalidOptionError for bad options, or the start error (through `spawnFailed` when
   * the pool has it) when a worker cannot be started.
   */
  readonly warmUp: (options?: unknown) => Promise<void>;
  /** Handles a worker's reply: ready (starts a waiting call's timer) or a call's result. */
  readonly receive: (slot: S, reply: Reply) => void;
  /** Clears the slot's call and timer and returns the call (null when idle). */
  readonly finish: (slot: S) => Job | null;
  /** Marks the worker dead, rejects its call with `error`, terminates it and tells the pool (`killed`). */
  readonly kill: (slot: S, error: WorkerError) => void;
  /** Removes a stopped worker and lets the queue go on with the others. */
  readonly forget: (slot: S) => void;
  readonly run: (task: string, payload: unknown, runOptions?: RunTaskOptions) => Promise<unknown>;
  /** Rejects queued and running calls with WorkerError and terminates every worker. */
  readonly close: () => Promise<void>;
}

/** The built-in task a JIT warm-up runs in every new worker (`warmUpTask` in src/search/tasks.ts). */
export const WARM_UP_TASK = 'finml.warmUp';

/** The pool options both pools validate alike. */
export interface PoolLimits {
  readonly size: number;
  readonly timeoutMs: number | null;
}

/**
 * Validates `workers` (default `defaultSize`) and `timeoutMs` (default none) of a pool factory.
 *
 * @throws {InvalidOptionError} a non-positive or non-integer `workers`, or a bad `timeoutMs`.
 */
export function resolvePoolLimits(fn: string, workers: unknown, defaultSize: number, timeoutMs: unknown): PoolLimits {
  const size = workers ?? defaultSize;
  if (typeof size !== 'number' || !Number.isSafeInteger(size) || size < 1) {
    throw new InvalidOptionError({ fn, arg: 'workers', expected: 'an integer >= 1', got: describeValue(workers) });
  }
  const ms = timeoutMs ?? null;
  if (ms !== null && (typeof ms !== 'number' || !(ms > 0) || ms > 2 ** 31 - 1)) {
    throw new InvalidOptionError({ fn, arg: 'timeoutMs', expected: 'a number of milliseconds > 0 and < 2^31', got: describeValue(ms) });
  }
  return { size, timeoutMs: ms };
}

/** This thread's tfjs backend when it is one of `known` (what the workers should activate), else null. */
export function currentBackendAmong<B extends string>(known: readonly B[]): B | null {
  let current: string | null = null;
  try {
    current = tf.getBackend();
  } catch {
    // no backend registered in this thread: the workers keep tfjs's default
  }
  return known.find((b) => b === current) ?? null;
}

/**
 * Creates the queue of a pool.
 *
 * @param d - The pool's driver.
 * @returns the queue (not frozen: the pool wraps it).
 */
export function createTaskQueue<W, S extends Slot<W>>(d: PoolDriver<W, S>): TaskQueue<W, S> {
  const run$ = `${d.name}.run`;
  const queue: Job[] = [];
  const slots: S[] = [];
  let nextId = 0;
  let nextIndex = 0;
  let closed = false;
  /** Per live worker: settles its start-up promise (when it is ready, stopped, or the pool closed). */
  const startups = new Map<S, { readonly promise: Promise<void>; readonly settle: () => void }>();
  const settleStartup = (slot: S): void => {
    startups.get(slot)?.settle();
    startups.delete(slot);
  };

  const finish = (slot: S): Job | null => {
    const job = slot.job;
    slot.job = null;
    if (slot.timer !== null) clearTimeout(slot.timer);
    slot.timer = null;
    if (!slot.dead) d.idle?.(slot);
    return job;
  };

  const kill = (slot: S, error: WorkerError): void => {
    if (slot.dead) return;
    slot.dead = true;
    finish(slot)?.reject(error);
    void d.terminate(slot.worker);
    d.killed?.(slot);
  };

  const forget = (slot: S): void => {
    const i = slots.indexOf(slot);
    if (i >= 0) slots.splice(i, 1);
    settleStartup(slot);
    schedule();
  };

  const spawn = (): S => {
    const slot = d.spawn(nextIndex++);
    slots.push(slot);
    let settle = (): void => undefined;
    const promise = new Promise<void>((resolve) => {
      settle = resolve;
    });
    startups.set(slot, { promise, settle });
    return slot;
  };

  const live = (): number => slots.filter((s) => !s.dead).length;
  /** Workers that have been sent a call (the JIT warm-up skips them). */
  const used = new WeakSet<S>();
  /** The JIT warm-up run of each worker that got one. */
  const warming = new WeakMap<S, Promise<unknown>>();

  const warmUp = async (options: unknown = {}): Promise<void> => {
    const fn = `${d.name}.warmUp`;
    if (closed) throw new DisposedError(fn, 'worker pool');
    if (typeof options !== 'object' || options === null) {
      throw new InvalidOptionError({ fn, arg: 'options', expected: 'an options object { jit? }', got: describeValue(options) });
    }
    const unknownKey = Object.keys(options).find((k) => k !== 'jit');
    if (unknownKey !== undefined) {
      throw new InvalidOptionError({ fn, arg: `options.${unknownKey}`, expected: 'one of the options: jit', got: describeValue(unknownKey) });
    }
    const jit = (options as { jit?: unknown }).jit ?? false;
    if (typeof jit !== 'boolean') {
      throw new InvalidOptionError({ fn, arg: 'options.jit', expected: 'a boolean', got: describeValue(jit) });
    }
    while (live() < d.size) {
      try {
        spawn();
      } catch (e) {
        throw d.spawnFailed === undefined ? e : d.spawnFailed(e);
      }
    }
    await Promise.all(slots.map((s) => startups.get(s)?.promise));
    if (!jit || closed) return;
    const runs: Promise<unknown>[] = [];
    for (const slot of slots) {
      const running = warming.get(slot);
      if (running !== undefined) {
        runs.push(running); // a concurrent warmUp({ jit: true }) started it
        continue;
      }
      if (slot.dead || !slot.ready || slot.job !== null || used.has(slot)) continue;
      const run = new Promise((settle) => {
        dispatch(slot, { id: nextId++, task: WARM_UP_TASK, payload: null, transfer: [], resolve: settle, reject: settle });
      });
      warming.set(slot, run);
      runs.push(run);
    }
    await Promise.all(runs);
  };

  /** Starts the call's timeout once its worker is ready (start-up time is not the call's). */
  const startTimer = (slot: S, job: Job): void => {
    if (d.timeoutMs === null || slot.timer !== null) return;
    const ms = d.timeoutMs;
    slot.timer = setTimeout(() => {
      kill(slot, new WorkerError(`${run$}: task '${job.task}' ran longer than timeoutMs = ${ms} ms; worker ${slot.index} was terminated.`, { fn: run$, arg: 'timeoutMs', expected: `the task to finish within ${ms} ms`, got: 'a task still running' }));
    }, ms);
  };

  const receive = (slot: S, reply: Reply): void => {
    if ('ready' in reply) {
      slot.ready = true;
      settleStartup(slot);
      if (slot.job !== null) startTimer(slot, slot.job);
      return;
    }
    if (slot.job === null || slot.job.id !== reply.id) return;
    const job = finish(slot);
    if (job !== null) {
      if (reply.ok) job.resolve(reply.value);
      else job.reject(deserializeError(reply.error));
    }
    schedule();
  };

  const dispatch = (slot: S, job: Job): void => {
    slot.job = job;
    used.add(slot);
    d.busy?.(slot);
    try {
      d.post(slot.worker, { id: job.id, task: job.task, payload: job.payload }, job.transfer as ArrayBuffer[]);
    } catch (e) {
      finish(slot);
      job.reject(new DataError({ fn: run$, arg: 'payload', expected: 'a structured-cloneable payload (plain objects, arrays, numbers, strings, typed arrays)', got: e instanceof Error ? e.message : describeValue(e) }));
      return;
    }
    if (slot.ready) startTimer(slot, job);
  };

  /** An idle live worker, a newly started one, or null when `size` workers are busy. */
  const freeSlot = (): S | null => {
    const idle = slots.find((s) => !s.dead && s.job === null);
    if (idle !== undefined) return idle;
    return live() >= d.size ? null : spawn();
  };

  function schedule(): void {
    while (!closed && queue.length > 0) {
      let slot: S | null;
      try {
        slot = freeSlot();
      } catch (e) {
        if (d.spawnFailed === undefined) throw e;
        (queue.shift() as Job).reject(d.spawnFailed(e));
        continue;
      }
      if (slot === null) return;
      dispatch(slot, queue.shift() as Job);
    }
  }

  const run = (task: string, payload: unknown, runOptions?: RunTaskOptions): Promise<unknown> => {
    if (closed) return Promise.reject(new DisposedError(run$, 'worker pool'));
    if (typeof task !== 'string') {
      return Promise.reject(new InvalidOptionError({ fn: run$, arg: 'task', expected: 'a task name (string)', got: describeValue(task) }));
    }
    return new Promise((resolve, reject) => {
      queue.push({ id: nextId++, task, payload, transfer: runOptions?.transfer ?? [], resolve, reject });
      schedule();
    });
  };

  const close = async (): Promise<void> => {
    if (closed) return;
    closed = true;
    const error = (what: string): WorkerError =>
      new WorkerError(`${run$}: the pool was closed while the task was ${what}.`, { fn: `${d.name}.close`, expected: 'close() after every call settled', got: `a task ${what}` });
    for (const job of queue.splice(0)) job.reject(error('queued'));
    const stopping = slots.splice(0);
    for (const s of stopping) {
      s.dead = true;
      finish(s)?.reject(error('running'));
      settleStartup(s);
    }
    await Promise.all(stopping.map((s) => d.terminate(s.worker)));
  };

  return {
    slots,
    isClosed: () => closed,
    pending: () => queue.length + slots.filter((s) => s.job !== null).length,
    spawn,
    warmUp,
    receive,
    finish,
    kill,
    forget,
    run,
    close,
  };
}
