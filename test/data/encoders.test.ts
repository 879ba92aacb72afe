import { describe, expect, it } from 'vitest';
import { DataError, InvalidOptionError, ShapeError } from '../../src/core/errors';
import { createTable } from '../../src/data/createTable';
import { categoricalImputer, categoricalImputerFromJSON } from '../../src/data/categoricalImputer';
import { oneHotEncoder, oneHotEncoderFromJSON } from '../../src/data/oneHotEncoder';
import { ordinalEncoder, ordinalEncoderFromJSON } from '../../src/data/ordinalEncoder';
import { simpleImputer, simpleImputerFromJSON } from '../../src/data/simpleImputer';
import type { Table } from '../../src/data/table';

const purpose = createTable({ Purpose: ['NewCar', 'Education', 'NewCar', 'Business'], Housing: ['Own', 'Rent', 'Own', 'Own'] });

describe('oneHotEncoder', () => {
  it('sorts categories like scikit-learn and names features column=category', () => {
    const enc = oneHotEncoder().fit(purpose);
    // sklearn: OneHotEncoder().fit(df).categories_ -> sorted (uppercase before lowercase, code-point order)
    expect(enc.state.categories).toEqual([['Business', 'Education', 'NewCar'], ['Own', 'Rent']]);
    expect(enc.featureNames).toEqual(['Purpose=Business', 'Purpose=Education', 'Purpose=NewCar', 'Housing=Own', 'Housing=Rent']);
    expect(enc.featureGroups).toEqual({ Purpose: [0, 1, 2], Housing: [3, 4] });
    expect(enc.transform([['NewCar', 'Rent']])).toEqual([[0, 0, 1, 0, 1]]);
    expect(oneHotEncoder().fit([['b'], ['B'], ['a']]).state.categories).toEqual([['B', 'a', 'b']]);
  });

  it("unknown categories: DataError naming column and value, or zeros with 'ignore'", () => {
    const enc = oneHotEncoder().fit(purpose);
    expect(() => enc.transform([['Vacation', 'Own']])).toThrow(/"Purpose".*"Vacation"/s);
    const ign = oneHotEncoder({ handleUnknown: 'ignore' }).fit(purpose);
    expect(ign.transform([['Vacation', 'Own']])).toEqual([[0, 0, 0, 1, 0]]);
  });

  it("drop: 'first' removes the first category of each column", () => {
    const enc = oneHotEncoder({ drop: 'first' }).fit(purpose);
    expect(enc.featureNames).toEqual(['Purpose=Education', 'Purpose=NewCar', 'Housing=Rent']);
    expect(enc.transform([['Business', 'Own'], ['NewCar', 'Rent']])).toEqual([[0, 0, 0], [0, 1, 1]]);
  });

  it('tables are matched by name; errors for width, missing column, nulls at fit, bad options', () => {
    const enc = oneHotEncoder().fit(purpose);
    const reordered = createTable({ Housing: ['Rent'], extra: [1], Purpose: ['Business'] });
    expect(enc.transform(reordered)).toEqual([[1, 0, 0, 0, 1]]);
    expect(() => enc.transform(createTable({ Purpose: ['NewCar'] }))).toThrow(/"Housing", which is missing/);
    expect(() => enc.transform([['NewCar']])).toThrow(ShapeError);
    expect(() => oneHotEncoder().fit([['a'], [null]])).toThrow(/impute/);
    expect(() => oneHotEncoder().fit([])).toThrow(DataError);
    expect(() => oneHotEncoder({ drop: 'last' as 'first' })).toThrow(InvalidOptionError);
    const back = oneHotEncoderFromJSON(JSON.parse(JSON.stringify(enc.toJSON())));
    expect(back.transform(purpose)).toEqual(enc.transform(purpose));
    expect(back.featureNames).toEqual(enc.featureNames);
  });
});

describe('ordinalEncoder', () => {
  it('codes are sorted-category indices; unknown handling; inverse', () => {
    const enc = ordinalEncoder().fit(purpose);
    expect(enc.transform([['NewCar', 'Rent'], ['Business', 'Own']])).toEqual([[2, 1], [0, 0]]);
    expect(() => enc.transform([['Vacation', 'Own']])).toThrow(/"Purpose".*"Vacation"/s);
    const u = ordinalEncoder({ handleUnknown: 'useEncodedValue', unknownValue: -1 }).fit(purpose);
    expect(u.transform([['Vacation', 'Own']])).toEqual([[-1, 0]]);
    expect(u.inverseTransform([[-1, 1]])).toEqual([[null, 'Rent']]);
    expect(() => ordinalEncoder({ handleUnknown: 'useEncodedValue' })).toThrow(InvalidOptionError);
    expect(() => ordinalEncoder({ handleUnknown: 'useEncodedValue', unknownValue: 1 }).fit(purpose)).toThrow(InvalidOptionError);
    const back = ordinalEncoderFromJSON(JSON.parse(JSON.stringify(u.toJSON())));
    expect(back.transform([['Vacation', 'Rent']])).toEqual([[-1, 1]]);
  });
});

