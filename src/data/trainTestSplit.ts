/**
 * Random (optionally stratified) train/test split.
 *
 * @module
 */
import { type RuleTable, resolveOptions, rules } from '../core/options';
import { DataError, InvalidOptionError } from '../core/errors';
import { createRng } from '../core/random';
import { checkCount, labelKeys, range, split } from './_internal/splitChecks';
import type { IndexSplit } from './indexSplit';

/**
 * Options of {@link trainTestSplit}.
 * @category Splits
 */
export interface TrainTestSplitOptions {
  /** Test share in (0, 1), or an absolute number of test rows (integer >= 1). The test count is ceil(testSize * n) like scikit-learn. @defaultValue 0.25 */
  readonly testSize?: number;
  /** Seed of the shuffle. @defaultValue 0 */
  readonly seed?: number;
  /** Shuffle before splitting; `false` keeps the last rows as test set (time order). @defaultValue true */
  readonly shuffle?: boolean;
  /** Class labels (one per row): keep class proportions in both sets (requires shuffle). @defaultValue null */
  readonly stratify?: ArrayLike<string | number> | null;
}

const TRAIN_TEST_SPLIT_DEFAULTS = { testSize: 0.25, seed: 0, shuffle: true, stratify: null } as const satisfies Required<TrainTestSplitOptions>;
const RULES: RuleTable<Required<TrainTestSplitOptions>> = {
  testSize: rules.custom('a number in (0, 1) or an integer >= 1', (v) => typeof v === 'number' && ((v > 0 && v < 1) || (Number.isInteger(v) && v >= 1))),
  seed: rules.custom('a safe integer', (v) => typeof v === 'number' && Number.isSafeInteger(v)),
  shuffle: rules.boolean(),
  stratify: rules.custom('null or an array of labels', (v) => v === null || Array.isArray(v) || ArrayBuffer.isView(v)),
};

/**
 * Splits row indices 0..n-1 into a train and a test set. With `stratify`, each class contributes
 * (up to rounding, by largest remainder) the same share of its rows to the test set.
 *
 * @param n - Number of rows.
 * @param options - {@link TrainTestSplitOptions}.
 * @returns `{ train, test }`, ascending Int32Arrays that partition 0..n-1.
 * @throws {DataError} n too small for both sets, stratify of the wrong length, or a class with fewer than 2 rows.
 * @throws {InvalidOptionError} invalid options (e.g. stratify without shuffle).
 * @example
 * ```ts
 * import { trainTestSplit } from 'finml';
 * const labels = Array.from({ length: 1000 }, (_, i) => (i % 10 < 3 ? 1 : 0)); // 30% positives
 * const { train, test } = trainTestSplit(1000, { testSize: 0.2, seed: 42, stratify: labels });
 * train.length; //=> 800
 * test.length; //=> 200
 * ```
 * @category Splits
 */
export function trainTestSplit(n: number, options?: TrainTestSplitOptions): IndexSplit {
  const fn = 'trainTestSplit';
  const o = resolveOptions<Required<TrainTestSplitOptions>>(fn, options, TRAIN_TEST_SPLIT_DEFAULTS, RULES);
  checkCount(n, fn, 2);
  const nTest = o.testSize < 1 ? Math.ceil(o.testSize * n) : o.testSize;
  if (nTest >= n) throw new DataError({ fn, arg: 'testSize', expected: `fewer test rows than the ${n} rows`, got: `${nTest} test rows` });
  if (!o.shuffle) {
    if (o.stratify !== null) throw new InvalidOptionError({ fn, arg: 'stratify', expected: 'null when shuffle is false', got: 'labels' });
    return split(range(0, n - nTest), range(n - nTest, n));
  }
  const rng = createRng(o.seed);
  if (o.stratify === null) {
    const p = rng.permutation(n);
    return split(p.subarray(nTest), p.subarray(0, nTest));
  }
  const keys = labelKeys(o.stratify, fn, 'stratify', n);
  const groups = new Map<string, number[]>();
  keys.forEach((k, i) => {
    const g = groups.get(k);
    if (g === undefined) groups.set(k, [i]);
    else g.push(i);
  });
  const classes = [...groups.keys()].sort();
  for (const c of classes) {
    if ((groups.get(c) as number[]).length < 2) {
      throw new DataError({ fn, arg: 'stratify', expected: 'at least 2 rows per class', got: `1 row of class ${c.slice(c.indexOf(':') + 1)}` });
    }
  }
  // Largest-remainder allocation of nTest over classes.
  const exact = classes.map((c) => (nTest * (groups.get(c) as number[]).length) / n);
  const alloc = exact.map((e) => Math.floor(e));
  let left = nTest - alloc.reduce((a, b) => a + b, 0);
  const order = classes.map((_, i) => i).sort((a, b) => (exact[b] as number) - Math.floor(exact[b] as number) - ((exact[a] as number) - Math.floor(exact[a] as number)) || a - b);
  for (const i of order) {
    if (left === 0) break;
    alloc[i] = (alloc[i] as number) + 1;
    left--;
  }
  const train: number[] = [];
  const test: number[] = [];
  classes.forEach((c, ci) => {
    const idx = rng.shuffle(groups.get(c) as number[]);
    const k = alloc[ci] as number;
    test.push(...idx.slice(0, k));
    train.push(...idx.slice(k));
  });
  if (train.length === 0) throw new DataError({ fn, arg: 'testSize', expected: 'a non-empty train set', got: '0 train rows' });
  return split(train, test);
}
