import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { DataError, InvalidOptionError, ShapeError } from '../../src/core/errors';
import { directionalAccuracy, mae, mape, mse, r2, rmse } from '../../src/metrics/index';
import fixture from '../fixtures/metrics.json';
import { expectNoLeak } from '../helpers/leak';

describe('regression metrics', () => {
  it('closed forms on a tiny case', () => {
    const t = [1, 2, 3, 4];
    const p = [2, 2, 2, 6];
    expect(mse(t, p)).toBe((1 + 0 + 1 + 4) / 4);
    expect(rmse(t, p)).toBe(Math.sqrt(1.5));
    expect(mae(t, p)).toBe(1);
    expect(mape(t, p)).toBeCloseTo((1 + 0 + 1 / 3 + 0.5) / 4, 15);
    expect(r2(t, p)).toBeCloseTo(1 - 6 / 5, 15);
  });
  it('r2 of a constant target follows sklearn force_finite', () => {
    expect(r2([2, 2, 2], [2, 2, 2])).toBe(1);
    expect(r2([2, 2, 2], [2, 2, 3])).toBe(0);
    expect(() => r2([1], [1])).toThrow(DataError);
  });
  it('mape: zero in yTrue is a DataError unless onZero is epsilon (sklearn)', () => {
    expect(() => mape([0, 1], [1, 1])).toThrow(/non-zero values/);
    expect(mape([0, 1], [1, 1], { onZero: 'epsilon' })).toBe(1 / Number.EPSILON / 2);
    expect(() => mape([1], [1], { onZero: 'skip' as 'error' })).toThrow(InvalidOptionError);
  });
  it('validates lengths and values; tensors are not leaked or disposed', async () => {
    expect(() => mse([1, 2], [1])).toThrow(ShapeError);
    expect(() => mae([1, Number.POSITIVE_INFINITY], [1, 2])).toThrow(DataError);
    expect(() => rmse([], [])).toThrow(DataError);
    const a = tf.tensor1d([3, -0.5, 2, 7]);
    const b = tf.tensor2d([2.5, 0, 2, 8], [4, 1]);
    try {
      expect(mse(a, b)).toBe(0.375);
      await expectNoLeak(() => [mse(a, b), rmse(a, b), mae(a, b), mape(a, b), r2(a, b), directionalAccuracy(a, b)]);
      expect(a.isDisposed || b.isDisposed).toBe(false);
    } finally {
      tf.dispose([a, b]);
    }
  });
});

describe('directionalAccuracy', () => {
  it('returns mode compares signs', () => {
    expect(directionalAccuracy([0.01, -0.02, 0.005, 0], [0.002, 0.001, 0.003, 0])).toBe(0.75);
    expect(directionalAccuracy([0.01, -0.02], [-0.1, 0.1])).toBe(0);
  });
  it('levels mode uses the previous realized price', () => {
    // changes: +1, -2, +1; predicted changes from previous realized: +0.5, 0, +1.2
    expect(directionalAccuracy([100, 101, 99, 100], [100, 100.5, 101, 100.2], { mode: 'levels' })).toBeCloseTo(2 / 3, 15);
    expect(() => directionalAccuracy([100], [100], { mode: 'levels' })).toThrow(DataError);
  });
  it('levels mode with explicit previous prices equals returns mode on the changes', () => {
    const prices = (fixture as unknown as { regression: { name: string; y_true: number[]; y_pred: number[] }[] }).regression[1]!;
    const prev = prices.y_pred; // previous realized price (naive forecast)
    const trend = prices.y_true.map((_, i) => (prev[i] as number) * 1.001); // predicts "up" every time
    const realizedChanges = prices.y_true.map((v, i) => v - (prev[i] as number));
    const up = realizedChanges.filter((d) => d > 0).length / realizedChanges.length;
    expect(directionalAccuracy(prices.y_true, trend, { mode: 'levels', previous: prev })).toBe(up);
    expect(directionalAccuracy(realizedChanges, trend.map((v, i) => v - (prev[i] as number)))).toBe(up);
    // The naive forecast predicts no change: it never gets a direction right.
    expect(directionalAccuracy(prices.y_true, prices.y_pred, { mode: 'levels', previous: prev })).toBe(0);
  });
  it('validates options', () => {
    expect(() => directionalAccuracy([1, 2], [1, 2], { previous: [1, 2] })).toThrow(InvalidOptionError);
    expect(() => directionalAccuracy([1, 2], [1, 2], { mode: 'levels', previous: [1] })).toThrow(ShapeError);
    expect(() => directionalAccuracy([1, 2], [1, 2], { mode: 'prices' as 'levels' })).toThrow(InvalidOptionError);
  });
});
