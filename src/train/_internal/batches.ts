/** Private: mini-batches gathered on the JS side, shared by trainModel and trainGan. */

/** Row-major examples kept on the JS side; batches are uploaded from it. */
export interface HostData {
  readonly x: Float32Array;
  /** Shape of one example (without the row dimension). */
  readonly xRowShape: readonly number[];
  readonly y: Float32Array;
  /** Target values per row. */
  readonly yWidth: number;
}

/**
 * Copies the rows `rowOf(order[from..to))` of a row-major array into `out` (a new array when
 * absent) and returns it. Batches are built on the JS side and uploaded one by one: slicing a
 * big device tensor per batch copies the whole tensor out of wasm memory each time (tf.slice
 * reads the full source), which made training time grow with rows².
 */
export function gatherRows(
  values: Float32Array,
  rowSize: number,
  order: Int32Array | null,
  from: number,
  to: number,
  rowOf: Int32Array | null,
  out: Float32Array = new Float32Array((to - from) * rowSize),
): Float32Array {
  if (order === null && rowOf === null) {
    out.set(values.subarray(from * rowSize, to * rowSize));
    return out;
  }
  for (let i = from; i < to; i++) {
    const pos = order === null ? i : (order[i] as number);
    const r = rowOf === null ? pos : (rowOf[pos] as number);
    if (rowSize === 1) out[i - from] = values[r] as number;
    else if (rowSize > 256) out.set(values.subarray(r * rowSize, (r + 1) * rowSize), (i - from) * rowSize);
    else {
      // a plain loop beats a subarray view per short row
      const src = r * rowSize;
      const dst = (i - from) * rowSize;
      for (let j = 0; j < rowSize; j++) out[dst + j] = values[src + j] as number;
    }
  }
  return out;
}

/** The rows `idx` of a row-major array of the given shape, in that order. */
export function rowsOf(values: Float32Array, shape: readonly number[], idx: ArrayLike<number>): Float32Array {
  const rowSize = shape.slice(1).reduce((a, b) => a * b, 1);
  const out = new Float32Array(idx.length * rowSize);
  for (let i = 0; i < idx.length; i++) {
    const r = idx[i] as number;
    out.set(values.subarray(r * rowSize, (r + 1) * rowSize), i * rowSize);
  }
  return out;
}

/** Elements per example of the given row shape. */
export const sizeOf = (rowShape: readonly number[]): number => rowShape.reduce((a, b) => a * b, 1);
