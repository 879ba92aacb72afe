/**
 * Task module of test/parallel/parallelPredict.wasm.test.ts, loaded in every worker: the raw live
 * tensor count (cached models included), next to the built-in `'finml.numTensors'` (without them).
 */
import * as tf from '@tensorflow/tfjs-core';
import type { TaskRegistry } from '../../src/index';

export const tasks: TaskRegistry = {
  rawTensors: () => tf.memory().numTensors,
  /** Holds its worker busy, so that concurrent calls land on the other workers. */
  sleep: (ms) => new Promise((r) => setTimeout(() => r(ms), ms as number)),
};
