import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { DataError, DisposedError, InvalidOptionError, NotFittedError, SerializationError } from '../../src/core/errors';
import { createRng } from '../../src/core/random';
import { fromEstimatorJSON } from '../../src/registry';
import { tabularGan, tabularGanFromJSON } from '../../src/gan/index';
import type { FittedTabularGan } from '../../src/gan/index';
import { expectNoLeak } from '../helpers/leak';

function rows(n: number, seed: number): number[][] {
  const rng = createRng(seed);
  // amounts ~ N(1000, 200), rates ~ N(0.05, 0.01): very different scales
  return Array.from({ length: n }, () => [1000 + 200 * rng.normal(), 0.05 + 0.01 * rng.normal()]);
}

function colMean(x: number[][], j: number): number {
  return x.reduce((a, r) => a + (r[j] as number), 0) / x.length;
}

describe('tabularGan', () => {
  it('learns columns on very different scales (standardizes internally) and samples in original units', async () => {
    const data = rows(256, 1);
    const synth = await tabularGan({ epochs: 40, batchSize: 64, learningRate: 0.005, generatorHidden: [16], discriminatorHidden: [16], latentDim: 4, seed: 2 }).fit(data);
    const fake = synth.sample(500);
    expect(fake.length).toBe(500);
    expect(Math.abs(colMean(fake, 0) - 1000)).toBeLessThan(100);
    expect(Math.abs(colMean(fake, 1) - 0.05)).toBeLessThan(0.005);
    expect(synth.sample(5, 3)).toEqual(synth.sample(5, 3));
    expect(synth.sample(5, 3)).not.toEqual(synth.sample(5, 4));
    const p = synth.score(data.slice(0, 10));
    expect(p.every((v) => v > 0 && v < 1)).toBe(true);
    expect(synth.history.dLoss.length).toBe(40);
    synth.dispose();
  });

  it('restores from JSON (also via fromEstimatorJSON), rejects malformed envelopes, throws after dispose', async () => {
    const data = rows(32, 3);
    const f = await tabularGan({ epochs: 2, batchSize: 16, seed: 1 }).fit(data);
    const json = JSON.parse(JSON.stringify(f.toJSON())) as { state: { generator: number[][] } };
    const g = fromEstimatorJSON(json) as FittedTabularGan;
    expect(g.sample(4, 9)).toEqual(f.sample(4, 9));
    expect(g.score(data)).toEqual(f.score(data));
    const before = tf.memory().numTensors;
    const broken = { ...json, state: { ...json.state, generator: json.state.generator.slice(1) } };
    expect(() => tabularGanFromJSON(broken)).toThrow(SerializationError);
    const wrongSize = { ...json, state: { ...json.state, generator: [[1, 2], ...json.state.generator.slice(1)] } };
    expect(() => tabularGanFromJSON(wrongSize)).toThrow(SerializationError);
    expect(() => tabularGanFromJSON({ ...json, params: { epochs: -1 } })).toThrow(SerializationError);
    expect(() => tabularGanFromJSON({ ...json, kind: 'Other' })).toThrow(SerializationError);
    expect(tf.memory().numTensors).toBe(before);
    f.dispose();
    g.dispose();
    g.dispose();
    expect(() => f.sample(1)).toThrow(DisposedError);
    expect(() => f.toJSON()).toThrow(DisposedError);
  });

  it('validates params; spec methods throw NotFittedError; withParams makes a new spec', () => {
    expect(() => tabularGan({ labelSmoothing: 0.5 })).toThrow(InvalidOptionError);
    expect(() => tabularGan({ generatorHidden: [0] })).toThrow(InvalidOptionError);
    expect(() => tabularGan({ nope: 1 } as never)).toThrow(InvalidOptionError);
    const s = tabularGan();
    expect(() => (s.sample as unknown as (n: number) => unknown)(3)).toThrow(NotFittedError);
    const t = s.withParams({ epochs: 5 });
    expect(t.params.epochs).toBe(5);
    expect(s.params.epochs).toBe(100);
  });

  it('fit + sample + score + JSON round trip + dispose leak nothing', async () => {
    const data = rows(24, 5);
    await expectNoLeak(async () => {
      const f = await tabularGan({ epochs: 1, batchSize: 12, seed: 1 }).fit(data);
      f.sample(3);
      f.score(data);
      const g = tabularGanFromJSON(JSON.parse(JSON.stringify(f.toJSON())));
      f.dispose();
      g.dispose();
    });
  });
});

