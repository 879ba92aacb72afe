/**
 * Bayesian hyperparameter search with the Tree-structured Parzen Estimator (TPE).
 *
 * @module
 */
import {
  COMMON_DEFAULTS,
  COMMON_RULES,
  checkSpace,
  lossOf,
  numericBounds,
  requireDirection,
  runSearch,
  type CommonResolved,
} from './_internal/searchLoop';
import {
  buildParzen,
  categoricalProbs,
  categoricalSample,
  parzenLogMass,
  parzenLogPdf,
  parzenSample,
} from '../core/_internal/parzen';
import { resolveOptions, rules, type RuleTable } from '../core/options';
import { createRng, type Rng } from '../core/random';
import type { Fold } from './crossValidate';
import type { Direction, FoldOf, Objective, SearchOptions, SearchResult, Trial } from './searchTypes';
import type { TaskObjective } from './tasks';
import type { AnyDimension, ParamsOfShape, SearchSpace, SpaceShape } from './space';

/**
 * Options of {@link bayesSearch}: the shared search options plus the TPE settings.
 *
 * @example
 * ```ts
 * import { type BayesSearchOptions } from 'finml';
 * const o: BayesSearchOptions<{ lr: number }> = { direction: 'minimize', nTrials: 40, nStartup: 10, gamma: 0.15 };
 * ```
 * @category Search
 */
export interface BayesSearchOptions<P> extends SearchOptions<P> {
  /**
   * Number of initial trials drawn at random from the priors (the same draws as
   * {@link randomSearch} with the same seed) before the TPE model is used.
   * @defaultValue 10
   */
  readonly nStartup?: number;
  /**
   * Fraction of the completed trials (the best ones) that form the "good" density l(x); the rest form g(x).
   * The split keeps `max(1, ceil(gamma * n))` trials in l.
   * @defaultValue 0.15
   */
  readonly gamma?: number;
  /**
   * Candidates drawn from l(x) per dimension; the one with the largest l(x)/g(x)
   * (which maximises expected improvement under TPE) is proposed.
   * @defaultValue 24
   */
  readonly nCandidates?: number;
  /**
   * Weight of the prior component (uniform-ish over the range, or uniform over categories) in each Parzen estimator.
   * @defaultValue 1
   */
  readonly priorWeight?: number;
}

interface TpeResolved {
  readonly nStartup: number;
  readonly gamma: number;
  readonly nCandidates: number;
  readonly priorWeight: number;
}

const TPE_DEFAULTS = {
  nStartup: 10,
  gamma: 0.15,
  nCandidates: 24,
  priorWeight: 1,
} as const satisfies TpeResolved;

const TPE_RULES: RuleTable<TpeResolved> = {
  nStartup: rules.int({ min: 1 }),
  gamma: rules.number({ min: 0, max: 1, exclusiveMin: true }),
  nCandidates: rules.int({ min: 1 }),
  priorWeight: rules.number({ min: 0, exclusiveMin: true }),
};

const DEFAULT_TRIALS = 20;

function toInternal(d: AnyDimension, v: number): number {
  return d.type === 'logUniform' ? Math.log(v) : v;
}

function proposeDimension(d: AnyDimension, good: readonly unknown[], bad: readonly unknown[], t: TpeResolved, rng: Rng): unknown {
  if (d.type === 'choice') {
    const k = d.values.length;
    const idx = (vs: readonly unknown[]): number[] => vs.map((v) => d.values.indexOf(v)).filter((i) => i >= 0);
    const pl = categoricalProbs(idx(good), k, t.priorWeight);
    const pg = categoricalProbs(idx(bad), k, t.priorWeight);
    let bestI = 0;
    let bestS = -Infinity;
    for (let c = 0; c < t.nCandidates; c++) {
      const i = categoricalSample(pl, rng);
      const s = Math.log(pl[i] as number) - Math.log(pg[i] as number);
      if (s > bestS) {
        bestS = s;
        bestI = i;
      }
    }
    return d.values[bestI];
  }
  const { lo, hi } = numericBounds(d);
  const l = buildParzen(good.map((v) => toInternal(d, v as number)), lo, hi, t.priorWeight);
  const g = buildParzen(bad.map((v) => toInternal(d, v as number)), lo, hi, t.priorWeight);
  let bestX = 0;
  let bestS = -Infinity;
  for (let c = 0; c < t.nCandidates; c++) {
    let x = parzenSample(l, rng);
    let s: number;
    if (d.type === 'intUniform') {
      x = Math.min(d.high, Math.max(d.low, Math.round(x)));
      s = parzenLogMass(l, x - 0.5, x + 0.5) - parzenLogMass(g, x - 0.5, x + 0.5);
    } else {
      s = parzenLogPdf(l, x) - parzenLogPdf(g, x);
    }
    if (s > bestS) {
      bestS = s;
      bestX = x;
    }
  }
  if (d.type === 'logUniform') return Math.min(d.high, Math.max(d.low, Math.exp(bestX)));
  return bestX;
}

