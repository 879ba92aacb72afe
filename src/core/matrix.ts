/**
 * Input normalisation: every public function turns its matrix/vector arguments into a
 * dense Float64 form through these helpers, which validate shape and values and never
 * mutate or dispose what the caller passed.
 *
 * @module
 */
import * as tf from '@tensorflow/tfjs-core';
import { DataError, InvalidOptionError, ShapeError, describeValue } from './errors';

/**
 * A 2-D numeric input: nested arrays (rows of numbers) or a `tf.Tensor2D`.
 *
 * @category Core
 */
export type MatrixLike = readonly (readonly number[])[] | tf.Tensor2D;

/**
 * A 1-D numeric input: an array, a typed array or a `tf.Tensor1D`.
 *
 * @category Core
 */
export type VectorLike = readonly number[] | Float64Array | Float32Array | Int32Array | tf.Tensor1D;

/**
 * Row-major dense matrix of float64 values: finml's internal tabular form.
 *
 * @category Core
 */
export interface DenseMatrix {
  readonly rows: number;
  readonly cols: number;
  /** Row-major values, length `rows * cols`. */
  readonly data: Float64Array;
}

/**
 * Validation options for {@link toDense} / {@link toVector}.
 *
 * @category Core
 */
export interface CheckOptions {
  /** Allow NaN (missing values). Infinity is never allowed. Default false. */
  readonly allowNaN?: boolean;
  /** Minimum number of rows (default 1: empty input is a DataError). */
  readonly minRows?: number;
  /** Required number of columns, if known (else any, but rows must agree). */
  readonly cols?: number;
}

/**
 * True for tfjs tensors (duck-typed so that tensors from another tfjs copy also work).
 *
 * @param x - Any value.
 * @returns whether `x` is a tfjs tensor.
 * @example
 * ```ts
 * import * as tf from '@tensorflow/tfjs-core';
 * import { isTensor } from 'finml/extend';
 * isTensor([[1, 2]]);          //=> false
 * const t = tf.tensor2d([[1, 2]]);
 * isTensor(t);                 //=> true
 * t.dispose();
 * ```
 * @category Core
 */
export function isTensor(x: unknown): x is tf.Tensor {
  return x instanceof tf.Tensor || (typeof x === 'object' && x !== null && 'dataSync' in x && 'shape' in x && 'dtype' in x);
}

/**
 * Converts a matrix-like input to a {@link DenseMatrix}, validating it. Always copies: the
 * result never aliases the input.
 *
 * @param x - Nested arrays or a 2-D tensor (not disposed).
 * @param arg - The argument name for error messages.
 * @param fn - The calling public function for error messages.
 * @param opts - Validation options (NaN allowed, minimum rows, required columns).
 * @returns a new row-major float64 matrix.
 * @throws {ShapeError} ragged rows, wrong rank, or wrong number of columns.
 * @throws {DataError} empty input, non-numbers, NaN (unless allowed) or Infinity.
 * @example
 * ```ts
 * import { toDense } from 'finml/extend';
 * const m = toDense([[1, 2], [3, 4]], 'x', 'myFunction');
 * [m.rows, m.cols, Array.from(m.data)]; //=> [2, 2, [1, 2, 3, 4]]
 * toDense([[1, NaN]], 'x', 'myFunction'); // throws DataError: The 'x' argument of myFunction must be finite numbers ...
 * ```
 * @category Core
 */
