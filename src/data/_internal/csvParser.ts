/**
 * Private: the one-pass CSV parser shared by parseCsv, parseCsvStream, readCsv and streamCsv.
 *
 * Works on bytes (UTF-8 or Latin-1; delimiters, quotes and line ends are ASCII, so records and
 * fields are found without decoding). Each field is looked at once: numeric candidates are parsed
 * straight from the bytes into a growing Float64Array (no substring, no regex), categorical values
 * are decoded once per distinct value (interned per column). A column inferred as numeric that meets
 * more than `maxStrayTokens` distinct non-numbers is switched to categorical by re-reading that
 * column from the kept row offsets; the stray tokens of a numeric column become missing cells and a
 * warning (or a DataError in strict mode).
 *
 * RFC 4180: quoted fields may hold delimiters, doubled quotes and line breaks; LF, CRLF or CR line
 * ends; blank lines are skipped; line numbers are physical lines (1-based) where a record starts.
 */
import { DataError, InvalidOptionError } from '../../core/errors';
import type { Column } from '../table';

/** Column kind of a CSV column. */
export type CsvColumnType = 'numeric' | 'categorical';

/** Byte encodings of CSV input. */
export type CsvEncoding = 'utf-8' | 'latin1';

/** One stray token of a numeric column: the trimmed text, how many cells, the first lines. */
export interface CsvStrayTokenInfo {
  readonly token: string;
  readonly count: number;
  readonly lines: readonly number[];
}

/** A warning produced while parsing (see CsvWarning in data/parseCsv). */
export interface CsvWarningInfo {
  readonly code: 'STRAY_TOKENS';
  readonly column: string;
  readonly tokens: readonly CsvStrayTokenInfo[];
  readonly message: string;
}

/** Resolved parser settings. */
export interface CsvConfig {
  readonly fn: string;
  /** Name of the argument holding the CSV content (for error messages). */
  readonly arg: string;
  readonly delimiter: string;
  readonly header: boolean;
  readonly columnNames: readonly string[] | null;
  readonly types: Readonly<Record<string, CsvColumnType>>;
  readonly missing: readonly string[];
  readonly maxStrayTokens: number;
  readonly strict: boolean;
  readonly maxFieldBytes: number;
  readonly maxRowBytes: number;
  readonly encoding: CsvEncoding;
}

/** A parsed batch: typed columns and the warnings of its rows. */
export interface CsvBatch {
  readonly nRows: number;
  readonly columns: readonly Column[];
  readonly warnings: readonly CsvWarningInfo[];
}

const QUOTE = 34;
const LF = 10;
const CR = 13;
const F_QUOTED = 1;
const F_ESCAPED = 2;
const F_NONASCII = 4;
const AUTO = 0;
const NUM = 1;
const CAT = 2;
const MAX_LINES_KEPT = 5;
const INTERN_MAX = 1 << 16;
const NUMBER_RE = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/;
const INFINITY_RE = /^[+-]?inf(?:inity)?$/i;
const POW10: readonly number[] = Array.from({ length: 23 }, (_, i) => 10 ** i);

const isWs = (c: number): boolean => c === 32 || (c >= 9 && c <= 13);

/** Value of the last successful {@link parseNumberBytes} call. */
let numValue = 0;
const asciiDecoder = new TextDecoder('utf-8');

function asciiString(b: Uint8Array, a: number, e: number): string {
  if (e - a <= 64) return String.fromCharCode.apply(null, b.subarray(a, e) as unknown as number[]);
  return asciiDecoder.decode(b.subarray(a, e));
}

function latin1String(b: Uint8Array, a: number, e: number): string {
  let s = '';
  for (let i = a; i < e; i += 4096) s += String.fromCharCode.apply(null, b.subarray(i, Math.min(e, i + 4096)) as unknown as number[]);
  return s;
}

/**
 * Parses the ASCII bytes [a, e) (already trimmed, non-empty) as a decimal number with the grammar
 * `[+-]? (digits [. digits?] | . digits) ([eE] [+-]? digits)?`. Exact (Clinger's fast path) for up
 * to 15 significant digits and |exponent| <= 22; other numbers go through `Number` on the same
 * bytes. Sets `numValue` and returns true when [a, e) is a number.
 */
