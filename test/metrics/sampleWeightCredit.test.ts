import * as tf from '@tensorflow/tfjs-core';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DataError, InvalidOptionError, ShapeError } from '../../src/core/errors';
import { createRng } from '../../src/core/random';
import { gini, ksStatistic, prAuc } from '../../src/metrics/index';
import { expectClose, expectNoLeak } from '../helpers/leak';

/** Random 0/1 labels (both present), scores on a 0.1 grid (many ties) and weights (some zero). */
function weighted(seed: number, n: number): { y: number[]; s: number[]; w: number[] } {
  const rng = createRng(seed);
  const y = Array.from({ length: n }, () => (rng.next() < 0.4 ? 1 : 0));
  y[0] = 1;
  y[1] = 0;
  const s = y.map((l) => Math.round(Math.min(1, 0.3 * l + 0.7 * rng.next()) * 10) / 10);
  const w = y.map(() => (rng.next() < 0.2 ? 0 : rng.next() * 5));
  w[0] = 1;
  w[1] = 1;
  return { y, s, w };
}

/** Weighted pair counting: P(score+ > score−) + P(tie)/2 with pair weight w+·w−. */
function pairAuc(y: number[], s: number[], w: number[]): number {
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
  return num / den;
}

/** Weighted rates of predicting positive when score >= t, by direct summation. */
function rates(y: number[], s: number[], w: number[], t: number): { tpr: number; fpr: number; tp: number; pp: number; pos: number } {
  let tp = 0;
  let fp = 0;
  let pos = 0;
  let neg = 0;
  for (let i = 0; i < y.length; i++) {
    const wi = w[i] as number;
    if (y[i] === 1) pos += wi;
    else neg += wi;
    if ((s[i] as number) >= t) {
      if (y[i] === 1) tp += wi;
      else fp += wi;
    }
  }
  return { tpr: tp / pos, fpr: fp / neg, tp, pp: tp + fp, pos };
}

/** Distinct scores of the samples with non-zero weight, descending. */
function cutoffs(s: number[], w: number[]): number[] {
  return [...new Set(s.filter((_, i) => (w[i] as number) > 0))].sort((a, b) => b - a);
}

describe('gini, ksStatistic, prAuc with sampleWeight: hand values', () => {
  const y = [0, 0, 1, 1];
  const s = [0.1, 0.4, 0.35, 0.8];
  it('gini = 2·weighted AUC − 1', () => {
    // pairs (pos, neg) with weights: (0.8,0.1) 1 win, (0.8,0.4) 3 win, (0.35,0.1) 1 win, (0.35,0.4) 3 loss → AUC 5/8
    expect(gini(y, s, { sampleWeight: [1, 3, 1, 1] })).toBe(0.25);
  });
  it('ksStatistic on the weighted ROC', () => {
    // negatives 1, 1; positives 0.35 (w 1), 0.8 (w 3): at >= 0.8 TPR 3/4, FPR 0
    expect(ksStatistic(y, s, { sampleWeight: [1, 1, 1, 3] })).toEqual({ statistic: 0.75, threshold: 0.8, tpr: 0.75, fpr: 0 });
    // weight 0 on the best positive: its threshold disappears; |TPR − FPR| is 1/2 at >= 0.4 (TPR 0,
    // FPR 1/2) and at >= 0.35 (TPR 1, FPR 1/2): the higher cut-off is reported
    expect(ksStatistic(y, s, { sampleWeight: [1, 1, 1, 0] })).toEqual({ statistic: 0.5, threshold: 0.4, tpr: 0, fpr: 0.5 });
  });
  it('prAuc trapezoid over the weighted PR curve', () => {
    // PR points (recall, precision): (1, 1/3) (1, 2/5) (0.5, 1/4) (0.5, 1) (0, 1)
    // area = 0.5·(2/5 + 1/4)/2 + 0.5·(1 + 1)/2 = 0.1625 + 0.5
    expectClose([prAuc(y, s, { sampleWeight: [1, 3, 1, 1] })], [0.6625], 1e-15);
  });
});

