import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { DataError, InvalidOptionError, SerializationError, ShapeError } from '../../src/core/errors';
import { minMaxScaler, minMaxScalerFromJSON } from '../../src/data/minMaxScaler';
import { robustScaler, robustScalerFromJSON } from '../../src/data/robustScaler';
import { standardScaler, standardScalerFromJSON } from '../../src/data/standardScaler';
import { expectClose, expectNoLeak } from '../helpers/leak';

interface Fixture {
  X: number[][];
  X_new: number[][];
  StandardScaler: Record<string, number[] | number[][]>;
  MinMaxScaler: Record<string, number[] | number[][]>;
  RobustScaler: Record<string, number[] | number[][]>;
}
const fx = JSON.parse(readFileSync(new URL('../fixtures/scalers.json', import.meta.url), 'utf8')) as Fixture;
const flat = (m: readonly (readonly number[])[] | readonly number[]): number[] => (m as number[][]).flat();

describe('scalers match scikit-learn (test/fixtures/scalers.json) to 1e-9', () => {
  it('StandardScaler: mean_, var_, scale_, transformed, transformed_new, inverse', () => {
    const ref = fx.StandardScaler;
    const f = standardScaler().fit(fx.X);
    expectClose(f.state.mean, ref.mean_ as number[]);
    expectClose(f.state.variance, ref.var_ as number[]);
    expectClose(f.state.scale, ref.scale_ as number[]);
    expect(f.state.scale[0]).toBe(1);
    expectClose(flat(f.transform(fx.X)), flat(ref.transformed as number[][]));
    expectClose(flat(f.transform(fx.X_new)), flat(ref.transformed_new as number[][]));
    expectClose(flat(f.inverseTransform(f.transform(fx.X))), flat(ref.inverse_of_transformed as number[][]));
    expectClose(flat(standardScaler().fitTransform(fx.X)), flat(ref.transformed as number[][]));
  });

  it('MinMaxScaler: data_min_, data_max_, scale_, min_, transformed, transformed_new', () => {
    const ref = fx.MinMaxScaler;
    const f = minMaxScaler().fit(fx.X);
    expectClose(f.state.dataMin, ref.data_min_ as number[]);
    expectClose(f.state.dataMax, ref.data_max_ as number[]);
    expectClose(f.state.scale, ref.scale_ as number[]);
    expectClose(f.state.min, ref.min_ as number[]);
    expectClose(flat(f.transform(fx.X)), flat(ref.transformed as number[][]));
    expectClose(flat(f.transform(fx.X_new)), flat(ref.transformed_new as number[][]));
    expectClose(flat(f.inverseTransform(f.transform(fx.X_new))), flat(fx.X_new));
  });

  it('RobustScaler: center_, scale_, transformed, transformed_new', () => {
    const ref = fx.RobustScaler;
    const f = robustScaler().fit(fx.X);
    expectClose(f.state.center, ref.center_ as number[]);
    expectClose(f.state.scale, ref.scale_ as number[]);
    expectClose(flat(f.transform(fx.X)), flat(ref.transformed as number[][]));
    expectClose(flat(f.transform(fx.X_new)), flat(ref.transformed_new as number[][]));
    expectClose(flat(f.inverseTransform(f.transform(fx.X_new))), flat(fx.X_new));
  });
});

describe('scaler options and errors', () => {
  it('minMaxScaler featureRange and clip', () => {
    const f = minMaxScaler({ featureRange: [-1, 1], clip: true }).fit([[0], [10]]);
    expect(f.transform([[5], [20], [-5]])).toEqual([[0], [1], [-1]]);
    expect(() => minMaxScaler({ featureRange: [1, 1] })).toThrow(InvalidOptionError);
  });

  it('robustScaler quantileRange, withCentering, withScaling', () => {
    const x = [[1], [2], [3], [4], [100]];
    expect(robustScaler().fit(x).state).toEqual({ center: [3], scale: [2] });
    // numpy: percentile([1,2,3,4,100],[10,90]) = [1.4, 61.6]
    expectClose(robustScaler({ quantileRange: [10, 90] }).fit(x).state.scale, [60.2]);
    expect(robustScaler({ withCentering: false }).fit(x).state.center).toEqual([0]);
    expect(robustScaler({ withScaling: false }).fit(x).transform([[5]])).toEqual([[2]]);
    expect(() => robustScaler({ quantileRange: [80, 20] })).toThrow(InvalidOptionError);
  });

  it('standardScaler withMean / withStd', () => {
    expect(standardScaler({ withMean: false }).fit([[1], [3]]).transform([[2]])).toEqual([[2]]);
    expect(standardScaler({ withStd: false }).fit([[1], [3]]).transform([[4]])).toEqual([[2]]);
    expect(() => standardScaler({ withMean: 1 as unknown as boolean })).toThrow(InvalidOptionError);
  });

  it('wrong width, NaN and empty inputs throw typed errors', () => {
    const f = standardScaler().fit([[1, 2], [3, 4]]);
    expect(() => f.transform([[1]])).toThrow(ShapeError);
    expect(() => f.transform([[1, Number.NaN]])).toThrow(DataError);
    expect(() => standardScaler().fit([])).toThrow(DataError);
    expect(() => standardScaler().fit([[Infinity]])).toThrow(DataError);
  });

  it('JSON round trips give identical transforms; malformed JSON throws SerializationError', () => {
    const pairs = [
      [standardScaler().fit(fx.X), standardScalerFromJSON],
      [minMaxScaler({ featureRange: [-2, 3], clip: true }).fit(fx.X), minMaxScalerFromJSON],
      [robustScaler({ quantileRange: [10, 80] }).fit(fx.X), robustScalerFromJSON],
    ] as const;
    for (const [f, from] of pairs) {
      const g = from(JSON.parse(JSON.stringify(f.toJSON())) as unknown);
      expect(g.transform(fx.X_new)).toEqual(f.transform(fx.X_new));
      expect(g.params).toEqual(f.params);
      expect(() => from({ ...f.toJSON(), version: 99 })).toThrow(SerializationError);
      expect(() => from({ ...f.toJSON(), state: { nFeaturesIn: 4 } })).toThrow(SerializationError);
    }
    expect(() => standardScalerFromJSON(minMaxScaler().fit(fx.X).toJSON())).toThrow(SerializationError);
  });

  it('tensor in -> tensor out, inputs not disposed, no leaks', async () => {
    const f = standardScaler().fit(fx.X);
    const x = tf.tensor2d(fx.X_new);
    await expectNoLeak(() => {
      const y = f.transform(x);
      const z = f.inverseTransform(y);
      const v = minMaxScaler().fitTransform(x);
      tf.dispose([y, z, v]);
    });
    const y = f.transform(x);
    expect(y.shape).toEqual([3, 4]);
    expectClose(Array.from(y.dataSync()), flat(fx.StandardScaler.transformed_new as number[][]), 1e-5);
    tf.dispose([x, y]);
  });

  it('fit does not mutate its input and withParams re-validates', () => {
    const x = fx.X.map((r) => r.slice());
    robustScaler().fit(x);
    expect(x).toEqual(fx.X);
    const s = minMaxScaler().withParams({ featureRange: [0, 10] });
    expect(s.params.featureRange).toEqual([0, 10]);
    expect(() => s.withParams({ clip: 'yes' as unknown as boolean })).toThrow(InvalidOptionError);
  });
});
