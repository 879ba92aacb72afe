/**
 * Tensor memory helpers.
 *
 * @module
 */
import * as tf from '@tensorflow/tfjs-core';

/**
 * Number of live tensors in the tfjs engine (`tf.memory().numTensors`).
 * Every public finml function leaves it unchanged apart from tensors it returns.
 *
 * @returns the live tensor count.
 * @example
 * ```ts
 * import * as tf from '@tensorflow/tfjs-core';
 * import { tensorCount } from 'finml';
 * const before = tensorCount();
 * const t = tf.ones([2]);
 * tensorCount() - before; //=> 1
 * t.dispose();
 * ```
 * @category Core
 */
export function tensorCount(): number {
  return tf.memory().numTensors;
}

/**
 * Runs an async function and disposes every tensor created during it that is not part of its
 * result (tensors in the returned value, at any depth of arrays/objects, are kept).
 * Use for async work where `tf.tidy` cannot be used (training loops, batched prediction).
 * If `f` throws, every tensor it created is disposed and the error is rethrown.
 *
 * @param f - The async work.
 * @returns what `f` resolves to.
 * @example
 * ```ts
 * import * as tf from '@tensorflow/tfjs-core';
 * import { asyncTidy } from 'finml/extend';
 * const sum = await asyncTidy(async () => {
 *   const a = tf.ones([3]);           // disposed when asyncTidy returns
 *   return tf.sum(a);                 // kept: part of the result
 * });
 * (await sum.data())[0]; //=> 3
 * sum.dispose();
 * ```
 * @category Core
 */
export async function asyncTidy<T>(f: () => Promise<T>): Promise<T> {
  tf.engine().startScope();
  let result: T;
  try {
    result = await f();
  } catch (e) {
    tf.engine().endScope();
    throw e;
  }
  const keep: tf.Tensor[] = [];
  collectTensors(result, keep, new Set<number>());
  tf.engine().endScope(keep as unknown as tf.TensorContainer);
  return result;
}

function collectTensors(v: unknown, out: tf.Tensor[], seen: Set<number>): void {
  if (v instanceof tf.Tensor) {
    if (!seen.has(v.id)) {
      seen.add(v.id);
      out.push(v);
    }
  } else if (Array.isArray(v)) {
    for (const x of v) collectTensors(x, out, seen);
  } else if (typeof v === 'object' && v !== null && !ArrayBuffer.isView(v)) {
    for (const x of Object.values(v)) collectTensors(x, out, seen);
  }
}