describe('gini, ksStatistic, prAuc with sampleWeight: brute force', () => {
  it('gini equals 2·(weighted pair counting) − 1', () => {
    for (const seed of [1, 2, 3]) {
      const { y, s, w } = weighted(seed, 50);
      expectClose([gini(y, s, { sampleWeight: w })], [2 * pairAuc(y, s, w) - 1], 1e-12);
    }
  });
  it('ksStatistic equals the max gap of directly summed weighted rates, at the highest such cut-off', () => {
    for (const seed of [4, 5, 6]) {
      const { y, s, w } = weighted(seed, 60);
      let best = { gap: -1, t: Number.POSITIVE_INFINITY, tpr: 0, fpr: 0 };
      for (const t of [Number.POSITIVE_INFINITY, ...cutoffs(s, w)]) {
        const r = rates(y, s, w, t);
        const gap = Math.abs(r.tpr - r.fpr);
        if (gap > best.gap + 1e-12) best = { gap, t, tpr: r.tpr, fpr: r.fpr };
      }
      const ks = ksStatistic(y, s, { sampleWeight: w });
      expectClose([ks.statistic, ks.tpr, ks.fpr], [best.gap, best.tpr, best.fpr], 1e-12);
      expect(ks.threshold).toBe(best.t);
    }
  });
  it('prAuc equals the trapezoid over directly summed weighted precision/recall points', () => {
    for (const seed of [7, 8, 9]) {
      const { y, s, w } = weighted(seed, 60);
      const pts: [number, number][] = [[0, 1]]; // (recall, precision), recall increasing
      for (const t of cutoffs(s, w)) {
        const r = rates(y, s, w, t);
        pts.push([r.tp / r.pos, r.pp === 0 ? 0 : r.tp / r.pp]);
      }
      let area = 0;
      for (let k = 1; k < pts.length; k++) {
        const [r1, p1] = pts[k] as [number, number];
        const [r0, p0] = pts[k - 1] as [number, number];
        area += (r1 - r0) * (p1 + p0) / 2;
      }
      expectClose([prAuc(y, s, { sampleWeight: w })], [area], 1e-12);
    }
  });
});

describe('gini, ksStatistic, prAuc: integer weight k equals repeating the row k times (fast-check)', () => {
  const row = fc.record({
    y: fc.integer({ min: 0, max: 1 }),
    s: fc.integer({ min: 0, max: 10 }).map((v) => v / 10),
    k: fc.integer({ min: 0, max: 3 }),
  });
  const rows = fc.array(row, { minLength: 2, maxLength: 25 }).filter((r) => {
    const kept = r.filter((x) => x.k > 0);
    return kept.some((x) => x.y === 1) && kept.some((x) => x.y === 0);
  });
  it('holds for all three', () => {
    fc.assert(
      fc.property(rows, (r) => {
        const y = r.map((x) => x.y);
        const s = r.map((x) => x.s);
        const o = { sampleWeight: r.map((x) => x.k) };
        const yr = r.flatMap((x) => Array.from({ length: x.k }, () => x.y));
        const sr = r.flatMap((x) => Array.from({ length: x.k }, () => x.s));
        expectClose([gini(y, s, o)], [gini(yr, sr)], 1e-12);
        expectClose([prAuc(y, s, o)], [prAuc(yr, sr)], 1e-12);
        const a = ksStatistic(y, s, o);
        const b = ksStatistic(yr, sr);
        expectClose([a.statistic, a.tpr, a.fpr], [b.statistic, b.tpr, b.fpr], 1e-12);
        expect(a.threshold).toBe(b.threshold);
      }),
      { seed: 24, numRuns: 80 },
    );
  });
});