export function toDense(x: MatrixLike, arg: string, fn: string, opts: CheckOptions = {}): DenseMatrix {
  let rows: number;
  let cols: number;
  let data: Float64Array;
  if (isTensor(x)) {
    if (x.rank !== 2) throw new ShapeError({ fn, arg, expected: 'a 2-D tensor [rows, features]', got: describeValue(x) });
    [rows, cols] = x.shape as [number, number];
    data = Float64Array.from(x.dataSync() as ArrayLike<number>);
  } else if (Array.isArray(x)) {
    rows = x.length;
    const first = x[0];
    if (rows > 0 && !Array.isArray(first) && !ArrayBuffer.isView(first)) {
      throw new ShapeError({ fn, arg, expected: 'a 2-D array (an array of rows)', got: `an array whose first element is ${describeValue(first)}` });
    }
    cols = rows > 0 ? (first as readonly number[]).length : (opts.cols ?? 0);
    data = new Float64Array(rows * cols);
    for (let i = 0; i < rows; i++) {
      const r = x[i] as readonly number[] | undefined;
      if (r === undefined || (!Array.isArray(r) && !ArrayBuffer.isView(r)) || r.length !== cols) {
        throw new ShapeError({ fn, arg, expected: `rows of equal length ${cols}`, got: `row ${i} with ${describeValue(r)}` });
      }
      for (let j = 0; j < cols; j++) {
        const v = r[j];
        if (typeof v !== 'number') {
          throw new DataError({ fn, arg, expected: 'numbers only', got: `${describeValue(v)} at row ${i}, column ${j}` });
        }
        data[i * cols + j] = v;
      }
    }
  } else {
    throw new ShapeError({ fn, arg, expected: 'a 2-D array or a tf.Tensor2D', got: describeValue(x) });
  }
  const minRows = opts.minRows ?? 1;
  if (rows < minRows) throw new DataError({ fn, arg, expected: `at least ${minRows} row(s)`, got: `${rows} rows` });
  if (cols === 0 && rows > 0) throw new DataError({ fn, arg, expected: 'at least 1 column', got: '0 columns' });
  if (opts.cols !== undefined && cols !== opts.cols) {
    throw new ShapeError({ fn, arg, expected: `${opts.cols} columns (as seen in fit)`, got: `${cols} columns` });
  }
  checkFinite(data, cols, arg, fn, opts.allowNaN === true);
  return { rows, cols, data };
}

function checkFinite(data: ArrayLike<number>, cols: number, arg: string, fn: string, allowNaN: boolean): void {
  for (let k = 0; k < data.length; k++) {
    const v = data[k] as number;
    if (!Number.isFinite(v) && !(allowNaN && Number.isNaN(v))) {
      const where = cols > 0 ? `row ${Math.floor(k / cols)}, column ${k % cols}` : `index ${k}`;
      throw new DataError({
        fn,
        arg,
        expected: allowNaN ? 'finite numbers or NaN (missing)' : 'finite numbers (no NaN or Infinity; impute or drop missing values first)',
        got: `${describeValue(v)} at ${where}`,
      });
    }
  }
}

/**
 * Converts a vector-like input to a Float64Array copy, validating it (an `[n, 1]` tensor counts as a vector).
 *
 * @param y - An array, typed array, `tf.Tensor1D` or `[n, 1]` tensor (not disposed).
 * @param arg - The argument name for error messages.
 * @param fn - The calling public function for error messages.
 * @param opts - `allowNaN`, a required `length` or a `minLength` (default 1).
 * @returns a new Float64Array.
 * @throws {ShapeError} wrong rank or length.
 * @throws {DataError} empty input, non-numbers or non-finite values.
 * @example
 * ```ts
 * import { toVector } from 'finml/extend';
 * toVector([1, 2, 3], 'y', 'myFunction');                 //=> Float64Array [1, 2, 3]
 * toVector([1, 2], 'y', 'myFunction', { length: 3 });     // throws ShapeError (length 3 expected)
 * ```
 * @category Core
 */
