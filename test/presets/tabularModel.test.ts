import { describe, expect, it } from 'vitest';
import { DataError, InvalidOptionError, NotFittedError, SerializationError } from '../../src/core/errors';
import { createRng } from '../../src/core/random';
import type { Column, Table } from '../../src/data/table';
import { takeRows } from '../../src/data/takeRows';
import { accuracy } from '../../src/metrics/accuracy';
import { f1 } from '../../src/metrics/f1';
import { mae } from '../../src/metrics/mae';
import { r2 } from '../../src/metrics/r2';
import { rmse } from '../../src/metrics/rmse';
import { linearRegression } from '../../src/models/linearRegression';
import type { FittedNeuralClassifier, FittedNeuralRegressor } from '../../src/models/neuralModel';
import { tabularModel, tabularModelFromJSON, tabularModelFromParts } from '../../src/presets/tabularModel';
import { expectNoLeak } from '../helpers/leak';

/** y = x1² + 2·[region = a] + 0.5·x2 + noise (a curve a linear model cannot follow); grade: three bands of x1 + noise. */
function table(n: number, seed: number): Table {
  const r = createRng(seed);
  const x1 = Float64Array.from({ length: n }, () => 2 * r.normal());
  const x2 = Float64Array.from({ length: n }, () => r.normal());
  const region = Array.from({ length: n }, () => ['a', 'b', 'c'][r.int(3)] as string);
  const s = x1.map((v) => v + 0.3 * r.normal());
  return {
    nRows: n,
    columns: [
      { kind: 'numeric', name: 'x1', values: x1 },
      { kind: 'numeric', name: 'x2', values: x2 },
      { kind: 'categorical', name: 'region', values: region },
      { kind: 'numeric', name: 'y', values: x1.map((v, i) => v * v + (region[i] === 'a' ? 2 : 0) + 0.5 * (x2[i] as number) + 0.3 * r.normal()) },
      { kind: 'categorical', name: 'grade', values: Array.from(s, (v) => (v < -1 ? 'low' : v < 1 ? 'mid' : 'high')) },
      { kind: 'numeric', name: 'gradeCode', values: Float64Array.from(s, (v) => (v < -1 ? 0 : v < 1 ? 1 : 2)) },
    ],
  };
}

const train = table(300, 1);
const test = table(100, 2);

