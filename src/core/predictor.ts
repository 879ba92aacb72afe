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
 * const f: Predictor = (b) => { const out = new Float64Array(b.rows); ...; return out; };
 * ```
 * @category Core
 */
export type Predictor = (batch: DenseMatrix) => ArrayLike<number> | Promise<ArrayLike<number>>;
