/**
 * Types shared by {@link gridSearch}, {@link randomSearch} and {@link bayesSearch}.
 *
 * @module
 */
import type { Executor } from '../core/executor';


/**
 * One train/test split: row indices into the caller's data.
 *
 * @example
 * ```ts
 * import { type Fold } from 'finml';
 * const fold: Fold = { train: Int32Array.of(0, 1, 2), test: Int32Array.of(3) };
 * ```
 * @category Search
 */
export interface Fold {
  /** Indices of the training rows. */
  readonly train: Int32Array;
  /** Indices of the held-out rows (non-empty, disjoint from `train`). */
  readonly test: Int32Array;
}

/**
 * Folds as a list, or a function producing them (called once per cross-validation).
 *
 * @example
 * ```ts
 * import { type FoldsInput } from 'finml';
 * const folds: FoldsInput = () => [{ train: Int32Array.of(0, 1), test: Int32Array.of(2) }];
 * ```
 * @category Search
 */
export type FoldsInput = readonly Fold[] | (() => readonly Fold[]);

/**
 * Fits on `fold.train`, scores on `fold.test` and returns the score.
 *
 * @example
 * ```ts
 * import { type FitAndScore } from 'finml';
 * const fs: FitAndScore = (fold) => fold.test.length; // fit on fold.train, score on fold.test
 * ```
 * @category Search
 */
export type FitAndScore = (fold: Fold, foldIndex: number) => number | Promise<number>;

/**
 * Whether higher (`'maximize'`, e.g. AUC) or lower (`'minimize'`, e.g. log-loss) scores are better.
 *
 * @example
 * ```ts
 * import { type Direction } from 'finml';
 * const d: Direction = 'minimize'; // for losses
 * ```
 * @category Search
 */
export type Direction = 'maximize' | 'minimize';

/**
 * The function being tuned: trains with `params` on `fold.train`, returns a score on `fold.test`.
 * Without `cv`, it is called once per trial with `fold === undefined` and `foldIndex === 0`.
 * Returning NaN or ±Infinity, or throwing a `TrainingError` (as `trainModel`'s NaN-loss guard does),
 * marks the trial as failed (e.g. a diverging learning rate) and the search goes on; returning a
 * non-number, or throwing any other error, rejects the search.
 *
 * @example
 * ```ts
 * import { type Objective, type Fold } from 'finml';
 * // your training routine: fit on the train indices with learning rate lr, return the test score
 * declare function trainAndScore(lr: number, train: Int32Array, test: Int32Array): Promise<number>;
 * const objective: Objective<{ lr: number }, Fold> = async (p, fold) => trainAndScore(p.lr, fold.train, fold.test);
 * ```
 * @category Search
 */
export type Objective<P, F extends Fold | undefined = Fold | undefined> = (
  params: P,
  fold: F,
  foldIndex: number,
) => number | Promise<number>;

/**
 * One evaluated parameter set.
 *
 * @example
 * ```ts
 * import { randomSearch, space, uniform, type Trial } from 'finml';
 * const r = await randomSearch(space({ x: uniform(0, 1) }), (p) => p.x, { direction: 'maximize', nTrials: 3 });
 * const t: Trial<{ readonly x: number }> = r.best; // { index, params, score, foldScores, std, status }
 * ```
 * @category Search
 */
export interface Trial<P> {
  /** Position in evaluation order (0-based). */
  readonly index: number;
  /** The parameters evaluated (frozen). */
  readonly params: P;
  /** Mean score over the folds; NaN when the trial failed. */
  readonly score: number;
  /** One score per fold, in fold order (stops at the first non-finite score of a failed trial). */
  readonly foldScores: readonly number[];
  /** Population standard deviation of `foldScores` (0 without cv; NaN when failed). */
  readonly std: number;
  /** `'failed'` when the objective returned NaN or ±Infinity on some fold, or threw a `TrainingError`. */
  readonly status: 'ok' | 'failed';
  /** The message of the `TrainingError` that failed the trial, if any. */
  readonly error?: string;
}

/**
 * The outcome of a search.
 *
 * @example
 * ```ts
 * import { type SearchResult, randomSearch, space, uniform } from 'finml';
 * const r: SearchResult<{ readonly x: number }> = await randomSearch(space({ x: uniform(0, 1) }), (p) => p.x, { direction: 'maximize' });
 * r.trials[0] === r.best; //=> true
 * ```
 * @category Search
 */
export interface SearchResult<P> {
  /** The best successful trial. */
  readonly best: Trial<P>;
  /** Every trial, best first (failed trials last; ties keep evaluation order). */
  readonly trials: readonly Trial<P>[];
  /** The direction used to rank trials. */
  readonly direction: Direction;
  /** The strategy that produced the trials. */
  readonly method: 'grid' | 'random' | 'tpe';
  /** True when `signal` aborted the search before its budget was spent. */
  readonly aborted: boolean;
}

/**
 * Called after every trial with the trial and the best successful trial so far (may be async).
 *
 * @example
 * ```ts
 * import { type OnTrial } from 'finml';
 * const log: OnTrial<{ readonly lr: number }> = (t, best) => console.log(t.index, t.score, best?.score);
 * ```
 * @category Search
 */
export type OnTrial<P> = (trial: Trial<P>, best: Trial<P> | undefined) => void | Promise<void>;

/**
 * Options shared by every search strategy.
 *
 * @example
 * ```ts
 * import { type SearchOptions, kFold } from 'finml';
 * const folds = kFold(500, { k: 5 });
 * const o: SearchOptions<{ readonly lr: number }> = { direction: 'maximize', nTrials: 30, seed: 1, cv: folds };
 * ```
 * @category Search
 */
export interface SearchOptions<P> {
  /** Whether higher or lower scores are better. Required: a silent default would tune losses the wrong way. */
  readonly direction: Direction;
  /**
   * Number of parameter sets to evaluate (grid search: at most this many grid points, in grid order).
   * @defaultValue 20 (grid search: the whole grid)
   */
  readonly nTrials?: number;
  /**
   * Seed of the sampler (random and TPE search).
   * @defaultValue 0
   */
  readonly seed?: number;
  /** Cross-validation folds (or a function producing them); each trial is scored on every fold. */
  readonly cv?: FoldsInput;
  /** Progress callback, awaited after each trial. */
  readonly onTrial?: OnTrial<P>;
  /** Stops the search between folds; the trials completed so far are returned with `aborted: true`. */
  readonly signal?: AbortSignal;
  /**
   * Where the folds of a task objective ({@link TaskObjective} `{ task, data }`) run, e.g.
   * `createWorkerPool()` from `finml/node`: each fold of each trial is one call
   * `executor.run(task, { data, params, fold, foldIndex })`. Grid and random search (and TPE's
   * start-up trials) evaluate several trials at once to keep every worker busy; proposals and
   * results are those of the sequential run. Default: in this thread with finml's built-in tasks.
   * Not allowed with a function objective.
   */
  readonly executor?: Executor;
}

/**
 * The fold type the objective receives for given options: {@link Fold} with `cv`, `undefined` without.
 *
 * @example
 * ```ts
 * import { type FoldOf, type Fold } from 'finml';
 * type F = FoldOf<{ direction: 'maximize'; cv: Fold[] }>; //=> Fold
 * ```
 * @category Search
 */
export type FoldOf<O> = O extends { readonly cv: FoldsInput }
  ? Fold
  : 'cv' extends keyof O
    ? Fold | undefined
    : undefined;