function parseNumberBytes(b: Uint8Array, a: number, e: number): boolean {
  let i = a;
  let c = b[i] as number;
  let neg = false;
  if (c === 45 || c === 43) {
    neg = c === 45;
    i++;
  }
  let m = 0;
  let sig = 0;
  let long = false;
  let scale = 0;
  let nDigits = 0;
  // Integer and fraction digits in one loop: the first '.' switches to the fraction (each digit
  // after it lowers the scale); a second '.' ends the mantissa (and fails the number below).
  let dot = false;
  for (; i < e; i++) {
    const c = b[i] as number;
    if (c === 46) {
      if (dot) break;
      dot = true;
      continue;
    }
    const d = c - 48;
    if (d < 0 || d > 9) break;
    nDigits++;
    if (dot) scale--;
    if (m !== 0 || d !== 0) {
      if (sig < 15) {
        m = m * 10 + d;
        sig++;
      } else {
        long = true;
      }
    }
  }
  if (nDigits === 0) return false;
  if (i < e && ((b[i] as number) | 0x20) === 101) {
    i++;
    let eneg = false;
    if (i < e && (b[i] === 45 || b[i] === 43)) {
      eneg = b[i] === 45;
      i++;
    }
    let ev = 0;
    let ed = 0;
    while (i < e) {
      const d = (b[i] as number) - 48;
      if (d < 0 || d > 9) break;
      if (ev < 1e6) ev = ev * 10 + d;
      ed++;
      i++;
    }
    if (ed === 0) return false;
    scale += eneg ? -ev : ev;
  }
  if (i !== e) return false;
  if (long || scale > 22 || scale < -22) {
    numValue = Number(asciiString(b, a, e));
    return true;
  }
  const v = scale >= 0 ? m * (POW10[scale] as number) : m / (POW10[-scale] as number);
  numValue = neg ? -v : v;
  return true;
}

/** Number grammar on a decoded, trimmed string (slow path for fields with non-ASCII bytes). */
function parseNumberString(t: string): number | undefined {
  return NUMBER_RE.test(t) ? Number(t) : undefined;
}

interface StrayEntry {
  count: number;
  readonly lines: number[];
}

class ColumnState {
  kind: number;
  nums: Float64Array;
  cats: (string | null)[] = [];
  readonly intern = new Map<number, string | string[]>();
  internSize = 0;
  /** Stray tokens of this batch (numeric candidates). */
  strays = new Map<string, StrayEntry>();
  strayCells = 0;
  numCells = 0;
  /** Every distinct stray token met so far (over all batches). */
  readonly allStrays = new Set<string>();
  nonFinite: { readonly token: string; readonly line: number } | undefined;
  /**
   * Categorical values of an inferred column kept while it has met no number yet (first batch):
   * a column of only text switches to categorical without re-reading its rows.
   */
  shadow: (string | null)[] | undefined;

  constructor(
    readonly name: string,
    kind: number,
    cap: number,
  ) {
    this.kind = kind;
    if (kind === AUTO) this.shadow = [];
    this.nums = new Float64Array(kind === CAT ? 0 : Math.max(cap, 1));
    if (kind === CAT) this.cats = new Array<string | null>(cap);
  }
}

/**
 * Incremental columnar CSV parser. Feed bytes with {@link CsvParser.append}, call
 * {@link CsvParser.pump} to get batches; whole-buffer parsing is one append + pump(true).
 */
export class CsvParser {
  private buf: Uint8Array = new Uint8Array(0);
  private len = 0;
  private pos = 0;
  private line = 1;
  private started = false;
  /** Bytes needed past `pos` before scanning again (doubling after an incomplete record). */
  private minAvail = 0;
  private readonly delim: number;
  private readonly missingSet: Set<string>;
  private readonly missingBytes: Uint8Array[][] = [];
  private readonly emptyIsMissing: boolean;
  private readonly utf8: TextDecoder;
  // Field boundaries of the current record.
  private fStart = new Float64Array(64);
  private fEnd = new Float64Array(64);
  private fFlags = new Uint8Array(64);
  private fLine = new Float64Array(64);
  private nFields = 0;
  private recLine = 1;
  private recStart = 0;
  // Current batch.
  private names: string[] | undefined;
  private cols: ColumnState[] = [];
  private nRows = 0;
  /** Rows the column arrays of this batch hold before they grow. */
  private rowCap = 0;
  /** Where the first data row of the batch starts (re-reads of a column that turns categorical). */
  private batchStartPos = 0;
  private batchStartLine = 1;
  private kindsFixed = false;
  private emitted = false;
  private batchCap: number;

