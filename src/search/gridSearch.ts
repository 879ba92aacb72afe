/**
 * Exhaustive grid search over the cartesian product of a space's grid values.
 *
 * @module
 */
import { COMMON_DEFAULTS, COMMON_RULES, checkSpace, requireDirection, runSearch, type CommonResolved } from './_internal/searchLoop';
import { resolveOptions } from '../core/options';
import type { Fold } from './crossValidate';
import type { FoldOf, Objective, SearchOptions, SearchResult } from './searchTypes';
import type { TaskObjective } from './tasks';
import type { ParamsOfShape, SearchSpace, SpaceShape } from './space';

/**
 * Evaluates every point of the grid (the cartesian product of each dimension's values: `choice`
 * values, every integer of an `intUniform`, and the explicit `grid` values that continuous dimensions
 * must declare), scoring each with cross-validation when `cv` is given. `seed` is accepted for a
 * uniform interface but unused (the grid order is fixed: last dimension varies fastest).
 *
 * @param space - The search space (built with `space`).
 * @param objective - `(params, fold, foldIndex) => score`, sync or async; or a {@link TaskObjective} `{ task, data }` to run the folds on `options.executor` (e.g. a worker pool), with the same result.
 * @param options - `direction` (required), `nTrials` (cap, default the whole grid), `cv`, `onTrial`, `signal`, `executor`.
 * @returns `{ best, trials, ... }`, trials sorted best first.
 * @throws {InvalidOptionError} for bad options, malformed folds, or a continuous dimension without `grid` values.
 * @throws {DataError} when the objective returns a non-number.
 * @throws {TrainingError} when every trial failed (NaN/Infinity scores) or the search was aborted before any trial finished.
 * @example
 * ```ts
 * import { space, intUniform, choice, gridSearch } from 'finml';
 * const s = space({ depth: intUniform(1, 3), act: choice(['relu', 'tanh']) });
 * const r = await gridSearch(s, (p) => p.depth + (p.act === 'relu' ? 1 : 0), { direction: 'maximize' });
 * r.trials.length; //=> 6
 * r.best.params;   //=> { depth: 3, act: 'relu' }
 * ```
 * @category Search
 */
export async function gridSearch<D extends SpaceShape, O extends SearchOptions<ParamsOfShape<D>>>(
  space: SearchSpace<D>,
  objective: Objective<ParamsOfShape<D>, FoldOf<O>> | TaskObjective,
  options: O,
): Promise<SearchResult<ParamsOfShape<D>>> {
  const fn = 'gridSearch';
  checkSpace(fn, space);
  requireDirection(fn, options);
  const o: CommonResolved = resolveOptions(fn, options as unknown as Partial<CommonResolved>, { ...COMMON_DEFAULTS }, COMMON_RULES);
  const points = space.grid(fn);
  const n = Math.min(o.nTrials ?? points.length, points.length);
  return runSearch(fn, 'grid', objective as Objective<ParamsOfShape<D>, Fold | undefined> | TaskObjective, o, n, (_h, t) => points[t]);
}
