import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { bayesSearch, crossValidate, gridSearch, randomSearch, space, uniform, type Fold } from '../../src/search/index';

// Time-series CV on real data: tune the decay of an EWMA (RiskMetrics-style) variance forecast of
// daily DAX log returns (data/eu_stock_markets.csv) with expanding-window walk-forward folds.
const csv = readFileSync(new URL('../../data/eu_stock_markets.csv', import.meta.url), 'utf8').trim().split('\n');
const dax = csv.slice(1).map((line) => Number(line.split(',')[2]));
const r = dax.slice(1).map((p, i) => Math.log(p / dax[i]!));

/** Expanding-window walk-forward folds: train = everything before the test block. */
function walkForward(n: number, nSplits: number, testSize: number): Fold[] {
  const folds: Fold[] = [];
  for (let k = 0; k < nSplits; k++) {
    const start = n - (nSplits - k) * testSize;
    folds.push({
      train: Int32Array.from({ length: start }, (_, i) => i),
      test: Int32Array.from({ length: testSize }, (_, i) => start + i),
    });
  }
  return folds;
}

/** Mean QLIKE loss of one-step EWMA variance forecasts on the test block (lower is better). */
function qlike(lambda: number, fold: Fold): number {
  let v = 0;
  for (const i of fold.train) v += r[i]! ** 2 / fold.train.length; // start from the train variance
  for (const i of fold.train) v = lambda * v + (1 - lambda) * r[i]! ** 2; // filter through train
  let loss = 0;
  for (const i of fold.test) {
    loss += Math.log(v) + r[i]! ** 2 / v; // forecast made before seeing r[i]
    v = lambda * v + (1 - lambda) * r[i]! ** 2;
  }
  return loss / fold.test.length;
}

describe('walk-forward CV on DAX returns (EWMA variance decay)', () => {
  const folds = walkForward(r.length, 4, 250);
  const s = space({ lambda: uniform(0.5, 0.999, { grid: Array.from({ length: 50 }, (_, i) => 0.5 + (0.499 * i) / 49) }) });

  it('folds respect time order and every test block is used', async () => {
    for (const f of folds) expect(Math.max(...f.train)).toBeLessThan(Math.min(...f.test));
    const used: number[] = [];
    await crossValidate((f, i) => {
      used.push(i);
      return qlike(0.94, f);
    }, folds);
    expect(used).toEqual([0, 1, 2, 3]);
  });

  it('TPE finds the grid optimum decay with half the evaluations of the grid, concentrating its trials there', async () => {
    const grid = await gridSearch(s, (p, f) => qlike(p.lambda, f), { direction: 'minimize', cv: folds });
    const tpe = await bayesSearch(s, (p, f) => qlike(p.lambda, f), { direction: 'minimize', cv: folds, nTrials: 25, seed: 1 });
    const rnd = await randomSearch(s, (p, f) => qlike(p.lambda, f), { direction: 'minimize', cv: folds, nTrials: 25, seed: 1 });
    // persistence: the optimal decay is high, as in RiskMetrics (0.94 for daily data)
    expect(grid.best.params.lambda).toBeGreaterThan(0.85);
    expect(tpe.best.score).toBeLessThanOrEqual(grid.best.score + 1e-3);
    expect(Math.abs(tpe.best.params.lambda - grid.best.params.lambda)).toBeLessThan(0.03);
    // after the 10 startup draws, TPE samples near the optimum; random search keeps spreading out
    const star = grid.best.params.lambda;
    const medianGap = (res: typeof tpe): number => {
      const gaps = res.trials.filter((t) => t.index >= 10).map((t) => Math.abs(t.params.lambda - star)).sort((a, b) => a - b);
      return gaps[Math.floor(gaps.length / 2)]!;
    };
    expect(medianGap(tpe)).toBeLessThan(0.5 * medianGap(rnd));
    expect(tpe.best.foldScores).toHaveLength(4);
    // a short memory is clearly worse out of sample
    expect(grid.best.score).toBeLessThan((await crossValidate((f) => qlike(0.5, f), folds)).mean - 0.05);
  });
});