describe('gini, ksStatistic, prAuc: unit weights, validation, tensors', () => {
  it('unit weights give bit-identical results', () => {
    const { y, s } = weighted(11, 70);
    const o = { sampleWeight: y.map(() => 1) };
    expect(Object.is(gini(y, s, o), gini(y, s))).toBe(true);
    expect(Object.is(prAuc(y, s, o), prAuc(y, s))).toBe(true);
    const a = ksStatistic(y, s, o);
    const b = ksStatistic(y, s);
    for (const key of ['statistic', 'threshold', 'tpr', 'fpr'] as const) expect(Object.is(a[key], b[key])).toBe(true);
    expect(Object.is(gini(y, s, { sampleWeight: null }), gini(y, s))).toBe(true);
  });
  it('rejects bad weights with the errors of the other weighted metrics', () => {
    const y = [0, 1, 1, 0];
    const s = [0.2, 0.8, 0.6, 0.4];
    for (const [m, name] of [[gini, 'gini'], [ksStatistic, 'ksStatistic'], [prAuc, 'prAuc']] as const) {
      const f = m as (a: number[], b: number[], o?: { sampleWeight?: unknown }) => unknown;
      expect(() => f(y, s, { sampleWeight: [1, 1, 1] })).toThrow(ShapeError);
      expect(() => f(y, s, { sampleWeight: [1, 1, 1] })).toThrow(new RegExp(`'sampleWeight' argument of ${name} must be length 4`));
      expect(() => f(y, s, { sampleWeight: [1, -1, 1, 1] })).toThrow(/non-negative weights. Got -1 at index 1/);
      expect(() => f(y, s, { sampleWeight: [1, Number.NaN, 1, 1] })).toThrow(DataError);
      expect(() => f(y, s, { sampleWeight: [0, 0, 0, 0] })).toThrow(/at least one positive weight/);
      expect(() => f(y, s, { sampleWeight: 'w' })).toThrow(InvalidOptionError);
      expect(() => f(y, s, { sampleWeight: 'w' })).toThrow(new RegExp(`'sampleWeight' option of ${name}`));
      expect(() => f(y, s, { weights: [1, 1, 1, 1] } as { sampleWeight?: unknown })).toThrow(InvalidOptionError);
      // no positive with non-zero weight: a DataError for all three
      expect(() => f(y, s, { sampleWeight: [1, 0, 0, 1] })).toThrow(DataError);
    }
    // ROC needs both classes; PR only a positive
    expect(() => gini(y, s, { sampleWeight: [0, 1, 1, 0] })).toThrow(/both classes \(0 and 1\) among the samples with non-zero weight/);
    expect(() => ksStatistic(y, s, { sampleWeight: [0, 1, 1, 0] })).toThrow(DataError);
    expect(prAuc(y, s, { sampleWeight: [0, 1, 1, 0] })).toBe(1);
  });
  it('accepts Float64Array and tensor weights, never mutates or disposes them, and leaks nothing', async () => {
    const y = [0, 1, 1, 0, 1];
    const s = [0.2, 0.8, 0.6, 0.4, 0.3];
    const w = [2, 1, 0.5, 3, 1];
    const wt = tf.tensor1d(w);
    const wf = Float64Array.from(w);
    expect(gini(y, s, { sampleWeight: wt })).toBe(gini(y, s, { sampleWeight: w }));
    expect(prAuc(y, s, { sampleWeight: wf })).toBe(prAuc(y, s, { sampleWeight: w }));
    expect(ksStatistic(y, s, { sampleWeight: wt })).toEqual(ksStatistic(y, s, { sampleWeight: w }));
    expect(Array.from(wf)).toEqual(w);
    const yt = tf.tensor1d(y);
    const st = tf.tensor2d(s, [5, 1]);
    await expectNoLeak(() => {
      gini(yt, st, { sampleWeight: wt });
      ksStatistic(yt, st, { sampleWeight: wt });
      prAuc(yt, st, { sampleWeight: wt });
    });
    expect(wt.isDisposed).toBe(false);
    expect(Array.from(wt.dataSync())).toEqual(w);
    tf.dispose([wt, yt, st]);
  });
});
