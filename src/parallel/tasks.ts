/**
 * finml's built-in task registry: the tasks every executor knows without a user module.
 *
 * @module
 */
import type { TaskFn, TaskRegistry } from '../core/executor';
import { shapRowsTask } from './parallelShap';
import { SEARCH_TASKS } from '../search/tasks';

/**
 * The built-in tasks, by name: `'finml.scoreNeural'` (fits a neural estimator on a fold and scores it;
 * payload {@link NeuralScoreData}, used by the searches), `'finml.numTensors'` (the live tensor count
 * where the task runs) and `'finml.shapRows'` (payload {@link ShapRowsPayload}, used by
 * {@link explainRowsWith}). Every worker of `createWorkerPool` has them;
 * spread them into your own registry for {@link sequentialExecutor}. User task names must not
 * start with `'finml.'`.
 *
 * @example
 * ```ts
 * import { FINML_TASKS, sequentialExecutor } from 'finml';
 * const ex = sequentialExecutor({ ...FINML_TASKS, square: (p) => (p as number) ** 2 });
 * Object.keys(FINML_TASKS).includes('finml.scoreNeural'); //=> true
 * ```
 * @category Core
 */
export const FINML_TASKS: TaskRegistry = Object.freeze({
  ...SEARCH_TASKS,
  'finml.shapRows': shapRowsTask as TaskFn,
});
