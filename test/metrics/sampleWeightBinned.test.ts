import * as tf from '@tensorflow/tfjs-core';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DataError, InvalidOptionError, ShapeError } from '../../src/core/errors';
import { createRng } from '../../src/core/random';
import { calibrationCurve, psi, psiTable } from '../../src/metrics/index';
import { expectClose, expectNoLeak } from '../helpers/leak';

/** Labels, probabilities on a 0.05 grid (values on bin edges on purpose) and weights (some zero). */
function sample(seed: number, n: number): { y: number[]; p: number[]; w: number[] } {
  const rng = createRng(seed);
  const p = Array.from({ length: n }, () => Math.round(rng.next() * 20) / 20);
  const y = p.map((v) => (rng.next() < v ? 1 : 0));
  const w = p.map(() => (rng.next() < 0.2 ? 0 : rng.next() * 4));
  w[0] = 1;
  return { y, p, w };
}

const expand = <T>(xs: readonly T[], k: readonly number[]): T[] => xs.flatMap((x, i) => Array.from({ length: k[i] as number }, () => x));

describe('calibrationCurve with sampleWeight', () => {
  it('hand values: weighted means per bin, counts are weight sums', () => {
    // bin [0, 0.5]: p 0.2 with y 0 (w 3) and y 1 (w 1) → probTrue 1/4, weight 4; bin (0.5, 1]: weight 2
    const c = calibrationCurve([0, 1, 0, 1], [0.2, 0.2, 0.6, 0.6], { nBins: 2, sampleWeight: [3, 1, 1, 1] });
    expect(c.probTrue).toEqual([0.25, 0.5]);
    expect(c.counts).toEqual([4, 2]);
    expectClose(c.probPred, [0.2, 0.6], 1e-15);
    expect(c.binEdges).toEqual([0, 0.5, 1]);
    // a bin holding only zero-weight samples is empty
    const z = calibrationCurve([0, 1, 1], [0.1, 0.2, 0.9], { nBins: 2, sampleWeight: [0, 0, 2] });
    expect(z).toEqual({ probTrue: [1], probPred: [0.9], counts: [2], binEdges: [0, 0.5, 1] });
  });
  it('brute force: direct weighted means over the uniform bins (inner edge goes to the lower bin)', () => {
    for (const seed of [1, 2, 3]) {
      const { y, p, w } = sample(seed, 80);
      const nBins = 4;
      const c = calibrationCurve(y, p, { nBins, sampleWeight: w });
      const ref = { probTrue: [] as number[], probPred: [] as number[], counts: [] as number[] };
      for (let b = 0; b < nBins; b++) {
        const lo = b / nBins;
        const hi = (b + 1) / nBins;
        let sw = 0;
        let sy = 0;
        let sp = 0;
        p.forEach((v, i) => {
          const inBin = b === 0 ? v <= hi : v > lo && v <= hi;
          if (!inBin) return;
          sw += w[i] as number;
          sy += (w[i] as number) * (y[i] as number);
          sp += (w[i] as number) * v;
        });
        if (sw === 0) continue;
        ref.probTrue.push(sy / sw);
        ref.probPred.push(sp / sw);
        ref.counts.push(sw);
      }
      expectClose(c.probTrue, ref.probTrue, 1e-12);
      expectClose(c.probPred, ref.probPred, 1e-12);
      expectClose(c.counts, ref.counts, 1e-12);
    }
  });
  it("quantile edges are the unweighted quantiles of the samples with non-zero weight; weights only move the means", () => {
    const { y, p, w } = sample(4, 60);
    const keep = w.map((v) => v > 0);
    const yk = y.filter((_, i) => keep[i]);
    const pk = p.filter((_, i) => keep[i]);
    const wk = w.filter((_, i) => keep[i]);
    const c = calibrationCurve(y, p, { nBins: 4, strategy: 'quantile', sampleWeight: w });
    expect(c.binEdges).toEqual(calibrationCurve(yk, pk, { nBins: 4, strategy: 'quantile' }).binEdges);
    expect(c.binEdges).toEqual(calibrationCurve(y, p, { nBins: 4, strategy: 'quantile', sampleWeight: w.map((v) => v * 7) }).binEdges);
    expect(c).toEqual(calibrationCurve(yk, pk, { nBins: 4, strategy: 'quantile', sampleWeight: wk }));
  });
  it('scaling the weights scales the counts only', () => {
    const { y, p, w } = sample(5, 50);
    const a = calibrationCurve(y, p, { nBins: 5, sampleWeight: w });
    const b = calibrationCurve(y, p, { nBins: 5, sampleWeight: w.map((v) => v * 4) });
    expectClose(b.probTrue, a.probTrue, 1e-12);
    expectClose(b.probPred, a.probPred, 1e-12);
    expectClose(b.counts, a.counts.map((v) => v * 4), 1e-12);
  });
  it('integer weight k equals repeating the sample k times (uniform bins, fast-check)', () => {
    const row = fc.record({ y: fc.integer({ min: 0, max: 1 }), p: fc.integer({ min: 0, max: 20 }).map((v) => v / 20), k: fc.integer({ min: 0, max: 3 }) });
    fc.assert(
      fc.property(fc.array(row, { minLength: 1, maxLength: 25 }).filter((r) => r.some((x) => x.k > 0)), fc.integer({ min: 1, max: 6 }), (r, nBins) => {
        const k = r.map((x) => x.k);
        const y = r.map((x) => x.y);
        const p = r.map((x) => x.p);
        const a = calibrationCurve(y, p, { nBins, sampleWeight: k });
        const b = calibrationCurve(expand(y, k), expand(p, k), { nBins });
        expect(a.counts).toEqual(b.counts);
        expect(a.binEdges).toEqual(b.binEdges);
        expectClose(a.probTrue, b.probTrue, 1e-12);
        expectClose(a.probPred, b.probPred, 1e-12);
      }),
      { seed: 24, numRuns: 80 },
    );
  });
  it('unit weights give bit-identical results (both strategies)', () => {
    const { y, p } = sample(6, 70);
    const ones = y.map(() => 1);
    for (const strategy of ['uniform', 'quantile'] as const) {
      expect(calibrationCurve(y, p, { nBins: 7, strategy, sampleWeight: ones })).toStrictEqual(calibrationCurve(y, p, { nBins: 7, strategy }));
    }
  });
  it('rejects bad weights like the other weighted metrics', () => {
    const y = [0, 1, 1];
    const p = [0.2, 0.8, 0.6];
    expect(() => calibrationCurve(y, p, { sampleWeight: [1, 1] })).toThrow(ShapeError);
    expect(() => calibrationCurve(y, p, { sampleWeight: [1, 1] })).toThrow(/'sampleWeight' argument of calibrationCurve must be length 3 \(the length of yTrue\)/);
    expect(() => calibrationCurve(y, p, { sampleWeight: [1, -2, 1] })).toThrow(/non-negative weights. Got -2 at index 1/);
    expect(() => calibrationCurve(y, p, { sampleWeight: [1, Number.NaN, 1] })).toThrow(DataError);
    expect(() => calibrationCurve(y, p, { sampleWeight: [0, 0, 0] })).toThrow(/at least one positive weight/);
    expect(() => calibrationCurve(y, p, { sampleWeight: 2 as unknown as number[] })).toThrow(InvalidOptionError);
  });
});

