import * as tf from '@tensorflow/tfjs-core';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import fixture from '../fixtures/weightedMetrics.json';
import { DataError, InvalidOptionError, ShapeError } from '../../src/core/errors';
import { createRng } from '../../src/core/random';
import {
  accuracy,
  averagePrecision,
  brierScore,
  confusionMatrix,
  f1,
  logLoss,
  mae,
  mape,
  matthewsCorrcoef,
  mse,
  precision,
  precisionRecallCurve,
  r2,
  recall,
  rmse,
  rocAuc,
  rocCurve,
} from '../../src/metrics/index';
import { expectClose, expectNoLeak } from '../helpers/leak';

interface BinaryCase {
  y_true: number[];
  y_score: number[];
  sample_weight: number[];
  accuracy: number;
  precision: number;
  recall: number;
  f1: number;
  mcc: number;
  confusion_matrix: number[][];
  roc_auc: number;
  roc_curve: { fpr: number[]; tpr: number[]; thresholds_without_first: number[] };
  average_precision: number;
  pr_curve: { precision: number[]; recall: number[]; thresholds: number[] };
  log_loss: number;
  brier: number;
}
interface RegressionCase {
  y_true: number[];
  y_pred: number[];
  sample_weight: number[];
  mse: number;
  rmse: number;
  mae: number;
  mape: number;
  r2: number;
}
const data = fixture as unknown as { binary: BinaryCase[]; regression: RegressionCase[] };

/** Random 0/1 labels (both present) and scores rounded to 1 decimal (many ties). */
function tied(seed: number, n: number): { y: number[]; s: number[] } {
  const rng = createRng(seed);
  const y = Array.from({ length: n }, () => (rng.next() < 0.4 ? 1 : 0));
  y[0] = 1;
  y[1] = 0;
  const s = y.map((l) => Math.round(Math.min(1, 0.3 * l + 0.7 * rng.next()) * 10) / 10);
  return { y, s };
}

describe('sampleWeight: numpy re-implementation of the sklearn formulas (test/fixtures/weightedMetrics.py)', () => {
  it.each(data.binary.map((c, i) => [i, c] as const))('binary case %i', (_, c) => {
    const o = { sampleWeight: c.sample_weight };
    const t = c.y_true;
    const s = c.y_score;
    expectClose([accuracy(t, s, o)], [c.accuracy], 1e-12);
    expectClose([precision(t, s, o)], [c.precision], 1e-12);
    expectClose([recall(t, s, o)], [c.recall], 1e-12);
    expectClose([f1(t, s, o)], [c.f1], 1e-12);
    expectClose([matthewsCorrcoef(t, s, o)], [c.mcc], 1e-12);
    expectClose(confusionMatrix(t, s, o).flat(), c.confusion_matrix.flat(), 1e-12);
    expectClose([rocAuc(t, s, o)], [c.roc_auc], 1e-12);
    const roc = rocCurve(t, s, o);
    expectClose(roc.fpr, c.roc_curve.fpr, 1e-12);
    expectClose(roc.tpr, c.roc_curve.tpr, 1e-12);
    expect(roc.thresholds.slice(1)).toEqual(c.roc_curve.thresholds_without_first);
    expectClose([averagePrecision(t, s, o)], [c.average_precision], 1e-12);
    const pr = precisionRecallCurve(t, s, o);
    expectClose(pr.precision, c.pr_curve.precision, 1e-12);
    expectClose(pr.recall, c.pr_curve.recall, 1e-12);
    expect(pr.thresholds).toEqual(c.pr_curve.thresholds);
    expectClose([logLoss(t, s, o)], [c.log_loss], 1e-12);
    expectClose([brierScore(t, s, o)], [c.brier], 1e-12);
  });

  it.each(data.regression.map((c, i) => [i, c] as const))('regression case %i', (_, c) => {
    const o = { sampleWeight: c.sample_weight };
    expectClose([mse(c.y_true, c.y_pred, o)], [c.mse], 1e-12);
    expectClose([rmse(c.y_true, c.y_pred, o)], [c.rmse], 1e-12);
    expectClose([mae(c.y_true, c.y_pred, o)], [c.mae], 1e-12);
    expectClose([mape(c.y_true, c.y_pred, o)], [c.mape], 1e-12);
    expectClose([r2(c.y_true, c.y_pred, o)], [c.r2], 1e-12);
  });
});

