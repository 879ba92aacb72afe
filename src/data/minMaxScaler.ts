/**
 * Min-max scaling to a feature range, equal to scikit-learn's MinMaxScaler.
 *
 * @module
 */
import { type RuleTable, resolveOptions, rules } from '../core/options';
import type { DenseMatrix } from '../core/matrix';
import { readNumberArray } from '../core/estimator';
import { type MatrixDef, makeSpec, mapColumns, restoreFitted } from './_internal/matrixTransformer';
import { requireFiniteState } from './_internal/scalerMath';
import type { InvertibleMatrixTransformer, MatrixTransformerSpec } from './transformer';

/**
 * Options of {@link minMaxScaler}.
 * @category Data
 */
export interface MinMaxScalerParams {
  /** Target range `[min, max]` with min < max. @defaultValue [0, 1] */
  readonly featureRange?: readonly [number, number];
  /** Clip transformed values of new data to the feature range. @defaultValue false */
  readonly clip?: boolean;
}

/**
 * Fitted state of a min-max scaler (like sklearn's `data_min_`, `data_max_`, `scale_`, `min_`).
 * @category Data
 */
export interface MinMaxScalerState {
  readonly dataMin: readonly number[];
  readonly dataMax: readonly number[];
  /** (rangeMax - rangeMin) / (dataMax - dataMin), with a zero data range treated as 1. */
  readonly scale: readonly number[];
  /** rangeMin - dataMin * scale; transform is `x * scale + min`. */
  readonly min: readonly number[];
  /** Output clip bounds (copied from featureRange) or null when not clipping. */
  readonly clipRange: readonly [number, number] | null;
}

/**
 * A fitted min-max scaler.
 * @category Data
 */
export type FittedMinMaxScaler = InvertibleMatrixTransformer<Required<MinMaxScalerParams>, MinMaxScalerState>;
/**
 * An unfitted min-max scaler spec.
 * @category Data
 */
export type MinMaxScalerSpec = MatrixTransformerSpec<Required<MinMaxScalerParams>, FittedMinMaxScaler>;

const MIN_MAX_SCALER_DEFAULTS = { featureRange: [0, 1], clip: false } as const satisfies Required<MinMaxScalerParams>;
const RULES: RuleTable<Required<MinMaxScalerParams>> = {
  featureRange: rules.custom(
    'an array [min, max] of two finite numbers with min < max',
    (v) => Array.isArray(v) && v.length === 2 && v.every((x) => typeof x === 'number' && Number.isFinite(x)) && (v[0] as number) < (v[1] as number),
  ),
  clip: rules.boolean(),
};

function minMaxState(x: DenseMatrix, p: Readonly<Required<MinMaxScalerParams>>): MinMaxScalerState {
  const { rows: n, cols: c, data } = x;
  const [lo, hi] = p.featureRange;
  const dataMin: number[] = [];
  const dataMax: number[] = [];
  const scale: number[] = [];
  const min: number[] = [];
  for (let j = 0; j < c; j++) {
    let a = Infinity;
    let b = -Infinity;
    for (let i = 0; i < n; i++) {
      const v = data[i * c + j] as number;
      if (v < a) a = v;
      if (v > b) b = v;
    }
    const range = b - a;
    // Halved differences when the data range or the feature range exceeds float64 (e.g. ±1.7e308).
    const s = range === 0 ? hi - lo : Number.isFinite(range) && Number.isFinite(hi - lo) ? (hi - lo) / range : (hi / 2 - lo / 2) / (b / 2 - a / 2);
    dataMin.push(a);
    dataMax.push(b);
    scale.push(s);
    min.push(lo - a * s);
  }
  requireFiniteState('minMaxScaler.fit', 'offset', min, 'it is stored with the scaler');
  return {
    dataMin: Object.freeze(dataMin),
    dataMax: Object.freeze(dataMax),
    scale: Object.freeze(scale),
    min: Object.freeze(min),
    clipRange: p.clip ? Object.freeze([lo, hi] as [number, number]) : null,
  };
}

function applyMinMax(x: DenseMatrix, s: Readonly<MinMaxScalerState>): DenseMatrix {
  const cr = s.clipRange;
  return mapColumns(x, (v, j) => {
    const t = v * (s.scale[j] as number) + (s.min[j] as number);
    return cr === null ? t : Math.min(cr[1], Math.max(cr[0], t));
  });
}

const DEF: MatrixDef<Required<MinMaxScalerParams>, MinMaxScalerState> = {
  kind: 'MinMaxScaler',
  fn: 'minMaxScaler',
  version: 1,
  allowNaN: false,
  fitState: minMaxState,
  apply: applyMinMax,
  invert: (x, s) => mapColumns(x, (v, j) => (v - (s.min[j] as number)) / (s.scale[j] as number)),
  stateToJSON: (s) => ({
    dataMin: [...s.dataMin],
    dataMax: [...s.dataMax],
    scale: [...s.scale],
    min: [...s.min],
    clipRange: s.clipRange === null ? null : [...s.clipRange],
  }),
};

/**
 * Creates a min-max scaler spec (scikit-learn `MinMaxScaler`): maps each column's fitted
 * [min, max] linearly onto `featureRange`; a constant column gets scale 1.
 *
 * @param params - {@link MinMaxScalerParams}.
 * @returns A frozen spec; `fit(x)` returns a frozen {@link FittedMinMaxScaler}.
 * @throws {InvalidOptionError} for unknown or invalid params.
 * @example
 * ```ts
 * import { minMaxScaler } from 'finml';
 * const f = minMaxScaler({ featureRange: [-1, 1] }).fit([[0], [10]]);
 * f.transform([[5], [20]]); //=> [[0], [3]]
 * ```
 * @category Data
 */
export function minMaxScaler(params?: MinMaxScalerParams): MinMaxScalerSpec {
  const given = params?.featureRange !== undefined ? { ...params, featureRange: Object.freeze([...params.featureRange]) as unknown as readonly [number, number] } : params;
  const p = resolveOptions<Required<MinMaxScalerParams>>('minMaxScaler', given, MIN_MAX_SCALER_DEFAULTS, RULES);
  return makeSpec(DEF, p, minMaxScaler);
}

/**
 * Restores a fitted min-max scaler from its `toJSON()` envelope.
 * @param json - A parsed `toJSON()` envelope (e.g. from `JSON.parse`).
 * @returns the fitted object, behaving exactly like the one that was saved.
 * @throws {SerializationError} on a malformed envelope.
 * @example
 * ```ts
 * import { minMaxScalerFromJSON, minMaxScaler } from 'finml';
 * const g = minMaxScalerFromJSON(JSON.parse(JSON.stringify(minMaxScaler().fit([[0], [2]]).toJSON())));
 * g.transform([[1]]); //=> [[0.5]]
 * ```
 * @category Data
 */
export function minMaxScalerFromJSON(json: unknown): FittedMinMaxScaler {
  const fn = 'minMaxScalerFromJSON';
  return restoreFitted(json, DEF, fn, minMaxScaler, (s, n) => {
    const cr = s.clipRange;
    return {
      dataMin: Object.freeze(readNumberArray(s, 'dataMin', fn, { length: n })),
      dataMax: Object.freeze(readNumberArray(s, 'dataMax', fn, { length: n })),
      scale: Object.freeze(readNumberArray(s, 'scale', fn, { length: n })),
      min: Object.freeze(readNumberArray(s, 'min', fn, { length: n })),
      clipRange: cr === null ? null : (Object.freeze(readNumberArray(s, 'clipRange', fn, { length: 2 })) as unknown as readonly [number, number]),
    };
  });
}
