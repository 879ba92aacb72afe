import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { DataError, InvalidOptionError, ShapeError } from '../../src/core/errors';
import { createRng } from '../../src/core/random';
import { gini, ksStatistic, psi, psiTable, rocAuc } from '../../src/metrics/index';
import { expectClose, expectNoLeak } from '../helpers/leak';

function scores(seed: number, n: number): { y: number[]; s: number[] } {
  const rng = createRng(seed);
  const y: number[] = [];
  const s: number[] = [];
  for (let i = 0; i < n; i++) {
    const label = i % 3 === 0 ? 1 : 0;
    y.push(label);
    s.push(Math.round((rng.normal() + label) * 20) / 20); // ties on purpose
  }
  return { y, s };
}

/** Two-sample KS statistic by definition: sup over x of |F_pos(x) - F_neg(x)| (empirical CDFs). */
function ks2samp(pos: number[], neg: number[]): number {
  let best = 0;
  for (const x of [...pos, ...neg]) {
    const fp = pos.filter((v) => v <= x).length / pos.length;
    const fn = neg.filter((v) => v <= x).length / neg.length;
    best = Math.max(best, Math.abs(fp - fn));
  }
  return best;
}

describe('ksStatistic', () => {
  it('equals the two-sample KS statistic between positive and negative scores', () => {
    for (const seed of [1, 2, 3]) {
      const { y, s } = scores(seed, 90);
      const ks = ksStatistic(y, s);
      expectClose([ks.statistic], [ks2samp(s.filter((_, i) => y[i] === 1), s.filter((_, i) => y[i] === 0))], 1e-12);
    }
  });
  it('reports the cut-off where the gap occurs', () => {
    // positives 0.6, 0.8, 0.9; negatives 0.1, 0.3, 0.7: at score >= 0.8 TPR 2/3, FPR 0 (gap 2/3); at >= 0.6 TPR 1, FPR 1/3 (gap 2/3)
    const ks = ksStatistic([1, 1, 1, 0, 0, 0], [0.6, 0.8, 0.9, 0.1, 0.3, 0.7]);
    expectClose([ks.statistic], [2 / 3], 1e-15);
    expect(ks.threshold).toBe(0.8); // the highest cut-off among ties
    expect(ks.fpr).toBe(0);
    expect(ksStatistic([1, 0, 1, 0], [0.9, 0.1, 0.8, 0.2])).toEqual({ statistic: 1, threshold: 0.8, tpr: 1, fpr: 0 });
  });
  it('rejects a single class', () => {
    expect(() => ksStatistic([0, 0, 0], [0.1, 0.2, 0.3])).toThrow(DataError);
  });
});

describe('gini', () => {
  it('is 2 AUC - 1', () => {
    const { y, s } = scores(5, 60);
    expectClose([gini(y, s)], [2 * rocAuc(y, s) - 1], 1e-15);
    expect(gini([0, 1], [0.1, 0.9])).toBe(1);
    expect(gini([0, 1], [0.9, 0.1])).toBe(-1);
  });
});

