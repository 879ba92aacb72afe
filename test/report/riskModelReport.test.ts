import { readFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DataError } from '../../src/core/errors';
import { parseCsv } from '../../src/data/parseCsv';
import { takeRows } from '../../src/data/takeRows';
import { trainTestSplit } from '../../src/data/trainTestSplit';
import { buildRiskModel } from '../../src/presets/index';
import { riskModelReport } from '../../src/report/index';
import { expectNoLeak } from '../helpers/leak';
import { findAll, parseXml, textOf } from '../helpers/xml';

const ROOT = resolve(__dirname, '../..');

describe('riskModelReport (a fitted buildRiskModel on German credit)', () => {
  it('assembles every section from the model, with no file paths, and rejects unknown protected columns', async () => {
    const table = parseCsv(await readFile(join(ROOT, 'data/german_credit.csv'), 'utf8'));
    const split = trainTestSplit(table.nRows, { testSize: 0.3, seed: 5 });
    const train = takeRows(table, split.train);
    const test = takeRows(table, split.test);
    const model = await buildRiskModel(train, { target: 'Class', members: 1, epochs: 15, seed: 5 });
    try {
      await expect(riskModelReport(model, train, test, { protectedColumns: ['Gender'] })).rejects.toThrow(DataError);
      const r = await riskModelReport(model, train, test, { shapRows: 8, seed: 5, protectedColumns: ['Personal', 'ForeignWorker'], cutoff: 0.3 });
      expect(r.importance).toHaveLength(20);
      expect(r.test.n).toBe(300);
      const root = parseXml(r.html);
      const heads = findAll(root, 'h2').map(textOf);
      for (const h of ['Model card', 'Discrimination (held-out rows)', 'Calibration (quantile bins of the PD)', 'Decision at PD cut-off 0.3', 'Score bands (gains and lift)', 'Population stability (PSI)', 'Explanations (SHAP)', 'Per-group metrics: Personal', 'Per-group metrics: ForeignWorker', 'Plots']) {
        expect(heads).toContain(h);
      }
      // PSI rows: the score and each of the 20 input columns
      const psi = findAll(root, 'section').find((s) => textOf(findAll(s, 'h2')[0]!) === 'Population stability (PSI)')!;
      expect(findAll(findAll(psi, 'tbody')[0]!, 'tr')).toHaveLength(21);
      // coloured SHAP dots for numeric inputs, grey for categorical ones
      const fills = new Set(findAll(root, 'circle').filter((c) => c.attrs['fill-opacity'] === '0.85').map((c) => c.attrs.fill));
      expect(fills.has('#9ca3af')).toBe(true);
      expect(fills.size).toBeGreaterThan(5);
      expect(r.html).not.toContain(ROOT);
      expect(r.html).not.toMatch(/accuracy/i);
      await expectNoLeak(() => riskModelReport(model, train, test, { shapRows: 2 }), { warmup: false });
    } finally {
      model.dispose();
    }
  });
});
