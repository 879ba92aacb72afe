/**
 * Ordinal (integer code) encoding of string columns, like scikit-learn's OrdinalEncoder.
 *
 * @module
 */
import { type RuleTable, resolveOptions, rules } from '../core/options';
import { DataError, InvalidOptionError, describeValue } from '../core/errors';
import { type DenseMatrix, denseToArrays } from '../core/matrix';
import { type EstimatorJSON, type JsonValue, notFitted } from '../core/estimator';
import { fitCategories, readCategories, restoreCategorical, toStringColumns } from './_internal/categorical';
import type { CategoricalInput } from './table';

/**
 * Options of {@link ordinalEncoder}.
 * @category Data
 */
export interface OrdinalEncoderParams {
  /** Unseen category at transform: `'error'` → DataError, `'useEncodedValue'` → `unknownValue`. @defaultValue 'error' */
  readonly handleUnknown?: 'error' | 'useEncodedValue';
  /** Code of unseen categories (required with 'useEncodedValue'; must not be a valid code 0..K-1). @defaultValue null */
  readonly unknownValue?: number | null;
}

/**
 * Fitted state of an ordinal encoder.
 * @category Data
 */
export interface OrdinalEncoderState {
  /** Input column names. */
  readonly columns: readonly string[];
  /** Sorted categories per column; a category's code is its index. */
  readonly categories: readonly (readonly string[])[];
}

/**
 * A fitted ordinal encoder.
 * @category Data
 */
export interface FittedOrdinalEncoder {
  readonly kind: 'OrdinalEncoder';
  readonly params: Readonly<Required<OrdinalEncoderParams>>;
  readonly state: OrdinalEncoderState;
  readonly nFeaturesIn: number;
  readonly nFeaturesOut: number;
  /** Output column names (the input column names). */
  readonly featureNames: readonly string[];
  /** Input column name → its output column index (one each). */
  readonly featureGroups: Readonly<Record<string, readonly number[]>>;
  /** Encodes each value as the index of its category. @throws {ShapeError} @throws {DataError} */
  transform(x: CategoricalInput): number[][];
  /** Same as `transform`, as a {@link DenseMatrix}. */
  transformDense(x: CategoricalInput): DenseMatrix;
  /** Maps codes back to categories (unknownValue → null). @throws {ShapeError} @throws {DataError} invalid code. */
  inverseTransform(codes: readonly (readonly number[])[]): (string | null)[][];
  /** Serialises the fitted state to the finml envelope `{ kind, version, params, state }` (JSON values only). */
  toJSON(): EstimatorJSON;
}

/**
 * An unfitted ordinal encoder spec.
 * @category Data
 */
export interface OrdinalEncoderSpec {
  readonly kind: 'OrdinalEncoder';
  readonly params: Readonly<Required<OrdinalEncoderParams>>;
  /** Learns the sorted categories of every column. @throws {DataError} empty input or missing values. */
  fit(x: CategoricalInput): FittedOrdinalEncoder;
  /** A new spec with the given params replaced (validated like the factory); this spec is unchanged. */
  withParams(patch: Partial<OrdinalEncoderParams>): OrdinalEncoderSpec;
  /** Not available before `fit`: throws NotFittedError. */
  readonly transform: (...args: never[]) => never;
}

const ORDINAL_ENCODER_DEFAULTS = { handleUnknown: 'error', unknownValue: null } as const satisfies Required<OrdinalEncoderParams>;
const RULES: RuleTable<Required<OrdinalEncoderParams>> = {
  handleUnknown: rules.oneOf(['error', 'useEncodedValue'] as const),
  unknownValue: rules.nullable(rules.int()),
};

