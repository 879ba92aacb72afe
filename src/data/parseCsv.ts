/**
 * CSV text → typed {@link Table}.
 *
 * @module
 */
import { resolveOptions } from '../core/options';
import { PARSE_CSV_DEFAULTS, PARSE_CSV_RULES } from '../_lib/csvOptions';
import { DataError, describeValue } from '../core/errors';
import { type CsvRecord, CsvTokenizer } from '../_lib/csvTokenizer';
import { buildTable, checkTypes, headerNames, inferKinds, transpose } from '../_lib/csvTable';
import type { Table } from './table';

/**
 * Kind of a column as declared in {@link ParseCsvOptions.types}.
 * @category Data
 */
export type ColumnType = 'numeric' | 'categorical';

/**
 * Options of {@link parseCsv} (and of the streaming/file readers).
 * @category Data
 */
export interface ParseCsvOptions {
  /** Field separator, one character other than a quote or line break. @defaultValue ',' */
  readonly delimiter?: string;
  /** The first row holds column names. @defaultValue true */
  readonly header?: boolean;
  /** Column names to use (required length = number of fields); replaces the header row if any. @defaultValue null */
  readonly columnNames?: readonly string[] | null;
  /**
   * Explicit column kinds by name; other columns are inferred (numeric when every non-missing
   * value is a number, quoted or not). Declare `'categorical'` to keep codes like "01" as strings.
   * @defaultValue {}
   */
  readonly types?: Readonly<Record<string, ColumnType>>;
  /** Tokens read as missing (compared after trimming): NaN in numeric, null in categorical columns. @defaultValue ['', 'NA', 'NaN', 'null'] */
  readonly missing?: readonly string[];
}

/**
 * Parses CSV text (RFC 4180: quoted fields may contain delimiters, doubled quotes and line breaks;
 * LF, CRLF or CR line ends; a leading BOM is ignored; blank lines are skipped) into a typed,
 * frozen {@link Table}. Numeric columns are `Float64Array`s (missing → NaN); categorical columns
 * are string arrays (missing → null).
 *
 * @param text - The whole CSV text.
 * @param options - {@link ParseCsvOptions}.
 * A header-only text (a header row and no data row) is valid and gives a 0-row Table with the
 * header's columns: numeric unless declared `'categorical'` in `types`.
 *
 * @returns A Table with one column per field (0 rows for a header-only text).
 * @throws {DataError} ragged rows (naming the line and the expected/got field counts), an
 *   unterminated quote, duplicate column names, a non-number in a column declared numeric, or a
 *   text with no row at all (empty or only blank lines).
 * @throws {InvalidOptionError} invalid options or `types` naming an unknown column.
 * @example
 * ```ts
 * import { parseCsv } from 'finml';
 * const t = parseCsv('name,amount\n"Smith, J.",1200\nLee,NA\n');
 * t.columns[1]; //=> { kind: 'numeric', name: 'amount', values: Float64Array [1200, NaN] }
 * ```
 * @category Data
 */
export function parseCsv(text: string, options?: ParseCsvOptions): Table {
  const fn = 'parseCsv';
  const o = resolveOptions<Required<ParseCsvOptions>>(fn, options, PARSE_CSV_DEFAULTS, PARSE_CSV_RULES);
  if (typeof text !== 'string') throw new DataError({ fn, arg: 'text', expected: 'a string', got: describeValue(text) });
  const tok = new CsvTokenizer(o.delimiter, fn);
  const records: CsvRecord[] = [];
  tok.push(text.charCodeAt(0) === 0xfeff ? text.slice(1) : text, records);
  tok.end(records);
  const first = records[0];
  if (first === undefined) throw new DataError({ fn, arg: 'text', expected: 'at least one row', got: 'no row (an empty text or only blank lines)' });
  const names = headerNames(first, o.header, o.columnNames, fn);
  checkTypes(o.types, names, fn);
  const data = o.header ? records.slice(1) : records;
  const raw = transpose(data, names.length, fn);
  const missing = new Set(o.missing);
  const kinds = inferKinds(names, raw, o.types, missing);
  return buildTable(names, kinds, raw, data, missing, fn);
}
