/**
 * The one type explainers and metrics helpers depend on: a batch scorer.
 *
 * @module
 */
import type { DenseMatrix } from './matrix';

/**
 * Scores a batch of rows: one number per row (probability of the positive class, a regression
 * value, ...). May be sync or async. Implementations must not keep or mutate `batch`.
 *
 * @example
 * ```ts
 * import { type Predictor } from 'finml';
 * // a linear score over row-major batches
 * const f: Predictor = (b) => {
 *   const out = new Float64Array(b.rows);
 *   for (let r = 0; r < b.rows; r++) out[r] = 0.5 * (b.data[r * b.cols] ?? 0) - 0.2 * (b.data[r * b.cols + 1] ?? 0);
 *   return out;
 * };
 * Array.from(await f({ rows: 2, cols: 2, data: Float64Array.from([2, 1, 0, 5]) })); //=> [0.8, -1]
 * ```
 * @category Core
 */
export type Predictor = (batch: DenseMatrix) => ArrayLike<number> | Promise<ArrayLike<number>>;
