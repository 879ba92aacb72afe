import { describe, expect, it } from 'vitest';
import { DataError, InvalidOptionError } from '../../src/core/errors';
import { createTable } from '../../src/data/createTable';
import { fromRecords, type TableRecord } from '../../src/data/fromRecords';
import { getColumn } from '../../src/data/getColumn';
import { parseCsv } from '../../src/data/parseCsv';
import { tabularPipeline } from '../../src/data/tabularPipeline';

describe('createTable with nullable numeric columns', () => {
  it('reads null in a number array as missing (NaN), keeps every other behaviour', () => {
    const t = createTable({ a: [1, null, 3], b: [null, 2, null], s: ['x', null, 'y'], n: [null, null, null] });
    expect(t.columns.map((c) => c.kind)).toEqual(['numeric', 'numeric', 'categorical', 'categorical']);
    expect(Array.from(getColumn(t, 'a').values as Float64Array)).toEqual([1, Number.NaN, 3]);
    expect(Array.from(getColumn(t, 'b').values as Float64Array)).toEqual([Number.NaN, 2, Number.NaN]);
    // An all-null plain array cannot reveal its kind: categorical, as before.
    expect(getColumn(t, 'n').values).toEqual([null, null, null]);
    expect(() => createTable({ a: [1, null, 'x'] as unknown as number[] })).toThrow(/"x" at index 2 of a column holding numbers/);
    expect(() => createTable({ a: ['x', 1] as unknown as string[] })).toThrow(DataError);
  });

  it('nullable numeric columns flow through the imputer of tabularPipeline as missing', () => {
    const withNull = createTable({ x: [1, null, 3, 10], c: ['a', 'b', 'a', 'b'] });
    const withNaN = createTable({ x: [1, Number.NaN, 3, 10], c: ['a', 'b', 'a', 'b'] });
    const p = tabularPipeline({ numeric: { impute: 'median', scale: null } }).fit(withNull);
    expect(p.transform(withNull)).toEqual(p.transform(withNaN));
    expect(p.transform(withNull)[1]?.[0]).toBe(3); // median of 1, 3, 10
  });
});

describe('fromRecords', () => {
  it('infers kinds from the values, first record gives the column order, equals createTable/parseCsv', () => {
    const rows = [
      { id: 'a1', income: 52000, purpose: 'car', score: null },
      { id: 'a2', income: null, purpose: null, score: 0.5 },
      { id: 'a3', income: 18000, purpose: 'tv', score: Number.NaN },
    ];
    const t = fromRecords(rows);
    expect(t.nRows).toBe(3);
    expect(t.columns.map((c) => [c.name, c.kind])).toEqual([
      ['id', 'categorical'],
      ['income', 'numeric'],
      ['purpose', 'categorical'],
      ['score', 'numeric'],
    ]);
    expect(t).toEqual(createTable({ id: ['a1', 'a2', 'a3'], income: [52000, null, 18000], purpose: ['car', null, 'tv'], score: [null, 0.5, Number.NaN] }));
    expect(t).toEqual({ ...parseCsv('id,income,purpose,score\na1,52000,car,\na2,,,0.5\na3,18000,tv,NaN\n', { types: { id: 'categorical', purpose: 'categorical' } }), warnings: undefined });
    expect(Object.isFrozen(t) && Object.isFrozen(t.columns[0]) && Object.isFrozen(t.columns[0]?.values)).toBe(true);
    // The input is neither mutated nor referenced.
    rows[0]!.income = 1;
    expect((t.columns[1]?.values as Float64Array)[0]).toBe(52000);
  });

  it('types: declared kinds, all-null columns, unknown keys refused', () => {
    const rows = [{ a: null, b: 'x' }, { a: null, b: null }];
    expect(fromRecords(rows).columns.map((c) => c.kind)).toEqual(['categorical', 'categorical']);
    const t = fromRecords(rows, { types: { a: 'numeric' } });
    expect(t.columns[0]?.kind).toBe('numeric');
    expect(Array.from(t.columns[0]?.values as Float64Array)).toEqual([Number.NaN, Number.NaN]);
    expect(() => fromRecords([{ a: 1 }], { types: { a: 'categorical' } })).toThrow(/rows\[0\]\.a.*declared kind \(categorical\)/);
    expect(() => fromRecords(rows, { types: { zz: 'numeric' } })).toThrow(InvalidOptionError);
    expect(() => fromRecords(rows, { types: { a: 'text' } } as unknown as { types: Record<string, 'numeric'> })).toThrow(InvalidOptionError);
  });

  it('inconsistent input: typed errors naming the row and the key', () => {
    const err = (f: () => unknown): DataError => {
      try {
        f();
      } catch (e) {
        expect(e).toBeInstanceOf(DataError);
        return e as DataError;
      }
      throw new Error('expected a DataError');
    };
    expect(err(() => fromRecords([])).message).toMatch(/non-empty array.*empty array/);
    expect(err(() => fromRecords('x' as unknown as TableRecord[])).message).toMatch(/array of records/);
    expect(err(() => fromRecords([{}])).message).toMatch(/at least one key/);
    expect(err(() => fromRecords([{ a: 1 }, [2] as unknown as TableRecord])).details.arg).toBe('rows[1]');
    expect(err(() => fromRecords([{ a: 1, b: 'x' }, { a: 2 }])).message).toMatch(/rows\[1\].*no key "b"/);
    expect(err(() => fromRecords([{ a: 1 }, { a: 2, c: 3 }])).message).toMatch(/rows\[1\].*extra key "c"/);
    expect(err(() => fromRecords([{ a: 1 }, { b: 2 }])).message).toMatch(/rows\[1\].*extra key "b"/);
    const mixed = err(() => fromRecords([{ a: 1 }, { a: null }, { a: '3' }]));
    expect(mixed.details.arg).toBe('rows[2].a');
    expect(mixed.message).toMatch(/a number or null, like the column's earlier rows \(numeric\)/);
    expect(err(() => fromRecords([{ a: 'x' }, { a: 2 }])).details.arg).toBe('rows[1].a');
    for (const bad of [undefined, true, new Date(0), { x: 1 }, [1], 10n]) {
      const e = err(() => fromRecords([{ a: 1 }, { a: bad } as unknown as TableRecord]));
      expect(e.details.arg).toBe('rows[1].a');
    }
  });
});
