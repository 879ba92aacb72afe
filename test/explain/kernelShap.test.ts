import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { describe, expect, it } from 'vitest';
import { DataError, InvalidOptionError, NotFittedError, SerializationError, ShapeError } from '../../src/core/errors';
import type { DenseMatrix } from '../../src/core/matrix';
import type { Predictor } from '../../src/core/predictor';
import { createRng } from '../../src/core/random';
import { ensureChainedOps } from '../../src/core/chainedOps';
import { kernelShap, kernelShapFromJSON, type ShapExplanation } from '../../src/explain/kernelShap';
import { layersModelPredictor } from '../../src/explain/layersModelPredictor';
import { predictorFromFunction } from '../../src/explain/predictorFromFunction';
import { expectClose, expectNoLeak } from '../helpers/leak';

function randomMatrix(n: number, m: number, seed: number): number[][] {
  const rng = createRng(seed);
  return Array.from({ length: n }, () => Array.from({ length: m }, () => Math.round(rng.normal() * 100) / 100));
}

const sum = (a: readonly number[]): number => a.reduce((s, v) => s + v, 0);
const sigmoid = (z: number): number => 1 / (1 + Math.exp(-z));
const logit = (p: number): number => Math.log(p / (1 - p));

/**
 * Brute-force Shapley values by averaging marginal contributions over all player orderings,
 * for the game v(S) = link(mean_b f(x_S, b_rest)) over equally weighted background rows.
 */
function bruteForceShapley(
  f: (row: number[]) => number,
  x: readonly number[],
  background: readonly (readonly number[])[],
  players: readonly (readonly number[])[],
  link: (p: number) => number = (p) => p,
): number[] {
  const m = players.length;
  const v = (inS: readonly boolean[]): number => {
    let s = 0;
    for (const b of background) {
      const row = [...b];
      players.forEach((cols, i) => {
        if (inS[i] === true) for (const c of cols) row[c] = x[c] as number;
      });
      s += f(row);
    }
    return link(s / background.length);
  };
  const phi = new Array<number>(m).fill(0);
  let count = 0;
  const perm: number[] = [];
  const used = new Array<boolean>(m).fill(false);
  const walk = (): void => {
    if (perm.length === m) {
      count++;
      const inS = new Array<boolean>(m).fill(false);
      let prev = v(inS);
      for (const p of perm) {
        inS[p] = true;
        const cur = v(inS);
        phi[p] = (phi[p] as number) + cur - prev;
        prev = cur;
      }
      return;
    }
    for (let i = 0; i < m; i++) {
      if (used[i] === true) continue;
      used[i] = true;
      perm.push(i);
      walk();
      perm.pop();
      used[i] = false;
    }
  };
  walk();
  return phi.map((p) => p / count);
}

const W = [1.5, -2, 0.5, 3, -1, 0.25, 2, -0.75, 1, -1.25, 0.8, -0.3, 1.1, 0.6, -0.9, 2.2];
const linearFn = (r: ArrayLike<number>): number => {
  let s = 0.3;
  for (let j = 0; j < r.length; j++) s += (W[j] as number) * (r[j] as number);
  return s;
};
const interactFn = (r: ArrayLike<number>): number => {
  const a = r[0] as number, b = r[1] as number, c = r[2] as number, d = r[3] as number;
  return a * b + Math.sin(c) * 2 + Math.max(0, d - a) + c * d * b;
};

function linearExpected(x: readonly number[], bg: readonly (readonly number[])[]): number[] {
  return x.map((xi, j) => (W[j] as number) * (xi - sum(bg.map((b) => b[j] as number)) / bg.length));
}

