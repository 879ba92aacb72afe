import { describe, expect, it } from 'vitest';
import { DataError, InvalidOptionError } from '../../src/core/errors';
import { createRng } from '../../src/core/random';
import { ganQualityReport, ksTwoSample, returnStats } from '../../src/gan/index';
import fixture from '../fixtures/ganReport.json';
import gq from '../fixtures/ganQuality.json';
import { arMse, fitAr, fitLogistic } from '../../src/gan/_internal/ganQuality';
import { expectClose } from '../helpers/leak';

describe('returnStats: closed forms', () => {
  it('1..5: mean 3, std sqrt(2.5), skew 0, excess kurtosis -1.3, acf 0.4 / -0.1', () => {
    const s = returnStats([1, 2, 3, 4, 5], 2);
    expect(s.n).toBe(5);
    expect(s.mean).toBe(3);
    expect(s.std).toBeCloseTo(Math.sqrt(2.5), 12);
    expect(s.skewness).toBeCloseTo(0, 12);
    expect(s.excessKurtosis).toBeCloseTo(6.8 / 4 - 3, 12);
    expectClose(s.acf, [0.4, -0.1], 1e-12);
  });

  it('[0, 0, 0, 1]: skewness 2/sqrt(3), excess kurtosis -2/3', () => {
    const s = returnStats([0, 0, 0, 1], 1);
    expect(s.skewness).toBeCloseTo(2 / Math.sqrt(3), 12);
    expect(s.excessKurtosis).toBeCloseTo(7 / 3 - 3, 12);
  });

  it('alternating signs: acf(r) lag 1 near -1 but |r| constant so acf(|r|) = 0', () => {
    const x = Array.from({ length: 50 }, (_, t) => (t % 2 === 0 ? 1 : -1));
    const s = returnStats(x, 2);
    expect(s.acf[0]).toBeCloseTo(-49 / 50, 12);
    expect(s.acf[1]).toBeCloseTo(48 / 50, 12);
    expect(s.acfAbs).toEqual([0, 0]);
  });

  it('several series are pooled: lagged products never cross series boundaries', () => {
    const s = returnStats([[1, 2], [3, 4]], 1);
    // mean 2.5, deviations -1.5 -0.5 | 0.5 1.5: (0.75 + 0.75) / 5
    expect(s.acf[0]).toBeCloseTo(1.5 / 5, 12);
    expect(s.n).toBe(4);
  });

  it('GARCH-like returns show volatility clustering, iid normals do not; t(3) has fat tails', () => {
    const rng = createRng(3);
    const n = 4000;
    const iid = Array.from({ length: n }, () => rng.normal());
    const garch: number[] = [];
    let sigma2 = 1;
    let prev = 0;
    for (let t = 0; t < n; t++) {
      sigma2 = 0.05 + 0.15 * prev * prev + 0.8 * sigma2;
      prev = Math.sqrt(sigma2) * rng.normal();
      garch.push(prev);
    }
    const t3 = Array.from({ length: n }, () => {
      const z = rng.normal();
      const chi = rng.normal() ** 2 + rng.normal() ** 2 + rng.normal() ** 2;
      return z / Math.sqrt(chi / 3);
    });
    const si = returnStats(iid, 3);
    const sg = returnStats(garch, 3);
    expect(Math.abs(si.acfAbs[0] as number)).toBeLessThan(0.05);
    expect(Math.abs(si.excessKurtosis)).toBeLessThan(0.3);
    expect(sg.acfAbs[0] as number).toBeGreaterThan(0.1);
    expect(sg.acfSquared[0] as number).toBeGreaterThan(0.1);
    expect(returnStats(t3, 1).excessKurtosis).toBeGreaterThan(2);
  });
});