function makeFitted(params: Readonly<Required<OrdinalEncoderParams>>, state: OrdinalEncoderState): FittedOrdinalEncoder {
  const fn = 'ordinalEncoder.transform';
  const lookups = state.categories.map((cats) => new Map(cats.map((c, k) => [c, k] as const)));
  const w = state.columns.length;
  const transformDense = (x: CategoricalInput): DenseMatrix => {
    const s = toStringColumns(x, 'x', fn, { names: state.columns, allowNull: true, minRows: 0 });
    const data = new Float64Array(s.nRows * w);
    s.cols.forEach((col, j) => {
      const lookup = lookups[j] as Map<string, number>;
      for (let i = 0; i < s.nRows; i++) {
        const v = col[i] as string | null;
        const k = v === null ? undefined : lookup.get(v);
        if (k === undefined) {
          if (params.handleUnknown === 'useEncodedValue' && params.unknownValue !== null) {
            data[i * w + j] = params.unknownValue;
            continue;
          }
          throw new DataError({
            fn,
            arg: 'x',
            expected: `a category seen in fit for column ${JSON.stringify(state.columns[j])} (or handleUnknown: 'useEncodedValue')`,
            got: `${v === null ? 'a missing value' : describeValue(v)} at row ${i}`,
          });
        }
        data[i * w + j] = k;
      }
    });
    return { rows: s.nRows, cols: w, data };
  };
  const groups: Record<string, readonly number[]> = {};
  state.columns.forEach((c, j) => {
    groups[c] = Object.freeze([j]);
  });
  return Object.freeze({
    kind: 'OrdinalEncoder' as const,
    params,
    state,
    nFeaturesIn: w,
    nFeaturesOut: w,
    featureNames: state.columns,
    featureGroups: Object.freeze(groups),
    transform: (x: CategoricalInput) => denseToArrays(transformDense(x)),
    transformDense,
    inverseTransform: (codes: readonly (readonly number[])[]) => {
      const ifn = 'ordinalEncoder.inverseTransform';
      return codes.map((r, i) => {
        if (!Array.isArray(r) || r.length !== w) {
          throw new DataError({ fn: ifn, arg: 'codes', expected: `rows of ${w} codes`, got: `row ${i} with ${describeValue(r)}` });
        }
        return r.map((v: number, j: number) => {
          if (params.unknownValue !== null && v === params.unknownValue) return null;
          const cat = state.categories[j]?.[v];
          if (cat === undefined) throw new DataError({ fn: ifn, arg: 'codes', expected: `a code of column ${JSON.stringify(state.columns[j])}`, got: `${describeValue(v)} at row ${i}` });
          return cat;
        });
      });
    },
    toJSON: (): EstimatorJSON => ({
      kind: 'OrdinalEncoder',
      version: 1,
      params: { ...params } as unknown as JsonValue,
      state: { columns: [...state.columns], categories: state.categories.map((c) => [...c]) },
    }),
  });
}

/**
 * Creates an ordinal encoder spec: each string column becomes the index of its value among the
 * column's sorted categories (scikit-learn order).
 *
 * @param params - {@link OrdinalEncoderParams}.
 * @returns A frozen spec; `fit(x)` returns a frozen {@link FittedOrdinalEncoder}.
 * @throws {InvalidOptionError} invalid params, or 'useEncodedValue' without an `unknownValue`.
 * @example
 * ```ts
 * import { ordinalEncoder } from 'finml';
 * const enc = ordinalEncoder({ handleUnknown: 'useEncodedValue', unknownValue: -1 }).fit([['b'], ['a']]);
 * enc.transform([['a'], ['b'], ['z']]); //=> [[0], [1], [-1]]
 * ```
 * @category Data
 */
export function ordinalEncoder(params?: OrdinalEncoderParams): OrdinalEncoderSpec {
  const fn = 'ordinalEncoder';
  const p = resolveOptions<Required<OrdinalEncoderParams>>(fn, params, ORDINAL_ENCODER_DEFAULTS, RULES);
  if (p.handleUnknown === 'useEncodedValue' && p.unknownValue === null) {
    throw new InvalidOptionError({ fn, arg: 'unknownValue', expected: "an integer when handleUnknown is 'useEncodedValue'", got: 'null' });
  }
  return Object.freeze({
    kind: 'OrdinalEncoder' as const,
    params: p,
    fit: (x: CategoricalInput) => {
      const state = fitCategories(x, 'ordinalEncoder.fit');
      const u = p.unknownValue;
      if (p.handleUnknown === 'useEncodedValue' && u !== null) {
        const k = Math.max(...state.categories.map((c) => c.length));
        if (u >= 0 && u < k) {
          throw new InvalidOptionError({ fn: 'ordinalEncoder.fit', arg: 'unknownValue', expected: `a value that is not a category code (outside 0..${k - 1})`, got: String(u) });
        }
      }
      return makeFitted(p, state);
    },
    withParams: (patch: Partial<OrdinalEncoderParams>) => ordinalEncoder({ ...p, ...patch }),
    transform: notFitted('OrdinalEncoder', 'transform'),
  });
}

/**
 * Restores a fitted ordinal encoder from its `toJSON()` envelope.
 * @param json - A parsed `toJSON()` envelope (e.g. from `JSON.parse`).
 * @returns the fitted object, behaving exactly like the one that was saved.
 * @throws {SerializationError} on a malformed envelope.
 * @example
 * ```ts
 * import { ordinalEncoder, ordinalEncoderFromJSON } from 'finml';
 * const enc = ordinalEncoder().fit([['a'], ['b']]);
 * ordinalEncoderFromJSON(JSON.parse(JSON.stringify(enc.toJSON()))).transform([['b']]); //=> [[1]]
 * ```
 * @category Data
 */
export function ordinalEncoderFromJSON(json: unknown): FittedOrdinalEncoder {
  const fn = 'ordinalEncoderFromJSON';
  const r = restoreCategorical(json, 'OrdinalEncoder', fn, 'ordinalEncoder', ordinalEncoder);
  return makeFitted(r.params, readCategories(r.state, r.columns, fn));
}