  constructor(
    private readonly cfg: CsvConfig,
    private readonly batchSize: number,
    capacityHint: number,
  ) {
    this.delim = cfg.delimiter.charCodeAt(0);
    this.missingSet = new Set(cfg.missing);
    this.emptyIsMissing = this.missingSet.has('');
    const enc = new TextEncoder();
    for (const tok of cfg.missing) {
      let bytes: Uint8Array | undefined;
      if (cfg.encoding === 'utf-8') bytes = enc.encode(tok);
      else if ([...tok].every((ch) => ch.charCodeAt(0) <= 0xff && ch.length === 1)) bytes = Uint8Array.from(tok, (ch) => ch.charCodeAt(0));
      if (bytes === undefined) continue;
      (this.missingBytes[bytes.length] ??= []).push(bytes);
    }
    this.utf8 = new TextDecoder('utf-8', { fatal: true });
    this.batchCap = Math.max(1, Math.min(batchSize, capacityHint));
  }

  /** Appends bytes (copied); drops bytes no longer needed when the schema is fixed. */
  append(chunk: Uint8Array): void {
    if (this.kindsFixed && this.pos > 0) {
      // Nothing before `pos` is needed any more: compact.
      this.buf.copyWithin(0, this.pos, this.len);
      this.len -= this.pos;
      this.pos = 0;
    }
    const need = this.len + chunk.length;
    if (need > this.buf.length) {
      const nb = new Uint8Array(Math.max(need, this.buf.length * 2, 65536));
      nb.set(this.buf.subarray(0, this.len));
      this.buf = nb;
    }
    this.buf.set(chunk, this.len);
    this.len = need;
  }

  /** Uses `bytes` itself as the buffer (whole-input parsing, no copy). */
  setWhole(bytes: Uint8Array): void {
    this.buf = bytes;
    this.len = bytes.length;
    this.pos = 0;
  }

  /**
   * Scans records. Returns a batch when `batchSize` rows are complete, or at the end (`final`) the
   * last rows (a 0-row batch for a header-only input when nothing was emitted); undefined when more
   * bytes are needed (not final) or everything was emitted (final).
   */
  pump(final: boolean): CsvBatch | undefined {
    if (!this.started) {
      if (!final && this.len < 3) return undefined;
      this.started = true;
      const b = this.buf;
      if (this.cfg.encoding === 'utf-8' && this.len >= 3 && b[0] === 0xef && b[1] === 0xbb && b[2] === 0xbf) this.pos = 3;
    }
    if (!final && this.len - this.pos < this.minAvail) return undefined;
    for (;;) {
      const r = this.scanRecord(final);
      if (r === 0) {
        this.minAvail = 2 * (this.len - this.pos);
        return undefined;
      }
      if (r < 0) break;
      this.minAvail = 0;
      if (this.nFields === 1 && this.fEnd[0] === this.fStart[0] && ((this.fFlags[0] as number) & F_QUOTED) === 0) continue; // blank line
      if (this.names === undefined) {
        this.initColumns();
        if (this.cfg.header) continue;
      }
      this.commitRow();
      if (this.nRows >= this.batchSize) return this.finishBatch();
    }
    if (this.names === undefined) {
      throw new DataError({ fn: this.cfg.fn, arg: this.cfg.arg, expected: 'at least one row', got: `no row (${this.cfg.arg === 'source' ? 'an empty stream' : 'an empty text'} or only blank lines)` });
    }
    if (this.nRows > 0 || !this.emitted) return this.finishBatch();
    return undefined;
  }

  // ---------------------------------------------------------------- scanning

  private fail(expected: string, got: string): never {
    throw new DataError({ fn: this.cfg.fn, arg: this.cfg.arg, expected, got });
  }

  private fieldTooLong(size: number, line: number, quoted: boolean): never {
    this.fail(
      `fields of at most ${this.cfg.maxFieldBytes} bytes (option 'maxFieldBytes')`,
      quoted
        ? `a quoted field opened on line ${line} that runs over ${size} bytes (an unclosed quote?)`
        : `a field of ${size} bytes on line ${line}`,
    );
  }

