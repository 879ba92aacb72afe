/**
 * Node-only: stream a large CSV file as Table batches.
 *
 * @module
 */
import { createReadStream } from 'node:fs';
import { access } from 'node:fs/promises';
import { DataError, describeValue } from '../core/errors';
import { type ParseCsvStreamOptions, parseCsvStream } from '../data/parseCsvStream';
import type { Table } from '../data/table';

/**
 * Streams a CSV file with `fs.createReadStream` through {@link parseCsvStream}, yielding Tables of
 * `batchSize` rows with one schema; memory use is bounded by the batch size, not the file size.
 *
 * @param path - File path.
 * @param options - {@link ParseCsvStreamOptions}.
 * @returns An async generator of Tables.
 * @throws {DataError} unreadable file (cause attached) or malformed content.
 * @example
 * ```ts
 * import { streamCsv } from 'finml/node';
 * for await (const batch of streamCsv('data/eu_stock_markets.csv', { batchSize: 500 })) {
 *   batch.nRows; // 500, 500, 500, 360
 * }
 * ```
 * @category Node
 */
export async function* streamCsv(path: string, options?: ParseCsvStreamOptions): AsyncGenerator<Table, void, undefined> {
  try {
    await access(path);
  } catch (e) {
    throw new DataError({ fn: 'streamCsv', arg: 'path', expected: 'a readable file', got: `${describeValue(path)} (${(e as { code?: string }).code ?? String(e)})` }, { cause: e });
  }
  const stream = createReadStream(path);
  try {
    yield* parseCsvStream(stream, options);
  } finally {
    stream.destroy();
  }
}
