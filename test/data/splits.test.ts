import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { DataError, InvalidOptionError } from '../../src/core/errors';
import { kFold } from '../../src/data/kFold';
import { purgedKFold } from '../../src/data/purgedKFold';
import { stratifiedKFold } from '../../src/data/stratifiedKFold';
import { trainTestSplit } from '../../src/data/trainTestSplit';
import { walkForwardSplit } from '../../src/data/walkForwardSplit';
import type { IndexSplit } from '../../src/data/indexSplit';

const RUNS = { numRuns: 150, seed: 7 };

function disjoint(s: IndexSplit): boolean {
  const tr = new Set(s.train);
  return s.test.every((i) => !tr.has(i));
}
function partition(s: IndexSplit, n: number): boolean {
  const all = [...s.train, ...s.test].sort((a, b) => a - b);
  return all.length === n && all.every((v, i) => v === i);
}
function foldsPartition(folds: readonly IndexSplit[], n: number): boolean {
  const all = folds.flatMap((f) => [...f.test]).sort((a, b) => a - b);
  return all.length === n && all.every((v, i) => v === i) && folds.every((f) => partition(f, n));
}

describe('trainTestSplit', () => {
  it('property: train and test partition 0..n-1 with ceil(testSize*n) test rows', () => {
    fc.assert(
      fc.property(fc.integer({ min: 2, max: 300 }), fc.double({ min: 0.01, max: 0.99, noNaN: true }), fc.integer(), fc.boolean(), (n, ts, seed, shuffle) => {
        const nTest = Math.ceil(ts * n);
        if (nTest >= n) return;
        const s = trainTestSplit(n, { testSize: ts, seed, shuffle });
        expect(s.test.length).toBe(nTest);
        expect(partition(s, n) && disjoint(s)).toBe(true);
      }),
      RUNS,
    );
  });

  it('property: stratified split keeps every class share within one row of exact', () => {
    fc.assert(
      fc.property(fc.array(fc.constantFrom('a', 'b', 'c'), { minLength: 10, maxLength: 200 }), fc.integer(), (labels, seed) => {
        const counts = new Map<string, number>();
        for (const l of labels) counts.set(l, (counts.get(l) ?? 0) + 1);
        if ([...counts.values()].some((c) => c < 2)) return;
        const n = labels.length;
        const s = trainTestSplit(n, { testSize: 0.2, seed, stratify: labels });
        expect(partition(s, n)).toBe(true);
        expect(s.test.length).toBe(Math.ceil(0.2 * n));
        for (const [k, c] of counts) {
          const inTest = [...s.test].filter((i) => labels[i] === k).length;
          expect(Math.abs(inTest - (s.test.length * c) / n)).toBeLessThan(1 + 1e-9);
        }
      }),
      RUNS,
    );
  });

  it('is seeded, time-ordered without shuffle, and validates options', () => {
    expect(trainTestSplit(50, { seed: 3 })).toEqual(trainTestSplit(50, { seed: 3 }));
    expect(trainTestSplit(50, { seed: 3 }).test).not.toEqual(trainTestSplit(50, { seed: 4 }).test);
    expect(Array.from(trainTestSplit(5, { testSize: 2, shuffle: false }).test)).toEqual([3, 4]);
    const y = Array.from({ length: 1000 }, (_, i) => (i % 10 < 7 ? 'Good' : 'Bad'));
    const s = trainTestSplit(1000, { testSize: 0.2, seed: 42, stratify: y });
    expect([...s.test].filter((i) => y[i] === 'Bad').length).toBe(60);
    expect(() => trainTestSplit(10, { stratify: y.slice(0, 10), shuffle: false })).toThrow(InvalidOptionError);
    expect(() => trainTestSplit(3, { stratify: ['a', 'b', 'b'] })).toThrow(/at least 2 rows per class/);
    expect(() => trainTestSplit(3, { testSize: 3 })).toThrow(DataError);
    expect(() => trainTestSplit(10, { testSize: 1.5 })).toThrow(InvalidOptionError);
  });
});

