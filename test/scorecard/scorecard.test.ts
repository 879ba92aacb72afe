import { readFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DataError, InvalidOptionError, NotFittedError } from '../../src/core/errors';
import { createTable } from '../../src/data/createTable';
import { parseCsv } from '../../src/data/parseCsv';
import type { Table } from '../../src/data/table';
import { takeRows } from '../../src/data/takeRows';
import { trainTestSplit } from '../../src/data/trainTestSplit';
import { rocAuc } from '../../src/metrics/index';
import { fromEstimatorJSON } from '../../src/registry';
import { scorecard, scorecardFromJSON, woeBinning, woeBinningFromJSON } from '../../src/scorecard/index';
import { neuralClassifier } from '../../src/models/neuralModel';
import { tabularPipeline } from '../../src/data/tabularPipeline';
import { logisticRegression } from '../../src/models/logisticRegression';
import { expectNoLeak } from '../helpers/leak';

const rep = <T>(v: T, n: number): T[] => Array.from({ length: n }, () => v);

/** 100 rows: home own ×40 (4 bad), rent ×40 (12 bad), other ×20 (4 bad). */
function homeTable(): Table {
  const home = [...rep('own', 40), ...rep('rent', 40), ...rep('other', 20)];
  const bad = [...rep(1, 4), ...rep(0, 36), ...rep(1, 12), ...rep(0, 28), ...rep(1, 4), ...rep(0, 16)];
  return createTable({ home, bad });
}

/** x = 1..100 in quartiles with 10, 6, 7, 2 bads (the middle two break the descending trend). */
function incomeTable(): Table {
  const x = Array.from({ length: 100 }, (_, i) => i + 1);
  const badIn = (lo: number, k: number): number[] => Array.from({ length: k }, (_, i) => lo + i);
  const bads = new Set([...badIn(1, 10), ...badIn(26, 6), ...badIn(51, 7), ...badIn(76, 2)]);
  return createTable({ income: x, bad: x.map((v) => (bads.has(v) ? 1 : 0)) });
}