  private rowTooLong(size: number, line: number): never {
    this.fail(`rows of at most ${this.cfg.maxRowBytes} bytes (option 'maxRowBytes')`, `a row of ${size} bytes or more starting on line ${line}`);
  }

  /** Checks the limits on an incomplete record and asks for more bytes. */
  private needMore(start: number, fieldStart: number, fieldLine: number, quoted: boolean): 0 {
    const n = this.len;
    if (n - fieldStart > this.cfg.maxFieldBytes) this.fieldTooLong(n - fieldStart, fieldLine, quoted);
    if (n - start > this.cfg.maxRowBytes) this.rowTooLong(n - start, this.line);
    return 0;
  }

  private growFields(): void {
    const cap = this.fStart.length * 2;
    const s = new Float64Array(cap);
    s.set(this.fStart);
    this.fStart = s;
    const e = new Float64Array(cap);
    e.set(this.fEnd);
    this.fEnd = e;
    const f = new Uint8Array(cap);
    f.set(this.fFlags);
    this.fFlags = f;
    const l = new Float64Array(cap);
    l.set(this.fLine);
    this.fLine = l;
  }

  /** 1: one record scanned; 0: need more bytes (not final); -1: no more records. */
  private scanRecord(final: boolean): number {
    const b = this.buf;
    const n = this.len;
    const d = this.delim;
    const maxField = this.cfg.maxFieldBytes;
    const start = this.pos;
    if (start >= n) return final ? -1 : 0;
    let p = start;
    let line = this.line;
    let nf = 0;
    for (;;) {
      if (nf === this.fStart.length) this.growFields();
      let fa: number;
      let fe: number;
      let flags = 0;
      const fieldLine = line;
      if (p < n && b[p] === QUOTE) {
        flags = F_QUOTED;
        let q = p + 1;
        for (;;) {
          const e = b.indexOf(QUOTE, q);
          const stop = e === -1 || e >= n ? n : e;
          for (let k = q; k < stop; k++) {
            const c = b[k] as number;
            if (c === LF) line++;
            else if (c === CR) {
              if (k + 1 < n ? b[k + 1] !== LF : final) line++;
            } else if (c >= 0x80) flags |= F_NONASCII;
          }
          if (stop - p > maxField) this.fieldTooLong(stop - p, fieldLine, true);
          if (stop === n) {
            if (!final) return this.needMore(start, p, fieldLine, true);
            this.fail('every quoted field to be closed', `a quoted field opened on line ${fieldLine} that is never closed`);
          }
          if (e + 1 < n && b[e + 1] === QUOTE) {
            flags |= F_ESCAPED;
            q = e + 2;
            continue;
          }
          if (e + 1 >= n && !final) return this.needMore(start, p, fieldLine, true);
          fa = p + 1;
          fe = e;
          p = e + 1;
          break;
        }
        if (p < n) {
          const c = b[p] as number;
          if (c !== d && c !== LF && c !== CR) {
            this.fail('a delimiter or a line end after a closing quote (RFC 4180)', `${JSON.stringify(String.fromCharCode(c))} on line ${line}`);
          }
        }
      } else {
        let q = p;
        let hi = 0;
        while (q < n) {
          const c = b[q] as number;
          if (c === d || c === LF || c === CR) break;
          hi |= c;
          q++;
        }
        if (hi >= 0x80) flags = F_NONASCII;
        if (q - p > maxField) this.fieldTooLong(q - p, fieldLine, false);
        fa = p;
        fe = q;
        p = q;
      }
      this.fStart[nf] = fa;
      this.fEnd[nf] = fe;
      this.fFlags[nf] = flags;
      this.fLine[nf] = fieldLine;
      nf++;
      if (p >= n) {
        if (!final) return this.needMore(start, fa, fieldLine, false);
        break;
      }
      const c = b[p] as number;
      if (c === d) {
        p++;
        continue;
      }
      if (c === CR) {
        if (p + 1 >= n && !final) return this.needMore(start, p, fieldLine, false);
        p += b[p + 1] === LF ? 2 : 1;
      } else {
        p++;
      }
      line++;
      break;
    }
    if (p - start > this.cfg.maxRowBytes) this.rowTooLong(p - start, this.line);
    this.nFields = nf;
    this.recStart = start;
    this.recLine = this.line;
    this.pos = p;
    this.line = line;
    return 1;
  }

