/**
 * Missing-value imputation for string (categorical) columns.
 *
 * @module
 */
import { type RuleTable, resolveOptions, rules } from '../core/options';
import { DataError, SerializationError } from '../core/errors';
import { type EstimatorJSON, type JsonValue, notFitted } from '../core/estimator';
import { isTable, readStringArray, restoreCategorical, toStringColumns } from './_internal/categorical';
import { freezeTable } from './_internal/tableChecks';
import { modeStrings } from '../core/_internal/stats';
import type { CategoricalInput, Column, Table } from './table';

/**
 * Options of {@link categoricalImputer}.
 * @category Data
 */
export interface CategoricalImputerParams {
  /** `'most_frequent'` (ties → smallest string) or `'constant'`. @defaultValue 'most_frequent' */
  readonly strategy?: 'most_frequent' | 'constant';
  /** The fill value of the `'constant'` strategy. @defaultValue 'missing' */
  readonly fillValue?: string;
}

/**
 * Fitted state of a categorical imputer.
 * @category Data
 */
export interface CategoricalImputerState {
  /** Input column names. */
  readonly columns: readonly string[];
  /** Fill value per column. */
  readonly statistics: readonly string[];
}

/**
 * A fitted categorical imputer.
 * @category Data
 */
export interface FittedCategoricalImputer {
  readonly kind: 'CategoricalImputer';
  readonly params: Readonly<Required<CategoricalImputerParams>>;
  readonly state: CategoricalImputerState;
  readonly nFeaturesIn: number;
  /**
   * Replaces nulls. Rows of strings in → rows out (width checked); a Table in → a new Table in
   * which the fitted columns are imputed and other columns are kept.
   * @throws {ShapeError} wrong width. @throws {DataError} missing column.
   */
  transform(x: readonly (readonly (string | null)[])[]): string[][];
  /** Table form: a new Table whose fitted columns are imputed; other columns are kept. */
  transform(x: Table): Table;
  /** Serialises the fitted state to the finml envelope `{ kind, version, params, state }` (JSON values only). */
  toJSON(): EstimatorJSON;
}

/**
 * An unfitted categorical imputer spec.
 * @category Data
 */
export interface CategoricalImputerSpec {
  readonly kind: 'CategoricalImputer';
  readonly params: Readonly<Required<CategoricalImputerParams>>;
  /** @throws {DataError} empty input or (most_frequent) a column without any value. */
  fit(x: CategoricalInput): FittedCategoricalImputer;
  /** A new spec with the given params replaced (validated like the factory); this spec is unchanged. */
  withParams(patch: Partial<CategoricalImputerParams>): CategoricalImputerSpec;
  /** Not available before `fit`: throws NotFittedError. */
  readonly transform: (...args: never[]) => never;
}

const CATEGORICAL_IMPUTER_DEFAULTS = { strategy: 'most_frequent', fillValue: 'missing' } as const satisfies Required<CategoricalImputerParams>;
const RULES: RuleTable<Required<CategoricalImputerParams>> = {
  strategy: rules.oneOf(['most_frequent', 'constant'] as const),
  fillValue: rules.string(),
};

function makeFitted(params: Readonly<Required<CategoricalImputerParams>>, state: CategoricalImputerState): FittedCategoricalImputer {
  const fn = 'categoricalImputer.transform';
  function transform(x: readonly (readonly (string | null)[])[]): string[][];
  function transform(x: Table): Table;
  function transform(x: CategoricalInput): string[][] | Table {
    const s = toStringColumns(x, 'x', fn, { names: state.columns, allowNull: true, minRows: 0 });
    const filled = s.cols.map((c, j) => c.map((v) => v ?? (state.statistics[j] as string)));
    if (isTable(x)) {
      const byName = new Map(state.columns.map((n, j) => [n, filled[j] as string[]] as const));
      const cols: Column[] = x.columns.map((c) => {
        const f = byName.get(c.name);
        return f === undefined ? c : { kind: 'categorical', name: c.name, values: Object.freeze(f) };
      });
      return freezeTable(x.nRows, cols);
    }
    return Array.from({ length: s.nRows }, (_, i) => filled.map((c) => c[i] as string));
  }
  return Object.freeze({
    kind: 'CategoricalImputer' as const,
    params,
    state,
    nFeaturesIn: state.columns.length,
    transform,
    toJSON: (): EstimatorJSON => ({
      kind: 'CategoricalImputer',
      version: 1,
      params: { ...params } as unknown as JsonValue,
      state: { columns: [...state.columns], statistics: [...state.statistics] },
    }),
  });
}

