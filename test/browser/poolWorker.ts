/**
 * The Web Worker script of the browser pool test (bundled by esbuild as /worker.js): the wasm
 * backend with the test server's binaries, then finml's tasks plus two test tasks.
 */
import * as tf from '@tensorflow/tfjs-core';
import * as wasm from '@tensorflow/tfjs-backend-wasm';
import { serveWorkerTasks } from '../../src/parallel/webWorkerPool';

wasm.setWasmPaths(`${self.location.origin}/wasm/`);
serveWorkerTasks({
  tasks: {
    backend: () => tf.getBackend(),
    square: (p) => (p as number) ** 2,
    /** An uncaught error in the worker, outside the task's promise. */
    uncaught: () =>
      new Promise(() => {
        setTimeout(() => {
          throw new Error('boom in a web worker');
        }, 1);
      }),
  },
});
