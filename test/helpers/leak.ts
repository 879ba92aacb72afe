import * as tf from '@tensorflow/tfjs-core';
import { expect } from 'vitest';

/**
 * Runs `f` once to warm up (kernels, lazily created variables), then again, and asserts that the
 * second run leaves `tf.memory().numTensors` unchanged. `f` must dispose whatever it receives.
 */
export async function expectNoLeak(f: () => unknown | Promise<unknown>, opts: { warmup?: boolean } = {}): Promise<void> {
  if (opts.warmup !== false) await f();
  const before = tf.memory().numTensors;
  await f();
  const after = tf.memory().numTensors;
  expect(after - before, `tensor leak: ${after - before} tensors left behind`).toBe(0);
}

/** Asserts two numeric arrays are element-wise within `tol` (absolute + relative). */
export function expectClose(actual: ArrayLike<number>, expected: ArrayLike<number>, tol = 1e-9): void {
  expect(actual.length, 'length').toBe(expected.length);
  for (let i = 0; i < expected.length; i++) {
    const a = actual[i] as number;
    const e = expected[i] as number;
    const ok = Math.abs(a - e) <= tol * (1 + Math.abs(e));
    if (!ok) expect.fail(`index ${i}: got ${a}, expected ${e} (tol ${tol})`);
  }
}
