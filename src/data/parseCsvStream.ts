/**
 * Incremental CSV parsing of sources larger than memory.
 *
 * @module
 */
import { type RuleTable, resolveOptions, rules } from '../core/options';
import { DataError, describeValue } from '../core/errors';
import { type CsvRecord, CsvTokenizer } from '../_lib/csvTokenizer';
import { type CsvColumnType, buildTable, checkTypes, headerNames, inferKinds, transpose } from '../_lib/csvTable';
import { PARSE_CSV_DEFAULTS, PARSE_CSV_RULES } from '../_lib/csvOptions';
import type { ParseCsvOptions } from './parseCsv';
import type { Table } from './table';

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
 * Parses CSV incrementally from a stream of text or UTF-8 bytes, yielding frozen Tables of
 * `batchSize` rows. Quotes, escaped quotes, CRLF pairs and multi-byte characters may be split
 * across chunks. The schema (names and column kinds) is fixed by the header, `types` and the first
 * batch, and is the same for every batch; a later value that does not fit a numeric column is a
 * DataError naming its line (declare the column in `types` to avoid inference). A header-only
 * source yields exactly one 0-row Table with the header's columns, equal to what {@link parseCsv}
 * returns for the same text; a source with no row at all throws.
 *
 * @param source - Node readable stream, any `AsyncIterable<string | Uint8Array>`, or a web `ReadableStream`.
 * @param options - {@link ParseCsvStreamOptions}.
 * @returns An async generator of Tables (at least one: a header-only source gives one 0-row Table).
 * @throws {DataError} as parseCsv, with line numbers counted over the whole stream (an empty stream,
 *   with no row at all, included).
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
export async function* parseCsvStream(source: CsvSource, options?: ParseCsvStreamOptions): AsyncGenerator<Table, void, undefined> {
  const fn = 'parseCsvStream';
  const o = resolveOptions<Required<ParseCsvStreamOptions>>(fn, options, PARSE_CSV_STREAM_DEFAULTS, RULES);
  const tok = new CsvTokenizer(o.delimiter, fn);
  const decoder = new TextDecoder('utf-8');
  const missing = new Set(o.missing);
  let pending: CsvRecord[] = [];
  let names: string[] | undefined;
  let kinds: CsvColumnType[] | undefined;
  let started = false;
  let emitted = false;

  const take = (final: boolean): Table[] => {
    const out: Table[] = [];
    if (names === undefined) {
      const first = pending[0];
      if (first === undefined) return out;
      names = headerNames(first, o.header, o.columnNames, fn);
      checkTypes(o.types, names, fn);
      if (o.header) pending = pending.slice(1);
    }
    // At the end, a header-only source still yields one (0-row) Table with the header's columns, like parseCsv.
    while (pending.length >= o.batchSize || (final && (pending.length > 0 || !emitted))) {
      const batch = pending.slice(0, o.batchSize);
      pending = pending.slice(batch.length);
      const raw = transpose(batch, names.length, fn);
      if (kinds === undefined) kinds = inferKinds(names, raw, o.types, missing);
      out.push(buildTable(names, kinds, raw, batch, missing, fn));
      emitted = true;
    }
    return out;
  };

  for await (const chunk of chunksOf(source, fn)) {
    let text: string;
    if (typeof chunk === 'string') text = chunk;
    else if (chunk instanceof Uint8Array) text = decoder.decode(chunk, { stream: true });
    else throw new DataError({ fn, arg: 'source', expected: 'chunks that are strings or Uint8Arrays', got: describeValue(chunk) });
    if (!started && text.length > 0) {
      started = true;
      if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
    }
    tok.push(text, pending);
    for (const t of take(false)) yield t;
  }
  const tail = decoder.decode();
  if (tail.length > 0) tok.push(tail, pending);
  tok.end(pending);
  if (names === undefined && pending.length === 0) throw new DataError({ fn, arg: 'source', expected: 'at least one row', got: 'no row (an empty stream or only blank lines)' });
  for (const t of take(true)) yield t;
}
