/**
 * Adapter from a plain JavaScript scoring function to the {@link Predictor} type.
 *
 * @module
 */
import { InvalidOptionError, describeValue } from '../core/errors';
import type { DenseMatrix } from '../core/matrix';
import { resolveOptions, rules, type RuleTable } from '../core/options';
import type { Predictor } from '../core/predictor';

/** Options of {@link predictorFromFunction}. @category Explain */
export interface PredictorFromFunctionOptions {
  /**
   * `'row'`: `f` scores one row (a `Float64Array` view it must not keep or modify) and returns a
   * number. `'rows'`: `f` receives the whole batch as nested arrays and returns one number per row.
   * @defaultValue 'row'
   */
  readonly mode?: 'row' | 'rows';
}

const PREDICTOR_FROM_FUNCTION_DEFAULTS = { mode: 'row' } as const satisfies Required<PredictorFromFunctionOptions>;
const RULES: RuleTable<Required<PredictorFromFunctionOptions>> = { mode: rules.oneOf(['row', 'rows']) };

/** A function scoring one row. @category Explain */
export type RowScorer = (row: Float64Array) => number;
/** A function scoring a batch of rows given as nested arrays. @category Explain */
export type RowsScorer = (rows: number[][]) => ArrayLike<number>;

/**
 * Turns a plain scoring function into a {@link Predictor} (sync), e.g. a hand-written scorecard,
 * a closed-form model, or another library's model.
 *
 * @param f - A row scorer (`mode: 'row'`) or a batch scorer on nested arrays (`mode: 'rows'`).
 * @param options - See {@link PredictorFromFunctionOptions}.
 * @returns a predictor returning a `Float64Array` (mode 'row') or whatever `f` returns (mode 'rows').
 * @throws {InvalidOptionError} when `f` is not a function or an option is invalid.
 * @example
 * ```ts
 * import { predictorFromFunction } from 'finml';
 * const score = predictorFromFunction((r) => 2 * r[0]! - r[1]!);
 * score({ rows: 2, cols: 2, data: Float64Array.of(1, 1, 3, 0) }); //=> Float64Array [1, 6]
 * ```
 * @category Explain
 */
export function predictorFromFunction(f: RowScorer, options?: { readonly mode?: 'row' }): Predictor;
export function predictorFromFunction(f: RowsScorer, options: { readonly mode: 'rows' }): Predictor;
export function predictorFromFunction(f: RowScorer | RowsScorer, options?: PredictorFromFunctionOptions): Predictor {
  const fn = 'predictorFromFunction';
  if (typeof f !== 'function') throw new InvalidOptionError({ fn, arg: 'f', expected: 'a function', got: describeValue(f) });
  const o = resolveOptions(fn, options, PREDICTOR_FROM_FUNCTION_DEFAULTS, RULES);
  if (o.mode === 'rows') {
    const g = f as RowsScorer;
    return (batch: DenseMatrix) => {
      const rows: number[][] = new Array<number[]>(batch.rows);
      for (let i = 0; i < batch.rows; i++) rows[i] = Array.from(batch.data.subarray(i * batch.cols, (i + 1) * batch.cols));
      return g(rows);
    };
  }
  const g = f as RowScorer;
  return (batch: DenseMatrix) => {
    const out = new Float64Array(batch.rows);
    for (let i = 0; i < batch.rows; i++) out[i] = g(batch.data.subarray(i * batch.cols, (i + 1) * batch.cols));
    return out;
  };
}
