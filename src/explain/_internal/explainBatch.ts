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

/** A virtual matrix of `total` rows × `cols` columns whose rows are written on demand. */
export interface RowSource {
  readonly total: number;
  readonly cols: number;
  /** Writes rows `start .. start + count - 1` (row-major) into `out` (length >= count * cols). */
  fill(start: number, count: number, out: Float64Array): void;
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
  const buf = new Float64Array(chunk * src.cols);
  let calls = 0;
  for (let start = 0; start < src.total; start += chunk) {
    const count = Math.min(chunk, src.total - start);
    const data = count === chunk ? buf : buf.subarray(0, count * src.cols);
    src.fill(start, count, data);
    const batch: DenseMatrix = { rows: count, cols: src.cols, data };
    const preds = await predictor(batch);
    calls++;
    if (preds === null || typeof preds !== 'object' || typeof (preds as ArrayLike<number>).length !== 'number') {
      throw new ShapeError({ fn, arg: 'predictor', expected: 'a function returning one number per row (an array or typed array)', got: describeValue(preds) });
    }
    if (preds.length !== count) {
      throw new ShapeError({ fn, arg: 'predictor', expected: `one output per row (${count} values for a batch of ${count} rows)`, got: `${preds.length} values` });
    }
    for (let i = 0; i < count; i++) {
      const v = preds[i];
      if (typeof v !== 'number' || !Number.isFinite(v)) {
        throw new DataError({ fn, arg: 'predictor', expected: 'finite numeric outputs', got: `${describeValue(v)} for row ${i} of a batch` });
      }
    }
    consume(start, preds);
  }
  return calls;
}