describe('ganQualityReport vs scipy', () => {
  it.each(fixture.cases.map((c, i) => [i, c] as const))('case %i: moments, acfs and KS match scipy', (_i, c) => {
    const r = ganQualityReport(c.real, c.synthetic, { maxLag: 3 });
    for (const [got, want] of [
      [r.real, c.realStats],
      [r.synthetic, c.syntheticStats],
    ] as const) {
      expect(got.mean).toBeCloseTo(want.mean, 10);
      expect(got.std).toBeCloseTo(want.std, 10);
      expect(got.skewness).toBeCloseTo(want.skewness, 10);
      expect(got.excessKurtosis).toBeCloseTo(want.excessKurtosis, 10);
      expectClose(got.acf, want.acf, 1e-10);
      expectClose(got.acfAbs, want.acfAbs, 1e-10);
      expectClose(got.acfSquared, want.acfSquared, 1e-10);
    }
    expect(r.ks.statistic).toBeCloseTo(c.ks, 12);
    // scipy: exact Kolmogorov distribution at n = round(nm/(n+m))
    expect(r.ks.pValue).toBeCloseTo(c.ksPValueAsymp, 9);
    expect(r.gaps.mean).toBeCloseTo(Math.abs(c.syntheticStats.mean - c.realStats.mean), 10);
    expect(r.gaps.acfLag1).toBeCloseTo(Math.abs((c.syntheticStats.acf[0] as number) - (c.realStats.acf[0] as number)), 10);
    expect(r.summary).toContain('excess kurtosis');
    expect(r.summary).toContain('KS distance');
    expect(Object.isFrozen(r)).toBe(true);
  });

  it.each(fixture.ksCases.map((c, i) => [i, c] as const))('KS case %i (larger samples): distance and p-value match scipy', (_i, c) => {
    const r = ganQualityReport(c.real, c.synthetic, { maxLag: 1 });
    expect(r.ks.statistic).toBeCloseTo(c.ks, 12);
    expect(Math.abs(r.ks.pValue - c.ksPValueAsymp)).toBeLessThan(1e-6 + 0.02 * c.ksPValueAsymp);
  });

  it('KS: hand values, identical samples, disjoint samples', () => {
    expect(ksTwoSample([1, 2, 3], [2, 3, 4])).toBeCloseTo(1 / 3, 15);
    expect(ksTwoSample([1, 2, 2, 3], [3, 2, 1, 2])).toBe(0);
    expect(ksTwoSample([1, 2], [5, 6, 7])).toBe(1);
    const r = ganQualityReport([1, 2, 3, 4], [1, 2, 3, 4], { maxLag: 1 });
    expect(r.ks).toEqual({ statistic: 0, pValue: 1 });
    expect(r.gaps.mean).toBe(0);
  });

  it('validates inputs and does not mutate them', () => {
    const real = [0.1, -0.2, 0.3, 0.05];
    const copy = real.slice();
    ganQualityReport(real, [0.2, 0.1, -0.1, 0], { maxLag: 2 });
    expect(real).toEqual(copy);
    expect(() => ganQualityReport([1, Number.NaN, 3], [1, 2, 3], { maxLag: 1 })).toThrow(DataError);
    expect(() => ganQualityReport([1, 2], [1, 2, 3], { maxLag: 2 })).toThrow(DataError);
    expect(() => ganQualityReport([1, 2, 3], [1, 2, 3], { maxLag: 0 })).toThrow(InvalidOptionError);
    expect(() => ganQualityReport([1, 2, 3], [1, 2, 3], { lags: 2 } as never)).toThrow(InvalidOptionError);
  });
});

describe('ganQualityReport: discriminative score and TSTR', () => {
  const garchWindows = (n: number, len: number, seed: number): number[][] => {
    const rng = createRng(seed);
    let sigma2 = 1;
    let prev = 0;
    const x: number[] = [];
    for (let t = 0; t < n * len + 100; t++) {
      sigma2 = 0.05 + 0.15 * prev * prev + 0.8 * sigma2;
      prev = Math.sqrt(sigma2) * rng.normal();
      x.push(prev);
    }
    return Array.from({ length: n }, (_, i) => x.slice(100 + i * len, 100 + (i + 1) * len));
  };

  it('logistic regression matches scikit-learn (C = 1, standardized features)', () => {
    const c = gq.logistic;
    const m = fitLogistic(c.x, c.y, 1);
    expectClose(c.xTest.map((r) => m.predict(r)), c.proba, 1e-6);
  });

  it('AR by least squares matches numpy: coefficients and one-step MSE, of r and |r|', () => {
    const c = gq.ar;
    const train = c.train.map((w) => Float64Array.from(w));
    const test = c.test.map((w) => Float64Array.from(w));
    for (const [abs, want] of [[false, c.raw], [true, c.abs]] as const) {
      const coef = fitAr(train, c.lags, abs);
      expectClose(Array.from(coef), want.coef, 1e-9);
      expect(arMse(coef, test, abs)).toBeCloseTo(want.mse, 10);
    }
  });

  it('tells iid Gaussian windows from GARCH windows; not two GARCH samples of the same process', () => {
    const real = garchWindows(300, 20, 1);
    const rng = createRng(9);
    const iid = Array.from({ length: 300 }, () => Array.from({ length: 20 }, () => rng.normal() * 1.6));
    const bad = ganQualityReport(real, iid, { seed: 1 });
    const good = ganQualityReport(real, garchWindows(300, 20, 2), { seed: 1 });
    expect(bad.discriminative?.accuracy).toBeGreaterThan(0.6);
    expect(Math.abs((good.discriminative?.accuracy ?? 0) - 0.5)).toBeLessThan(0.08);
    expect(bad.discriminative?.nTest).toBe(180);
    // volatility forecasts trained on iid noise are worse than trained on real, not on GARCH twins
    const t = bad.tstr;
    expect(t).not.toBeNull();
    expect((t?.absReturns.trainOnSynthetic ?? 0) / (t?.absReturns.trainOnReal ?? 1)).toBeGreaterThan(1.03);
    const g = good.tstr;
    expect((g?.absReturns.trainOnSynthetic ?? 0) / (g?.absReturns.trainOnReal ?? 1)).toBeLessThan(1.03);
    expect(bad.summary).toContain('discriminative accuracy');
    // seeded: same seed, same score
    expect(ganQualityReport(real, iid, { seed: 1 }).discriminative).toEqual(bad.discriminative);
  });

  it('is null for fewer than 10 series; validates testFraction and seed', () => {
    const r = ganQualityReport([0.1, -0.2, 0.3, 0.05, 0.2, -0.1, 0.0], [0.2, 0.1, -0.1, 0, 0.3, 0.1, -0.2], { maxLag: 2 });
    expect(r.discriminative).toBeNull();
    expect(r.tstr).toBeNull();
    expect(() => ganQualityReport([1, 2, 3], [1, 2, 3], { maxLag: 1, testFraction: 1 })).toThrow(InvalidOptionError);
    expect(() => ganQualityReport([1, 2, 3], [1, 2, 3], { maxLag: 1, seed: 0.5 })).toThrow(InvalidOptionError);
  });
});
