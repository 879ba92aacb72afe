/**
 * CSV text → typed {@link Table}.
 *
 * @module
 */
import { type RuleTable, resolveOptions, rules } from '../core/options';
import { InvalidOptionError, DataError, describeValue } from '../core/errors';
import { type CsvConfig, checkWellFormed, parseCsvBytes } from './_internal/csvParser';
import type { Table } from './table';

/**
 * Kind of a column as declared in {@link ParseCsvOptions.types}.
 * @category Data
 */
export type ColumnType = 'numeric' | 'categorical';

/**
 * Byte encoding of CSV input given as bytes (`Uint8Array` text, byte streams, files).
 * `'latin1'` is ISO-8859-1: every byte is the code point of the same value.
 * @category Data
 */
export type CsvEncoding = 'utf-8' | 'latin1';

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
   * Explicit column kinds by name; other columns are inferred (see {@link parseCsv}). Declare
   * `'categorical'` to keep codes like "01" as strings; a column declared `'numeric'` admits no
   * stray token (each is a DataError).
   * @defaultValue {}
   */
  readonly types?: Readonly<Record<string, ColumnType>>;
  /** Tokens read as missing (compared after trimming): NaN in numeric, null in categorical columns. @defaultValue ['', 'NA', 'NaN', 'null'] */
  readonly missing?: readonly string[];
  /**
   * Most distinct non-numeric tokens (e.g. `n/a`, `-`) an inferred numeric column may hold: their
   * cells become missing and are reported in {@link CsvTable.warnings}. A column with more distinct
   * tokens, or with at least as many stray cells as numbers, is categorical. 0 = any non-number
   * makes the column categorical.
   * @defaultValue 3
   */
  readonly maxStrayTokens?: number;
  /** Stray tokens in a numeric column are a DataError instead of missing cells with a warning. @defaultValue false */
  readonly strict?: boolean;
  /** Largest field, in bytes (UTF-8 bytes of string input); a longer field (or an unclosed quote) is a DataError naming its line. @defaultValue 1048576 */
  readonly maxFieldBytes?: number;
  /** Largest row (record), in bytes; a longer one is a DataError naming its line. Bounds the memory a streaming reader holds for one row. @defaultValue 16777216 */
  readonly maxRowBytes?: number;
  /**
   * Encoding of byte input (a `Uint8Array`, byte chunks of a stream, a file). Invalid UTF-8 is a
   * DataError naming its line and column, never replaced silently. String input is already
   * decoded: only `'utf-8'` is accepted with it.
   * @defaultValue 'utf-8'
   */
  readonly encoding?: CsvEncoding;
}

/**
 * One stray (non-numeric, non-missing) token read as missing in a numeric column.
 * @category Data
 */
export interface CsvStrayToken {
  /** The token, trimmed. */
  readonly token: string;
  /** Number of cells holding it. */
  readonly count: number;
  /** Physical lines (1-based) of its first cells (at most 5). */
  readonly lines: readonly number[];
}

/**
 * A warning of the CSV readers: a numeric column whose stray tokens were read as missing
 * (see {@link ParseCsvOptions.maxStrayTokens}; `strict: true` makes it an error).
 * @category Data
 */
export interface CsvWarning {
  /** Kind of warning. */
  readonly code: 'STRAY_TOKENS';
  /** The column. */
  readonly column: string;
  /** Each distinct token with its count and first lines. */
  readonly tokens: readonly CsvStrayToken[];
  /** The same, in words. */
  readonly message: string;
}

/**
 * A {@link Table} returned by the CSV readers, with the warnings of its rows (empty when none).
 * @category Data
 */
export interface CsvTable extends Table {
  /** What was read differently from the text (stray tokens read as missing), one entry per column. */
  readonly warnings: readonly CsvWarning[];
}

