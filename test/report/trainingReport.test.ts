import { readFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseCsv } from '../../src/data/parseCsv';
import { takeRows } from '../../src/data/takeRows';
import { trainTestSplit } from '../../src/data/trainTestSplit';
import { buildRiskModel } from '../../src/presets/riskModel';
import { tabularModel } from '../../src/presets/tabularModel';
import { riskModelReport } from '../../src/report/riskModelReport';
import { riskTrainingReport, tabularTrainingSummary } from '../../src/report/trainingReport';
import { expectNoLeak } from '../helpers/leak';

const ROOT = resolve(__dirname, '../..');

describe('riskTrainingReport', () => {
  it('writes the model card from the run and summarises held-out, validation and mean-|SHAP| importances', async () => {
    const full = parseCsv(await readFile(join(ROOT, 'data/german_credit.csv'), 'utf8'));
    const keep = ['Duration', 'Amount', 'Age', 'CheckingAccountStatus', 'Purpose', 'Personal', 'Class'];
    const rows = takeRows(full, Array.from({ length: 400 }, (_, i) => i));
    const table = { nRows: rows.nRows, columns: rows.columns.filter((c) => keep.includes(c.name)) };
    const split = trainTestSplit(table.nRows, { testSize: 0.3, seed: 5 });
    const train = takeRows(table, split.train);
    const test = takeRows(table, split.test);
    const model = await buildRiskModel(train, { target: 'Class', members: 1, epochs: 8, seed: 5 });
    try {
      const run = { dataName: 'german_credit.csv', seed: 5, testSize: 0.3, backend: 'cpu', shapRows: 2, protectedColumns: ['Personal'], format: 'test format' };
      const { html, summary } = await riskTrainingReport(model, train, test, run);
      expect(summary).toMatchObject({ target: 'Class', positive: 'Bad', classes: ['Good', 'Bad'], seed: 5, testSize: 0.3, backend: 'cpu', rowsTrain: 280, rowsTest: 120, members: 1 });
      expect(summary.epochs).toEqual(model.members.map((m) => m.training.epochs));
      expect(summary.test).toEqual(model.evaluate(test));
      expect(summary.validation).toBe(model.validation);
      // importances: the report's mean |SHAP| over the same seeded rows, largest first
      const direct = await riskModelReport(model, train, test, { shapRows: 2, seed: 5 });
      expect(summary.topFeatures).toEqual(direct.importance);
      expect(summary.topFeatures).toHaveLength(6);
      const v = summary.topFeatures.map((e) => e.meanAbsShap);
      expect(v).toEqual([...v].sort((a, b) => b - a));
      expect(html).toContain('german_credit.csv: 400 rows, 280 training and 120 held-out rows (stratified split, seed 5)');
      expect(html).toContain('per-group metrics below for Personal');
      expect(html).toContain('test format, seed 5');
      expect(html).toContain('finml risk model: P(Class = Bad)');
      const none = await riskTrainingReport(model, train, test, { ...run, shapRows: 0, protectedColumns: [] });
      expect(none.summary.topFeatures).toEqual([]);
      expect(none.html).toContain('none examined (no protected columns given)');
      expect(JSON.parse(JSON.stringify(summary)).rowsTest).toBe(120);
    } finally {
      model.dispose();
    }
  });
});

describe('tabularTrainingSummary', () => {
  it("holds the model's held-out metrics, row counts and epochs; classes only for multiclass", async () => {
    const table = parseCsv(await readFile(join(ROOT, 'data/german_credit.csv'), 'utf8'));
    const split = trainTestSplit(table.nRows, { testSize: 0.2, seed: 1 });
    const train = takeRows(table, split.train);
    const test = takeRows(table, split.test);
    const run = { dataName: 'german_credit.csv', seed: 1, testSize: 0.2, backend: null };
    await expectNoLeak(async () => {
      const reg = await tabularModel({ target: 'Amount', drop: ['Class'], epochs: 3, seed: 1 }).fit(train);
      const multi = await tabularModel({ target: 'Job', drop: ['Class'], epochs: 3, seed: 1 }).fit(train);
      try {
        const r = tabularTrainingSummary(reg, train, test, run);
        const ev = reg.evaluate(test);
        expect(r.test).toEqual(ev);
        expect(r.summary).toEqual({
          task: 'regression', target: 'Amount', seed: 1, testSize: 0.2, backend: null, rowsTrain: 800, rowsTest: 200, epochs: reg.training.epochs,
          test: ev.task === 'regression' ? { rmse: ev.rmse, mae: ev.mae, r2: ev.r2, n: 200 } : {},
        });
        const m = tabularTrainingSummary(multi, train, test, run);
        expect(m.summary.classes).toEqual(multi.classes);
        expect(Object.keys(m.summary.test)).toEqual(['accuracy', 'macroF1', 'n']);
        expect(m.summary.test.accuracy).toBe(m.test.task === 'multiclass' ? m.test.accuracy : Number.NaN);
      } finally {
        reg.dispose();
        multi.dispose();
      }
    });
  });
});
