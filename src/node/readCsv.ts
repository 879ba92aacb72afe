/**
 * Node-only: read a CSV file into a Table.
 *
 * @module
 */
import { readFile } from 'node:fs/promises';
import { DataError, describeValue } from '../core/errors';
import { type ParseCsvOptions, parseCsv } from '../data/parseCsv';
import type { Table } from '../data/table';

/**
 * Reads a whole UTF-8 CSV file and parses it with {@link parseCsv}.
 *
 * @param path - File path.
 * @param options - {@link ParseCsvOptions}.
 * @returns The parsed Table.
 * @throws {DataError} when the file cannot be read (cause attached) or its content is malformed.
 * @throws {InvalidOptionError} invalid options.
 * @example
 * ```ts
 * import { readCsv } from 'finml/node';
 * const credit = await readCsv('data/german_credit.csv');
 * credit.nRows; //=> 1000
 * ```
 * @category Node
 */
export async function readCsv(path: string, options?: ParseCsvOptions): Promise<Table> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (e) {
    throw new DataError({ fn: 'readCsv', arg: 'path', expected: 'a readable file', got: `${describeValue(path)} (${(e as { code?: string }).code ?? String(e)})` }, { cause: e });
  }
  return parseCsv(text, options);
}