describe('imputers', () => {
  it('simpleImputer strategies match scikit-learn', () => {
    const x = [[1, 7], [Number.NaN, 7], [3, Number.NaN], [10, 2]];
    // sklearn SimpleImputer(strategy=...).fit(x).statistics_
    expect(simpleImputer().fit(x).state.statistics).toEqual([14 / 3, 16 / 3]);
    expect(simpleImputer({ strategy: 'median' }).fit(x).state.statistics).toEqual([3, 7]);
    expect(simpleImputer({ strategy: 'most_frequent' }).fit([[2], [1], [2], [1], [Number.NaN]]).state.statistics).toEqual([1]);
    expect(simpleImputer({ strategy: 'constant', fillValue: -1 }).fit(x).transform([[Number.NaN, 5]])).toEqual([[-1, 5]]);
    expect(simpleImputer({ strategy: 'median' }).fit(x).transform(x)).toEqual([[1, 7], [3, 7], [3, 7], [10, 2]]);
    expect(() => simpleImputer().fit([[Number.NaN, 1]])).toThrow(/column 0 with only missing values/);
    expect(() => simpleImputer().fit([[Infinity]])).toThrow(DataError);
    const back = simpleImputerFromJSON(JSON.parse(JSON.stringify(simpleImputer().fit(x).toJSON())));
    expect(back.transform([[Number.NaN, Number.NaN]])).toEqual([[14 / 3, 16 / 3]]);
  });

  it('categoricalImputer: most_frequent (ties -> smallest), constant, tables keep other columns', () => {
    const imp = categoricalImputer().fit([['b', 'x'], ['a', null], ['b', 'y'], [null, 'y']]);
    expect(imp.state.statistics).toEqual(['b', 'y']);
    expect(categoricalImputer().fit([['b'], ['a']]).state.statistics).toEqual(['a']);
    expect(imp.transform([[null, null]])).toEqual([['b', 'y']]);
    const t = createTable({ n: [1, 2], s: ['u', null] });
    const f = categoricalImputer({ strategy: 'constant', fillValue: 'Unknown' }).fit(createTable({ s: ['u', null] }));
    const out: Table = f.transform(t);
    expect(out.columns.map((c) => [c.name, Array.from(c.values as ArrayLike<unknown>)])).toEqual([
      ['n', [1, 2]],
      ['s', ['u', 'Unknown']],
    ]);
    expect(t.columns[1]?.values).toEqual(['u', null]);
    expect(() => categoricalImputer().fit([[null]])).toThrow(DataError);
    const back = categoricalImputerFromJSON(JSON.parse(JSON.stringify(imp.toJSON())));
    expect(back.transform([[null, null]])).toEqual([['b', 'y']]);
  });
});

describe('categorical fromJSON', () => {
  it('restores without freezing (mutating) the caller\'s parsed JSON', () => {
    const enc = oneHotEncoder().fit([['a'], ['b']]);
    for (const [json, restore] of [
      [JSON.parse(JSON.stringify(enc.toJSON())), oneHotEncoderFromJSON],
      [JSON.parse(JSON.stringify(ordinalEncoder().fit([['a'], ['b']]).toJSON())), ordinalEncoderFromJSON],
      [JSON.parse(JSON.stringify(categoricalImputer().fit([['a'], [null]]).toJSON())), categoricalImputerFromJSON],
    ] as const) {
      const back = restore(json);
      const state = json.state as { columns: string[]; categories?: string[][]; statistics?: string[] };
      expect(Object.isFrozen(state.columns)).toBe(false);
      expect(Object.isFrozen(state.categories?.[0] ?? state.statistics)).toBe(false);
      state.columns[0] = 'renamed';
      expect((back.state as { columns: readonly string[] }).columns).toEqual(['x0']);
    }
    expect(() => oneHotEncoderFromJSON({ ...enc.toJSON(), params: { drop: 'last' } })).toThrow(/valid oneHotEncoder parameters/);
  });
});
