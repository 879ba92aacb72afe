/**
 * Numeric matrix extraction from a Table.
 *
 * @module
 */
import { type RuleTable, resolveOptions, rules } from '../core/options';
import { DataError } from '../core/errors';
import type { DenseMatrix } from '../core/matrix';
import { checkTable, findColumn } from './_internal/tableChecks';
import type { Table } from './table';

/**
 * Options of {@link tableToMatrix}.
 * @category Data
 */
export interface TableToMatrixOptions {
  /** Columns to extract, in order. @defaultValue null (every column, all must be numeric) */
  readonly columns?: readonly string[] | null;
  /** Accept NaN (missing) values; otherwise they are a DataError. @defaultValue false */
  readonly allowNaN?: boolean;
}

const TABLE_TO_MATRIX_DEFAULTS = { columns: null, allowNaN: false } as const satisfies Required<TableToMatrixOptions>;
const RULES: RuleTable<Required<TableToMatrixOptions>> = { columns: rules.nullable(rules.stringArray()), allowNaN: rules.boolean() };

/**
 * Copies numeric columns of a Table into a row-major {@link DenseMatrix} (use `denseToArrays` for
 * nested arrays). Categorical columns must be encoded first (see {@link oneHotEncoder} or
 * {@link tabularPipeline}).
 *
 * @param table - A Table.
 * @param options - {@link TableToMatrixOptions}.
 * @returns `{ rows, cols, data }` with `cols` = number of selected columns.
 * @throws {DataError} a missing or categorical column, NaN when not allowed, no rows.
 * @example
 * ```ts
 * import { tableToMatrix, createTable } from 'finml';
 * const m = tableToMatrix(createTable({ a: [1, 2], b: [3, 4] }));
 * m.data; //=> Float64Array [1, 3, 2, 4]
 * ```
 * @category Data
 */
export function tableToMatrix(table: Table, options?: TableToMatrixOptions): DenseMatrix {
  const fn = 'tableToMatrix';
  const o = resolveOptions<Required<TableToMatrixOptions>>(fn, options, TABLE_TO_MATRIX_DEFAULTS, RULES);
  const t = checkTable(table, 'table', fn);
  if (t.nRows === 0) throw new DataError({ fn, arg: 'table', expected: 'at least 1 row', got: '0 rows' });
  const cols = o.columns === null ? t.columns : o.columns.map((n) => findColumn(t, n, 'columns', fn));
  if (cols.length === 0) throw new DataError({ fn, arg: 'columns', expected: 'at least 1 column', got: '0 columns' });
  const c = cols.length;
  const data = new Float64Array(t.nRows * c);
  cols.forEach((col, j) => {
    if (col.kind !== 'numeric') {
      throw new DataError({ fn, arg: 'table', expected: 'numeric columns only (encode categorical columns first)', got: `categorical column ${JSON.stringify(col.name)}` });
    }
    for (let i = 0; i < t.nRows; i++) {
      const v = col.values[i] as number;
      if (!Number.isFinite(v) && !(o.allowNaN && Number.isNaN(v))) {
        throw new DataError({ fn, arg: 'table', expected: o.allowNaN ? 'finite numbers or NaN' : 'finite numbers (impute or dropna first)', got: `${v} in column ${JSON.stringify(col.name)}, row ${i}` });
      }
      data[i * c + j] = v;
    }
  });
  return { rows: t.nRows, cols: c, data };
}
