/**
 * Cross-validation over any list of folds (K-fold, walk-forward, purged K-fold, ...).
 *
 * @module
 */
import { meanStd } from '../core/_internal/stats';
import { DataError, InvalidOptionError, describeValue } from '../core/errors';
import { checkExecutor, runTasks, sequentialExecutor, type Executor } from '../core/executor';
import { SEARCH_TASKS } from './tasks';
import { isTaskObjective } from './_internal/taskObjective';
import { runFoldChains, splitFoldChains } from './_internal/foldChains';
import type { TaskObjective } from './tasks';
import type { FitAndScore, Fold, FoldsInput } from './searchTypes';

export type { FitAndScore, Fold, FoldsInput } from './searchTypes';

/**
 * The outcome of {@link crossValidate}.
 *
 * @example
 * ```ts
 * import { type CrossValidationResult, crossValidate, kFold } from 'finml';
 * const folds = kFold(10, { k: 5 });
 * const r: CrossValidationResult = await crossValidate((f) => f.test.length, folds);
 * r.mean; r.std; r.scores;
 * ```
 * @category Search
 */
export interface CrossValidationResult {
  /** Mean of the fold scores. */
  readonly mean: number;
  /** Population standard deviation (ddof = 0, as scikit-learn's `cv_results_`) of the fold scores. */
  readonly std: number;
  /** One score per fold, in fold order. */
  readonly scores: readonly number[];
}

/**
 * Validates and materialises folds. Each fold must have Int32Array `train` and non-empty `test`
 * of non-negative integers, with no index in both.
 *
 * @param folds - A list of folds or a function returning one.
 * @param fn - Caller name for error messages.
 * @param arg - Argument name for error messages.
 * @returns A frozen copy of the list (the index arrays themselves are not copied).
 * @throws {InvalidOptionError} when the folds are malformed or overlap.
 * @internal
 */
export function resolveFolds(folds: FoldsInput, fn: string, arg: string): readonly Fold[] {
  let list: unknown = folds;
  if (typeof folds === 'function') {
    list = folds();
  }
  if (!Array.isArray(list) || list.length === 0) {
    throw new InvalidOptionError({ fn, arg, expected: 'a non-empty array of folds { train: Int32Array; test: Int32Array } (or a function returning one)', got: describeValue(list) });
  }
  list.forEach((f: unknown, i: number) => {
    if (typeof f !== 'object' || f === null) {
      throw new InvalidOptionError({ fn, arg: `${arg}[${i}]`, expected: 'a fold { train: Int32Array; test: Int32Array }', got: describeValue(f) });
    }
    const { train, test } = f as { train?: unknown; test?: unknown };
    if (!(train instanceof Int32Array)) {
      throw new InvalidOptionError({ fn, arg: `${arg}[${i}].train`, expected: 'an Int32Array of row indices', got: describeValue(train) });
    }
    if (!(test instanceof Int32Array) || test.length === 0) {
      throw new InvalidOptionError({ fn, arg: `${arg}[${i}].test`, expected: 'a non-empty Int32Array of row indices', got: describeValue(test) });
    }
    const inTrain = new Set<number>();
    for (const v of train) {
      if (v < 0) throw new InvalidOptionError({ fn, arg: `${arg}[${i}].train`, expected: 'non-negative row indices', got: String(v) });
      inTrain.add(v);
    }
    for (const v of test) {
      if (v < 0) throw new InvalidOptionError({ fn, arg: `${arg}[${i}].test`, expected: 'non-negative row indices', got: String(v) });
      if (inTrain.has(v)) {
        throw new InvalidOptionError({ fn, arg: `${arg}[${i}]`, expected: 'disjoint train and test indices', got: `row ${v} in both` });
      }
    }
  });
  return Object.freeze((list as Fold[]).slice());
}

/**
 * Options of {@link crossValidate}.
 *
 * @example
 * ```ts
 * import { sequentialExecutor, FINML_TASKS, type CrossValidateOptions } from 'finml';
 * const o: CrossValidateOptions = { executor: sequentialExecutor(FINML_TASKS) };
 * ```
 * @category Search
 */
export interface CrossValidateOptions {
  /**
   * Where the folds of a {@link TaskObjective} run: e.g. `createWorkerPool()` from `finml/node` to
   * fit the folds in parallel. Default: in this thread with finml's built-in tasks
   * (`sequentialExecutor(SEARCH_TASKS)`). Not allowed with a function `fitAndScore`.
   */
  readonly executor?: Executor;
}