describe('woeBinning', () => {
  it('matches hand-computed WoE and IV of a categorical feature (categories ordered by bad rate)', () => {
    const b = woeBinning({ target: 'bad', smoothing: 0 }).fit(homeTable());
    const f = b.state.features[0]!;
    expect(f.bins.map((x) => x.label)).toEqual(['{own}', '{other}', '{rent}']);
    expect(f.bins.map((x) => x.woe)).toEqual([Math.log(0.45 / 0.2), 0, Math.log(0.35 / 0.6)].map((v) => expect.closeTo(v, 12)) as unknown as number[]);
    const iv = (0.45 - 0.2) * Math.log(2.25) + (0.35 - 0.6) * Math.log(0.35 / 0.6);
    expect(f.iv).toBeCloseTo(iv, 12);
    expect(b.iv.home).toBeCloseTo(0.3374817, 6);
  });

  it('merges the pre-bins that break the monotonic trend, and computes their WoE by hand', () => {
    const b = woeBinning({ target: 'bad', smoothing: 0, prebins: 4 }).fit(incomeTable());
    const f = b.state.features[0]!;
    expect(f.trend).toBe('descending');
    expect(f.bins.map((x) => [x.lower, x.upper, x.count, x.bads])).toEqual([
      [-Infinity, 25.75, 25, 10],
      [25.75, 75.25, 50, 13],
      [75.25, Infinity, 25, 2],
    ]);
    const woe = [Math.log(15 / 75 / (10 / 25)), Math.log(37 / 75 / (13 / 25)), Math.log(23 / 75 / (2 / 25))];
    f.bins.forEach((x, i) => expect(x.woe).toBeCloseTo(woe[i]!, 12));
    expect(f.iv).toBeCloseTo((15 / 75 - 10 / 25) * woe[0]! + (37 / 75 - 13 / 25) * woe[1]! + (23 / 75 - 2 / 25) * woe[2]!, 12);
    // bad rates are now monotonic
    const rates = f.bins.map((x) => x.badRate);
    for (let i = 1; i < rates.length; i++) expect(rates[i]!).toBeLessThan(rates[i - 1]!);
    // transform: each row gets its bin's WoE; edges are (lower, upper]
    expect(b.transform(createTable({ income: [25.75, 25.76, 75.25, 1000] }))).toEqual([[woe[0]], [woe[1]], [woe[1]], [woe[2]]].map((r) => r.map((v) => expect.closeTo(v!, 12))));
  });

  it('keeps every bin above the minimum share, missing values as their own bin, maxBins', () => {
    const n = 400;
    const x = Array.from({ length: n }, (_, i) => (i % 40 === 0 ? Number.NaN : i));
    const y = x.map((v, i) => (Number.isNaN(v) ? (i % 80 === 0 ? 1 : 0) : (i * 7919) % 100 < 10 + v / 10 ? 1 : 0));
    const t = createTable({ x, y });
    const b = woeBinning({ target: 'y', minBinShare: 0.1, maxBins: 4 }).fit(t);
    const f = b.state.features[0]!;
    const intervals = f.bins.filter((z) => z.type === 'interval');
    expect(intervals.length).toBeLessThanOrEqual(4);
    for (const z of intervals) expect(z.count).toBeGreaterThanOrEqual(0.1 * n);
    const miss = f.bins.at(-1)!;
    expect(miss.type).toBe('missing');
    expect(miss.count).toBe(10);
    expect(f.bins.reduce((a, z) => a + z.count, 0)).toBe(n);
    expect(b.transform(createTable({ x: [Number.NaN] }))[0]![0]).toBeCloseTo(miss.woe, 12);
    // no missing at fit: a missing value later has neutral WoE 0
    const b2 = woeBinning({ target: 'bad' }).fit(incomeTable());
    expect(b2.transform(createTable({ income: [Number.NaN] }))).toEqual([[0]]);
  });

  it('accepts any column name as text, rejects unseen categories and bad input with typed errors, round-trips', () => {
    const t = createTable({ 'Paid onTime=yes': ['y', 'n', 'y', 'y', 'n', 'n', 'y', 'n'], Class: ['Good', 'Bad', 'Good', 'Good', 'Bad', 'Good', 'Good', 'Bad'] });
    const b = woeBinning({ target: 'Class', minBinShare: 0.1 }).fit(t);
    expect(b.state.classes[1]).toBe('Bad');
    expect(b.featureNames).toEqual(['Paid onTime=yes']);
    expect(() => b.transform(createTable({ 'Paid onTime=yes': ['maybe'] }))).toThrow(DataError);
    expect(() => b.transform(createTable({ other: ['y'] }))).toThrow(DataError);
    expect(() => woeBinning({ target: 'Class' }).fit(createTable({ a: [1, 2], Class: ['Good', 'Good'] }))).toThrow(DataError);
    expect(() => woeBinning({ target: 'Class', minBinShare: 0.9 })).toThrow(InvalidOptionError);
    expect(() => woeBinning({ target: 'Class', maxbins: 3 } as never)).toThrow(InvalidOptionError);
    expect(() => (woeBinning({ target: 'Class' }).transform as unknown as () => void)()).toThrow(NotFittedError);
    const inc = woeBinning({ target: 'bad', prebins: 4 }).fit(incomeTable());
    const back = woeBinningFromJSON(JSON.parse(JSON.stringify(inc.toJSON())));
    expect(back.transform(incomeTable())).toEqual(inc.transform(incomeTable()));
    expect(back.state).toEqual(inc.state);
    expect((fromEstimatorJSON(JSON.parse(JSON.stringify(inc.toJSON()))) as typeof inc).iv).toEqual(inc.iv);
  });
});

