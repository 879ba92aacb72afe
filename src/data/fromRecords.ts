/**
 * Tables from arrays of records (JSON rows) and from Apache Arrow tables, and back to Arrow columns.
 *
 * @module
 */
import { DataError, InvalidOptionError, describeValue } from '../core/errors';
import { freezeTable } from '../_lib/tableChecks';
import type { Column, Table } from './table';

/**
 * Options of {@link fromRecords}.
 *
 * @category Data
 */
export interface FromRecordsOptions {
  /** Columns to take, in this order; `null`: every key seen, in first-seen order. @defaultValue null */
  readonly columns?: readonly string[] | null;
}

function buildColumn(name: string, get: (i: number) => unknown, n: number, fn: string, where: string): Column {
  let kind: 'numeric' | 'categorical' | null = null;
  for (let i = 0; i < n; i++) {
    const v = get(i);
    if (v === null || v === undefined) continue;
    const k = typeof v === 'number' || typeof v === 'bigint' ? 'numeric' : typeof v === 'string' ? 'categorical' : null;
    if (k === null) {
      throw new DataError({ fn, arg: `${where} '${name}'`, expected: 'numbers, strings or null/undefined (missing); map booleans, dates and objects to numbers or strings first', got: `${describeValue(v)} in row ${i}` });
    }
    if (kind !== null && k !== kind) {
      throw new DataError({ fn, arg: `${where} '${name}'`, expected: `all ${kind === 'numeric' ? 'numbers' : 'strings'} (or missing), as in the rows before`, got: `${describeValue(v)} in row ${i}` });
    }
    kind = k;
  }
  if (kind === 'numeric') {
    const values = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      const v = get(i);
      if (v === null || v === undefined) values[i] = Number.NaN;
      else if (typeof v === 'bigint') {
        const x = Number(v);
        if (!Number.isSafeInteger(x)) throw new DataError({ fn, arg: `${where} '${name}'`, expected: 'integers within ±2^53 (exact as float64)', got: `${v} in row ${i}` });
        values[i] = x;
      } else {
        const x = v as number;
        if (x === Infinity || x === -Infinity) throw new DataError({ fn, arg: `${where} '${name}'`, expected: 'finite numbers or missing values', got: `${x} in row ${i}` });
        values[i] = x;
      }
    }
    return { kind: 'numeric', name, values };
  }
  // all missing, or strings: categorical (an all-missing column cannot reveal a numeric kind)
  return { kind: 'categorical', name, values: Object.freeze(Array.from({ length: n }, (_, i) => (get(i) ?? null) as string | null)) };
}

/**
 * Builds a frozen {@link Table} from an array of records (e.g. parsed JSON rows, database rows):
 * one column per key, in first-seen order (or `options.columns`). A column whose present values are
 * all numbers (or bigints within ±2^53) is numeric, with `null`, `undefined`, a missing key or NaN
 * as missing (NaN); a column of strings is categorical with missing as `null`. Nothing is coerced:
 * a column mixing numbers and strings, or holding booleans, dates or objects, is a DataError naming
 * the column and row.
 *
 * @param rows - The records.
 * @param options - {@link FromRecordsOptions}.
 * @returns A new Table (values copied).
 * @throws {DataError} a row that is not an object, mixed or unsupported values, infinite numbers, no columns.
 * @throws {InvalidOptionError} an invalid `columns` option.
 * @example
 * ```ts
 * import { fromRecords } from 'finml';
 * const t = fromRecords([{ income: 1200, purpose: 'car' }, { income: null, purpose: 'tv' }, { purpose: null }]);
 * t.columns.map((c) => c.kind); //=> ['numeric', 'categorical']
 * t.nRows; //=> 3
 * ```
 * @category Data
 */
export function fromRecords(rows: readonly Readonly<Record<string, unknown>>[], options: FromRecordsOptions = {}): Table {
  const fn = 'fromRecords';
  if (!Array.isArray(rows)) throw new DataError({ fn, arg: 'rows', expected: 'an array of records (objects)', got: describeValue(rows) });
  rows.forEach((r, i) => {
    if (typeof r !== 'object' || r === null || Array.isArray(r)) throw new DataError({ fn, arg: 'rows', expected: 'an array of records (objects)', got: `${describeValue(r)} at index ${i}` });
  });
  if (typeof options !== 'object' || options === null) throw new InvalidOptionError({ fn, arg: 'options', expected: 'an object { columns? }', got: describeValue(options) });
  const unknown = Object.keys(options).filter((k) => k !== 'columns');
  if (unknown.length > 0) throw new InvalidOptionError({ fn, arg: unknown[0] as string, expected: 'one of: columns', got: 'an unknown option' });
  const given = options.columns ?? null;
  if (given !== null && (!Array.isArray(given) || !given.every((c) => typeof c === 'string') || new Set(given).size !== given.length)) {
    throw new InvalidOptionError({ fn, arg: 'columns', expected: 'an array of distinct column names, or null', got: describeValue(given) });
  }
  let names: string[];
  if (given !== null) names = [...given];
  else {
    const seen = new Set<string>();
    for (const r of rows) for (const k of Object.keys(r)) seen.add(k);
    names = [...seen];
  }
  if (names.length === 0) throw new DataError({ fn, arg: 'rows', expected: 'records with at least one key', got: rows.length === 0 ? 'no rows' : 'records without keys' });
  const own = (r: Readonly<Record<string, unknown>>, k: string): unknown => (Object.prototype.hasOwnProperty.call(r, k) ? r[k] : undefined);
  const columns = names.map((name) => buildColumn(name, (i) => own(rows[i] as Readonly<Record<string, unknown>>, name), rows.length, fn, 'column'));
  return freezeTable(rows.length, columns);
}

