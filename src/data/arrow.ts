/**
 * Apache Arrow interchange (arquero, DuckDB-Wasm, Perspective, Polars/pandas via IPC) without a
 * dependency: `apache-arrow` is an optional peer. {@link fromArrow} reads any Arrow Table through
 * its public shape, {@link toArrow} builds one with the `apache-arrow` module the caller passes in,
 * so nothing here imports the package and users without it are unaffected.
 *
 * @module
 */
import { DataError, InvalidOptionError, describeValue } from '../core/errors';
import { freezeTable } from './_internal/tableChecks';
import type { Column, Table } from './table';

/**
 * The part of an Arrow `DataType` that {@link fromArrow} reads (`apache-arrow`'s types fit).
 * @category Data
 */
export interface ArrowDataTypeLike {
  /** Arrow's `Type` enum: Null 1, Int 2, Float 3, Utf8 5, LargeUtf8 20, Dictionary -1. */
  readonly typeId: number;
  /** Dictionary types: the type of the dictionary values. */
  readonly dictionary?: ArrowDataTypeLike;
  /** The type's name, e.g. `Float64` or `Dictionary<Int32, Utf8>` (used in error messages). */
  toString(): string;
}

/**
 * The part of an Arrow column (`Vector`) that {@link fromArrow} reads.
 * @category Data
 */
export interface ArrowVectorLike {
  readonly length: number;
  /** The value at `index`: a number, bigint or string, or null when missing. */
  get(index: number): unknown;
}

/**
 * The part of an Arrow `Table` that {@link fromArrow} reads: `apache-arrow`'s `Table` (from
 * `tableFromIPC`, `tableFromArrays`, arquero's `toArrow()`, DuckDB-Wasm query results) fits.
 * @category Data
 */
export interface ArrowTableLike {
  readonly numRows: number;
  readonly schema: { readonly fields: readonly { readonly name: string; readonly type: ArrowDataTypeLike }[] };
  /** The column at `index` (in schema order), or null. */
  getChildAt(index: number): ArrowVectorLike | null;
}

/**
 * The constructors and functions of the `apache-arrow` module that {@link toArrow} uses; pass the
 * module itself (`import * as arrow from 'apache-arrow'`). `T` is the module's Table type.
 * @category Data
 */
export interface ArrowModuleLike<T> {
  /** Builds a column of the given Arrow type from plain values (null = missing). */
  vectorFromArray(values: readonly unknown[], type: unknown): unknown;
  readonly Table: new (columns: Record<string, unknown>) => T;
  readonly Float64: new () => unknown;
  readonly Utf8: new () => unknown;
  readonly Int32: new () => unknown;
  /** `new Dictionary(valueType, indexType)`; typed loosely so that the real module's generic constructor fits. */
  readonly Dictionary: new (values: never, indices: never) => unknown;
}

const TYPE = { Null: 1, Int: 2, Float: 3, Utf8: 5, LargeUtf8: 20, Dictionary: -1 } as const;
const isText = (t: ArrowDataTypeLike | undefined): boolean => t !== undefined && (t.typeId === TYPE.Utf8 || t.typeId === TYPE.LargeUtf8);

/**
 * Builds a frozen {@link Table} from an Apache Arrow table. Integer and floating-point columns
 * become numeric columns (Arrow nulls and NaN → NaN, i.e. missing); 64-bit integers must be safe
 * integers. `Utf8`/`LargeUtf8` columns and dictionary-encoded strings become categorical columns
 * (nulls → null). A column of Arrow type `Null` (all missing, no kind) becomes a categorical
 * column of nulls, as in {@link createTable}. Other types (booleans, dates, timestamps, decimals,
 * nested types) are refused rather than reinterpreted: cast them first (e.g. in SQL or arquero).
 * `apache-arrow` is not imported: any object with the Arrow Table shape ({@link ArrowTableLike}) works.
 *
 * @param table - An Arrow Table (read, never referenced by the result).
 * @returns A Table with the Arrow table's columns, in order, and its `numRows` rows.
 * @throws {DataError} not an Arrow table, duplicate or unsupported columns (naming the column and
 *   its Arrow type), a 64-bit integer that is not a safe integer (naming column and row), or a
 *   value whose JavaScript type does not match its column's Arrow type.
 * @example
 * ```ts
 * import { fromArrow } from 'finml';
 * import { tableFromArrays } from 'apache-arrow';
 * const t = fromArrow(tableFromArrays({ amount: Float64Array.from([1200, 560]), purpose: ['car', 'tv'] }));
 * t.columns.map((c) => c.kind); //=> ['numeric', 'categorical']
 * t.columns[1]?.values; //=> ['car', 'tv']
 * ```
 * @category Data
 */
