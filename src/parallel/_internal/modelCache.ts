/**
 * A small cache of restored models (and explainers) for the built-in tasks of a worker: a task
 * receives a model as its `toJSON()` envelope, and restoring a network from JSON (topology, base64
 * weights) takes longer than predicting a share of rows with it. The cache keys each restored
 * object by a content hash of its envelope (and checks the whole text on a hit, so a hash
 * collision can never return another model), keeps at most `capacity` of them, least recently
 * used evicted first, and disposes evicted models once no task uses them.
 *
 * It is off (capacity 0: restore, use, dispose) until a worker entry turns it on with
 * {@link enableTaskCache}: in the calling thread (`sequentialExecutor`) a cached model would stay
 * alive after the call, which a finml function must not do. The tensors a cached model holds are
 * counted ({@link cachedTensorCount}) so that `'finml.numTensors'` reports a worker's live
 * tensors without them and leak tests stay exact.
 * @internal
 */
import * as tf from '@tensorflow/tfjs-core';

/** Objects this many at most are kept per thread once enabled. */
export const DEFAULT_TASK_CACHE_CAPACITY = 8;

interface Entry {
  readonly key: string;
  readonly text: string;
  readonly value: Promise<unknown>;
  /** Tensors the restored object holds (counted when it was restored). */
  held: number;
  /** Tasks using it now. */
  users: number;
  /** Evicted while in use: dispose when the last user releases it. */
  evicted: boolean;
}

let capacity = 0;
/** Most recently used last. */
const entries: Entry[] = [];

/** Turns the cache on in this thread (worker entries call it once). */
export function enableTaskCache(size = DEFAULT_TASK_CACHE_CAPACITY): void {
  capacity = size;
}

/** 53-bit FNV-1a-style hash of a string (two 32-bit lanes), as a hex key with the length. */
export function contentHash(text: string): string {
  let h1 = 0x811c9dc5;
  let h2 = 0x01000193 ^ text.length;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    h1 = Math.imul(h1 ^ c, 0x01000193);
    h2 = Math.imul(h2 ^ c, 0x5bd1e995);
    h2 ^= h2 >>> 15;
  }
  return `${(h1 >>> 0).toString(16)}${(h2 >>> 0).toString(16)}:${text.length}`;
}

const disposeValue = (v: unknown): void => {
  const d = (v as { dispose?: unknown } | null)?.dispose;
  if (typeof d === 'function') (d as () => void).call(v);
};

function drop(e: Entry): void {
  e.evicted = true;
  if (e.users > 0) return;
  e.value.then(disposeValue, () => undefined);
}

/** Evicts least recently used entries beyond the capacity. */
function trim(): void {
  while (entries.length > capacity) drop(entries.shift() as Entry);
}

/**
 * Runs `use` on the object restored from `envelope` (from the cache when the same envelope was
 * restored before in this thread). Without the cache, the object is disposed after `use`.
 *
 * @param envelope - The `toJSON()` envelope (as received by the task).
 * @param restore - Restores it (e.g. `fromEstimatorJSON`).
 * @param use - Uses the restored object; must not keep it.
 * @returns what `use` returns.
 */
export async function withRestored<T, R>(envelope: unknown, restore: (json: unknown) => T | Promise<T>, use: (value: T) => R | Promise<R>): Promise<R> {
  if (capacity === 0) {
    const value = await restore(envelope);
    try {
      return await use(value);
    } finally {
      disposeValue(value);
    }
  }
  const text = JSON.stringify(envelope);
  const key = contentHash(text);
  let i = entries.findIndex((e) => e.key === key && e.text === text);
  let entry: Entry;
  if (i >= 0) {
    entry = entries[i] as Entry;
    entries.splice(i, 1);
    entries.push(entry);
  } else {
    const before = tf.memory().numTensors;
    const pending = Promise.resolve().then(() => restore(envelope));
    entry = { key, text, value: pending, held: 0, users: 0, evicted: false };
    entries.push(entry);
    try {
      await pending;
    } catch (e) {
      i = entries.indexOf(entry);
      if (i >= 0) entries.splice(i, 1);
      throw e;
    }
    entry.held = tf.memory().numTensors - before;
    trim();
  }
  entry.users++;
  try {
    return await use((await entry.value) as T);
  } finally {
    entry.users--;
    if (entry.evicted && entry.users === 0) drop(entry);
  }
}

/** Tensors held by the cached objects of this thread. */
export function cachedTensorCount(): number {
  return entries.reduce((a, e) => a + e.held, 0);
}

/** Disposes every cached object of this thread (those in use once their task ends); returns how many there were. */
export function clearTaskCache(): number {
  const n = entries.length;
  for (const e of entries.splice(0)) drop(e);
  return n;
}