function tpePropose<D extends SpaceShape>(
  space: SearchSpace<D>,
  history: readonly Trial<ParamsOfShape<D>>[],
  direction: Direction,
  t: TpeResolved,
  rng: Rng,
): ParamsOfShape<D> {
  const ok = history
    .filter((h) => h.status === 'ok')
    .sort((a, b) => lossOf(a.score, direction) - lossOf(b.score, direction) || a.index - b.index);
  const nGood = Math.max(1, Math.ceil(t.gamma * ok.length));
  const good = ok.slice(0, nGood);
  const bad = ok.slice(nGood);
  const out: Record<string, unknown> = {};
  for (const name of space.names) {
    const d = space.dims[name] as AnyDimension;
    const pick = (trials: readonly Trial<ParamsOfShape<D>>[]): unknown[] => trials.map((h) => (h.params as Record<string, unknown>)[name]);
    out[name] = proposeDimension(d, pick(good), pick(bad), t, rng);
  }
  return Object.freeze(out) as ParamsOfShape<D>;
}

/**
 * Bayesian optimisation with the Tree-structured Parzen Estimator (Bergstra et al., 2011).
 * The first `nStartup` trials are random draws from the priors (seeded, identical to
 * {@link randomSearch}'s first draws). Afterwards the completed trials are split at the `gamma`
 * quantile of their losses into good and bad sets; each dimension gets two Parzen estimators,
 * l(x) over the good and g(x) over the bad values (truncated-normal mixtures with adaptive bandwidths,
 * in log scale for {@link logUniform}, as probability masses for {@link intUniform}, smoothed frequencies for
 * {@link choice}), and the proposal is the candidate drawn from l with the largest l(x)/g(x), the
 * expected-improvement maximiser under TPE. Failed trials (NaN scores) are ignored by the model.
 *
 * @param space - The search space (built with `space`).
 * @param objective - `(params, fold, foldIndex) => score`, sync or async; or a {@link TaskObjective} `{ task, data }` to run the folds on `options.executor` (e.g. a worker pool), with the same result.
 * @param options - `direction` (required), `nTrials` (default 20), `seed` (default 0), `cv`, `onTrial`, `signal`, `executor`,
 *   `nStartup` (10), `gamma` (0.15), `nCandidates` (24), `priorWeight` (1).
 * @returns `{ best, trials, ... }`, trials sorted best first; deterministic for a seed.
 * @throws {InvalidOptionError} for bad options or malformed folds.
 * @throws {DataError} when the objective returns a non-number.
 * @throws {TrainingError} when every trial failed or the search was aborted before any trial finished.
 * @example
 * ```ts
 * import { space, logUniform, choice, bayesSearch } from 'finml';
 * const s = space({ lr: logUniform(1e-4, 1), act: choice(['relu', 'tanh']) });
 * const r = await bayesSearch(s, (p) => (Math.log10(p.lr) + 2) ** 2 + (p.act === 'tanh' ? 0 : 1),
 *   { direction: 'minimize', nTrials: 40, seed: 3 });
 * r.best.params.act; //=> 'tanh'
 * ```
 * @category Search
 */
export async function bayesSearch<D extends SpaceShape, O extends BayesSearchOptions<ParamsOfShape<D>>>(
  space: SearchSpace<D>,
  objective: Objective<ParamsOfShape<D>, FoldOf<O>> | TaskObjective,
  options: O,
): Promise<SearchResult<ParamsOfShape<D>>> {
  const fn = 'bayesSearch';
  checkSpace(fn, space);
  requireDirection(fn, options);
  const all = resolveOptions<CommonResolved & TpeResolved>(
    fn,
    options as unknown as Partial<CommonResolved & TpeResolved>,
    { ...COMMON_DEFAULTS, ...TPE_DEFAULTS },
    { ...COMMON_RULES, ...TPE_RULES },
  );
  const o: CommonResolved = all;
  const tpe: TpeResolved = all;
  const rng = createRng(o.seed);
  return runSearch(
    fn,
    'tpe',
    objective as Objective<ParamsOfShape<D>, Fold | undefined> | TaskObjective,
    o,
    o.nTrials ?? DEFAULT_TRIALS,
    (history, t) => {
      const nOk = history.reduce((a, h) => a + (h.status === 'ok' ? 1 : 0), 0);
      if (t < tpe.nStartup || nOk < 2) return space.sample(rng);
      return tpePropose(space, history, o.direction, tpe, rng);
    },
    tpe.nStartup,
  );
}
