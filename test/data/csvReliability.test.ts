/**
 * CSV readers on hostile or careless input (issue #13 items 7, 8 and 10; issue #11 "each value
 * parsed once"): stray tokens, non-finite numbers, byte limits, unclosed quotes in streams,
 * encodings, CR-only line numbers, directories; exact number parsing; a fuzz test.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { DataError, FinmlError, InvalidOptionError } from '../../src/core/errors';
import { type CsvTable, type ParseCsvOptions, parseCsv } from '../../src/data/parseCsv';
import { parseCsvStream } from '../../src/data/parseCsvStream';
import type { Table } from '../../src/data/table';
import { readCsv } from '../../src/node/readCsv';
import { streamCsv } from '../../src/node/streamCsv';

function col(t: Table, name: string): unknown[] {
  const c = t.columns.find((x) => x.name === name);
  if (c === undefined) throw new Error(`no column ${name}`);
  return Array.from(c.values as ArrayLike<unknown>);
}

function kind(t: Table, name: string): string | undefined {
  return t.columns.find((x) => x.name === name)?.kind;
}

async function collect<T>(gen: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const t of gen) out.push(t);
  return out;
}

async function* chunked(data: string | Uint8Array, sizes: readonly number[]): AsyncGenerator<string | Uint8Array> {
  let i = 0;
  let k = 0;
  while (i < data.length) {
    const n = Math.max(1, sizes[k % sizes.length] ?? 1);
    yield data.slice(i, i + n);
    i += n;
    k++;
  }
}

function thrown(f: () => unknown): unknown {
  try {
    f();
  } catch (e) {
    return e;
  }
  return undefined;
}

const dir = mkdtempSync(join(tmpdir(), 'finml-csv-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('stray tokens in numeric columns', () => {
  const text = 'id,x\n1,1.5\n2,n/a\n3,2\n4,n/a\n5, - \n6,7\n7,8\n';

  it('keeps the column numeric, the cells missing, and names the tokens in a typed warning', () => {
    const t = parseCsv(text);
    expect(kind(t, 'x')).toBe('numeric');
    expect(col(t, 'x')).toEqual([1.5, Number.NaN, 2, Number.NaN, Number.NaN, 7, 8]);
    expect(t.warnings).toHaveLength(1);
    const w = t.warnings[0];
    expect(w).toMatchObject({
      code: 'STRAY_TOKENS',
      column: 'x',
      tokens: [
        { token: 'n/a', count: 2, lines: [3, 5] },
        { token: '-', count: 1, lines: [6] },
      ],
    });
    expect(w?.message).toContain('"n/a" ×2 (line 3, 5)');
    expect(Object.isFrozen(t.warnings)).toBe(true);
    expect(parseCsv('a\n1\n2\n').warnings).toEqual([]);
  });

  it('strict mode makes a stray token a DataError naming it and its line', () => {
    const e = thrown(() => parseCsv(text, { strict: true }));
    expect(e).toBeInstanceOf(DataError);
    expect((e as DataError).message).toMatch(/"n\/a" on line 3/);
    expect((e as DataError).message).toContain('"x"');
  });

  it('one stray token among 744 distinct numbers does not make a 744-level categorical', () => {
    const rows = Array.from({ length: 744 }, (_, i) => `${i * 1.25}`);
    rows.splice(100, 0, 'n/a');
    const t = parseCsv(`v\n${rows.join('\n')}\n`);
    expect(kind(t, 'v')).toBe('numeric');
    expect(t.nRows).toBe(745);
    expect(Number.isNaN((t.columns[0]?.values as Float64Array)[100])).toBe(true);
    expect(t.warnings[0]?.tokens).toEqual([{ token: 'n/a', count: 1, lines: [102] }]);
  });

  it('more distinct tokens than maxStrayTokens, or more stray cells than numbers, keep the exact text as categorical', () => {
    // Switched after the 4th distinct token: earlier cells are re-read with their exact text.
    const t = parseCsv('v\n01\n1.50\na\nb\n c\nd\n2\n');
    expect(kind(t, 'v')).toBe('categorical');
    expect(col(t, 'v')).toEqual(['01', '1.50', 'a', 'b', ' c', 'd', '2']);
    expect(t.warnings).toEqual([]);
    // The switch happens while later fields of the row are still to be read; blank lines and
    // quoted line breaks before it are skipped / kept in the re-read.
    const w = parseCsv('v,w\n1,x\n\n"2\n",y\na,1\nb,2\n"c""",3\nd,4\n');
    expect(col(w, 'v')).toEqual(['1', '2\n', 'a', 'b', 'c"', 'd']);
    expect(col(w, 'w')).toEqual([Number.NaN, Number.NaN, 1, 2, 3, 4]);
    expect(w.warnings.map((x) => x.column)).toEqual(['w']);
    const m = parseCsv('v\nyes\nno\n1\nno\n');
    expect(col(m, 'v')).toEqual(['yes', 'no', '1', 'no']);
    // maxStrayTokens 0 restores the old rule: any non-number makes the column categorical.
    const z = parseCsv(text, { maxStrayTokens: 0 });
    expect(col(z, 'x')).toEqual(['1.5', 'n/a', '2', 'n/a', ' - ', '7', '8']);
    // A tie (as many stray cells as numbers) is categorical too.
    expect(kind(parseCsv('v\n1\nx\n'), 'v')).toBe('categorical');
    const four = parseCsv('v\n1\n2\n3\n4\n5\na\nb\nc\nd\n', { maxStrayTokens: 4 });
    expect(kind(four, 'v')).toBe('numeric');
  });

  it('a column declared numeric admits no stray token; a numeric-looking missing token wins', () => {
    expect(() => parseCsv('a\n1\nn/a\n', { types: { a: 'numeric' } })).toThrow(/"n\/a" on line 3/);
    expect(col(parseCsv('a\n1\n-999\n', { missing: ['-999'] }), 'a')).toEqual([1, Number.NaN]);
  });

  it('streams: each batch carries the warnings of its rows; a new token past the limit is a DataError', async () => {
    const src = 'a\n1\nn/a\n2\n3\nn/a\n-\n';
    const batches = await collect(parseCsvStream(chunked(src, [3]), { batchSize: 3 }));
    expect(batches.map((b) => b.warnings.map((w) => w.tokens))).toEqual([
      [[{ token: 'n/a', count: 1, lines: [3] }]],
      [[{ token: 'n/a', count: 1, lines: [6] }, { token: '-', count: 1, lines: [7] }]],
    ]);
    const over = 'a\n1\n2\nx\ny\nz\nw\n';
    await expect(collect(parseCsvStream(chunked(over, [5]), { batchSize: 2 }))).rejects.toThrow(/"w" on line 7/);
  });
});

describe('non-finite numbers', () => {
  it('1e309 / -1e309 in a numeric column are a DataError naming the line', () => {
    for (const v of ['1e309', '-1e309', '2E400']) {
      const e = thrown(() => parseCsv(`a,b\n1,x\n${v},y\n`));
      expect(e).toBeInstanceOf(DataError);
      expect((e as DataError).message).toMatch(/finite numbers in numeric column "a".*line 3/);
    }
    expect(() => parseCsv('a\n1e309\n', { types: { a: 'numeric' } })).toThrow(DataError);
    // Underflow is a finite value (0), as in Number().
    expect(col(parseCsv('a\n1e-400\n2\n'), 'a')).toEqual([0, 2]);
  });

  it('infinity tokens: a DataError in an otherwise numeric column, text in a column of only text', () => {
    for (const v of ['Infinity', '-Infinity', 'inf', '-INF']) {
      expect(() => parseCsv(`a\n1\n${v}\n2\n`)).toThrow(/finite numbers in numeric column "a"/);
      expect(() => parseCsv(`a\n${v}\n`, { types: { a: 'numeric' } })).toThrow(DataError);
    }
    const t = parseCsv('a\nInfinity\n-Infinity\n');
    expect(col(t, 'a')).toEqual(['Infinity', '-Infinity']);
  });

  it('streams: a later non-finite value is a DataError', async () => {
    await expect(collect(parseCsvStream(chunked('a\n1\n2\n1e999\n', [4]), { batchSize: 2 }))).rejects.toThrow(/line 4/);
  });
});

describe('byte limits, unclosed quotes', () => {
  it('a field or a row over the limit is a DataError naming its line', () => {
    const long = 'x'.repeat(50);
    const e = thrown(() => parseCsv(`a,b\n1,2\n3,${long}\n`, { maxFieldBytes: 40 }));
    expect(e).toBeInstanceOf(DataError);
    expect((e as DataError).message).toMatch(/at most 40 bytes.*a field of 50 bytes on line 3/);
    expect(() => parseCsv(`a,b\n1,2\n"${long}",2\n`, { maxFieldBytes: 40 })).toThrow(/opened on line 3/);
    expect(() => parseCsv(`a,b\n1,2\n3,4\n${'1,'.repeat(30)}1\n`, { maxRowBytes: 30 })).toThrow(/rows of at most 30 bytes.*line 4/);
    // UTF-8 bytes are counted, not characters.
    expect(() => parseCsv('a\n€€€€\n', { maxFieldBytes: 11 })).toThrow(/12 bytes/);
    expect(parseCsv('a\n€€€€\n', { maxFieldBytes: 12 }).nRows).toBe(1);
  });

  it('an unclosed quote in a string is a DataError with the line where it opened', () => {
    expect(() => parseCsv('a,b\n1,2\n"open,3\n4,5\n')).toThrow(/quoted field opened on line 3 that is never closed/);
  });

  it('an unclosed quote in an endless stream stops with a DataError after about the limit, not a RangeError', async () => {
    let consumed = 0;
    async function* endless(): AsyncGenerator<Uint8Array> {
      yield new TextEncoder().encode('a,b\n"never closed,1\n');
      const line = new TextEncoder().encode(`${'y'.repeat(1023)}\n`.repeat(64));
      for (;;) {
        consumed += line.length;
        yield line;
      }
    }
    const limit = 1 << 20;
    const err = await collect(parseCsvStream(endless(), { maxFieldBytes: limit, maxRowBytes: limit })).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(DataError);
    expect((err as DataError).message).toMatch(/quoted field opened on line 2/);
    // Memory held = what was buffered: bounded by about twice the limit plus a chunk.
    expect(consumed).toBeLessThan(3 * limit);
  });

  it('limits are validated options', () => {
    expect(() => parseCsv('a\n1\n', { maxFieldBytes: 0 })).toThrow(InvalidOptionError);
    expect(() => parseCsv('a\n1\n', { maxRowBytes: 1.5 })).toThrow(InvalidOptionError);
    expect(() => parseCsv('a\n1\n', { maxStrayTokens: -1 })).toThrow(InvalidOptionError);
    expect(() => parseCsv('a\n1\n', { encoding: 'utf-16' as 'utf-8' })).toThrow(InvalidOptionError);
  });
});

describe('encodings', () => {
  const latin1 = Uint8Array.from([...'city,v\nK', 0xf6, ...'ln,1\n', 0xc9, ...'vry,2\n'].map((c) => (typeof c === 'number' ? c : c.charCodeAt(0))));

  it('invalid UTF-8 is a DataError naming line and column unless an encoding is given', () => {
    const e = thrown(() => parseCsv(latin1));
    expect(e).toBeInstanceOf(DataError);
    expect((e as DataError).message).toMatch(/valid UTF-8.*column "city" on line 2/);
    const t = parseCsv(latin1, { encoding: 'latin1' });
    expect(col(t, 'city')).toEqual(['Köln', 'Évry']);
    expect(col(t, 'v')).toEqual([1, 2]);
    // Also in numeric columns and headers.
    expect(() => parseCsv(Uint8Array.from([0x61, 0x0a, 0x31, 0xff, 0x0a]))).toThrow(/column "a" on line 2/);
    expect(() => parseCsv(Uint8Array.from([0xc3, 0x0a, 0x31, 0x0a]))).toThrow(/in the header on line 1/);
  });

  it('UTF-8 bytes, a BOM and multi-byte text parse as the string does', () => {
    const text = '\uFEFFcity,v\n"Zürich, CH",1\n€uro,2\n';
    expect(parseCsv(new TextEncoder().encode(text))).toEqual(parseCsv(text));
  });

  it('streams: latin1 byte chunks decode; string chunks with latin1 and lone surrogates are DataErrors', async () => {
    const [t] = await collect(parseCsvStream(chunked(latin1, [3]), { encoding: 'latin1' }));
    expect(col(t as CsvTable, 'city')).toEqual(['Köln', 'Évry']);
    await expect(collect(parseCsvStream(chunked(latin1, [3])))).rejects.toThrow(/valid UTF-8/);
    await expect(collect(parseCsvStream(chunked('a\n1\n', [2]), { encoding: 'latin1' }))).rejects.toThrow(DataError);
    // A surrogate pair split across string chunks is fine; a lone one is not.
    const [u] = await collect(parseCsvStream(chunked('a\n😀\n', [3])));
    expect(col(u as CsvTable, 'a')).toEqual(['😀']);
    await expect(collect(parseCsvStream(chunked('a\n\uD800x\n', [3])))).rejects.toThrow(/lone UTF-16 surrogate/);
  });

  it('string input: a lone surrogate is a DataError naming its line; encoding must stay utf-8', () => {
    expect(() => parseCsv('a\nx\n\uDC00\n')).toThrow(/lone UTF-16 surrogate on line 3/);
    expect(() => parseCsv('a\n1\n', { encoding: 'latin1' })).toThrow(InvalidOptionError);
  });

  it('readCsv reads latin1 files with the encoding option and rejects them without', async () => {
    const p = join(dir, 'latin1.csv');
    writeFileSync(p, latin1);
    await expect(readCsv(p)).rejects.toThrow(/valid UTF-8/);
    expect(col(await readCsv(p, { encoding: 'latin1' }), 'city')).toEqual(['Köln', 'Évry']);
    const batches = await collect(streamCsv(p, { encoding: 'latin1' }));
    expect(col(batches[0] as CsvTable, 'city')).toEqual(['Köln', 'Évry']);
  });
});

describe('line numbers and files', () => {
  it('CR-only and mixed line ends count physical lines (also inside quoted fields)', () => {
    for (const eol of ['\r', '\n', '\r\n']) {
      const text = ['a,b', '1,2', '"x', 'y",3', '4'].join(eol) + eol;
      expect(() => parseCsv(text)).toThrow(/1 fields on line 5/);
    }
    expect(() => parseCsv('a\r"p\r\nq"\rz,1\r')).toThrow(/line 4/);
  });

  it('streamCsv / readCsv on a directory or a missing file give a DataError, not a raw EISDIR', async () => {
    const e = await collect(streamCsv(dir)).then(
      () => undefined,
      (x: unknown) => x,
    );
    expect(e).toBeInstanceOf(DataError);
    expect((e as DataError).message).toMatch(/a directory/);
    await expect(readCsv(dir)).rejects.toThrow(DataError);
    await expect(collect(streamCsv(join(dir, 'missing.csv')))).rejects.toThrow(/ENOENT/);
  });

  it('readCsv and streamCsv return what parseCsv returns, warnings included', async () => {
    const text = 'id,x,s\n1,1.5,a\n2,n/a,"b, c"\n3,2,\n';
    const p = join(dir, 'same.csv');
    writeFileSync(p, text);
    const whole = parseCsv(text);
    const fromFile = await readCsv(p);
    expect(fromFile.columns).toEqual(whole.columns);
    expect(fromFile.warnings.map((w) => w.tokens)).toEqual(whole.warnings.map((w) => w.tokens));
    const streamed = await collect(streamCsv(p));
    expect(streamed[0]?.columns).toEqual(whole.columns);
  });
});

describe('numbers are parsed exactly, once', () => {
  it('edge spellings', () => {
    const vals = ['.5', '5.', '+1', '-0', '1E5', '0.1e-3', '123456789012345678', '0.30000000000000004', ' 7 ', '"8"', '1e22', '1e23', '9007199254740993', '-.25e+2'];
    const t = parseCsv(`v\n${vals.join('\n')}\n`);
    expect(kind(t, 'v')).toBe('numeric');
    const want = vals.map((s) => Number(s.replace(/"/g, '').trim()));
    const got = col(t, 'v') as number[];
    got.forEach((x, i) => expect(Object.is(x, want[i])).toBe(true));
    for (const bad of ['1e', '.', '+', '1.2.3', '0x10', '1_000', '--1', 'e5']) expect(kind(parseCsv(`v\n${bad}\n`), 'v')).toBe('categorical');
  });

  it('property: any double written by String / toFixed / toExponential / toPrecision reads back as Number does', () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.double({ noNaN: true, noDefaultInfinity: true, min: -1e300, max: 1e300 }), fc.integer({ min: 0, max: 3 }), fc.integer({ min: 1, max: 17 })), {
          minLength: 1,
          maxLength: 30,
        }),
        (xs) => {
          const strs = xs.map(([x, how, d]) => (how === 0 ? String(x) : how === 1 ? x.toFixed(Math.min(d, 20)) : how === 2 ? x.toExponential(Math.min(d, 20)) : x.toPrecision(d)));
          const t = parseCsv(`v\n${strs.join('\n')}\n`);
          const got = col(t, 'v') as number[];
          strs.forEach((s, i) => expect(Object.is(got[i], Number(s))).toBe(true));
        },
      ),
      { numRuns: 300, seed: 11 },
    );
  });
});

describe('fuzz: every input parses or raises a finml typed error', () => {
  const atoms = ['a', 'b', '1', '2.5', '-', 'e', '.', ',', ';', '"', '""', '\n', '\r', '\r\n', ' ', 'NA', 'n/a', 'inf', '1e309', 'é', '€', '\uFEFF', '\t', '0'];
  const text = fc.array(fc.constantFrom(...atoms), { maxLength: 60 }).map((xs) => xs.join(''));
  const options: fc.Arbitrary<ParseCsvOptions> = fc.record(
    {
      delimiter: fc.constantFrom(',', ';', '\t'),
      header: fc.boolean(),
      maxStrayTokens: fc.integer({ min: 0, max: 4 }),
      strict: fc.boolean(),
      maxFieldBytes: fc.integer({ min: 1, max: 64 }),
      maxRowBytes: fc.integer({ min: 1, max: 256 }),
      missing: fc.constantFrom(['', 'NA'], [], ['n/a', '-']),
    },
    { requiredKeys: [] },
  );

  function wellFormed(t: Table): void {
    expect(Number.isInteger(t.nRows)).toBe(true);
    for (const c of t.columns) {
      expect(c.values.length).toBe(t.nRows);
      if (c.kind === 'numeric') {
        expect(c.values).toBeInstanceOf(Float64Array);
        for (const v of c.values) expect(Number.isNaN(v) || Number.isFinite(v)).toBe(true);
      } else {
        for (const v of c.values) expect(v === null || typeof v === 'string').toBe(true);
      }
    }
  }

  it('parseCsv on text, and parseCsvStream on any chunking of it, agree: same table or both a FinmlError', async () => {
    await fc.assert(
      fc.asyncProperty(text, options, fc.array(fc.integer({ min: 1, max: 7 }), { minLength: 1, maxLength: 4 }), async (s, o, sizes) => {
        let whole: CsvTable | undefined;
        try {
          whole = parseCsv(s, o);
        } catch (e) {
          expect(e).toBeInstanceOf(FinmlError);
        }
        if (whole !== undefined) wellFormed(whole);
        let streamed: CsvTable[] | undefined;
        try {
          streamed = await collect(parseCsvStream(chunked(s, sizes), { ...o, batchSize: 1000 }));
        } catch (e) {
          expect(e).toBeInstanceOf(FinmlError);
        }
        expect(streamed === undefined).toBe(whole === undefined);
        if (whole !== undefined && streamed !== undefined) {
          expect(streamed).toHaveLength(1);
          expect(streamed[0]?.columns).toEqual(whole.columns);
        }
      }),
      { numRuns: 400, seed: 7 },
    );
  });

  it('random bytes in either encoding', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 80 }), fc.constantFrom<'utf-8' | 'latin1'>('utf-8', 'latin1'), options, (bytes, encoding, o) => {
        try {
          wellFormed(parseCsv(bytes, { ...o, encoding }));
        } catch (e) {
          expect(e).toBeInstanceOf(FinmlError);
        }
      }),
      { numRuns: 400, seed: 3 },
    );
  });

  it('random unicode text', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 60 }), (s) => {
        try {
          wellFormed(parseCsv(s));
        } catch (e) {
          expect(e).toBeInstanceOf(FinmlError);
        }
      }),
      { numRuns: 400, seed: 5 },
    );
  });
});
