/**
 * Outlier-robust scaling (median / interquartile range), equal to scikit-learn's RobustScaler.
 *
 * @module
 */
import { type RuleTable, resolveOptions, rules } from '../core/options';
import type { DenseMatrix } from '../core/matrix';
import { readNumberArray } from '../core/estimator';
import { type MatrixDef, makeSpec, mapColumns, restoreFitted } from './_internal/matrixTransformer';
import { percentileSorted, sortedColumn } from '../core/_internal/stats';
import { centerScale, requireFiniteState } from './_internal/scalerMath';
import type { InvertibleMatrixTransformer, MatrixTransformerSpec } from './transformer';

/**
 * Options of {@link robustScaler}.
 * @category Data
 */
export interface RobustScalerParams {
  /** Percentiles `[qLow, qHigh]` (0 <= qLow < qHigh <= 100) whose difference is the scale. @defaultValue [25, 75] */
  readonly quantileRange?: readonly [number, number];
  /** Subtract the median. @defaultValue true */
  readonly withCentering?: boolean;
  /** Divide by the quantile range. @defaultValue true */
  readonly withScaling?: boolean;
}

/**
 * Fitted state of a robust scaler (like sklearn's `center_`, `scale_`).
 * @category Data
 */
export interface RobustScalerState {
  /** Column medians (0 when withCentering is false). */
  readonly center: readonly number[];
  /** Quantile ranges, 1 where the range is 0 (and when withScaling is false). */
  readonly scale: readonly number[];
}

/**
 * A fitted robust scaler.
 * @category Data
 */
export type FittedRobustScaler = InvertibleMatrixTransformer<Required<RobustScalerParams>, RobustScalerState>;
/**
 * An unfitted robust scaler spec.
 * @category Data
 */
export type RobustScalerSpec = MatrixTransformerSpec<Required<RobustScalerParams>, FittedRobustScaler>;

const ROBUST_SCALER_DEFAULTS = { quantileRange: [25, 75], withCentering: true, withScaling: true } as const satisfies Required<RobustScalerParams>;
const RULES: RuleTable<Required<RobustScalerParams>> = {
  quantileRange: rules.custom(
    'an array [qLow, qHigh] with 0 <= qLow < qHigh <= 100',
    (v) =>
      Array.isArray(v) &&
      v.length === 2 &&
      v.every((x) => typeof x === 'number' && Number.isFinite(x) && x >= 0 && x <= 100) &&
      (v[0] as number) < (v[1] as number),
  ),
  withCentering: rules.boolean(),
  withScaling: rules.boolean(),
};

function robustState(x: DenseMatrix, p: Readonly<Required<RobustScalerParams>>): RobustScalerState {
  const center: number[] = [];
  const scale: number[] = [];
  for (let j = 0; j < x.cols; j++) {
    const s = sortedColumn(x.data, x.rows, x.cols, j);
    center.push(p.withCentering ? percentileSorted(s, 50) : 0);
    const r = percentileSorted(s, p.quantileRange[1]) - percentileSorted(s, p.quantileRange[0]);
    scale.push(p.withScaling && r !== 0 ? r : 1);
  }
  requireFiniteState('robustScaler.fit', 'interquantile range', scale, 'it is the scale');
  return { center: Object.freeze(center), scale: Object.freeze(scale) };
}

function applyRobust(x: DenseMatrix, s: Readonly<RobustScalerState>): DenseMatrix {
  return mapColumns(x, (v, j) => centerScale(v, s.center[j] as number, s.scale[j] as number));
}

const DEF: MatrixDef<Required<RobustScalerParams>, RobustScalerState> = {
  kind: 'RobustScaler',
  fn: 'robustScaler',
  version: 1,
  allowNaN: false,
  fitState: robustState,
  apply: applyRobust,
  invert: (x, s) => mapColumns(x, (v, j) => v * (s.scale[j] as number) + (s.center[j] as number)),
  stateToJSON: (s) => ({ center: [...s.center], scale: [...s.scale] }),
};

/**
 * Creates a robust scaler spec (scikit-learn `RobustScaler`): subtracts the median and divides by
 * the interquartile range (numpy linear-interpolation percentiles); a zero range gets scale 1.
 *
 * @param params - {@link RobustScalerParams}.
 * @returns A frozen spec; `fit(x)` returns a frozen {@link FittedRobustScaler}.
 * @throws {InvalidOptionError} for unknown or invalid params.
 * @example
 * ```ts
 * import { robustScaler } from 'finml';
 * const f = robustScaler().fit([[1], [2], [3], [4], [100]]);
 * f.state.center; //=> [3]
 * f.state.scale;  //=> [2]
 * ```
 * @category Data
 */
export function robustScaler(params?: RobustScalerParams): RobustScalerSpec {
  const given = params?.quantileRange !== undefined ? { ...params, quantileRange: Object.freeze([...params.quantileRange]) as unknown as readonly [number, number] } : params;
  const p = resolveOptions<Required<RobustScalerParams>>('robustScaler', given, ROBUST_SCALER_DEFAULTS, RULES);
  return makeSpec(DEF, p, robustScaler);
}

/**
 * Restores a fitted robust scaler from its `toJSON()` envelope.
 * @param json - A parsed `toJSON()` envelope (e.g. from `JSON.parse`).
 * @returns the fitted object, behaving exactly like the one that was saved.
 * @throws {SerializationError} on a malformed envelope.
 * @example
 * ```ts
 * import { robustScalerFromJSON, robustScaler } from 'finml';
 * const g = robustScalerFromJSON(JSON.parse(JSON.stringify(robustScaler().fit([[1], [3]]).toJSON())));
 * ```
 * @category Data
 */
export function robustScalerFromJSON(json: unknown): FittedRobustScaler {
  const fn = 'robustScalerFromJSON';
  return restoreFitted(json, DEF, fn, robustScaler, (s, n) => ({
    center: Object.freeze(readNumberArray(s, 'center', fn, { length: n })),
    scale: Object.freeze(readNumberArray(s, 'scale', fn, { length: n })),
  }));
}
