import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { DataError, InvalidOptionError, ShapeError } from '../../src/core/errors';
import { createRng } from '../../src/core/random';
import {
  accuracy,
  averagePrecision,
  brierScore,
  calibrationCurve,
  confusionMatrix,
  f1,
  logLoss,
  matthewsCorrcoef,
  prAuc,
  precision,
  precisionRecallCurve,
  recall,
  rocAuc,
  rocCurve,
} from '../../src/metrics/index';
import { expectClose, expectNoLeak } from '../helpers/leak';

/** Random labels and scores rounded to 1 decimal, so ties are frequent. */
function tiedData(seed: number, n: number): { y: number[]; s: number[] } {
  const rng = createRng(seed);
  const y: number[] = [];
  const s: number[] = [];
  for (let i = 0; i < n; i++) {
    const label = rng.next() < 0.4 ? 1 : 0;
    y.push(label);
    s.push(Math.round(Math.min(1, Math.max(0, 0.3 * label + 0.7 * rng.next())) * 10) / 10);
  }
  if (!y.includes(1)) y[0] = 1;
  if (!y.includes(0)) y[1] = 0;
  return { y, s };
}

describe('rocAuc', () => {
  it('equals the brute-force pair count with ties as 1/2 (Mann-Whitney)', () => {
    for (const seed of [1, 2, 3]) {
      const { y, s } = tiedData(seed, 60);
      let num = 0;
      let den = 0;
      for (let i = 0; i < y.length; i++) {
        for (let j = 0; j < y.length; j++) {
          if (y[i] === 1 && y[j] === 0) {
            den++;
            num += (s[i] as number) > (s[j] as number) ? 1 : s[i] === s[j] ? 0.5 : 0;
          }
        }
      }
      expectClose([rocAuc(y, s)], [num / den], 1e-12);
    }
  });
  it('is 1 for perfect, 0 for inverted and 0.5 for constant scores', () => {
    expect(rocAuc([0, 0, 1, 1], [0.1, 0.2, 0.8, 0.9])).toBe(1);
    expect(rocAuc([0, 0, 1, 1], [0.9, 0.8, 0.2, 0.1])).toBe(0);
    expect(rocAuc([0, 1, 0, 1], [0.3, 0.3, 0.3, 0.3])).toBe(0.5);
  });
  it('rejects a single class', () => {
    expect(() => rocAuc([1, 1, 1], [0.2, 0.5, 0.9])).toThrow(DataError);
    expect(() => rocCurve([0, 0], [0.2, 0.5])).toThrow(/both classes/);
  });
});

describe('rocCurve', () => {
  it('dropIntermediate keeps the corners and the area', () => {
    const { y, s } = tiedData(7, 80);
    const full = rocCurve(y, s);
    const thin = rocCurve(y, s, { dropIntermediate: true });
    expect(thin.fpr.length).toBeLessThanOrEqual(full.fpr.length);
    expect(thin.fpr[0]).toBe(0);
    expect(thin.fpr.at(-1)).toBe(1);
    expect(thin.tpr.at(-1)).toBe(1);
    let a = 0;
    for (let i = 1; i < thin.fpr.length; i++) a += ((thin.fpr[i] as number) - (thin.fpr[i - 1] as number)) * ((thin.tpr[i] as number) + (thin.tpr[i - 1] as number)) / 2;
    expectClose([a], [rocAuc(y, s)], 1e-12);
  });
  it('drops collinear points', () => {
    // Scores 0.9 > 0.8 > 0.7 all positives: the middle points are collinear on the tpr axis.
    const c = rocCurve([1, 1, 1, 0], [0.9, 0.8, 0.7, 0.1], { dropIntermediate: true });
    expect(c.thresholds).toEqual([Number.POSITIVE_INFINITY, 0.9, 0.7, 0.1]);
    expect(c.tpr).toEqual([0, 1 / 3, 1, 1]);
  });
});

describe('averagePrecision / precisionRecallCurve / prAuc', () => {
  it('AP equals the mean of precision at each positive, when scores are distinct', () => {
    const y = [1, 0, 1, 1, 0, 0, 1, 0];
    const s = [0.95, 0.9, 0.85, 0.6, 0.55, 0.4, 0.3, 0.1];
    // precision at each positive (by rank): 1/1, 2/3, 3/4, 4/7
    expectClose([averagePrecision(y, s)], [(1 + 2 / 3 + 3 / 4 + 4 / 7) / 4], 1e-12);
  });
  it('precision is 1 and recall 0 at the end; AP needs a positive', () => {
    const pr = precisionRecallCurve([0, 1, 1], [0.2, 0.3, 0.9]);
    expect(pr.precision.at(-1)).toBe(1);
    expect(pr.recall.at(-1)).toBe(0);
    expect(pr.precision.length).toBe(pr.thresholds.length + 1);
    expect(() => averagePrecision([0, 0], [0.1, 0.2])).toThrow(DataError);
    expect(averagePrecision([1, 1], [0.1, 0.2])).toBe(1);
  });
  it('prAuc of a perfect ranking is 1', () => {
    expect(prAuc([0, 0, 1, 1], [0.1, 0.2, 0.8, 0.9])).toBe(1);
  });
});

