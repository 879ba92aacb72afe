/**
 * Input normalisation for neural training and prediction: nested arrays (2-D tabular or 3-D
 * sequence windows), DenseMatrix or tensors → a float32 tensor created here (the caller's
 * tensors are never disposed), with shape and value validation.
 * @internal
 */
import * as tf from '@tensorflow/tfjs-core';
import { DataError, ShapeError, describeValue } from '../../core/errors';
import { isTensor, type DenseMatrix } from '../../core/matrix';
import { allFinite64 } from '../../core/_internal/finite';

/**
 * Inputs accepted by the trainer and the neural estimators.
 *
 * @category Training
 */
export type NeuralInput =
  | tf.Tensor
  | DenseMatrix
  | readonly (readonly number[])[]
  | readonly (readonly (readonly number[])[])[];

/**
 * Targets accepted by the trainer and the neural estimators.
 *
 * @category Training
 */
export type NeuralTarget = tf.Tensor | readonly number[] | Float64Array | Float32Array | Int32Array | readonly (readonly number[])[];

/** True for a {@link DenseMatrix}. */
export function isDenseMatrix(x: unknown): x is DenseMatrix {
  return (
    typeof x === 'object' &&
    x !== null &&
    !isTensor(x) &&
    (x as DenseMatrix).data instanceof Float64Array &&
    typeof (x as DenseMatrix).rows === 'number' &&
    typeof (x as DenseMatrix).cols === 'number'
  );
}

function checkFiniteValues(values: ArrayLike<number>, fn: string, arg: string, rowSize: number): void {
  for (let k = 0; k < values.length; k++) {
    const v = values[k] as number;
    if (!Number.isFinite(v)) {
      throw new DataError({
        fn,
        arg,
        expected: 'finite numbers (no NaN or Infinity; impute or drop missing values first)',
        got: `${describeValue(v)} at row ${rowSize > 0 ? Math.floor(k / rowSize) : k}`,
      });
    }
  }
}

/** A DenseMatrix's shape and its own values, checked (non-empty, rows × cols values, all finite). */
function checkedMatrixRows(x: DenseMatrix, fn: string, arg: string): { shape: number[]; values: Float64Array } {
  if (x.rows === 0) throw new DataError({ fn, arg, expected: 'at least 1 row', got: '0 rows' });
  if (x.data.length !== x.rows * x.cols) {
    throw new ShapeError({ fn, arg, expected: `a DenseMatrix with data of length rows*cols = ${x.rows * x.cols}`, got: `length ${x.data.length}` });
  }
  // the fast check first; the slow one names the first bad value's row
  if (!allFinite64(x.data)) checkFiniteValues(x.data, fn, arg, x.cols);
  return { shape: [x.rows, x.cols], values: x.data };
}

/**
 * {@link readInput} for a prediction: a DenseMatrix's float64 values are checked and returned
 * as they are (not copied; the batched predict converts them batch by batch, the same float32
 * values as one conversion up front), anything else as `readInput` reads it. The caller must not
 * write the values.
 */
export function readInputForPredict(x: NeuralInput, fn: string, arg: string): { shape: number[]; values: Float32Array | Float64Array } {
  return isDenseMatrix(x) ? checkedMatrixRows(x, fn, arg) : readInput(x, fn, arg);
}

/** Validates an input and returns its shape and row-major float32 values (copy). */
export function readInput(x: NeuralInput, fn: string, arg: string): { shape: number[]; values: Float32Array } {
  if (isTensor(x)) {
    const t = x as tf.Tensor;
    if (t.rank < 2) throw new ShapeError({ fn, arg, expected: 'a tensor of rank >= 2 [rows, ...features]', got: describeValue(t) });
    const shape = t.shape.slice();
    if ((shape[0] as number) === 0) throw new DataError({ fn, arg, expected: 'at least 1 row', got: '0 rows' });
    const values = Float32Array.from(t.dataSync() as ArrayLike<number>);
    checkFiniteValues(values, fn, arg, t.size / (shape[0] as number));
    return { shape, values };
  }
  if (isDenseMatrix(x)) {
    const { shape, values } = checkedMatrixRows(x, fn, arg);
    return { shape, values: Float32Array.from(values) };
  }
  if (!Array.isArray(x)) {
    throw new ShapeError({ fn, arg, expected: 'nested arrays, a DenseMatrix or a tf.Tensor', got: describeValue(x) });
  }
  const rows = x.length;
  if (rows === 0) throw new DataError({ fn, arg, expected: 'at least 1 row', got: '0 rows' });
  const first = x[0] as unknown;
  if (!Array.isArray(first) && !ArrayBuffer.isView(first)) {
    throw new ShapeError({ fn, arg, expected: 'a 2-D array (rows) or a 3-D array (windows)', got: `an array whose first element is ${describeValue(first)}` });
  }
  const firstRow = first as ArrayLike<unknown>;
  const is3d = firstRow.length > 0 && (Array.isArray(firstRow[0]) || ArrayBuffer.isView(firstRow[0]));
  if (!is3d) {
    const cols = firstRow.length;
    if (cols === 0) throw new DataError({ fn, arg, expected: 'at least 1 column', got: '0 columns' });
    const values = new Float32Array(rows * cols);
    for (let i = 0; i < rows; i++) {
      const r = x[i] as unknown;
      if ((!Array.isArray(r) && !ArrayBuffer.isView(r)) || (r as ArrayLike<unknown>).length !== cols) {
        throw new ShapeError({ fn, arg, expected: `rows of equal length ${cols}`, got: `row ${i} with ${describeValue(r)}` });
      }
      const row = r as ArrayLike<unknown>;
      for (let j = 0; j < cols; j++) {
        const v = row[j];
        if (typeof v !== 'number') throw new DataError({ fn, arg, expected: 'numbers only', got: `${describeValue(v)} at row ${i}, column ${j}` });
        if (!Number.isFinite(v)) {
          throw new DataError({ fn, arg, expected: 'finite numbers (no NaN or Infinity; impute or drop missing values first)', got: `${describeValue(v)} at row ${i}, column ${j}` });
        }
        values[i * cols + j] = v;
      }
    }
    return { shape: [rows, cols], values };
  }
  const steps = firstRow.length;
  const feats = (firstRow[0] as ArrayLike<unknown>).length;
  if (feats === 0) throw new DataError({ fn, arg, expected: 'at least 1 feature per time step', got: '0 features' });
  const values = new Float32Array(rows * steps * feats);
  let k = 0;
  for (let i = 0; i < rows; i++) {
    const w = x[i] as unknown;
    if ((!Array.isArray(w) && !ArrayBuffer.isView(w)) || (w as ArrayLike<unknown>).length !== steps) {
      throw new ShapeError({ fn, arg, expected: `windows of ${steps} time steps`, got: `window ${i} with ${describeValue(w)}` });
    }
    for (let s = 0; s < steps; s++) {
      const r = (w as ArrayLike<unknown>)[s];
      if ((!Array.isArray(r) && !ArrayBuffer.isView(r)) || (r as ArrayLike<unknown>).length !== feats) {
        throw new ShapeError({ fn, arg, expected: `${feats} features per time step`, got: `window ${i}, step ${s} with ${describeValue(r)}` });
      }
      for (let j = 0; j < feats; j++) {
        const v = (r as ArrayLike<unknown>)[j];
        if (typeof v !== 'number' || !Number.isFinite(v)) {
          throw new DataError({ fn, arg, expected: 'finite numbers', got: `${describeValue(v)} at window ${i}, step ${s}, feature ${j}` });
        }
        values[k++] = v;
      }
    }
  }
  return { shape: [rows, steps, feats], values };
}