describe('sampleWeight: hand-computed cases', () => {
  it('binary counts are weight sums', () => {
    // pred at 0.5: [1, 1, 0, 0]; TP idx1 (w2), FP idx0 (w3), FN idx2 (w4), TN idx3 (w1)
    const y = [0, 1, 1, 0];
    const s = [0.6, 0.7, 0.4, 0.1];
    const o = { sampleWeight: [3, 2, 4, 1] };
    expect(confusionMatrix(y, s, o)).toEqual([[1, 3], [4, 2]]);
    expect(precision(y, s, o)).toBe(2 / 5);
    expect(recall(y, s, o)).toBe(2 / 6);
    expect(f1(y, s, o)).toBe(4 / 11);
    expect(accuracy(y, s, o)).toBe(3 / 10);
    expect(matthewsCorrcoef(y, s, o)).toBeCloseTo((2 * 1 - 3 * 4) / Math.sqrt(5 * 6 * 4 * 5), 15);
  });
  it('multiclass confusion matrix and accuracy with labels', () => {
    const o = { threshold: null, sampleWeight: [0.5, 2, 1, 4] };
    expect(confusionMatrix([0, 2, 1, 2], [0, 2, 2, 1], { labels: [0, 1, 2], sampleWeight: o.sampleWeight })).toEqual([
      [0.5, 0, 0],
      [0, 0, 1],
      [0, 4, 2],
    ]);
    expect(accuracy([0, 2, 1, 2], [0, 2, 2, 1], o)).toBe(2.5 / 7.5);
  });
  it('a zero weight removes the sample and its threshold from the curves', () => {
    const y = [0, 1, 0, 1, 0];
    const s = [0.2, 0.9, 0.5, 0.4, 0.7];
    const w = [1, 1, 1, 1, 0];
    const c = rocCurve(y, s, { sampleWeight: w });
    const ref = rocCurve([0, 1, 0, 1], [0.2, 0.9, 0.5, 0.4]);
    expect(c).toEqual(ref);
    expect(precisionRecallCurve(y, s, { sampleWeight: w })).toEqual(precisionRecallCurve([0, 1, 0, 1], [0.2, 0.9, 0.5, 0.4]));
    expect(mse([1, 2, 3], [1, 2, 10], { sampleWeight: [1, 1, 0] })).toBe(0);
  });
  it('r2 uses the weighted mean; constant weighted target follows force_finite', () => {
    // weighted mean of [0, 4] with weights [3, 1] is 1; SS_tot = 3·1 + 1·9 = 12; SS_res = 3·1 + 1·1 = 4
    expect(r2([0, 4], [1, 3], { sampleWeight: [3, 1] })).toBe(1 - 4 / 12);
    expect(r2([2, 2, 5], [2, 2, 0], { sampleWeight: [1, 1, 0] })).toBe(1);
    expect(r2([2, 2, 5], [2, 3, 0], { sampleWeight: [1, 1, 0] })).toBe(0);
  });
});

describe('sampleWeight: brute force', () => {
  it('weighted rocAuc equals weighted pair counting (ties 1/2)', () => {
    for (const seed of [3, 4, 5]) {
      const { y, s } = tied(seed, 50);
      const rng = createRng(seed + 100);
      const w = y.map(() => (rng.next() < 0.2 ? 0 : rng.next() * 5));
      w[0] = 1;
      w[1] = 1;
      let num = 0;
      let den = 0;
      for (let i = 0; i < y.length; i++) {
        if (y[i] !== 1) continue;
        for (let j = 0; j < y.length; j++) {
          if (y[j] !== 0) continue;
          const pw = (w[i] as number) * (w[j] as number);
          den += pw;
          const si = s[i] as number;
          const sj = s[j] as number;
          num += si > sj ? pw : si === sj ? pw / 2 : 0;
        }
      }
      expectClose([rocAuc(y, s, { sampleWeight: w })], [num / den], 1e-12);
    }
  });
  it('weighted averagePrecision equals Σ over positives of w·precision-at-its-score / Σ w+', () => {
    const { y, s } = tied(9, 40);
    const rng = createRng(19);
    const w = y.map(() => 0.1 + rng.next() * 3);
    let num = 0;
    let wPos = 0;
    for (let i = 0; i < y.length; i++) {
      if (y[i] !== 1) continue;
      let above = 0;
      let abovePos = 0;
      for (let j = 0; j < y.length; j++) {
        if ((s[j] as number) >= (s[i] as number)) {
          above += w[j] as number;
          if (y[j] === 1) abovePos += w[j] as number;
        }
      }
      num += (w[i] as number) * (abovePos / above);
      wPos += w[i] as number;
    }
    expectClose([averagePrecision(y, s, { sampleWeight: w })], [num / wPos], 1e-12);
  });
});