  // ---------------------------------------------------------------- decoding

  /** Decodes field i of the current record (unescaping doubled quotes). */
  private decodeField(a: number, e: number, flags: number, line: number, column: string | undefined): string {
    const b = this.buf;
    let s: string;
    if ((flags & F_NONASCII) === 0) s = asciiString(b, a, e);
    else if (this.cfg.encoding === 'latin1') s = latin1String(b, a, e);
    else {
      try {
        s = this.utf8.decode(b.subarray(a, e));
      } catch (err) {
        throw new DataError(
          {
            fn: this.cfg.fn,
            arg: this.cfg.arg,
            expected: "valid UTF-8 text (pass the 'encoding' option, e.g. 'latin1', for other encodings)",
            got: `invalid UTF-8 bytes ${column === undefined ? 'in the header' : `in column ${JSON.stringify(column)}`} on line ${line}`,
          },
          { cause: err },
        );
      }
    }
    return (flags & F_ESCAPED) !== 0 ? s.replace(/""/g, '"') : s;
  }

  private isMissingAscii(a: number, e: number): boolean {
    const len = e - a;
    if (len === 0) return this.emptyIsMissing;
    const list = this.missingBytes[len];
    if (list === undefined) return false;
    const b = this.buf;
    outer: for (const t of list) {
      for (let k = 0; k < len; k++) if (b[a + k] !== t[k]) continue outer;
      return true;
    }
    return false;
  }

  /** Interned string of the ASCII bytes [a, e) of a categorical column. */
  private internAscii(col: ColumnState, a: number, e: number): string {
    const b = this.buf;
    let h = 0x811c9dc5;
    for (let k = a; k < e; k++) h = Math.imul(h ^ (b[k] as number), 0x01000193);
    const len = e - a;
    const hit = col.intern.get(h);
    if (hit !== undefined) {
      if (typeof hit === 'string') {
        if (sameAscii(hit, b, a, len)) return hit;
      } else {
        for (const s of hit) if (sameAscii(s, b, a, len)) return s;
      }
    }
    const s = asciiString(b, a, e);
    if (col.internSize < INTERN_MAX) {
      col.internSize++;
      if (hit === undefined) col.intern.set(h, s);
      else if (typeof hit === 'string') col.intern.set(h, [hit, s]);
      else hit.push(s);
    }
    return s;
  }

  private categoricalValue(col: ColumnState, a: number, e: number, flags: number, line: number): string | null {
    if ((flags & (F_NONASCII | F_ESCAPED)) !== 0) {
      const s = this.decodeField(a, e, flags, line, col.name);
      return this.missingSet.has(s.trim()) ? null : s;
    }
    const b = this.buf;
    let ta = a;
    let te = e;
    while (ta < te && isWs(b[ta] as number)) ta++;
    while (te > ta && isWs(b[te - 1] as number)) te--;
    if (this.isMissingAscii(ta, te)) return null;
    return this.internAscii(col, a, e);
  }

  // ---------------------------------------------------------------- columns

  private initColumns(): void {
    const { cfg } = this;
    const nf = this.nFields;
    let names: string[];
    if (cfg.columnNames !== null) {
      if (cfg.columnNames.length !== nf) {
        throw new DataError({ fn: cfg.fn, arg: 'columnNames', expected: `${nf} names (fields on line ${this.recLine})`, got: `${cfg.columnNames.length} names` });
      }
      names = [...cfg.columnNames];
    } else if (cfg.header) {
      names = [];
      for (let j = 0; j < nf; j++) names.push(this.decodeField(this.fStart[j] as number, this.fEnd[j] as number, this.fFlags[j] as number, this.recLine, undefined).trim());
    } else {
      names = Array.from({ length: nf }, (_, j) => `x${j}`);
    }
    const seen = new Set<string>();
    for (const nm of names) {
      if (seen.has(nm)) throw new DataError({ fn: cfg.fn, arg: cfg.columnNames !== null ? 'columnNames' : 'header', expected: 'unique column names', got: `${JSON.stringify(nm)} twice` });
      seen.add(nm);
    }
    for (const k of Object.keys(cfg.types)) {
      if (!seen.has(k)) {
        throw new InvalidOptionError({
          fn: cfg.fn,
          arg: 'types',
          expected: `keys that are column names (${names.map((x) => JSON.stringify(x)).join(', ')})`,
          got: JSON.stringify(k),
        });
      }
    }
    this.names = names;
    this.newBatch(true);
  }