describe('scorecard', () => {
  it('uses the textbook scaling: 600 points at 50:1 odds, PDO 20 → factor 20/ln 2 = 28.8539, offset 487.123', () => {
    const card = scorecard({ target: 'bad', basePoints: 600, baseOdds: 50, pdo: 20, binning: { smoothing: 0 } }).fit(homeTable());
    expect(card.factor).toBeCloseTo(28.8539, 4);
    expect(card.offset).toBeCloseTo(487.123, 3);
    // score = offset + factor · ln(good:bad odds) for every row
    const p = card.predictProba(homeTable());
    card.score(homeTable()).forEach((s, i) => expect(s).toBeCloseTo(card.offset + card.factor * Math.log((1 - p[i]!) / p[i]!), 8));
    // doubling the odds adds PDO points: a hypothetical row at odds 100 scores 620
    expect(card.offset + card.factor * Math.log(100)).toBeCloseTo(620, 10);
  });

  it('on one WoE feature the regression is the identity (coef −1, intercept ln(bads/goods)) and each bin scores its own odds', () => {
    const card = scorecard({ target: 'bad', binning: { smoothing: 0, prebins: 4 } }).fit(incomeTable());
    expect(card.model.state.coef[0]).toBeCloseTo(-1, 6);
    expect(card.model.state.intercept).toBeCloseTo(Math.log(25 / 75), 6);
    const byBin = card.pointsTable.map((r) => r.points);
    // bins with 15:10, 37:13 and 23:2 good:bad odds
    [15 / 10, 37 / 13, 23 / 2].forEach((odds, i) => expect(byBin[i]!).toBeCloseTo(card.offset + card.factor * Math.log(odds), 5));
    // reason codes in points: the riskiest bin loses the most against the best bin
    const rc = card.reasonCodes(createTable({ income: [5, 50, 90] }), 1);
    expect(rc[0]![0]!.pointsLost).toBeCloseTo(byBin[2]! - byBin[0]!, 8);
    expect(rc[1]![0]!.bin).toBe('(25.75, 75.25]');
    expect(rc[2]).toEqual([]);
  });

  it('German credit: scorecard vs logistic regression baseline on the same split; rounding; JSON; used as an encoder for a network', async () => {
    const table = parseCsv(await readFile(join(resolve(__dirname, '../..'), 'data/german_credit.csv'), 'utf8'));
    const split = trainTestSplit(table.nRows, { testSize: 0.3, seed: 11, stratify: table.columns.at(-1)!.values as string[] });
    const train = takeRows(table, split.train);
    const test = takeRows(table, split.test);
    const card = scorecard({ target: 'Class', l2: 1, roundPoints: true }).fit(train);
    const yTest = (test.columns.find((c) => c.name === 'Class')!.values as string[]).map((v) => (v === 'Bad' ? 1 : 0));
    const auc = rocAuc(yTest, card.predictProba(test));
    expect(auc).toBeGreaterThan(0.72);
    // the baseline on the same rows: L2 logistic regression on scaled + one-hot inputs
    const prep = tabularPipeline({ target: 'Class', positive: 'Bad' }).fit(train);
    const lr = logisticRegression({ l2: 1 }).fit(prep.transform(train), prep.transformTarget(train));
    const aucLr = rocAuc(yTest, lr.predictProba(prep.transform(test)));
    expect(auc).toBeGreaterThan(aucLr - 0.05);
    // a higher score is a lower risk
    expect(rocAuc(yTest, card.score(test).map((s) => -s))).toBeGreaterThan(0.72);
    expect(card.pointsTable.every((r) => Number.isInteger(r.points))).toBe(true);
    expect(Object.keys(card.binning.iv)).toHaveLength(20);
    expect(card.binning.iv.CheckingAccountStatus).toBeGreaterThan(0.3); // the strongest predictor
    const back = scorecardFromJSON(JSON.parse(JSON.stringify(card.toJSON())));
    expect(back.score(test)).toEqual(card.score(test));
    const rc = card.reasonCodes(test, 3);
    expect(rc).toHaveLength(test.nRows);
    for (const r of rc) for (let i = 1; i < r.length; i++) expect(r[i]!.pointsLost).toBeLessThanOrEqual(r[i - 1]!.pointsLost);

    // the WoE binning as an encoder in front of a network
    const woe = card.binning;
    const yTrain = (train.columns.find((c) => c.name === 'Class')!.values as string[]).map((v) => (v === 'Bad' ? 1 : 0));
    await expectNoLeak(async () => {
      const net = await neuralClassifier({ model: { type: 'fnn', hidden: [8] }, train: { epochs: 30, batchSize: 64 }, seed: 3 }).fit(woe.transform(train), yTrain);
      try {
        expect(rocAuc(yTest, net.predictProba(woe.transform(test)))).toBeGreaterThan(0.7);
      } finally {
        net.dispose();
      }
    }, { warmup: false });
    expect(() => scorecard({ target: 'Class', pdo: 0 })).toThrow(InvalidOptionError);
    expect(() => scorecard({ target: 'Class', binning: { maxBins: 1 } })).toThrow(/maxBins/);
  });
});
