/**
 * finml's built-in task registry: the tasks every executor knows without a user module.
 *
 * @module
 */
import * as tf from '@tensorflow/tfjs-core';
import type { TaskFn, TaskRegistry } from '../core/executor';
import { shapRowsTask } from './parallelShap';
import { predictRowsTask } from './parallelPredict';
import { permutedRowsTask } from './parallelImportance';
import { cachedTensorCount, clearTaskCache } from './_internal/modelCache';
import { SEARCH_TASKS } from '../search/tasks';

/**
 * The built-in task `'finml.numTensors'`: the number of live tensors where the task runs (a
 * worker's own count in a pool), not counting the models the worker keeps for later calls (see
 * `'finml.clearModelCache'`), so that a leak check sees only what tasks left behind.
 */
function liveTensorsTask(): number {
  return tf.memory().numTensors - cachedTensorCount();
}

/**
 * The built-in task `'finml.clearModelCache'`: disposes the models (and explainers) the worker
 * running it keeps from earlier `'finml.predictRows'` / `'finml.permutedRows'` / `'finml.shapRows'` calls; returns how many.
 */
function clearModelCacheTask(): number {
  return clearTaskCache();
}

/**
 * The built-in tasks, by name: `'finml.scoreNeural'` (fits a neural estimator on a fold and scores it;
 * payload {@link NeuralScoreData}, used by the searches), `'finml.scoreNeuralPart'` (the same fit in two
 * parts, the first answering a training checkpoint that the second resumes from: how
 * {@link crossValidate} and the searches split one fold's epochs over two workers when whole folds
 * would leave one idle), `'finml.shapRows'` (payload
 * {@link ShapRowsPayload}, used by {@link explainRowsWith}), `'finml.predictRows'` (payload
 * {@link PredictRowsPayload}, used by {@link predictRowsWith}), `'finml.permutedRows'` (builds
 * and predicts permuted copies; used by {@link permutationImportanceWith}), `'finml.numTensors'` (the live
 * tensor count where the task runs, without the models a worker keeps cached) and
 * `'finml.clearModelCache'` (releases them: a pool's worker keeps the last few models it restored,
 * so that the next call with the same model skips restoring it; to clear every worker of an idle
 * pool, run it `pool.concurrency` times at once) and `'finml.warmUp'` (one small seeded fit that
 * warms a worker's JIT up; run by `pool.warmUp({ jit: true })`). Every worker of `createWorkerPool` and
 * `createWebWorkerPool` has them; spread them into your own registry for {@link sequentialExecutor}
 * (which caches nothing). User task names must not start with `'finml.'`.
 *
 * @example
 * ```ts
 * import { FINML_TASKS, sequentialExecutor } from 'finml';
 * const ex = sequentialExecutor({ ...FINML_TASKS, square: (p) => (p as number) ** 2 });
 * Object.keys(FINML_TASKS).includes('finml.scoreNeural'); //=> true
 * Object.keys(FINML_TASKS).includes('finml.warmUp'); //=> true
 * ```
 * @category Core
 */
export const FINML_TASKS: TaskRegistry = Object.freeze({
  ...SEARCH_TASKS,
  'finml.numTensors': liveTensorsTask,
  'finml.clearModelCache': clearModelCacheTask,
  'finml.shapRows': shapRowsTask as TaskFn,
  'finml.predictRows': predictRowsTask as TaskFn,
  'finml.permutedRows': permutedRowsTask as TaskFn,
});
