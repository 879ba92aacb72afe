import { describe, expect, it } from 'vitest';
import * as m from '../../src/metrics/index';
import { expectClose } from '../helpers/leak';

// The @example blocks of src/metrics/*, run as written (their //=> results asserted).
describe('TSDoc examples of src/metrics', () => {
  it('classification', () => {
    expect(m.accuracy([0, 1, 1, 0], [0.2, 0.7, 0.4, 0.1])).toBe(0.75);
    expect(m.accuracy([0, 2, 1], [0, 2, 2], { threshold: null })).toBe(0.6666666666666666);
    expect(m.precision([0, 1, 1, 0], [0.6, 0.7, 0.4, 0.1])).toBe(0.5);
    expect(m.recall([0, 1, 1, 0], [0.6, 0.7, 0.4, 0.1])).toBe(0.5);
    expect(m.f1([0, 1, 1, 0], [0.6, 0.7, 0.4, 0.1])).toBe(0.5);
    expect(m.matthewsCorrcoef([0, 1, 1, 0], [0.1, 0.9, 0.8, 0.3])).toBe(1);
    expect(m.confusionMatrix([0, 1, 1, 0], [0.2, 0.9, 0.3, 0.6])).toEqual([[1, 1], [1, 1]]);
    expect(m.confusionMatrix([0, 2, 1, 2], [0, 2, 2, 1], { labels: [0, 1, 2] })).toEqual([[1, 0, 0], [0, 0, 1], [0, 1, 1]]);
    expectClose([m.logLoss([1, 0], [0.8, 0.4])], [-(Math.log(0.8) + Math.log(0.6)) / 2], 1e-15);
    expectClose([m.brierScore([1, 0], [0.8, 0.4])], [0.1], 1e-15);
    expect(m.rocCurve([0, 0, 1, 1], [0.1, 0.4, 0.35, 0.8])).toEqual({
      fpr: [0, 0, 0.5, 0.5, 1],
      tpr: [0, 0.5, 0.5, 1, 1],
      thresholds: [Number.POSITIVE_INFINITY, 0.8, 0.4, 0.35, 0.1],
    });
    expect(m.rocAuc([0, 0, 1, 1], [0.1, 0.4, 0.35, 0.8])).toBe(0.75);
    expect(m.rocAuc([0, 1], [0.5, 0.5])).toBe(0.5);
    const pr = m.precisionRecallCurve([0, 0, 1, 1], [0.1, 0.4, 0.35, 0.8]);
    expectClose(pr.precision, [0.5, 2 / 3, 0.5, 1, 1], 1e-15);
    expect(pr.recall).toEqual([1, 1, 0.5, 0.5, 0]);
    expect(pr.thresholds).toEqual([0.1, 0.35, 0.4, 0.8]);
    expect(m.averagePrecision([0, 0, 1, 1], [0.1, 0.4, 0.35, 0.8])).toBe(0.8333333333333333);
    expect(m.prAuc([0, 0, 1, 1], [0.1, 0.4, 0.35, 0.8])).toBe(0.7916666666666666);
    expect(m.calibrationCurve([0, 0, 1, 1], [0.1, 0.3, 0.7, 0.9], { nBins: 2 })).toEqual({
      probTrue: [0, 1],
      probPred: [0.2, 0.8],
      counts: [2, 2],
      binEdges: [0, 0.5, 1],
    });
  });
  it('credit', () => {
    expect(m.ksStatistic([0, 0, 1, 1], [0.1, 0.4, 0.35, 0.8])).toEqual({ statistic: 0.5, threshold: 0.8, tpr: 0.5, fpr: 0 });
    expect(m.gini([0, 0, 1, 1], [0.1, 0.4, 0.35, 0.8])).toBe(0.5);
    const t = m.psiTable([1, 2, 3, 4], [3, 4, 4, 4], { edges: [2.5] });
    expect(t.bins.map((b) => b.actualShare)).toEqual([0.0001, 1]);
    expectClose([t.psi], [(1e-4 - 0.5) * Math.log(1e-4 / 0.5) + 0.5 * Math.log(2)], 1e-15);
    expect(m.psi([1, 2, 3, 4], [1, 2, 3, 4])).toBe(0);
  });
  it('regression and forecasting', () => {
    expect(m.mse([3, -0.5, 2, 7], [2.5, 0, 2, 8])).toBe(0.375);
    expect(m.rmse([0, 0], [3, 4])).toBe(3.5355339059327378);
    expect(m.mae([3, -0.5, 2, 7], [2.5, 0, 2, 8])).toBe(0.5);
    expectClose([m.mape([100, 200], [110, 190])], [0.075], 1e-15);
    expect(m.r2([3, -0.5, 2, 7], [2.5, 0, 2, 8])).toBe(0.9486081370449679);
    expect(m.directionalAccuracy([0.01, -0.02, 0.005], [0.002, 0.001, 0.003])).toBe(0.6666666666666666);
    expect(m.directionalAccuracy([100, 101, 99, 100], [100, 100.5, 101, 100.2], { mode: 'levels' })).toBe(0.6666666666666666);
  });
  it('trading', () => {
    expectClose([m.sharpeRatio([0.01, -0.005, 0.002, 0.007], { periodsPerYear: 12 })], [1.8489469032838097], 1e-12);
    expectClose([m.sortinoRatio([0.02, -0.01, 0.03, -0.02], { periodsPerYear: 1 })], [0.005 / Math.sqrt(0.0005 / 4)], 1e-12);
    expect(m.maxDrawdown([100, 120, 90, 130], { input: 'equity' })).toEqual({ depth: 0.25, peakIndex: 1, troughIndex: 2, recoveryIndex: 3 });
    expect(m.maxDrawdown([0.1, -0.5, 0.2]).depth).toBe(0.5);
    expectClose(m.strategyReturns([0.2, -0.1, 0.3], [0.01, -0.02, 0.03], { costBps: 10 }).returns, [0.009, 0.018, 0.028], 1e-15);
    const s = m.tradingSummary([1, 1, -1, 1], [0.01, -0.02, -0.01, 0.03], { periodsPerYear: 4 });
    expectClose([s.totalReturn], [1.01 * 0.98 * 1.01 * 1.03 - 1], 1e-15);
    expectClose([s.maxDrawdown], [0.02], 1e-15);
    expect(s.hitRate).toBe(0.75);
  });
});
