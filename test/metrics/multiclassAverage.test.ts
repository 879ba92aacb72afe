import { describe, expect, expectTypeOf, it } from 'vitest';
import fixture from '../fixtures/weightedMetrics.json';
import { DataError, InvalidOptionError } from '../../src/core/errors';
import { accuracy, confusionMatrix, f1, precision, recall } from '../../src/metrics/index';
import { expectClose } from '../helpers/leak';

type Scores = { precision: number | null; recall: number | null; f1: number | null };
type PerClass = { precision: (number | null)[]; recall: (number | null)[]; f1: (number | null)[] };
interface MulticlassCase {
  y_true: number[];
  y_pred: number[];
  sample_weight: number[] | null;
  labels: number[] | null;
  zero_division: number | 'nan';
  micro: Scores;
  macro: Scores;
  weighted: Scores;
  None: PerClass;
}
const cases = (fixture as unknown as { multiclass: MulticlassCase[] }).multiclass;
const fns = { precision, recall, f1 } as const;

/** null in the fixture stands for NaN (JSON has no NaN). */
const num = (v: number | null): number => (v === null ? Number.NaN : v);

describe('multiclass precision/recall/f1: numpy re-implementation of precision_recall_fscore_support', () => {
  it.each(cases.map((c, i) => [i, c] as const))('case %i', (_, c) => {
    const base = {
      labels: c.labels,
      sampleWeight: c.sample_weight,
      zeroDivision: c.zero_division === 'nan' ? Number.NaN : c.zero_division,
    };
    for (const name of ['precision', 'recall', 'f1'] as const) {
      const m = fns[name];
      for (const average of ['micro', 'macro', 'weighted'] as const) {
        expectClose([m(c.y_true, c.y_pred, { ...base, average })], [num(c[average][name])], 1e-12);
      }
      const per = m(c.y_true, c.y_pred, { ...base, average: null });
      const want = c.None[name].map(num);
      expect(per.length).toBe(want.length);
      per.forEach((v, i) => {
        if (Number.isNaN(want[i] as number)) expect(v).toBeNaN();
        else expectClose([v], [want[i] as number], 1e-12);
      });
    }
  });
});

