import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { DataError, InvalidOptionError, SerializationError, ShapeError, TrainingError } from '../../src/core/errors';
import { createRng } from '../../src/core/random';
import { dieboldMariano } from '../../src/metrics/dieboldMariano';
import { fitAutoregression } from '../../src/presets/autoregression';
import { forecaster, forecasterFromJSON, forecastReportTable, walkForwardEvaluate, type WalkForwardProgress } from '../../src/presets/forecaster';
import { expectNoLeak } from '../helpers/leak';

/** A random walk of prices (log returns i.i.d.): nothing to predict. */
function randomWalk(n: number, seed: number): number[] {
  const rng = createRng(seed);
  const out = [100];
  for (let t = 1; t < n; t++) out.push((out[t - 1] as number) * Math.exp(0.01 * rng.normal()));
  return out;
}

/** A level whose changes follow d_t = 0.9 tanh(2 d_{t-1} d_{t-2}) + 0.3 e_t: no linear autocorrelation, but predictable. */
function nonlinearLevel(n: number, seed: number): number[] {
  const rng = createRng(seed);
  const d = [0.3, -0.2];
  for (let t = 2; t < n; t++) d.push(0.9 * Math.tanh(2 * (d[t - 1] as number) * (d[t - 2] as number)) + 0.3 * rng.normal());
  const out = [0];
  for (let t = 1; t < n; t++) out.push((out[t - 1] as number) + (d[t] as number));
  return out;
}

const mlp = { model: { type: 'fnn', hidden: [16] }, train: { epochs: 3, batchSize: 64 }, seed: 2 } as const;

