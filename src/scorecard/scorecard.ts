/**
 * The classical credit scorecard: weight-of-evidence binning, logistic regression on the WoE
 * values, and points scaled by points-to-double-the-odds (PDO) and base odds.
 *
 * @module
 */
import { checkEnvelope, deepFreeze, paramsFromJSON, type EstimatorJSON } from '../core/estimator';
import { DataError, InvalidOptionError, NotFittedError, SerializationError, describeValue } from '../core/errors';
import { resolveOptions, rules, type RuleTable } from '../core/options';
import { extractTarget } from '../data/extractTarget';
import type { Table } from '../data/table';
import { logisticRegression, logisticRegressionFromJSON, type FittedLogisticRegression } from '../models/logisticRegression';
import { woeBinning, woeBinningFromJSON, type FittedWoeBinning, type WoeBinningParams } from './woeBinning';

/**
 * Parameters of {@link scorecard}.
 *
 * @category Models
 */
export interface ScorecardParams {
  /** Name of the binary target column. */
  readonly target: string;
  /** The target label that is the event ("bad"); `null`: `'Bad'` if present, else the larger sorted label. @defaultValue null */
  readonly positive: string | null;
  /** Score at the base odds. @defaultValue 600 */
  readonly basePoints: number;
  /** Good:bad odds at `basePoints` (e.g. 50 for 50:1). @defaultValue 50 */
  readonly baseOdds: number;
  /** Points to double the odds. @defaultValue 20 */
  readonly pdo: number;
  /** L2 penalty of the logistic regression on the WoE values (1/C). @defaultValue 0 */
  readonly l2: number;
  /** Round each attribute's points to an integer (the score is then the sum of rounded points). @defaultValue false */
  readonly roundPoints: boolean;
  /** Options of the WoE binning (everything but `target` and `positive`). @defaultValue {} */
  readonly binning: Partial<Omit<WoeBinningParams, 'target' | 'positive'>>;
}

/**
 * One row of a scorecard's points table.
 *
 * @category Models
 */
export interface ScorecardPoints {
  /** Feature (column) name. */
  readonly feature: string;
  /** Bin label, e.g. `'(1000, 2500]'`, `'{car, tv}'`, `'missing'`. */
  readonly bin: string;
  /** WoE of the bin. */
  readonly woe: number;
  /** Logistic-regression coefficient of the feature (on the WoE, for the log-odds of bad). */
  readonly coef: number;
  /** Points of the attribute: `offset/k − factor·(coef·woe + intercept/k)` (rounded with `roundPoints`). */
  readonly points: number;
}

/**
 * A reason code in points: how many points a row lost on a feature against the best bin of that feature.
 *
 * @category Models
 */
export interface ScorecardReason {
  /** Feature name. */
  readonly feature: string;
  /** The row's bin. */
  readonly bin: string;
  /** The row's points on the feature. */
  readonly points: number;
  /** Points below the feature's maximum (`max points − points`, ≥ 0). */
  readonly pointsLost: number;
}

/**
 * A fitted {@link scorecard}.
 *
 * @category Models
 */
export interface FittedScorecard {
  readonly kind: 'Scorecard';
  readonly params: Readonly<ScorecardParams>;
  /** The fitted WoE binning (usable alone as an encoder). */
  readonly binning: FittedWoeBinning;
  /** The logistic regression on the WoE values (log-odds of bad). */
  readonly model: FittedLogisticRegression;
  /** Scaling factor `pdo / ln 2`. */
  readonly factor: number;
  /** Scaling offset `basePoints − factor · ln(baseOdds)`. */
  readonly offset: number;
  /** Points of every bin of every feature. */
  readonly pointsTable: readonly ScorecardPoints[];
  /** Total points per row (higher = lower risk): `offset + factor · ln(good:bad odds)`, or the sum of rounded points. */
  score(table: Table): number[];
  /** Probability of bad per row, from the logistic regression. */
  predictProba(table: Table): number[];
  /** The `topK` features on which each row lost the most points, largest loss first (features with no loss left out). */
  reasonCodes(table: Table, topK?: number): ScorecardReason[][];
  /** The finml envelope. */
  toJSON(): EstimatorJSON;
}

/**
 * Unfitted {@link scorecard} spec.
 *
 * @category Models
 */
export interface Scorecard {
  readonly kind: 'Scorecard';
  readonly params: Readonly<ScorecardParams>;
  /** Bins, fits the logistic regression on the WoE values, and scales the points. */
  fit(table: Table): FittedScorecard;
  /** A new spec with some parameters replaced (validated again). */
  withParams(patch: Partial<ScorecardParams>): Scorecard;
  /** Not available before fit: throws NotFittedError. */
  readonly score: (...args: never[]) => never;
}

