import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { DataError, InvalidOptionError, SerializationError } from '../../src/core/errors';
import { createTable } from '../../src/data/createTable';
import { pipeline, pipelineFromJSON } from '../../src/data/pipeline';
import { minMaxScaler } from '../../src/data/minMaxScaler';
import { simpleImputer } from '../../src/data/simpleImputer';
import { standardScaler } from '../../src/data/standardScaler';
import { tabularPipeline, tabularPipelineFromJSON } from '../../src/data/tabularPipeline';
import { fromEstimatorJSON } from '../../src/registry';
import { expectClose, expectNoLeak } from '../helpers/leak';

describe('pipeline', () => {
  const x = [[1, 10], [Number.NaN, 20], [3, Number.NaN], [4, 40]];
  it('equals applying the steps by hand; inverse; JSON round trip; refit from restored params', () => {
    const p = pipeline([simpleImputer(), standardScaler(), minMaxScaler({ featureRange: [-1, 1] })]).fit(x);
    const imp = simpleImputer().fit(x);
    const a = imp.transform(x);
    const sc = standardScaler().fit(a);
    const b = sc.transform(a);
    const mm = minMaxScaler({ featureRange: [-1, 1] }).fit(b);
    expect(p.transform(x)).toEqual(mm.transform(b));
    expect(p.nFeaturesOut).toBe(2);
    const back = pipelineFromJSON(JSON.parse(JSON.stringify(p.toJSON())));
    expect(back.transform(x)).toEqual(p.transform(x));
    expect((fromEstimatorJSON(p.toJSON()) as typeof p).transform(x)).toEqual(p.transform(x));
    const refit = pipeline(back.params.steps).fit(x);
    expect(refit.transform(x)).toEqual(p.transform(x));
    const scaled = pipeline([standardScaler(), minMaxScaler()]).fit([[1], [2], [4]]);
    expectClose(scaled.inverseTransform(scaled.transform([[3]])).flat(), [3], 1e-12);
    expect(() => p.inverseTransform([[0, 0]])).toThrow(InvalidOptionError);
  });

  it('validates steps and inputs', () => {
    expect(() => pipeline([])).toThrow(InvalidOptionError);
    expect(() => pipeline([{} as never])).toThrow(InvalidOptionError);
    expect(() => pipeline([standardScaler()]).fit(x)).toThrow(DataError);
    const p = pipeline([simpleImputer(), standardScaler()]).fit(x);
    expect(() => p.transform([[1]])).toThrow(/2 columns/);
    expect(() => pipelineFromJSON({ kind: 'Pipeline', version: 1, params: {}, state: { steps: [{ kind: 'Nope' }] } })).toThrow(SerializationError);
  });

  it('tensor path leaks nothing', async () => {
    const p = pipeline([simpleImputer(), standardScaler()]).fit(x);
    const t = tf.tensor2d([[1, 2], [3, 4]]);
    await expectNoLeak(() => tf.dispose(p.transform(t)));
    t.dispose();
  });
});

const train = createTable({
  id: [1, 2, 3, 4, 5, 6],
  Duration: [6, 48, 12, 42, 24, 36],
  Amount: [1000, 5000, Number.NaN, 8000, 4000, 9000],
  Purpose: ['Radio', 'Radio', 'Education', null, 'NewCar', 'Education'],
  Housing: ['Own', 'Rent', 'Own', 'Own', 'Own', 'ForFree'],
  Class: ['Good', 'Bad', 'Good', 'Good', 'Bad', 'Good'],
});

