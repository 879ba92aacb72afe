import { describe, expect, it } from 'vitest';
import {
  DisposedError,
  FINML_TASKS,
  InvalidOptionError,
  ShapeError,
  buildRiskModel,
  denseToArrays,
  layersModelPredictor,
  linearRegression,
  logisticRegression,
  neuralClassifier,
  neuralRegressor,
  permutationImportance,
  permutationImportanceWith,
  sequentialExecutor,
  type Executor,
  type PermutationImportanceResult,
  type Table,
} from '../../src/index';
import { permutedRowsTask } from '../../src/parallel/parallelImportance';
import { expectNoLeak } from '../helpers/leak';

const rowsOf = (n: number, c: number): number[][] => Array.from({ length: n }, (_, i) => Array.from({ length: c }, (_, j) => Math.sin((i * c + j) * 0.37) * 3));
const x = rowsOf(150, 5);
const yBin = x.map((r) => (r[0]! + r[1]! * r[2]! > 0 ? 1 : 0));
const logLoss = (t: Float64Array, p: Float64Array): number => -t.reduce((s, v, i) => s + (v === 1 ? Math.log(Math.max(p[i]!, 1e-12)) : Math.log(Math.max(1 - p[i]!, 1e-12))), 0) / t.length;
const mse = (t: Float64Array, p: Float64Array): number => t.reduce((s, v, i) => s + (v - p[i]!) ** 2, 0) / t.length;

/** Everything but `predictorCalls` (which counts the model calls where they ran). */
const core = (r: PermutationImportanceResult): Omit<PermutationImportanceResult, 'predictorCalls'> => ({
  names: r.names,
  columns: r.columns,
  importancesMean: r.importancesMean,
  importancesStd: r.importancesStd,
  importances: r.importances,
  baselineScore: r.baselineScore,
});

/** An executor that records the calls it runs (in this thread). */
function recording(concurrency: number): Executor & { readonly tasks: string[] } {
  const inner = sequentialExecutor(FINML_TASKS);
  const tasks: string[] = [];
  return { concurrency, tasks, run: (t, p, o) => (tasks.push(t), inner.run(t, p, o)), close: () => inner.close() };
}

