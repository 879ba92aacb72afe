import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { DataError, InvalidOptionError, NotFittedError, SerializationError, ShapeError } from '../../src/core/errors';
import { createRng } from '../../src/core/random';
import { forecaster, forecasterFromJSON, walkForwardEvaluate } from '../../src/presets/forecaster';
import { expectNoLeak } from '../helpers/leak';

/** Prices whose log returns follow an AR(1) with strong persistence: predictable. */
function arPrices(n: number, phi: number, seed: number): number[][] {
  const rng = createRng(seed);
  const out: number[][] = [[100, 50]];
  let r = 0;
  for (let t = 1; t < n; t++) {
    r = phi * r + 0.01 * rng.normal();
    const prev = out[t - 1] as number[];
    out.push([(prev[0] as number) * Math.exp(r), (prev[1] as number) * Math.exp(0.01 * rng.normal())]);
  }
  return out;
}

const small = {
  lookback: 8,
  model: { type: 'rnn', cell: 'gru', units: [8] },
  train: { epochs: 12, batchSize: 32, learningRate: 0.01 },
  seed: 3,
} as const;

describe('forecaster', () => {
  it('beats the naive last-value forecast on a predictable AR(1) return series (walk-forward)', async () => {
    const prices = arPrices(360, 0.8, 1);
    const report = await walkForwardEvaluate(forecaster(small), prices, { nSplits: 2, testSize: 60 });
    expect(report.folds).toHaveLength(2);
    expect(report.forecasts.actual).toHaveLength(120);
    expect(report.model.rmse).toBeLessThan(report.naive.rmse);
    expect(report.rmseSkill).toBeGreaterThan(0.05);
    expect(report.model.directionalAccuracy).toBeGreaterThan(0.6);
  });

  it('walk-forward is leak-free: changing prices after a fold does not change that fold', async () => {
    const prices = arPrices(240, 0.5, 2);
    const spec = forecaster({ ...small, train: { epochs: 3, batchSize: 32 } });
    const a = await walkForwardEvaluate(spec, prices, { nSplits: 2, testSize: 40 });
    const tampered = prices.map((r, t) => (t > (a.folds[0]?.testTo ?? 0) ? r.map((v) => v * 3) : r));
    const b = await walkForwardEvaluate(spec, tampered, { nSplits: 2, testSize: 40 });
    const n0 = 40;
    expect(Array.from(b.forecasts.predicted.subarray(0, n0))).toEqual(Array.from(a.forecasts.predicted.subarray(0, n0)));
    expect(Array.from(b.forecasts.predicted.subarray(n0))).not.toEqual(Array.from(a.forecasts.predicted.subarray(n0)));
    // Targets of the training windows never reach the test fold (gap >= horizon - 1).
    const multi = await walkForwardEvaluate(forecaster({ ...small, horizon: 3, train: { epochs: 1 } }), prices, { nSplits: 1, testSize: 30 });
    expect(multi.folds[0]?.testFrom).toBeGreaterThan(0);
  });

  it('walk-forward with maxTrainSize: prices before the sliding training window do not change the fold', async () => {
    const prices = arPrices(200, 0.5, 4);
    const spec = forecaster({ ...small, model: { type: 'fnn', hidden: [4] }, train: { epochs: 2, batchSize: 32 } });
    const opts = { nSplits: 1, testSize: 40, maxTrainSize: 60 };
    const a = await walkForwardEvaluate(spec, prices, opts);
    expect(a.folds[0]?.trainWindows).toBe(60);
    // Window s spans prices s..s+lookback and forecasts price s+lookback+1; the 60 training windows
    // end right before the first test window (testFrom - lookback - 1).
    const firstTrainRow = (a.folds[0]?.testFrom ?? 0) - small.lookback - 1 - 60;
    expect(firstTrainRow).toBeGreaterThan(10);
    const tampered = prices.map((r, t) => (t < firstTrainRow ? r.map((v, j) => v * (1 + 0.05 * Math.sin(t + j))) : r));
    const b = await walkForwardEvaluate(spec, tampered, opts);
    expect(Array.from(b.forecasts.predicted)).toEqual(Array.from(a.forecasts.predicted));
  });

  it('predicts a price path from history, round-trips through JSON, leaks nothing', async () => {
    const prices = arPrices(150, 0.5, 3);
    const spec = forecaster({ ...small, horizon: 2, train: { epochs: 2 } });
    const f = await spec.fit(prices);
    const fc = f.predict(prices);
    expect(fc.prices).toHaveLength(2);
    expect(fc.lastPrice).toBe(prices[149]?.[0]);
    expect(fc.prices[0]).toBeCloseTo(fc.lastPrice * Math.exp(fc.returns[0] as number), 9);
    const g = await forecasterFromJSON(JSON.parse(JSON.stringify(f.toJSON())));
    expect(g.predict(prices)).toEqual(fc);
    await expectNoLeak(() => {
      f.predict(prices);
      f.predictSeries(prices);
    });
    await expectNoLeak(async () => {
      const h = await spec.fit(prices);
      h.dispose();
    });
    f.dispose();
    g.dispose();
  });

  it('gives typed errors', async () => {
    expect(() => forecaster({ lookback: 0 })).toThrow(InvalidOptionError);
    expect(() => (forecaster().predict as unknown as () => void)()).toThrow(NotFittedError);
    await expect(forecaster(small).fit([[1, 2], [3, 4]])).rejects.toThrow(DataError);
    await expect(forecaster(small).fit(arPrices(50, 0, 1).map((r, i) => (i === 7 ? [-1, 1] : r)))).rejects.toThrow(/strictly positive/);
    const f = await forecaster({ ...small, train: { epochs: 1 } }).fit(arPrices(60, 0, 1));
    expect(() => f.predict(arPrices(60, 0, 1).map((r) => [r[0] as number]))).toThrow(ShapeError);
    f.dispose();
    expect(() => f.predict(arPrices(60, 0, 1))).toThrow(/disposed/);
    // A target column the prices do not have: a ShapeError up front (walkForwardEvaluate used to fail
    // later with a DataError about NaN targets), and a SerializationError on load (used to predict NaN).
    await expect(walkForwardEvaluate(forecaster({ ...small, targetColumn: 2 }), arPrices(80, 0, 1), { nSplits: 2 })).rejects.toThrow(
      /'prices' argument of walkForwardEvaluate must be more than targetColumn = 2 columns/,
    );
    const g = await forecaster({ ...small, targetColumn: 1, train: { epochs: 1 } }).fit(arPrices(60, 0, 1));
    const json = JSON.parse(JSON.stringify(g.toJSON())) as { params: { targetColumn: number } };
    g.dispose();
    json.params.targetColumn = 2;
    await expect(forecasterFromJSON(json)).rejects.toThrow(SerializationError);
    await expectNoLeak(() => forecasterFromJSON(json).catch(() => undefined));
  });

  it('runs on the EU stock indices (DAX target, all four indices as inputs)', async () => {
    const lines = readFileSync(new URL('../../data/eu_stock_markets.csv', import.meta.url), 'utf8').trim().split('\n').slice(1);
    const prices = lines.map((l) => l.split(',').slice(2).map(Number));
    const report = await walkForwardEvaluate(forecaster({ ...small, lookback: 10, train: { epochs: 2, batchSize: 128 } }), prices, { nSplits: 2, testSize: 200 });
    expect(report.forecasts.actual).toHaveLength(400);
    expect(Number.isFinite(report.rmseSkill)).toBe(true);
    // The naive forecast is a strong baseline on index prices: the model must stay close to it.
    expect(report.model.rmse).toBeLessThan(report.naive.rmse * 1.2);
  });
});