const KIND = 'Scorecard';
const DEFAULTS: Omit<ScorecardParams, 'target'> = { positive: null, basePoints: 600, baseOdds: 50, pdo: 20, l2: 0, roundPoints: false, binning: {} };
const RULES: RuleTable<ScorecardParams> = {
  target: rules.string(),
  positive: rules.nullable(rules.string()),
  basePoints: rules.number(),
  baseOdds: rules.number({ min: 0, exclusiveMin: true }),
  pdo: rules.number({ min: 0, exclusiveMin: true }),
  l2: rules.number({ min: 0 }),
  roundPoints: rules.boolean(),
  binning: rules.custom('WoE binning options (no target/positive)', (v) => typeof v === 'object' && v !== null && !Array.isArray(v) && !('target' in v) && !('positive' in v)),
};

function resolve(fn: string, params: unknown): ScorecardParams {
  if (typeof params !== 'object' || params === null || typeof (params as { target?: unknown }).target !== 'string') {
    throw new InvalidOptionError({ fn, arg: 'target', expected: 'the name of the binary target column', got: describeValue((params as { target?: unknown } | null)?.target) });
  }
  const p = resolveOptions(fn, params as Partial<ScorecardParams>, { ...DEFAULTS, target: '' }, RULES) as ScorecardParams;
  // validate the binning options now (a bad one is an InvalidOptionError naming it)
  try {
    woeBinning({ ...p.binning, target: p.target, positive: p.positive });
  } catch (e) {
    if (e instanceof InvalidOptionError) throw new InvalidOptionError({ fn, arg: 'binning', expected: 'valid woeBinning options', got: e.message });
    throw e;
  }
  return p;
}

/**
 * Scorecard scaling (Siddiqi): `factor = pdo / ln 2`, `offset = basePoints − factor · ln(baseOdds)`,
 * so that `score = offset + factor · ln(good:bad odds)`.
 */
function scaling(p: ScorecardParams): { factor: number; offset: number } {
  const factor = p.pdo / Math.LN2;
  return { factor, offset: p.basePoints - factor * Math.log(p.baseOdds) };
}

function makeFitted(params: ScorecardParams, binning: FittedWoeBinning, model: FittedLogisticRegression): FittedScorecard {
  const { factor, offset } = scaling(params);
  const feats = binning.state.features;
  const k = feats.length;
  const coef = model.state.coef;
  const b0 = model.state.intercept;
  const pts = (j: number, woe: number): number => {
    const v = offset / k - factor * ((coef[j] as number) * woe + b0 / k);
    return params.roundPoints ? Math.round(v) : v;
  };
  const binPoints = feats.map((f, j) => f.bins.map((b) => pts(j, b.woe)));
  // a value without a bin (missing where the fit saw none) has WoE 0
  const neutral = feats.map((_, j) => pts(j, 0));
  const pointsTable: ScorecardPoints[] = feats.flatMap((f, j) => f.bins.map((b, i) => ({ feature: f.name, bin: b.label, woe: b.woe, coef: coef[j] as number, points: binPoints[j]?.[i] as number })));
  const rowPoints = (table: Table): number[][] => binning.binIndices(table).map((r) => r.map((bi, j) => (bi === -1 ? (neutral[j] as number) : (binPoints[j]?.[bi] as number))));
  const maxPoints = binPoints.map((ps, j) => Math.max(neutral[j] as number, ...ps));
  return deepFreeze({
    kind: KIND,
    params,
    binning,
    model,
    factor,
    offset,
    pointsTable,
    score: (table: Table) => rowPoints(table).map((r) => r.reduce((a, b) => a + b, 0)),
    predictProba: (table: Table) => model.predictProba(binning.transform(table)),
    reasonCodes(table: Table, topK = 3): ScorecardReason[][] {
      if (!Number.isInteger(topK) || topK < 1) throw new InvalidOptionError({ fn: `${KIND}.reasonCodes`, arg: 'topK', expected: 'an integer ≥ 1', got: describeValue(topK) });
      const idx = binning.binIndices(table);
      return rowPoints(table).map((r, i) =>
        r
          .map((p, j) => ({ feature: feats[j]?.name as string, bin: idx[i]?.[j] === -1 ? 'missing (unseen at fit)' : (feats[j]?.bins[idx[i]?.[j] as number]?.label as string), points: p, pointsLost: (maxPoints[j] as number) - p }))
          .filter((e) => e.pointsLost > 1e-9)
          .sort((a, b) => b.pointsLost - a.pointsLost || (a.feature < b.feature ? -1 : 1))
          .slice(0, topK),
      );
    },
    toJSON: (): EstimatorJSON => ({ kind: KIND, version: 1, params: JSON.parse(JSON.stringify(params)) as EstimatorJSON['params'], state: { binning: binning.toJSON(), model: model.toJSON() } as unknown as EstimatorJSON['state'] }),
  }) as FittedScorecard;
}