describe('psi / psiTable with expectedWeight and actualWeight', () => {
  it('hand values: shares are weight shares, counts weight sums', () => {
    // actual shares 3/4, 1/4 against 1/2, 1/2: PSI = 0.25·ln(1.5) − 0.25·ln(0.5) = ln(3)/4
    expectClose([psi([1, 2, 3, 4], [1, 4], { edges: [2.5], actualWeight: [3, 1] })], [Math.log(3) / 4], 1e-15);
    const t = psiTable([1, 2, 3], [1, 2, 3], { edges: [1.5, 2.5], expectedWeight: [2, 1, 1], actualWeight: [0, 1, 1] });
    expect(t.bins.map((b) => b.expectedCount)).toEqual([2, 1, 1]);
    expect(t.bins.map((b) => b.actualCount)).toEqual([0, 1, 1]);
    expect(t.bins.map((b) => b.expectedShare)).toEqual([0.5, 0.25, 0.25]);
    expect(t.bins.map((b) => b.actualShare)).toEqual([1e-4, 0.5, 0.5]);
    const ref = (1e-4 - 0.5) * Math.log(1e-4 / 0.5) + 2 * 0.25 * Math.log(2);
    expectClose([t.psi], [ref], 1e-14);
  });
  it('brute force: weighted shares over fixed edges; symmetric in (sample, weight) pairs', () => {
    for (const seed of [7, 8]) {
      const a = sample(seed, 60);
      const b = sample(seed + 10, 45);
      const e = a.p.map((v) => v * 2 - 0.3);
      const x = b.p.map((v) => v * 2 - 0.1);
      const edges = [0, 0.5, 1, 1.5];
      const shares = (v: number[], w: number[]): number[] => {
        const tot = w.reduce((s, q) => s + q, 0);
        return [0, 1, 2, 3, 4].map((k) => {
          const lo = k === 0 ? -Infinity : (edges[k - 1] as number);
          const hi = k === 4 ? Infinity : (edges[k] as number);
          const sw = v.reduce((s, q, i) => (q > lo && q <= hi ? s + (w[i] as number) : s), 0);
          return sw === 0 ? 1e-4 : sw / tot;
        });
      };
      const se = shares(e, a.w);
      const sx = shares(x, b.w);
      const ref = se.reduce((s, q, k) => s + ((sx[k] as number) - q) * Math.log((sx[k] as number) / q), 0);
      const o = { edges, expectedWeight: a.w, actualWeight: b.w };
      const t = psiTable(e, x, o);
      expectClose(t.bins.map((q) => q.expectedShare), se, 1e-12);
      expectClose(t.bins.map((q) => q.actualShare), sx, 1e-12);
      expectClose([t.psi], [ref], 1e-12);
      expectClose([psi(x, e, { edges, expectedWeight: b.w, actualWeight: a.w })], [t.psi], 1e-12);
    }
  });
  it('quantile cuts are the unweighted quantiles of the expected values with non-zero weight', () => {
    const { p: e, w } = sample(9, 50);
    const x = sample(10, 40).p;
    const ek = e.filter((_, i) => (w[i] as number) > 0);
    const wk = w.filter((v) => v > 0);
    const t = psiTable(e, x, { bins: 4, expectedWeight: w });
    const cutsOf = (tb: ReturnType<typeof psiTable>): number[] => tb.bins.slice(1).map((q) => q.lower);
    expect(cutsOf(t)).toEqual(cutsOf(psiTable(ek, x, { bins: 4 })));
    expect(t).toEqual(psiTable(ek, x, { bins: 4, expectedWeight: wk }));
  });
  it('integer weights equal repetition (fixed edges, fast-check)', () => {
    const val = fc.record({ v: fc.integer({ min: -4, max: 8 }).map((q) => q / 2), k: fc.integer({ min: 0, max: 3 }) });
    const side = fc.array(val, { minLength: 1, maxLength: 20 }).filter((r) => r.some((q) => q.k > 0));
    fc.assert(
      fc.property(side, side, (re, ra) => {
        const edges = [-1, 0.5, 1, 2.5];
        const ke = re.map((q) => q.k);
        const ka = ra.map((q) => q.k);
        const e = re.map((q) => q.v);
        const a = ra.map((q) => q.v);
        const t = psiTable(e, a, { edges, expectedWeight: ke, actualWeight: ka });
        const r = psiTable(expand(e, ke), expand(a, ka), { edges });
        expect(t.bins.map((q) => [q.expectedCount, q.actualCount])).toEqual(r.bins.map((q) => [q.expectedCount, q.actualCount]));
        expectClose(t.bins.map((q) => q.expectedShare), r.bins.map((q) => q.expectedShare), 1e-12);
        expectClose(t.bins.map((q) => q.actualShare), r.bins.map((q) => q.actualShare), 1e-12);
        expectClose([t.psi], [r.psi], 1e-10);
      }),
      { seed: 25, numRuns: 80 },
    );
  });
  it('unit weights give bit-identical results', () => {
    const e = sample(11, 70).p;
    const a = sample(12, 55).p;
    const o = { expectedWeight: e.map(() => 1), actualWeight: a.map(() => 1) };
    expect(psiTable(e, a, o)).toStrictEqual(psiTable(e, a));
    expect(psiTable(e, a, { ...o, edges: [0.2, 0.5] })).toStrictEqual(psiTable(e, a, { edges: [0.2, 0.5] }));
    expect(Object.is(psi(e, a, o), psi(e, a))).toBe(true);
  });
  it('rejects bad weights naming the weight argument and its sample', () => {
    expect(() => psi([1, 2, 3], [1, 2], { expectedWeight: [1, 1] })).toThrow(ShapeError);
    expect(() => psi([1, 2, 3], [1, 2], { expectedWeight: [1, 1] })).toThrow(/'expectedWeight' argument of psi must be length 3 \(the length of expected\)/);
    expect(() => psiTable([1, 2, 3], [1, 2], { actualWeight: [1, 1, 1] })).toThrow(/'actualWeight' argument of psiTable must be length 2 \(the length of actual\)/);
    expect(() => psi([1, 2], [1, 2], { actualWeight: [1, -1] })).toThrow(DataError);
    expect(() => psi([1, 2], [1, 2], { actualWeight: [1, -1] })).toThrow(/'actualWeight' argument of psi must be non-negative weights. Got -1 at index 1/);
    expect(() => psi([1, 2], [1, 2], { expectedWeight: [0, 0] })).toThrow(/at least one positive weight/);
    expect(() => psi([1, 2], [1, 2], { expectedWeight: [1, Number.POSITIVE_INFINITY] })).toThrow(DataError);
    expect(() => psi([1, 2], [1, 2], { actualWeight: 'w' as unknown as number[] })).toThrow(/'actualWeight' option of psi/);
  });
});

