import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { DataError, InvalidOptionError, ShapeError } from '../../src/core/errors';
import { createRng } from '../../src/core/random';
import { maxDrawdown, sharpeRatio, sortinoRatio, strategyReturns, tradingSummary } from '../../src/metrics/index';
import { expectClose, expectNoLeak } from '../helpers/leak';

describe('maxDrawdown', () => {
  const equity = [100, 110, 99, 120, 60, 90, 130];
  it('of a known equity path', () => {
    expect(maxDrawdown(equity, { input: 'equity' })).toEqual({ depth: 0.5, peakIndex: 3, troughIndex: 4, recoveryIndex: 6 });
  });
  it('from returns: same path compounded from 1, indices on the n + 1 point curve', () => {
    const r = equity.slice(1).map((v, i) => v / (equity[i] as number) - 1);
    const d = maxDrawdown(r);
    expectClose([d.depth], [0.5], 1e-12);
    expect([d.peakIndex, d.troughIndex, d.recoveryIndex]).toEqual([3, 4, 6]);
  });
  it('no drawdown, total loss, and no recovery', () => {
    expect(maxDrawdown([0.01, 0.02, 0])).toEqual({ depth: 0, peakIndex: 0, troughIndex: 0, recoveryIndex: null });
    expect(maxDrawdown([0.1, -1, 0]).depth).toBe(1);
    const d = maxDrawdown([-0.2, 0.1]);
    expectClose([d.depth], [0.2], 1e-15);
    expect([d.peakIndex, d.troughIndex, d.recoveryIndex]).toEqual([0, 1, null]);
  });
  it('equals the brute-force max over all peak/trough pairs', () => {
    const rng = createRng(4);
    const r = Array.from({ length: 120 }, () => 0.02 * rng.normal());
    const eq = [1];
    for (const x of r) eq.push((eq.at(-1) as number) * (1 + x));
    let best = 0;
    for (let i = 0; i < eq.length; i++) for (let j = i + 1; j < eq.length; j++) best = Math.max(best, 1 - (eq[j] as number) / (eq[i] as number));
    expectClose([maxDrawdown(r).depth], [best], 1e-12);
  });
  it('validates values', () => {
    expect(() => maxDrawdown([0.1, -1.5])).toThrow(/simple returns >= -1/);
    expect(() => maxDrawdown([100, 0, 50], { input: 'equity' })).toThrow(DataError);
    expect(() => maxDrawdown([0.1], { input: 'prices' as 'equity' })).toThrow(InvalidOptionError);
    expect(() => maxDrawdown([])).toThrow(DataError);
  });
});

