import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { extractTarget } from '../../src/data/extractTarget';
import { parseCsv } from '../../src/data/parseCsv';
import { purgedKFold } from '../../src/data/purgedKFold';
import { standardScaler } from '../../src/data/standardScaler';
import { stratifiedKFold } from '../../src/data/stratifiedKFold';
import { tableToMatrix } from '../../src/data/tableToMatrix';
import { walkForwardSplit } from '../../src/data/walkForwardSplit';
import { rocAuc } from '../../src/metrics/rocAuc';
import { bayesSearch, crossValidate, gridSearch, logUniform, randomSearch, space, uniform, type Fold } from '../../src/search/index';

// Integration with finml's splitters (src/data) on the real datasets in data/.

describe('search with stratifiedKFold on German credit (logistic L2 penalty)', () => {
  const table = parseCsv(readFileSync(new URL('../../data/german_credit_dummies.csv', import.meta.url), 'utf8'));
  const { y, features } = extractTarget(table, 'Class', { positive: 'Bad' });
  const m = tableToMatrix(features);
  const x: number[][] = Array.from({ length: m.rows }, (_, i) => Array.from(m.data.subarray(i * m.cols, (i + 1) * m.cols)));
  const labels = Array.from(y);
  const folds = stratifiedKFold(labels, { k: 3, shuffle: true, seed: 42 });
  const D = m.cols;

  const take = (rows: Int32Array): number[][] => Array.from(rows, (i) => x[i]!);
  /** Plain-JS batch gradient descent logistic regression on scaler-fitted-on-train features. */
  const fitScore = (l2: number, fold: Fold): number => {
    const scaler = standardScaler().fit(take(fold.train));
    const xtr = scaler.transform(take(fold.train));
    const xte = scaler.transform(take(fold.test));
    const w = new Array<number>(D + 1).fill(0);
    const n = xtr.length;
    for (let e = 0; e < 60; e++) {
      const g = new Array<number>(D + 1).fill(0);
      for (let r = 0; r < n; r++) {
        const xi = xtr[r]!;
        let z = w[D]!;
        for (let j = 0; j < D; j++) z += w[j]! * xi[j]!;
        const err = 1 / (1 + Math.exp(-z)) - labels[fold.train[r]!]!;
        for (let j = 0; j < D; j++) g[j]! += (err * xi[j]!) / n;
        g[D]! += err / n;
      }
      for (let j = 0; j < D; j++) w[j]! -= 0.5 * (g[j]! + l2 * w[j]!);
      w[D]! -= 0.5 * g[D]!;
    }
    const scores = xte.map((xi) => xi.reduce((a, v, j) => a + v * w[j]!, w[D]!));
    return rocAuc(Array.from(fold.test, (i) => labels[i]!), scores);
  };

  it('scores every stratified fold, picks the CV-best penalty and beats heavy shrinkage', async () => {
    const seen = new Set<Fold>();
    const r = await gridSearch(
      space({ l2: logUniform(1e-3, 10, { grid: [1e-3, 1e-1, 10] }) }),
      (p, fold) => {
        seen.add(fold);
        return fitScore(p.l2, fold);
      },
      { direction: 'maximize', cv: folds },
    );
    expect([...seen]).toEqual([...folds]);
    const tested = new Int32Array(x.length);
    for (const f of folds) for (const i of f.test) tested[i]! += 1;
    expect(tested.every((c) => c === 1)).toBe(true);
    expect(r.best.foldScores).toHaveLength(3);
    const brute = await Promise.all([1e-3, 1e-1, 10].map(async (l2) => (await crossValidate((f) => fitScore(l2, f), folds)).mean));
    expect(r.best.score).toBeCloseTo(Math.max(...brute), 12);
    expect(r.best.score).toBeGreaterThan(0.7); // a linear model on German credit reaches AUC ~0.78
    expect(r.best.params.l2).toBeLessThan(10);
  });
});

