import type { Table } from '../../../src/data/table';
import { scorecard, scorecardFromJSON, woeBinning, woeBinningFromJSON, type FittedScorecard, type FittedWoeBinning, type Scorecard, type WoeBinning } from '../../../src/scorecard/index';
import { defineCase, type ContractCase } from '../types';

/** 60 applicants: a numeric column with a missing value (missing is its own bin), a categorical one, a 0/1 target. */
function applicants(n: number, opts: { nan?: boolean } = {}): Table {
  const idx = Array.from({ length: n }, (_, i) => i);
  return {
    nRows: n,
    columns: [
      { kind: 'numeric', name: 'amount', values: Float64Array.from(idx, (i) => (opts.nan === true && i === 3 ? Number.NaN : ((i * 37) % 23) * 100)) },
      { kind: 'categorical', name: 'housing', values: idx.map((i) => (i % 3 === 0 ? 'rent' : i % 3 === 1 ? 'own' : 'free')) },
      { kind: 'categorical', name: 'Class', values: idx.map((i) => (i % 3 === 0 || (i * 37) % 23 > 17 || i % 7 === 0 ? 'Bad' : 'Good')) },
    ],
  };
}
const json = <T>(f: { toJSON(): unknown }, from: (j: unknown) => T): T => from(JSON.parse(JSON.stringify(f.toJSON())));

/** Contract cases for src/scorecard/. */
export const scorecardCases: ContractCase[] = [
  defineCase<WoeBinning, FittedWoeBinning, Table, undefined>({
    name: 'woeBinning',
    kind: 'WoeBinning',
    // works on tables (no numeric width); missing values are a bin of their own
    tags: { deterministic: true, allowNaN: true, noWidthCheck: true },
    make: () => woeBinning({ target: 'Class', minBinShare: 0.1, maxBins: 4 }),
    data: () => ({ x: applicants(60), xNaN: applicants(60, { nan: true }), xEmpty: applicants(0) }),
    fit: (s, x) => s.fit(x),
    output: (f, x) => f.transform(x).flat(),
    outputRows: (f, x) => f.transform(x),
    construct: (p) => woeBinning({ target: 'Class', ...p } as never),
    invalidParams: { target: 3, positive: 1, columns: 'amount', maxBins: 1, minBinShare: 0.7, prebins: 1, monotonic: 'up', smoothing: -1 },
    callUnfitted: (s, x) => (s.transform as unknown as (t: Table) => unknown)(x),
    roundTrip: (f) => json(f, woeBinningFromJSON),
  }),
  defineCase<Scorecard, FittedScorecard, Table, undefined>({
    name: 'scorecard',
    kind: 'Scorecard',
    // Newton sums of the logistic regression in another row order differ in the last bits.
    tags: { deterministic: true, allowNaN: true, noWidthCheck: true, orderTolerance: 1e-9 },
    make: () => scorecard({ target: 'Class', l2: 0.5, binning: { minBinShare: 0.1, maxBins: 4 } }),
    data: () => ({ x: applicants(60), xNaN: applicants(60, { nan: true }), xEmpty: applicants(0) }),
    fit: (s, x) => s.fit(x),
    output: (f, x) => f.score(x),
    outputRows: (f, x) => f.score(x).map((v) => [v]),
    construct: (p) => scorecard({ target: 'Class', ...p } as never),
    invalidParams: { target: 3, positive: 1, basePoints: Number.NaN, baseOdds: 0, pdo: -20, l2: -1, roundPoints: 'yes', binning: { maxBins: 0 } },
    callUnfitted: (s, x) => (s.score as unknown as (t: Table) => unknown)(x),
    roundTrip: (f) => json(f, scorecardFromJSON),
  }),
];
