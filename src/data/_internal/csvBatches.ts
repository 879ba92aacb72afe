/**
 * Internal: batches of a CSV stream whose column kinds are all declared up front from the header,
 * so that no batch can change a column's kind (no inference across batches). Used by
 * scoreCsvStream and `finml predict`.
 */
import { DataError, InvalidOptionError, describeValue } from '../../core/errors';
import { type CsvSource, parseCsvStream } from '../parseCsvStream';
import type { ColumnType } from '../parseCsv';
import type { Table } from '../table';

/** What the model needs and what the caller passes through or ignores. */
export interface CsvBatchPlan {
  readonly numeric: readonly string[];
  readonly categorical: readonly string[];
  /** Passed through as text (categorical). */
  readonly ids: readonly string[];
  /** Ignored columns: must exist in the header, must not be needed by the model. */
  readonly drop: readonly string[];
  readonly batchSize: number;
  readonly delimiter: string;
  readonly missing: readonly string[];
}

type Chunk = string | Uint8Array;

/** Longest header record read before the batches start (16 MiB characters, the default row limit). */
const MAX_HEADER_CHARS = 16 * 1024 * 1024;

function iteratorOf(source: CsvSource, fn: string): AsyncIterator<Chunk> {
  if (typeof source === 'object' && source !== null && Symbol.asyncIterator in source) return (source as AsyncIterable<Chunk>)[Symbol.asyncIterator]();
  if (typeof source === 'object' && source !== null && typeof (source as ReadableStream<Chunk>).getReader === 'function') {
    const reader = (source as ReadableStream<Chunk>).getReader();
    return {
      next: async () => {
        const r = await reader.read();
        return r.done ? { done: true, value: undefined } : { done: false, value: r.value };
      },
      return: async () => {
        await reader.cancel();
        reader.releaseLock();
        return { done: true, value: undefined };
      },
    };
  }
  throw new DataError({ fn, arg: 'source', expected: 'an AsyncIterable of strings/Uint8Arrays or a ReadableStream', got: describeValue(source) });
}

/**
 * The fields of the first record of `text` when it is complete (ends with an unquoted line break),
 * else null. RFC 4180 quoting: `""` inside a quoted field is one quote.
 */
function headerFields(text: string, delimiter: string): string[] | null {
  const fields: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i] as string;
    if (quoted) {
      if (c !== '"') field += c;
      else if (text[i + 1] === '"') {
        field += '"';
        i++;
      } else quoted = false;
    } else if (c === '"') quoted = true;
    else if (c === delimiter) {
      fields.push(field);
      field = '';
    } else if (c === '\n' || c === '\r') {
      fields.push(field);
      return fields;
    } else field += c;
  }
  return null;
}

/**
 * Reads chunks until the header record is complete, then replays those chunks followed by the
 * rest of the source. Memory: the header's chunks only (bounded by the row byte limit).
 */
async function peekHeader(source: CsvSource, delimiter: string, fn: string): Promise<{ header: readonly string[] | null; replay: AsyncIterable<Chunk> }> {
  const it = iteratorOf(source, fn);
  const seen: Chunk[] = [];
  const decoder = new TextDecoder('utf-8');
  let text = '';
  let header: string[] | null = null;
  let ended = false;
  while (header === null) {
    const r = await it.next();
    if (r.done === true) {
      ended = true;
      text += decoder.decode();
      header = text.length > 0 ? headerFields(`${text}\n`, delimiter) : null;
      break;
    }
    seen.push(r.value);
    text += typeof r.value === 'string' ? r.value : r.value instanceof Uint8Array ? decoder.decode(r.value, { stream: true }) : '';
    if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
    if (text.length > MAX_HEADER_CHARS) {
      throw new DataError({ fn, arg: 'source', expected: `a CSV header record of at most ${MAX_HEADER_CHARS} characters`, got: 'a longer first record (unclosed quote?)' });
    }
    header = headerFields(text, delimiter);
  }
  async function* replay(): AsyncGenerator<Chunk> {
    try {
      yield* seen.splice(0);
      if (ended) return;
      for (;;) {
        const r = await it.next();
        if (r.done === true) return;
        yield r.value;
      }
    } finally {
      if (!ended) await it.return?.();
    }
  }
  return { header, replay: replay() };
}

/**
 * Batches of the CSV `source` with every column's kind declared from the header: the model's
 * numeric and categorical columns as such, id, dropped and other columns as text.
 *
 * @throws {DataError} a header without a needed or id column (all named), or malformed CSV.
 * @throws {InvalidOptionError} `drop` naming an absent column, a needed column, or an id column.
 */
export async function* typedCsvBatches(source: CsvSource, plan: CsvBatchPlan, fn: string): AsyncGenerator<Table, void, undefined> {
  const { header, replay } = await peekHeader(source, plan.delimiter, fn);
  if (header === null) {
    // No row at all: let parseCsvStream report it in its words.
    yield* parseCsvStream(replay, { batchSize: plan.batchSize, delimiter: plan.delimiter, missing: plan.missing });
    return;
  }
  const names = header.map((h) => h.trim());
  const q = (c: string): string => `'${c}'`;
  const have = new Set(names);
  const needed = [...plan.numeric, ...plan.categorical];
  for (const d of plan.drop) {
    if (!have.has(d)) throw new InvalidOptionError({ fn, arg: 'drop', expected: `columns of the CSV header (${names.map(q).join(', ')})`, got: q(d) });
    if (needed.includes(d)) throw new InvalidOptionError({ fn, arg: 'drop', expected: 'columns the model does not use', got: `${q(d)}, one of the model's input columns` });
    if (plan.ids.includes(d)) throw new InvalidOptionError({ fn, arg: 'drop', expected: 'columns not also passed through as ids', got: q(d) });
  }
  const absent = needed.filter((c) => !have.has(c));
  if (absent.length > 0) {
    throw new DataError({ fn, arg: 'source', expected: `a CSV with the model's input columns (${needed.map(q).join(', ')})`, got: `a header without ${absent.map(q).join(', ')}` });
  }
  const noId = plan.ids.filter((c) => !have.has(c));
  if (noId.length > 0) {
    throw new DataError({ fn, arg: 'idColumns', expected: `columns of the CSV header (${names.map(q).join(', ')})`, got: `${noId.map(q).join(', ')}, not in the header` });
  }
  const types: Record<string, ColumnType> = {};
  const numeric = new Set(plan.numeric);
  for (const n of new Set(names)) types[n] = numeric.has(n) ? 'numeric' : 'categorical';
  yield* parseCsvStream(replay, { batchSize: plan.batchSize, delimiter: plan.delimiter, missing: plan.missing, types });
}
