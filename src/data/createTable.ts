/**
 * Building Tables from plain columns.
 *
 * @module
 */
import { DataError, ShapeError, describeValue } from '../core/errors';
import { freezeTable } from './_internal/tableChecks';
import type { Column, Table } from './table';

/**
 * Column data accepted by {@link createTable}: numbers (NaN or null = missing) or strings (null = missing).
 * @category Data
 */
export type ColumnData = readonly number[] | readonly (number | null)[] | Float64Array | Float32Array | Int32Array | readonly (string | null)[];

/**
 * Builds a frozen {@link Table} from named columns. Number arrays become numeric columns (copied to
 * Float64Array; `null` is read as missing, i.e. NaN, so nullable numeric data from JSON or a
 * database flows into imputers and pipelines as missing), string arrays categorical columns
 * (copied). Column order follows the object's keys. An empty plain array, or one holding only
 * `null`, cannot reveal its kind and becomes a categorical column: pass a `Float64Array` (all NaN
 * for all missing) for a numeric one.
 *
 * @param columns - Column name → values; all columns must have the same length.
 * @returns A new Table (inputs are copied, never referenced).
 * @throws {ShapeError} columns of different lengths. @throws {DataError} mixed or invalid values, or no columns.
 * @example
 * ```ts
 * import { createTable } from 'finml';
 * const t = createTable({ age: [30, null], purpose: ['NewCar', null] });
 * t.columns[1]?.kind; //=> 'categorical'
 * t.columns[0]?.values; //=> Float64Array [30, NaN]
 * ```
 * @category Data
 */
export function createTable(columns: Readonly<Record<string, ColumnData>>): Table {
  const fn = 'createTable';
  const entries = Object.entries(columns);
  if (entries.length === 0) throw new DataError({ fn, arg: 'columns', expected: 'at least one column', got: 'none' });
  const nRows = (entries[0]?.[1] ?? []).length;
  const out: Column[] = entries.map(([name, vals]) => {
    if (vals === null || typeof vals !== 'object' || typeof vals.length !== 'number') {
      throw new DataError({ fn, arg: `columns.${name}`, expected: 'an array of numbers or of strings/null', got: describeValue(vals) });
    }
    if (vals.length !== nRows) {
      throw new ShapeError({ fn, arg: `columns.${name}`, expected: `length ${nRows} (like the first column)`, got: `length ${vals.length}` });
    }
    if (ArrayBuffer.isView(vals)) return { kind: 'numeric', name, values: Float64Array.from(vals as ArrayLike<number>) };
    const arr = vals as readonly unknown[];
    const numeric = arr.some((v) => typeof v === 'number');
    if (numeric) {
      const bad = arr.findIndex((v) => typeof v !== 'number' && v !== null);
      if (bad !== -1) {
        throw new DataError({ fn, arg: `columns.${name}`, expected: 'all numbers/null, or all strings/null', got: `${describeValue(arr[bad])} at index ${bad} of a column holding numbers` });
      }
      return { kind: 'numeric', name, values: Float64Array.from(arr as readonly (number | null)[], (v) => (v === null ? Number.NaN : v)) };
    }
    const bad = arr.findIndex((v) => typeof v !== 'string' && v !== null);
    if (bad !== -1) {
      throw new DataError({ fn, arg: `columns.${name}`, expected: 'all numbers/null, or all strings/null', got: `${describeValue(arr[bad])} at index ${bad}` });
    }
    return { kind: 'categorical', name, values: Object.freeze([...(arr as (string | null)[])]) };
  });
  return freezeTable(nRows, out);
}
