import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import {
  DataError,
  DisposedError,
  FINML_TASKS,
  InvalidOptionError,
  ShapeError,
  buildRiskModel,
  linearRegression,
  logisticRegression,
  neuralClassifier,
  neuralRegressor,
  predictRowsWith,
  sequentialExecutor,
  type Executor,
  type Table,
} from '../../src/index';
import { predictRowsTask } from '../../src/parallel/parallelPredict';
import { expectNoLeak } from '../helpers/leak';

const rowsOf = (n: number, c: number, s = 0.37): number[][] => Array.from({ length: n }, (_, i) => Array.from({ length: c }, (_, j) => Math.sin((i * c + j) * s) * 3));
const x = rowsOf(57, 4);
const yBin = x.map((r) => (r[0]! + r[1]! * r[2]! > 0 ? 1 : 0));
const yMulti = x.map((r) => (r[0]! > 1 ? 7 : r[0]! < -1 ? 2 : 5));
const yReg = x.map((r) => [r[0]! - r[3]!, r[1]! * 0.5]);

/** An executor that records the calls it runs (in this thread) and how many shares it got. */
function recording(concurrency: number): Executor & { readonly tasks: string[] } {
  const inner = sequentialExecutor(FINML_TASKS);
  const tasks: string[] = [];
  return { concurrency, tasks, run: (t, p, o) => (tasks.push(t), inner.run(t, p, o)), close: () => inner.close() };
}

