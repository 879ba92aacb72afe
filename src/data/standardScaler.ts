/**
 * Standardization (zero mean, unit variance per column), equal to scikit-learn's StandardScaler.
 *
 * @module
 */
import { type RuleTable, resolveOptions, rules } from '../core/options';
import type { DenseMatrix } from '../core/matrix';
import { readNumberArray } from '../core/estimator';
import { type MatrixDef, makeSpec, mapColumns, restoreFitted } from './_internal/matrixTransformer';
import { centerScale, columnMeanVar, requireFiniteState } from './_internal/scalerMath';
import type { InvertibleMatrixTransformer, MatrixTransformerSpec } from './transformer';

/**
 * Options of {@link standardScaler}.
 * @category Data
 */
export interface StandardScalerParams {
  /** Subtract the column mean. @defaultValue true */
  readonly withMean?: boolean;
  /** Divide by the column standard deviation (population, ddof = 0). @defaultValue true */
  readonly withStd?: boolean;
}

/**
 * Fitted state of a standard scaler (like sklearn's `mean_`, `var_`, `scale_`).
 * @category Data
 */
export interface StandardScalerState {
  /** Column means subtracted by transform (all 0 when `withMean` is false). */
  readonly mean: readonly number[];
  readonly variance: readonly number[];
  /** sqrt(variance), or 1 for constant columns (and when withStd is false). */
  readonly scale: readonly number[];
}

/**
 * A fitted standard scaler.
 * @category Data
 */
export type FittedStandardScaler = InvertibleMatrixTransformer<Required<StandardScalerParams>, StandardScalerState>;
/**
 * An unfitted standard scaler spec.
 * @category Data
 */
export type StandardScalerSpec = MatrixTransformerSpec<Required<StandardScalerParams>, FittedStandardScaler>;

const STANDARD_SCALER_DEFAULTS = { withMean: true, withStd: true } as const satisfies Required<StandardScalerParams>;
const RULES: RuleTable<Required<StandardScalerParams>> = { withMean: rules.boolean(), withStd: rules.boolean() };

/** sklearn's _is_constant_feature: variance indistinguishable from 0 given rounding. */
function isConstant(variance: number, mean: number, n: number): boolean {
  const eps = Number.EPSILON;
  return variance <= n * eps * variance + (n * mean * eps) ** 2;
}

function standardState(x: DenseMatrix, p: Readonly<Required<StandardScalerParams>>): StandardScalerState {
  const { rows: n, cols: c, data } = x;
  const mean = new Array<number>(c).fill(0);
  const variance = new Array<number>(c).fill(0);
  const scale = new Array<number>(c).fill(1);
  for (let j = 0; j < c; j++) {
    // Scaled accumulation for values near the float64 limit (plain two-pass sums otherwise).
    const { mean: m, variance: v, std } = columnMeanVar(data, n, c, j);
    mean[j] = m;
    variance[j] = v;
    scale[j] = p.withStd && !isConstant(v, m, n) ? std : 1;
  }
  requireFiniteState('standardScaler.fit', 'variance', variance, 'the variance is stored with the scaler');
  return { mean: Object.freeze(p.withMean ? mean : mean.map(() => 0)), variance: Object.freeze(variance), scale: Object.freeze(scale) };
}

function applyStandard(x: DenseMatrix, s: Readonly<StandardScalerState>): DenseMatrix {
  return mapColumns(x, (v, j) => centerScale(v, s.mean[j] as number, s.scale[j] as number));
}

const DEF: MatrixDef<Required<StandardScalerParams>, StandardScalerState> = {
  kind: 'StandardScaler',
  fn: 'standardScaler',
  version: 1,
  allowNaN: false,
  fitState: standardState,
  apply: applyStandard,
  invert: (x, s) => mapColumns(x, (v, j) => v * (s.scale[j] as number) + (s.mean[j] as number)),
  stateToJSON: (s) => ({ mean: [...s.mean], variance: [...s.variance], scale: [...s.scale] }),
};

/**
 * Creates a standard scaler spec (scikit-learn `StandardScaler`): per column, subtract the mean
 * and divide by the population standard deviation; constant columns get scale 1.
 *
 * @param params - {@link StandardScalerParams}.
 * @returns A frozen spec; `fit(x)` returns a frozen {@link FittedStandardScaler}.
 * @throws {InvalidOptionError} for unknown or invalid params.
 * @example
 * ```ts
 * import { standardScaler } from 'finml';
 * const f = standardScaler().fit([[1, 5], [3, 5]]);
 * f.state.mean; //=> [2, 5]
 * f.transform([[3, 5]]); //=> [[1, 0]]
 * f.inverseTransform([[1, 0]]); //=> [[3, 5]]
 * ```
 * @category Data
 */
export function standardScaler(params?: StandardScalerParams): StandardScalerSpec {
  const p = resolveOptions<Required<StandardScalerParams>>('standardScaler', params, STANDARD_SCALER_DEFAULTS, RULES);
  return makeSpec(DEF, p, standardScaler);
}

/**
 * Restores a fitted standard scaler from its `toJSON()` envelope.
 *
 * @param json - A parsed `toJSON()` envelope (e.g. from `JSON.parse`).
 * @returns the fitted object, behaving exactly like the one that was saved.
 * @throws {SerializationError} on a malformed envelope.
 * @example
 * ```ts
 * import { standardScaler, standardScalerFromJSON } from 'finml';
 * const f = standardScaler().fit([[1], [3]]);
 * const g = standardScalerFromJSON(JSON.parse(JSON.stringify(f.toJSON())));
 * g.transform([[3]]); //=> [[1]]
 * ```
 * @category Data
 */
export function standardScalerFromJSON(json: unknown): FittedStandardScaler {
  const fn = 'standardScalerFromJSON';
  return restoreFitted(json, DEF, fn, standardScaler, (s, n) => ({
    mean: Object.freeze(readNumberArray(s, 'mean', fn, { length: n })),
    variance: Object.freeze(readNumberArray(s, 'variance', fn, { length: n })),
    scale: Object.freeze(readNumberArray(s, 'scale', fn, { length: n })),
  }));
}

