/**
 * Incremental CSV parsing of sources larger than memory.
 *
 * @module
 */
import { type RuleTable, resolveOptions, rules } from '../core/options';
import { DataError, describeValue } from '../core/errors';
import { checkWellFormed } from './_internal/csvParser';
import { CsvParser } from './_internal/csvParser';
import { PARSE_CSV_DEFAULTS, PARSE_CSV_RULES, csvConfig } from './parseCsv';
import type { CsvTable, ParseCsvOptions } from './parseCsv';

/**
 * Options of {@link parseCsvStream}: those of parseCsv plus the batch size.
 * @category Data
 */
export interface ParseCsvStreamOptions extends ParseCsvOptions {
  /** Rows per yielded Table (the last batch may be smaller). @defaultValue 10000 */
  readonly batchSize?: number;
}

const PARSE_CSV_STREAM_DEFAULTS = { ...PARSE_CSV_DEFAULTS, batchSize: 10000 } as const satisfies Required<ParseCsvStreamOptions>;
const RULES: RuleTable<Required<ParseCsvStreamOptions>> = { ...PARSE_CSV_RULES, batchSize: rules.int({ min: 1 }) };

/**
 * A chunk source: any async iterable of text or bytes (Node streams), or a web ReadableStream.
 * @category Data
 */
export type CsvSource = AsyncIterable<string | Uint8Array> | ReadableStream<string | Uint8Array>;

async function* chunksOf(source: CsvSource, fn: string): AsyncGenerator<string | Uint8Array> {
  if (typeof source === 'object' && source !== null && Symbol.asyncIterator in source) {
    yield* source as AsyncIterable<string | Uint8Array>;
    return;
  }
  if (typeof source === 'object' && source !== null && typeof (source as ReadableStream).getReader === 'function') {
    const reader = (source as ReadableStream<string | Uint8Array>).getReader();
    try {
      for (;;) {
        const r = await reader.read();
        if (r.done) return;
        yield r.value;
      }
    } finally {
      reader.releaseLock();
    }
  }
  throw new DataError({ fn, arg: 'source', expected: 'an AsyncIterable of strings/Uint8Arrays or a ReadableStream', got: describeValue(source) });
}

/**
 * Parses CSV incrementally from a stream of text or bytes (UTF-8 unless `encoding` says otherwise),
 * yielding frozen {@link CsvTable}s of `batchSize` rows. Quotes, escaped quotes, CRLF pairs and
 * multi-byte characters may be split across chunks. Memory is bounded by the batch size and
 * `maxRowBytes` (an unclosed quote fails once the row passes that limit), not by the source size.
 *
 * The schema (names and column kinds) is fixed by the header, `types` and the first batch, and is
 * the same for every batch. In a column inferred as numeric, a later stray token already seen (or
 * while fewer than `maxStrayTokens` distinct ones were seen) is read as missing and reported in that
 * batch's `warnings`; any other non-number is a DataError naming its line (declare the column in
 * `types` to avoid inference). A header-only source yields exactly one 0-row Table with the
 * header's columns, equal to what {@link parseCsv} returns for the same text; a source with no row
 * at all throws.
 *
 * @param source - Node readable stream, any `AsyncIterable<string | Uint8Array>`, or a web `ReadableStream`.
 * @param options - {@link ParseCsvStreamOptions}.
 * @returns An async generator of CsvTables (at least one: a header-only source gives one 0-row Table).
 * @throws {DataError} as parseCsv, with line numbers counted over the whole stream (an empty stream,
 *   with no row at all, included); string chunks with `encoding: 'latin1'`.
 * @throws {InvalidOptionError} invalid options.
 * @example
 * ```ts
 * import { parseCsvStream } from 'finml';
 * import { createReadStream } from 'node:fs';
 * let rows = 0;
 * for await (const batch of parseCsvStream(createReadStream('data/eu_stock_markets.csv'), { batchSize: 500 })) rows += batch.nRows;
 * rows; //=> 1860
 * ```
 * @category Data
 */
export async function* parseCsvStream(source: CsvSource, options?: ParseCsvStreamOptions): AsyncGenerator<CsvTable, void, undefined> {
  const fn = 'parseCsvStream';
  const o = resolveOptions<Required<ParseCsvStreamOptions>>(fn, options, PARSE_CSV_STREAM_DEFAULTS, RULES);
  const parser = new CsvParser(csvConfig(fn, 'source', o), o.batchSize, Math.min(o.batchSize, 1024));
  const encoder = new TextEncoder();
  let held = '';
  let k = 0;
  for await (const chunk of chunksOf(source, fn)) {
    k++;
    if (typeof chunk === 'string') {
      if (o.encoding !== 'utf-8') {
        throw new DataError({ fn, arg: 'source', expected: "byte chunks when 'encoding' is not 'utf-8' (string chunks are already decoded)", got: `a string chunk (#${k})` });
      }
      let text = held + chunk;
      held = '';
      const last = text.charCodeAt(text.length - 1);
      if (last >= 0xd800 && last <= 0xdbff) {
        // A surrogate pair split across chunks: keep the high half for the next chunk.
        held = text.slice(-1);
        text = text.slice(0, -1);
      }
      checkWellFormed(text, fn, 'source', `in string chunk #${k}`);
      parser.append(encoder.encode(text));
    } else if (chunk instanceof Uint8Array) {
      parser.append(chunk);
    } else {
      throw new DataError({ fn, arg: 'source', expected: 'chunks that are strings or Uint8Arrays', got: describeValue(chunk) });
    }
    for (let t = parser.pump(false); t !== undefined; t = parser.pump(false)) yield t;
  }
  if (held !== '') checkWellFormed(held, fn, 'source', 'at the end of the last string chunk');
  for (let t = parser.pump(true); t !== undefined; t = parser.pump(true)) yield t;
}
