/**
 * Stratified K-fold cross-validation index sets.
 *
 * @module
 */
import { type RuleTable, resolveOptions, rules } from '../core/options';
import { DataError } from '../core/errors';
import { createRng } from '../core/random';
import { labelKeys, split } from './_internal/splitChecks';
import type { IndexSplit } from './indexSplit';

/**
 * Options of {@link stratifiedKFold}.
 * @category Splits
 */
export interface StratifiedKFoldOptions {
  /** Number of folds (>= 2). @defaultValue 5 */
  readonly k?: number;
  /** Shuffle rows within each class before assigning folds. @defaultValue false */
  readonly shuffle?: boolean;
  /** Seed of the shuffle. @defaultValue 0 */
  readonly seed?: number;
}

const STRATIFIED_K_FOLD_DEFAULTS = { k: 5, shuffle: false, seed: 0 } as const satisfies Required<StratifiedKFoldOptions>;
const RULES: RuleTable<Required<StratifiedKFoldOptions>> = {
  k: rules.int({ min: 2 }),
  shuffle: rules.boolean(),
  seed: rules.custom('a safe integer', (v) => typeof v === 'number' && Number.isSafeInteger(v)),
};

/**
 * K-fold splits that keep class proportions: rows sorted by class are dealt round-robin to the
 * folds (as scikit-learn's `StratifiedKFold` allocation), so every fold gets ⌊c/k⌋ or ⌈c/k⌉ rows of
 * each class of size c, and fold sizes differ by at most one.
 *
 * @param labels - One class label per row.
 * @param options - {@link StratifiedKFoldOptions}.
 * @returns `k` splits whose test folds partition the rows.
 * @throws {DataError} fewer rows than folds, missing labels. @throws {InvalidOptionError} invalid options.
 * @example
 * ```ts
 * import { stratifiedKFold } from 'finml';
 * const folds = stratifiedKFold(['a', 'a', 'b', 'b'], { k: 2 });
 * folds.map((f) => Array.from(f.test)); //=> [[0, 2], [1, 3]]
 * ```
 * @category Splits
 */
export function stratifiedKFold(labels: ArrayLike<string | number>, options?: StratifiedKFoldOptions): readonly IndexSplit[] {
  const fn = 'stratifiedKFold';
  const o = resolveOptions<Required<StratifiedKFoldOptions>>(fn, options, STRATIFIED_K_FOLD_DEFAULTS, RULES);
  const keys = labelKeys(labels, fn, 'labels');
  const n = keys.length;
  if (n < o.k) throw new DataError({ fn, arg: 'labels', expected: `at least k = ${o.k} rows`, got: `${n} rows` });
  const groups = new Map<string, number[]>();
  keys.forEach((k, i) => {
    const g = groups.get(k);
    if (g === undefined) groups.set(k, [i]);
    else g.push(i);
  });
  const rng = o.shuffle ? createRng(o.seed) : null;
  const folds: number[][] = Array.from({ length: o.k }, () => []);
  let p = 0;
  for (const c of [...groups.keys()].sort()) {
    const idx = rng !== null ? rng.shuffle(groups.get(c) as number[]) : (groups.get(c) as number[]);
    for (const i of idx) {
      (folds[p % o.k] as number[]).push(i);
      p++;
    }
  }
  return Object.freeze(
    folds.map((test, f) => {
      const train = folds.flatMap((g, h) => (h === f ? [] : g));
      return split(train, test);
    }),
  );
}
