import { describe, expect, it } from 'vitest';
import { fileURLToPath } from 'node:url';
import { readCsv, streamCsv } from '../../src/node/index';
import { extractTarget } from '../../src/data/extractTarget';
import { getColumn } from '../../src/data/getColumn';
import { tabularPipeline, tabularPipelineFromJSON } from '../../src/data/tabularPipeline';
import { takeRows } from '../../src/data/takeRows';
import { trainTestSplit } from '../../src/data/trainTestSplit';
import { DataError } from '../../src/core/errors';
import type { Table } from '../../src/data/table';

const path = fileURLToPath(new URL('../../data/german_credit.csv', import.meta.url));

describe('end to end on data/german_credit.csv', () => {
  it('read -> stratified split (seed 42, 80/20) -> pipeline fit on train -> finite matrices of the expected width', async () => {
    const credit = await readCsv(path);
    expect(credit.nRows).toBe(1000);
    expect(credit.columns.length).toBe(21);
    const kinds = Object.fromEntries(credit.columns.map((c) => [c.name, c.kind]));
    expect(kinds.Purpose).toBe('categorical');
    expect(kinds.Amount).toBe('numeric');
    expect(credit.columns.filter((c) => c.kind === 'categorical').length).toBe(12); // 11 attributes + Class

    const labels = getColumn(credit, 'Class').values as readonly string[];
    const { train, test } = trainTestSplit(credit.nRows, { testSize: 0.2, seed: 42, stratify: labels });
    expect([train.length, test.length]).toEqual([800, 200]);
    const trainT = takeRows(credit, train);
    const testT = takeRows(credit, test);
    const bad = (t: Table): number => (getColumn(t, 'Class').values as readonly string[]).filter((v) => v === 'Bad').length;
    expect([bad(trainT), bad(testT)]).toEqual([240, 60]);

    const prep = tabularPipeline({ target: 'Class', positive: 'Bad' }).fit(trainT);
    // 9 numeric columns + one-hot levels observed in the training rows of the 11 categorical attributes
    const levels = credit.columns
      .filter((c) => c.kind === 'categorical' && c.name !== 'Class')
      .reduce((a, c) => a + new Set(getColumn(trainT, c.name).values as readonly (string | null)[]).size, 0);
    expect(prep.nFeaturesOut).toBe(9 + levels);
    expect(prep.featureGroups.Purpose?.map((i) => prep.featureNames[i])).toContain('Purpose=NewCar');
    expect(prep.featureNames).not.toContain('Purpose=Vacation'); // never occurs in the data

    for (const t of [trainT, testT]) {
      const m = prep.transformDense(t);
      expect(m.cols).toBe(prep.nFeaturesOut);
      expect(m.rows).toBe(t.nRows);
      expect(m.data.every(Number.isFinite)).toBe(true);
    }
    const yTest = prep.transformTarget(testT);
    expect(Array.from(yTest)).toEqual(Array.from(extractTarget(testT, 'Class', { positive: 'Bad' }).y));
    expect(yTest.reduce((a, b) => a + b, 0)).toBe(60);

    // train columns are standardised on train statistics: mean 0 on train, not on test
    const xTrain = prep.transformDense(trainT);
    const xTest = prep.transformDense(testT);
    const amountIdx = prep.featureNames.indexOf('Amount');
    const colMean = (m: typeof xTrain): number => {
      let s = 0;
      for (let i = 0; i < m.rows; i++) s += m.data[i * m.cols + amountIdx] as number;
      return s / m.rows;
    };
    expect(Math.abs(colMean(xTrain))).toBeLessThan(1e-12);
    expect(Math.abs(colMean(xTest))).toBeGreaterThan(1e-6);

    const again = tabularPipelineFromJSON(JSON.parse(JSON.stringify(prep.toJSON())));
    expect(again.transform(testT)).toEqual(prep.transform(testT));
  });

  it('streamCsv yields the same rows in batches; readCsv reports unreadable files', async () => {
    const whole = await readCsv(path);
    const sizes: number[] = [];
    const amounts: number[] = [];
    for await (const b of streamCsv(path, { batchSize: 300 })) {
      sizes.push(b.nRows);
      amounts.push(...(getColumn(b, 'Amount').values as Float64Array));
      expect(b.columns.map((c) => c.kind)).toEqual(whole.columns.map((c) => c.kind));
    }
    expect(sizes).toEqual([300, 300, 300, 100]);
    expect(amounts).toEqual(Array.from(getColumn(whole, 'Amount').values as Float64Array));
    await expect(readCsv('/nonexistent/file.csv')).rejects.toBeInstanceOf(DataError);
    const it = streamCsv('/nonexistent/file.csv');
    await expect(it.next()).rejects.toBeInstanceOf(DataError);
  });
});
