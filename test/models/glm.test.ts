import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { DataError, InvalidOptionError, SerializationError } from '../../src/core/errors';
import { createRng } from '../../src/core/random';
import { linearRegression, linearRegressionFromJSON } from '../../src/models/linearRegression';
import { logisticRegression, logisticRegressionFromJSON } from '../../src/models/logisticRegression';
import { expectClose, expectNoLeak } from '../helpers/leak';

function synth(n: number, seed: number, w: number[], b: number, noise: number): { x: number[][]; y: number[] } {
  const rng = createRng(seed);
  const x: number[][] = [];
  const y: number[] = [];
  for (let i = 0; i < n; i++) {
    const row = w.map(() => rng.normal());
    x.push(row);
    y.push(row.reduce((s, v, j) => s + v * (w[j] as number), b) + noise * rng.normal());
  }
  return { x, y };
}

describe('linearRegression', () => {
  it('recovers exact coefficients on noiseless data', () => {
    const { x, y } = synth(50, 1, [2, -3, 0.5], 4, 0);
    const f = linearRegression().fit(x, y);
    expectClose(f.state.coef, [2, -3, 0.5], 1e-10);
    expect(f.state.intercept).toBeCloseTo(4, 10);
  });
  it('OLS residuals are orthogonal to every column (normal equations) on noisy data', () => {
    const { x, y } = synth(80, 2, [1, 1], -1, 0.5);
    const f = linearRegression().fit(x, y);
    const pred = f.predict(x);
    for (let j = 0; j < 2; j++) {
      const dot = x.reduce((s, r, i) => s + (r[j] as number) * ((y[i] as number) - (pred[i] as number)), 0);
      expect(Math.abs(dot)).toBeLessThan(1e-9);
    }
    expect(Math.abs(y.reduce((s, v, i) => s + v - (pred[i] as number), 0))).toBeLessThan(1e-9);
  });
  it('ridge matches the 1-D closed form', () => {
    const x = [[1], [2], [3], [4]];
    const y = [2, 3, 5, 8];
    const l2 = 2;
    const mx = 2.5;
    const my = 4.5;
    const sxy = x.reduce((s, r, i) => s + ((r[0] as number) - mx) * ((y[i] as number) - my), 0);
    const sxx = x.reduce((s, r) => s + ((r[0] as number) - mx) ** 2, 0);
    const f = linearRegression({ l2 }).fit(x, y);
    expect(f.state.coef[0]).toBeCloseTo(sxy / (sxx + l2), 12);
    expect(f.state.intercept).toBeCloseTo(my - (sxy / (sxx + l2)) * mx, 12);
  });
  it('tensor input gives a tensor output and leaks nothing', async () => {
    const f = linearRegression().fit([[0], [1], [2]], [1, 3, 5]);
    const t = tf.tensor2d([[3], [4]]);
    const out = f.predict(t);
    expectClose(out.dataSync(), [7, 9], 1e-6);
    out.dispose();
    await expectNoLeak(() => f.predict(t).dispose());
    t.dispose();
  });
  it('validates params and serialized state', () => {
    expect(() => linearRegression({ l2: -1 })).toThrow(InvalidOptionError);
    expect(() => linearRegressionFromJSON({ kind: 'LinearRegression', version: 1, params: {}, state: { coef: ['a'], intercept: 0 } })).toThrow(SerializationError);
    expect(() => linearRegressionFromJSON({ kind: 'LinearRegression', version: 1, params: { l2: -3 }, state: { coef: [1], intercept: 0 } })).toThrow(SerializationError);
  });
});

describe('logisticRegression', () => {
  function gradient(x: number[][], y: number[], coef: readonly number[], b: number, l2: number): number[] {
    const g = new Array<number>(coef.length + 1).fill(0);
    x.forEach((r, i) => {
      const z = r.reduce((s, v, j) => s + v * (coef[j] as number), b);
      const res = (y[i] as number) - 1 / (1 + Math.exp(-z));
      r.forEach((v, j) => (g[j] = (g[j] as number) + v * res));
      g[coef.length] = (g[coef.length] as number) + res;
    });
    coef.forEach((c, j) => (g[j] = (g[j] as number) - l2 * c));
    return g;
  }
  const rng = createRng(5);
  const x: number[][] = [];
  const y: number[] = [];
  for (let i = 0; i < 200; i++) {
    const r = [rng.normal(), rng.normal(), rng.normal()];
    const z = 1.5 * (r[0] as number) - (r[1] as number) + 0.3;
    x.push(r);
    y.push(rng.next() < 1 / (1 + Math.exp(-z)) ? 1 : 0);
  }
  it('reaches the optimum: gradient of the (penalized) log-likelihood is zero', () => {
    for (const l2 of [0, 1, 10]) {
      const f = logisticRegression({ l2 }).fit(x, y);
      for (const g of gradient(x, y, f.state.coef, f.state.intercept, l2)) expect(Math.abs(g)).toBeLessThan(1e-8);
    }
  });
  it('stronger L2 shrinks the coefficient norm', () => {
    const norm = (l2: number): number => Math.hypot(...logisticRegression({ l2 }).fit(x, y).state.coef);
    expect(norm(0)).toBeGreaterThan(norm(10));
    expect(norm(10)).toBeGreaterThan(norm(100));
  });
  it('handles perfectly collinear one-hot columns with an intercept', () => {
    const xc = x.map((r) => [r[0] as number, (r[1] as number) > 0 ? 1 : 0, (r[1] as number) > 0 ? 0 : 1]);
    const f = logisticRegression().fit(xc, y);
    const p = f.predictProba(xc);
    expect(p.every((v) => v > 0 && v < 1)).toBe(true);
    for (const g of gradient(xc, y, f.state.coef, f.state.intercept, 0)) expect(Math.abs(g)).toBeLessThan(1e-6);
  });
  it('symmetric data gives probability 0.5 at the midpoint; round trip exact', () => {
    const f = logisticRegression({ l2: 1 }).fit([[0], [1], [2], [3]], [0, 0, 1, 1]);
    expect(f.predictProba([[1.5]])[0]).toBeCloseTo(0.5, 12);
    const g = logisticRegressionFromJSON(JSON.parse(JSON.stringify(f.toJSON())));
    expect(g.predictProba([[0.3], [2.2]])).toEqual(f.predictProba([[0.3], [2.2]]));
    expect(f.predict([[0], [3]])).toEqual([0, 1]);
  });
  it('rejects bad labels and single-class targets', () => {
    expect(() => logisticRegression().fit([[0], [1]], [0, 2])).toThrow(DataError);
    expect(() => logisticRegression().fit([[0], [1]], [1, 1])).toThrow(/both classes/);
  });
});