describe('tabularPipeline', () => {
  it('imputes, scales and one-hot encodes; exposes featureNames and featureGroups', () => {
    const prep = tabularPipeline({ target: 'Class', positive: 'Bad', drop: ['id'] }).fit(train);
    expect(prep.featureNames).toEqual([
      'Duration',
      'Amount',
      'Purpose=Education',
      'Purpose=NewCar',
      'Purpose=Radio',
      'Housing=ForFree',
      'Housing=Own',
      'Housing=Rent',
    ]);
    expect(prep.featureGroups).toEqual({ Duration: [0], Amount: [1], Purpose: [2, 3, 4], Housing: [5, 6, 7] });
    const m = prep.transform(train);
    // Amount NaN -> median 5000, then standardised with the imputed column's mean/std
    const amount = [1000, 5000, 5000, 8000, 4000, 9000];
    const mean = amount.reduce((a, b) => a + b) / 6;
    const sd = Math.sqrt(amount.reduce((a, b) => a + (b - mean) ** 2, 0) / 6);
    expectClose(m.map((r) => r[1] as number), amount.map((v) => (v - mean) / sd), 1e-12);
    // Purpose null -> most frequent (tie Education/Radio -> 'Education')
    expect(m[3]?.slice(2, 5)).toEqual([1, 0, 0]);
    expect(Array.from(prep.transformTarget(train))).toEqual([0, 1, 0, 0, 1, 0]);
  });

  it('fits on train only: transforming other tables reuses train statistics (no leakage)', () => {
    const prep = tabularPipeline({ target: 'Class', drop: ['id'], categorical: { handleUnknown: 'ignore' } }).fit(train);
    const test = createTable({
      id: [7, 8],
      Duration: [1000, 2000],
      Amount: [Number.NaN, 1],
      Purpose: ['Vacation', 'Radio'],
      Housing: ['Own', 'Own'],
      Class: ['Good', 'Good'],
    });
    const before = prep.transform(train);
    const t = prep.transform(test);
    const scaler = standardScaler().fit([[6], [48], [12], [42], [24], [36]]);
    expect(t.map((r) => r[0])).toEqual(scaler.transform([[1000], [2000]]).flat());
    expect(t[0]?.slice(2, 5)).toEqual([0, 0, 0]);
    // transforming test rows changed nothing learned from train
    expect(prep.transform(train)).toEqual(before);
    // a pipeline fitted on train + test would differ, proving test statistics are not used
    const both = tabularPipeline({ target: 'Class', drop: ['id'], categorical: { handleUnknown: 'ignore' } }).fit(
      createTable({
        id: [1, 2, 3, 4, 5, 6, 7, 8],
        Duration: [6, 48, 12, 42, 24, 36, 1000, 2000],
        Amount: [1000, 5000, Number.NaN, 8000, 4000, 9000, Number.NaN, 1],
        Purpose: ['Radio', 'Radio', 'Education', null, 'NewCar', 'Education', 'Vacation', 'Radio'],
        Housing: ['Own', 'Rent', 'Own', 'Own', 'Own', 'ForFree', 'Own', 'Own'],
        Class: ['Good', 'Bad', 'Good', 'Good', 'Bad', 'Good', 'Good', 'Good'],
      }),
    );
    expect(both.transform(test)[0]?.[0]).not.toBeCloseTo(t[0]?.[0] as number, 3);
  });

  it('JSON text round trip gives identical transforms; ordinal/minmax/robust variants', () => {
    for (const opts of [
      { target: 'Class', drop: ['id'] },
      { drop: ['id', 'Class'], numeric: { impute: 'mean', scale: 'minmax' }, categorical: { encode: 'ordinal', handleUnknown: 'ignore' } },
      { target: 'Class', numeric: { impute: 'constant', fillValue: -1, scale: 'robust' }, categorical: { impute: 'constant', drop: 'first' } },
      { target: 'Class', numeric: { scale: null }, categorical: { impute: null, handleUnknown: 'ignore' } },
    ] as const) {
      const prep = tabularPipeline(opts).fit(train);
      const back = tabularPipelineFromJSON(JSON.parse(JSON.stringify(prep.toJSON())));
      expect(back.transform(train)).toEqual(prep.transform(train));
      expect(back.featureNames).toEqual(prep.featureNames);
      expect(back.featureGroups).toEqual(prep.featureGroups);
    }
    const ord = tabularPipeline({ target: 'Class', drop: ['id'], categorical: { encode: 'ordinal' } }).fit(train);
    expect(ord.featureGroups).toEqual({ Duration: [0], Amount: [1], Purpose: [2], Housing: [3] });
  });

  it('errors: missing column, changed kind, unseen category, NaN without imputation, bad options', () => {
    const prep = tabularPipeline({ target: 'Class', drop: ['id'] }).fit(train);
    const noHousing = createTable({ Duration: [1], Amount: [1], Purpose: ['Radio'] });
    expect(() => prep.transform(noHousing)).toThrow(/"Housing", which is missing/);
    const wrongKind = createTable({ Duration: ['x'], Amount: [1], Purpose: ['Radio'], Housing: ['Own'] });
    expect(() => prep.transform(wrongKind)).toThrow(/to be numeric/);
    const unseen = createTable({ Duration: [1], Amount: [1], Purpose: ['Vacation'], Housing: ['Own'] });
    expect(() => prep.transform(unseen)).toThrow(/"Purpose".*"Vacation"/s);
    expect(() => tabularPipeline({ numeric: { impute: null } }).fit(train)).toThrow(/column "Amount", row 2/);
    expect(() => tabularPipeline({ numeric: { scale: 'zscore' as 'standard' } })).toThrow(InvalidOptionError);
    expect(() => tabularPipeline({ target: 'Nope' }).fit(train)).toThrow(DataError);
    expect(() => prep.transformTarget(createTable({ Class: ['Meh'] }))).toThrow(DataError);
  });

  it('rejects options that would be silently ignored', () => {
    // positive without a target, and drop: 'first' with ordinal codes, did nothing.
    expect(() => tabularPipeline({ positive: 'Bad' })).toThrow(InvalidOptionError);
    expect(() => tabularPipeline({ target: 'Class', categorical: { encode: 'ordinal', drop: 'first' } })).toThrow(/categorical\.drop/);
    // positive with a numeric 0/1 target kept 1 as the positive class whatever was asked.
    const numericTarget = createTable({ x: [1, 2, 3, 4], y: [0, 1, 0, 1] });
    expect(() => tabularPipeline({ target: 'y', positive: '0' }).fit(numericTarget)).toThrow(/'positive' argument of tabularPipeline\.fit.*numeric target column "y"/);
    expect(Array.from(tabularPipeline({ target: 'y' }).fit(numericTarget).transformTarget(numericTarget))).toEqual([0, 1, 0, 1]);
  });

  it('transformTensor returns a caller-owned tensor and leaks nothing', async () => {
    const prep = tabularPipeline({ target: 'Class', drop: ['id'] }).fit(train);
    await expectNoLeak(() => {
      const t = prep.transformTensor(train);
      expect(t.shape).toEqual([6, prep.nFeaturesOut]);
      t.dispose();
    });
  });
});
