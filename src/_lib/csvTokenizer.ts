/**
 * Private incremental RFC 4180 tokenizer shared by parseCsv and parseCsvStream: quoted fields
 * (delimiters, doubled quotes and newlines inside quotes), LF / CRLF / CR line ends, state kept
 * across chunk boundaries, physical line numbers for error messages.
 */
import { DataError } from '../core/errors';

/** One parsed record and the physical line (1-based) on which it starts. */
export interface CsvRecord {
  readonly fields: string[];
  readonly line: number;
}

const QUOTE = 34;
const LF = 10;
const CR = 13;

export class CsvTokenizer {
  private field = '';
  private record: string[] = [];
  /** 0 = start of field, 1 = in unquoted field, 2 = in quoted field, 3 = quote seen inside quoted field. */
  private state = 0;
  private pendingCR = false;
  private anyQuoted = false;
  private line = 1;
  private recordLine = 1;
  private quoteLine = 1;
  private readonly delim: number;

  constructor(
    delimiter: string,
    private readonly fn: string,
  ) {
    this.delim = delimiter.charCodeAt(0);
  }

  /** Tokenizes `chunk`, appending completed records to `out`. */
  push(chunk: string, out: CsvRecord[]): void {
    const n = chunk.length;
    let i = 0;
    while (i < n) {
      const c = chunk.charCodeAt(i);
      if (this.pendingCR) {
        this.pendingCR = false;
        if (c === LF) {
          i++;
          continue;
        }
      }
      if (this.state === 2) {
        // Fast path: copy up to the next quote.
        const q = chunk.indexOf('"', i);
        const end = q === -1 ? n : q;
        const part = chunk.slice(i, end);
        this.field += part;
        for (let k = 0; k < part.length; k++) if (part.charCodeAt(k) === LF) this.line++;
        if (q === -1) return;
        this.state = 3;
        i = q + 1;
        continue;
      }
      if (this.state === 3) {
        if (c === QUOTE) {
          this.field += '"';
          this.state = 2;
          i++;
          continue;
        }
        if (c !== this.delim && c !== LF && c !== CR) {
          throw new DataError({
            fn: this.fn,
            arg: 'text',
            expected: 'a delimiter or a line end after a closing quote (RFC 4180)',
            got: `${JSON.stringify(chunk[i])} on line ${this.line}`,
          });
        }
        this.state = 1;
      }
      if (c === this.delim) {
        this.record.push(this.field);
        this.field = '';
        this.state = 0;
        i++;
      } else if (c === LF || c === CR) {
        this.endRecord(out);
        if (c === CR) this.pendingCR = true;
        i++;
      } else if (c === QUOTE && this.state === 0) {
        this.state = 2;
        this.anyQuoted = true;
        this.quoteLine = this.line;
        i++;
      } else {
        // Unquoted run: copy up to the next delimiter / line end.
        let j = i + 1;
        while (j < n) {
          const d = chunk.charCodeAt(j);
          if (d === this.delim || d === LF || d === CR) break;
          j++;
        }
        this.field += chunk.slice(i, j);
        this.state = 1;
        i = j;
      }
    }
  }

  /** Flushes the last record (no trailing newline). @throws {DataError} for an unterminated quote. */
  end(out: CsvRecord[]): void {
    if (this.state === 2) {
      throw new DataError({
        fn: this.fn,
        arg: 'text',
        expected: 'every quoted field to be closed',
        got: `a quoted field opened on line ${this.quoteLine} that is never closed`,
      });
    }
    if (this.state !== 0 || this.record.length > 0 || this.field !== '') this.endRecord(out);
  }

  private endRecord(out: CsvRecord[]): void {
    this.record.push(this.field);
    const blank = this.record.length === 1 && this.field === '' && !this.anyQuoted;
    if (!blank) out.push({ fields: this.record, line: this.recordLine });
    this.record = [];
    this.field = '';
    this.state = 0;
    this.anyQuoted = false;
    this.line++;
    this.recordLine = this.line;
  }
}
