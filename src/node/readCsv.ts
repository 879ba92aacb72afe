/**
 * Node-only: read a CSV file into a Table.
 *
 * @module
 */
import { readFile } from 'node:fs/promises';
import { DataError, describeValue } from '../core/errors';
import { resolveOptions } from '../core/options';
import { PARSE_CSV_DEFAULTS, PARSE_CSV_RULES, csvConfig } from '../data/parseCsv';
import { parseCsvBytes } from '../data/_internal/csvParser';
import type { CsvTable, ParseCsvOptions } from '../data/parseCsv';

/**
 * Reads a whole CSV file (UTF-8 unless `encoding` says otherwise) and parses it like
 * `parseCsv`, straight from the file's bytes: the text is never held as one string, so the
 * memory used is the file's bytes plus the typed columns.
 *
 * @param path - File path.
 * @param options - {@link ParseCsvOptions}.
 * @returns The parsed CsvTable (a Table with the `warnings` of the parse).
 * @throws {DataError} when the file cannot be read (a directory, a missing file; cause attached) or
 *   its content is malformed (see parseCsv; invalid UTF-8 included).
 * @throws {InvalidOptionError} invalid options.
 * @example
 * ```ts
 * import { readCsv } from 'finml/node';
 * const credit = await readCsv('data/german_credit.csv');
 * credit.nRows; //=> 1000
 * ```
 * @category Node
 */
export async function readCsv(path: string, options?: ParseCsvOptions): Promise<CsvTable> {
  const fn = 'readCsv';
  const o = resolveOptions<Required<ParseCsvOptions>>(fn, options, PARSE_CSV_DEFAULTS, PARSE_CSV_RULES);
  let bytes: Uint8Array;
  try {
    bytes = await readFile(path);
  } catch (e) {
    throw new DataError({ fn, arg: 'path', expected: 'a readable file', got: `${describeValue(path)} (${(e as { code?: string }).code ?? String(e)})` }, { cause: e });
  }
  return parseCsvBytes(bytes, csvConfig(fn, 'path', o));
}