describe('thresholded metrics', () => {
  const y = [1, 0, 1, 1, 0, 0];
  const s = [0.9, 0.6, 0.4, 0.7, 0.2, 0.5];
  it('threshold option moves predictions (score >= threshold is positive)', () => {
    // at 0.5: pred 1,1,0,1,0,1 -> TP 2, FP 2, FN 1, TN 1
    expect(confusionMatrix(y, s)).toEqual([[1, 2], [1, 2]]);
    expect(precision(y, s)).toBe(0.5);
    expect(recall(y, s)).toBeCloseTo(2 / 3, 15);
    expect(f1(y, s)).toBeCloseTo((2 * 2) / (2 * 2 + 2 + 1), 15);
    // at 0.65: pred 1,0,0,1,0,0 -> TP 2, FP 0, FN 1, TN 3
    expect(confusionMatrix(y, s, { threshold: 0.65 })).toEqual([[3, 0], [1, 2]]);
    expect(precision(y, s, { threshold: 0.65 })).toBe(1);
    expect(accuracy(y, s, { threshold: 0.65 })).toBeCloseTo(5 / 6, 15);
    expectClose([matthewsCorrcoef(y, s, { threshold: 0.65 })], [(2 * 3 - 0) / Math.sqrt(2 * 3 * 3 * 4)], 1e-15);
  });
  it('zeroDivision like sklearn', () => {
    expect(precision([1, 0], [0.1, 0.2])).toBe(0);
    expect(precision([1, 0], [0.1, 0.2], { zeroDivision: 1 })).toBe(1);
    expect(Number.isNaN(recall([0, 0], [0.7, 0.2], { zeroDivision: Number.NaN }))).toBe(true);
    expect(recall([0, 0], [0.7, 0.2], { zeroDivision: 1 })).toBe(1);
    expect(f1([0, 0], [0.1, 0.2], { zeroDivision: 1 })).toBe(1);
    expect(f1([0, 0], [0.7, 0.2], { zeroDivision: 1 })).toBe(0); // FP > 0: defined, 0
    expect(() => precision([1, 0], [1, 0], { zeroDivision: 0.5 })).toThrow(InvalidOptionError);
    expect(matthewsCorrcoef([1, 1, 0], [0.9, 0.8, 0.7])).toBe(0); // all predicted positive
  });
  it('threshold null takes labels; accuracy handles multiclass labels', () => {
    expect(precision([1, 0, 1], [1, 1, 1], { threshold: null })).toBeCloseTo(2 / 3, 15);
    expect(() => precision([1, 0, 1], [1, 0.5, 1], { threshold: null })).toThrow(DataError);
    expect(accuracy([0, 1, 2, 2], [0, 2, 2, 2], { threshold: null })).toBe(0.75);
    expect(() => accuracy([0, 1, 2], [0, 1, 1])).toThrow(/binary labels 0 or 1/);
  });
  it('multiclass confusion matrix with labels (order follows labels)', () => {
    const t = [2, 0, 2, 2, 0, 1];
    const p = [0, 0, 2, 2, 0, 2];
    // sklearn.metrics.confusion_matrix(t, p, labels=[0,1,2]) = [[2,0,0],[0,0,1],[1,0,2]]
    expect(confusionMatrix(t, p, { labels: [0, 1, 2] })).toEqual([[2, 0, 0], [0, 0, 1], [1, 0, 2]]);
    expect(confusionMatrix(t, p, { threshold: null })).toEqual([[2, 0, 0], [0, 0, 1], [1, 0, 2]]);
    expect(confusionMatrix(t, p, { labels: [2, 1, 0] })).toEqual([[2, 0, 1], [1, 0, 0], [0, 0, 2]]);
    expect(() => confusionMatrix(t, p, { labels: [0, 2] })).toThrow(DataError);
    expect(() => confusionMatrix(t, p, { labels: [0, 0, 1] })).toThrow(InvalidOptionError);
    expect(() => confusionMatrix(t, p, { labels: [0, 1, 2], threshold: 0.5 })).toThrow(InvalidOptionError);
  });
});

describe('probability metrics', () => {
  it('logLoss clips at eps and matches the closed form', () => {
    expectClose([logLoss([1, 0], [0.8, 0.4])], [-(Math.log(0.8) + Math.log(0.6)) / 2], 1e-15);
    expectClose([logLoss([1], [0])], [-Math.log(1e-15)], 1e-12);
    expectClose([logLoss([1], [0], { eps: 1e-7 })], [-Math.log(1e-7)], 1e-12);
    expect(() => logLoss([1], [1.2])).toThrow(/probabilities in \[0, 1\]/);
    expect(() => logLoss([1], [0.5], { eps: 0 })).toThrow(InvalidOptionError);
  });
  it('brierScore', () => {
    expectClose([brierScore([1, 0, 1], [0.8, 0.4, 1])], [(0.04 + 0.16 + 0) / 3], 1e-15);
    expect(() => brierScore([1, 2], [0.5, 0.5])).toThrow(DataError);
  });
});

