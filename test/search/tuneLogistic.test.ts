import { describe, expect, it } from 'vitest';
import { createRng } from '../../src/core/random';
import { bayesSearch, crossValidate, gridSearch, logUniform, space, type Fold } from '../../src/search/index';

// End to end: tune the L2 penalty and learning rate of a tiny logistic regression (plain-JS batch
// gradient descent, written here) with 3-fold CV. Data: 20 features, only 3 informative, 90 rows,
// so an unpenalised fit overfits and a huge penalty underfits.
const D = 20;
function makeData(n: number, seed: number): { x: number[][]; y: number[] } {
  const rng = createRng(seed);
  const w = [1.5, -2, 1];
  const x: number[][] = [];
  const y: number[] = [];
  for (let i = 0; i < n; i++) {
    const row = Array.from({ length: D }, () => rng.normal());
    const z = w[0]! * row[0]! + w[1]! * row[1]! + w[2]! * row[2]!;
    x.push(row);
    y.push(rng.next() < 1 / (1 + Math.exp(-z)) ? 1 : 0);
  }
  return { x, y };
}
const train = makeData(90, 1);
const holdout = makeData(2000, 2);

function fitLogistic(x: readonly number[][], y: readonly number[], rows: ArrayLike<number>, l2: number, lr: number, epochs = 150): number[] {
  const w = new Array<number>(D + 1).fill(0); // last = bias
  const n = rows.length;
  for (let e = 0; e < epochs; e++) {
    const g = new Array<number>(D + 1).fill(0);
    for (let r = 0; r < n; r++) {
      const i = rows[r]!;
      const xi = x[i]!;
      let z = w[D]!;
      for (let j = 0; j < D; j++) z += w[j]! * xi[j]!;
      const err = 1 / (1 + Math.exp(-z)) - y[i]!;
      for (let j = 0; j < D; j++) g[j]! += (err * xi[j]!) / n;
      g[D]! += err / n;
    }
    for (let j = 0; j < D; j++) w[j]! -= lr * (g[j]! + l2 * w[j]!);
    w[D]! -= lr * g[D]!;
  }
  return w;
}

function negLogLoss(w: readonly number[], x: readonly number[][], y: readonly number[], rows: ArrayLike<number>): number {
  let s = 0;
  for (let r = 0; r < rows.length; r++) {
    const i = rows[r]!;
    let z = w[D]!;
    for (let j = 0; j < D; j++) z += w[j]! * x[i]![j]!;
    const p = Math.min(1 - 1e-12, Math.max(1e-12, 1 / (1 + Math.exp(-z))));
    s += y[i] === 1 ? Math.log(p) : Math.log(1 - p);
  }
  return s / rows.length;
}

function kFold3(n: number, seed: number): Fold[] {
  const perm = createRng(seed).permutation(n);
  return [0, 1, 2].map((k) => ({
    train: perm.filter((_, i) => i % 3 !== k),
    test: perm.filter((_, i) => i % 3 === k),
  }));
}

const folds = kFold3(train.x.length, 7);
const objective = (p: { readonly l2: number; readonly lr: number }, fold: Fold): number =>
  negLogLoss(fitLogistic(train.x, train.y, fold.train, p.l2, p.lr), train.x, train.y, fold.test);
const allRows = Int32Array.from({ length: holdout.x.length }, (_, i) => i);
const trainRows = Int32Array.from({ length: train.x.length }, (_, i) => i);
const holdoutScore = (l2: number, lr: number): number => negLogLoss(fitLogistic(train.x, train.y, trainRows, l2, lr), holdout.x, holdout.y, allRows);

describe('tuning a tiny logistic regression with 3-fold CV', () => {
  const l2Grid = [1e-4, 1e-2, 1e-1, 1, 10];
  const s = space({ l2: logUniform(1e-4, 10, { grid: l2Grid }), lr: logUniform(0.05, 2, { grid: [0.5] }) });

  it('grid search picks the CV-best penalty, which is an interior value that generalises better', async () => {
    const r = await gridSearch(s, objective, { direction: 'maximize', cv: folds });
    expect(r.trials).toHaveLength(5);
    // brute force: crossValidate each grid value independently
    const cvScores = await Promise.all(l2Grid.map(async (l2) => (await crossValidate((f) => objective({ l2, lr: 0.5 }, f), folds)).mean));
    const bestIdx = cvScores.indexOf(Math.max(...cvScores));
    expect(r.best.params.l2).toBe(l2Grid[bestIdx]);
    expect(r.best.score).toBeCloseTo(cvScores[bestIdx]!, 12);
    expect(r.best.foldScores).toHaveLength(3);
    // regularisation matters here: neither extreme is best
    expect(r.best.params.l2).toBeGreaterThan(1e-4);
    expect(r.best.params.l2).toBeLessThan(10);
    // and the CV choice beats both extremes on a large independent sample
    const tuned = holdoutScore(r.best.params.l2, 0.5);
    expect(tuned).toBeGreaterThan(holdoutScore(1e-4, 0.5));
    expect(tuned).toBeGreaterThan(holdoutScore(10, 0.5));
  });

  it('TPE over continuous log-scale l2 and learning rate matches or beats the grid', async () => {
    const grid = await gridSearch(s, objective, { direction: 'maximize', cv: folds });
    const b = await bayesSearch(s, objective, { direction: 'maximize', cv: folds, nTrials: 20, nStartup: 8, seed: 1 });
    expect(b.best.score).toBeGreaterThan(grid.best.score - 0.01);
    expect(holdoutScore(b.best.params.l2, b.best.params.lr)).toBeGreaterThan(holdoutScore(1e-4, 0.5));
  });
});