describe('kernelShap', () => {
  it('exact mode on a linear model gives w_i (x_i - mean_i) and exact additivity', async () => {
    const bg = randomMatrix(20, 5, 1);
    const xs = randomMatrix(3, 5, 2);
    const ex = kernelShap(predictorFromFunction(linearFn), bg, { backgroundSummary: 'none' });
    const e = await ex.explain(xs);
    expect(e.exact).toBe(true);
    expect(e.nCoalitions).toBe(30);
    expect(e.baseValue).toBeCloseTo(sum(bg.map(linearFn)) / 20, 12);
    xs.forEach((x, i) => {
      expectClose(e.values[i] as number[], linearExpected(x, bg), 1e-10);
      expect(Math.abs(e.baseValue + sum(e.values[i] as number[]) - (e.fx[i] as number))).toBeLessThan(1e-9);
      expect(e.fx[i]).toBeCloseTo(linearFn(x), 12);
    });
  });

  it('sampled mode on a linear model (16 features) recovers w_i (x_i - mean_i)', async () => {
    const bg = randomMatrix(8, 16, 3);
    const xs = randomMatrix(2, 16, 4);
    const ex = kernelShap(predictorFromFunction(linearFn), bg, { backgroundSummary: 'none', nSamples: 200, seed: 5 });
    const e = await ex.explain(xs);
    expect(e.exact).toBe(false);
    expect(e.nCoalitions).toBeLessThanOrEqual(200);
    xs.forEach((x, i) => {
      expectClose(e.values[i] as number[], linearExpected(x, bg), 1e-8);
      expect(Math.abs(e.baseValue + sum(e.values[i] as number[]) - (e.fx[i] as number))).toBeLessThan(1e-9);
    });
  });

  it('exact mode matches brute-force Shapley values on a nonlinear function with interactions', async () => {
    const bg = randomMatrix(6, 4, 6);
    const xs = randomMatrix(3, 4, 7);
    const e = await kernelShap(predictorFromFunction(interactFn), bg, { backgroundSummary: 'none' }).explain(xs);
    const players = [[0], [1], [2], [3]];
    xs.forEach((x, i) => {
      expectClose(e.values[i] as number[], bruteForceShapley(interactFn, x, bg, players), 1e-10);
    });
  });

  it('sampled mode approximates brute force on the nonlinear function and keeps additivity', async () => {
    // 8 players: the 4 interacting ones plus 4 that enter additively.
    const f = (r: ArrayLike<number>): number => interactFn(r) + (r[4] as number) * (r[5] as number) - (r[6] as number) + Math.abs(r[7] as number);
    const bg = randomMatrix(5, 8, 8);
    const x = (randomMatrix(1, 8, 9)[0] as number[]).map((v) => v * 2);
    const players = Array.from({ length: 8 }, (_, j) => [j]);
    const ref = bruteForceShapley(f, x, bg, players);
    const scale = Math.max(...ref.map(Math.abs));
    const errAt = async (nSamples: number, seed: number): Promise<{ err: number; e: ShapExplanation }> => {
      const e = await kernelShap(predictorFromFunction(f), bg, { backgroundSummary: 'none', exactMaxPlayers: 0, nSamples, seed }).explain([x]);
      expect(e.exact).toBe(false);
      return { err: Math.max(...(e.values[0] as number[]).map((vj, j) => Math.abs(vj - (ref[j] as number)))) / scale, e };
    };
    // 254 proper coalitions exist: the error shrinks as the design covers more of them.
    const coarse: number[] = [];
    const fine: number[] = [];
    for (const seed of [1, 2, 3]) {
      coarse.push((await errAt(60, seed)).err);
      fine.push((await errAt(250, seed)).err);
    }
    expect(Math.max(...fine)).toBeLessThan(0.02);
    expect(sum(fine)).toBeLessThan(sum(coarse) / 4);
    const { e } = await errAt(200, 1);
    const v = e.values[0] as number[];
    expect(Math.abs(e.baseValue + sum(v) - (e.fx[0] as number))).toBeLessThan(1e-9);
  });

  it('logit link: values in log-odds, exact for a logistic model with one background row', async () => {
    const f = (r: ArrayLike<number>): number => sigmoid(linearFn(r));
    const bg = randomMatrix(1, 4, 10);
    const xs = randomMatrix(2, 4, 11);
    const e = await kernelShap(predictorFromFunction(f), bg, { link: 'logit' }).explain(xs);
    expect(e.link).toBe('logit');
    expect(e.baseValue).toBeCloseTo(linearFn(bg[0] as number[]), 10);
    xs.forEach((x, i) => {
      expectClose(e.values[i] as number[], linearExpected(x, bg), 1e-9);
      expect(e.fx[i]).toBeCloseTo(logit(f(x)), 10);
    });
  });

  it('logit link with a larger background matches brute force with link(E[f]) and sums exactly', async () => {
    const f = (r: ArrayLike<number>): number => sigmoid(interactFn(r) / 3);
    const bg = randomMatrix(7, 4, 12);
    const x = randomMatrix(1, 4, 13)[0] as number[];
    const e = await kernelShap(predictorFromFunction(f), bg, { link: 'logit', backgroundSummary: 'none' }).explain([x]);
    expectClose(e.values[0] as number[], bruteForceShapley(f, x, bg, [[0], [1], [2], [3]], logit), 1e-9);
    expect(e.baseValue).toBeCloseTo(logit(sum(bg.map(f)) / 7), 12);
    expect(Math.abs(e.baseValue + sum(e.values[0] as number[]) - (e.fx[0] as number))).toBeLessThan(1e-9);
  });

  it('logit link rejects outputs that are not probabilities', async () => {
    const ex = kernelShap(predictorFromFunction(linearFn), randomMatrix(3, 3, 1), { link: 'logit' });
    await expect(ex.explain([[5, 5, 5]])).rejects.toBeInstanceOf(DataError);
  });

  it('feature groups are players: matches brute force over groups, names and columns reported', async () => {
    // Columns 1..3 are a one-hot variable, column 4 and 5 are two lags of one series.
    const f = (r: ArrayLike<number>): number =>
      2 * (r[0] as number) + 1.5 * (r[1] as number) - (r[3] as number) * (r[0] as number) + (r[4] as number) * (r[5] as number);
    const rng = createRng(14);
    const row = (): number[] => {
      const lvl = rng.int(3);
      return [rng.normal(), lvl === 0 ? 1 : 0, lvl === 1 ? 1 : 0, lvl === 2 ? 1 : 0, rng.normal(), rng.normal()];
    };
    const bg = Array.from({ length: 6 }, row);
    const xs = [row(), row()];
    const groups = [
      { name: 'Lags', columns: [4, 5] },
      { name: 'Status', columns: [1, 2, 3] },
    ];
    const e = await kernelShap(predictorFromFunction(f), bg, { groups, featureNames: ['Amount', 'a', 'b', 'c', 'l1', 'l2'], backgroundSummary: 'none' }).explain(xs);
    expect(e.playerNames).toEqual(['Amount', 'Status', 'Lags']);
    expect(e.playerColumns).toEqual([[0], [1, 2, 3], [4, 5]]);
    xs.forEach((x, i) => {
      expectClose(e.values[i] as number[], bruteForceShapley(f, x, bg, [[0], [1, 2, 3], [4, 5]]), 1e-10);
      expect(Math.abs(e.baseValue + sum(e.values[i] as number[]) - (e.fx[i] as number))).toBeLessThan(1e-9);
    });
    // With a linear model, a group's value is the sum of its columns' values.
    const lin = await kernelShap(predictorFromFunction(linearFn), bg, { groups, backgroundSummary: 'none' }).explain(xs);
    const perCol = linearExpected(xs[0] as number[], bg);
    expectClose(lin.values[0] as number[], [perCol[0] as number, sum(perCol.slice(1, 4)), sum(perCol.slice(4, 6))], 1e-10);
  });

  it('is deterministic for a seed, and a row does not depend on the other explained rows', async () => {
    const f = predictorFromFunction((r) => interactFn(r) + (r[4] as number) * (r[13] as number));
    const bg = randomMatrix(4, 14, 15);
    const xs = randomMatrix(3, 14, 16);
    const opts = { nSamples: 120, seed: 3, backgroundSummary: 'none' } as const;
    const a = await kernelShap(f, bg, opts).explain(xs);
    const b = await kernelShap(f, bg, opts).explain(xs);
    expect(b.values).toEqual(a.values);
    const single = await kernelShap(f, bg, opts).explain([xs[1] as number[]]);
    expect(single.values[0]).toEqual(a.values[1]);
    const c = await kernelShap(f, bg, { ...opts, seed: 4 }).explain(xs);
    expect(c.values).not.toEqual(a.values);
  });

  it('streams all masked rows through the predictor in few calls, independent of chunk size', async () => {
    let calls = 0;
    let maxRows = 0;
    const inner = predictorFromFunction(interactFn);
    const counted: Predictor = (b: DenseMatrix) => {
      calls++;
      maxRows = Math.max(maxRows, b.rows);
      return inner(b);
    };
    const bg = randomMatrix(10, 4, 17);
    const xs = randomMatrix(5, 4, 18);
    const big = await kernelShap(counted, bg, { backgroundSummary: 'none' }).explain(xs);
    // 10 background + 5 rows + 5 rows × 14 coalitions × 10 background rows = 715 rows: one call.
    expect(calls).toBe(1);
    expect(big.predictorCalls).toBe(1);
    calls = 0;
    const small = await kernelShap(counted, bg, { backgroundSummary: 'none', maxBatchRows: 100 }).explain(xs);
    expect(calls).toBe(Math.ceil(715 / 100));
    expect(small.predictorCalls).toBe(8);
    expect(maxRows).toBeLessThanOrEqual(715);
    xs.forEach((_, i) => expectClose(small.values[i] as number[], big.values[i] as number[], 1e-12));
  });

  it('summarises the background by seeded k-means (weighted, snapped to observed values) or by sampling', () => {
    const rng = createRng(19);
    const bg = Array.from({ length: 200 }, () => [rng.normal() + (rng.next() < 0.5 ? 5 : -5), rng.next() < 0.3 ? 1 : 0, rng.int(4)]);
    const fitted = kernelShap({ backgroundSize: 10, seed: 2 }).fit(bg);
    expect(fitted.background.length).toBeLessThanOrEqual(10);
    expect(sum(fitted.backgroundWeights)).toBeCloseTo(1, 12);
    for (const r of fitted.background) {
      for (let j = 0; j < 3; j++) expect(bg.some((b) => b[j] === r[j])).toBe(true);
    }
    // The weighted centroid mean approximates the data mean for the bimodal column.
    const mean0 = sum(bg.map((b) => b[0] as number)) / 200;
    const wmean0 = sum(fitted.background.map((r, i) => (r[0] as number) * (fitted.backgroundWeights[i] as number)));
    expect(Math.abs(wmean0 - mean0)).toBeLessThan(0.3);
    expect(kernelShap({ backgroundSize: 10, seed: 2 }).fit(bg).background).toEqual(fitted.background);
    const sampled = kernelShap({ backgroundSize: 7, backgroundSummary: 'sample', seed: 1 }).fit(bg);
    expect(sampled.background.length).toBe(7);
    for (const r of sampled.background) expect(bg.some((b) => b.every((v, j) => v === r[j]))).toBe(true);
    expect(kernelShap({ backgroundSummary: 'none' }).fit(bg).background.length).toBe(200);
  });

  it('validates options and inputs with typed errors', async () => {
    const f = predictorFromFunction(linearFn);
    const bg = randomMatrix(4, 3, 20);
    expect(() => kernelShap({ nSamples: 0 })).toThrow(InvalidOptionError);
    expect(() => kernelShap({ link: 'probit' as 'logit' })).toThrow(InvalidOptionError);
    expect(() => kernelShap({ bogus: 1 } as unknown as { seed: number })).toThrow(InvalidOptionError);
    expect(() => kernelShap(f, bg, { groups: [{ name: 'g', columns: [0, 1] }, { name: 'h', columns: [1] }] })).toThrow(InvalidOptionError);
    expect(() => kernelShap(f, bg, { groups: [{ name: 'g', columns: [3] }] })).toThrow(ShapeError);
    expect(() => kernelShap(f, bg, { featureNames: ['a'] })).toThrow(ShapeError);
    expect(() => kernelShap(f, [])).toThrow(DataError);
    expect(() => kernelShap(f, [[1, Number.NaN, 2]])).toThrow(DataError);
    const spec = kernelShap();
    expect(() => (spec.explain as unknown as () => void)()).toThrow(NotFittedError);
    const ex = kernelShap(f, bg);
    await expect(ex.explain([[1, 2]])).rejects.toBeInstanceOf(ShapeError);
    await expect(ex.explain([[1, Number.POSITIVE_INFINITY, 2]])).rejects.toBeInstanceOf(DataError);
    const wrongCount = kernelShap(() => [1, 2], bg);
    await expect(wrongCount.explain([[1, 2, 3]])).rejects.toBeInstanceOf(ShapeError);
    const nan = kernelShap((b: DenseMatrix) => new Float64Array(b.rows).fill(Number.NaN), [[0, 0, 0]]);
    await expect(nan.explain([[1, 2, 3]])).rejects.toBeInstanceOf(DataError);
    await expect(nan.explain([[1, 2, 3]])).rejects.toThrow(/finite/);
    expect(() => kernelShap({ exactMaxPlayers: -1 })).toThrow("The 'exactMaxPlayers' option of kernelShap must be an integer >= 0 and <= 20. Got -1.");
  });

  it('does not mutate its inputs', async () => {
    const bg = randomMatrix(30, 3, 21);
    const xs = randomMatrix(2, 3, 22);
    const bgCopy = structuredClone(bg);
    const xsCopy = structuredClone(xs);
    const ex = kernelShap(predictorFromFunction(linearFn), bg, { backgroundSize: 5 });
    await ex.explain(xs);
    expect(bg).toEqual(bgCopy);
    expect(xs).toEqual(xsCopy);
    expect(Object.isFrozen(ex)).toBe(true);
    expect(Object.isFrozen(ex.fitted)).toBe(true);
  });

  it('JSON round trip restores the background and gives identical values; corrupt JSON fails', async () => {
    const f = predictorFromFunction(interactFn);
    const fitted = kernelShap({ backgroundSize: 4, seed: 9, featureNames: ['a', 'b', 'c', 'd'], groups: [{ name: 'cd', columns: [2, 3] }] }).fit(randomMatrix(40, 4, 23));
    const back = kernelShapFromJSON(JSON.parse(JSON.stringify(fitted.toJSON())));
    const xs = randomMatrix(2, 4, 24);
    expect((await back.explain(f, xs)).values).toEqual((await fitted.explain(f, xs)).values);
    expect(back.playerNames).toEqual(['a', 'b', 'cd']);
    const json = fitted.toJSON() as unknown as { state: { weights: number[] } };
    expect(() => kernelShapFromJSON({ ...json, kind: 'Other' })).toThrow(SerializationError);
    expect(() => kernelShapFromJSON({ ...json, state: { ...json.state, weights: [1] } })).toThrow(SerializationError);
    expect(() => kernelShapFromJSON({ ...json, params: { link: 'nope' } })).toThrow(SerializationError);
  });

  it('explains a tfjs layers model through layersModelPredictor without leaking tensors', async () => {
    ensureChainedOps();
    const model = tfl.sequential({
      layers: [
        tfl.layers.dense({ inputShape: [5], units: 4, activation: 'tanh', kernelInitializer: tfl.initializers.glorotUniform({ seed: 1 }) }),
        tfl.layers.dense({ units: 1, activation: 'sigmoid', kernelInitializer: tfl.initializers.glorotUniform({ seed: 2 }) }),
      ],
    });
    const predictor = layersModelPredictor(model);
    const bg = randomMatrix(6, 5, 25);
    const xs = tf.tensor2d(randomMatrix(2, 5, 26));
    const ex = kernelShap(predictor, bg, { link: 'logit' });
    let last: Awaited<ReturnType<typeof ex.explain>> | undefined;
    await expectNoLeak(async () => {
      last = await ex.explain(xs);
    });
    const e = last as NonNullable<typeof last>;
    for (let i = 0; i < 2; i++) expect(Math.abs(e.baseValue + sum(e.values[i] as number[]) - (e.fx[i] as number))).toBeLessThan(1e-9);
    // The model is float32: compare with a float64 brute force loosely.
    const dense = xs.arraySync();
    const probs = (rows: number[][]): number[] => {
      const t = tf.tensor2d(rows);
      const out = model.predict(t) as tf.Tensor;
      const v = Array.from(out.dataSync());
      tf.dispose([t, out]);
      return v;
    };
    const fRow = (r: number[]): number => probs([r])[0] as number;
    expectClose(e.values[0] as number[], bruteForceShapley(fRow, dense[0] as number[], bg, [[0], [1], [2], [3], [4]], logit), 1e-4);
    xs.dispose();
    model.dispose();
  });
});