describe('predictRowsWith', () => {
  it('is bit-identical to predict / predictProba for a dense chain (binary, multiclass, multi-output regression), any split', async () => {
    const bin = await neuralClassifier({ model: { type: 'fnn', hidden: [8, 6] }, train: { epochs: 3 }, seed: 2 }).fit(x, yBin);
    const multi = await neuralClassifier({ model: { type: 'fnn', hidden: [6] }, train: { epochs: 3 }, seed: 3 }).fit(x, yMulti);
    const reg = await neuralRegressor({ model: { type: 'fnn', hidden: [5] }, train: { epochs: 3 }, seed: 4 }).fit(x, yReg);
    try {
      const dense = { rows: x.length, cols: 4, data: Float64Array.from(x.flat()) };
      const f32 = { rows: x.length, cols: 4, data: Float32Array.from(x.flat()) };
      const cases = [
        { model: bin, method: 'predict' as const, ref: bin.predict(x) },
        { model: bin, method: 'predictProba' as const, ref: bin.predictProba(x) },
        { model: multi, method: 'predict' as const, ref: multi.predict(x) },
        { model: multi, method: 'predictProba' as const, ref: multi.predictProba(x) },
        { model: reg, method: 'predict' as const, ref: reg.predict(x) },
      ];
      expect(new Set(multi.predict(x)).size).toBeGreaterThan(1);
      for (const { model, method, ref } of cases) {
        for (const [ex, opts] of [
          [recording(1), {}],
          [recording(1), { local: false }],
          [recording(2), { local: true }],
          [recording(3), { batchRows: 5, local: false }],
          [recording(2), { batchRows: 57, local: true }],
          [recording(4), { batchRows: 1, local: false }],
        ] as const) {
          for (const input of [x, dense, f32]) {
            const got = await predictRowsWith(ex, model, input, { ...opts, method });
            expect(got).toBeInstanceOf(Float64Array);
            expect(Array.from(got)).toEqual(Array.from(ref));
          }
        }
      }
      // shares of at least 1024 rows by default (here one), or batchRows rows; the first in this thread with `local: true`
      const ex0 = recording(2);
      await predictRowsWith(ex0, reg, x); // not local by default: one task of all 57 rows
      expect(ex0.tasks).toEqual(['finml.predictRows']);
      const ex1 = recording(2);
      await predictRowsWith(ex1, reg, x, { local: true });
      expect(ex1.tasks).toEqual([]);
      // one share per worker by default (at least 1024 rows each)
      const big = rowsOf(3000, 4);
      const ex4 = recording(2);
      expect(Array.from(await predictRowsWith(ex4, reg, big))).toEqual(Array.from(reg.predict(big)));
      expect(ex4.tasks).toEqual(['finml.predictRows', 'finml.predictRows']);
      const ex5 = recording(2);
      expect(Array.from(await predictRowsWith(ex5, reg, big, { local: true }))).toEqual(Array.from(reg.predict(big)));
      expect(ex5.tasks).toEqual(['finml.predictRows', 'finml.predictRows']); // and the first 1024 rows here
      const ex2 = recording(2);
      await predictRowsWith(ex2, reg, x, { batchRows: 20, local: true });
      expect(ex2.tasks).toEqual(['finml.predictRows', 'finml.predictRows']);
      const ex3 = recording(2);
      await predictRowsWith(ex3, reg, x, { local: true, batchRows: 57 });
      expect(ex3.tasks).toEqual([]);
      // tensors in, the same values
      const t = tf.tensor2d(x);
      try {
        expect(Array.from(await predictRowsWith(recording(2), bin, t, { method: 'predictProba' }))).toEqual(Array.from(bin.predictProba(x)));
      } finally {
        t.dispose();
      }
      await expectNoLeak(() => predictRowsWith(recording(2), multi, x, { local: true }));
      await expectNoLeak(() => predictRowsWith(recording(2), bin, dense, { local: false, batchRows: 20 }));
    } finally {
      bin.dispose();
      multi.dispose();
      reg.dispose();
    }
  });

  it('is bit-identical for a model off the dense-chain path (a GRU on windows, given flat or as a tensor)', async () => {
    const windows = Array.from({ length: 33 }, (_, i) => Array.from({ length: 5 }, (_, s) => [Math.sin(i + s), Math.cos(0.7 * i * s)]));
    const y = windows.map((w) => w[4]![0]! + 0.3 * w[0]![1]!);
    const model = await neuralRegressor({ model: { type: 'rnn', cell: 'gru', units: [4] }, train: { epochs: 2 }, seed: 5 }).fit(windows, y);
    try {
      const ref = model.predict(windows);
      const flat = windows.map((w) => w.flat());
      expect(model.nFeaturesIn).toBe(10);
      for (const opts of [{}, { local: false }, { batchRows: 4, local: false }]) {
        expect(Array.from(await predictRowsWith(recording(2), model, flat, opts))).toEqual(Array.from(ref));
      }
      const t = tf.tensor3d(windows);
      try {
        expect(Array.from(await predictRowsWith(recording(3), model, t, { local: true }))).toEqual(Array.from(ref));
      } finally {
        t.dispose();
      }
      await expectNoLeak(() => predictRowsWith(recording(2), model, flat, { batchRows: 10 }));
    } finally {
      model.dispose();
    }
  });

  it('gives typed errors for bad input, and for a bad task payload', async () => {
    const model = await neuralClassifier({ model: { type: 'fnn', hidden: [3] }, train: { epochs: 1 }, seed: 1 }).fit(x, yBin);
    const reg = await neuralRegressor({ model: { type: 'fnn', hidden: [3] }, train: { epochs: 1 }, seed: 1 }).fit(x, yBin);
    const ex = sequentialExecutor(FINML_TASKS);
    try {
      await expect(predictRowsWith({} as never, model, x)).rejects.toBeInstanceOf(InvalidOptionError);
      await expect(predictRowsWith(ex, {} as never, x)).rejects.toBeInstanceOf(InvalidOptionError);
      await expect(predictRowsWith(ex, model, x, { method: 'nope' as never })).rejects.toBeInstanceOf(InvalidOptionError);
      const noProba = await predictRowsWith(ex, reg, x, { method: 'predictProba' }).catch((e: unknown) => e);
      expect(noProba).toBeInstanceOf(InvalidOptionError);
      expect((noProba as InvalidOptionError).details).toMatchObject({ fn: 'predictRowsWith', arg: 'method' });
      await expect(predictRowsWith(ex, model, x, { local: 1 as never })).rejects.toBeInstanceOf(InvalidOptionError);
      await expect(predictRowsWith(ex, model, x, { batchRows: 0 })).rejects.toBeInstanceOf(InvalidOptionError);
      await expect(predictRowsWith(ex, model, x, null as never)).rejects.toBeInstanceOf(InvalidOptionError);
      const wide = await predictRowsWith(ex, model, [[1, 2, 3]]).catch((e: unknown) => e);
      expect(wide).toBeInstanceOf(ShapeError);
      expect((wide as ShapeError).details).toMatchObject({ fn: 'predictRowsWith', arg: 'x', got: 'row 0 with an array of length 3' });
      await expect(predictRowsWith(ex, model, { rows: 1, cols: 3, data: new Float64Array(3) })).rejects.toBeInstanceOf(ShapeError);
      await expect(predictRowsWith(ex, model, [[1, 2, 3, 4], [1, 2]])).rejects.toBeInstanceOf(ShapeError);
      await expect(predictRowsWith(ex, model, { rows: 2, cols: 4, data: new Float64Array(7) })).rejects.toBeInstanceOf(ShapeError);
      await expect(predictRowsWith(ex, model, 'x' as never)).rejects.toBeInstanceOf(ShapeError);
      await expect(predictRowsWith(ex, model, [])).rejects.toBeInstanceOf(DataError);
      // a non-finite value in any share (here the last one), named by its row
      const bad = x.map((r) => [...r]);
      bad[50]![2] = Number.NaN;
      const nan = await predictRowsWith(recording(2), model, bad, { batchRows: 20 }).catch((e: unknown) => e);
      expect(nan).toBeInstanceOf(DataError);
      expect((nan as DataError).details.got).toMatch(/NaN at row 50, column 2/);
      const inf = await predictRowsWith(recording(2), model, { rows: 57, cols: 4, data: Float64Array.from(bad.flat(), (v) => (Number.isNaN(v) ? Infinity : v)) }).catch((e: unknown) => e);
      expect((inf as DataError).details.got).toMatch(/Infinity at row 50/);
      // the task checks its payload
      await expect(predictRowsTask(null as never)).rejects.toBeInstanceOf(InvalidOptionError);
      await expect(predictRowsTask({ model: model.toJSON(), x: { rows: 1, cols: 4, data: new Float64Array(4) as never } })).rejects.toBeInstanceOf(InvalidOptionError);
      await expect(predictRowsTask({ model: { kind: 'StandardScaler', version: 1, params: {}, state: {} }, x: { rows: 1, cols: 4, data: new Float32Array(4) } })).rejects.toBeInstanceOf(InvalidOptionError);
      await expect(predictRowsTask({ model: model.toJSON(), x: { rows: 1, cols: 3, data: new Float32Array(3) } })).rejects.toBeInstanceOf(ShapeError);
      await expectNoLeak(() => predictRowsTask({ model: model.toJSON(), x: { rows: 1, cols: 3, data: new Float32Array(3) } }).catch(() => undefined));
      // the envelope is made once per model and kept: a model disposed after a call is still refused
      expect(Array.from(await predictRowsWith(recording(1), reg, x, { local: false }))).toEqual(Array.from(reg.predict(x)));
      reg.dispose();
      await expect(predictRowsWith(ex, reg, x)).rejects.toBeInstanceOf(DisposedError);
      await expect(predictRowsWith(recording(1), reg, x, { local: false })).rejects.toBeInstanceOf(DisposedError);
      // an executor whose 'finml.predictRows' returns something else is named, not trusted
      const liar: Executor = { concurrency: 1, run: () => Promise.resolve({ rows: 57, width: 1, values: new Float32Array(3) }), close: () => Promise.resolve() };
      const lied = await predictRowsWith(liar, model, x).catch((e: unknown) => e);
      expect(lied).toBeInstanceOf(ShapeError);
      expect((lied as ShapeError).details).toMatchObject({ fn: 'predictRowsWith', arg: 'executor' });
    } finally {
      model.dispose();
      reg.dispose();
    }
  });

  it('pools a risk model: its PDs (score of a Table, predictor of encoded rows), bit-identical, refusing predict and a disposed model', async () => {
    // default when amount and age are both high or both low: an interaction the linear members cannot fit, so the networks get a weight
    const n = 240;
    const idx = Array.from({ length: n }, (_, i) => i);
    const amount = Float64Array.from(idx, (i) => ((i * 37) % 101) * 10 + Math.sin(i));
    const age = Float64Array.from(idx, (i) => 20 + ((i * 13) % 41));
    const table: Table = {
      nRows: n,
      columns: [
        { kind: 'numeric', name: 'amount', values: amount },
        { kind: 'numeric', name: 'age', values: age },
        { kind: 'categorical', name: 'housing', values: idx.map((i) => (i % 3 === 0 ? 'rent' : 'own')) },
        { kind: 'categorical', name: 'Class', values: idx.map((i) => ((amount[i]! > 500) === (age[i]! > 40) ? 'Bad' : 'Good')) },
      ],
    };
    const risk = await buildRiskModel(table, { target: 'Class', members: 2, epochs: 40, hidden: [8], seed: 2, backgroundSize: 5 });
    try {
      const ref = risk.score(table);
      expect(risk.combiner.networkWeight).toBeGreaterThan(0); // the networks are evaluated
      const enc = risk.pipeline.transformDense(table);
      const refEnc = Float64Array.from(await risk.predictor()(enc));
      expect(Array.from(refEnc)).toEqual(Array.from(ref));
      for (const [ex, opts] of [
        [recording(1), {}],
        [recording(2), { local: true }],
        [recording(3), { batchRows: 7 }],
        [recording(2), { batchRows: 100, local: true, method: 'predictProba' as const }],
      ] as const) {
        expect(Array.from(await predictRowsWith(ex, risk, table, opts))).toEqual(Array.from(ref));
        expect(Array.from(await predictRowsWith(ex, risk, enc, opts))).toEqual(Array.from(ref));
      }
      const nested = Array.from({ length: enc.rows }, (_, i) => Array.from(enc.data.subarray(i * enc.cols, (i + 1) * enc.cols)));
      const ex = recording(2);
      expect(Array.from(await predictRowsWith(ex, risk, nested, { batchRows: 120 }))).toEqual(Array.from(ref));
      expect(ex.tasks).toEqual(['finml.predictRows', 'finml.predictRows']);
      await expectNoLeak(() => predictRowsWith(recording(2), risk, table, { batchRows: 30, local: true }));
      // the task takes float64 rows for a risk model
      await expect(predictRowsTask({ model: risk.toJSON(), x: { rows: 1, cols: enc.cols, data: new Float32Array(enc.cols) } })).rejects.toBeInstanceOf(InvalidOptionError);
      const asLabels = await predictRowsWith(recording(1), risk, table, { method: 'predict' }).catch((e: unknown) => e);
      expect(asLabels).toBeInstanceOf(InvalidOptionError);
      expect((asLabels as InvalidOptionError).details).toMatchObject({ fn: 'predictRowsWith', arg: 'method' });
      await expect(predictRowsWith(recording(1), risk, { rows: 1, cols: enc.cols + 1, data: new Float64Array(enc.cols + 1) })).rejects.toBeInstanceOf(ShapeError);
      const bad = { rows: enc.rows, cols: enc.cols, data: enc.data.slice() };
      bad.data[170 * enc.cols + 1] = Number.NaN;
      const nan = await predictRowsWith(recording(2), risk, bad).catch((e: unknown) => e);
      expect((nan as DataError).details.got).toMatch(/NaN at row 170/);
    } finally {
      risk.dispose();
    }
    await expect(predictRowsWith(recording(1), risk, table)).rejects.toBeInstanceOf(DisposedError);
  });

  it('computes a logistic or linear regression in this thread (never sent: cheaper than copying the rows), bit-identical', async () => {
    const yb = x.map((r) => (r[0]! - r[2]! > 0 ? 1 : 0));
    const lr = logisticRegression({ l2: 0.5 }).fit(x, yb);
    const lin = linearRegression().fit(x, x.map((r) => r[1]! * 2 - r[3]!));
    const dense = { rows: x.length, cols: 4, data: Float64Array.from(x.flat()) };
    const f32 = { rows: x.length, cols: 4, data: Float32Array.from(x.flat()) };
    const x32 = Array.from({ length: x.length }, (_, i) => Array.from(f32.data.subarray(i * 4, i * 4 + 4)));
    for (const opts of [{}, { local: false }, { local: true, batchRows: 5 }]) {
      const ex = recording(2);
      expect(Array.from(await predictRowsWith(ex, lr, x, opts))).toEqual(lr.predict(x));
      expect(Array.from(await predictRowsWith(ex, lr, dense, { ...opts, method: 'predictProba' }))).toEqual(lr.predictProba(x));
      expect(Array.from(await predictRowsWith(ex, lin, dense, opts))).toEqual(lin.predict(x));
      expect(Array.from(await predictRowsWith(ex, lin, f32, opts))).toEqual(lin.predict(x32));
      expect(ex.tasks).toEqual([]);
    }
    const t = tf.tensor2d(x);
    try {
      const tp = lin.predict(t);
      const ref = Array.from(tp.dataSync());
      tp.dispose();
      // the tensor's float32 values, read as float64 (as the model's own toDense reads them)
      const got = await predictRowsWith(recording(1), lin, t);
      expect(Array.from(Float32Array.from(got))).toEqual(ref);
      expect(Array.from(got)).toEqual(lin.predict(Array.from({ length: x.length }, (_, i) => Array.from(t.dataSync().subarray(i * 4, i * 4 + 4)))));
    } finally {
      t.dispose();
    }
    await expect(predictRowsWith(recording(1), lin, x, { method: 'predictProba' })).rejects.toBeInstanceOf(InvalidOptionError);
    await expect(predictRowsWith(recording(1), lr, [[1, 2, 3]])).rejects.toBeInstanceOf(ShapeError);
    await expect(predictRowsWith(recording(1), lr, [[1, 2, 3, Infinity]])).rejects.toBeInstanceOf(DataError);
    await expect(predictRowsTask({ model: lr.toJSON(), x: { rows: 1, cols: 4, data: new Float64Array(4) } })).rejects.toBeInstanceOf(InvalidOptionError);
    const table: Table = { nRows: 1, columns: [{ kind: 'numeric', name: 'a', values: Float64Array.of(1) }] };
    await expect(predictRowsWith(recording(1), lr, table)).rejects.toBeInstanceOf(ShapeError);
  });
});