describe('walkForwardEvaluate baselines (same folds, same training rows)', () => {
  it('naive, mean and AR(p) baselines match brute-force fits on each fold; skill, DM and direction are computed from them', async () => {
    const prices = randomWalk(260, 5);
    const lookback = 6;
    const report = await walkForwardEvaluate(forecaster({ ...mlp, lookback, target: 'logReturn' }), prices, { nSplits: 2, testSize: 40 });
    const logRet = prices.slice(1).map((p, t) => Math.log(p / (prices[t] as number)));
    const windows = logRet.length - lookback; // horizon 1
    // Fold k trains on windows [0, windows - (2 - k) * 40): transformed rows [0, lastWindow + lookback + 1).
    for (let k = 0; k < 2; k++) {
      const nTrain = windows - (2 - k) * 40;
      const seg = logRet.slice(0, nTrain - 1 + lookback + 1);
      const ar = fitAutoregression(seg, { maxLag: Math.min(lookback, 10) });
      expect(report.folds[k]?.arOrder).toBe(ar.order);
      const mu = seg.reduce((a, b) => a + b, 0) / seg.length;
      for (let i = 0; i < 40; i++) {
        const j = k * 40 + i;
        const s = nTrain + i; // window start: transformed rows s..s+lookback-1, forecast of price row s+lookback+1
        const last = prices[s + lookback] as number;
        expect(report.forecasts.lastPrice[j]).toBe(last);
        expect(report.forecasts.actual[j]).toBe(prices[s + lookback + 1]);
        expect(report.baselineForecasts.naive[j]).toBe(last);
        expect(report.baselineForecasts.mean[j]).toBeCloseTo(last * Math.exp(mu), 10);
        const arRet = ar.forecast(logRet.slice(s, s + lookback), 1)[0] as number;
        expect(report.baselineForecasts.ar[j]).toBeCloseTo(last * Math.exp(arRet), 9);
      }
    }
    const rmse = (p: Float64Array): number => Math.sqrt(report.forecasts.actual.reduce((a, v, i) => a + (v - (p[i] as number)) ** 2, 0) / p.length);
    expect(report.naive.rmse).toBeCloseTo(rmse(report.baselineForecasts.naive), 12);
    expect(report.ar.rmse).toBeCloseTo(rmse(report.baselineForecasts.ar), 12);
    const best = (['naive', 'mean', 'ar'] as const).reduce((b, x) => (report[x].rmse < report[b].rmse ? x : b), 'naive' as 'naive' | 'mean' | 'ar');
    expect(report.best).toBe(best);
    expect(report.skill).toBeCloseTo(1 - report.model.rmse / report[best].rmse, 12);
    expect(report.rmseSkill).toBe(report.skills.naive);
    const err = (p: Float64Array): number[] => Array.from(report.forecasts.actual, (a, i) => a - (p[i] as number));
    if (report.dm.statistic !== 0) {
      const dm = dieboldMariano(err(report.forecasts.predicted), err(report.baselineForecasts[best]));
      expect(report.dm.statistic).toBeCloseTo(dm.statistic, 10);
      expect(report.dm.pValue).toBeCloseTo(dm.pValue, 10);
    }
    // A random walk: the network fails the selection test on held-out windows; the forecasts are the AR's.
    expect(report.folds.every((f) => f.blend === 0)).toBe(true);
    expect(Array.from(report.forecasts.predicted)).toEqual(Array.from(report.baselineForecasts.ar));
    expect(report.skills.ar).toBe(0);
    expect(report.dm).toMatchObject({ statistic: report.best === 'ar' ? 0 : report.dm.statistic });
    const table = forecastReportTable(report);
    for (const s of ['forecaster', 'naive (last value)', 'drift (mean change)', 'AR(p), p by AIC', 'Diebold–Mariano', 'per fold:']) expect(table).toContain(s);
    expect(table.split('\n').filter((l) => /^[12] {5}/.test(l))).toHaveLength(2);
  });

  it('directional accuracy excludes zero moves and reports the share of up calls', async () => {
    // Prices on a grid of 0.5 with many unchanged days; level target so that forecasts are levels.
    const rng = createRng(3);
    const prices = [50];
    for (let t = 1; t < 200; t++) prices.push((prices[t - 1] as number) + 0.5 * Math.round(rng.normal()));
    const report = await walkForwardEvaluate(forecaster({ ...mlp, lookback: 4, target: 'diff' }), prices, { nSplits: 1, testSize: 60 });
    const f = report.forecasts;
    let moves = 0;
    let hits = 0;
    let ups = 0;
    let upMoves = 0;
    for (let i = 0; i < f.actual.length; i++) {
      const move = Math.sign((f.actual[i] as number) - (f.lastPrice[i] as number));
      if (move === 0) continue;
      moves++;
      const call = (f.predicted[i] as number) < (f.lastPrice[i] as number) ? -1 : 1;
      if (call === 1) ups++;
      if (call === move) hits++;
      if (move === 1) upMoves++;
    }
    expect(moves).toBeLessThan(60);
    expect(report.model.nMoves).toBe(moves);
    expect(report.model.directionalAccuracy).toBeCloseTo(hits / moves, 12);
    expect(report.model.upShare).toBeCloseTo(ups / moves, 12);
    expect(report.naive.directionalAccuracy).toBeCloseTo(upMoves / moves, 12);
    expect(report.naive.upShare).toBe(1);
  });

  it('the network earns a weight where the AR cannot see the structure, and then beats it (DM test)', async () => {
    const level = nonlinearLevel(1400, 9);
    const spec = forecaster({ lookback: 4, target: 'diff', model: { type: 'fnn', hidden: [32] }, train: { epochs: 30, batchSize: 64, learningRate: 0.01, earlyStopping: { patience: 4, restoreBestWeights: true } }, seed: 1 });
    const report = await walkForwardEvaluate(spec, level, { nSplits: 2, testSize: 200 });
    expect(report.folds.every((f) => f.blend > 0.5)).toBe(true);
    expect(report.skills.ar).toBeGreaterThan(0.1);
    expect(report.best).toBe(report.ar.rmse <= Math.min(report.naive.rmse, report.mean.rmse) ? 'ar' : report.best);
    expect(report.dm.statistic).toBeLessThan(0);
    expect(report.dm.pValue).toBeLessThan(0.01);
  });

  it('multivariate inputs: the network picks up a lead-lag relation the univariate AR cannot see', async () => {
    // The target's change follows the other column's previous change: d_t = 0.7 z_{t-1} + 0.5 e_t.
    const rng = createRng(21);
    const rows: number[][] = [[0, 0]];
    let zPrev = 0;
    for (let t = 1; t < 1200; t++) {
      const z = rng.normal();
      const p = rows[t - 1] as number[];
      rows.push([(p[0] as number) + 0.7 * zPrev + 0.5 * rng.normal(), (p[1] as number) + z]);
      zPrev = z;
    }
    const spec = forecaster({ lookback: 3, target: 'diff', model: { type: 'fnn', hidden: [8] }, train: { epochs: 30, batchSize: 64, learningRate: 0.01, earlyStopping: { patience: 4, restoreBestWeights: true } }, seed: 3 });
    const report = await walkForwardEvaluate(spec, rows, { nSplits: 2, testSize: 150 });
    expect(report.folds.every((f) => f.blend > 0.5)).toBe(true);
    expect(report.skills.ar).toBeGreaterThan(0.2);
    expect(report.model.directionalAccuracy).toBeGreaterThan(report.ar.directionalAccuracy + 0.1);
  });

  it('leak-free: prices after a fold change neither the model of the fold nor its baselines', async () => {
    const prices = randomWalk(240, 8);
    const spec = forecaster({ ...mlp, lookback: 5, validationFraction: 0, seed: 4 });
    const a = await walkForwardEvaluate(spec, prices, { nSplits: 2, testSize: 40 });
    const cut = a.folds[0]?.testTo ?? 0;
    const b = await walkForwardEvaluate(spec, prices.map((v, t) => (t > cut ? v * (1 + 0.2 * Math.sin(t)) : v)), { nSplits: 2, testSize: 40 });
    for (const key of ['naive', 'mean', 'ar'] as const) expect(Array.from(b.baselineForecasts[key].subarray(0, 40))).toEqual(Array.from(a.baselineForecasts[key].subarray(0, 40)));
    expect(Array.from(b.forecasts.predicted.subarray(0, 40))).toEqual(Array.from(a.forecasts.predicted.subarray(0, 40)));
    expect(Array.from(b.baselineForecasts.ar.subarray(40))).not.toEqual(Array.from(a.baselineForecasts.ar.subarray(40)));
  });

  it('reports progress per fold and epoch with elapsed time and ETA; leaks no tensors', async () => {
    const prices = randomWalk(200, 2);
    const seen: WalkForwardProgress[] = [];
    const spec = forecaster({ ...mlp, lookback: 5, train: { epochs: 4, batchSize: 32 } });
    const report = await walkForwardEvaluate(spec, prices, { nSplits: 3, testSize: 30, onProgress: (p) => void seen.push(p) });
    expect(seen).toHaveLength(report.folds.reduce((a, f) => a + f.epochs, 0));
    expect(seen.map((p) => p.fold)).toEqual(report.folds.flatMap((f) => new Array<number>(f.epochs).fill(f.fold)));
    expect(seen.every((p) => p.folds === 3 && p.epochs === 4 && p.epoch >= 1 && p.epoch <= 4 && Number.isFinite(p.loss))).toBe(true);
    for (let i = 1; i < seen.length; i++) expect((seen[i] as WalkForwardProgress).elapsedMs).toBeGreaterThanOrEqual((seen[i - 1] as WalkForwardProgress).elapsedMs);
    expect(seen.every((p) => p.etaMs >= 0 && Number.isFinite(p.etaMs))).toBe(true);
    expect(seen[seen.length - 1]?.etaMs).toBe(0);
    expect(report.elapsedMs).toBeGreaterThanOrEqual(seen[seen.length - 1]?.elapsedMs ?? 0);
    await expectNoLeak(() => walkForwardEvaluate(spec, prices, { nSplits: 1, testSize: 30 }));
  });
});