/**
 * The part of an Apache Arrow `Table` (apache-arrow ≥ 9, also what arquero's `toArrow()` and
 * DuckDB-Wasm return) that {@link fromArrow} reads: the schema's field names, the row count and
 * each column's values through `getChild(name).get(i)` (`null` for a null).
 *
 * @category Data
 */
export interface ArrowTableLike {
  /** Number of rows. */
  readonly numRows: number;
  /** The schema: one field per column, in order. */
  readonly schema: { readonly fields: readonly { readonly name: string }[] };
  /**
   * The column named `name`, or `null`.
   * @param name - Column name.
   * @returns A vector whose `get(i)` is the value of row `i` (`null` for a null).
   */
  getChild(name: string): ArrowVectorLike | null;
}

/**
 * The part of an Arrow `Vector` that {@link fromArrow} reads.
 *
 * @category Data
 */
export interface ArrowVectorLike {
  /** Number of values. */
  readonly length: number;
  /**
   * The value at `index` (`null` for a null).
   * @param index - Row index.
   * @returns The value.
   */
  get(index: number): unknown;
}

/**
 * Builds a {@link Table} from an Apache Arrow table (apache-arrow is an optional peer: pass any
 * object with the {@link ArrowTableLike} shape). Float and integer columns (Int64 as bigint within
 * ±2^53) become numeric with nulls as NaN; Utf8 and dictionary-encoded string columns become
 * categorical with nulls as `null`. Other types (booleans, dates, structs) are a DataError naming the column.
 *
 * @param table - An Arrow table.
 * @returns A new Table (values copied).
 * @throws {DataError} a value type with no Table equivalent, mixed values, or no columns.
 * @example
 * ```ts
 * import { fromArrow } from 'finml';
 * // with apache-arrow: fromArrow(tableFromArrays({ income: Float64Array.from([1200, 800]) }))
 * const like = { numRows: 2, schema: { fields: [{ name: 'income' }] }, getChild: () => ({ length: 2, get: (i: number) => [1200, null][i] }) };
 * fromArrow(like).columns[0]?.kind; //=> 'numeric'
 * ```
 * @category Data
 */
export function fromArrow(table: ArrowTableLike): Table {
  const fn = 'fromArrow';
  if (typeof table !== 'object' || table === null || typeof table.getChild !== 'function' || !Number.isInteger(table.numRows) || !Array.isArray(table.schema?.fields)) {
    throw new DataError({ fn, arg: 'table', expected: 'an Apache Arrow Table (numRows, schema.fields, getChild)', got: describeValue(table) });
  }
  const n = table.numRows;
  if (table.schema.fields.length === 0) throw new DataError({ fn, arg: 'table', expected: 'at least one column', got: 'none' });
  const columns = table.schema.fields.map((f) => {
    const child = table.getChild(f.name);
    if (child === null || child.length !== n) throw new DataError({ fn, arg: `column '${f.name}'`, expected: `a column of ${n} values`, got: child === null ? 'no such child' : `${child.length} values` });
    return buildColumn(f.name, (i) => child.get(i), n, fn, 'column');
  });
  return freezeTable(n, columns);
}

/**
 * The columns of a {@link Table} in the form apache-arrow's `tableFromArrays` takes: numeric columns
 * as `Float64Array` (missing values stay NaN: Arrow keeps NaN, it does not turn it into null),
 * categorical columns as `(string | null)[]`. Usage: `tableFromArrays(toArrowColumns(table))`.
 *
 * @param table - A Table.
 * @returns Column name → values (copies).
 * @throws {DataError} when `table` is not a Table.
 * @example
 * ```ts
 * import { createTable, toArrowColumns } from 'finml';
 * const cols = toArrowColumns(createTable({ income: [1200, 800], purpose: ['car', null] }));
 * cols.purpose; //=> ['car', null]
 * ```
 * @category Data
 */
export function toArrowColumns(table: Table): Record<string, Float64Array | (string | null)[]> {
  const fn = 'toArrowColumns';
  if (typeof table !== 'object' || table === null || !Array.isArray(table.columns)) throw new DataError({ fn, arg: 'table', expected: 'a Table { nRows, columns }', got: describeValue(table) });
  const out: Record<string, Float64Array | (string | null)[]> = {};
  for (const c of table.columns) out[c.name] = c.kind === 'numeric' ? Float64Array.from(c.values) : [...c.values];
  return out;
}
