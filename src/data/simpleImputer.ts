/**
 * Missing-value imputation for numeric matrices (NaN = missing), like scikit-learn's SimpleImputer.
 *
 * @module
 */
import { type RuleTable, resolveOptions, rules } from '../core/options';
import { DataError } from '../core/errors';
import { type DenseMatrix } from '../core/matrix';
import { readNumberArray } from '../core/estimator';
import { type MatrixDef, makeSpec, mapColumns, restoreFitted } from './_internal/matrixTransformer';
import { modeSorted, percentileSorted, sortedColumn } from '../core/_internal/stats';
import type { FittedMatrixTransformer, MatrixTransformerSpec } from './transformer';

/**
 * Imputation strategies of {@link simpleImputer}.
 * @category Data
 */
export type ImputeStrategy = 'mean' | 'median' | 'most_frequent' | 'constant';

/**
 * Options of {@link simpleImputer}.
 * @category Data
 */
export interface SimpleImputerParams {
  /** How a column's fill value is computed from its non-missing training values. @defaultValue 'mean' */
  readonly strategy?: ImputeStrategy;
  /** The fill value of the `'constant'` strategy. @defaultValue 0 */
  readonly fillValue?: number;
}

/**
 * Fitted state of a simple imputer (sklearn's `statistics_`).
 * @category Data
 */
export interface SimpleImputerState {
  /** Per-column fill value. */
  readonly statistics: readonly number[];
}

/**
 * A fitted simple imputer.
 * @category Data
 */
export type FittedSimpleImputer = FittedMatrixTransformer<Required<SimpleImputerParams>, SimpleImputerState>;
/**
 * An unfitted simple imputer spec.
 * @category Data
 */
export type SimpleImputerSpec = MatrixTransformerSpec<Required<SimpleImputerParams>, FittedSimpleImputer>;

const SIMPLE_IMPUTER_DEFAULTS = { strategy: 'mean', fillValue: 0 } as const satisfies Required<SimpleImputerParams>;
const RULES: RuleTable<Required<SimpleImputerParams>> = {
  strategy: rules.oneOf(['mean', 'median', 'most_frequent', 'constant'] as const),
  fillValue: rules.number(),
};

function imputerState(x: DenseMatrix, p: Readonly<Required<SimpleImputerParams>>): SimpleImputerState {
  const stats: number[] = [];
  for (let j = 0; j < x.cols; j++) {
    if (p.strategy === 'constant') {
      stats.push(p.fillValue);
      continue;
    }
    const s = sortedColumn(x.data, x.rows, x.cols, j);
    if (s.length === 0) {
      throw new DataError({
        fn: 'simpleImputer.fit',
        arg: 'x',
        expected: `at least one non-missing value per column for strategy '${p.strategy}'`,
        got: `column ${j} with only missing values`,
      });
    }
    if (p.strategy === 'mean') {
      let t = 0;
      for (const v of s) t += v;
      stats.push(t / s.length);
    } else if (p.strategy === 'median') {
      stats.push(percentileSorted(s, 50));
    } else {
      stats.push(modeSorted(s));
    }
  }
  return { statistics: Object.freeze(stats) };
}

const DEF: MatrixDef<Required<SimpleImputerParams>, SimpleImputerState> = {
  kind: 'SimpleImputer',
  fn: 'simpleImputer',
  version: 1,
  allowNaN: true,
  fitState: imputerState,
  apply: (x, s) => mapColumns(x, (v, j) => (Number.isNaN(v) ? (s.statistics[j] as number) : v)),
  stateToJSON: (s) => ({ statistics: [...s.statistics] }),
};

/**
 * Creates a simple imputer spec for numeric matrices: NaN entries are replaced by the column's
 * training mean, median, most frequent value (ties → smallest) or a constant. Infinity is
 * rejected; a column with no observed value at fit is a DataError (except for `'constant'`).
 *
 * @param params - {@link SimpleImputerParams}.
 * @returns A frozen spec; `fit(x)` returns a frozen {@link FittedSimpleImputer}.
 * @throws {InvalidOptionError} for unknown or invalid params.
 * @example
 * ```ts
 * import { simpleImputer } from 'finml';
 * const f = simpleImputer({ strategy: 'median' }).fit([[1], [NaN], [3], [10]]);
 * f.transform([[NaN], [5]]); //=> [[3], [5]]
 * ```
 * @category Data
 */
export function simpleImputer(params?: SimpleImputerParams): SimpleImputerSpec {
  const p = resolveOptions<Required<SimpleImputerParams>>('simpleImputer', params, SIMPLE_IMPUTER_DEFAULTS, RULES);
  return makeSpec(DEF, p, simpleImputer);
}

/**
 * Restores a fitted simple imputer from its `toJSON()` envelope.
 * @param json - A parsed `toJSON()` envelope (e.g. from `JSON.parse`).
 * @returns the fitted object, behaving exactly like the one that was saved.
 * @throws {SerializationError} on a malformed envelope.
 * @example
 * ```ts
 * import { simpleImputerFromJSON, simpleImputer } from 'finml';
 * const g = simpleImputerFromJSON(JSON.parse(JSON.stringify(simpleImputer().fit([[1], [NaN], [3]]).toJSON())));
 * g.transform([[NaN]]); //=> [[2]]
 * ```
 * @category Data
 */
export function simpleImputerFromJSON(json: unknown): FittedSimpleImputer {
  const fn = 'simpleImputerFromJSON';
  return restoreFitted(json, DEF, fn, simpleImputer, (s, n) => ({
    statistics: Object.freeze(readNumberArray(s, 'statistics', fn, { length: n })),
  }));
}
