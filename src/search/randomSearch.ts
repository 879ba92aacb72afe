/**
 * Random search: independent draws from the space's priors.
 *
 * @module
 */
import { COMMON_DEFAULTS, COMMON_RULES, checkSpace, requireDirection, runSearch, type CommonResolved } from './_internal/searchLoop';
import { resolveOptions } from '../core/options';
import { createRng } from '../core/random';
import type { Fold } from './crossValidate';
import type { FoldOf, Objective, SearchOptions, SearchResult } from './searchTypes';
import type { TaskObjective } from './tasks';
import type { ParamsOfShape, SearchSpace, SpaceShape } from './space';

/** Default number of trials of random and TPE search. */
const DEFAULT_TRIALS = 20;

/**
 * Random search (Bergstra & Bengio, 2012): `nTrials` parameter sets drawn independently from the
 * space's priors with `createRng(seed)`, each scored with cross-validation when `cv` is given.
 * The same seed gives the same trials.
 *
 * @param space - The search space (built with `space`).
 * @param objective - `(params, fold, foldIndex) => score`, sync or async; or a {@link TaskObjective} `{ task, data }` to run the folds on `options.executor` (e.g. a worker pool), with the same result.
 * @param options - `direction` (required), `nTrials` (default 20), `seed` (default 0), `cv`, `onTrial`, `signal`, `executor`.
 * @returns `{ best, trials, ... }`, trials sorted best first.
 * @throws {InvalidOptionError} for bad options or malformed folds.
 * @throws {DataError} when the objective returns a non-number.
 * @throws {TrainingError} when every trial failed (NaN/Infinity scores) or the search was aborted before any trial finished.
 * @example
 * ```ts
 * import { space, uniform, randomSearch } from 'finml';
 * const s = space({ x: uniform(-2, 2) });
 * const r = await randomSearch(s, (p) => (p.x - 1) ** 2, { direction: 'minimize', nTrials: 50, seed: 1 });
 * r.best.params.x; // close to 1
 * ```
 * @category Search
 */
export async function randomSearch<D extends SpaceShape, O extends SearchOptions<ParamsOfShape<D>>>(
  space: SearchSpace<D>,
  objective: Objective<ParamsOfShape<D>, FoldOf<O>> | TaskObjective,
  options: O,
): Promise<SearchResult<ParamsOfShape<D>>> {
  const fn = 'randomSearch';
  checkSpace(fn, space);
  requireDirection(fn, options);
  const o: CommonResolved = resolveOptions(fn, options as unknown as Partial<CommonResolved>, { ...COMMON_DEFAULTS }, COMMON_RULES);
  const rng = createRng(o.seed);
  return runSearch(fn, 'random', objective as Objective<ParamsOfShape<D>, Fold | undefined> | TaskObjective, o, o.nTrials ?? DEFAULT_TRIALS, () => space.sample(rng));
}
