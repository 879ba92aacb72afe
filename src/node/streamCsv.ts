/**
 * Node-only: stream a large CSV file as Table batches.
 *
 * @module
 */
import { open } from 'node:fs/promises';
import { DataError, FinmlError, describeValue } from '../core/errors';
import { type ParseCsvStreamOptions, parseCsvStream } from '../data/parseCsvStream';
import type { CsvTable } from '../data/parseCsv';

/**
 * Streams a CSV file with `fs.createReadStream` through {@link parseCsvStream}, yielding CsvTables
 * of `batchSize` rows with one schema; memory use is bounded by the batch size and `maxRowBytes`,
 * not the file size.
 *
 * @param path - File path.
 * @param options - {@link ParseCsvStreamOptions}.
 * @returns An async generator of CsvTables.
 * @throws {DataError} a path that is not a readable regular file (a directory, a missing file; cause
 *   attached), a read error while streaming, or malformed content.
 * @throws {InvalidOptionError} invalid options.
 * @example
 * ```ts
 * import { streamCsv } from 'finml/node';
 * for await (const batch of streamCsv('data/eu_stock_markets.csv', { batchSize: 500 })) {
 *   batch.nRows; // 500, 500, 500, 360
 * }
 * ```
 * @category Node
 */
export async function* streamCsv(path: string, options?: ParseCsvStreamOptions): AsyncGenerator<CsvTable, void, undefined> {
  const fn = 'streamCsv';
  const unreadable = (why: string, cause?: unknown): DataError =>
    new DataError({ fn, arg: 'path', expected: 'a readable regular file', got: `${describeValue(path)} (${why})` }, cause === undefined ? undefined : { cause });
  let fd;
  try {
    fd = await open(path, 'r');
  } catch (e) {
    throw unreadable((e as { code?: string }).code ?? String(e), e);
  }
  try {
    const st = await fd.stat();
    if (!st.isFile() && !st.isFIFO()) throw unreadable(st.isDirectory() ? 'a directory' : 'not a regular file');
  } catch (e) {
    await fd.close();
    throw e;
  }
  // The stream owns the handle from here on and closes it when it ends or is destroyed.
  const stream = fd.createReadStream();
  try {
    for await (const t of parseCsvStream(stream, options)) yield t;
  } catch (e) {
    if (e instanceof FinmlError) throw e;
    throw unreadable(`read error: ${(e as { code?: string }).code ?? String(e)}`, e);
  } finally {
    stream.destroy();
  }
}