export function fromArrow(table: ArrowTableLike): Table {
  const fn = 'fromArrow';
  const fields: unknown = (table as { schema?: { fields?: unknown } } | null)?.schema?.fields;
  if (typeof table !== 'object' || table === null || !Array.isArray(fields) || typeof table.getChildAt !== 'function' || !Number.isSafeInteger(table.numRows)) {
    throw new DataError({ fn, arg: 'table', expected: 'an Apache Arrow Table (numRows, schema.fields, getChildAt)', got: describeValue(table) });
  }
  const n = table.numRows;
  const seen = new Set<string>();
  const columns: Column[] = table.schema.fields.map((field, j) => {
    const { name, type } = field;
    const where = `column ${JSON.stringify(name)}`;
    if (seen.has(name)) throw new DataError({ fn, arg: 'table', expected: 'unique column names', got: `${where} twice` });
    seen.add(name);
    const vec = table.getChildAt(j);
    if (vec === null || vec.length !== n) {
      throw new DataError({ fn, arg: 'table', expected: `${where} with ${n} values`, got: vec === null ? 'no column data' : `${vec.length} values` });
    }
    const badValue = (i: number, v: unknown): DataError =>
      new DataError({ fn, arg: 'table', expected: `values of ${where}'s Arrow type ${String(type)}`, got: `${describeValue(v)} at row ${i}` });
    if (type.typeId === TYPE.Int || type.typeId === TYPE.Float) {
      const values = new Float64Array(n);
      for (let i = 0; i < n; i++) {
        const v = vec.get(i);
        if (v === null || v === undefined) values[i] = Number.NaN;
        else if (typeof v === 'number') values[i] = v;
        else if (typeof v === 'bigint') {
          const x = Number(v);
          if (!Number.isSafeInteger(x)) {
            throw new DataError({ fn, arg: 'table', expected: `integers of ${where} within ±(2^53 − 1), exactly representable as numbers`, got: `${v.toString()} at row ${i}` });
          }
          values[i] = x;
        } else throw badValue(i, v);
      }
      return { kind: 'numeric', name, values };
    }
    if (isText(type) || (type.typeId === TYPE.Dictionary && isText(type.dictionary)) || type.typeId === TYPE.Null) {
      const values: (string | null)[] = new Array<string | null>(n);
      for (let i = 0; i < n; i++) {
        const v = vec.get(i);
        if (v === null || v === undefined) values[i] = null;
        else if (typeof v === 'string') values[i] = v;
        else throw badValue(i, v);
      }
      return { kind: 'categorical', name, values: Object.freeze(values) };
    }
    throw new DataError({
      fn,
      arg: 'table',
      expected: `${where} of a numeric (Int, Float), string (Utf8, LargeUtf8, dictionary of strings) or Null Arrow type; cast other types first`,
      got: `Arrow type ${String(type)}`,
    });
  });
  return freezeTable(n, columns);
}

/**
 * Builds an Apache Arrow Table from a {@link Table}, with the `apache-arrow` module passed in (it
 * is an optional peer dependency and is never imported by finml). Numeric columns become
 * `Float64` columns and categorical columns dictionary-encoded strings
 * (`Dictionary<Int32, Utf8>`, what `tableFromArrays` makes of strings); missing values (NaN,
 * null) become Arrow nulls, the missing-value convention of Arrow readers (DuckDB, arquero,
 * pandas). `fromArrow(toArrow(t, arrow))` equals `t`.
 *
 * @param table - The Table to convert.
 * @param arrow - The `apache-arrow` module: `import * as arrow from 'apache-arrow'`.
 * @returns A new Arrow Table with the same columns, in order.
 * @throws {DataError} `table` is not a Table.
 * @throws {InvalidOptionError} `arrow` is not the apache-arrow module.
 * @example
 * ```ts
 * import { createTable, toArrow } from 'finml';
 * import * as arrow from 'apache-arrow';
 * const a = toArrow(createTable({ amount: [1200, null], purpose: ['car', null] }), arrow);
 * a.numRows; //=> 2
 * a.getChild('amount')?.get(1); //=> null
 * String(a.schema.fields[1]?.type); //=> 'Dictionary<Int32, Utf8>'
 * ```
 * @category Data
 */
export function toArrow<T>(table: Table, arrow: ArrowModuleLike<T>): T {
  const fn = 'toArrow';
  if (typeof table !== 'object' || table === null || !Array.isArray(table.columns) || !Number.isSafeInteger(table.nRows)) {
    throw new DataError({ fn, arg: 'table', expected: 'a Table (see createTable)', got: describeValue(table) });
  }
  const a = arrow as Partial<ArrowModuleLike<T>> | null;
  const missing = ['vectorFromArray', 'Table', 'Float64', 'Utf8', 'Int32', 'Dictionary'].filter((k) => typeof (a as Record<string, unknown> | null)?.[k] !== 'function');
  if (typeof arrow !== 'object' || arrow === null || missing.length > 0) {
    throw new InvalidOptionError({
      fn,
      arg: 'arrow',
      expected: "the apache-arrow module (import * as arrow from 'apache-arrow'; install apache-arrow, an optional peer dependency)",
      got: typeof arrow === 'object' && arrow !== null ? `an object without ${missing.join(', ')}` : describeValue(arrow),
    });
  }
  const Dictionary = arrow.Dictionary as unknown as new (values: unknown, indices: unknown) => unknown;
  const vectors: Record<string, unknown> = {};
  for (const c of table.columns) {
    if (c.values.length !== table.nRows) throw new DataError({ fn, arg: 'table', expected: `column ${JSON.stringify(c.name)} with ${table.nRows} values`, got: `${c.values.length}` });
    vectors[c.name] =
      c.kind === 'numeric'
        ? arrow.vectorFromArray(Array.from(c.values, (v) => (Number.isNaN(v) ? null : v)), new arrow.Float64())
        : arrow.vectorFromArray([...c.values], new Dictionary(new arrow.Utf8(), new arrow.Int32()));
  }
  return new arrow.Table(vectors);
}