  private newBatch(first: boolean): void {
    const names = this.names as string[];
    const cap = this.batchCap;
    if (first) {
      this.cols = names.map((nm) => {
        const t = this.cfg.types[nm];
        return new ColumnState(nm, t === 'numeric' ? NUM : t === 'categorical' ? CAT : AUTO, cap);
      });
    } else {
      for (const c of this.cols) {
        c.nums = new Float64Array(c.kind === CAT ? 0 : cap);
        c.cats = c.kind === CAT ? new Array<string | null>(cap) : [];
        c.strays = new Map();
        c.strayCells = 0;
        c.numCells = 0;
      }
    }
    this.rowCap = cap;
    this.nRows = 0;
  }

  private growRows(): void {
    const cap = Math.min(this.batchSize, Math.max(this.batchCap * 2, 16));
    this.batchCap = cap;
    for (const c of this.cols) {
      if (c.kind !== CAT) {
        const nn = new Float64Array(cap);
        nn.set(c.nums);
        c.nums = nn;
      }
    }
    this.rowCap = cap;
  }

  private commitRow(): void {
    const cols = this.cols;
    const nCols = cols.length;
    const nf = this.nFields;
    if (nf !== nCols) {
      this.fail(`${nCols} fields per row (as in the first row)`, `${nf} fields on line ${this.recLine}`);
    }
    const r = this.nRows;
    if (r === this.rowCap) this.growRows();
    if (r === 0) {
      this.batchStartPos = this.recStart;
      this.batchStartLine = this.recLine;
    }
    const b = this.buf;
    for (let j = 0; j < nCols; j++) {
      const col = cols[j] as ColumnState;
      const a = this.fStart[j] as number;
      const e = this.fEnd[j] as number;
      const flags = this.fFlags[j] as number;
      const line = this.fLine[j] as number;
      if (col.kind === CAT) {
        col.cats[r] = this.categoricalValue(col, a, e, flags, line);
        continue;
      }
      let shadowValue: string | null | undefined;
      if (col.shadow !== undefined) {
        shadowValue = this.categoricalValue(col, a, e, flags, line);
        col.shadow.push(shadowValue);
      }
      if ((flags & (F_NONASCII | F_ESCAPED)) !== 0) {
        const t = this.decodeField(a, e, flags, line, col.name).trim();
        if (this.missingSet.has(t)) col.nums[r] = Number.NaN;
        else {
          const x = parseNumberString(t);
          if (x === undefined) this.stray(col, j, r, t, line);
          else this.number(col, r, x, line, t, 0, 0);
        }
        continue;
      }
      let ta = a;
      let te = e;
      while (ta < te && isWs(b[ta] as number)) ta++;
      while (te > ta && isWs(b[te - 1] as number)) te--;
      if (ta < te && parseNumberBytes(b, ta, te)) {
        // A missing token may look like a number (e.g. '-999'): missing wins.
        if (this.missingBytes.length > te - ta && this.isMissingAscii(ta, te)) col.nums[r] = Number.NaN;
        else this.number(col, r, numValue, line, undefined, ta, te);
      } else if (shadowValue !== undefined) {
        // Text column so far: the value is already decoded (null = missing).
        if (shadowValue === null) col.nums[r] = Number.NaN;
        else this.stray(col, j, r, ta === a && te === e ? shadowValue : this.internAscii(col, ta, te), line);
      } else if (this.isMissingAscii(ta, te)) {
        col.nums[r] = Number.NaN;
      } else {
        this.stray(col, j, r, this.internAscii(col, ta, te), line);
      }
    }
    this.nRows = r + 1;
  }

  private number(col: ColumnState, r: number, x: number, line: number, token: string | undefined, ta: number, te: number): void {
    col.numCells++;
    col.shadow = undefined;
    if (Number.isFinite(x)) {
      col.nums[r] = x;
      return;
    }
    const tok = token ?? asciiString(this.buf, ta, te);
    col.nums[r] = Number.NaN;
    if (col.kind === NUM || this.kindsFixed) this.nonFiniteError(col.name, tok, line);
    col.nonFinite ??= { token: tok, line };
  }