describe('tabularModel: regression', () => {
  it('beats linear regression on a curved target, predicts in target units and evaluates like the metric functions', async () => {
    const model = await tabularModel({ target: 'y', drop: ['grade', 'gradeCode'], hidden: [16], epochs: 150, seed: 3 }).fit(train);
    try {
      expect(model.task).toBe('regression');
      expect(model.params.task).toBe('regression');
      expect(model.inputColumns).toEqual(['x1', 'x2', 'region']);
      // predict = the network on the encoded rows, scaled back with the training target's mean and sd
      const y = Array.from(train.columns[3]?.values as Float64Array);
      const mean = y.reduce((a, v) => a + v, 0) / y.length;
      const sd = Math.sqrt(y.reduce((a, v) => a + (v - mean) ** 2, 0) / y.length);
      expect(model.targetMean).toBeCloseTo(mean, 12);
      expect(model.targetScale).toBeCloseTo(sd, 12);
      const z = (model.network as FittedNeuralRegressor).predict(model.pipeline.transform(test));
      const p = model.predict(test);
      p.forEach((v, i) => expect(v).toBeCloseTo((z[i] as number) * sd + mean, 9));
      const yTest = Array.from(test.columns[3]?.values as Float64Array);
      const ev = model.evaluate(test);
      expect(ev).toEqual({ task: 'regression', n: 100, rmse: rmse(yTest, p), mae: mae(yTest, p), r2: r2(yTest, p) });
      // the classical baseline on the same encoded columns and rows
      const ols = linearRegression().fit(model.pipeline.transform(train), y);
      const olsRmse = rmse(yTest, ols.predict(model.pipeline.transform(test)));
      expect(ev.task === 'regression' && ev.rmse).toBeLessThan(0.8 * olsRmse);
      expect(model.predictLabels(takeRows(test, [0]))).toEqual([String(p[0])]);
      // predictEach: rejected rows (an unseen category) are NaN and named; the others as predict
      const five = takeRows(test, [0, 1, 2, 3, 4]);
      const odd: Table = { nRows: 5, columns: five.columns.map((c): Column => (c.name === 'region' ? { kind: 'categorical', name: 'region', values: ['a', 'zzz', 'b', 'yyy', 'c'] } : c)) };
      expect(() => model.predict(odd)).toThrow(DataError);
      const each = model.predictEach(odd);
      expect(each.failed.map((f) => f.row)).toEqual([1, 3]);
      expect(each.failed[0]?.reason).toContain('zzz');
      expect(Number.isNaN(each.predictions[1] as number) && Number.isNaN(each.predictions[3] as number)).toBe(true);
      const good = model.predict(takeRows(odd, [0, 2, 4]));
      expect([each.predictions[0], each.predictions[2], each.predictions[4]]).toEqual(Array.from(good));
    } finally {
      model.dispose();
    }
  });

  it('explains rows additively with reason codes that say raised or lowered', async () => {
    const model = await tabularModel({ target: 'y', drop: ['grade', 'gradeCode'], epochs: 30, seed: 4, backgroundSize: 10 }).fit(train);
    try {
      const rows = [0, 5];
      const ex = await model.explain(test, { rows, topK: 2 });
      const p = model.predict(test);
      expect(ex.map((e) => e.row)).toEqual(rows);
      for (const e of ex) {
        expect(e.names).toEqual(['x1', 'x2', 'region']);
        expect(e.what).toBe('y');
        expect(e.label).toBeNull();
        expect(e.value).toBeCloseTo(p[e.row] as number, 4);
        expect(e.baseValue + e.values.reduce((a, v) => a + v, 0)).toBeCloseTo(e.value, 6);
        expect(e.reasons.length).toBeLessThanOrEqual(2);
        expect(e.reasons.map((r) => r.rank)).toEqual(e.reasons.map((_, i) => i + 1));
        for (const r of e.reasons) {
          const v = e.values[r.player] as number;
          expect(r.sentence).toMatch(new RegExp(`^${r.name} = \\S+ ${v > 0 ? 'raised' : 'lowered'} the prediction by \\d+\\.\\d\\d$`));
        }
        // the strongest |contribution| leads
        const top = Math.max(...e.values.map(Math.abs));
        if (e.reasons[0] !== undefined) expect(Math.abs(e.values[e.reasons[0].player] as number)).toBe(top);
      }
      // one row alone gives the same explanation as in a batch
      const [alone] = await model.explain(takeRows(test, [5]), { topK: 2 });
      expect(alone?.values).toEqual(ex[1]?.values);
      await expect(model.explain(test, { rows: [100] })).rejects.toThrow(InvalidOptionError);
    } finally {
      model.dispose();
    }
  });
});

describe('tabularModel: multiclass', () => {
  it('softmax probabilities per class, arg-max labels, accuracy and macro-F1; numeric class codes become labels', async () => {
    const model = await tabularModel({ target: 'grade', drop: ['y', 'gradeCode'], epochs: 60, seed: 2 }).fit(train);
    try {
      expect(model.task).toBe('multiclass');
      expect(model.classes).toEqual(['high', 'low', 'mid']);
      const p = model.predict(test);
      expect(p.length).toBe(300);
      const raw = (model.network as FittedNeuralClassifier).predictProba(model.pipeline.transform(test));
      expect(Array.from(p)).toEqual(Array.from(raw));
      const labels = model.predictLabels(test);
      labels.forEach((l, i) => {
        const row = Array.from(p.subarray(3 * i, 3 * i + 3));
        expect(row.reduce((a, v) => a + v, 0)).toBeCloseTo(1, 5);
        expect(l).toBe(model.classes[row.indexOf(Math.max(...row))]);
      });
      const truth = (test.columns[4]?.values as string[]).map((l) => model.classes.indexOf(l));
      const pred = labels.map((l) => model.classes.indexOf(l));
      const ev = model.evaluate(test);
      expect(ev).toEqual({ task: 'multiclass', n: 100, accuracy: accuracy(truth, pred, { threshold: null }), macroF1: f1(truth, pred, { average: 'macro', threshold: null }) });
      expect(ev.task === 'multiclass' && ev.accuracy).toBeGreaterThan(0.7);
      const [e] = await model.explain(test, { rows: [3] });
      const k = model.classes.indexOf(labels[3] as string);
      expect(e?.label).toBe(labels[3]);
      expect(e?.what).toBe(`P(grade = ${labels[3] as string})`);
      expect(e?.value).toBeCloseTo(p[3 * 3 + k] as number, 4);
    } finally {
      model.dispose();
    }
    const coded = await tabularModel({ target: 'gradeCode', task: 'multiclass', drop: ['y', 'grade'], epochs: 2, seed: 2 }).fit(train);
    try {
      expect(coded.classes).toEqual(['0', '1', '2']);
      expect(coded.evaluate(test).n).toBe(100);
    } finally {
      coded.dispose();
    }
  });
});