describe('kFold and stratifiedKFold', () => {
  it('property: test folds partition the rows, sizes like scikit-learn, train = complement', () => {
    fc.assert(
      fc.property(fc.integer({ min: 2, max: 120 }), fc.integer({ min: 2, max: 10 }), fc.boolean(), fc.integer(), (n, k, shuffle, seed) => {
        if (n < k) return;
        const folds = kFold(n, { k, shuffle, seed });
        expect(folds.length).toBe(k);
        expect(foldsPartition(folds, n)).toBe(true);
        expect(folds.map((f) => f.test.length)).toEqual(Array.from({ length: k }, (_, i) => Math.floor(n / k) + (i < n % k ? 1 : 0)));
      }),
      RUNS,
    );
  });

  it('property: stratified folds partition rows and spread each class evenly', () => {
    fc.assert(
      fc.property(fc.array(fc.constantFrom(0, 1, 2), { minLength: 6, maxLength: 150 }), fc.integer({ min: 2, max: 6 }), fc.boolean(), (labels, k, shuffle) => {
        const folds = stratifiedKFold(labels, { k, shuffle, seed: 1 });
        expect(foldsPartition(folds, labels.length)).toBe(true);
        for (const c of [0, 1, 2]) {
          const per = folds.map((f) => [...f.test].filter((i) => labels[i] === c).length);
          expect(Math.max(...per) - Math.min(...per)).toBeLessThanOrEqual(1);
        }
        const sizes = folds.map((f) => f.test.length);
        expect(Math.max(...sizes) - Math.min(...sizes)).toBeLessThanOrEqual(1);
      }),
      RUNS,
    );
    expect(() => kFold(3, { k: 4 })).toThrow(DataError);
    expect(() => kFold(10, { k: 1 })).toThrow(InvalidOptionError);
  });
});

describe('walkForwardSplit', () => {
  it('property: every train index < every test index - gap; tests are consecutive windows', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 10, max: 300 }),
        fc.integer({ min: 1, max: 6 }),
        fc.integer({ min: 0, max: 5 }),
        fc.option(fc.integer({ min: 1, max: 50 }), { nil: null }),
        (n, nSplits, gap, maxTrainSize) => {
          let folds: readonly IndexSplit[];
          try {
            folds = walkForwardSplit(n, { nSplits, gap, maxTrainSize });
          } catch (e) {
            expect(e).toBeInstanceOf(DataError);
            return;
          }
          expect(folds.length).toBe(nSplits);
          const testSize = Math.floor(n / (nSplits + 1));
          folds.forEach((f, s) => {
            expect(disjoint(f)).toBe(true);
            expect(f.train.length).toBeGreaterThan(0);
            expect(Math.max(...f.train)).toBeLessThan(Math.min(...f.test) - gap);
            expect(f.test.length).toBe(testSize);
            if (maxTrainSize !== null) expect(f.train.length).toBeLessThanOrEqual(maxTrainSize);
            if (s > 0) expect(f.test[0]).toBe((folds[s - 1]?.test.at(-1) as number) + 1);
          });
          expect(folds.at(-1)?.test.at(-1)).toBe(n - 1);
        },
      ),
      RUNS,
    );
  });

  it('matches scikit-learn TimeSeriesSplit(n_splits=3, gap=1) on 10 rows', () => {
    // sklearn: [(range(0,0+..)] train ends [3,5,7]-1 ; test [4,5],[6,7],[8,9]
    const f = walkForwardSplit(10, { nSplits: 3, gap: 1 });
    expect(f.map((s) => [Array.from(s.train), Array.from(s.test)])).toEqual([
      [[0, 1, 2], [4, 5]],
      [[0, 1, 2, 3, 4], [6, 7]],
      [[0, 1, 2, 3, 4, 5, 6], [8, 9]],
    ]);
    expect(() => walkForwardSplit(4, { nSplits: 3, testSize: 2 })).toThrow(DataError);
  });
});

describe('purgedKFold', () => {
  it('property: no train index in [testStart - labelHorizon, testEnd + embargo]; test folds partition', () => {
    fc.assert(
      fc.property(fc.integer({ min: 4, max: 200 }), fc.integer({ min: 2, max: 8 }), fc.integer({ min: 0, max: 6 }), fc.integer({ min: 0, max: 6 }), (n, k, embargo, labelHorizon) => {
        let folds: readonly IndexSplit[];
        try {
          folds = purgedKFold(n, { k, embargo, labelHorizon });
        } catch (e) {
          expect(e).toBeInstanceOf(DataError);
          return;
        }
        const tests = folds.flatMap((f) => [...f.test]).sort((a, b) => a - b);
        expect(tests).toEqual(Array.from({ length: n }, (_, i) => i));
        for (const f of folds) {
          const s = f.test[0] as number;
          const e = f.test.at(-1) as number;
          expect(f.test.length).toBe(e - s + 1);
          expect(f.train.every((i) => i < s - labelHorizon || i > e + embargo)).toBe(true);
          // nothing else is removed: train is exactly the complement of the purged interval
          expect(f.train.length).toBe(n - (Math.min(n - 1, e + embargo) - Math.max(0, s - labelHorizon) + 1));
        }
      }),
      RUNS,
    );
  });

  it('equals unshuffled kFold when embargo = labelHorizon = 0', () => {
    expect(purgedKFold(23, { k: 4 })).toEqual(kFold(23, { k: 4 }));
  });
});
