/**
 * The index-set type returned by every splitter.
 *
 * @module
 */

/**
 * One train/test split as row-index sets (ascending Int32Arrays). Use {@link takeRows} to
 * materialise them.
 *
 * @example
 * ```ts
 * import { type IndexSplit, trainTestSplit } from 'finml';
 * const { train, test }: IndexSplit = trainTestSplit(10, { testSize: 0.2, seed: 1 });
 * ```
 * @category Splits
 */
export interface IndexSplit {
  readonly train: Int32Array;
  readonly test: Int32Array;
}
