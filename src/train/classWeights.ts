/**
 * Class weights for imbalanced classification (scikit-learn's `compute_class_weight`).
 *
 * @module
 */
import { DataError, InvalidOptionError, describeValue } from '../core/errors';

/**
 * Balanced class weights `n / (k * count_c)` for integer labels `0..k-1` (scikit-learn's
 * `compute_class_weight('balanced')`): rare classes get proportionally larger weights, so that
 * every class contributes the same total weight to the loss.
 *
 * @param labels - Integer class labels `0..k-1`, one per sample.
 * @param nClasses - Number of classes k (default: max label + 1).
 * @returns one weight per class, indexed by label.
 * @throws {DataError} for empty labels, non-integer or negative labels, or a class with no sample.
 * @throws {InvalidOptionError} when `nClasses` is not an integer >= 2 or is smaller than a label.
 * @example
 * ```ts
 * import { balancedClassWeights } from 'finml';
 * balancedClassWeights([0, 0, 0, 1]); //=> [0.6666666666666666, 2]
 * ```
 * @category Training
 */
export function balancedClassWeights(labels: ArrayLike<number>, nClasses?: number): number[] {
  const fn = 'balancedClassWeights';
  if (labels.length === 0) throw new DataError({ fn, arg: 'labels', expected: 'at least 1 label', got: '0 labels' });
  let max = 0;
  for (let i = 0; i < labels.length; i++) {
    const v = labels[i] as number;
    if (!Number.isInteger(v) || v < 0) {
      throw new DataError({ fn, arg: 'labels', expected: 'integer class labels >= 0', got: `${describeValue(v)} at index ${i}` });
    }
    if (v > max) max = v;
  }
  const k = nClasses ?? Math.max(2, max + 1);
  if (!Number.isInteger(k) || k < 2 || k <= max) {
    throw new InvalidOptionError({ fn, arg: 'nClasses', expected: `an integer >= 2 and > the largest label (${max})`, got: describeValue(nClasses) });
  }
  const counts = new Array<number>(k).fill(0);
  for (let i = 0; i < labels.length; i++) counts[labels[i] as number] = (counts[labels[i] as number] as number) + 1;
  const empty = counts.findIndex((c) => c === 0);
  if (empty >= 0) {
    throw new DataError({ fn, arg: 'labels', expected: `at least one sample of every class 0..${k - 1}`, got: `no sample of class ${empty}` });
  }
  return counts.map((c) => labels.length / (k * c));
}
