/**
 * Building Tables from arrays of plain records (JSON rows, database results).
 *
 * @module
 */
import { type RuleTable, resolveOptions, rules } from '../core/options';
import { DataError, InvalidOptionError, describeValue } from '../core/errors';
import { freezeTable } from './_internal/tableChecks';
import type { ColumnType } from './parseCsv';
import type { Column, Table } from './table';

/**
 * One record accepted by {@link fromRecords}: column name → number (NaN = missing), string, or
 * `null` (missing).
 * @category Data
 */
export type TableRecord = Readonly<Record<string, number | string | null>>;

/**
 * Options of {@link fromRecords}.
 * @category Data
 */
export interface FromRecordsOptions {
  /**
   * Explicit column kinds by name; other columns are inferred (numeric when every non-null value
   * is a number, categorical when every non-null value is a string; a column that is null in every
   * row is categorical). Declaring `'numeric'` makes an all-null column numeric (all NaN).
   * @defaultValue {}
   */
  readonly types?: Readonly<Record<string, ColumnType>>;
}

const DEFAULTS = { types: {} } as const satisfies Required<FromRecordsOptions>;
const RULES: RuleTable<Required<FromRecordsOptions>> = {
  types: rules.custom(
    "an object mapping column names to 'numeric' or 'categorical'",
    (v) => typeof v === 'object' && v !== null && !Array.isArray(v) && Object.values(v).every((t) => t === 'numeric' || t === 'categorical'),
  ),
};

const isPlainRecord = (r: unknown): r is Record<string, unknown> => typeof r === 'object' && r !== null && !Array.isArray(r);

/**
 * Builds a frozen {@link Table} from an array of records, one object per row (e.g. parsed JSON or
 * a database result). The first record's keys give the columns and their order; every record must
 * have exactly these keys. Kinds are inferred per column as in {@link createTable}: numbers (with
 * `null` or NaN as missing) make a numeric column, strings (with `null` as missing) a categorical
 * one. Nothing is converted: a number in a string column, a string in a number column, `undefined`,
 * booleans, dates and nested objects are errors naming the row and the key.
 *
 * @param rows - The records (not mutated, not referenced by the result).
 * @param options - {@link FromRecordsOptions}.
 * @returns A Table with one column per key of the first record and `rows.length` rows.
 * @throws {DataError} `rows` not a non-empty array of plain objects, a record whose keys differ
 *   from the first record's (naming the row and the missing or extra key), a value that is not a
 *   number, string or null, or that does not fit its column's kind (naming the row and key).
 * @throws {InvalidOptionError} invalid options, or `types` naming a key the records do not have.
 * @example
 * ```ts
 * import { fromRecords } from 'finml';
 * const t = fromRecords([
 *   { id: 'a1', income: 52000, purpose: 'car' },
 *   { id: 'a2', income: null, purpose: null },
 * ]);
 * t.columns.map((c) => c.kind); //=> ['categorical', 'numeric', 'categorical']
 * t.columns[1]?.values; //=> Float64Array [52000, NaN]
 * ```
 * @category Data
 */
export function fromRecords(rows: readonly TableRecord[], options?: FromRecordsOptions): Table {
  const fn = 'fromRecords';
  const o = resolveOptions<Required<FromRecordsOptions>>(fn, options, DEFAULTS, RULES);
  if (!Array.isArray(rows)) throw new DataError({ fn, arg: 'rows', expected: 'an array of records (plain objects)', got: describeValue(rows) });
  const first: unknown = rows[0];
  if (!isPlainRecord(first)) {
    throw new DataError({ fn, arg: 'rows', expected: 'a non-empty array of records (plain objects)', got: rows.length === 0 ? 'an empty array' : `${describeValue(first)} at row 0` });
  }
  const names = Object.keys(first);
  if (names.length === 0) throw new DataError({ fn, arg: 'rows[0]', expected: 'a record with at least one key', got: 'an empty object' });
  for (const k of Object.keys(o.types)) {
    if (!names.includes(k)) {
      throw new InvalidOptionError({ fn, arg: 'types', expected: `keys of the records (${names.map((n) => JSON.stringify(n)).join(', ')})`, got: JSON.stringify(k) });
    }
  }
  const nameSet = new Set(names);
  const n = rows.length;
  // Column kinds: declared, else the kind of the first non-null value (checked against every row below).
  const kinds: (ColumnType | null)[] = names.map((k) => o.types[k] ?? null);
  const numeric = names.map(() => new Float64Array(n));
  const text = names.map((): (string | null)[] => new Array<string | null>(n));
  for (let i = 0; i < n; i++) {
    const r: unknown = rows[i];
    if (!isPlainRecord(r)) throw new DataError({ fn, arg: `rows[${i}]`, expected: 'a record (plain object)', got: describeValue(r) });
    const keys = Object.keys(r);
    if (keys.length !== names.length || keys.some((k) => !nameSet.has(k))) {
      const extra = keys.find((k) => !nameSet.has(k));
      const missing = names.find((k) => !Object.prototype.hasOwnProperty.call(r, k));
      throw new DataError({
        fn,
        arg: `rows[${i}]`,
        expected: `the keys of rows[0] (${names.map((k) => JSON.stringify(k)).join(', ')})`,
        got: extra !== undefined ? `an extra key ${JSON.stringify(extra)}` : `no key ${JSON.stringify(missing)}`,
      });
    }
    for (let j = 0; j < names.length; j++) {
      const key = names[j] as string;
      const v = r[key];
      if (v === null) {
        (numeric[j] as Float64Array)[i] = Number.NaN;
        (text[j] as (string | null)[])[i] = null;
        continue;
      }
      const kind = typeof v === 'number' ? 'numeric' : typeof v === 'string' ? 'categorical' : null;
      if (kind === null) {
        throw new DataError({ fn, arg: `rows[${i}].${key}`, expected: 'a number, a string or null (missing)', got: describeValue(v) });
      }
      const declared = kinds[j];
      if (declared === null) kinds[j] = kind;
      else if (declared !== kind) {
        throw new DataError({
          fn,
          arg: `rows[${i}].${key}`,
          expected: `a ${declared === 'numeric' ? 'number' : 'string'} or null, like the column's ${o.types[key] !== undefined ? 'declared kind' : 'earlier rows'} (${declared})`,
          got: describeValue(v),
        });
      }
      if (kind === 'numeric') (numeric[j] as Float64Array)[i] = v as number;
      else (text[j] as (string | null)[])[i] = v as string;
    }
  }
  const columns: Column[] = names.map((name, j) =>
    kinds[j] === 'numeric'
      ? { kind: 'numeric', name, values: numeric[j] as Float64Array }
      : { kind: 'categorical', name, values: Object.freeze(text[j] as (string | null)[]) },
  );
  return freezeTable(n, columns);
}