/**
 * Creates a categorical imputer spec: nulls in string columns are replaced by the column's most
 * frequent training value or by a constant.
 *
 * @param params - {@link CategoricalImputerParams}.
 * @returns A frozen spec; `fit(x)` returns a frozen {@link FittedCategoricalImputer}.
 * @throws {InvalidOptionError} for unknown or invalid params.
 * @example
 * ```ts
 * import { categoricalImputer } from 'finml';
 * const imp = categoricalImputer().fit([['a'], ['b'], ['b'], [null]]);
 * imp.transform([[null], ['a']]); //=> [['b'], ['a']]
 * ```
 * @category Data
 */
export function categoricalImputer(params?: CategoricalImputerParams): CategoricalImputerSpec {
  const p = resolveOptions<Required<CategoricalImputerParams>>('categoricalImputer', params, CATEGORICAL_IMPUTER_DEFAULTS, RULES);
  return Object.freeze({
    kind: 'CategoricalImputer' as const,
    params: p,
    fit: (x: CategoricalInput) => {
      const ffn = 'categoricalImputer.fit';
      const s = toStringColumns(x, 'x', ffn, { allowNull: true });
      const statistics = s.cols.map((c, j) => {
        if (p.strategy === 'constant') return p.fillValue;
        const m = modeStrings(c);
        if (m === null) {
          throw new DataError({ fn: ffn, arg: 'x', expected: "at least one non-missing value per column for strategy 'most_frequent'", got: `column ${JSON.stringify(s.names[j])} with only missing values` });
        }
        return m;
      });
      return makeFitted(p, Object.freeze({ columns: Object.freeze([...s.names]), statistics: Object.freeze(statistics) }));
    },
    withParams: (patch: Partial<CategoricalImputerParams>) => categoricalImputer({ ...p, ...patch }),
    transform: notFitted('CategoricalImputer', 'transform'),
  });
}

/**
 * Restores a fitted categorical imputer from its `toJSON()` envelope.
 * @param json - A parsed `toJSON()` envelope (e.g. from `JSON.parse`).
 * @returns the fitted object, behaving exactly like the one that was saved.
 * @throws {SerializationError} on a malformed envelope.
 * @example
 * ```ts
 * import { categoricalImputer, categoricalImputerFromJSON } from 'finml';
 * const imp = categoricalImputer().fit([['a'], [null]]);
 * categoricalImputerFromJSON(JSON.parse(JSON.stringify(imp.toJSON()))).transform([[null]]); //=> [['a']]
 * ```
 * @category Data
 */
export function categoricalImputerFromJSON(json: unknown): FittedCategoricalImputer {
  const fn = 'categoricalImputerFromJSON';
  const { params, state, columns } = restoreCategorical(json, 'CategoricalImputer', fn, 'categoricalImputer', categoricalImputer);
  const statistics = readStringArray(state, 'statistics', fn);
  if (statistics.length !== columns.length) {
    throw new SerializationError({ fn, arg: 'json.state.statistics', expected: `length ${columns.length}`, got: `length ${statistics.length}` });
  }
  return makeFitted(params, Object.freeze({ columns, statistics: Object.freeze(statistics) }));
}