describe('psi', () => {
  it('is 0 for identical samples', () => {
    const rng = createRng(11);
    const x = Array.from({ length: 200 }, () => rng.normal());
    expect(psi(x, x)).toBe(0);
    expect(psi(x, [...x].reverse(), { edges: [-1, 0, 1] })).toBe(0);
  });
  it('is symmetric with fixed edges', () => {
    const rng = createRng(12);
    const a = Array.from({ length: 300 }, () => rng.normal());
    const b = Array.from({ length: 200 }, () => rng.normal() * 1.3 + 0.4);
    const edges = [-2, -1, -0.5, 0, 0.5, 1, 2];
    const ab = psi(a, b, { edges });
    expect(ab).toBeGreaterThan(0.05);
    expectClose([psi(b, a, { edges })], [ab], 1e-14);
  });
  it('matches a hand computation, with the per-bin table', () => {
    // edges [0.5, 1.5]: bins (-inf,0.5], (0.5,1.5], (1.5,inf)
    const expected = [0, 0, 1, 1, 1, 2, 2, 2, 2, 2]; // shares .2 .3 .5
    const actual = [0, 1, 1, 2]; // shares .25 .5 .25
    const t = psiTable(expected, actual, { edges: [0.5, 1.5] });
    const want = (0.25 - 0.2) * Math.log(0.25 / 0.2) + (0.5 - 0.3) * Math.log(0.5 / 0.3) + (0.25 - 0.5) * Math.log(0.25 / 0.5);
    expectClose([t.psi], [want], 1e-15);
    expect(t.bins.map((b) => [b.lower, b.upper])).toEqual([
      [Number.NEGATIVE_INFINITY, 0.5],
      [0.5, 1.5],
      [1.5, Number.POSITIVE_INFINITY],
    ]);
    expect(t.bins.map((b) => b.expectedCount)).toEqual([2, 3, 5]);
    expect(t.bins.map((b) => b.actualCount)).toEqual([1, 2, 1]);
    expectClose(t.bins.map((b) => b.contribution).reduce((x, y) => [x[0]! + y], [0]), [t.psi], 1e-15);
    expect(psi(expected, actual, { edges: [0.5, 1.5] })).toBe(t.psi);
  });
  it('replaces empty-bin shares with epsilon', () => {
    const t = psiTable([1, 2, 3, 4], [3, 4, 4, 4], { edges: [2.5], epsilon: 1e-3 });
    expect(t.bins[0]?.actualShare).toBe(1e-3);
    expectClose([t.psi], [(1e-3 - 0.5) * Math.log(1e-3 / 0.5) + 0.5 * Math.log(2)], 1e-15);
  });
  it('quantile bins of expected hold equal shares; ties merge bins', () => {
    const e = Array.from({ length: 100 }, (_, i) => i);
    const t = psiTable(e, e.map((v) => v + 0.25), { bins: 4 });
    expect(t.bins.map((b) => b.expectedCount)).toEqual([25, 25, 25, 25]);
    expect(t.bins.map((b) => b.upper).slice(0, 3)).toEqual([24.75, 49.5, 74.25]);
    const tied = psiTable([1, 1, 1, 1, 2], [1, 2], { bins: 5 });
    // quantile cut points 1, 1, 1, 1.2 -> distinct [1, 1.2]: bins (-inf,1], (1,1.2], (1.2,inf)
    expectClose(tied.bins.map((b) => b.upper).slice(0, 2), [1, 1.2], 1e-15);
    expect(tied.bins.map((b) => b.expectedCount)).toEqual([4, 0, 1]);
  });
  it('validates inputs and options', () => {
    expect(() => psi([], [1])).toThrow(DataError);
    expect(() => psi([1, Number.NaN], [1])).toThrow(DataError);
    expect(() => psi([1, 2], [1], { edges: [2, 1] })).toThrow(InvalidOptionError);
    expect(() => psi([1, 2], [1], { bins: 0 })).toThrow(InvalidOptionError);
    expect(() => psi([1, 2], [1], { epsilon: 0 })).toThrow(InvalidOptionError);
    expect(() => ksStatistic([0, 1, 1], [0.1, 0.2])).toThrow(ShapeError);
  });
  it('accepts tensors without leaking', async () => {
    const a = tf.tensor1d([0.1, 0.5, 0.3, 0.9, 0.7]);
    const b = tf.tensor1d([0.2, 0.6, 0.6, 0.8]);
    const y = tf.tensor1d([0, 1, 0, 1, 1]);
    try {
      expect(psi(a, b, { bins: 2 })).toBe(psi([0.1, 0.5, 0.3, 0.9, 0.7], Float32Array.from([0.2, 0.6, 0.6, 0.8]), { bins: 2 }));
      await expectNoLeak(() => {
        psi(a, b);
        psiTable(a, b, { edges: [0.5] });
        ksStatistic(y, a);
        gini(y, a);
      });
    } finally {
      tf.dispose([a, b, y]);
    }
  });
});