/**
 * A credit scorecard: {@link woeBinning} of every feature, a logistic regression of the bad
 * outcome on the WoE values, and points scaled so that the score is `basePoints` at good:bad odds
 * `baseOdds` and rises by `pdo` points each time the odds double:
 * `factor = pdo / ln 2`, `offset = basePoints − factor · ln(baseOdds)`, and each attribute (bin) of
 * feature j gets `offset/k − factor · (βⱼ · WoE + β₀/k)` points (k features), so that the total
 * is `offset + factor · ln(odds)`. With the textbook scaling (600 points at 50:1, PDO 20):
 * factor = 28.85, offset = 487.12. Reason codes give each row's largest point losses against the
 * best bin of each feature.
 *
 * @param params - `target` (required), event label, scaling, L2 penalty, rounding, and binning options ({@link ScorecardParams}).
 * @returns A frozen spec; `fit(table)` returns a {@link FittedScorecard}.
 * @throws {InvalidOptionError} no `target`, or an invalid parameter (binning options included).
 * @example
 * ```ts
 * import { createTable, scorecard } from 'finml';
 * const t = createTable({
 *   income: [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12],
 *   bad: [1, 1, 0, 1, 0, 1, 0, 0, 0, 1, 0, 0],
 * });
 * const card = scorecard({ target: 'bad', binning: { minBinShare: 0.25, maxBins: 3 } }).fit(t);
 * card.factor; //=> 28.85390081777927 (20 / ln 2)
 * card.score(t).length; //=> 12
 * ```
 * @category Models
 */
export function scorecard(params: Partial<ScorecardParams> & { readonly target: string }): Scorecard {
  const fn = 'scorecard';
  const p = deepFreeze(resolve(fn, params));
  return Object.freeze({
    kind: KIND,
    params: p,
    withParams: (patch: Partial<ScorecardParams>) => scorecard({ ...p, ...patch }),
    score: (): never => {
      throw new NotFittedError(`${KIND}.score`, KIND);
    },
    fit(table: Table): FittedScorecard {
      const f = `${KIND}.fit`;
      const binning = woeBinning({ ...p.binning, target: p.target, positive: p.positive }).fit(table);
      const { y } = extractTarget(table, p.target, { task: 'binary', positive: binning.state.classes[1] as string });
      const x = binning.transform(table);
      let model: FittedLogisticRegression;
      try {
        model = logisticRegression({ l2: p.l2 }).fit(x, y);
      } catch (e) {
        if (e instanceof DataError) throw new DataError({ fn: f, arg: 'table', expected: 'data on which the logistic regression on WoE values has a finite optimum (try l2 > 0)', got: e.message }, { cause: e });
        throw e;
      }
      return makeFitted(p, binning, model);
    },
  }) as Scorecard;
}

/**
 * Restores a fitted {@link scorecard} from its `toJSON()` envelope.
 *
 * @param json - A parsed `FittedScorecard.toJSON()` envelope.
 * @returns The fitted scorecard, scoring exactly like the saved one.
 * @throws {SerializationError} a malformed envelope.
 * @example
 * ```ts
 * import { createTable, scorecard, scorecardFromJSON } from 'finml';
 * const t = createTable({ x: [1, 2, 3, 4, 5, 6, 7, 8], y: [0, 1, 0, 0, 1, 0, 1, 1] });
 * const card = scorecard({ target: 'y', binning: { minBinShare: 0.25 } }).fit(t);
 * scorecardFromJSON(JSON.parse(JSON.stringify(card.toJSON()))).score(t); //=> card.score(t)
 * ```
 * @category Models
 */
export function scorecardFromJSON(json: unknown): FittedScorecard {
  const fn = 'scorecardFromJSON';
  const env = checkEnvelope(json, KIND, [1], fn);
  const params = paramsFromJSON<ScorecardParams>(fn, env.params, (q) => resolve(fn, q));
  const st = env.state as { binning?: unknown; model?: unknown };
  if (typeof st !== 'object' || st === null || st.binning === undefined || st.model === undefined) throw new SerializationError({ fn, arg: 'state', expected: '{ binning, model }', got: describeValue(st) });
  const binning = woeBinningFromJSON(st.binning);
  const model = logisticRegressionFromJSON(st.model);
  if (model.nFeaturesIn !== binning.featureNames.length) throw new SerializationError({ fn, arg: 'state.model', expected: `${binning.featureNames.length} coefficients (one per binned feature)`, got: `${model.nFeaturesIn}` });
  return makeFitted(params, binning, model);
}