describe('multiclass precision/recall/f1: definitions', () => {
  // sklearn's documented example: y_true [0,1,2,0,1,2], y_pred [0,2,1,0,0,1]
  const y = [0, 1, 2, 0, 1, 2];
  const p = [0, 2, 1, 0, 0, 1];
  it('reproduces the hand-computed per-class and averaged scores', () => {
    // class 0: TP 2, predicted 3, true 2; classes 1 and 2: TP 0
    expect(precision(y, p, { average: null })).toEqual([2 / 3, 0, 0]);
    expect(recall(y, p, { average: null })).toEqual([1, 0, 0]);
    expect(f1(y, p, { average: null })).toEqual([0.8, 0, 0]);
    expect(precision(y, p, { average: 'macro' })).toBeCloseTo(2 / 9, 15);
    expect(f1(y, p, { average: 'weighted' })).toBeCloseTo(0.8 / 3, 15);
    expect(recall(y, p, { average: 'micro' })).toBeCloseTo(1 / 3, 15);
  });
  it('micro precision = micro recall = micro f1 = accuracy when labels cover every class', () => {
    const yt = [3, 1, 2, 3, 3, 1, 2, 2, 1, 5];
    const yp = [3, 2, 2, 1, 3, 1, 5, 2, 3, 5];
    const w = [1, 2, 0.5, 1, 3, 1, 2, 1, 1, 0.25];
    const acc = accuracy(yt, yp, { threshold: null, sampleWeight: w });
    for (const m of [precision, recall, f1]) expectClose([m(yt, yp, { average: 'micro', sampleWeight: w })], [acc], 1e-15);
  });
  it('per-class scores agree with the (weighted) confusion matrix', () => {
    const yt = [3, 1, 2, 3, 3, 1, 2, 2, 1, 5];
    const yp = [3, 2, 2, 1, 3, 1, 5, 2, 3, 5];
    const w = [1, 2, 0.5, 1, 3, 1, 2, 1, 1, 0.25];
    const labels = [1, 2, 3, 5];
    const cm = confusionMatrix(yt, yp, { labels, sampleWeight: w });
    const col = (j: number): number => cm.reduce((a, r) => a + (r[j] as number), 0);
    const row = (j: number): number => (cm[j] as number[]).reduce((a, b) => a + b, 0);
    const pr = precision(yt, yp, { average: null, sampleWeight: w });
    const rc = recall(yt, yp, { average: null, sampleWeight: w });
    const ff = f1(yt, yp, { average: null, sampleWeight: w });
    labels.forEach((_, j) => {
      const tp = (cm[j] as number[])[j] as number;
      expectClose([pr[j] as number, rc[j] as number, ff[j] as number], [tp / col(j), tp / row(j), (2 * tp) / (col(j) + row(j))], 1e-15);
    });
    const support = labels.map((_, j) => row(j));
    const tot = support.reduce((a, b) => a + b, 0);
    expectClose([recall(yt, yp, { average: 'weighted', sampleWeight: w })], [rc.reduce((a, r, j) => a + r * (support[j] as number), 0) / tot], 1e-15);
    expectClose([f1(yt, yp, { average: 'macro', sampleWeight: w })], [ff.reduce((a, b) => a + b, 0) / 4], 1e-15);
  });
  it('labels order the per-class result, add absent classes (zeroDivision) and leave out unlisted ones', () => {
    expect(recall(y, p, { average: null, labels: [2, 0] })).toEqual([0, 1]);
    // class 9 absent: zeroDivision 1 in the per-class array and in the macro mean
    expect(precision(y, p, { average: null, labels: [0, 9], zeroDivision: 1 })).toEqual([2 / 3, 1]);
    expect(precision(y, p, { average: 'macro', labels: [0, 9], zeroDivision: 1 })).toBeCloseTo((2 / 3 + 1) / 2, 15);
    // class 1 and 2 samples still count as false positives of class 0 (micro over [0] = class 0 only)
    expect(precision(y, p, { average: 'micro', labels: [0] })).toBeCloseTo(2 / 3, 15);
  });
  it('zeroDivision NaN leaves undefined classes out of macro/weighted averages (all NaN gives NaN)', () => {
    expect(precision(y, p, { average: 'macro', labels: [0, 9], zeroDivision: Number.NaN })).toBeCloseTo(2 / 3, 15);
    expect(precision(y, p, { average: 'macro', labels: [8, 9], zeroDivision: Number.NaN })).toBeNaN();
    // no listed class has support: weighted falls back to the plain mean (sklearn's _nanaverage)
    expect(precision(y, p, { average: 'weighted', labels: [0, 9], zeroDivision: 1 })).toBeCloseTo(2 / 3, 15);
    expect(precision(y, p, { average: 'weighted', labels: [8, 9], zeroDivision: 1 })).toBe(1);
  });
  it('binary labels: macro averages the scores of class 0 and class 1; a numeric threshold binarizes first', () => {
    const yb = [0, 1, 1, 0, 1];
    const sb = [0.2, 0.9, 0.3, 0.6, 0.8];
    const pb = [0, 1, 0, 1, 1];
    const p1 = precision(yb, pb, { threshold: null });
    // class 0: predicted {0, 2} -> TP 1 of 2
    expect(precision(yb, pb, { average: null })).toEqual([0.5, p1]);
    expect(precision(yb, pb, { average: 'macro' })).toBe((0.5 + p1) / 2);
    expect(precision(yb, sb, { average: 'macro', threshold: 0.5 })).toBe((0.5 + p1) / 2);
    expect(() => precision([0, 2, 1], [0.1, 0.9, 0.5], { average: 'macro', threshold: 0.5 })).toThrow(DataError);
  });
  it('binary default is unchanged and rejects multiclass labels', () => {
    expect(f1([0, 1, 1, 0], [0.6, 0.7, 0.4, 0.1])).toBe(0.5);
    expect(() => f1([0, 2, 1], [0, 2, 2], { threshold: null })).toThrow(DataError);
  });
  it('validates average and labels', () => {
    expect(() => precision(y, p, { average: 'samples' as unknown as 'macro' })).toThrow(InvalidOptionError);
    expect(() => recall(y, p, { labels: [0, 1] })).toThrow(InvalidOptionError);
    expect(() => recall(y, p, { labels: [0, 1] })).toThrow(/'labels' option of recall must be null when average is 'binary'/);
    expect(() => f1(y, p, { average: 'macro', labels: [0, 1, 0] })).toThrow(/distinct labels/);
    expect(() => f1(y, p, { average: 'macro', labels: [] })).toThrow(InvalidOptionError);
  });
  it('types: average null returns number[], otherwise number', () => {
    expectTypeOf(precision(y, p, { average: null })).toEqualTypeOf<number[]>();
    expectTypeOf(recall(y, p, { average: 'weighted' })).toEqualTypeOf<number>();
    expectTypeOf(f1([0, 1], [0.2, 0.7])).toEqualTypeOf<number>();
  });
  it('never mutates its inputs', () => {
    const yt = [2, 0, 1];
    const yp = [2, 1, 1];
    const labels = [2, 1, 0];
    const w = [1, 2, 3];
    f1(yt, yp, { average: null, labels, sampleWeight: w });
    expect([yt, yp, labels, w]).toEqual([[2, 0, 1], [2, 1, 1], [2, 1, 0], [1, 2, 3]]);
  });
});
