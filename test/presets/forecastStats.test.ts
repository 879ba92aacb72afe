import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { DataError, InvalidOptionError, ShapeError } from '../../src/core/errors';
import { dieboldMariano } from '../../src/metrics/dieboldMariano';
import { fitAutoregression } from '../../src/presets/autoregression';

interface ArCase {
  name: string;
  y: number[];
  maxLag: number;
  aic: number[];
  order: number;
  intercept: number;
  coefficients: number[];
  sigma2: number;
  finalAic: number | null;
  forecast: number[];
}
interface DmCase {
  name: string;
  errorsA: number[];
  errorsB: number[];
  lags: number;
  loss: 'squared' | 'absolute';
  meanDifference: number;
  statistic: number;
  pValue: number;
}
// Computed by test/fixtures/forecastStats.py with statsmodels (ar_select_order / AutoReg, OLS with HAC covariance).
const fx = JSON.parse(readFileSync(new URL('../fixtures/forecastStats.json', import.meta.url), 'utf8')) as { ar: ArCase[]; dm: DmCase[] };

const close = (a: number, b: number, rel = 1e-8): void => {
  expect(Math.abs(a - b), `${a} vs ${b}`).toBeLessThanOrEqual(rel * Math.max(1, Math.abs(b)));
};

describe('fitAutoregression (statsmodels reference)', () => {
  for (const c of fx.ar) {
    it(`${c.name}: AIC per order, chosen order, coefficients, sigma2, forecasts`, () => {
      const ar = fitAutoregression(c.y, { maxLag: c.maxLag });
      expect(ar.aic).toHaveLength(c.maxLag + 1);
      c.aic.forEach((v, p) => close(ar.aic[p] as number, v));
      expect(ar.order).toBe(c.order);
      close(ar.intercept, c.intercept);
      expect(ar.coefficients).toHaveLength(c.coefficients.length);
      c.coefficients.forEach((v, i) => close(ar.coefficients[i] as number, v));
      close(ar.sigma2, c.sigma2);
      expect(ar.nObs).toBe(c.y.length - c.order);
      ar.forecast(c.y, 5).forEach((v, i) => close(v, c.forecast[i] as number));
    });
  }

  it('a fixed order skips the search; the input is not mutated', () => {
    const c = fx.ar[0] as ArCase;
    const y = Float64Array.from(c.y);
    const ar = fitAutoregression(y, { order: 2 });
    expect(ar.aic).toEqual([]);
    expect(ar.order).toBe(2);
    expect(Array.from(y)).toEqual(c.y);
    expect(Object.isFrozen(ar)).toBe(true);
  });

  it('recovers a noiseless AR(2) exactly', () => {
    const y = [1, 2];
    for (let t = 2; t < 60; t++) y.push(0.5 + 0.6 * (y[t - 1] as number) - 0.3 * (y[t - 2] as number) + ((t * 7919) % 13) / 1e3);
    const ar = fitAutoregression(y, { order: 2 });
    expect(ar.coefficients[0]).toBeCloseTo(0.6, 2);
    expect(ar.coefficients[1]).toBeCloseTo(-0.3, 2);
  });

  it('constant series: mean model, zero variance, no NaN', () => {
    const ar = fitAutoregression(new Array<number>(30).fill(2), { maxLag: 3 });
    expect(ar.intercept + ar.coefficients.reduce((a, b) => a + b * 2, 0)).toBeCloseTo(2, 10);
    expect(ar.forecast([2, 2, 2, 2], 3).every((v) => Math.abs(v - 2) < 1e-9)).toBe(true);
  });

  it('gives typed errors', () => {
    expect(() => fitAutoregression([1, 2, 3], { maxLag: 2 })).toThrow(DataError);
    expect(() => fitAutoregression([1, Number.NaN, 3, 4, 5, 6, 7], { maxLag: 1 })).toThrow(DataError);
    expect(() => fitAutoregression([1, 2, 3], { maxLag: -1 })).toThrow(InvalidOptionError);
    const ar = fitAutoregression((fx.ar[0] as ArCase).y, { order: 2 });
    expect(() => ar.forecast([1], 1)).toThrow(DataError);
    expect(() => ar.forecast([1, 2], 0)).toThrow(DataError);
  });
});

describe('dieboldMariano (statsmodels HAC reference)', () => {
  for (const c of fx.dm) {
    it(`${c.name}: statistic and p-value`, () => {
      const r = dieboldMariano(c.errorsA, c.errorsB, { lags: c.lags, loss: c.loss });
      close(r.meanDifference, c.meanDifference, 1e-10);
      close(r.statistic, c.statistic, 1e-9);
      expect(Math.abs(r.pValue - c.pValue)).toBeLessThan(1e-6);
      expect(r.lags).toBe(c.lags);
      expect(r.n).toBe(c.errorsA.length);
    });
  }

  it('default lags: Newey-West rule, at least horizon - 1; swapping A and B flips the sign', () => {
    const c = fx.dm[0] as DmCase;
    const n = c.errorsA.length;
    expect(dieboldMariano(c.errorsA, c.errorsB).lags).toBe(Math.floor(4 * (n / 100) ** (2 / 9)));
    expect(dieboldMariano(c.errorsA, c.errorsB, { horizon: 10 }).lags).toBe(9);
    const ab = dieboldMariano(c.errorsA, c.errorsB, { lags: 3 });
    const ba = dieboldMariano(c.errorsB, c.errorsA, { lags: 3 });
    expect(ba.statistic).toBeCloseTo(-ab.statistic, 12);
    expect(ba.pValue).toBeCloseTo(ab.pValue, 12);
  });

  it('identical forecasts: statistic 0, p-value 1; lag-0 equals the iid t-statistic', () => {
    const e = [0.1, -0.3, 0.2, 0.05];
    expect(dieboldMariano(e, e)).toMatchObject({ statistic: 0, pValue: 1 });
    const a = [1, -2, 0.5, 1.5, -1];
    const b = [0.5, -1, 1, 1, -0.5];
    const d = a.map((v, i) => v * v - (b[i] as number) ** 2);
    const m = d.reduce((s, v) => s + v, 0) / d.length;
    const v = d.reduce((s, x) => s + (x - m) ** 2, 0) / d.length;
    expect(dieboldMariano(a, b, { lags: 0 }).statistic).toBeCloseTo(m / Math.sqrt(v / d.length), 12);
  });

  it('gives typed errors', () => {
    expect(() => dieboldMariano([1, 2, 3], [1, 2])).toThrow(ShapeError);
    expect(() => dieboldMariano([1], [2])).toThrow(DataError);
    expect(() => dieboldMariano([1, Number.NaN], [1, 2])).toThrow(DataError);
    expect(() => dieboldMariano([1, 2], [1, 2], { loss: 'huber' as never })).toThrow(InvalidOptionError);
  });
});