/** Validates an input against a model input shape (`[null, ...dims]`) and returns a new tensor. */
export function inputTensor(x: NeuralInput, fn: string, arg: string, inputShape?: readonly (number | null)[]): tf.Tensor {
  const { shape, values } = readInput(x, fn, arg);
  if (inputShape !== undefined) checkInputShape(shape, inputShape, fn, arg);
  return tf.tensor(values, shape, 'float32');
}

/** Throws ShapeError when `shape` (with rows) does not match the model's `[null, ...dims]`. */
export function checkInputShape(shape: readonly number[], inputShape: readonly (number | null)[], fn: string, arg: string): void {
  const want = inputShape.slice(1);
  const got = shape.slice(1);
  const ok = want.length === got.length && want.every((d, i) => d === null || d === got[i]);
  if (!ok) {
    throw new ShapeError({
      fn,
      arg,
      expected: `rows of shape [${want.map((d) => (d === null ? '?' : String(d))).join(', ')}] (as the model's input)`,
      got: `rows of shape [${got.join(', ')}]`,
    });
  }
}

/** Validates targets and returns shape [n] or [n, k] and float32 values (copy). */
export function readTarget(y: NeuralTarget, fn: string, arg: string, rows: number): { shape: number[]; values: Float32Array } {
  let shape: number[];
  let values: Float32Array;
  if (isTensor(y)) {
    const t = y as tf.Tensor;
    if (t.rank !== 1 && t.rank !== 2) throw new ShapeError({ fn, arg, expected: 'a 1-D or 2-D tensor', got: describeValue(t) });
    shape = t.shape.slice();
    values = Float32Array.from(t.dataSync() as ArrayLike<number>);
  } else if (Array.isArray(y) && y.length > 0 && (Array.isArray(y[0]) || ArrayBuffer.isView(y[0]))) {
    const k = (y[0] as ArrayLike<number>).length;
    values = new Float32Array(y.length * k);
    for (let i = 0; i < y.length; i++) {
      const r = y[i] as unknown;
      if ((!Array.isArray(r) && !ArrayBuffer.isView(r)) || (r as ArrayLike<unknown>).length !== k) {
        throw new ShapeError({ fn, arg, expected: `rows of equal length ${k}`, got: `row ${i} with ${describeValue(r)}` });
      }
      for (let j = 0; j < k; j++) {
        const v = (r as ArrayLike<unknown>)[j];
        if (typeof v !== 'number') throw new DataError({ fn, arg, expected: 'numbers only', got: `${describeValue(v)} at row ${i}` });
        values[i * k + j] = v;
      }
    }
    shape = [y.length, k];
  } else if (Array.isArray(y) || ArrayBuffer.isView(y)) {
    const arr = y as ArrayLike<unknown>;
    values = new Float32Array(arr.length);
    for (let i = 0; i < arr.length; i++) {
      const v = arr[i];
      if (typeof v !== 'number') throw new DataError({ fn, arg, expected: 'numbers only', got: `${describeValue(v)} at index ${i}` });
      values[i] = v;
    }
    shape = [arr.length];
  } else {
    throw new ShapeError({ fn, arg, expected: 'an array, a typed array or a tf.Tensor', got: describeValue(y) });
  }
  if (shape[0] !== rows) {
    throw new ShapeError({ fn, arg, expected: `${rows} rows (one per row of x)`, got: `${shape[0] as number} rows` });
  }
  checkFiniteValues(values, fn, arg, shape.length === 2 ? (shape[1] as number) : 1);
  return { shape, values };
}