describe('weighted calibrationCurve and psi: tensors', () => {
  it('accept tensor and Float64Array weights, never mutate or dispose them, and leak nothing', async () => {
    const y = [0, 1, 1, 0, 1];
    const p = [0.2, 0.8, 0.6, 0.4, 0.3];
    const w = [2, 1, 0.5, 3, 1];
    const wt = tf.tensor1d(w);
    const wf = Float64Array.from(w);
    expect(calibrationCurve(y, p, { sampleWeight: wt })).toEqual(calibrationCurve(y, p, { sampleWeight: w }));
    expect(psiTable(p, p, { bins: 2, expectedWeight: wf, actualWeight: wt })).toEqual(psiTable(p, p, { bins: 2, expectedWeight: w, actualWeight: w }));
    expect(Array.from(wf)).toEqual(w);
    const yt = tf.tensor1d(y);
    const pt = tf.tensor2d(p, [5, 1]);
    await expectNoLeak(() => {
      calibrationCurve(yt, pt, { sampleWeight: wt });
      psi(pt, yt, { edges: [0.5], expectedWeight: wt, actualWeight: wt });
    });
    expect(wt.isDisposed).toBe(false);
    expect(Array.from(wt.dataSync())).toEqual(w);
    tf.dispose([wt, yt, pt]);
  });
});
