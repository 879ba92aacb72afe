/**
 * One-hot encoding of string columns, like scikit-learn's OneHotEncoder.
 *
 * @module
 */
import { type RuleTable, resolveOptions, rules } from '../core/options';
import { DataError, describeValue } from '../core/errors';
import { type DenseMatrix, denseToArrays } from '../core/matrix';
import { type EstimatorJSON, type JsonValue, notFitted } from '../core/estimator';
import { fitCategories, readCategories, restoreCategorical, toStringColumns } from './_internal/categorical';
import type { CategoricalInput } from './table';


/**
 * Options of {@link oneHotEncoder}.
 * @category Data
 */
export interface OneHotEncoderParams {
  /** Unseen category at transform: `'error'` → DataError, `'ignore'` → all-zero columns. @defaultValue 'error' */
  readonly handleUnknown?: 'error' | 'ignore';
  /** `'first'` drops each column's first (sorted) category to avoid collinearity. @defaultValue null */
  readonly drop?: 'first' | null;
}

/**
 * Fitted state of a one-hot encoder.
 * @category Data
 */
export interface OneHotEncoderState {
  /** Input column names (Table column names, or `x0, x1, ...` for arrays). */
  readonly columns: readonly string[];
  /** Sorted categories of each input column (like sklearn's `categories_`). */
  readonly categories: readonly (readonly string[])[];
}

/**
 * A fitted one-hot encoder.
 * @category Data
 */
export interface FittedOneHotEncoder {
  readonly kind: 'OneHotEncoder';
  readonly params: Readonly<Required<OneHotEncoderParams>>;
  readonly state: OneHotEncoderState;
  readonly nFeaturesIn: number;
  readonly nFeaturesOut: number;
  /** Output column names, e.g. `Purpose=NewCar`. */
  readonly featureNames: readonly string[];
  /** Input column name → indices of its output columns. */
  readonly featureGroups: Readonly<Record<string, readonly number[]>>;
  /**
   * Encodes rows of strings (width checked) or a Table (columns looked up by name).
   * @throws {ShapeError} wrong width. @throws {DataError} unknown category (handleUnknown 'error'), missing column.
   */
  transform(x: CategoricalInput): number[][];
  /** Same as `transform`, as a {@link DenseMatrix}. */
  transformDense(x: CategoricalInput): DenseMatrix;
  /** Serialises the fitted state to the finml envelope `{ kind, version, params, state }` (JSON values only). */
  toJSON(): EstimatorJSON;
}

/**
 * An unfitted one-hot encoder spec.
 * @category Data
 */
export interface OneHotEncoderSpec {
  readonly kind: 'OneHotEncoder';
  readonly params: Readonly<Required<OneHotEncoderParams>>;
  /** Learns the sorted categories of every column. @throws {DataError} empty input or missing values. */
  fit(x: CategoricalInput): FittedOneHotEncoder;
  /** A new spec with the given params replaced (validated like the factory); this spec is unchanged. */
  withParams(patch: Partial<OneHotEncoderParams>): OneHotEncoderSpec;
  /** Not available before `fit`: throws NotFittedError. */
  readonly transform: (...args: never[]) => never;
}

const ONE_HOT_ENCODER_DEFAULTS = { handleUnknown: 'error', drop: null } as const satisfies Required<OneHotEncoderParams>;
const RULES: RuleTable<Required<OneHotEncoderParams>> = {
  handleUnknown: rules.oneOf(['error', 'ignore'] as const),
  drop: rules.oneOf(['first', null] as const),
};

