import * as arrow from 'apache-arrow';
import { describe, expect, it } from 'vitest';
import { DataError, InvalidOptionError } from '../../src/core/errors';
import { fromArrow, toArrow, type ArrowTableLike } from '../../src/data/arrow';
import { createTable } from '../../src/data/createTable';
import { parseCsv } from '../../src/data/parseCsv';
import type { Table } from '../../src/data/table';

const nums = (t: Table, j: number): number[] => Array.from(t.columns[j]?.values as Float64Array);

describe('fromArrow (real apache-arrow tables)', () => {
  it('numeric columns of every width, nullable numeric, NaN', () => {
    const a = new arrow.Table({
      f64: arrow.vectorFromArray([1.5, null, 3], new arrow.Float64()),
      f32: arrow.vectorFromArray([0.5, 2, null], new arrow.Float32()),
      i32: arrow.vectorFromArray([1, 2, null], new arrow.Int32()),
      u8: arrow.vectorFromArray([255, 0, 7], new arrow.Uint8()),
      i64: arrow.vectorFromArray([1n, null, -9007199254740991n], new arrow.Int64()),
      nan: arrow.vectorFromArray([Number.NaN, 1, 2], new arrow.Float64()),
    });
    const t = fromArrow(a);
    expect(t.nRows).toBe(3);
    expect(t.columns.map((c) => [c.name, c.kind])).toEqual(['f64', 'f32', 'i32', 'u8', 'i64', 'nan'].map((n) => [n, 'numeric']));
    expect(nums(t, 0)).toEqual([1.5, Number.NaN, 3]);
    expect(nums(t, 1)).toEqual([0.5, 2, Number.NaN]);
    expect(nums(t, 2)).toEqual([1, 2, Number.NaN]);
    expect(nums(t, 3)).toEqual([255, 0, 7]);
    expect(nums(t, 4)).toEqual([1, Number.NaN, -9007199254740991]);
    expect(nums(t, 5)).toEqual([Number.NaN, 1, 2]);
    expect(Object.isFrozen(t) && Object.isFrozen(t.columns[0])).toBe(true);
  });

  it('utf8, large utf8 and dictionary-encoded categoricals with nulls; Null columns', () => {
    const a = new arrow.Table({
      utf8: arrow.vectorFromArray(['car', null, 'tv'], new arrow.Utf8()),
      large: arrow.vectorFromArray(['x', 'y', null], new arrow.LargeUtf8()),
      dict: arrow.vectorFromArray([null, 'b', 'b'], new arrow.Dictionary(new arrow.Utf8(), new arrow.Int32())),
      none: arrow.vectorFromArray([null, null, null], new arrow.Null()),
    });
    const t = fromArrow(a);
    expect(t.columns.map((c) => c.kind)).toEqual(['categorical', 'categorical', 'categorical', 'categorical']);
    expect(t.columns.map((c) => c.values)).toEqual([
      ['car', null, 'tv'],
      ['x', 'y', null],
      [null, 'b', 'b'],
      [null, null, null],
    ]);
  });

  it('equals parseCsv of the same data, also after an IPC round trip (what DuckDB/arquero hand over)', () => {
    const csv = 'amount,purpose,age\n1200,car,30\n,tv,\n560,,41\n';
    const ref = parseCsv(csv);
    const a = arrow.tableFromIPC(arrow.tableToIPC(arrow.tableFromArrays({ amount: [1200, null, 560], purpose: ['car', 'tv', null], age: Int32Array.from([30, 0, 41]) })));
    const t = fromArrow(a);
    expect(t.columns.slice(0, 2)).toEqual(ref.columns.slice(0, 2));
    expect(nums(t, 2)).toEqual([30, 0, 41]);
  });

  it('refuses what it would have to reinterpret, naming the column and type', () => {
    const err = (a: unknown): DataError => {
      try {
        fromArrow(a as ArrowTableLike);
      } catch (e) {
        expect(e).toBeInstanceOf(DataError);
        return e as DataError;
      }
      throw new Error('expected a DataError');
    };
    expect(err(new arrow.Table({ ok: arrow.vectorFromArray([true, false], new arrow.Bool()) })).message).toMatch(/column "ok".*Got Arrow type Bool/);
    expect(err(new arrow.Table({ d: arrow.vectorFromArray([new Date(0)], new arrow.DateMillisecond()) })).message).toMatch(/column "d".*Date/);
    expect(err(new arrow.Table({ big: arrow.vectorFromArray([2n ** 60n], new arrow.Int64()) })).message).toMatch(/column "big".*1152921504606846976 at row 0/);
    expect(err(new arrow.Table({ di: arrow.vectorFromArray([1, 2], new arrow.Dictionary(new arrow.Int32(), new arrow.Int32())) })).message).toMatch(/Dictionary/);
    expect(err({ numRows: 1 }).message).toMatch(/an Apache Arrow Table/);
    expect(err(null).details.arg).toBe('table');
    // A structural table whose values do not match its declared type.
    const liar: ArrowTableLike = { numRows: 1, schema: { fields: [{ name: 'x', type: { typeId: 3, toString: () => 'Float64' } }] }, getChildAt: () => ({ length: 1, get: () => 'one' }) };
    expect(err(liar).message).toMatch(/"one" at row 0/);
  });
});

describe('toArrow', () => {
  it('numeric → Float64, categorical → dictionary strings, missing → null; round trip is exact', () => {
    const t = createTable({ amount: [1200, null, 3.25], purpose: ['car', null, 'tv'], empty: [null, null, null] });
    const a = toArrow(t, arrow);
    expect(a).toBeInstanceOf(arrow.Table);
    expect(a.numRows).toBe(3);
    expect(a.schema.fields.map((f) => String(f.type))).toEqual(['Float64', 'Dictionary<Int32, Utf8>', 'Dictionary<Int32, Utf8>']);
    expect(a.getChild('amount')?.nullCount).toBe(1);
    expect(a.getChild('amount')?.toJSON()).toEqual([1200, null, 3.25]);
    expect(a.getChild('purpose')?.toJSON()).toEqual(['car', null, 'tv']);
    expect(fromArrow(a)).toEqual(t);
    // Through IPC bytes too (what another process or DuckDB reads).
    expect(fromArrow(arrow.tableFromIPC(arrow.tableToIPC(a)))).toEqual(t);
  });

  it('round trips a parsed CSV and an empty table', () => {
    const t = parseCsv('a,b,c\n1,x,\n2,,0.5\n,z,NaN\n');
    expect(fromArrow(toArrow(t, arrow))).toEqual({ ...t, warnings: undefined });
    const empty = createTable({ a: new Float64Array(0), s: [] });
    const e = toArrow(empty, arrow);
    expect(e.numRows).toBe(0);
    expect(fromArrow(e)).toEqual(empty);
  });

  it('says how to get the module when it is not apache-arrow', () => {
    const t = createTable({ a: [1] });
    expect(() => toArrow(t, {} as unknown as typeof arrow)).toThrow(InvalidOptionError);
    expect(() => toArrow(t, undefined as unknown as typeof arrow)).toThrow(/install apache-arrow, an optional peer dependency/);
    expect(() => toArrow({} as unknown as Table, arrow)).toThrow(DataError);
  });
});
