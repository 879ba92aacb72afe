import { readFileSync } from 'node:fs';
import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { float32RowsOf, type Float32RowsPredictor } from '../../src/core/_internal/float32Rows';
import { DataError, DisposedError, InvalidOptionError, NotFittedError, SerializationError, ShapeError } from '../../src/core/errors';
import { createRng } from '../../src/core/random';
import { neuralClassifier, neuralModelFromJSON, neuralRegressor, type FittedNeuralModel } from '../../src/models/neuralModel';
import { transferFrom } from '../../src/models/transferFrom';
import { fromEstimatorJSON } from '../../src/registry';
import { expectClose, expectNoLeak } from '../helpers/leak';

/** German credit (one-hot layout), numeric columns z-scored with the first 800 rows' statistics; y = 1 for Bad. */
function germanCredit(): { xTrain: number[][]; yTrain: number[]; xTest: number[][]; yTest: number[] } {
  const lines = readFileSync(new URL('../../data/german_credit_dummies.csv', import.meta.url), 'utf8').trim().split('\n');
  const header = (lines[0] as string).split(',').map((h) => h.replace(/"/g, ''));
  const ci = header.indexOf('Class');
  const x: number[][] = [];
  const y: number[] = [];
  for (const line of lines.slice(1)) {
    const cells = line.split(',');
    y.push(cells[ci] === '"Bad"' ? 1 : 0);
    x.push(cells.filter((_, j) => j !== ci).map(Number));
  }
  const cols = (x[0] as number[]).length;
  for (let j = 0; j < cols; j++) {
    const v = x.slice(0, 800).map((r) => r[j] as number);
    const m = v.reduce((a, b) => a + b, 0) / v.length;
    const s = Math.sqrt(v.reduce((a, b) => a + (b - m) ** 2, 0) / v.length) || 1;
    for (const r of x) r[j] = ((r[j] as number) - m) / s;
  }
  return { xTrain: x.slice(0, 800), yTrain: y.slice(0, 800), xTest: x.slice(800), yTest: y.slice(800) };
}

/** AUC by brute force over all (positive, negative) pairs. */
function auc(y: number[], p: ArrayLike<number>): number {
  let num = 0;
  let den = 0;
  y.forEach((yi, i) =>
    y.forEach((yj, j) => {
      if (yi === 1 && yj === 0) {
        den++;
        num += (p[i] as number) > (p[j] as number) ? 1 : (p[i] as number) === (p[j] as number) ? 0.5 : 0;
      }
    }),
  );
  return num / den;
}

function blobs(n: number, seed: number, classes = 2): { x: number[][]; y: number[] } {
  const rng = createRng(seed);
  const x: number[][] = [];
  const y: number[] = [];
  for (let i = 0; i < n; i++) {
    const c = rng.int(classes);
    x.push([c * 2 + rng.normal() * 0.5, -c + rng.normal() * 0.5, rng.normal()]);
    y.push(c);
  }
  return { x, y };
}

const weightsFlat = (f: FittedNeuralModel): number[] => f.layerWeights().flatMap((w) => Array.from(w.values));

describe('neuralClassifier', () => {
  it('learns German credit: holdout AUC > 0.7 (logistic regression reaches ~0.78)', async () => {
    const d = germanCredit();
    const f = await neuralClassifier({
      model: { type: 'fnn', hidden: [16], dropout: 0.1 },
      train: { epochs: 15, batchSize: 64, learningRate: 0.003, validationSplit: 0.2, earlyStopping: { patience: 4 } },
      seed: 3,
    }).fit(d.xTrain, d.yTrain);
    const p = f.predictProba(d.xTest);
    expect(p).toBeInstanceOf(Float64Array);
    expect(p.length).toBe(200);
    expect(auc(d.yTest, p)).toBeGreaterThan(0.7);
    expect(f.classes).toEqual([0, 1]);
    expect(f.history.valLoss.length).toBe(f.training.epochs);
    f.dispose();
  });

  it('maps arbitrary labels to classes; predict, predictProba and predictProbaRows agree', async () => {
    const { x, y } = blobs(60, 1);
    const labels = y.map((v) => (v === 1 ? 2 : 1));
    const f = await neuralClassifier({ model: { type: 'fnn', hidden: [8] }, train: { epochs: 30, learningRate: 0.02 }, seed: 2 }).fit(x, labels);
    expect(f.classes).toEqual([1, 2]);
    const p = f.predictProba(x);
    const rows = f.predictProbaRows(x);
    const pred = f.predict(x);
    rows.forEach((r, i) => {
      expectClose(r, [1 - (p[i] as number), p[i] as number], 1e-12);
      expect(pred[i]).toBe((p[i] as number) > 0.5 ? 2 : 1);
    });
    const acc = labels.filter((l, i) => l === pred[i]).length / labels.length;
    expect(acc).toBeGreaterThan(0.9);
    // predictor adapter (for explainers) = predictProba on a DenseMatrix
    const dm = { rows: x.length, cols: 3, data: Float64Array.from(x.flat()) };
    expect(Array.from(await f.asPredictor()(dm))).toEqual(Array.from(p));
    // its float32 entry (used by KernelSHAP for masked rows) gives the same values
    const entry = float32RowsOf(f.asPredictor());
    expect(entry).toBeDefined();
    expect(Array.from(await (entry as Float32RowsPredictor)(Float32Array.from(dm.data), dm.rows, 3))).toEqual(Array.from(p));
    expect(() => (entry as Float32RowsPredictor)(new Float32Array(4), 1, 4)).toThrow(ShapeError);
    await expect(f.update(x, labels.map(() => 3))).rejects.toBeInstanceOf(DataError);
    f.dispose();
  });

  it('multiclass: softmax probabilities per row sum to 1; tensor in → tensor out (caller-owned, no leak)', async () => {
    const { x, y } = blobs(60, 3, 3);
    const f = await neuralClassifier({ model: { type: 'fnn', hidden: [8] }, train: { epochs: 30, learningRate: 0.02 }, seed: 4 }).fit(x, y);
    expect(f.outputUnits).toBe(3);
    const flat = f.predictProba(x);
    expect(flat.length).toBe(180);
    for (let i = 0; i < 60; i++) expect((flat[3 * i] as number) + (flat[3 * i + 1] as number) + (flat[3 * i + 2] as number)).toBeCloseTo(1, 5);
    const xt = tf.tensor2d(x);
    await expectNoLeak(() => {
      const pt = f.predictProba(xt);
      expect(pt.shape).toEqual([60, 3]);
      expect(Array.from(pt.dataSync())).toEqual(Array.from(flat, (v) => Math.fround(v)));
      const lt = f.predict(xt);
      expect(lt.shape).toEqual([60]);
      tf.dispose([pt, lt]);
    });
    expect(xt.isDisposed).toBe(false);
    xt.dispose();
    expect(() => f.asPredictor()).toThrow(InvalidOptionError);
    f.dispose();
  });

  it('predicts in batches: 5000 rows equal the two halves predicted separately', async () => {
    const { x, y } = blobs(40, 5);
    const f = await neuralClassifier({ model: { type: 'logistic' }, train: { epochs: 2 }, seed: 1 }).fit(x, y);
    const big = blobs(5000, 6).x;
    const all = f.predictProba(big);
    const a = f.predictProba(big.slice(0, 2500));
    const b = f.predictProba(big.slice(2500));
    expect(Array.from(all)).toEqual([...a, ...b]);
    f.dispose();
  });

  it('update trains a copy on new data; the original is untouched; no leak', async () => {
    const { x, y } = blobs(40, 7);
    const f = await neuralClassifier({ model: { type: 'fnn', hidden: [4] }, train: { epochs: 3 }, seed: 8 }).fit(x, y);
    const before = weightsFlat(f);
    const pBefore = Array.from(f.predictProba(x));
    const more = blobs(30, 9);
    const g = await f.update(more.x, more.y, { epochs: 4, learningRate: 0.01 });
    expect(weightsFlat(f)).toEqual(before);
    expect(Array.from(f.predictProba(x))).toEqual(pBefore);
    expect(weightsFlat(g)).not.toEqual(before);
    expect(g.history.loss).toHaveLength(4);
    expect(g.classes).toEqual(f.classes);
    await expectNoLeak(async () => {
      const h = await f.update(more.x, more.y, { epochs: 1 });
      h.dispose();
    });
    await expect(f.update([[1, 2]], [0])).rejects.toBeInstanceOf(ShapeError);
    await expect(f.update(more.x, more.y, { onEpochEnd: 3 } as never)).rejects.toBeInstanceOf(InvalidOptionError);
    f.dispose();
    g.dispose();
  });

  it('dispose: DisposedError afterwards; `using` disposes', async () => {
    const { x, y } = blobs(20, 10);
    const spec = neuralClassifier({ model: { type: 'logistic' }, train: { epochs: 1 }, seed: 1 });
    const f = await spec.fit(x, y);
    f.dispose();
    expect(f.isDisposed).toBe(true);
    expect(() => f.predictProba(x)).toThrow(DisposedError);
    expect(() => f.toJSON()).toThrow(DisposedError);
    await expect(f.update(x, y)).rejects.toBeInstanceOf(DisposedError);
    expect(() => transferFrom(f)).toThrow(DisposedError);
    f.dispose(); // idempotent
    let g: FittedNeuralModel | undefined;
    {
      using h = await spec.fit(x, y);
      g = h;
    }
    expect(g.isDisposed).toBe(true);
    expect(() => (spec.predictProba as () => never)()).toThrow(NotFittedError);
  });

  it('validates params eagerly', () => {
    expect(() => neuralClassifier({ model: { type: 'mlp' } as never })).toThrow(InvalidOptionError);
    expect(() => neuralClassifier({ train: { epochs: 0 } })).toThrow(InvalidOptionError);
    expect(() => neuralClassifier({ train: { onEpochEnd: () => undefined } as never })).toThrow(/train.onEpochEnd/);
    expect(() => neuralClassifier({ seed: 1.5 })).toThrow(InvalidOptionError);
    expect(() => neuralClassifier({ bogus: 1 } as never)).toThrow(InvalidOptionError);
    const spec = neuralClassifier({ train: { epochs: 3 } });
    expect(spec.withParams({ seed: 9 }).params).toEqual({ model: { type: 'fnn' }, train: { epochs: 3 }, seed: 9 });
  });

  it('fit options: explicit validation data with the original labels, callbacks, class weights', async () => {
    const { x, y } = blobs(40, 16);
    const v = blobs(20, 17);
    const lab = (a: number[]): number[] => a.map((c) => (c === 1 ? 7 : 3));
    const seen: number[] = [];
    const f = await neuralClassifier({ model: { type: 'logistic' }, train: { epochs: 3, classWeight: 'balanced', metrics: ['accuracy'] }, seed: 1 }).fit(x, lab(y), {
      validationData: { x: v.x, y: lab(v.y) },
      onEpochEnd: (l) => {
        seen.push(l.valLoss as number);
      },
    });
    expect(f.history.valLoss).toEqual(seen);
    expect(f.history.metrics.valAccuracy).toHaveLength(3);
    await expect(
      neuralClassifier({ model: { type: 'logistic' }, train: { epochs: 1 } }).fit(x, lab(y), { validationData: { x: v.x, y: v.y } }),
    ).rejects.toBeInstanceOf(DataError);
    f.dispose();
  });

  it('single-class data is a DataError', async () => {
    await expect(neuralClassifier().fit([[1], [2]], [1, 1])).rejects.toBeInstanceOf(DataError);
  });
});

describe('neuralRegressor', () => {
  it('multi-output (horizon 2) on cnn windows; flat DenseMatrix rows are reshaped; learns a linear target', async () => {
    const rng = createRng(11);
    const x: number[][][] = [];
    const y: number[][] = [];
    for (let i = 0; i < 64; i++) {
      const w = Array.from({ length: 6 }, () => [rng.normal(), rng.normal()]);
      x.push(w);
      const s = w.reduce((a, r) => a + (r[0] as number), 0) / 6;
      y.push([s, -s]);
    }
    const f = await neuralRegressor({ model: { type: 'cnn', filters: [4], kernelSize: 3, dense: [] }, train: { epochs: 60, learningRate: 0.02, batchSize: 16 }, seed: 2 }).fit(x, y);
    expect(f.inputShape).toEqual([6, 2]);
    expect(f.outputUnits).toBe(2);
    const pred = f.predict(x);
    expect(pred.length).toBe(128);
    const rows = f.predictRows(x);
    expect(rows[5]).toEqual([pred[10], pred[11]]);
    const mse = y.reduce((a, r, i) => a + ((r[0] as number) - (rows[i] as number[])[0]!) ** 2, 0) / 64;
    const variance = y.reduce((a, r) => a + (r[0] as number) ** 2, 0) / 64;
    expect(mse).toBeLessThan(0.3 * variance);
    const dm = { rows: 64, cols: 12, data: Float64Array.from(x.flat(2)) };
    expect(Array.from(await f.asPredictor()(dm))).toEqual(rows.map((r) => r[0]));
    const entry = float32RowsOf(f.asPredictor()) as Float32RowsPredictor;
    expect(Array.from(await entry(Float32Array.from(dm.data), 64, 12))).toEqual(rows.map((r) => r[0]));
    expect(() => f.predict([[1, 2, 3]])).toThrow(ShapeError);
    f.dispose();
  });
});

describe('neuralModelFromJSON', () => {
  it('round-trips through JSON text and the global registry; rejects corrupt envelopes', async () => {
    const { x, y } = blobs(30, 12);
    const f = await neuralClassifier({ model: { type: 'fnn', hidden: [3] }, train: { epochs: 2 }, seed: 5 }).fit(x, y);
    const json = JSON.parse(JSON.stringify(f.toJSON())) as { kind: string; version: number; params: unknown; state: Record<string, unknown> };
    const g = (await fromEstimatorJSON(json)) as FittedNeuralModel;
    expect(g.kind).toBe('NeuralClassifier');
    expect(Array.from((g as typeof f).predictProba(x))).toEqual(Array.from(f.predictProba(x)));
    expect(g.history).toEqual(f.history);
    g.dispose();
    const weights = json.state.weights as string;
    const bad = (patch: Record<string, unknown>, top: Record<string, unknown> = {}): unknown => ({ ...json, ...top, state: { ...json.state, ...patch } });
    const cases: unknown[] = [
      null,
      { ...json, kind: 'StandardScaler' },
      { ...json, version: 2 },
      bad({ weights: weights.slice(0, weights.length - 8) }),
      bad({ weights: '@@@@' }),
      bad({ topology: { class_name: 'Nope', config: {} } }),
      bad({ weightSpecs: [] }),
      bad({ classes: [1] }),
      bad({ inputShape: [4] }),
      bad({ history: 'x' }),
      bad({}, { params: { model: { type: 'zzz' }, train: {}, seed: 0 } }),
    ];
    await expectNoLeak(async () => {
      for (const c of cases) await expect(neuralModelFromJSON(c)).rejects.toBeInstanceOf(SerializationError);
    });
    f.dispose();
  });
});

describe('transferFrom', () => {
  it('freezes the first N weighted layers exactly, trains the rest, new head for new classes; source untouched', async () => {
    const src = blobs(60, 13);
    const base = await neuralClassifier({ model: { type: 'fnn', hidden: [6, 4] }, train: { epochs: 5, learningRate: 0.01 }, seed: 6 }).fit(src.x, src.y);
    const baseW = base.layerWeights();
    const tgt = blobs(45, 14, 3);
    const t = await transferFrom(base, { freeze: 1, newHead: true, train: { epochs: 5, learningRate: 0.05 } }).fit(tgt.x, tgt.y);
    const tW = t.layerWeights();
    expect(t.outputUnits).toBe(3);
    expect(t.classes).toEqual([0, 1, 2]);
    // first dense layer (kernel, bias) identical; second hidden layer trained
    expect(tW[0]?.values).toEqual(baseW[0]?.values);
    expect(tW[1]?.values).toEqual(baseW[1]?.values);
    expect(tW[2]?.values).not.toEqual(baseW[2]?.values);
    expect(tW[4]?.shape).toEqual([4, 3]);
    expect(base.layerWeights()).toEqual(baseW);
    // frozen flags survive JSON, so update keeps the layer frozen
    const back = (await neuralModelFromJSON(JSON.parse(JSON.stringify(t.toJSON())))) as typeof t;
    const u = await back.update(tgt.x, tgt.y, { epochs: 2 });
    expect(u.layerWeights()[0]?.values).toEqual(baseW[0]?.values);
    expect(u.layerWeights()[2]?.values).not.toEqual(tW[2]?.values);
    for (const m of [t, back, u]) m.dispose();
    base.dispose();
  });

  it("'allButHead' keeps the trained head's classes when newHead is false; freeze by layer names; validation; no leak", async () => {
    const src = blobs(40, 15);
    const base = await neuralClassifier({ model: { type: 'fnn', hidden: [4] }, train: { epochs: 3 }, seed: 7 }).fit(src.x, src.y.map((v) => v + 5));
    const baseW = base.layerWeights();
    const t = await transferFrom(base, { newHead: false, train: { epochs: 3, learningRate: 0.05 } }).fit(src.x, src.y.map((v) => v + 5));
    expect(t.classes).toEqual([5, 6]);
    const tW = t.layerWeights();
    expect(tW[0]?.values).toEqual(baseW[0]?.values);
    expect(tW[2]?.values).not.toEqual(baseW[2]?.values);
    const firstLayer = baseW[0]?.layer as string;
    const byName = await transferFrom(base, { freeze: [firstLayer], train: { epochs: 2 } }).fit(src.x, src.y);
    expect(byName.layerWeights()[0]?.values).toEqual(baseW[0]?.values);
    expect(() => transferFrom(base, { freeze: ['nope'] })).toThrow(/layer names of the source network/);
    expect(() => transferFrom(base, { freeze: 5 })).toThrow(InvalidOptionError);
    await expect(transferFrom(base).fit([[1, 2], [3, 4]], [0, 1])).rejects.toBeInstanceOf(ShapeError);
    await expect(transferFrom(base, { newHead: false }).fit(src.x, src.y)).rejects.toBeInstanceOf(DataError);
    await expectNoLeak(async () => {
      const m = await transferFrom(base, { freeze: 1, train: { epochs: 1 } }).fit(src.x, src.y);
      m.dispose();
    });
    for (const m of [t, byName, base]) m.dispose();
  });
});

describe('neural estimators validate the whole model spec at construction', () => {
  it('rejects invalid nested spec options before any training, naming the option', () => {
    expect(() => neuralClassifier({ model: { type: 'fnn', hidden: [0] } })).toThrow(/'hidden' option of neuralClassifier/);
    expect(() => neuralRegressor({ model: { type: 'rnn', cell: 'bogus' as 'lstm' } })).toThrow(/'cell' option of neuralRegressor/);
    expect(() => neuralClassifier({ model: { type: 'cnn', kernelSize: 0 } })).toThrow(InvalidOptionError);
    expect(() => neuralClassifier({ model: { type: 'logistic', dropout: 1.5 } })).toThrow(/'dropout' option/);
    expect(() => neuralClassifier({ model: { type: 'fnn', hidden: [8], unknownKnob: 1 } as never })).toThrow(/'unknownKnob'/);
    expect(neuralClassifier({ model: { type: 'fnn', hidden: [8], dropout: 0.2 } }).params.model).toEqual({ type: 'fnn', hidden: [8], dropout: 0.2 });
  });
});

describe('prediction on DenseMatrix rows (read without a float32 copy up front)', () => {
  it('equals predicting the same rows as nested arrays, leaves the input as it was, and names a non-finite row', async () => {
    const rng = createRng(4);
    const rows = 9000; // more than one predict batch
    const cols = 5;
    const data = Float64Array.from({ length: rows * cols }, () => rng.normal() * 3);
    const x = { rows, cols, data };
    const nested = Array.from({ length: rows }, (_, i) => Array.from(data.subarray(i * cols, (i + 1) * cols)));
    const y = nested.map((r) => (r[0]! - r[1]! > 0 ? 1 : 0));
    const m = await neuralClassifier({ model: { type: 'fnn', hidden: [6] }, train: { epochs: 1, batchSize: 512 }, seed: 2 }).fit(nested.slice(0, 500), y.slice(0, 500));
    const r = await neuralRegressor({ model: { type: 'fnn', hidden: [4] }, train: { epochs: 1, batchSize: 512 }, seed: 3 }).fit(nested.slice(0, 500), y.slice(0, 500));
    try {
      const before = data.slice();
      await expectNoLeak(() => {
        expect(Array.from(m.predictProba(x))).toEqual(Array.from(m.predictProba(nested)));
        expect(m.predict(x)).toEqual(m.predict(nested));
        expect(Array.from(r.predict(x))).toEqual(Array.from(r.predict(nested)));
      });
      expect(Array.from(data)).toEqual(Array.from(before));
      for (const bad of [Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY]) {
        const d = data.slice();
        d[7001 * cols + 3] = bad;
        expect(() => m.predictProba({ rows, cols, data: d })).toThrow(DataError);
        expect(() => m.predictProba({ rows, cols, data: d })).toThrow(/at row 7001/);
      }
      expect(() => m.predictProba({ rows: 0, cols, data: new Float64Array(0) })).toThrow(DataError);
      expect(() => m.predictProba({ rows: 2, cols, data: new Float64Array(3) })).toThrow(ShapeError);
    } finally {
      m.dispose();
      r.dispose();
    }
  });
});
