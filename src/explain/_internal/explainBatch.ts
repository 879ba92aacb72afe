/**
 * Private helper of src/explain/: streams a long virtual sequence of rows through a
 * {@link Predictor} in chunks of at most `maxBatchRows` rows, so that explainers make few
 * predictor calls without materialising every perturbed row at once.
 *
 * @module
 */
import { DataError, ShapeError, describeValue } from '../../core/errors';
import type { DenseMatrix } from '../../core/matrix';
import type { Predictor } from '../../core/predictor';
import { float32RowsOf } from '../../core/_internal/float32Rows';

/** A virtual matrix of `total` rows × `cols` columns whose rows are written on demand. */
export interface RowSource {
  readonly total: number;
  readonly cols: number;
  /** Writes rows `start .. start + count - 1` (row-major) into `out` (length >= count * cols). */
  fill(start: number, count: number, out: Float64Array): void;
  /**
   * The same rows rounded to float32 (for predictors with a float32 entry, see
   * `float32Rows.ts`); optional.
   */
  fill32?(start: number, count: number, out: Float32Array): void;
}

/** Index of the first value that is not a finite number, or -1 (a typed loop per array type). */
function firstNonFinite(p: ArrayLike<number>, n: number): number {
  if (p instanceof Float32Array || p instanceof Float64Array) {
    // v - v is 0 for finite v and NaN for NaN and ±Infinity
    for (let i = 0; i < n; i++) if ((p[i] as number) - (p[i] as number) !== 0) return i;
    return -1;
  }
  for (let i = 0; i < n; i++) {
    const v = p[i];
    if (typeof v !== 'number' || !Number.isFinite(v)) return i;
  }
  return -1;
}

/**
 * Runs every row of `src` through `predictor` in chunks and hands each chunk's predictions to
 * `consume(start, preds)`. Validates the predictor's output length and values.
 *
 * @returns the number of predictor calls made.
 * @throws {ShapeError} when the predictor returns the wrong number of values.
 * @throws {DataError} when it returns non-finite values.
 */
export async function streamPredict(
  predictor: Predictor,
  src: RowSource,
  maxBatchRows: number,
  fn: string,
  consume: (start: number, preds: ArrayLike<number>) => void,
): Promise<number> {
  if (src.total === 0) return 0;
  const chunk = Math.max(1, Math.min(maxBatchRows, src.total));
  const entry32 = src.fill32 === undefined ? undefined : float32RowsOf(predictor);
  const buf = entry32 === undefined ? new Float64Array(chunk * src.cols) : null;
  const buf32 = entry32 === undefined ? null : new Float32Array(chunk * src.cols);
  let calls = 0;
  for (let start = 0; start < src.total; start += chunk) {
    const count = Math.min(chunk, src.total - start);
    let preds: ArrayLike<number>;
    if (buf32 !== null && entry32 !== undefined && src.fill32 !== undefined) {
      const data = count === chunk ? buf32 : buf32.subarray(0, count * src.cols);
      src.fill32(start, count, data);
      preds = await entry32(data, count, src.cols);
    } else {
      const b = buf as Float64Array;
      const data = count === chunk ? b : b.subarray(0, count * src.cols);
      src.fill(start, count, data);
      const batch: DenseMatrix = { rows: count, cols: src.cols, data };
      preds = await predictor(batch);
    }
    calls++;
    if (preds === null || typeof preds !== 'object' || typeof (preds as ArrayLike<number>).length !== 'number') {
      throw new ShapeError({ fn, arg: 'predictor', expected: 'a function returning one number per row (an array or typed array)', got: describeValue(preds) });
    }
    if (preds.length !== count) {
      throw new ShapeError({ fn, arg: 'predictor', expected: `one output per row (${count} values for a batch of ${count} rows)`, got: `${preds.length} values` });
    }
    const bad = firstNonFinite(preds, count);
    if (bad >= 0) {
      throw new DataError({ fn, arg: 'predictor', expected: 'finite numeric outputs', got: `${describeValue(preds[bad])} for row ${bad} of a batch` });
    }
    consume(start, preds);
  }
  return calls;
}