export function toVector(
  y: VectorLike,
  arg: string,
  fn: string,
  opts: { readonly allowNaN?: boolean; readonly length?: number; readonly minLength?: number } = {},
): Float64Array {
  let out: Float64Array;
  if (isTensor(y)) {
    if (y.rank !== 1 && !(y.rank === 2 && (y.shape as number[])[1] === 1)) {
      throw new ShapeError({ fn, arg, expected: 'a 1-D tensor (or [n, 1])', got: describeValue(y) });
    }
    out = Float64Array.from(y.dataSync() as ArrayLike<number>);
  } else if (Array.isArray(y) || ArrayBuffer.isView(y)) {
    const arr = y as ArrayLike<unknown>;
    out = new Float64Array(arr.length);
    for (let i = 0; i < arr.length; i++) {
      const v = arr[i];
      if (typeof v !== 'number') throw new DataError({ fn, arg, expected: 'numbers only', got: `${describeValue(v)} at index ${i}` });
      out[i] = v;
    }
  } else {
    throw new ShapeError({ fn, arg, expected: 'a 1-D array, typed array or tf.Tensor1D', got: describeValue(y) });
  }
  const minLength = opts.minLength ?? 1;
  if (out.length < minLength) throw new DataError({ fn, arg, expected: `at least ${minLength} value(s)`, got: `${out.length} values` });
  if (opts.length !== undefined && out.length !== opts.length) {
    throw new ShapeError({ fn, arg, expected: `length ${opts.length} (one value per row of x)`, got: `length ${out.length}` });
  }
  checkFinite(out, 0, arg, fn, opts.allowNaN === true);
  return out;
}

/**
 * Converts a {@link DenseMatrix} to nested arrays (one new array per row).
 *
 * @param m - The matrix.
 * @returns `m.rows` arrays of `m.cols` numbers.
 * @example
 * ```ts
 * import { createTable, denseToArrays, tableToMatrix } from 'finml';
 * denseToArrays(tableToMatrix(createTable({ a: [1, 3], b: [2, 4] }))); //=> [[1, 2], [3, 4]]
 * ```
 * @category Core
 */
export function denseToArrays(m: DenseMatrix): number[][] {
  const out: number[][] = new Array<number[]>(m.rows);
  for (let i = 0; i < m.rows; i++) out[i] = Array.from(m.data.subarray(i * m.cols, (i + 1) * m.cols));
  return out;
}

/**
 * Returns `m` in the same form as `like`: a new float32 `tf.Tensor2D` (owned by the caller) when
 * `like` is a tensor, nested arrays otherwise. This is how transforms make "arrays in, arrays out;
 * tensor in, tensor out" work.
 *
 * @param m - The result to return.
 * @param like - The caller's input, whose form is copied.
 * @returns nested arrays or a new tensor.
 * @example
 * ```ts
 * import { denseLike } from 'finml/extend';
 * const m = { rows: 1, cols: 2, data: new Float64Array([1, 2]) };
 * denseLike(m, [[0, 0]]); //=> [[1, 2]]
 * ```
 * @category Core
 */
export function denseLike(m: DenseMatrix, like: MatrixLike): number[][] | tf.Tensor2D {
  return isTensor(like) ? tf.tensor2d(Float32Array.from(m.data), [m.rows, m.cols], 'float32') : denseToArrays(m);
}

/**
 * Selects rows of a {@link DenseMatrix} by index (copy; indices may repeat).
 *
 * @param m - The matrix.
 * @param idx - Row indices, each in `[0, m.rows)`.
 * @returns a new matrix with `idx.length` rows.
 * @throws {InvalidOptionError} when an index is not an integer in `[0, m.rows)`.
 * @example
 * ```ts
 * import { denseToArrays } from 'finml';
 * import { takeDenseRows } from 'finml/extend';
 * const m = { rows: 3, cols: 1, data: new Float64Array([10, 20, 30]) };
 * denseToArrays(takeDenseRows(m, [2, 0])); //=> [[30], [10]]
 * ```
 * @category Core
 */
export function takeDenseRows(m: DenseMatrix, idx: ArrayLike<number>): DenseMatrix {
  const out = new Float64Array(idx.length * m.cols);
  for (let i = 0; i < idx.length; i++) {
    const r = idx[i] as number;
    if (!Number.isInteger(r) || r < 0 || r >= m.rows) {
      throw new InvalidOptionError({ fn: 'takeDenseRows', arg: 'idx', expected: `row indices: integers in [0, ${m.rows - 1}]`, got: `${describeValue(r)} at position ${i}` });
    }
    out.set(m.data.subarray(r * m.cols, (r + 1) * m.cols), i * m.cols);
  }
  return { rows: idx.length, cols: m.cols, data: out };
}