/**
 * Runs `fitAndScore` on every fold, in order, and summarises the scores.
 * Works with any splitter: pass K-fold, walk-forward or purged folds as `{ train, test }` index arrays.
 *
 * To fit the folds in parallel, give the objective as a named task ({@link TaskObjective}) and an
 * executor, e.g. a worker pool: each fold is one `executor.run(task, { data, params: undefined,
 * fold, foldIndex })`. Scores come back in fold order and are identical to a sequential run (every
 * finml model is seeded from its params).
 *
 * With finml's own `'finml.scoreNeural'` task on an executor of w > 1 workers and more folds than
 * workers, whole folds can leave a worker idle at the end (5 equal folds on 2 workers: 3
 * fold-times, 5/3 = 1.67x at best; walk-forward folds of growing size: worse). Instead each worker
 * gets an equal share of the work (training rows × epochs), and a fold that straddles two workers
 * runs its first epochs on one and the rest on the other, from a training checkpoint (the
 * built-in `'finml.scoreNeuralPart'` task, which every finml pool runs): 5 folds on 2 workers take
 * 2.5 fold-times, with scores still bit-identical to a sequential run. On backends that cannot
 * pause a training (webgl) that fold runs whole.
 *
 * @param fitAndScore - Fits on `fold.train` and returns a finite score on `fold.test`; may be async.
 *   Or a {@link TaskObjective} `{ task, data }` naming a registered fold-scoring task.
 * @param folds - The folds, or a function producing them.
 * @param options - `executor` for a task objective (see {@link CrossValidateOptions}).
 * @returns `{ mean, std, scores }` (std is the population standard deviation).
 * @throws {InvalidOptionError} for a non-function, non-task `fitAndScore`, malformed folds, an
 *   executor with a function `fitAndScore` (a closure cannot run in a worker), or an unknown task name.
 * @throws {DataError} when `fitAndScore` returns something other than a finite number.
 * @throws {WorkerError} when a worker crashed, was terminated or timed out (the first failing fold's error is thrown, after every fold settled).
 * @example
 * ```ts
 * import { crossValidate } from 'finml';
 * const folds = [
 *   { train: Int32Array.of(2, 3), test: Int32Array.of(0, 1) },
 *   { train: Int32Array.of(0, 1), test: Int32Array.of(2, 3) },
 * ];
 * const y = [1, 2, 3, 4];
 * const r = await crossValidate((f) => {
 *   const mean = (f.train.reduce((a, i) => a + y[i]!, 0)) / f.train.length;
 *   return -f.test.reduce((a, i) => a + Math.abs(y[i]! - mean), 0) / f.test.length;
 * }, folds);
 * r.scores; //=> [-2, -2]
 * ```
 * @category Search
 */
export async function crossValidate(
  fitAndScore: FitAndScore | TaskObjective,
  folds: FoldsInput,
  options: CrossValidateOptions = {},
): Promise<CrossValidationResult> {
  const fn = 'crossValidate';
  const asTask = isTaskObjective(fitAndScore);
  if (typeof fitAndScore !== 'function' && !asTask) {
    throw new InvalidOptionError({ fn, arg: 'fitAndScore', expected: 'a function (fold, foldIndex) => number, or a task objective { task, data }', got: describeValue(fitAndScore) });
  }
  if (typeof options !== 'object' || options === null) {
    throw new InvalidOptionError({ fn, arg: 'options', expected: 'an options object { executor? }', got: describeValue(options) });
  }
  if (options.executor !== undefined) {
    checkExecutor(fn, 'executor', options.executor);
    if (!asTask) {
      throw new InvalidOptionError({ fn, arg: 'executor', expected: 'a task objective { task, data } as fitAndScore (a function cannot be sent to a worker)', got: 'a function fitAndScore' });
    }
  }
  const list = resolveFolds(folds, fn, 'folds');
  const scores: number[] = [];
  const push = (s: unknown, i: number): void => {
    if (typeof s !== 'number' || !Number.isFinite(s)) {
      throw new DataError({ fn, arg: 'fitAndScore', expected: 'a function returning a finite number', got: `${describeValue(s)} on fold ${i}` });
    }
    scores.push(s);
  };
  if (asTask) {
    const ex = options.executor ?? sequentialExecutor(SEARCH_TASKS);
    const calls = list.map((fold, foldIndex) => ({ task: fitAndScore.task, payload: { data: fitAndScore.data, params: undefined, fold, foldIndex } }));
    const chains = fitAndScore.task === 'finml.scoreNeural' ? splitFoldChains(calls, ex) : null;
    if (chains !== null) {
      for (const s of await runFoldChains(ex, chains, calls, fn)) {
        if (s.status === 'rejected') throw s.reason;
        push(s.value, scores.length);
      }
    } else {
      (await runTasks(ex, calls)).forEach(push);
    }
  } else {
    for (let i = 0; i < list.length; i++) push(await fitAndScore(list[i] as Fold, i), i);
  }
  const { mean, std } = meanStd(scores);
  return Object.freeze({ mean, std, scores: Object.freeze(scores) });
}