describe('forecaster targets and inputs', () => {
  it("'diff' models a rate that crosses zero; 'logReturn' on it is a typed error naming the row", async () => {
    const rng = createRng(6);
    const rate = [0.5];
    for (let t = 1; t < 160; t++) rate.push(0.9 * (rate[t - 1] as number) + 0.2 * rng.normal());
    expect(rate.some((v) => v <= 0)).toBe(true);
    const f = await forecaster({ ...mlp, lookback: 5, target: 'diff' }).fit(rate);
    const fc = f.predict(rate);
    expect(fc.lastPrice).toBe(rate[159]);
    expect(fc.prices[0]).toBeCloseTo((rate[159] as number) + (fc.returns[0] as number), 12);
    expect(Number.isFinite(fc.prices[0])).toBe(true);
    f.dispose();
    const bad = rate.findIndex((v) => v <= 0);
    await expect(forecaster({ ...mlp, lookback: 5 }).fit(rate)).rejects.toThrow(DataError);
    await expect(forecaster({ ...mlp, lookback: 5 }).fit(rate)).rejects.toThrow(new RegExp(`strictly positive values in column 0 \\(transform 'logReturn'; use 'diff' or 'level'.*at row ${bad}`));
    await expect(walkForwardEvaluate(forecaster({ ...mlp, lookback: 5, target: 'return' }), rate)).rejects.toThrow(/strictly positive/);
  });

  it("'level' and 'return' targets: forecasts on the level scale; AR on the transform", async () => {
    const prices = randomWalk(150, 11);
    for (const target of ['level', 'return'] as const) {
      const f = await forecaster({ ...mlp, lookback: 4, target }).fit(prices);
      const fc = f.predict(prices);
      const expected = target === 'level' ? (fc.returns[0] as number) : (prices[149] as number) * (1 + (fc.returns[0] as number));
      expect(fc.prices[0]).toBeCloseTo(expected, 10);
      f.dispose();
    }
  });

  it('multivariate inputs with one target column and per-column transforms; mismatches are typed errors', async () => {
    const rng = createRng(12);
    const rows: number[][] = [[1.5, 100, -0.2]];
    for (let t = 1; t < 150; t++) {
      const p = rows[t - 1] as number[];
      rows.push([(p[0] as number) + 0.1 * rng.normal(), (p[1] as number) * Math.exp(0.01 * rng.normal()), 0.5 * (p[2] as number) + rng.normal()]);
    }
    const spec = forecaster({ ...mlp, lookback: 4, target: 'diff', targetColumn: 0, inputTransforms: ['diff', 'logReturn', 'level'] });
    const f = await spec.fit(rows);
    expect(f.state.nSeries).toBe(3);
    expect(f.network.inputShape).toEqual([4, 3]);
    const back = await forecasterFromJSON(JSON.parse(JSON.stringify(f.toJSON())));
    expect(back.predict(rows)).toEqual(f.predict(rows));
    back.dispose();
    f.dispose();
    await expect(spec.fit(rows.map((r) => r.slice(0, 2)))).rejects.toThrow(ShapeError);
    expect(() => forecaster({ target: 'diff', inputTransforms: ['logReturn', 'diff'] })).toThrow(/'inputTransforms' option of forecaster must be 'diff' \(the target\) at targetColumn 0/);
    expect(() => forecaster({ lookback: 5, arMaxLag: 6 })).toThrow(InvalidOptionError);
    expect(() => forecaster({ train: { validationSplit: 0.1 } })).toThrow(/validationFraction/);
    await expect(forecaster({ ...mlp, lookback: 4 }).fit(randomWalk(60, 1), { validationData: { x: [[1]], y: [1] } })).rejects.toThrow(InvalidOptionError);
  });

  it('loads version-1 envelopes (network-only forecaster) and predicts exactly as they did', async () => {
    const prices = randomWalk(120, 13).map((p, t) => [p, 50 + t * 0.1]);
    const f = await forecaster({ ...mlp, lookback: 5, validationFraction: 0 }).fit(prices);
    const v2 = JSON.parse(JSON.stringify(f.toJSON())) as { params: Record<string, unknown>; state: Record<string, unknown> };
    const v1 = {
      kind: 'Forecaster',
      version: 1,
      params: { lookback: 5, horizon: 1, target: 0, transform: 'logReturns', model: v2.params.model, train: { ...(v2.params.train as object), validationSplit: 0.15 }, seed: 2 },
      state: { mean: v2.state.mean, std: v2.state.std, nSeries: 2, network: v2.state.network },
    };
    const old = await forecasterFromJSON(v1);
    expect(old.params).toMatchObject({ targetColumn: 0, target: 'logReturn' });
    expect(old.state).toMatchObject({ blend: 1, ar: { order: 0, intercept: 0 } });
    // v1 prediction: last price · exp(network output · std + mean) on the standardized log-return window.
    const lr = prices.slice(-6).map((r, i, a) => (i === 0 ? [0, 0] : r.map((v, j) => Math.log(v / ((a[i - 1] as number[])[j] as number)))));
    const mean = v2.state.mean as number[];
    const std = v2.state.std as number[];
    const x = tf.tensor3d([lr.slice(1).map((r) => r.map((v, j) => (v - (mean[j] as number)) / (std[j] as number)))]);
    const z = (old.network.predict(x) as tf.Tensor).dataSync()[0] as number;
    x.dispose();
    expect(old.predict(prices).prices[0]).toBeCloseTo(((prices[119] as number[])[0] as number) * Math.exp(z * (std[0] as number) + (mean[0] as number)), 4);
    old.dispose();
    f.dispose();
  });

  it('malformed version-2 state is a SerializationError; an aborted fit rejects and leaks nothing', async () => {
    const prices = randomWalk(100, 14);
    const f = await forecaster({ ...mlp, lookback: 4 }).fit(prices);
    const good = JSON.parse(JSON.stringify(f.toJSON())) as { state: Record<string, unknown> };
    f.dispose();
    const bad = (patch: Record<string, unknown>): unknown => ({ ...good, state: { ...good.state, ...patch } });
    for (const patch of [{ blend: 1.5 }, { ar: { order: 5, intercept: 0, coefficients: [1, 2, 3, 4, 5] } }, { ar: { order: 1, intercept: 0, coefficients: [] } }, { residualStd: [] }, { validation: null }]) {
      await expect(forecasterFromJSON(bad(patch))).rejects.toThrow(SerializationError);
    }
    await expectNoLeak(() => forecasterFromJSON(bad({ ar: null })).catch(() => undefined));
    const ctrl = new AbortController();
    ctrl.abort();
    await expect(forecaster({ ...mlp, lookback: 4 }).fit(prices, { signal: ctrl.signal })).rejects.toThrow(TrainingError);
    await expectNoLeak(() => forecaster({ ...mlp, lookback: 4 }).fit(prices, { signal: ctrl.signal }).catch(() => undefined));
  });
});