describe('sharpeRatio and sortinoRatio', () => {
  // constant c plus alternating noise ±s, n even: mean c, sample sd s·sqrt(n/(n-1)), population sd s
  const n = 40;
  const c = 0.001;
  const s = 0.01;
  const r = Array.from({ length: n }, (_, i) => c + (i % 2 === 0 ? s : -s));
  it('Sharpe of constant plus noise (closed form)', () => {
    expectClose([sharpeRatio(r)], [(c / (s * Math.sqrt(n / (n - 1)))) * Math.sqrt(252)], 1e-12);
    expectClose([sharpeRatio(r, { ddof: 0, periodsPerYear: 12 })], [(c / s) * Math.sqrt(12)], 1e-12);
    expectClose([sharpeRatio(r, { riskFree: c })], [0], 1e-12);
    expectClose([sharpeRatio(r, { riskFree: 0.0005 })], [sharpeRatio(r.map((x) => x - 0.0005))], 1e-12);
  });
  it('Sharpe computed independently on seeded noise', () => {
    const rng = createRng(9);
    const x = Array.from({ length: 250 }, () => 0.0004 + 0.01 * rng.normal());
    const m = x.reduce((a, b) => a + b, 0) / x.length;
    const sd = Math.sqrt(x.reduce((a, b) => a + (b - m) ** 2, 0) / (x.length - 1));
    expectClose([sharpeRatio(x)], [(m / sd) * Math.sqrt(252)], 1e-12);
  });
  it('Sortino of constant plus noise (closed form): downside deviation (s - c)/sqrt(2)', () => {
    expectClose([sortinoRatio(r)], [(c / ((s - c) / Math.SQRT2)) * Math.sqrt(252)], 1e-12);
    expectClose([sortinoRatio(r, { ddof: 1, periodsPerYear: 1 })], [c / Math.sqrt(((n / 2) * (s - c) ** 2) / (n - 1))], 1e-12);
  });
  it('undefined ratios are DataErrors; options are validated', () => {
    expect(() => sharpeRatio([0.01, 0.01, 0.01])).toThrow(/non-zero volatility/);
    expect(() => sortinoRatio([0.01, 0.02])).toThrow(/below riskFree/);
    expect(() => sharpeRatio([0.01])).toThrow(DataError); // ddof 1 needs 2 values
    expect(() => sharpeRatio(r, { periodsPerYear: 0 })).toThrow(InvalidOptionError);
    expect(() => sortinoRatio(r, { ddof: -1 })).toThrow(InvalidOptionError);
    expect(() => sharpeRatio([0.01, Number.NaN])).toThrow(DataError);
  });
  it('constant returns whose float mean is off by an ulp still have zero volatility (no ~1e16 Sharpe)', () => {
    // (0.1 + 0.1 + 0.1) / 3 = 0.10000000000000002: a naive deviation is ~1e-17, not 0.
    expect(() => sharpeRatio([0.1, 0.1, 0.1])).toThrow(/non-zero volatility/);
    expect(() => sharpeRatio([0.1, 0.1, 0.1], { riskFree: 0.03 })).toThrow(DataError);
    const t = tradingSummary([1, 1, 1], [0.1, 0.1, 0.1]);
    expect(Number.isNaN(t.sharpe)).toBe(true);
    expect(t.annualizedVolatility).toBe(0);
  });
});

describe('strategyReturns', () => {
  const pred = [0.2, -0.1, 0, 0.3, 0.3];
  const real = [0.01, -0.02, 0.05, 0.03, -0.01];
  it('long/short positions from the sign of predictions, costs on turnover', () => {
    const s = strategyReturns(pred, real, { costBps: 10 });
    expect(s.positions).toEqual([1, -1, 0, 1, 1]);
    expect(s.turnover).toBe(1 + 2 + 1 + 1 + 0);
    expectClose(s.costs, [0.001, 0.002, 0.001, 0.001, 0], 1e-15);
    expectClose(s.returns, [0.01 - 0.001, 0.02 - 0.002, -0.001, 0.03 - 0.001, -0.01], 1e-15);
  });
  it('long-only, short-only, thresholds and a no-trade band', () => {
    expect(strategyReturns(pred, real, { short: false }).positions).toEqual([1, 0, 0, 1, 1]);
    expect(strategyReturns(pred, real, { long: false }).positions).toEqual([0, -1, 0, 0, 0]);
    expect(strategyReturns(pred, real, { threshold: 0.25 }).positions).toEqual([-1, -1, -1, 1, 1]);
    expect(strategyReturns(pred, real, { threshold: 0.25, shortThreshold: -0.05 }).positions).toEqual([0, -1, 0, 1, 1]);
    // probabilities of an up move
    expect(strategyReturns([0.7, 0.3, 0.5], [0.01, 0.01, 0.01], { threshold: 0.5 }).positions).toEqual([1, -1, 0]);
  });
  it('signals in {-1, 0, 1} and inputs untouched', () => {
    const sig = [1, 0, -1];
    const copy = [...sig];
    expect(strategyReturns(sig, [0.01, 0.02, 0.03]).returns).toEqual([0.01, 0, -0.03]);
    expect(sig).toEqual(copy);
  });
  it('validates', () => {
    expect(() => strategyReturns([1, 2], [0.1])).toThrow(ShapeError);
    expect(() => strategyReturns([1], [0.1], { long: false, short: false })).toThrow(InvalidOptionError);
    expect(() => strategyReturns([1], [0.1], { threshold: 0, shortThreshold: 0.1 })).toThrow(InvalidOptionError);
    expect(() => strategyReturns([1], [0.1], { costBps: -1 })).toThrow(InvalidOptionError);
    expect(() => strategyReturns([Number.NaN], [0.1])).toThrow(DataError);
  });
});

