/** Private helpers of the splitters. */
import { DataError, describeValue } from '../../core/errors';
import type { IndexSplit } from '../indexSplit';

/** Validates a sample count. */
export function checkCount(n: number, fn: string, min: number): number {
  if (typeof n !== 'number' || !Number.isInteger(n) || n < min) {
    throw new DataError({ fn, arg: 'n', expected: `an integer number of samples >= ${min}`, got: describeValue(n) });
  }
  return n;
}

/** Ascending Int32Array from indices. */
export function sortedIndices(xs: Iterable<number>): Int32Array {
  return Int32Array.from(xs).sort();
}

/** A frozen split. */
export function split(train: Iterable<number>, test: Iterable<number>): IndexSplit {
  return Object.freeze({ train: sortedIndices(train), test: sortedIndices(test) });
}

/** Range [a, b). */
export function range(a: number, b: number): number[] {
  const out: number[] = [];
  for (let i = a; i < b; i++) out.push(i);
  return out;
}

/** Labels as strings (for grouping), validating length and missing values. */
export function labelKeys(labels: ArrayLike<string | number>, fn: string, arg: string, n?: number): string[] {
  if (labels === null || typeof labels !== 'object' || typeof labels.length !== 'number') {
    throw new DataError({ fn, arg, expected: 'an array of class labels', got: describeValue(labels) });
  }
  if (n !== undefined && labels.length !== n) throw new DataError({ fn, arg, expected: `${n} labels (one per sample)`, got: `${labels.length}` });
  const out: string[] = new Array<string>(labels.length);
  for (let i = 0; i < labels.length; i++) {
    const v = labels[i];
    if ((typeof v !== 'string' && typeof v !== 'number') || (typeof v === 'number' && Number.isNaN(v))) {
      throw new DataError({ fn, arg, expected: 'non-missing string or number labels', got: `${describeValue(v)} at index ${i}` });
    }
    out[i] = `${typeof v}:${v}`;
  }
  return out;
}