  private nonFiniteError(column: string, token: string, line: number): never {
    this.fail(`finite numbers in numeric column ${JSON.stringify(column)} (a value beyond ±1.8e308 or an infinity token)`, `${JSON.stringify(token)} on line ${line}`);
  }

  private stray(col: ColumnState, j: number, r: number, token: string, line: number): void {
    const { cfg } = this;
    if (col.kind === NUM) {
      this.fail(
        `a number or a missing token in numeric column ${JSON.stringify(col.name)} (declare it categorical in 'types' otherwise)`,
        `${JSON.stringify(token)} on line ${line}`,
      );
    }
    if (this.kindsFixed) {
      if (INFINITY_RE.test(token)) this.nonFiniteError(col.name, token, line);
      if (cfg.strict || (!col.allStrays.has(token) && col.allStrays.size >= cfg.maxStrayTokens)) {
        this.fail(
          `a number or a missing token in numeric column ${JSON.stringify(col.name)} (inferred from the first batch; declare it in 'types' otherwise${cfg.strict ? '' : `; at most ${cfg.maxStrayTokens} distinct stray tokens are read as missing`})`,
          `${JSON.stringify(token)} on line ${line}`,
        );
      }
    }
    col.nums[r] = Number.NaN;
    col.strayCells++;
    const ent = col.strays.get(token);
    if (ent !== undefined) {
      ent.count++;
      if (ent.lines.length < MAX_LINES_KEPT) ent.lines.push(line);
      return; // a token of this batch: already counted, checked and within the limit
    }
    col.strays.set(token, { count: 1, lines: [line] });
    // An infinity token is no stray: if the column stays numeric it is a non-finite value (an error).
    if (col.nonFinite === undefined && !col.allStrays.has(token) && INFINITY_RE.test(token)) col.nonFinite = { token, line };
    col.allStrays.add(token);
    // Too many distinct stray tokens: categorical after all (rows 0..r, this one included, re-read).
    if (!this.kindsFixed && col.allStrays.size > cfg.maxStrayTokens) this.toCategorical(col, j, r + 1);
  }

  /**
   * Switches an inferred column to categorical: its first `upto` rows come from the shadow values
   * or are re-read from the bytes (records re-scanned from the batch start; when called while
   * committing row `upto - 1`, the last record re-scanned is that row, so the scanner state ends
   * as it was).
   */
  private toCategorical(col: ColumnState, j: number, upto: number): void {
    col.kind = CAT;
    col.nums = new Float64Array(0);
    col.nonFinite = undefined;
    col.strays = new Map();
    col.strayCells = 0;
    const shadow = col.shadow;
    col.shadow = undefined;
    const cats = new Array<string | null>(Math.max(upto, this.rowCap));
    if (shadow !== undefined && shadow.length === upto) {
      if (upto === this.nRows) {
        col.cats = shadow; // at the end of the batch: no copy
        return;
      }
      for (let r = 0; r < upto; r++) cats[r] = shadow[r] as string | null;
      col.cats = cats;
      return;
    }
    const { pos, line, recStart, recLine, nFields } = this;
    this.pos = this.batchStartPos;
    this.line = this.batchStartLine;
    for (let r = 0; r < upto; ) {
      this.scanRecord(true);
      if (this.nFields === 1 && this.fEnd[0] === this.fStart[0] && ((this.fFlags[0] as number) & F_QUOTED) === 0) continue;
      cats[r] = this.categoricalValue(col, this.fStart[j] as number, this.fEnd[j] as number, this.fFlags[j] as number, this.fLine[j] as number);
      r++;
    }
    this.pos = pos;
    this.line = line;
    this.recStart = recStart;
    this.recLine = recLine;
    this.nFields = nFields;
    col.cats = cats;
  }

