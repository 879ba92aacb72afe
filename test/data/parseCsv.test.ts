import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { DataError, InvalidOptionError } from '../../src/core/errors';
import { parseCsv } from '../../src/data/parseCsv';
import { parseCsvStream } from '../../src/data/parseCsvStream';
import type { Table } from '../../src/data/table';

function col(t: Table, name: string): unknown[] {
  const c = t.columns.find((x) => x.name === name);
  if (c === undefined) throw new Error(`no column ${name}`);
  return Array.from(c.values as ArrayLike<unknown>);
}

async function* chunked(text: string, sizes: readonly number[]): AsyncGenerator<string> {
  let i = 0;
  let k = 0;
  while (i < text.length) {
    const n = Math.max(1, sizes[k % sizes.length] ?? 1);
    yield text.slice(i, i + n);
    i += n;
    k++;
  }
}

async function collect<T extends Table>(gen: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const t of gen) out.push(t);
  return out;
}

/** Concatenates batches column-wise into plain arrays for comparison. */
function merge(ts: readonly Table[]): Record<string, { kind: string; values: unknown[] }> {
  const out: Record<string, { kind: string; values: unknown[] }> = {};
  for (const t of ts) {
    for (const c of t.columns) {
      const e = (out[c.name] ??= { kind: c.kind, values: [] });
      expect(e.kind).toBe(c.kind);
      e.values.push(...Array.from(c.values as ArrayLike<unknown>));
    }
  }
  return out;
}

const TRICKY = 'id,name,note,amount\r\n1,"Smith, J.","said ""hi""\nthen left",1200.5\r\n2,Lee,,NA\r\n3,"Ng",plain,-3e2\r\n';