describe('search with walkForwardSplit and purgedKFold on DAX returns', () => {
  const csv = readFileSync(new URL('../../data/eu_stock_markets.csv', import.meta.url), 'utf8').trim().split('\n');
  const dax = csv.slice(1).map((line) => Number(line.split(',')[2]));
  const r = dax.slice(1).map((p, i) => Math.log(p / dax[i]!));

  it('walk-forward: tunes an EWMA variance decay, every train index precedes its test window', async () => {
    const folds = walkForwardSplit(r.length, { nSplits: 4, testSize: 250, gap: 5 });
    const qlike = (lambda: number, fold: Fold): number => {
      let v = 0;
      for (const i of fold.train) v += r[i]! ** 2 / fold.train.length;
      for (const i of fold.train) v = lambda * v + (1 - lambda) * r[i]! ** 2;
      let loss = 0;
      let prev = fold.train[fold.train.length - 1]!;
      for (const i of fold.test) {
        for (let j = prev + 1; j < i; j++) v = lambda * v + (1 - lambda) * r[j]! ** 2; // the gap rows are observed, not scored
        loss += Math.log(v) + r[i]! ** 2 / v;
        v = lambda * v + (1 - lambda) * r[i]! ** 2;
        prev = i;
      }
      return loss / fold.test.length;
    };
    const calls: number[] = [];
    const res = await bayesSearch(space({ lambda: uniform(0.5, 0.999) }), (p, fold, k) => {
      calls.push(k);
      expect(fold).toBe(folds[k]);
      expect(Math.max(...fold.train)).toBeLessThan(Math.min(...fold.test) - 5);
      return qlike(p.lambda, fold);
    }, { direction: 'minimize', cv: folds, nTrials: 20, seed: 1 });
    expect(calls).toHaveLength(80);
    expect(res.best.params.lambda).toBeGreaterThan(0.85);
    expect(res.best.score).toBeLessThan((await crossValidate((f) => qlike(0.5, f), folds)).mean);
  });

  it('purged K-fold (from a fold factory): tunes the decay of a volatility feature for overlapping 5-day labels', async () => {
    const h = 4; // label window [i, i + 4]: 5-day realised variance
    const n = r.length - h;
    const label = Array.from({ length: n }, (_, i) => r.slice(i, i + h + 1).reduce((a, v) => a + v * v, 0));
    const feature = (lambda: number): Float64Array => {
      const f = new Float64Array(n);
      let v = r.slice(0, 20).reduce((a, x) => a + x * x, 0) / 20;
      for (let i = 0; i < n; i++) {
        f[i] = v; // known before day i
        v = lambda * v + (1 - lambda) * r[i]! ** 2;
      }
      return f;
    };
    const negMse = (lambda: number, fold: Fold): number => {
      const f = feature(lambda);
      let mx = 0;
      let my = 0;
      for (const i of fold.train) {
        mx += f[i]! / fold.train.length;
        my += label[i]! / fold.train.length;
      }
      let sxy = 0;
      let sxx = 0;
      for (const i of fold.train) {
        sxy += (f[i]! - mx) * (label[i]! - my);
        sxx += (f[i]! - mx) ** 2;
      }
      const b = sxy / sxx;
      let mse = 0;
      for (const i of fold.test) mse += (label[i]! - (my + b * (f[i]! - mx))) ** 2 / fold.test.length;
      return -mse * 1e6;
    };
    let made = 0;
    const factory = (): readonly Fold[] => {
      made++;
      return purgedKFold(n, { k: 5, labelHorizon: h, embargo: 5 });
    };
    const folds = factory();
    for (const f of folds) {
      const s = f.test[0]!;
      const e = f.test[f.test.length - 1]!;
      for (const i of f.train) expect(i < s - h || i > e + 5).toBe(true);
    }
    const s = space({ lambda: uniform(0.5, 0.99) });
    const tpe = await bayesSearch(s, (p, fold) => negMse(p.lambda, fold), { direction: 'maximize', cv: factory, nTrials: 20, seed: 2 });
    const rnd = await randomSearch(s, (p, fold) => negMse(p.lambda, fold), { direction: 'maximize', cv: factory, nTrials: 20, seed: 2 });
    expect(made).toBe(3);
    expect(tpe.best.foldScores).toHaveLength(5);
    expect(tpe.best.score).toBeGreaterThan((await crossValidate((f) => negMse(0.5, f), folds)).mean);
    // both land close to the optimum of a 50-point brute-force scan
    const scan = await gridSearch(space({ lambda: uniform(0.5, 0.99, { grid: Array.from({ length: 50 }, (_, i) => 0.5 + (0.49 * i) / 49) }) }),
      (p, fold) => negMse(p.lambda, fold), { direction: 'maximize', cv: folds });
    expect(tpe.best.score).toBeGreaterThan(scan.best.score - 0.02 * Math.abs(scan.best.score));
    expect(rnd.best.score).toBeGreaterThan(scan.best.score - 0.02 * Math.abs(scan.best.score));
  });
});
