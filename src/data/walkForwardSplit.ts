/**
 * Walk-forward (time-series) splits.
 *
 * @module
 */
import { type RuleTable, resolveOptions, rules } from '../core/options';
import { DataError } from '../core/errors';
import { checkCount, range, split } from './_internal/splitChecks';
import type { IndexSplit } from './indexSplit';

/**
 * Options of {@link walkForwardSplit}.
 * @category Splits
 */
export interface WalkForwardSplitOptions {
  /** Number of splits (>= 1). @defaultValue 5 */
  readonly nSplits?: number;
  /** Rows per test window. @defaultValue null (⌊n / (nSplits + 1)⌋, like scikit-learn) */
  readonly testSize?: number | null;
  /** Rows skipped between the end of train and the start of test (avoids label overlap). @defaultValue 0 */
  readonly gap?: number;
  /** Cap on train rows: a sliding window instead of an expanding one. @defaultValue null (expanding) */
  readonly maxTrainSize?: number | null;
}

const WALK_FORWARD_SPLIT_DEFAULTS = { nSplits: 5, testSize: null, gap: 0, maxTrainSize: null } as const satisfies Required<WalkForwardSplitOptions>;
const RULES: RuleTable<Required<WalkForwardSplitOptions>> = {
  nSplits: rules.int({ min: 1 }),
  testSize: rules.nullable(rules.int({ min: 1 })),
  gap: rules.int({ min: 0 }),
  maxTrainSize: rules.nullable(rules.int({ min: 1 })),
};

/**
 * Walk-forward splits of time-ordered rows (scikit-learn's `TimeSeriesSplit`): the last
 * `nSplits * testSize` rows are cut into consecutive test windows; each train set holds the rows
 * before `testStart - gap` (the last `maxTrainSize` of them for a sliding window). Every train
 * index is < every test index − gap.
 *
 * @param n - Number of time-ordered rows.
 * @param options - {@link WalkForwardSplitOptions}.
 * @returns `nSplits` splits in time order.
 * @throws {DataError} too few rows for the requested splits. @throws {InvalidOptionError} invalid options.
 * @example
 * ```ts
 * import { walkForwardSplit } from 'finml';
 * const s = walkForwardSplit(10, { nSplits: 2, testSize: 2, gap: 1 });
 * s.map((f) => [Array.from(f.train), Array.from(f.test)]);
 * //=> [[[0, 1, 2, 3, 4], [6, 7]], [[0, 1, 2, 3, 4, 5, 6], [8, 9]]]
 * ```
 * @category Splits
 */
export function walkForwardSplit(n: number, options?: WalkForwardSplitOptions): readonly IndexSplit[] {
  const fn = 'walkForwardSplit';
  const o = resolveOptions<Required<WalkForwardSplitOptions>>(fn, options, WALK_FORWARD_SPLIT_DEFAULTS, RULES);
  checkCount(n, fn, 2);
  const testSize = o.testSize ?? Math.floor(n / (o.nSplits + 1));
  const firstTest = n - o.nSplits * testSize;
  if (testSize < 1 || firstTest - o.gap < 1) {
    throw new DataError({
      fn,
      arg: 'n',
      expected: `more than nSplits * testSize + gap = ${o.nSplits * Math.max(testSize, 1) + o.gap} rows`,
      got: `${n} rows`,
    });
  }
  const out: IndexSplit[] = [];
  for (let s = 0; s < o.nSplits; s++) {
    const testStart = firstTest + s * testSize;
    const trainEnd = testStart - o.gap;
    const trainStart = o.maxTrainSize === null ? 0 : Math.max(0, trainEnd - o.maxTrainSize);
    out.push(split(range(trainStart, trainEnd), range(testStart, testStart + testSize)));
  }
  return Object.freeze(out);
}
