/**
 * Simple and log returns of price series.
 *
 * @module
 */
import type * as tf from '@tensorflow/tfjs-core';
import { DataError } from '../core/errors';
import { type DenseMatrix, type MatrixLike, denseLike, isTensor, toDense, toVector } from '../core/matrix';

/**
 * Signature shared by {@link returns} and {@link logReturns}: output form follows input form.
 * @category Time series
 */
export interface ReturnsFn {
  (prices: readonly number[] | Float64Array): number[];
  (prices: readonly (readonly number[])[]): number[][];
  (prices: tf.Tensor2D): tf.Tensor2D;
}

function compute(prices: MatrixLike | readonly number[] | Float64Array, fn: string, log: boolean): number[] | number[][] | tf.Tensor2D {
  const oneD = (Array.isArray(prices) && (prices.length === 0 || typeof prices[0] === 'number')) || prices instanceof Float64Array;
  const m: DenseMatrix = oneD
    ? (() => {
        const v = toVector(prices as readonly number[], 'prices', fn, { minLength: 2 });
        return { rows: v.length, cols: 1, data: v };
      })()
    : toDense(prices as MatrixLike, 'prices', fn, { minRows: 2 });
  const { rows, cols, data } = m;
  for (let k = 0; k < data.length; k++) {
    const v = data[k] as number;
    const bad = log ? v <= 0 : v === 0 && k < (rows - 1) * cols;
    if (bad) {
      throw new DataError({
        fn,
        arg: 'prices',
        expected: log ? 'positive prices (log returns)' : 'non-zero prices (each is a denominator)',
        got: `${v} at row ${Math.floor(k / cols)}, column ${k % cols}`,
      });
    }
  }
  const out = new Float64Array((rows - 1) * cols);
  for (let i = 1; i < rows; i++) {
    for (let j = 0; j < cols; j++) {
      const p = data[i * cols + j] as number;
      const q = data[(i - 1) * cols + j] as number;
      out[(i - 1) * cols + j] = log ? Math.log(p / q) : p / q - 1;
    }
  }
  const r: DenseMatrix = { rows: rows - 1, cols, data: out };
  if (oneD) return Array.from(out);
  return isTensor(prices) ? denseLike(r, prices as tf.Tensor2D) : denseLike(r, prices as readonly (readonly number[])[]);
}

/**
 * Simple returns `p[t] / p[t-1] − 1` per column (one row fewer than the input).
 *
 * @param prices - A 1-D price series, rows of prices (columns = assets), or a tensor (not disposed).
 * @returns Returns in the same form (a new tensor for tensor input).
 * @throws {DataError} fewer than 2 rows, NaN/Infinity, a zero price used as denominator.
 * @example
 * ```ts
 * import { returns } from 'finml';
 * returns([100, 110, 99]); //=> [0.1, -0.1] (up to rounding)
 * ```
 * @category Time series
 */
export const returns: ReturnsFn = ((prices: MatrixLike | readonly number[] | Float64Array) => compute(prices, 'returns', false)) as ReturnsFn;

/**
 * Log returns `ln(p[t] / p[t-1])` per column (one row fewer than the input).
 *
 * @param prices - A 1-D price series, rows of prices, or a tensor (not disposed).
 * @returns Log returns in the same form.
 * @throws {DataError} fewer than 2 rows, NaN/Infinity, or any non-positive price.
 * @example
 * ```ts
 * import { logReturns } from 'finml';
 * logReturns([[100, 50], [200, 25]]); //=> [[0.6931…, -0.6931…]]
 * ```
 * @category Time series
 */
export const logReturns: ReturnsFn = ((prices: MatrixLike | readonly number[] | Float64Array) => compute(prices, 'logReturns', true)) as ReturnsFn;
