/**
 * Purged K-fold cross-validation with embargo (López de Prado, Advances in Financial Machine Learning, ch. 7).
 *
 * @module
 */
import { type RuleTable, resolveOptions, rules } from '../core/options';
import { DataError } from '../core/errors';
import { checkCount, split } from './_internal/splitChecks';
import type { IndexSplit } from './indexSplit';

/**
 * Options of {@link purgedKFold}.
 * @category Splits
 */
export interface PurgedKFoldOptions {
  /** Number of contiguous folds (>= 2). @defaultValue 5 */
  readonly k?: number;
  /** Rows dropped from train right after each test fold (serial correlation). @defaultValue 0 */
  readonly embargo?: number;
  /** Rows ahead that a row's label looks at (its label window is [i, i + labelHorizon]). @defaultValue 0 */
  readonly labelHorizon?: number;
}

const PURGED_K_FOLD_DEFAULTS = { k: 5, embargo: 0, labelHorizon: 0 } as const satisfies Required<PurgedKFoldOptions>;
const RULES: RuleTable<Required<PurgedKFoldOptions>> = {
  k: rules.int({ min: 2 }),
  embargo: rules.int({ min: 0 }),
  labelHorizon: rules.int({ min: 0 }),
};

/**
 * Purged K-fold for time-ordered rows whose labels span several periods. Test folds are contiguous
 * and partition the rows (like unshuffled `kFold`). For a test fold [s, e], train rows whose label
 * window [i, i + labelHorizon] overlaps the fold are purged (i in [s − labelHorizon, s)), and the
 * `embargo` rows after the fold are dropped too: no train index lies in
 * [s − labelHorizon, e + embargo].
 *
 * @param n - Number of time-ordered rows.
 * @param options - {@link PurgedKFoldOptions}.
 * @returns `k` splits.
 * @throws {DataError} n < k, or a fold whose train set would be empty. @throws {InvalidOptionError} invalid options.
 * @example
 * ```ts
 * import { purgedKFold } from 'finml';
 * const folds = purgedKFold(10, { k: 2, labelHorizon: 1, embargo: 1 });
 * Array.from(folds[0]?.train ?? []); //=> [6, 7, 8, 9]
 * Array.from(folds[1]?.train ?? []); //=> [0, 1, 2, 3]
 * ```
 * @category Splits
 */
export function purgedKFold(n: number, options?: PurgedKFoldOptions): readonly IndexSplit[] {
  const fn = 'purgedKFold';
  const o = resolveOptions<Required<PurgedKFoldOptions>>(fn, options, PURGED_K_FOLD_DEFAULTS, RULES);
  checkCount(n, fn, 2);
  if (n < o.k) throw new DataError({ fn, arg: 'n', expected: `at least k = ${o.k} rows`, got: `${n} rows` });
  const out: IndexSplit[] = [];
  let start = 0;
  for (let f = 0; f < o.k; f++) {
    const size = Math.floor(n / o.k) + (f < n % o.k ? 1 : 0);
    const end = start + size - 1;
    const lo = start - o.labelHorizon;
    const hi = end + o.embargo;
    const train: number[] = [];
    for (let i = 0; i < n; i++) if (i < lo || i > hi) train.push(i);
    if (train.length === 0) {
      throw new DataError({ fn, arg: 'n', expected: 'enough rows for a non-empty train set after purging and embargo', got: `${n} rows (fold ${f} leaves none)` });
    }
    const test: number[] = [];
    for (let i = start; i <= end; i++) test.push(i);
    out.push(split(train, test));
    start += size;
  }
  return Object.freeze(out);
}