describe('tabularModel: spec, errors, serialisation, memory', () => {
  it('validates options eagerly and targets at fit, never mutating the table', async () => {
    const spec = tabularModel({ target: 'y', epochs: 2 });
    expect(Object.isFrozen(spec.params)).toBe(true);
    expect(spec.params.task).toBe('auto');
    expect(spec.withParams({ hidden: [3] }).params.hidden).toEqual([3]);
    expect(() => (spec.predict as unknown as () => unknown)()).toThrow(NotFittedError);
    expect(() => tabularModel({ target: 'y', validationSplit: 0 })).toThrow(/validationSplit/);
    expect(() => tabularModel({ target: 'y', task: 'binary' as never })).toThrow(InvalidOptionError);
    const snapshot = JSON.stringify(train.columns.map((c) => Array.from(c.values as ArrayLike<unknown>)));
    await expect(tabularModel({ target: 'nope' }).fit(train)).rejects.toThrow(DataError);
    await expect(tabularModel({ target: 'grade', task: 'regression' }).fit(train)).rejects.toThrow(/categorical column 'grade'/);
    const two: Table = { nRows: 4, columns: [{ kind: 'numeric', name: 'x', values: Float64Array.from([1, 2, 3, 4]) }, { kind: 'categorical', name: 'c', values: ['a', 'b', 'a', 'b'] }] };
    await expect(tabularModel({ target: 'c' }).fit(two)).rejects.toThrow(/at least 3 distinct labels/);
    const gap: Table = { nRows: 4, columns: [{ kind: 'numeric', name: 'x', values: Float64Array.from([1, 2, 3, 4]) }, { kind: 'numeric', name: 'y', values: Float64Array.from([1, Number.NaN, 3, 4]) }] };
    await expect(tabularModel({ target: 'y' }).fit(gap)).rejects.toThrow(/missing value in row 1/);
    await expect(tabularModel({ target: 'y' }).fit(train, { validationData: [[[1]], [1]] } as never)).rejects.toThrow(InvalidOptionError);
    expect(JSON.stringify(train.columns.map((c) => Array.from(c.values as ArrayLike<unknown>)))).toBe(snapshot);
  });

  it('round-trips through JSON and through its parts; parts without an explainer predict but cannot explain', async () => {
    await expectNoLeak(async () => {
      const model = await tabularModel({ target: 'y', drop: ['grade', 'gradeCode'], epochs: 3, seed: 1, backgroundSize: 5 }).fit(train);
      const back = await tabularModelFromJSON(JSON.parse(JSON.stringify(model.toJSON())));
      try {
        expect(Array.from(back.predict(test))).toEqual(Array.from(model.predict(test)));
        expect(Array.from(back.predictEach(test).predictions)).toEqual(Array.from(model.predict(test)));
        expect(back.params).toEqual(model.params);
        expect((await back.explain(test, { rows: [1] }))[0]?.values).toEqual((await model.explain(test, { rows: [1] }))[0]?.values);
        const network = (await tabularModelFromJSON(JSON.parse(JSON.stringify(model.toJSON())))).network;
        const parts = tabularModelFromParts({ pipeline: model.pipeline, network, targetMean: model.targetMean, targetScale: model.targetScale });
        expect(Array.from(parts.predict(test))).toEqual(Array.from(model.predict(test)));
        // read back from the network and the pipeline; without an explainer, backgroundSize is the default
        expect({ ...parts.params, backgroundSize: 5 }).toEqual(model.params);
        expect(parts.params.backgroundSize).toBe(30);
        expect(parts.explainer).toBeNull();
        await expect(parts.explain(test)).rejects.toThrow(/without an explainer/);
        parts.dispose();
        expect(() => tabularModelFromParts({ pipeline: model.pipeline, network: model.network })).toThrow(SerializationError);
        const bad = JSON.parse(JSON.stringify(model.toJSON())) as { state: { targetScale: number } };
        bad.state.targetScale = -1;
        await expect(tabularModelFromJSON(bad)).rejects.toThrow(SerializationError);
        await expect(tabularModelFromJSON({ ...model.toJSON(), kind: 'RiskModel' })).rejects.toThrow(SerializationError);
      } finally {
        model.dispose();
        back.dispose();
      }
    });
  });
});
