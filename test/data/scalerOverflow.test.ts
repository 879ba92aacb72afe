import { describe, expect, it } from 'vitest';
import { DataError } from '../../src/core/errors';
import { minMaxScaler, minMaxScalerFromJSON } from '../../src/data/minMaxScaler';
import { robustScaler, robustScalerFromJSON } from '../../src/data/robustScaler';
import { standardScaler, standardScalerFromJSON } from '../../src/data/standardScaler';
import { expectClose } from '../helpers/leak';

const roundTrip = <T>(json: unknown, from: (j: unknown) => T): T => from(JSON.parse(JSON.stringify(json)));

describe('scalers near the float64 limit', () => {
  it('standardScaler: scaled accumulation gives the exact mean and std where plain sums overflow', () => {
    const x = [[1.2e154], [-1e154], [3e153]];
    const f = standardScaler().fit(x);
    // Closed form on the values / 1e154: mean 0.5/3, variance (1.44 + 1 + 0.09)/3 - (0.5/3)^2.
    const m = 0.5 / 3;
    const v = 2.53 / 3 - m * m;
    expectClose(f.state.mean, [m * 1e154], 1e-12);
    expectClose(f.state.variance, [v * 1e308], 1e-12);
    expectClose(f.state.scale, [Math.sqrt(v) * 1e154], 1e-12);
    const z = f.transform(x).map((r) => r[0] as number);
    expectClose(z, [(1.2 - m) / Math.sqrt(v), (-1 - m) / Math.sqrt(v), (0.3 - m) / Math.sqrt(v)], 1e-12);
    const copy = roundTrip(f.toJSON(), standardScalerFromJSON);
    expect(copy.transform(x)).toEqual(f.transform(x));
    expect(copy.inverseTransform(copy.transform(x))[0]![0]).toBeCloseTo(1.2e154 / 1e154 * 1e154, -140);
  });

  it('standardScaler: plain data keeps the plain two-pass result bit for bit', () => {
    const x = [[1.5, -2], [2.25, 7], [3, 0.5], [10, 1]];
    const f = standardScaler().fit(x);
    const col = [1.5, 2.25, 3, 10];
    const mean = col.reduce((a, b) => a + b, 0) / 4;
    let ss = 0;
    let corr = 0;
    for (const c of col) {
      ss += (c - mean) ** 2;
      corr += c - mean;
    }
    expect(f.state.mean[0]).toBe(mean);
    expect(f.state.variance[0]).toBe((ss - (corr * corr) / 4) / 4);
  });

  it('standardScaler: a variance beyond float64 (values near 1e300) is a DataError at fit, never null in JSON', () => {
    expect(() => standardScaler().fit([[1e300], [-1e300], [5e299]])).toThrow(DataError);
    expect(() => standardScaler().fit([[1e300], [-1e300], [5e299]])).toThrow(/variance.*column 0/);
    expect(() => standardScaler().fit([[1.7e308], [-1.7e308]])).toThrow(DataError);
    // A constant huge column is fine (variance 0).
    const c = standardScaler().fit([[1e300], [1e300]]);
    expect(JSON.stringify(c.toJSON())).not.toContain('null');
    expect(roundTrip(c.toJSON(), standardScalerFromJSON).transform([[1e300]])).toEqual([[0]]);
  });

  it('minMaxScaler: right values for data spanning ±1.7e308, and JSON round trip', () => {
    const x = [[-1.7e308, 0], [1.7e308, 1], [0, 2]];
    const f = minMaxScaler().fit(x);
    expectClose(f.transform(x).map((r) => r[0] as number), [0, 1, 0.5], 1e-12);
    expectClose(f.transform(x).map((r) => r[1] as number), [0, 0.5, 1], 1e-15);
    const copy = roundTrip(f.toJSON(), minMaxScalerFromJSON);
    expect(copy.transform(x)).toEqual(f.transform(x));
    const inv = copy.inverseTransform([[1, 0.5]])[0] as number[];
    expectClose(inv, [1.7e308, 1], 1e-12);
    expect(Math.abs(copy.inverseTransform([[0.5, 0.5]])[0]![0] as number)).toBeLessThan(1e-12 * 1.7e308);
    const wide = minMaxScaler({ featureRange: [-1e308, 1e308] }).fit([[-1.7e308], [1.7e308]]);
    expectClose(wide.transform([[-1.7e308], [1.7e308]]).map((r) => r[0] as number), [-1e308, 1e308], 1e-12);
    expect(roundTrip(wide.toJSON(), minMaxScalerFromJSON).transform([[1.7e308]])).toEqual(wide.transform([[1.7e308]]));
  });

  it('robustScaler: quantiles and centring without overflow; an IQR beyond float64 is a DataError', () => {
    const x = [[-1.7e308], [-1e308], [-1e308], [1.7e308]];
    const f = robustScaler().fit(x);
    // q25 = -1.7e308 + 0.75 * 0.7e308, q75 = 0.75 * -1e308 + 0.25 * 1.7e308 (linear interpolation).
    expectClose(f.state.center, [-1e308], 1e-15);
    expectClose(f.state.scale, [-0.325e308 - -1.175e308], 1e-12);
    const t = f.transform([[1.7e308]])[0]![0] as number;
    expect(Number.isFinite(t)).toBe(true);
    expectClose([t], [2.7 / 0.85], 1e-12);
    expect(roundTrip(f.toJSON(), robustScalerFromJSON).transform(x)).toEqual(f.transform(x));
    expect(() => robustScaler({ quantileRange: [0, 100] }).fit([[-1.7e308], [1.7e308]])).toThrow(DataError);
  });
});
