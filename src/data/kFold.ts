/**
 * K-fold cross-validation index sets.
 *
 * @module
 */
import { type RuleTable, resolveOptions, rules } from '../core/options';
import { DataError } from '../core/errors';
import { createRng } from '../core/random';
import { checkCount, split } from './_internal/splitChecks';
import type { IndexSplit } from './indexSplit';

/**
 * Options of {@link kFold}.
 * @category Splits
 */
export interface KFoldOptions {
  /** Number of folds (>= 2). @defaultValue 5 */
  readonly k?: number;
  /** Shuffle rows before cutting folds. @defaultValue false */
  readonly shuffle?: boolean;
  /** Seed of the shuffle. @defaultValue 0 */
  readonly seed?: number;
}

const K_FOLD_DEFAULTS = { k: 5, shuffle: false, seed: 0 } as const satisfies Required<KFoldOptions>;
const RULES: RuleTable<Required<KFoldOptions>> = {
  k: rules.int({ min: 2 }),
  shuffle: rules.boolean(),
  seed: rules.custom('a safe integer', (v) => typeof v === 'number' && Number.isSafeInteger(v)),
};

/**
 * K-fold splits like scikit-learn's `KFold`: the test folds partition 0..n-1 (the first n % k folds
 * have one extra row), each train set is the complement of its test fold.
 *
 * @param n - Number of rows.
 * @param options - {@link KFoldOptions}.
 * @returns `k` splits.
 * @throws {DataError} when n < k. @throws {InvalidOptionError} invalid options.
 * @example
 * ```ts
 * import { kFold } from 'finml';
 * kFold(5, { k: 2 }).map((s) => Array.from(s.test)); //=> [[0, 1, 2], [3, 4]]
 * ```
 * @category Splits
 */
export function kFold(n: number, options?: KFoldOptions): readonly IndexSplit[] {
  const fn = 'kFold';
  const o = resolveOptions<Required<KFoldOptions>>(fn, options, K_FOLD_DEFAULTS, RULES);
  checkCount(n, fn, 1);
  if (n < o.k) throw new DataError({ fn, arg: 'n', expected: `at least k = ${o.k} rows`, got: `${n} rows` });
  const order = o.shuffle ? createRng(o.seed).permutation(n) : Int32Array.from({ length: n }, (_, i) => i);
  const out: IndexSplit[] = [];
  let start = 0;
  for (let f = 0; f < o.k; f++) {
    const size = Math.floor(n / o.k) + (f < n % o.k ? 1 : 0);
    const test = order.subarray(start, start + size);
    const train = [...order.subarray(0, start), ...order.subarray(start + size)];
    out.push(split(train, test));
    start += size;
  }
  return Object.freeze(out);
}