describe('parseCsv', () => {
  it('handles RFC 4180 quoting, CRLF, embedded newlines and missing tokens', () => {
    const t = parseCsv(TRICKY);
    expect(t.nRows).toBe(3);
    expect(t.columns.map((c) => [c.name, c.kind])).toEqual([
      ['id', 'numeric'],
      ['name', 'categorical'],
      ['note', 'categorical'],
      ['amount', 'numeric'],
    ]);
    expect(col(t, 'name')).toEqual(['Smith, J.', 'Lee', 'Ng']);
    expect(col(t, 'note')).toEqual(['said "hi"\nthen left', null, 'plain']);
    expect(col(t, 'amount')).toEqual([1200.5, Number.NaN, -300]);
    expect(Object.isFrozen(t)).toBe(true);
  });

  it('quoted numbers are numeric unless declared categorical; types override inference', () => {
    const text = '"code","v"\n"01",1\n"2",2\n';
    expect(parseCsv(text).columns[0]).toMatchObject({ kind: 'numeric' });
    expect(col(parseCsv(text), 'code')).toEqual([1, 2]);
    const t = parseCsv(text, { types: { code: 'categorical', v: 'categorical' } });
    expect(col(t, 'code')).toEqual(['01', '2']);
    expect(col(t, 'v')).toEqual(['1', '2']);
    expect(() => parseCsv('a\nx\n', { types: { a: 'numeric' } })).toThrow(/line 2/);
    expect(() => parseCsv('a\n1\n', { types: { b: 'numeric' } })).toThrow(InvalidOptionError);
  });

  it('missing tokens (empty, NA, NaN, null, configurable) become NaN / null', () => {
    const t = parseCsv('x,s\n1,a\n,NA\nNaN,null\nnull,\n');
    expect(col(t, 'x')).toEqual([1, Number.NaN, Number.NaN, Number.NaN]);
    expect(col(t, 's')).toEqual(['a', null, null, null]);
    const u = parseCsv('x,s\n1,a\n?,?\n', { missing: ['?'] });
    expect(col(u, 'x')).toEqual([1, Number.NaN]);
    expect(col(u, 's')).toEqual(['a', null]);
  });

  it('delimiter option, no header, columnNames, BOM, blank lines, no trailing newline', () => {
    const t = parseCsv('\uFEFFa;b\n1;"x;y"\n\n2;z', { delimiter: ';' });
    expect(t.nRows).toBe(2);
    expect(col(t, 'a')).toEqual([1, 2]);
    expect(col(t, 'b')).toEqual(['x;y', 'z']);
    const u = parseCsv('1\t2\n3\t4\n', { delimiter: '\t', header: false });
    expect(u.columns.map((c) => c.name)).toEqual(['x0', 'x1']);
    const v = parseCsv('1,2\n', { header: false, columnNames: ['p', 'q'] });
    expect(col(v, 'q')).toEqual([2]);
    expect(() => parseCsv('a,b\n1,2\n', { delimiter: '"' })).toThrow(InvalidOptionError);
  });

  it('ragged rows give a DataError naming the line and field counts', () => {
    let err: unknown;
    try {
      parseCsv('a,b,c\n1,2,3\n"multi\nline",2,3\n4,5\n');
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(DataError);
    expect((err as DataError).message).toContain('line 5');
    expect((err as DataError).details.expected).toContain('3 fields');
    expect((err as DataError).details.got).toContain('2 fields');
  });

  it('rejects unterminated quotes, junk after a closing quote, duplicate names, empty text', () => {
    expect(() => parseCsv('a\n"open\n')).toThrow(/opened on line 2/);
    expect(() => parseCsv('a\n"x"y\n')).toThrow(DataError);
    expect(() => parseCsv('a,a\n1,2\n')).toThrow(/unique/);
    // Duplicates in columnNames are blamed on columnNames, also when a header row is replaced.
    expect(() => parseCsv('a,b\n1,2\n', { columnNames: ['x', 'x'] })).toThrow(/'columnNames' argument of parseCsv must be unique/);
    expect(() => parseCsv('a, a\n1,2\n')).toThrow(/'header' argument/);
    expect(() => parseCsv('')).toThrow(DataError);
  });
});

describe('parseCsvStream', () => {
  it('yields batches of batchSize with one schema, equal to parseCsv, across awkward chunk boundaries', async () => {
    const rows = ['id,name,note,amount'];
    for (let i = 0; i < 23; i++) rows.push(`${i},"n, ${i}","q""${i}""\r\nz",${i % 5 === 0 ? 'NA' : i * 1.5}`);
    const text = `${rows.join('\r\n')}\r\n`;
    const whole = parseCsv(text);
    for (const sizes of [[1], [2, 3], [7], [1000]]) {
      const batches = await collect(parseCsvStream(chunked(text, sizes), { batchSize: 5 }));
      expect(batches.map((b) => b.nRows)).toEqual([5, 5, 5, 5, 3]);
      expect(merge(batches)).toEqual(merge([whole]));
    }
  });

  it('property: any chunking of any quoted CSV parses like the whole text', async () => {
    const field = fc.string({ maxLength: 6 });
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.tuple(field, field), { minLength: 1, maxLength: 8 }),
        fc.array(fc.integer({ min: 1, max: 9 }), { minLength: 1, maxLength: 5 }),
        fc.integer({ min: 1, max: 4 }),
        async (recs, sizes, batchSize) => {
          const q = (s: string): string => `"${s.replace(/"/g, '""')}"`;
          const text = `a,b\r\n${recs.map(([x, y]) => `${q(`k${x}`)},${q(`k${y}`)}`).join('\n')}`;
          const whole = parseCsv(text);
          const batches = await collect(parseCsvStream(chunked(text, sizes), { batchSize }));
          expect(merge(batches)).toEqual(merge([whole]));
          expect(col(whole, 'a')).toEqual(recs.map(([x]) => `k${x}`));
        },
      ),
      { numRuns: 60, seed: 42 },
    );
  });

  it('decodes UTF-8 bytes split inside multi-byte characters and reads web ReadableStreams', async () => {
    const text = 'city,v\n"Zürich, CH",1\nKöln,2\n€uro,3\n';
    const bytes = new TextEncoder().encode(text);
    const parts: Uint8Array[] = [];
    for (let i = 0; i < bytes.length; i += 3) parts.push(bytes.slice(i, i + 3));
    const stream = new ReadableStream<Uint8Array>({
      start(c) {
        for (const p of parts) c.enqueue(p);
        c.close();
      },
    });
    const [t] = await collect(parseCsvStream(stream));
    expect(col(t as Table, 'city')).toEqual(['Zürich, CH', 'Köln', '€uro']);
  });

  it('a header-only source yields one 0-row Table with the header columns, equal to parseCsv; an empty one throws', async () => {
    for (const text of ['a,b,c\n', 'a,b,c', '\ufeffa,b,c\r\n\r\n']) {
      const whole = parseCsv(text, { types: { b: 'categorical' } });
      expect(whole.nRows).toBe(0);
      expect(whole.columns.map((c) => [c.name, c.kind, c.values.length])).toEqual([
        ['a', 'numeric', 0],
        ['b', 'categorical', 0],
        ['c', 'numeric', 0],
      ]);
      for (const sizes of [[1], [1000]]) {
        const batches = await collect(parseCsvStream(chunked(text, sizes), { types: { b: 'categorical' }, batchSize: 2 }));
        expect(batches).toHaveLength(1);
        expect(batches[0]).toEqual(whole);
        expect(Object.isFrozen(batches[0])).toBe(true);
      }
    }
    // columnNames replace the header; a source with no row at all is a DataError in both.
    const named = await collect(parseCsvStream(chunked('a,b\n', [3]), { columnNames: ['x', 'y'] }));
    expect(named.map((t) => [t.nRows, t.columns.map((c) => c.name)])).toEqual([[0, ['x', 'y']]]);
    expect(named[0]).toEqual(parseCsv('a,b\n', { columnNames: ['x', 'y'] }));
    expect(() => parseCsv('\n\n')).toThrow(/at least one row/);
    await expect(collect(parseCsvStream(chunked('\n\n', [1])))).rejects.toThrow(/at least one row/);
    // With data, no extra empty batch is yielded at the end.
    const exact = await collect(parseCsvStream(chunked('a\n1\n2\n', [2]), { batchSize: 2 }));
    expect(exact.map((t) => t.nRows)).toEqual([2]);
  });

  it('a later batch that breaks the inferred schema is a DataError naming the line; types fix it', async () => {
    const text = 'a,b\n1,x\n2,y\nz,w\n';
    // Issue #13: a stray token is read as missing with a warning (as parseCsv does on the whole
    // text); with maxStrayTokens 0 (no stray token allowed) or strict mode it is still a DataError.
    await expect(collect(parseCsvStream(chunked(text, [4]), { batchSize: 2, maxStrayTokens: 0 }))).rejects.toThrow(/line 4/);
    await expect(collect(parseCsvStream(chunked(text, [4]), { batchSize: 2, strict: true }))).rejects.toThrow(/line 4/);
    const warned = await collect(parseCsvStream(chunked(text, [4]), { batchSize: 2 }));
    expect(merge(warned).a?.values).toEqual([1, 2, Number.NaN]);
    expect(warned.map((t) => t.warnings.map((w) => [w.column, w.tokens]))).toEqual([[], [['a', [{ token: 'z', count: 1, lines: [4] }]]]]);
    const ok = await collect(parseCsvStream(chunked(text, [4]), { batchSize: 2, types: { a: 'categorical' } }));
    expect(merge(ok).a?.values).toEqual(['1', '2', 'z']);
    await expect(collect(parseCsvStream(chunked('a,b\n1,2\n3\n', [100])))).rejects.toThrow(/1 fields on line 3/);
  });
});
