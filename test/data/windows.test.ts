import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { readFileSync } from 'node:fs';
import { DataError, InvalidOptionError } from '../../src/core/errors';
import { parseCsv } from '../../src/data/parseCsv';
import { logReturns, returns } from '../../src/data/returns';
import { slidingWindows, windowsToTensors } from '../../src/data/slidingWindows';
import { tableToMatrix } from '../../src/data/tableToMatrix';
import { expectClose, expectNoLeak } from '../helpers/leak';

describe('slidingWindows', () => {
  it('property: count = floor((n - lookback - horizon)/stride) + 1 and windows match brute force', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 2, max: 60 }),
        fc.integer({ min: 1, max: 3 }),
        fc.integer({ min: 1, max: 8 }),
        fc.integer({ min: 1, max: 4 }),
        fc.integer({ min: 1, max: 5 }),
        (n, f, lookback, horizon, stride) => {
          const series = Array.from({ length: n }, (_, i) => Array.from({ length: f }, (_, j) => i * 10 + j));
          if (n < lookback + horizon) {
            expect(() => slidingWindows(series, { lookback, horizon, stride })).toThrow(DataError);
            return;
          }
          const targets = [f - 1];
          const w = slidingWindows(series, { lookback, horizon, stride, targetColumns: targets });
          const count = Math.floor((n - lookback - horizon) / stride) + 1;
          expect(w.count).toBe(count);
          expect(w.xShape).toEqual([count, lookback, f]);
          expect(w.yShape).toEqual([count, horizon]);
          for (let i = 0; i < count; i++) {
            const s = i * stride;
            for (let l = 0; l < lookback; l++) for (let j = 0; j < f; j++) expect(w.x[(i * lookback + l) * f + j]).toBe((s + l) * 10 + j);
            for (let h = 0; h < horizon; h++) expect(w.y[i * horizon + h]).toBe((s + lookback + h) * 10 + f - 1);
          }
          // the last target row is inside the series; one more stride would not fit
          expect((count - 1) * stride + lookback + horizon).toBeLessThanOrEqual(n);
          expect(count * stride + lookback + horizon).toBeGreaterThan(n);
        },
      ),
      { numRuns: 120, seed: 3 },
    );
  });

  it('1-D input, multi-target time-major layout, option errors', () => {
    const w = slidingWindows([1, 2, 3, 4, 5], { lookback: 2 });
    expect([w.count, Array.from(w.x), Array.from(w.y)]).toEqual([3, [1, 2, 2, 3, 3, 4], [3, 4, 5]]);
    const v = slidingWindows([[1, 10], [2, 20], [3, 30], [4, 40]], { lookback: 1, horizon: 2 });
    expect(Array.from(v.y.subarray(0, 4))).toEqual([2, 20, 3, 30]);
    expect(() => slidingWindows([[1, 2]], { targetColumns: [2], lookback: 1 })).toThrow(InvalidOptionError);
    expect(() => slidingWindows([1, Number.NaN, 3], { lookback: 1 })).toThrow(DataError);
    expect(() => slidingWindows([1, 2], { lookback: 0 })).toThrow(InvalidOptionError);
  });

  it('windowsToTensors has the right shapes and leaks nothing; tensor input is not disposed', async () => {
    const s = tf.tensor2d([[1, 2], [3, 4], [5, 6], [7, 8]]);
    await expectNoLeak(() => {
      const t = windowsToTensors(slidingWindows(s, { lookback: 2, horizon: 1 }));
      expect(t.x.shape).toEqual([2, 2, 2]);
      expect(t.y.shape).toEqual([2, 2]);
      tf.dispose([t.x, t.y]);
    });
    expect(s.isDisposed).toBe(false);
    s.dispose();
  });
});

describe('returns and logReturns', () => {
  it('simple and log returns per column on real index prices', () => {
    const t = parseCsv(readFileSync(new URL('../../data/eu_stock_markets.csv', import.meta.url), 'utf8'));
    const m = tableToMatrix(t, { columns: ['DAX', 'FTSE'] });
    const rows = Array.from({ length: 5 }, (_, i) => [m.data[i * 2] as number, m.data[i * 2 + 1] as number]);
    const r = returns(rows);
    const lr = logReturns(rows);
    expect(r.length).toBe(4);
    expectClose([r[0]?.[0] as number, r[0]?.[1] as number], [1613.63 / 1628.75 - 1, 2460.2 / 2443.6 - 1]);
    expectClose(lr.flat(), r.flat().map((x) => Math.log1p(x)), 1e-12);
    expectClose(returns([100, 110, 99]), [0.1, -0.1], 1e-12);
  });

  it('errors: non-positive prices for log, zero denominators, too short; tensors in -> tensors out without leaks', async () => {
    expect(() => logReturns([1, 0, 2])).toThrow(/positive prices/);
    expect(() => logReturns([[1, -1], [2, 2]])).toThrow(/row 0, column 1/);
    expect(() => returns([0, 1])).toThrow(DataError);
    expect(returns([1, 0])).toEqual([-1]);
    expect(() => returns([1])).toThrow(DataError);
    const p = tf.tensor2d([[1], [2], [4]]);
    await expectNoLeak(() => tf.dispose(logReturns(p)));
    const out = logReturns(p);
    expectClose(Array.from(out.dataSync()), [Math.log(2), Math.log(2)], 1e-6);
    tf.dispose([p, out]);
  });
});