describe('sampleWeight: integer weight k equals repeating the row k times (fast-check)', () => {
  const row = fc.record({
    y: fc.integer({ min: 0, max: 1 }),
    s: fc.integer({ min: 0, max: 10 }).map((v) => v / 10),
    k: fc.integer({ min: 0, max: 3 }),
  });
  const rows = fc.array(row, { minLength: 2, maxLength: 25 }).filter((r) => {
    const kept = r.filter((x) => x.k > 0);
    return kept.some((x) => x.y === 1) && kept.some((x) => x.y === 0);
  });
  function expand<R extends { readonly k: number }, T>(r: readonly R[], pick: (x: R) => T): T[] {
    return r.flatMap((x) => Array.from({ length: x.k }, () => pick(x)));
  }
  it('classification, probability and curve metrics', () => {
    fc.assert(
      fc.property(rows, (r) => {
        const y = r.map((x) => x.y);
        const s = r.map((x) => x.s);
        const o = { sampleWeight: r.map((x) => x.k) };
        const yr = expand(r, (x) => x.y);
        const sr = expand(r, (x) => x.s);
        const pairs: [number, number][] = [
          [accuracy(y, s, o), accuracy(yr, sr)],
          [precision(y, s, o), precision(yr, sr)],
          [recall(y, s, o), recall(yr, sr)],
          [f1(y, s, o), f1(yr, sr)],
          [matthewsCorrcoef(y, s, o), matthewsCorrcoef(yr, sr)],
          [rocAuc(y, s, o), rocAuc(yr, sr)],
          [averagePrecision(y, s, o), averagePrecision(yr, sr)],
          [logLoss(y, s, o), logLoss(yr, sr)],
          [brierScore(y, s, o), brierScore(yr, sr)],
        ];
        for (const [a, b] of pairs) expectClose([a], [b], 1e-12);
        expect(confusionMatrix(y, s, o)).toEqual(confusionMatrix(yr, sr));
        expect(rocCurve(y, s, o)).toEqual(rocCurve(yr, sr));
        const pw = precisionRecallCurve(y, s, o);
        const pr = precisionRecallCurve(yr, sr);
        expect(pw.thresholds).toEqual(pr.thresholds);
        expectClose(pw.precision, pr.precision, 1e-12);
        expectClose(pw.recall, pr.recall, 1e-12);
      }),
      { seed: 41, numRuns: 60 },
    );
  });
  it('multiclass precision/recall/f1 averages and confusion matrix', () => {
    const mrow = fc.record({ y: fc.integer({ min: 0, max: 3 }), p: fc.integer({ min: 0, max: 3 }), k: fc.integer({ min: 0, max: 3 }) });
    fc.assert(
      fc.property(fc.array(mrow, { minLength: 1, maxLength: 25 }).filter((r) => r.some((x) => x.k > 0)), (r) => {
        const y = r.map((x) => x.y);
        const p = r.map((x) => x.p);
        const w = r.map((x) => x.k);
        const yr = expand(r, (x) => x.y);
        const pr = expand(r, (x) => x.p);
        const labels = [0, 1, 2, 3];
        for (const average of ['micro', 'macro', 'weighted'] as const) {
          for (const m of [precision, recall, f1]) {
            expectClose([m(y, p, { average, labels, sampleWeight: w })], [m(yr, pr, { average, labels })], 1e-12);
          }
        }
        expectClose(f1(y, p, { average: null, labels, sampleWeight: w }), f1(yr, pr, { average: null, labels }), 1e-12);
        expect(confusionMatrix(y, p, { labels, sampleWeight: w })).toEqual(confusionMatrix(yr, pr, { labels }));
      }),
      { seed: 42, numRuns: 60 },
    );
  });
  it('regression metrics', () => {
    const rrow = fc.record({
      y: fc.integer({ min: 1, max: 50 }).map((v) => v / 4),
      p: fc.integer({ min: -20, max: 60 }).map((v) => v / 4),
      k: fc.integer({ min: 0, max: 3 }),
    });
    fc.assert(
      fc.property(fc.array(rrow, { minLength: 2, maxLength: 25 }).filter((r) => r.filter((x) => x.k > 0).length >= 2), (r) => {
        const y = r.map((x) => x.y);
        const p = r.map((x) => x.p);
        const o = { sampleWeight: r.map((x) => x.k) };
        const yr = expand(r, (x) => x.y);
        const pr = expand(r, (x) => x.p);
        for (const m of [mse, rmse, mae, mape, r2]) expectClose([m(y, p, o)], [m(yr, pr)], 1e-10);
      }),
      { seed: 43, numRuns: 60 },
    );
  });
});