function makeFitted(params: Readonly<Required<OneHotEncoderParams>>, state: OneHotEncoderState): FittedOneHotEncoder {
  const fn = 'oneHotEncoder.transform';
  const skip = params.drop === 'first' ? 1 : 0;
  const featureNames: string[] = [];
  const groups: Record<string, readonly number[]> = {};
  const offsets: number[] = [];
  const lookups = state.categories.map((cats, j) => {
    const name = state.columns[j] as string;
    offsets.push(featureNames.length);
    const idx: number[] = [];
    cats.slice(skip).forEach((c) => {
      idx.push(featureNames.length);
      featureNames.push(`${name}=${c}`);
    });
    groups[name] = Object.freeze(idx);
    return new Map(cats.map((c, k) => [c, k - skip] as const));
  });
  const width = featureNames.length;
  const transformDense = (x: CategoricalInput): DenseMatrix => {
    const s = toStringColumns(x, 'x', fn, { names: state.columns, allowNull: true, minRows: 0 });
    const data = new Float64Array(s.nRows * width);
    s.cols.forEach((col, j) => {
      const lookup = lookups[j] as Map<string, number>;
      const off = offsets[j] as number;
      for (let i = 0; i < s.nRows; i++) {
        const v = col[i] as string | null;
        const k = v === null ? undefined : lookup.get(v);
        if (k === undefined) {
          if (params.handleUnknown === 'ignore') continue;
          throw new DataError({
            fn,
            arg: 'x',
            expected: `a category seen in fit for column ${JSON.stringify(state.columns[j])} (or handleUnknown: 'ignore')`,
            got: `${v === null ? 'a missing value' : describeValue(v)} at row ${i}`,
          });
        }
        if (k >= 0) data[i * width + off + k] = 1;
      }
    });
    return { rows: s.nRows, cols: width, data };
  };
  return Object.freeze({
    kind: 'OneHotEncoder' as const,
    params,
    state,
    nFeaturesIn: state.columns.length,
    nFeaturesOut: width,
    featureNames: Object.freeze(featureNames),
    featureGroups: Object.freeze(groups),
    transform: (x: CategoricalInput) => denseToArrays(transformDense(x)),
    transformDense,
    toJSON: (): EstimatorJSON => ({
      kind: 'OneHotEncoder',
      version: 1,
      params: { ...params } as unknown as JsonValue,
      state: { columns: [...state.columns], categories: state.categories.map((c) => [...c]) },
    }),
  });
}

/**
 * Creates a one-hot encoder spec for string columns. Categories are sorted like scikit-learn
 * (code-unit order); output columns are named `<column>=<category>` and grouped per input column
 * (`featureGroups`, used for grouped explanations).
 *
 * @param params - {@link OneHotEncoderParams}.
 * @returns A frozen spec; `fit(x)` returns a frozen {@link FittedOneHotEncoder}.
 * @throws {InvalidOptionError} for unknown or invalid params.
 * @example
 * ```ts
 * import { oneHotEncoder, createTable } from 'finml';
 * const enc = oneHotEncoder().fit(createTable({ Purpose: ['NewCar', 'Education', 'NewCar'] }));
 * enc.featureNames; //=> ['Purpose=Education', 'Purpose=NewCar']
 * enc.transform([['NewCar']]); //=> [[0, 1]]
 * ```
 * @category Data
 */
export function oneHotEncoder(params?: OneHotEncoderParams): OneHotEncoderSpec {
  const p = resolveOptions<Required<OneHotEncoderParams>>('oneHotEncoder', params, ONE_HOT_ENCODER_DEFAULTS, RULES);
  return Object.freeze({
    kind: 'OneHotEncoder' as const,
    params: p,
    fit: (x: CategoricalInput) => makeFitted(p, fitCategories(x, 'oneHotEncoder.fit')),
    withParams: (patch: Partial<OneHotEncoderParams>) => oneHotEncoder({ ...p, ...patch }),
    transform: notFitted('OneHotEncoder', 'transform'),
  });
}

/**
 * Restores a fitted one-hot encoder from its `toJSON()` envelope.
 * @param json - A parsed `toJSON()` envelope (e.g. from `JSON.parse`).
 * @returns the fitted object, behaving exactly like the one that was saved.
 * @throws {SerializationError} on a malformed envelope.
 * @example
 * ```ts
 * import { oneHotEncoder, oneHotEncoderFromJSON } from 'finml';
 * const enc = oneHotEncoder().fit([['a'], ['b']]);
 * oneHotEncoderFromJSON(JSON.parse(JSON.stringify(enc.toJSON()))).transform([['b']]); //=> [[0, 1]]
 * ```
 * @category Data
 */
export function oneHotEncoderFromJSON(json: unknown): FittedOneHotEncoder {
  const fn = 'oneHotEncoderFromJSON';
  const r = restoreCategorical(json, 'OneHotEncoder', fn, 'oneHotEncoder', oneHotEncoder);
  return makeFitted(r.params, readCategories(r.state, r.columns, fn));
}