/**
 * Parses CSV text (RFC 4180: quoted fields may contain delimiters, doubled quotes and line breaks;
 * LF, CRLF or CR line ends; a leading BOM is ignored; blank lines are skipped) into a typed,
 * frozen {@link CsvTable}. Numeric columns are `Float64Array`s (missing → NaN); categorical columns
 * are string arrays (missing → null). Each value is parsed once, straight into its column.
 *
 * Column kinds: declared in `types`, otherwise inferred. An inferred column is numeric when its
 * non-missing cells are numbers (`[+-]digits[.digits][e[+-]digits]`, quoted or not) except for at
 * most `maxStrayTokens` distinct other tokens filling fewer cells than the numbers: those cells
 * become NaN and are listed in `warnings` (an error with `strict: true`). Numbers must be finite:
 * `1e309` or an infinity token (`Infinity`, `-inf`, …) in a numeric column is a DataError; a column
 * holding such tokens and no numbers stays categorical text.
 *
 * @param text - The whole CSV text, or its bytes (decoded with `encoding`).
 * @param options - {@link ParseCsvOptions}.
 * A header-only text (a header row and no data row) is valid and gives a 0-row Table with the
 * header's columns: numeric unless declared `'categorical'` in `types`.
 *
 * @returns A CsvTable with one column per field (0 rows for a header-only text) and its warnings.
 * @throws {DataError} ragged rows (naming the line and the expected/got field counts), an
 *   unterminated quote, a field or row over `maxFieldBytes` / `maxRowBytes`, duplicate column
 *   names, a non-number in a column declared numeric, a stray token in strict mode, a non-finite
 *   number, invalid UTF-8 (or a lone surrogate in a string), or a text with no row at all (empty or
 *   only blank lines); each names its line.
 * @throws {InvalidOptionError} invalid options or `types` naming an unknown column.
 * @example
 * ```ts
 * import { parseCsv } from 'finml';
 * const t = parseCsv('name,amount\n"Smith, J.",1200\nLee,NA\nNg,n/a\nKim,950\n');
 * t.columns[1]; //=> { kind: 'numeric', name: 'amount', values: Float64Array [1200, NaN, NaN, 950] }
 * t.warnings[0]?.tokens; //=> [{ token: 'n/a', count: 1, lines: [4] }]
 * ```
 * @category Data
 */
export function parseCsv(text: string | Uint8Array, options?: ParseCsvOptions): CsvTable {
  const fn = 'parseCsv';
  const o = resolveOptions<Required<ParseCsvOptions>>(fn, options, PARSE_CSV_DEFAULTS, PARSE_CSV_RULES);
  let bytes: Uint8Array;
  if (typeof text === 'string') {
    if (o.encoding !== 'utf-8') {
      throw new InvalidOptionError({ fn, arg: 'encoding', expected: "'utf-8' for string text (the encoding applies to byte input)", got: describeValue(o.encoding) });
    }
    checkWellFormed(text, fn, 'text');
    bytes = new TextEncoder().encode(text);
  } else if (text instanceof Uint8Array) {
    bytes = text;
  } else {
    throw new DataError({ fn, arg: 'text', expected: 'a string or a Uint8Array', got: describeValue(text) });
  }
  return parseCsvBytes(bytes, csvConfig(fn, 'text', o));
}

/** Defaults of parseCsv, shared with parseCsvStream. @internal */
export const PARSE_CSV_DEFAULTS = {
  delimiter: ',',
  header: true,
  columnNames: null,
  types: {},
  missing: ['', 'NA', 'NaN', 'null'],
  maxStrayTokens: 3,
  strict: false,
  maxFieldBytes: 1048576,
  maxRowBytes: 16777216,
  encoding: 'utf-8',
} as const satisfies Required<ParseCsvOptions>;

/** Option rules of parseCsv, shared with parseCsvStream. @internal */
export const PARSE_CSV_RULES: RuleTable<Required<ParseCsvOptions>> = {
  delimiter: rules.custom('a single character other than \'"\', CR or LF', (v) => typeof v === 'string' && v.length === 1 && !'"\r\n'.includes(v)),
  header: rules.boolean(),
  columnNames: rules.nullable(rules.stringArray()),
  types: rules.custom(
    "an object mapping column names to 'numeric' or 'categorical'",
    (v) => typeof v === 'object' && v !== null && !Array.isArray(v) && Object.values(v).every((t) => t === 'numeric' || t === 'categorical'),
  ),
  missing: rules.stringArray(),
  maxStrayTokens: rules.int({ min: 0 }),
  strict: rules.boolean(),
  maxFieldBytes: rules.int({ min: 1 }),
  maxRowBytes: rules.int({ min: 1 }),
  encoding: rules.oneOf(['utf-8', 'latin1']),
};

/** The parser settings of resolved options. @internal */
export function csvConfig(fn: string, arg: string, o: Required<ParseCsvOptions>): CsvConfig {
  return {
    fn,
    arg,
    delimiter: o.delimiter,
    header: o.header,
    columnNames: o.columnNames,
    types: o.types,
    missing: o.missing,
    maxStrayTokens: o.maxStrayTokens,
    strict: o.strict,
    maxFieldBytes: o.maxFieldBytes,
    maxRowBytes: o.maxRowBytes,
    encoding: o.encoding,
  };
}
