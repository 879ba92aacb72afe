/**
 * Feature groups: sets of columns explained or permuted together as one feature.
 *
 * @module
 */
import { InvalidOptionError, describeValue } from '../core/errors';

/**
 * A named set of columns treated as one feature by explainers: all one-hot columns of one
 * categorical variable, or all lags of one series in a flattened window.
 * @category Explain
 */
export interface FeatureGroup {
  /** Name used in explanations, e.g. `'CheckingAccountStatus'`. */
  readonly name: string;
  /** Column indices (0-based) of the group. */
  readonly columns: readonly number[];
}

/**
 * Groups columns whose names share the same prefix before `separator`: `'Purpose.NewCar'` and
 * `'Purpose.UsedCar'` become the group `'Purpose'`; a name without the separator is its own group.
 * Groups are returned in order of their first column.
 *
 * @param featureNames - Column names, e.g. the header of german_credit_dummies.csv.
 * @param separator - The prefix separator.
 * @returns one {@link FeatureGroup} per prefix.
 * @throws {InvalidOptionError} when `featureNames` is not an array of strings or `separator` is empty.
 * @example
 * ```ts
 * import { groupByPrefix } from 'finml';
 * groupByPrefix(['Duration', 'Purpose.NewCar', 'Purpose.UsedCar']);
 * //=> [{ name: 'Duration', columns: [0] }, { name: 'Purpose', columns: [1, 2] }]
 * ```
 * @category Explain
 */
export function groupByPrefix(featureNames: readonly string[], separator = '.'): FeatureGroup[] {
  const fn = 'groupByPrefix';
  if (!Array.isArray(featureNames) || !featureNames.every((s) => typeof s === 'string')) {
    throw new InvalidOptionError({ fn, arg: 'featureNames', expected: 'an array of strings', got: describeValue(featureNames) });
  }
  if (typeof separator !== 'string' || separator.length === 0) {
    throw new InvalidOptionError({ fn, arg: 'separator', expected: 'a non-empty string', got: describeValue(separator) });
  }
  const byName = new Map<string, number[]>();
  featureNames.forEach((name, j) => {
    const at = name.indexOf(separator);
    const key = at > 0 ? name.slice(0, at) : name;
    const cols = byName.get(key);
    if (cols === undefined) byName.set(key, [j]);
    else cols.push(j);
  });
  return [...byName.entries()].map(([name, columns]) => ({ name, columns }));
}