describe('calibrationCurve', () => {
  it('uniform bins: edge values go to the lower bin, empty bins are dropped (sklearn)', () => {
    const y = [0, 0, 1, 0, 1, 1, 1];
    const p = [0.05, 0.2, 0.2, 0.4, 0.85, 0.9, 1.0];
    const c = calibrationCurve(y, p, { nBins: 5 });
    // bins (edges 0,.2,.4,.6,.8,1): [0.05,0.2,0.2] [0.4] [] [] [0.85,0.9,1.0]
    expect(c.counts).toEqual([3, 1, 3]);
    expectClose(c.probTrue, [1 / 3, 0, 1], 1e-15);
    expectClose(c.probPred, [0.45 / 3, 0.4, 2.75 / 3], 1e-15);
    expectClose(c.binEdges, [0, 0.2, 0.4, 0.6000000000000001, 0.8, 1], 0);
  });
  it('quantile bins hold about equal counts', () => {
    const rng = createRng(3);
    const p = Array.from({ length: 100 }, () => rng.next());
    const y = p.map((v) => (rng.next() < v ? 1 : 0));
    const c = calibrationCurve(y, p, { nBins: 4, strategy: 'quantile' });
    expect(c.counts).toEqual([25, 25, 25, 25]);
    const sorted = [...p].sort((a, b) => a - b);
    expect(c.binEdges[0]).toBe(sorted[0]);
    expect(c.binEdges[4]).toBe(sorted[99]);
    expect(c.probPred[0]).toBeCloseTo(sorted.slice(0, 25).reduce((a, b) => a + b, 0) / 25, 12);
  });
  it('validates options and probabilities', () => {
    expect(() => calibrationCurve([0, 1], [0.2, 0.8], { nBins: 0 })).toThrow(InvalidOptionError);
    expect(() => calibrationCurve([0, 1], [0.2, 0.8], { strategy: 'kmeans' as 'uniform' })).toThrow(InvalidOptionError);
    expect(() => calibrationCurve([0, 1], [0.2, 1.8])).toThrow(DataError);
  });
});

describe('input forms, validation and tensor memory', () => {
  const y = [0, 1, 1, 0, 1];
  const s = [0.2, 0.7, 0.4, 0.3, 0.9];
  it('typed arrays and tensors ([n] and [n, 1]) give the same values, inputs untouched', () => {
    const yt = tf.tensor1d(y);
    const st = tf.tensor2d(s, [5, 1]);
    const yCopy = [...y];
    try {
      expect(rocAuc(yt, st)).toBe(rocAuc(y, s));
      expect(accuracy(Int32Array.from(y), Float32Array.from(s))).toBe(accuracy(y, s));
      expect(logLoss(Float64Array.from(y), st)).toBeCloseTo(logLoss(y, s), 6);
      expect(yt.isDisposed).toBe(false);
      expect(st.isDisposed).toBe(false);
      expect(y).toEqual(yCopy);
    } finally {
      yt.dispose();
      st.dispose();
    }
  });
  it('no tensor leaks with tensor inputs', async () => {
    const yt = tf.tensor1d(y);
    const st = tf.tensor1d(s);
    try {
      await expectNoLeak(() => {
        accuracy(yt, st);
        precision(yt, st);
        recall(yt, st);
        f1(yt, st);
        matthewsCorrcoef(yt, st);
        confusionMatrix(yt, st);
        logLoss(yt, st);
        brierScore(yt, st);
        rocCurve(yt, st);
        rocAuc(yt, st);
        precisionRecallCurve(yt, st);
        averagePrecision(yt, st);
        prAuc(yt, st);
        calibrationCurve(yt, st);
      });
    } finally {
      yt.dispose();
      st.dispose();
    }
  });
  it('length mismatch is a ShapeError naming the function and argument', () => {
    expect(() => rocAuc([0, 1, 1], [0.1, 0.2])).toThrow(ShapeError);
    expect(() => f1([0, 1, 1], [0.1, 0.2])).toThrow(/The 'yPred' argument of f1 must be length 3/);
  });
  it('empty and NaN inputs are DataErrors', () => {
    expect(() => accuracy([], [])).toThrow(DataError);
    expect(() => rocAuc([0, 1], [0.1, Number.NaN])).toThrow(DataError);
    expect(() => precision([0, Number.NaN], [0.1, 0.3])).toThrow(DataError);
  });
  it('non-binary labels are DataErrors', () => {
    for (const f of [precision, recall, f1, matthewsCorrcoef, rocAuc, averagePrecision, logLoss, brierScore]) {
      expect(() => f([0, 2, 1], [0.1, 0.2, 0.3])).toThrow(DataError);
    }
  });
  it('unknown or invalid options are InvalidOptionErrors', () => {
    expect(() => accuracy(y, s, { thresh: 0.3 } as unknown as { threshold: number })).toThrow(InvalidOptionError);
    expect(() => accuracy(y, s, { threshold: Number.NaN })).toThrow(InvalidOptionError);
    expect(() => rocCurve(y, s, { dropIntermediate: 1 as unknown as boolean })).toThrow(InvalidOptionError);
  });
});
