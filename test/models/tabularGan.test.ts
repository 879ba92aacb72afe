import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { DisposedError, InvalidOptionError, NotFittedError, SerializationError } from '../../src/core/errors';
import { createRng } from '../../src/core/random';
import { fromEstimatorJSON } from '../../src/registry';
import { tabularGan, tabularGanFromJSON } from '../../src/models/index';
import type { FittedTabularGan } from '../../src/models/index';
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
    const { quantileTable, toProbability, fromProbability, normalQuantile, quantileInverse, quantileForward } = await import('../../src/_lib/ganQuantile');
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
    const { ksTwoSample } = await import('../../src/models/index');
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
});