describe('tradingSummary', () => {
  it('combines the strategy returns with the individual metrics', () => {
    const rng = createRng(21);
    const real = Array.from({ length: 60 }, () => 0.01 * rng.normal());
    const pred = real.map((x) => x + 0.01 * rng.normal()); // informative but noisy
    const opts = { costBps: 5, periodsPerYear: 52 } as const;
    const t = tradingSummary(pred, real, opts);
    const s = strategyReturns(pred, real, { costBps: 5 });
    expect(t.returns).toEqual(s.returns);
    expect(t.positions).toEqual(s.positions);
    expect(t.turnover).toBe(s.turnover);
    expect(t.nPeriods).toBe(60);
    const total = s.returns.reduce((a, r) => a * (1 + r), 1) - 1;
    expectClose([t.totalReturn], [total], 1e-12);
    expectClose([t.annualizedReturn], [(1 + total) ** (52 / 60) - 1], 1e-12);
    expectClose([t.sharpe], [sharpeRatio(s.returns, { periodsPerYear: 52 })], 1e-12);
    expectClose([t.sortino], [sortinoRatio(s.returns, { periodsPerYear: 52 })], 1e-12);
    expectClose([t.maxDrawdown], [maxDrawdown(s.returns).depth], 1e-12);
    const m = s.returns.reduce((a, b) => a + b, 0) / 60;
    expectClose([t.annualizedVolatility], [Math.sqrt(s.returns.reduce((a, b) => a + (b - m) ** 2, 0) / 59) * Math.sqrt(52)], 1e-12);
    const inMarket = s.positions.filter((p) => p !== 0).length;
    expect(t.exposure).toBe(inMarket / 60);
    expect(t.hitRate).toBe(s.positions.filter((p, i) => p * (real[i] as number) > 0).length / inMarket);
  });
  it('a strategy that never trades has NaN ratios, not an error', () => {
    const t = tradingSummary([0, 0, 0], [0.01, -0.01, 0.02]);
    expect(t.totalReturn).toBe(0);
    expect(t.exposure).toBe(0);
    expect(Number.isNaN(t.sharpe) && Number.isNaN(t.sortino) && Number.isNaN(t.hitRate)).toBe(true);
    expect(t.maxDrawdown).toBe(0);
  });
  it('validates options', () => {
    expect(() => tradingSummary([1], [0.1], { periodsPerYear: -1 })).toThrow(InvalidOptionError);
    expect(() => tradingSummary([1], [0.1], { foo: 1 } as unknown as { costBps: number })).toThrow(InvalidOptionError);
  });
});

describe('tensor inputs', () => {
  it('give the same results and leak nothing', async () => {
    const p = tf.tensor1d([0.2, -0.1, 0.3, 0.1]);
    const r = tf.tensor1d([0.01, -0.02, 0.03, -0.01]);
    try {
      expect(strategyReturns(p, r).positions).toEqual([1, -1, 1, 1]);
      expect(sharpeRatio(r)).toBeCloseTo(sharpeRatio([0.01, -0.02, 0.03, -0.01]), 6);
      await expectNoLeak(() => {
        sharpeRatio(r);
        sortinoRatio(r);
        maxDrawdown(r);
        strategyReturns(p, r);
        tradingSummary(p, r);
      });
      expect(p.isDisposed || r.isDisposed).toBe(false);
    } finally {
      tf.dispose([p, r]);
    }
  });
});
