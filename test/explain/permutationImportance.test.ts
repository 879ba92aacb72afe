import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { describe, expect, it } from 'vitest';
import { DataError, InvalidOptionError, ShapeError } from '../../src/core/errors';
import { ensureChainedOps } from '../../src/core/chainedOps';
import type { DenseMatrix } from '../../src/core/matrix';
import { createRng } from '../../src/core/random';
import { groupByPrefix } from '../../src/explain/groupByPrefix';
import { layersModelPredictor } from '../../src/explain/layersModelPredictor';
import { permutationImportance, type ImportanceMetric } from '../../src/explain/permutationImportance';
import { predictorFromFunction } from '../../src/explain/predictorFromFunction';
import { expectClose, expectNoLeak } from '../helpers/leak';

const mse: ImportanceMetric = (t, p) => t.reduce((s, v, i) => s + (v - (p[i] as number)) ** 2, 0) / t.length;
const negMse: ImportanceMetric = (t, p) => -mse(t, p);

function data(n: number, seed: number): { x: number[][]; y: number[] } {
  const rng = createRng(seed);
  const x = Array.from({ length: n }, () => {
    const a = rng.normal();
    return [a, rng.normal(), rng.normal(), a];
  });
  const y = x.map((r) => 3 * (r[0] as number) + (r[1] as number) + 0.1 * rng.normal());
  return { x, y };
}
const f = (r: ArrayLike<number>): number => 1.5 * (r[0] as number) + 1.5 * (r[3] as number) + (r[1] as number);

/** Reference: permute with the documented scheme (createRng(seed), feature-major then repeat) and score directly. */
function reference(x: number[][], y: number[], players: number[][], nRepeats: number, seed: number, metric: ImportanceMetric, sign: number): number[][] {
  const rng = createRng(seed);
  const yv = Float64Array.from(y);
  const base = metric(yv, Float64Array.from(x.map(f)));
  return players.map((cols) =>
    Array.from({ length: nRepeats }, () => {
      const perm = rng.permutation(x.length);
      const px = x.map((r, i) => r.map((v, j) => (cols.includes(j) ? (x[perm[i] as number] as number[])[j] as number : v)));
      return sign * (base - metric(yv, Float64Array.from(px.map(f))));
    }),
  );
}