describe('sampleWeight: unit weights are bit-identical to the unweighted results', () => {
  it('every weighted metric', () => {
    const { y, s } = tied(11, 70);
    const o = { sampleWeight: y.map(() => 1) };
    const yr = s.map((v, i) => v * 3 + i / 7 + 0.25);
    const pr = yr.map((v, i) => v + Math.sin(i));
    for (const m of [accuracy, precision, recall, f1, matthewsCorrcoef, rocAuc, averagePrecision, logLoss, brierScore]) {
      expect(Object.is(m(y, s, o), m(y, s))).toBe(true);
    }
    expect(confusionMatrix(y, s, o)).toEqual(confusionMatrix(y, s));
    expect(rocCurve(y, s, { ...o, dropIntermediate: true })).toEqual(rocCurve(y, s, { dropIntermediate: true }));
    expect(precisionRecallCurve(y, s, o)).toEqual(precisionRecallCurve(y, s));
    for (const m of [mse, rmse, mae, mape, r2]) expect(Object.is(m(yr, pr, o), m(yr, pr))).toBe(true);
    expect(f1(y, s, { average: 'macro', threshold: 0.5, sampleWeight: o.sampleWeight })).toBe(f1(y, s, { average: 'macro', threshold: 0.5 }));
  });
});

describe('sampleWeight: validation, tensors, no mutation', () => {
  const y = [0, 1, 1, 0];
  const s = [0.2, 0.8, 0.6, 0.4];
  it('rejects bad weights with typed errors naming the function and sampleWeight', () => {
    expect(() => rocAuc(y, s, { sampleWeight: [1, 1, 1] })).toThrow(ShapeError);
    expect(() => rocAuc(y, s, { sampleWeight: [1, 1, 1] })).toThrow(/'sampleWeight' argument of rocAuc must be length 4/);
    expect(() => mse(y, s, { sampleWeight: [1, -1, 1, 1] })).toThrow(DataError);
    expect(() => mse(y, s, { sampleWeight: [1, -1, 1, 1] })).toThrow(/non-negative weights. Got -1 at index 1/);
    expect(() => accuracy(y, s, { sampleWeight: [1, Number.NaN, 1, 1] })).toThrow(DataError);
    expect(() => f1(y, s, { sampleWeight: [1, Number.POSITIVE_INFINITY, 1, 1] })).toThrow(DataError);
    expect(() => logLoss(y, s, { sampleWeight: [0, 0, 0, 0] })).toThrow(/at least one positive weight/);
    expect(() => brierScore(y, s, { sampleWeight: 3 as unknown as number[] })).toThrow(InvalidOptionError);
    expect(() => r2(y, s, { sampleWeight: 'w' as unknown as number[] })).toThrow(/'sampleWeight' option of r2/);
  });
  it('rejects weights that leave a single class for ROC and no positive for PR', () => {
    expect(() => rocAuc(y, s, { sampleWeight: [1, 0, 0, 1] })).toThrow(DataError);
    expect(() => rocCurve(y, s, { sampleWeight: [0, 1, 1, 0] })).toThrow(/both classes \(0 and 1\) among the samples with non-zero weight/);
    expect(() => averagePrecision(y, s, { sampleWeight: [1, 0, 0, 1] })).toThrow(/at least one positive label/);
    expect(averagePrecision(y, s, { sampleWeight: [0, 1, 1, 0] })).toBe(1);
  });
  it('accepts Float64Array and tensor weights, never mutates or disposes them, and leaks nothing', async () => {
    const w = [2, 1, 0.5, 3];
    const wt = tf.tensor1d(w);
    const wf = Float64Array.from(w);
    const ref = rocAuc(y, s, { sampleWeight: w });
    expect(rocAuc(y, s, { sampleWeight: wt })).toBe(ref);
    expect(rocAuc(y, s, { sampleWeight: wf })).toBe(ref);
    expect(Array.from(wf)).toEqual(w);
    const yt = tf.tensor1d(y);
    const st = tf.tensor2d(s, [4, 1]);
    await expectNoLeak(() => {
      mse(yt, st, { sampleWeight: wt });
      rocCurve(yt, st, { sampleWeight: wt });
      precision(yt, st, { sampleWeight: wt, average: 'macro', threshold: 0.5 });
      confusionMatrix(yt, st, { sampleWeight: wt });
    });
    expect(wt.isDisposed).toBe(false);
    expect(Array.from(wt.dataSync())).toEqual(w);
    tf.dispose([wt, yt, st]);
  });
});