  private finishBatch(): CsvBatch {
    const { cfg } = this;
    const n = this.nRows;
    const warnings: CsvWarningInfo[] = [];
    const columns: Column[] = this.cols.map((col, j) => {
      if (col.kind === AUTO && !this.kindsFixed && col.strayCells > 0 && col.strayCells >= col.numCells) this.toCategorical(col, j, n);
      if (col.kind === CAT) {
        const values = col.cats;
        if (values.length > n) values.length = n;
        return Object.freeze({ kind: 'categorical' as const, name: col.name, values: Object.freeze(values) });
      }
      if (col.nonFinite !== undefined) this.nonFiniteError(col.name, col.nonFinite.token, col.nonFinite.line);
      if (col.strays.size > 0) {
        const tokens = [...col.strays].map(([token, e]) => Object.freeze({ token, count: e.count, lines: Object.freeze([...e.lines]) }));
        const first = tokens[0] as CsvStrayTokenInfo;
        if (cfg.strict) {
          this.fail(
            `a number or a missing token in numeric column ${JSON.stringify(col.name)} (strict mode; add the token to 'missing' or declare the column categorical in 'types')`,
            `${JSON.stringify(first.token)} on line ${first.lines[0] as number}`,
          );
        }
        const cells = tokens.reduce((s, t) => s + t.count, 0);
        const list = tokens.map((t) => `${JSON.stringify(t.token)} ×${t.count} (line ${t.lines.join(', ')}${t.count > t.lines.length ? ', …' : ''})`).join('; ');
        warnings.push(
          Object.freeze({
            code: 'STRAY_TOKENS' as const,
            column: col.name,
            tokens: Object.freeze(tokens),
            message: `${cfg.fn}: numeric column ${JSON.stringify(col.name)} has ${cells} non-numeric cell${cells === 1 ? '' : 's'} read as missing: ${list}`,
          }),
        );
      }
      const values = col.nums.length === n ? col.nums : col.nums.slice(0, n);
      return Object.freeze({ kind: 'numeric' as const, name: col.name, values });
    });
    this.kindsFixed = true;
    for (const c of this.cols) c.shadow = undefined;
    this.emitted = true;
    this.batchCap = Math.min(this.batchSize, 65536);
    this.newBatch(false);
    return Object.freeze({ nRows: n, columns: Object.freeze(columns), warnings: Object.freeze(warnings) });
  }
}

function sameAscii(s: string, b: Uint8Array, a: number, len: number): boolean {
  if (s.length !== len) return false;
  for (let k = 0; k < len; k++) if (s.charCodeAt(k) !== b[a + k]) return false;
  return true;
}

const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/**
 * Throws when `text` holds a lone surrogate (it has no UTF-8 form), naming its line, or `where`
 * (a chunk of a stream, whose line numbers are not known here).
 */
export function checkWellFormed(text: string, fn: string, arg: string, where?: string): void {
  const wf = (text as { isWellFormed?: () => boolean }).isWellFormed;
  if (typeof wf === 'function' ? wf.call(text) : !LONE_SURROGATE.test(text)) return;
  let place = where;
  if (place === undefined) {
    const at = LONE_SURROGATE.exec(text)?.index ?? 0;
    place = `on line ${1 + (text.slice(0, at).match(/\r\n|\r|\n/g)?.length ?? 0)}`;
  }
  throw new DataError({ fn, arg, expected: 'well-formed Unicode text', got: `a lone UTF-16 surrogate ${place}` });
}

/**
 * Upper bound of the number of records in `bytes` (line ends + 1), used to size the columns of a
 * whole-input parse so that they are not grown and copied.
 */
export function countLines(bytes: Uint8Array): number {
  let n = 0;
  let i = bytes.indexOf(LF);
  while (i !== -1) {
    n++;
    i = bytes.indexOf(LF, i + 1);
  }
  if (n === 0) {
    i = bytes.indexOf(CR);
    while (i !== -1) {
      n++;
      i = bytes.indexOf(CR, i + 1);
    }
  }
  const last = bytes[bytes.length - 1];
  return n + (last === LF || last === CR ? 0 : 1);
}

/** Parses a whole byte buffer into one batch (all rows). */
export function parseCsvBytes(bytes: Uint8Array, cfg: CsvConfig): CsvBatch {
  const lines = countLines(bytes);
  const p = new CsvParser(cfg, Number.MAX_SAFE_INTEGER, Math.max(1, lines - (cfg.header ? 1 : 0)));
  p.setWhole(bytes);
  return p.pump(true) as CsvBatch;
}