describe('logisticRegression: monotone Newton with step halving, converged/nIter, separation', () => {
  const objective = (x: number[][], y: number[], coef: readonly number[], b: number, l2: number): number =>
    x.reduce((s, r, i) => {
      const z = r.reduce((acc, v, j) => acc + v * (coef[j] as number), b);
      return s + Math.log1p(Math.exp(-Math.abs(z))) + Math.max(z, 0) - (y[i] as number) * z;
    }, 0) + (l2 / 2) * coef.reduce((s, c) => s + c * c, 0);
  // Badly scaled, nearly separated data on which plain Newton from 0 overshoots.
  const rng = createRng(11);
  const x: number[][] = [];
  const y: number[] = [];
  for (let i = 0; i < 120; i++) {
    const u = rng.normal() * 40;
    x.push([u, rng.normal()]);
    y.push(rng.next() < 1 / (1 + Math.exp(-(0.4 * u + 2))) ? 1 : 0);
  }
  it('never lets the objective rise from one iteration to the next', () => {
    let prev = objective(x, y, [0, 0], 0, 0);
    for (let k = 1; k <= 12; k++) {
      const f = logisticRegression({ maxIter: k }).fit(x, y);
      const obj = objective(x, y, f.state.coef, f.state.intercept, 0);
      expect(obj).toBeLessThanOrEqual(prev + 1e-9);
      prev = obj;
      expect(f.nIter).toBeLessThanOrEqual(k);
    }
    const full = logisticRegression().fit(x, y);
    expect(full.converged).toBe(true);
    expect(full.nIter).toBeLessThan(100);
    expect(logisticRegression({ maxIter: 1 }).fit(x, y).converged).toBe(false);
  });
  it('stops on separated classes with l2 = 0 and a DataError suggesting l2; l2 > 0 fits', () => {
    const xs = [[0], [1], [2], [3], [4], [5]];
    const ys = [0, 0, 0, 1, 1, 1];
    expect(() => logisticRegression().fit(xs, ys)).toThrow(DataError);
    expect(() => logisticRegression().fit(xs, ys)).toThrow(/l2/);
    // Quasi-separation: a tie at the boundary.
    expect(() => logisticRegression().fit([[0], [1], [2], [2], [3], [4]], [0, 0, 0, 1, 1, 1])).toThrow(/separated/);
    const f = logisticRegression({ l2: 1 }).fit(xs, ys);
    expect(f.converged).toBe(true);
    expect(Math.abs(f.state.coef[0] as number)).toBeLessThan(10);
  });
  it('round-trips converged and nIter; envelopes without converged still load', () => {
    const f = logisticRegression({ l2: 1 }).fit(x, y);
    const g = logisticRegressionFromJSON(JSON.parse(JSON.stringify(f.toJSON())));
    expect([g.converged, g.nIter]).toEqual([f.converged, f.nIter]);
    const old = f.toJSON() as { state: Record<string, unknown> };
    const { converged: _c, ...state } = old.state;
    expect(logisticRegressionFromJSON({ ...old, state }).converged).toBe(true);
  });
});

describe('logisticRegression on German credit without a penalty', () => {
  it('converges before maxIter on the one-hot encoded table', async () => {
    const { readCsv } = await import('../../src/node/index');
    const { tabularPipeline } = await import('../../src/data/tabularPipeline');
    const credit = await readCsv(new URL('../../data/german_credit.csv', import.meta.url).pathname);
    const pipe = tabularPipeline({ target: 'Class', positive: 'Bad', numeric: { scale: 'standard' }, categorical: { encode: 'onehot' } }).fit(credit);
    const f = logisticRegression({ l2: 0 }).fit(pipe.transform(credit), pipe.transformTarget(credit));
    expect(f.converged).toBe(true);
    expect(f.nIter).toBeLessThan(f.params.maxIter);
    expect(f.state.coef.every((c) => Math.abs(c) < 20)).toBe(true);
  });
});