describe('tabularGan quantile normalisation', () => {
  it('quantile table: exact inverse on knots, dequantized ties cover the probability interval of each value', async () => {
    const { quantileTable, toProbability, fromProbability, normalQuantile, quantileInverse, quantileForward } = await import('../../src/gan/_internal/ganQuantile');
    const t = quantileTable(Float64Array.from([3, 1, 2, 2, 5, 2, 1, 9]), 100);
    expect(t.values).toEqual([1, 2, 3, 5, 9]);
    expect(t.cdf).toEqual([2 / 8, 5 / 8, 6 / 8, 7 / 8, 1]);
    expect(t.interpolate).toBe(false);
    const rng = createRng(1);
    for (let i = 0; i < 50; i++) {
      const p = toProbability(t, 2, rng);
      expect(p).toBeGreaterThanOrEqual(2 / 8);
      expect(p).toBeLessThan(5 / 8);
      expect(fromProbability(t, p)).toBe(2);
    }
    expect(toProbability(t, 2, null)).toBeCloseTo(3.5 / 8, 15);
    for (const v of [1, 2, 3, 5, 9]) expect(quantileInverse(t, quantileForward(t, v, rng))).toBe(v);
    // hand values of the normal quantile function (scipy.stats.norm.ppf)
    expect(normalQuantile(0.5)).toBeCloseTo(0, 12);
    expect(normalQuantile(0.975)).toBeCloseTo(1.959963984540054, 8);
    expect(normalQuantile(0.001)).toBeCloseTo(-3.090232306167813, 8);
    // compressed table: interpolation both ways
    const big = quantileTable(Float64Array.from({ length: 101 }, (_, i) => i), 11);
    expect(big.interpolate).toBe(true);
    expect(big.values).toEqual([0, 10, 20, 30, 40, 50, 60, 70, 80, 90, 100]);
    expect(toProbability(big, 25, null)).toBeCloseTo(0.25, 12);
    expect(fromProbability(big, 0.25)).toBeCloseTo(25, 12);
  });

  it('skewed and integer columns: samples stay on the real support; calibrated samples keep the marginals', async () => {
    const rng = createRng(8);
    // amount ~ lognormal (skewed), age integer, code in {0, 1, 2} with frequencies .6 / .3 / .1
    const data = Array.from({ length: 400 }, () => {
      const u = rng.next();
      return [Math.exp(7 + 0.8 * rng.normal()), Math.round(35 + 10 * rng.normal()), u < 0.6 ? 0 : u < 0.9 ? 1 : 2];
    });
    const f = await tabularGan({ epochs: 10, batchSize: 64, generatorHidden: [16], discriminatorHidden: [16], seed: 3 }).fit(data);
    const { ksTwoSample } = await import('../../src/gan/index');
    const col = (x: number[][], j: number): number[] => x.map((r) => r[j] as number);
    const realAges = new Set(col(data, 1));
    const s = f.sample(2000, 1);
    expect(col(s, 1).every((v) => realAges.has(v))).toBe(true);
    expect(col(s, 2).every((v) => v === 0 || v === 1 || v === 2)).toBe(true);
    const json = f.toJSON();
    const cal = tabularGanFromJSON({ ...json, params: { ...(json.params as object), calibrate: true } });
    const c = cal.sample(2000, 1);
    expect(ksTwoSample(col(data, 0), col(c, 0))).toBeLessThan(0.03);
    expect(ksTwoSample(col(data, 1), col(c, 1))).toBeLessThan(0.03);
    const share = (x: number[][], v: number): number => col(x, 2).filter((y) => y === v).length / x.length;
    for (const v of [0, 1, 2]) expect(Math.abs(share(c, v) - share(data, v))).toBeLessThan(0.005);
    // calibration keeps the generator's order: sorted by the uncalibrated amounts, calibrated ones never decrease
    const sa = col(s, 0);
    const ca = col(c, 0);
    const idx = sa.map((_, i) => i).sort((a, b) => (sa[a] as number) - (sa[b] as number));
    let monotone = true;
    for (let k = 1; k < idx.length; k++) {
      const a = idx[k - 1] as number;
      const b = idx[k] as number;
      if ((sa[a] as number) < (sa[b] as number) && (ca[a] as number) > (ca[b] as number)) monotone = false;
    }
    expect(monotone).toBe(true);
    cal.dispose();
    expect(f.state.quantiles?.length).toBe(3);
    // round trip keeps the tables; version-1 envelopes (standardized) still load
    const back = tabularGanFromJSON(JSON.parse(JSON.stringify(f.toJSON())));
    expect(back.sample(5, 2)).toEqual(f.sample(5, 2));
    const v1 = { ...f.toJSON(), version: 1 };
    const old = tabularGanFromJSON(JSON.parse(JSON.stringify(v1)));
    expect(old.params.normalization).toBe('standard');
    expect(old.state.quantiles).toBeNull();
    const broken = JSON.parse(JSON.stringify(f.toJSON())) as { state: { quantiles: { cdf: number[] }[] } };
    (broken.state.quantiles[0] as { cdf: number[] }).cdf.reverse();
    expect(() => tabularGanFromJSON(broken)).toThrow(SerializationError);
    f.dispose();
    back.dispose();
    old.dispose();
  });

  it("'standard' normalisation is still available and validated", async () => {
    const f = await tabularGan({ normalization: 'standard', epochs: 1, batchSize: 8, seed: 1 }).fit(rows(16, 2));
    expect(f.state.quantiles).toBeNull();
    f.dispose();
    expect(() => tabularGan({ normalization: 'minmax' as never })).toThrow(InvalidOptionError);
    expect(() => tabularGan({ maxQuantiles: 1 })).toThrow(InvalidOptionError);
  });

  it('categorical columns: one-hot blocks, softmax draws on the real categories, seeded, JSON v3 and older envelopes', async () => {
    const rng = createRng(21);
    // amount ~ lognormal; code in {3, 7, 9} with frequencies .6 / .3 / .1 (the amount depends on it)
    const data = Array.from({ length: 300 }, () => {
      const u = rng.next();
      const code = u < 0.6 ? 3 : u < 0.9 ? 7 : 9;
      return [code, Math.exp(6 + 0.3 * code / 3 + 0.5 * rng.normal())];
    });
    const f = await tabularGan({ categorical: [0], epochs: 15, batchSize: 50, generatorHidden: [16], discriminatorHidden: [16], seed: 4 }).fit(data);
    expect(f.state.categories).toEqual([[3, 7, 9], null]);
    const s = f.sample(3000, 1);
    expect(s.every((r) => r[0] === 3 || r[0] === 7 || r[0] === 9)).toBe(true);
    const share = (x: number[][], v: number): number => x.filter((r) => r[0] === v).length / x.length;
    // 15 epochs: the frequency term already brings every share within 10 points
    for (const v of [3, 7, 9]) expect(Math.abs(share(s, v) - share(data, v))).toBeLessThan(0.1);
    expect(f.sample(20, 2)).toEqual(f.sample(20, 2));
    expect(f.sample(20, 2)).not.toEqual(f.sample(20, 3));
    expect(f.score(data.slice(0, 5)).every((p) => p > 0 && p < 1)).toBe(true);
    expect(() => f.score([[4, 100]])).toThrow(DataError);
    const json = JSON.parse(JSON.stringify(f.toJSON())) as { version: number; params: Record<string, unknown>; state: Record<string, unknown> };
    expect(json.version).toBe(3);
    const back = tabularGanFromJSON(json);
    expect(back.sample(50, 5)).toEqual(f.sample(50, 5));
    expect(back.score(data.slice(0, 5))).toEqual(f.score(data.slice(0, 5)));
    back.dispose();
    expect(() => tabularGanFromJSON({ ...json, state: { ...json.state, categories: [[3, 3, 9], null] } })).toThrow(SerializationError);
    expect(() => tabularGanFromJSON({ ...json, state: { ...json.state, categories: [null, null] } })).toThrow(SerializationError);
    f.dispose();
    // calibrate touches only the numeric columns
    const cal = await tabularGan({ categorical: [0], calibrate: true, epochs: 2, batchSize: 50, seed: 4 }).fit(data);
    expect(cal.sample(100, 1).every((r) => r[0] === 3 || r[0] === 7 || r[0] === 9)).toBe(true);
    cal.dispose();
    // bad columns
    await expect(tabularGan({ categorical: [2], epochs: 1 }).fit(data)).rejects.toThrow(InvalidOptionError);
    await expect(tabularGan({ categorical: [0], epochs: 1 }).fit(data.map((r) => [1, r[1] as number]))).rejects.toThrow(DataError);
    expect(() => tabularGan({ categorical: [0, 0] })).toThrow(InvalidOptionError);
    expect(() => tabularGan({ gumbelTau: 0 })).toThrow(InvalidOptionError);
  });

  it('version-2 envelopes (no categorical columns) load with the old behaviour', async () => {
    const data = rows(32, 6);
    const f = await tabularGan({ epochs: 2, batchSize: 16, seed: 2 }).fit(data);
    const json = JSON.parse(JSON.stringify(f.toJSON())) as { params: Record<string, unknown>; state: Record<string, unknown> };
    const { categorical: _c, gumbelTau: _g, frequencyWeight: _f, ...params2 } = json.params;
    const { categories: _s, ...state2 } = json.state;
    const v2 = tabularGanFromJSON({ ...json, version: 2, params: params2, state: state2 });
    expect(v2.params.categorical).toEqual([]);
    expect(v2.state.categories).toEqual([null, null]);
    expect(v2.sample(10, 3)).toEqual(f.sample(10, 3));
    expect(v2.score(data)).toEqual(f.score(data));
    v2.dispose();
    f.dispose();
  });

  it('fit + sample + score + JSON round trip + dispose leak nothing with a categorical column', async () => {
    const data = rows(24, 7).map((r, i) => [i % 3, r[1] as number]);
    await expectNoLeak(async () => {
      const f = await tabularGan({ categorical: [0], epochs: 1, batchSize: 12, seed: 1 }).fit(data);
      f.sample(3);
      f.score(data);
      const g = tabularGanFromJSON(JSON.parse(JSON.stringify(f.toJSON())));
      f.dispose();
      g.dispose();
    });
  });
});