describe('permutationImportanceWith', () => {
  it('is bit-identical to permutationImportance in this thread with the same predictions and seed (neural classifier and regressor)', async () => {
    const clf = await neuralClassifier({ model: { type: 'fnn', hidden: [8] }, train: { epochs: 3 }, seed: 2 }).fit(x, yBin);
    const yReg = x.map((r) => r[0]! - 0.5 * r[3]!);
    const reg = await neuralRegressor({ model: { type: 'fnn', hidden: [6] }, train: { epochs: 3 }, seed: 3 }).fit(x, yReg);
    try {
      const opts = { metric: logLoss, greaterIsBetter: false, nRepeats: 3, seed: 7 };
      const ref = await permutationImportance((b) => clf.predictProba(b), x, yBin, opts);
      // the same bits through the network's own predictor (float32 entry)
      expect(await permutationImportance(layersModelPredictor(clf.network()), x, yBin, opts)).toEqual(ref);
      for (const [ex, o] of [
        [recording(1), {}],
        [recording(2), { maxBatchRows: 100 }],
        [recording(3), { maxBatchRows: 999, method: 'predictProba' as const }],
      ] as const) {
        const got = await permutationImportanceWith(ex, clf, x, yBin, { ...opts, ...o });
        const want = 'maxBatchRows' in o ? await permutationImportance((b) => clf.predictProba(b), x, yBin, { ...opts, maxBatchRows: o.maxBatchRows }) : ref;
        expect(core(got)).toEqual(core(want));
        expect(got.importancesMean.some((v) => v !== 0)).toBe(true);
        // two ranges of copies per worker (16 copies of 150 rows)
        expect(ex.tasks).toEqual(Array.from({ length: Math.ceil(16 / Math.ceil(16 / (2 * ex.concurrency))) }, () => 'finml.permutedRows'));
        expect(got.predictorCalls).toBeGreaterThanOrEqual(ex.tasks.length);
      }
      // labels, grouped columns, a DenseMatrix
      const groups = [{ name: 'ab', columns: [0, 1] }];
      const dense = { rows: x.length, cols: 5, data: Float64Array.from(x.flat()) };
      const acc = (t: Float64Array, p: Float64Array): number => t.reduce((s, v, i) => s + (v === p[i] ? 1 : 0), 0) / t.length;
      const refLabels = await permutationImportance((b) => clf.predict(b), x, yBin, { metric: acc, groups, seed: 3, maxBatchRows: 200 });
      expect(core(await permutationImportanceWith(recording(2), clf, dense, yBin, { metric: acc, groups, seed: 3, maxBatchRows: 200, method: 'predict' }))).toEqual(core(refLabels));
      const refReg = await permutationImportance((b) => reg.predict(b), x, yReg, { metric: mse, greaterIsBetter: false, seed: 1, maxBatchRows: 300 });
      expect(core(await permutationImportanceWith(recording(2), reg, x, yReg, { metric: mse, greaterIsBetter: false, seed: 1, maxBatchRows: 300 }))).toEqual(core(refReg));
      await expectNoLeak(() => permutationImportanceWith(recording(2), clf, x, yBin, { metric: logLoss, nRepeats: 1, maxBatchRows: 250 }));
    } finally {
      clf.dispose();
      reg.dispose();
    }
  });

  it('takes a risk model (encoded rows) and the GLMs, bit-identical', async () => {
    const n = 240;
    const idx = Array.from({ length: n }, (_, i) => i);
    const amount = Float64Array.from(idx, (i) => ((i * 37) % 101) * 10 + Math.sin(i));
    const age = Float64Array.from(idx, (i) => 20 + ((i * 13) % 41));
    const table: Table = {
      nRows: n,
      columns: [
        { kind: 'numeric', name: 'amount', values: amount },
        { kind: 'numeric', name: 'age', values: age },
        { kind: 'categorical', name: 'Class', values: idx.map((i) => ((amount[i]! > 500) === (age[i]! > 40) ? 'Bad' : 'Good')) },
      ],
    };
    const risk = await buildRiskModel(table, { target: 'Class', members: 2, epochs: 30, hidden: [8], seed: 2, backgroundSize: 5 });
    try {
      expect(risk.combiner.networkWeight).toBeGreaterThan(0);
      const enc = risk.pipeline.transformDense(table);
      const y = risk.pipeline.transformTarget(table);
      const opts = { metric: logLoss, greaterIsBetter: false, nRepeats: 2, seed: 5, maxBatchRows: 400 };
      const ref = await permutationImportance(risk.predictor(), denseToArrays(enc), y, opts);
      expect(core(await permutationImportanceWith(recording(2), risk, enc, y, opts))).toEqual(core(ref));
      await expect(permutationImportanceWith(recording(1), risk, enc, y, { ...opts, method: 'predict' })).rejects.toBeInstanceOf(InvalidOptionError);
    } finally {
      risk.dispose();
    }
    const lr = logisticRegression({ l2: 1 }).fit(x, yBin);
    const proba = (b: { rows: number; cols: number; data: Float64Array }): number[] => lr.predictProba(denseToArrays(b));
    const ex = recording(2);
    expect(core(await permutationImportanceWith(ex, lr, x, yBin, { metric: logLoss, greaterIsBetter: false, seed: 2, maxBatchRows: 256 }))).toEqual(core(await permutationImportance(proba, x, yBin, { metric: logLoss, greaterIsBetter: false, seed: 2, maxBatchRows: 256 })));
    expect(ex.tasks).toEqual([]); // computed in this thread
    const lin = linearRegression().fit(x, yBin);
    expect(core(await permutationImportanceWith(ex, lin, x, yBin, { metric: mse, greaterIsBetter: false }))).toEqual(core(await permutationImportance((b) => lin.predict(denseToArrays(b)), x, yBin, { metric: mse, greaterIsBetter: false })));
  });

  it('gives typed errors', async () => {
    const yMulti = x.map((r) => (r[0]! > 1 ? 2 : r[0]! < -1 ? 0 : 1));
    const multi = await neuralClassifier({ model: { type: 'fnn', hidden: [4] }, train: { epochs: 1 }, seed: 1 }).fit(x, yMulti);
    const reg = await neuralRegressor({ model: { type: 'fnn', hidden: [3] }, train: { epochs: 1 }, seed: 1 }).fit(x, yBin);
    const ex = recording(1);
    try {
      const wide = await permutationImportanceWith(ex, multi, x, yMulti, { metric: mse }).catch((e: unknown) => e);
      expect(wide).toBeInstanceOf(ShapeError);
      expect((wide as ShapeError).details).toMatchObject({ fn: 'permutationImportanceWith', arg: 'fitted' });
      expect(await permutationImportanceWith(ex, multi, x, yMulti, { metric: (t, p) => mse(t, p), method: 'predict' }).then((r) => r.names.length)).toBe(5);
      await expect(permutationImportanceWith({} as never, reg, x, yBin, { metric: mse })).rejects.toBeInstanceOf(InvalidOptionError);
      await expect(permutationImportanceWith(ex, {} as never, x, yBin, { metric: mse })).rejects.toBeInstanceOf(InvalidOptionError);
      await expect(permutationImportanceWith(ex, reg, x, yBin, { metric: mse, method: 'predictProba' })).rejects.toBeInstanceOf(InvalidOptionError);
      await expect(permutationImportanceWith(ex, reg, x, yBin, {} as never)).rejects.toBeInstanceOf(InvalidOptionError);
      await expect(permutationImportanceWith(ex, reg, x, yBin.slice(1), { metric: mse })).rejects.toBeInstanceOf(ShapeError);
      const narrow = await permutationImportanceWith(ex, reg, rowsOf(4, 3), [1, 2, 3, 4], { metric: mse }).catch((e: unknown) => e);
      expect(narrow).toBeInstanceOf(ShapeError);
      expect((narrow as ShapeError).details).toMatchObject({ fn: 'permutationImportanceWith', arg: 'x' });
      // the task checks its payload
      const ok = { model: reg.toJSON(), x: { rows: 2, cols: 5, data: new Float32Array(10) }, columns: [[0], [1, 2]], nRepeats: 1, firstCopy: 0, copies: 3, perms: Int32Array.of(1, 0, 0, 1), batchRows: 4 };
      const r = await permutedRowsTask(ok);
      expect([r.rows, r.width, r.values.length]).toEqual([6, 1, 6]);
      for (const patch of [{ model: { kind: 'StandardScaler' } }, { x: { rows: 2, cols: 5, data: new Float64Array(10) } }, { columns: [[5]] }, { nRepeats: 0 }, { copies: 4 }, { perms: Int32Array.of(1, 0, 0, 2) }, { perms: Int32Array.of(1, 0) }, { batchRows: 0 }]) {
        await expect(permutedRowsTask({ ...ok, ...patch } as never)).rejects.toBeInstanceOf(InvalidOptionError);
      }
      await expect(permutedRowsTask({ ...ok, x: { rows: 2, cols: 4, data: new Float32Array(8) }, columns: [[0], [1]] })).rejects.toBeInstanceOf(ShapeError);
      await expectNoLeak(() => permutedRowsTask(ok));
      reg.dispose();
      await expect(permutationImportanceWith(ex, reg, x, yBin, { metric: mse })).rejects.toBeInstanceOf(DisposedError);
    } finally {
      multi.dispose();
      reg.dispose();
    }
  });
});
