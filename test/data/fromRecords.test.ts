import { describe, expect, it } from 'vitest';
import { DataError, InvalidOptionError } from '../../src/core/errors';
import { createTable } from '../../src/data/createTable';
import { fromArrow, fromRecords, toArrowColumns, type ArrowTableLike } from '../../src/data/fromRecords';

/** An object shaped like an apache-arrow Table (what fromArrow reads), built from plain columns. */
function arrowLike(cols: Record<string, readonly unknown[]>): ArrowTableLike {
  const names = Object.keys(cols);
  const n = names.length === 0 ? 0 : (cols[names[0]!]!.length);
  return { numRows: n, schema: { fields: names.map((name) => ({ name })) }, getChild: (name) => (name in cols ? { length: cols[name]!.length, get: (i) => cols[name]![i] ?? null } : null) };
}

describe('createTable with null in numeric columns', () => {
  it('treats null as a missing number (NaN), keeps all-null columns categorical', () => {
    const t = createTable({ income: [1200, null, 800], none: [null, null, null] });
    expect(t.columns[0]?.kind).toBe('numeric');
    expect(Array.from(t.columns[0]!.values as Float64Array)).toEqual([1200, Number.NaN, 800]);
    expect(t.columns[1]?.kind).toBe('categorical');
    expect(() => createTable({ x: [1, 'a'] as never })).toThrow(DataError);
  });
});

describe('fromRecords', () => {
  it('builds typed columns in first-seen key order, missing keys/null/undefined as missing', () => {
    const t = fromRecords([{ income: 1200, purpose: 'car' }, { purpose: 'tv', income: null, id: 7n }, { income: undefined }, { 'Paid onTime=yes': 'y' }]);
    expect(t.nRows).toBe(4);
    expect(t.columns.map((c) => [c.name, c.kind])).toEqual([['income', 'numeric'], ['purpose', 'categorical'], ['id', 'numeric'], ['Paid onTime=yes', 'categorical']]);
    expect(Array.from(t.columns[0]!.values as Float64Array)).toEqual([1200, Number.NaN, Number.NaN, Number.NaN]);
    expect(t.columns[1]!.values).toEqual(['car', 'tv', null, null]);
    expect(Array.from(t.columns[2]!.values as Float64Array)).toEqual([Number.NaN, 7, Number.NaN, Number.NaN]);
    expect(fromRecords([{ a: 1, b: 2 }], { columns: ['b'] }).columns.map((c) => c.name)).toEqual(['b']);
    // inherited keys are not read
    const proto = Object.create({ polluted: 1 }) as Record<string, unknown>;
    proto.a = 1;
    expect(fromRecords([proto]).columns.map((c) => c.name)).toEqual(['a']);
  });

  it('never coerces: mixed, boolean, date, infinite and huge bigint values are DataErrors naming column and row', () => {
    expect(() => fromRecords([{ a: 1 }, { a: '2' }])).toThrow(/'a'.*row 1/);
    expect(() => fromRecords([{ a: true }])).toThrow(DataError);
    expect(() => fromRecords([{ a: new Date(0) }])).toThrow(DataError);
    expect(() => fromRecords([{ a: Infinity }])).toThrow(DataError);
    expect(() => fromRecords([{ a: 2n ** 60n }])).toThrow(DataError);
    expect(() => fromRecords([1 as never])).toThrow(DataError);
    expect(() => fromRecords([])).toThrow(DataError);
    expect(() => fromRecords([{ a: 1 }], { colums: ['a'] } as never)).toThrow(InvalidOptionError);
    expect(() => fromRecords([{ a: 1 }], { columns: ['a', 'a'] })).toThrow(InvalidOptionError);
  });
});

describe('Arrow adapters (structural: apache-arrow is an optional peer)', () => {
  it('fromArrow reads numbers, bigints and strings with nulls; toArrowColumns gives tableFromArrays input', () => {
    const t = fromArrow(arrowLike({ amount: [1.5, null, 3], n: [1n, 2n, null], purpose: ['car', null, 'tv'] }));
    expect(t.columns.map((c) => c.kind)).toEqual(['numeric', 'numeric', 'categorical']);
    expect(Array.from(t.columns[1]!.values as Float64Array)).toEqual([1, 2, Number.NaN]);
    const cols = toArrowColumns(t);
    expect(cols.amount).toBeInstanceOf(Float64Array);
    expect(Array.from(cols.amount as Float64Array)).toEqual([1.5, Number.NaN, 3]);
    expect(cols.purpose).toEqual(['car', null, 'tv']);
    // round trip through the Arrow-shaped view of the columns
    const back = fromArrow(arrowLike({ amount: Array.from(cols.amount as Float64Array), purpose: cols.purpose as (string | null)[] }));
    expect(back.columns[1]!.values).toEqual(t.columns[2]!.values);
    expect(() => fromArrow(arrowLike({ flag: [true, false] }))).toThrow(DataError);
    expect(() => fromArrow({} as never)).toThrow(DataError);
  });
});
