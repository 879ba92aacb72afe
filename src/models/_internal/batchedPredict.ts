/**
 * Batched inference without slicing a big device tensor: each batch is uploaded from the
 * row-major JS array and run through `model.apply` (inference mode), and its output read back
 * into one JS array. tfjs-layers' own batched `predict` slices every batch out of the whole input
 * tensor, and on wasm `tf.slice` copies the whole source tensor out of wasm memory per batch.
 * @internal
 */
import * as tf from '@tensorflow/tfjs-core';
import type * as tfl from '@tensorflow/tfjs-layers';
import { ShapeError } from '../../core/errors';

/** Rows per inference batch used by the neural estimators and `layersModelPredictor`. */
export const PREDICT_BATCH = 4096;

/** Output row width declared by the model's first output (1 when unknown). */
function declaredWidth(model: tfl.LayersModel): number {
  const s = (model.outputs[0] as tfl.SymbolicTensor | undefined)?.shape.slice(1) ?? [];
  return s.reduce<number>((a, b) => a * (b ?? 1), 1);
}

function runBatch(model: tfl.LayersModel, values: Float32Array | Float64Array, rowShape: readonly number[], rowSize: number, start: number, end: number, fn: string): tf.Tensor {
  return tf.tidy(() => {
    const sub = values.subarray(start * rowSize, end * rowSize);
    // float64 rows are converted batch by batch (cache-friendly, no full float32 copy)
    const x = tf.tensor(sub instanceof Float32Array ? sub : new Float32Array(sub), [end - start, ...rowShape], 'float32');
    const out = model.apply(x, { training: false }) as tf.Tensor | tf.Tensor[];
    const y = Array.isArray(out) ? out[0] : out;
    if (y === undefined) throw new ShapeError({ fn, arg: 'model', expected: 'a model with an output', got: 'no output tensor' });
    return y;
  });
}

/**
 * Runs `model` on `n` rows of shape `rowShape` (row-major `values`) in batches of `batchSize`
 * rows; returns its first output as a row-major Float32Array and the output row width.
 * `read` gets each batch's output values (sync `dataSync` or async `data`).
 */
async function predictWith(
  model: tfl.LayersModel,
  values: Float32Array | Float64Array,
  n: number,
  rowShape: readonly number[],
  batchSize: number,
  fn: string,
  read: (y: tf.Tensor) => Float32Array | Promise<Float32Array>,
): Promise<{ values: Float32Array; width: number }> {
  if (n === 0) return { values: new Float32Array(0), width: declaredWidth(model) };
  const rowSize = rowShape.reduce((a, b) => a * b, 1);
  let out: Float32Array | null = null;
  let width = 0;
  for (let start = 0; start < n; start += batchSize) {
    const end = Math.min(n, start + batchSize);
    const y = runBatch(model, values, rowShape, rowSize, start, end, fn);
    try {
      if (out === null) {
        width = y.size / (end - start);
        out = new Float32Array(n * width);
      }
      out.set(await read(y), start * width);
    } finally {
      y.dispose();
    }
  }
  return { values: out as Float32Array, width };
}

/** Synchronous batched inference (reads each batch with `dataSync`); see the module notes. */
export function predictValues(model: tfl.LayersModel, values: Float32Array, n: number, rowShape: readonly number[], fn: string, batchSize = PREDICT_BATCH): { values: Float32Array; width: number } {
  if (n === 0) return { values: new Float32Array(0), width: declaredWidth(model) };
  const rowSize = rowShape.reduce((a, b) => a * b, 1);
  let out: Float32Array | null = null;
  let width = 0;
  for (let start = 0; start < n; start += batchSize) {
    const end = Math.min(n, start + batchSize);
    const y = runBatch(model, values, rowShape, rowSize, start, end, fn);
    try {
      if (out === null) {
        width = y.size / (end - start);
        out = new Float32Array(n * width);
      }
      out.set(y.dataSync() as Float32Array, start * width);
    } finally {
      y.dispose();
    }
  }
  return { values: out as Float32Array, width };
}

/** Async batched inference (reads each batch with `await data()`, which suits webgl too). */
export function predictValuesAsync(model: tfl.LayersModel, values: Float32Array | Float64Array, n: number, rowShape: readonly number[], fn: string, batchSize = PREDICT_BATCH): Promise<{ values: Float32Array; width: number }> {
  return predictWith(model, values, n, rowShape, batchSize, fn, async (y) => (await y.data()) as Float32Array);
}
