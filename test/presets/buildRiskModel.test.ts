import { fileURLToPath } from 'node:url';
import { beforeAll, afterAll, describe, expect, it } from 'vitest';
import { DataError, InvalidOptionError, SerializationError } from '../../src/core/errors';
import { getColumn } from '../../src/data/getColumn';
import { tabularPipeline } from '../../src/data/tabularPipeline';
import { takeRows } from '../../src/data/takeRows';
import { trainTestSplit } from '../../src/data/trainTestSplit';
import type { Table } from '../../src/data/table';
import { logLoss } from '../../src/metrics/logLoss';
import { rocAuc } from '../../src/metrics/rocAuc';
import { logisticRegression } from '../../src/models/logisticRegression';
import { readCsv } from '../../src/node/index';
import { buildRiskModel } from '../../src/presets/riskModel';
import { riskModelFromJSON, type RiskModel } from '../../src/presets/buildRiskModel';
import { expectNoLeak } from '../helpers/leak';
import type { Predictor } from '../../src/core/predictor';
import { denseToArrays, takeDenseRows } from '../../src/core/matrix';
import { kernelShap } from '../../src/explain/kernelShap';

const path = fileURLToPath(new URL('../../data/german_credit.csv', import.meta.url));

describe('buildRiskModel on German credit (stratified 80/20, seed 42)', () => {
  let train: Table;
  let test: Table;
  let model: RiskModel;
  beforeAll(async () => {
    const credit = await readCsv(path);
    const { train: tr, test: te } = trainTestSplit(credit.nRows, { testSize: 0.2, seed: 42, stratify: getColumn(credit, 'Class').values as string[] });
    train = takeRows(credit, tr);
    test = takeRows(credit, te);
    model = await buildRiskModel(train, { target: 'Class' });
  });
  afterAll(() => model.dispose());

  it('scores test ROC-AUC and log loss at least as well as an L2 logistic regression on the same split', () => {
    const pipe = tabularPipeline({ target: 'Class', positive: 'Bad', numeric: { scale: 'standard' }, categorical: { encode: 'onehot', handleUnknown: 'ignore' } }).fit(train);
    // Unpenalized, a rare one-hot level is pure in these 800 rows (quasi-separation): a DataError suggesting l2.
    expect(() => logisticRegression({ l2: 0 }).fit(pipe.transform(train), pipe.transformTarget(train))).toThrow(/l2/);
    const lr = logisticRegression({ l2: 1 }).fit(pipe.transform(train), pipe.transformTarget(train));
    const lrAuc = rocAuc(pipe.transformTarget(test), lr.predictProba(pipe.transform(test)));
    const lrLogLoss = logLoss(pipe.transformTarget(test), lr.predictProba(pipe.transform(test)));
    const ev = model.evaluate(test);
    expect(lrAuc).toBeGreaterThan(0.74);
    expect(ev.rocAuc).toBeGreaterThanOrEqual(lrAuc);
    expect(ev.logLoss).toBeLessThanOrEqual(lrLogLoss);
    expect(ev.gini).toBeCloseTo(2 * ev.rocAuc - 1, 12);
    expect(ev.n).toBe(200);
    expect(ev.defaultRate).toBeCloseTo(0.3, 12);
    expect(model.classes).toEqual(['Good', 'Bad']);
    expect(model.positive).toBe('Bad');
    expect(model.params.positive).toBe('Bad');
    // The logistic-regression member is reported side by side, on the same out-of-fold rows.
    expect(model.validation.baseline.n).toBe(800);
    expect(model.validation.logLoss).toBeLessThanOrEqual(model.validation.baseline.logLoss);
    expect(model.validation.networkWeight).toBeGreaterThanOrEqual(0);
    expect(model.validation.gamWeight).toBe(model.combiner.gamWeight);
    // The GAM member: piecewise-linear bins (at most 8) on numeric columns with at least 3 values.
    const nNum = model.pipeline.state.numericColumns.length;
    expect(model.combiner.ple.columns.length).toBeGreaterThan(3);
    expect(model.combiner.ple.columns.every((j) => j < nNum)).toBe(true);
    expect(model.combiner.ple.edges.every((e) => e.length >= 3 && e.length <= 9)).toBe(true);
    expect(model.gam?.nFeaturesIn).toBe(model.pipeline.nFeaturesOut + model.combiner.ple.edges.reduce((s, e) => s + e.length - 1, 0));
    // Cut-off chosen on validation; the confusion matrix at it adds up.
    expect(ev.cutoff).toBe(model.combiner.cutoff);
    const c = ev.confusion;
    expect(c.tp + c.fn).toBe(60);
    expect(c.tp + c.fp + c.tn + c.fn).toBe(200);
    // Out-of-fold validation on the training table is an honest estimate (same ballpark as test).
    expect(model.validation.n).toBe(800);
    expect(Math.abs(model.validation.rocAuc - ev.rocAuc)).toBeLessThan(0.08);
  });

  it('predicts labels and PDs consistently', () => {
    const pd = model.score(test);
    const labels = model.predict(test, 0.3);
    labels.forEach((l, i) => expect(l).toBe((pd[i] as number) >= 0.3 ? 'Bad' : 'Good'));
    expect(pd.every((p) => p > 0 && p < 1)).toBe(true);
  });

  it('explains a decision: contributions sum to logit(pd) − base, reasons point toward default', async () => {
    const [e] = await model.explain(test, { rows: [3], topK: 3 });
    if (e === undefined) throw new Error('no explanation');
    const sum = Object.values(e.contributions).reduce((s, v) => s + v, 0);
    expect(sum).toBeCloseTo(Math.log(e.pd / (1 - e.pd)) - e.baseLogOdds, 6);
    expect(Object.keys(e.contributions)).toHaveLength(20);
    expect(e.pd).toBeCloseTo(model.score(takeRows(test, [3]))[0] as number, 9);
    expect(e.reasons.length).toBeLessThanOrEqual(3);
    for (const r of e.reasons) {
      expect(r.contribution).toBeGreaterThan(0);
      expect(r.sentence).toContain(r.name);
    }
    const chk = e.reasons.find((r) => r.name === 'CheckingAccountStatus');
    if (chk !== undefined) expect(chk.sentence).toMatch(/CheckingAccountStatus = (lt\.0|0\.to\.200|gt\.200|none)/);
  });

  it('keeps a SHAP background faithful to the whole training table (linear logit within 0.02 log-odds)', async () => {
    expect(model.explainer.background).toHaveLength(100);
    const { coef, intercept } = model.baseline.state;
    const logit: Predictor = (b) => {
      const out = new Float64Array(b.rows);
      for (let i = 0; i < b.rows; i++) {
        let z = intercept;
        for (let j = 0; j < b.cols; j++) z += (coef[j] as number) * (b.data[i * b.cols + j] as number);
        out[i] = 1 / (1 + Math.exp(-z));
      }
      return out;
    };
    const groups = Object.entries(model.pipeline.featureGroups).map(([name, columns]) => ({ name, columns: [...columns] }));
    const rows = denseToArrays(takeDenseRows(model.pipeline.transformDense(test), [0, 1]));
    const params = { link: 'logit', groups, backgroundSummary: 'none', seed: 3 } as const;
    const full = await kernelShap(params).fit(model.pipeline.transform(train)).explain(logit, rows);
    const herded = await kernelShap(params).fit(model.explainer.background).explain(logit, rows);
    const kmeans = await kernelShap({ ...params, backgroundSummary: 'kmeans', backgroundSize: 30 }).fit(model.pipeline.transform(train)).explain(logit, rows);
    const gap = (e: typeof full): number => Math.max(...e.values.flatMap((r, i) => r.map((v, j) => Math.abs(v - (full.values[i]?.[j] as number)))));
    expect(gap(herded)).toBeLessThan(0.02);
    expect(gap(kmeans)).toBeGreaterThan(gap(herded)); // the old default (k-means centroids) is further off
  });

  it('keeps the SHAP background faithful for the whole blended preset (within 0.02 log-odds of the full training set)', async () => {
    // The preset's own predictor (logistic regression, GAM and networks, calibrated), the same
    // coalitions for both backgrounds; the bench (npm run bench:quality) checks more rows and splits.
    const groups = Object.entries(model.pipeline.featureGroups).map(([name, columns]) => ({ name, columns: [...columns] }));
    const rows = denseToArrays(takeDenseRows(model.pipeline.transformDense(test), [0, 1]));
    const params = { link: 'logit', groups, backgroundSummary: 'none', seed: 5, nSamples: 200 } as const;
    const full = await kernelShap(params).fit(model.pipeline.transform(train)).explain(model.predictor(), rows);
    const herded = await kernelShap(params).fit(model.explainer.background).explain(model.predictor(), rows);
    const gap = Math.max(...herded.values.flatMap((r, i) => r.map((v, j) => Math.abs(v - (full.values[i]?.[j] as number)))));
    expect(model.combiner.networkWeight + model.combiner.gamWeight).toBeGreaterThan(0); // not the linear logit alone
    expect(gap).toBeLessThan(0.02);
    expect(gap).toBeGreaterThan(0); // a real comparison: the backgrounds differ
  });

  it('round-trips through JSON with identical scores', async () => {
    const back = await riskModelFromJSON(JSON.parse(JSON.stringify(model.toJSON())));
    expect(Array.from(back.score(test))).toEqual(Array.from(model.score(test)));
    expect(back.validation).toEqual(model.validation);
    expect(back.positive).toBe('Bad');
    expect(back.combiner).toEqual(model.combiner);
    back.dispose();
    await expect(riskModelFromJSON({ ...model.toJSON(), state: { members: [] } })).rejects.toThrow(SerializationError);
  });

  it('leaks no tensors when scoring and explaining', async () => {
    const few = takeRows(test, [0]);
    await expectNoLeak(async () => {
      model.score(few);
      await model.explain(few);
    });
  });
});