describe('permutationImportance', () => {
  it('matches a direct computation, with raw, mean and population std', async () => {
    const { x, y } = data(40, 1);
    const res = await permutationImportance(predictorFromFunction(f), x, y, { metric: mse, greaterIsBetter: false, nRepeats: 3, seed: 7 });
    const ref = reference(x, y, [[0], [1], [2], [3]], 3, 7, mse, -1);
    expect(res.names).toEqual(['x0', 'x1', 'x2', 'x3']);
    res.importances.forEach((imp, p) => expectClose(imp, ref[p] as number[], 1e-12));
    ref.forEach((r, p) => {
      const mean = r.reduce((a, b) => a + b, 0) / r.length;
      expect(res.importancesMean[p]).toBeCloseTo(mean, 12);
      expect(res.importancesStd[p]).toBeCloseTo(Math.sqrt(r.reduce((a, b) => a + (b - mean) ** 2, 0) / r.length), 12);
    });
    // Column 2 is unused by the model: exactly zero; used columns are important (positive).
    expect(res.importances[2]).toEqual([0, 0, 0]);
    expect(res.importancesMean[0]).toBeGreaterThan(0.5);
    expect(res.importancesMean[1]).toBeGreaterThan(0.1);
    expect(res.baselineScore).toBeCloseTo(mse(Float64Array.from(y), Float64Array.from(x.map(f))), 12);
  });

  it('orients importances so bigger = more important for either metric direction', async () => {
    const { x, y } = data(30, 2);
    const p = predictorFromFunction(f);
    const a = await permutationImportance(p, x, y, { metric: mse, greaterIsBetter: false, seed: 3 });
    const b = await permutationImportance(p, x, y, { metric: negMse, greaterIsBetter: true, seed: 3 });
    expectClose(b.importancesMean, a.importancesMean, 1e-12);
    expect(Math.min(a.importancesMean[0] as number, a.importancesMean[1] as number)).toBeGreaterThan(0);
  });

  it('permutes a group of columns jointly', async () => {
    // Columns 0 and 3 are identical copies; a model of their difference only notices a permutation
    // of one of them, never a joint permutation of both.
    const { x, y } = data(30, 3);
    const diff = predictorFromFunction((r) => 5 * ((r[0] as number) - (r[3] as number)) + (r[1] as number));
    const solo = await permutationImportance(diff, x, y, { metric: mse, greaterIsBetter: false, seed: 1 });
    expect(solo.importancesMean[0]).toBeGreaterThan(1);
    const grouped = await permutationImportance(diff, x, y, {
      metric: mse,
      greaterIsBetter: false,
      seed: 1,
      groups: [{ name: 'pair', columns: [3, 0] }],
      featureNames: ['a', 'b', 'c', 'd'],
    });
    expect(grouped.names).toEqual(['pair', 'b', 'c']);
    expect(grouped.columns).toEqual([[0, 3], [1], [2]]);
    expect(grouped.importances[0]).toEqual([0, 0, 0, 0, 0]);
    expect(grouped.importancesMean[1]).toBeGreaterThan(0.1);
    // Against the direct computation with the same joint permutations.
    const ref = reference(x, y, [[0, 3], [1], [2]], 5, 2, mse, -1);
    const g2 = await permutationImportance(predictorFromFunction(f), x, y, { metric: mse, greaterIsBetter: false, seed: 2, groups: [{ name: 'pair', columns: [0, 3] }] });
    g2.importances.forEach((imp, p) => expectClose(imp, ref[p] as number[], 1e-12));
  });

  it('batches the baseline and all permuted copies in ceil(rows / maxBatchRows) predictor calls', async () => {
    const { x, y } = data(25, 4);
    let calls = 0;
    const inner = predictorFromFunction(f);
    const counted = (b: DenseMatrix): Float64Array => {
      calls++;
      return inner(b) as Float64Array;
    };
    const big = await permutationImportance(counted, x, y, { metric: mse, nRepeats: 4, seed: 1 });
    expect(calls).toBe(1); // 25 × (1 + 4 × 4) = 425 rows
    expect(big.predictorCalls).toBe(1);
    calls = 0;
    const small = await permutationImportance(counted, x, y, { metric: mse, nRepeats: 4, seed: 1, maxBatchRows: 60 });
    expect(calls).toBe(Math.ceil(425 / 60));
    expect(small.importances).toEqual(big.importances);
  });

  it('is seeded: same seed same result, different seed different permutations', async () => {
    const { x, y } = data(20, 5);
    const p = predictorFromFunction(f);
    const a = await permutationImportance(p, x, y, { metric: mse, seed: 11 });
    const b = await permutationImportance(p, x, y, { metric: mse, seed: 11 });
    const c = await permutationImportance(p, x, y, { metric: mse, seed: 12 });
    expect(b.importances).toEqual(a.importances);
    expect(c.importances).not.toEqual(a.importances);
  });

  it('groupByPrefix builds one-hot groups from column names', () => {
    expect(groupByPrefix(['Duration', 'Purpose.NewCar', 'Amount', 'Purpose.UsedCar', 'Purpose.Other'])).toEqual([
      { name: 'Duration', columns: [0] },
      { name: 'Purpose', columns: [1, 3, 4] },
      { name: 'Amount', columns: [2] },
    ]);
    expect(groupByPrefix(['DAX_lag1', 'DAX_lag2', 'SMI_lag1'], '_').map((g) => g.name)).toEqual(['DAX', 'SMI']);
    expect(() => groupByPrefix(['a'], '')).toThrow(InvalidOptionError);
  });

  it('validates inputs and options with typed errors', async () => {
    const { x, y } = data(10, 6);
    const p = predictorFromFunction(f);
    await expect(permutationImportance(p, x, y, {} as { metric: ImportanceMetric })).rejects.toThrow("The 'metric' option of permutationImportance must be a function. Got null.");
    await expect(permutationImportance(p, x, y, { metric: mse, nRepeats: 0 })).rejects.toBeInstanceOf(InvalidOptionError);
    await expect(permutationImportance(p, x, y.slice(1), { metric: mse })).rejects.toBeInstanceOf(ShapeError);
    await expect(permutationImportance(p, [[1, Number.NaN, 1, 1]], [1], { metric: mse })).rejects.toBeInstanceOf(DataError);
    await expect(permutationImportance(p, [], [], { metric: mse })).rejects.toBeInstanceOf(DataError);
    await expect(permutationImportance(p, x, y, { metric: () => Number.NaN })).rejects.toBeInstanceOf(DataError);
    await expect(permutationImportance(() => [1], x, y, { metric: mse })).rejects.toBeInstanceOf(ShapeError);
    await expect(permutationImportance(p, x, y, { metric: mse, groups: [{ name: 'g', columns: [9] }] })).rejects.toBeInstanceOf(ShapeError);
  });

  it('does not mutate inputs', async () => {
    const { x, y } = data(10, 7);
    const xc = structuredClone(x);
    const yc = structuredClone(y);
    await permutationImportance(predictorFromFunction(f), x, y, { metric: mse });
    expect(x).toEqual(xc);
    expect(y).toEqual(yc);
  });

  it('works with a layers model and tensor inputs without leaking tensors', async () => {
    ensureChainedOps();
    const model = tfl.sequential({ layers: [tfl.layers.dense({ inputShape: [4], units: 1, kernelInitializer: tfl.initializers.glorotUniform({ seed: 3 }) })] });
    const { x, y } = data(30, 8);
    const xt = tf.tensor2d(x);
    const yt = tf.tensor1d(y);
    const pred = layersModelPredictor(model);
    let res: Awaited<ReturnType<typeof permutationImportance>> | undefined;
    await expectNoLeak(async () => {
      res = await permutationImportance(pred, xt, yt, { metric: mse, greaterIsBetter: false, nRepeats: 2 });
    });
    expect(res?.importancesMean.length).toBe(4);
    // Against the same computation on nested arrays with a float64 re-implementation of the model.
    const [k, b] = model.getWeights().map((w) => Array.from(w.dataSync()));
    const lin = predictorFromFunction((r) => (b?.[0] ?? 0) + [0, 1, 2, 3].reduce((s, j) => s + (k?.[j] ?? 0) * (r[j] as number), 0));
    const ref = await permutationImportance(lin, x, y, { metric: mse, greaterIsBetter: false, nRepeats: 2 });
    expectClose(res?.importancesMean ?? [], ref.importancesMean, 1e-4);
    tf.dispose([xt, yt]);
    model.dispose();
  });
});
