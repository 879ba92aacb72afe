import { describe, expect, it } from 'vitest';
import { DataError, ShapeError } from '../../src/core/errors';
import { createTable } from '../../src/data/createTable';
import { dropColumns } from '../../src/data/dropColumns';
import { dropna } from '../../src/data/dropna';
import { extractTarget } from '../../src/data/extractTarget';
import { getColumn } from '../../src/data/getColumn';
import { selectColumns } from '../../src/data/selectColumns';
import { tableToMatrix } from '../../src/data/tableToMatrix';
import { takeRows } from '../../src/data/takeRows';

const t = createTable({ age: [30, Number.NaN, 50, 41], purpose: ['car', 'tv', null, 'car'], Class: ['Good', 'Bad', 'Good', 'Good'] });

describe('table utilities', () => {
  it('createTable infers kinds, copies inputs, rejects bad columns', () => {
    const ages = [1, 2];
    const u = createTable({ a: ages, s: ['x', null] });
    ages[0] = 99;
    expect(u.columns.map((c) => c.kind)).toEqual(['numeric', 'categorical']);
    expect(Array.from(getColumn(u, 'a').values as Float64Array)).toEqual([1, 2]);
    expect(Object.isFrozen(u) && Object.isFrozen(u.columns[0])).toBe(true);
    expect(() => createTable({ a: [1, 2], b: [1] })).toThrow(ShapeError);
    expect(() => createTable({ a: [1, 'x'] as unknown as number[] })).toThrow(DataError);
    expect(() => createTable({})).toThrow(DataError);
  });

  it('getColumn / selectColumns / dropColumns name missing columns', () => {
    expect(selectColumns(t, ['purpose', 'age']).columns.map((c) => c.name)).toEqual(['purpose', 'age']);
    expect(dropColumns(t, ['purpose']).columns.map((c) => c.name)).toEqual(['age', 'Class']);
    expect(() => getColumn(t, 'nope')).toThrow(/"nope", which is missing/);
    expect(() => selectColumns(t, ['nope'])).toThrow(DataError);
    expect(() => dropColumns(t, ['nope'])).toThrow(DataError);
  });

  it('takeRows copies rows in order and validates indices', () => {
    const u = takeRows(t, Int32Array.from([3, 0, 0]));
    expect(Array.from(getColumn(u, 'age').values as Float64Array)).toEqual([41, 30, 30]);
    expect(getColumn(u, 'purpose').values).toEqual(['car', 'car', 'car']);
    expect(() => takeRows(t, [4])).toThrow(DataError);
    expect(() => takeRows(t, [0.5])).toThrow(DataError);
  });

  it('dropna on tables (any/all/subset) and matrices', () => {
    expect(dropna(t).nRows).toBe(2);
    expect(dropna(t, { subset: ['age'] }).nRows).toBe(3);
    expect(dropna(t, { subset: ['age', 'purpose'], how: 'all' }).nRows).toBe(4);
    expect(dropna([[1, 2], [Number.NaN, 3], [4, 5]])).toEqual([[1, 2], [4, 5]]);
    expect(dropna([[Number.NaN, Number.NaN], [Number.NaN, 1]], { how: 'all' })).toEqual([[Number.NaN, 1]]);
    expect(t.nRows).toBe(4);
    expect(() => dropna(t, { subset: ['zzz'] })).toThrow(DataError);
  });

  it('tableToMatrix extracts numeric columns row-major and rejects categorical / NaN', () => {
    const u = createTable({ a: [1, 2], b: [3, 4], s: ['x', 'y'] });
    const m = tableToMatrix(u, { columns: ['b', 'a'] });
    expect([m.rows, m.cols, Array.from(m.data)]).toEqual([2, 2, [3, 1, 4, 2]]);
    expect(() => tableToMatrix(u)).toThrow(/categorical column "s"/);
    expect(() => tableToMatrix(t, { columns: ['age'] })).toThrow(DataError);
    expect(tableToMatrix(t, { columns: ['age'], allowNaN: true }).rows).toBe(4);
  });

  it('extractTarget: binary with positive label, default sorted coding, multiclass, regression, errors', () => {
    const a = extractTarget(t, 'Class', { positive: 'Bad' });
    expect(Array.from(a.y)).toEqual([0, 1, 0, 0]);
    expect(a.classes).toEqual(['Good', 'Bad']);
    expect(a.features.columns.map((c) => c.name)).toEqual(['age', 'purpose']);
    expect(Array.from(extractTarget(t, 'Class').y)).toEqual([1, 0, 1, 1]);
    const three = createTable({ c: ['a', 'b', 'c', 'a'] });
    expect(() => extractTarget(three, 'c')).toThrow(/at most 2 classes/);
    expect(Array.from(extractTarget(three, 'c', { task: 'multiclass' }).y)).toEqual([0, 1, 2, 0]);
    expect(() => extractTarget(t, 'Class', { positive: 'Ugly' })).toThrow(DataError);
    expect(() => extractTarget(t, 'purpose')).toThrow(/missing value at row 2/);
    const num = createTable({ y: [0, 1, 1], r: [1.5, 2, 3] });
    expect(Array.from(extractTarget(num, 'y', { positive: 1 }).y)).toEqual([0, 1, 1]);
    expect(Array.from(extractTarget(num, 'r', { task: 'regression' }).y)).toEqual([1.5, 2, 3]);
    expect(() => extractTarget(t, 'Class', { task: 'regression' })).toThrow(DataError);
  });
});