describe('buildRiskModel options and errors', () => {
  const small = (): Table => {
    const n = 60;
    const rows = Array.from({ length: n }, (_, i) => i);
    return {
      nRows: n,
      columns: [
        { kind: 'numeric', name: 'income', values: Float64Array.from(rows, (i) => (i % 7) * 10 + (i % 2 === 0 ? Number.NaN : 0)) },
        { kind: 'categorical', name: 'housing', values: rows.map((i) => (i % 3 === 0 ? 'rent' : i % 5 === 0 ? null : 'own')) },
        { kind: 'categorical', name: 'default', values: rows.map((i) => (i % 3 === 0 || i % 7 === 0 ? 'yes' : 'no')) },
      ],
    };
  };
  it('trains a single network with a validation split, imputes missing values, reports metrics', async () => {
    const m = await buildRiskModel(small(), { target: 'default', positive: 'yes', members: 1, epochs: 5, seed: 1 });
    expect(m.members).toHaveLength(1);
    expect(m.classes).toEqual(['no', 'yes']);
    expect(m.score(small()).length).toBe(60);
    m.dispose();
    expect(() => m.score(small())).toThrow(/disposed/);
  });
  it('accepts a numeric 0/1 target and rejects targets without exactly two classes', async () => {
    const t = small();
    const numeric: Table = {
      nRows: t.nRows,
      columns: [...t.columns.slice(0, 2), { kind: 'numeric', name: 'default', values: Float64Array.from((t.columns[2]?.values ?? []) as readonly string[], (v) => (v === 'yes' ? 1 : 0)) }],
    };
    const m = await buildRiskModel(numeric, { target: 'default', members: 1, epochs: 2 });
    expect(m.classes).toEqual(['0', '1']);
    expect(m.predict(numeric).every((l) => l === '0' || l === '1')).toBe(true);
    m.dispose();
    const three: Table = { nRows: t.nRows, columns: [...t.columns.slice(0, 2), { kind: 'categorical', name: 'default', values: Array.from({ length: t.nRows }, (_, i) => ['a', 'b', 'c'][i % 3] ?? 'a') }] };
    await expect(buildRiskModel(three, { target: 'default', members: 1, epochs: 2 })).rejects.toThrow(/binary target column 'default'.*3 distinct value/);
    const constant: Table = { nRows: t.nRows, columns: [...t.columns.slice(0, 2), { kind: 'numeric', name: 'default', values: new Float64Array(t.nRows) }] };
    await expect(buildRiskModel(constant, { target: 'default', members: 1, epochs: 2 })).rejects.toThrow(DataError);
  });

  it('gives typed errors', async () => {
    await expect(buildRiskModel(small(), { target: '' })).rejects.toThrow(InvalidOptionError);
    await expect(buildRiskModel(small(), { target: 'default', members: 0 })).rejects.toThrow(InvalidOptionError);
    await expect(buildRiskModel(small(), { target: 'nope' })).rejects.toThrow(DataError);
    await expect(buildRiskModel(small(), { target: 'default', positive: 'maybe' })).rejects.toThrow(DataError);
  });

  it('recognises the default label case-insensitively and never guesses', async () => {
    const t = small();
    const relabel = (f: (v: string) => string): Table => ({
      nRows: t.nRows,
      columns: [...t.columns.slice(0, 2), { kind: 'categorical', name: 'status', values: (t.columns[2]?.values as string[]).map(f) }],
    });
    // yes/no: neither label means default by itself: a DataError lists the labels and asks for positive.
    const e = await buildRiskModel(relabel((v) => v), { target: 'status', members: 2, epochs: 1 }).catch((err: unknown) => err);
    expect(e).toBeInstanceOf(DataError);
    expect((e as DataError).details).toMatchObject({ fn: 'buildRiskModel', arg: 'positive' });
    expect((e as Error).message).toMatch(/"no", "yes"/);
    expect((e as Error).message).toMatch(/positive/);
    // Both labels recognised: ambiguous, also an error.
    await expect(buildRiskModel(relabel((v) => (v === 'yes' ? 'BAD' : 'Default')), { target: 'status', members: 2, epochs: 1 })).rejects.toThrow(/several recognised labels/);
    for (const [yes, no] of [['bad', 'good'], ['Charged Off', 'Fully Paid'], ['DELINQUENT', 'current'], ['defaulted', 'repaid'], ['1', '0']] as const) {
      const m = await buildRiskModel(relabel((v) => (v === 'yes' ? yes : no)), { target: 'status', members: 2, epochs: 1, backgroundSize: 3 });
      try {
        expect(m.positive).toBe(yes);
        expect(m.classes).toEqual([no, yes]);
        expect(m.params.positive).toBe(yes);
        expect((m.toJSON().state as { positive: string }).positive).toBe(yes);
      } finally {
        m.dispose();
      }
    }
    // A numeric 0/1 target: 1 is the default; positive '0' cannot flip it.
    const numeric: Table = { nRows: t.nRows, columns: [...t.columns.slice(0, 2), { kind: 'numeric', name: 'd', values: Float64Array.from(t.columns[2]?.values as string[], (v) => (v === 'yes' ? 1 : 0)) }] };
    await expect(buildRiskModel(numeric, { target: 'd', positive: '0' })).rejects.toThrow(InvalidOptionError);
  });
  it('rejects more ensemble members than rows of the minority class (a fold would hold no default)', async () => {
    // 20 applicants, 3 defaults: with 5 members, 2 of the 5 validation folds would have no default.
    const n = 20;
    const rare: Table = {
      nRows: n,
      columns: [
        { kind: 'numeric', name: 'income', values: Float64Array.from({ length: n }, (_, i) => i) },
        { kind: 'categorical', name: 'default', values: Array.from({ length: n }, (_, i) => (i % 7 === 3 ? 'yes' : 'no')) },
      ],
    };
    const e = await buildRiskModel(rare, { target: 'default', positive: 'yes', members: 5, epochs: 1 }).catch((err: unknown) => err);
    expect(e).toBeInstanceOf(DataError);
    expect((e as DataError).details).toMatchObject({ fn: 'buildRiskModel', arg: 'members', got: '5' });
    expect((e as Error).message).toMatch(/at most 3, the number of rows of the minority class "yes"/);
    // The minority class may be the non-default one, and a numeric 0/1 target is named by its code.
    const flipped: Table = {
      nRows: n,
      columns: [rare.columns[0] as Table['columns'][number], { kind: 'numeric', name: 'default', values: Float64Array.from({ length: n }, (_, i) => (i % 7 === 3 ? 0 : 1)) }],
    };
    await expect(buildRiskModel(flipped, { target: 'default', members: 4, epochs: 1 })).rejects.toThrow(/at most 3, the number of rows of the minority class "0"/);
    // members = minority count: every fold holds exactly one default, out-of-fold metrics cover every row.
    const m = await buildRiskModel(rare, { target: 'default', positive: 'yes', members: 3, epochs: 1, backgroundSize: 4 });
    try {
      expect(m.members).toHaveLength(3);
      expect(m.validation.n).toBe(n);
      expect(m.validation.defaultRate).toBeCloseTo(3 / n, 12);
    } finally {
      m.dispose();
    }
    // members: 1 (a single network with a validation split) is not constrained by this rule.
    const one = await buildRiskModel(rare, { target: 'default', positive: 'yes', members: 1, epochs: 1, backgroundSize: 4 });
    one.dispose();
  });

  it('explain rejects rows outside the table (instead of explaining a row of zeros)', async () => {
    const m = await buildRiskModel(small(), { target: 'default', positive: 'yes', members: 1, epochs: 2, backgroundSize: 5 });
    try {
      for (const rows of [[60], [-1], [1.5]]) {
        await expect(m.explain(small(), { rows })).rejects.toThrow(/'options.rows' option of RiskModel.explain must be row indices: integers in \[0, 59\]/);
      }
      await expectNoLeak(() => m.explain(small(), { rows: [60] }).catch(() => undefined));
      const [e] = await m.explain(small(), { rows: [59], topK: 1 });
      expect(e?.row).toBe(59);
    } finally {
      m.dispose();
    }
  });
});
