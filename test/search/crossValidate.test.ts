import { describe, expect, it } from 'vitest';
import { DataError, InvalidOptionError } from '../../src/core/errors';
import { crossValidate, type Fold } from '../../src/search/index';
import { resolveFolds } from '../../src/search/crossValidate';

const folds: Fold[] = [
  { train: Int32Array.of(2, 3, 4, 5), test: Int32Array.of(0, 1) },
  { train: Int32Array.of(0, 1, 4, 5), test: Int32Array.of(2, 3) },
  { train: Int32Array.of(0, 1, 2, 3), test: Int32Array.of(4, 5) },
];
const y = [1, 3, 2, 6, 4, 8];

describe('crossValidate', () => {
  it('uses every fold once, in order, and returns mean / population std / scores', async () => {
    const used: number[] = [];
    // score: negative MAE of predicting the train mean
    const r = await crossValidate((fold, i) => {
      used.push(i);
      expect(fold).toBe(folds[i]);
      const m = fold.train.reduce((a, j) => a + y[j]!, 0) / fold.train.length;
      return -fold.test.reduce((a, j) => a + Math.abs(y[j]! - m), 0) / fold.test.length;
    }, folds);
    expect(used).toEqual([0, 1, 2]);
    // fold 0: train mean 5 -> |1-5|,|3-5| = 3; fold 1: mean 4 -> |2-4|,|6-4| = 2; fold 2: mean 3 -> |4-3|,|8-3| = 3
    expect(r.scores).toEqual([-3, -2, -3]);
    expect(r.mean).toBeCloseTo(-8 / 3, 12);
    expect(r.std).toBeCloseTo(Math.sqrt(((1 / 3) ** 2 * 2 + (2 / 3) ** 2) / 3), 12);
    expect(Object.isFrozen(r)).toBe(true);
  });

  it('every row is tested exactly once across K folds built by hand', async () => {
    const n = 10;
    const k = 3;
    const kf: Fold[] = [];
    for (let i = 0; i < k; i++) {
      const test = Int32Array.from({ length: n }, (_, j) => j).filter((j) => j % k === i);
      const train = Int32Array.from({ length: n }, (_, j) => j).filter((j) => j % k !== i);
      kf.push({ train, test });
    }
    const tested = new Array<number>(n).fill(0);
    await crossValidate(async (fold) => {
      await Promise.resolve();
      for (const j of fold.test) tested[j]! += 1;
      return fold.test.length;
    }, () => kf);
    expect(tested).toEqual(new Array<number>(n).fill(1));
  });

  it('rejects bad folds and bad scores', async () => {
    await expect(crossValidate(() => 1, [])).rejects.toThrow(InvalidOptionError);
    await expect(crossValidate(() => 1, [{ train: Int32Array.of(0), test: new Int32Array(0) }])).rejects.toThrow(/'folds\[0\]\.test'/);
    await expect(crossValidate(() => 1, [{ train: [0] as never, test: Int32Array.of(1) }])).rejects.toThrow(/'folds\[0\]\.train'/);
    await expect(crossValidate(() => 1, [{ train: Int32Array.of(0, 1), test: Int32Array.of(1) }])).rejects.toThrow(/disjoint/);
    await expect(crossValidate(() => 1, [{ train: Int32Array.of(-1), test: Int32Array.of(1) }])).rejects.toThrow(/non-negative/);
    await expect(crossValidate(3 as never, folds)).rejects.toThrow(/'fitAndScore' option of crossValidate/);
    await expect(crossValidate((_f, i) => (i === 1 ? Number.NaN : 1), folds)).rejects.toThrow(DataError);
    await expect(crossValidate((_f, i) => (i === 1 ? Number.NaN : 1), folds)).rejects.toThrow(/NaN on fold 1/);
  });

  it('resolveFolds returns a frozen copy without touching the input', () => {
    const input = folds.slice();
    const out = resolveFolds(input, 'x', 'cv');
    expect(out).toEqual(folds);
    expect(out).not.toBe(input);
    expect(Object.isFrozen(out)).toBe(true);
    expect(Object.isFrozen(input)).toBe(false);
  });
});
