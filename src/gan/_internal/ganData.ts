/**
 * Input normalisation for GAN functions: rows `[n, features]` or sequences
 * `[n, seqLength, features]` (or `[n, seqLength]` when features = 1), as nested arrays or tensors.
 *
 * @module
 */
import type * as tf from '@tensorflow/tfjs-core';
import { DataError, ShapeError, describeValue } from '../../core/errors';
import { isTensor } from '../../core/matrix';

/**
 * Rows or sequences accepted by the GAN functions.
 *
 * @category Models
 */
export type GanData =
  | readonly (readonly number[])[]
  | readonly (readonly (readonly number[])[])[]
  | tf.Tensor2D
  | tf.Tensor3D;

/** Flat float32 copy of the examples plus their count. */
export interface FlatExamples {
  readonly n: number;
  /** Values per example (features, or seqLength * features). */
  readonly size: number;
  readonly values: Float32Array;
}

/**
 * Validates and flattens examples of shape `exampleShape` (`[features]` or `[seqLength, features]`).
 * @throws {ShapeError} wrong shape. @throws {DataError} empty, non-numeric or non-finite values.
 */
export function flattenExamples(x: GanData, exampleShape: readonly number[], arg: string, fn: string): FlatExamples {
  const size = exampleShape.reduce((a, b) => a * b, 1);
  const shapeText = `[n, ${exampleShape.join(', ')}]`;
  let n: number;
  let values: Float32Array;
  if (isTensor(x)) {
    const shp = x.shape;
    const ok =
      (shp.length === exampleShape.length + 1 && exampleShape.every((d, i) => shp[i + 1] === d)) ||
      (exampleShape.length === 2 && exampleShape[1] === 1 && shp.length === 2 && shp[1] === exampleShape[0]);
    if (!ok) throw new ShapeError({ fn, arg, expected: `a tensor of shape ${shapeText}`, got: describeValue(x) });
    n = shp[0] as number;
    values = Float32Array.from(x.dataSync() as ArrayLike<number>);
  } else if (Array.isArray(x)) {
    n = x.length;
    values = new Float32Array(n * size);
    let k = 0;
    for (let i = 0; i < n; i++) {
      const flat = flatRow(x[i], exampleShape, arg, fn, i);
      if (flat.length !== size) throw new ShapeError({ fn, arg, expected: `examples of shape [${exampleShape.join(', ')}]`, got: `example ${i} with ${flat.length} values` });
      for (const v of flat) values[k++] = v;
    }
  } else {
    throw new ShapeError({ fn, arg, expected: `nested arrays or a tensor of shape ${shapeText}`, got: describeValue(x) });
  }
  if (n === 0) throw new DataError({ fn, arg, expected: 'at least 1 example', got: '0 examples' });
  for (let k = 0; k < values.length; k++) {
    const v = values[k] as number;
    if (!Number.isFinite(v)) {
      throw new DataError({ fn, arg, expected: 'finite numbers (no NaN or Infinity)', got: `${describeValue(v)} in example ${Math.floor(k / size)}` });
    }
  }
  return { n, size, values };
}

function flatRow(r: unknown, exampleShape: readonly number[], arg: string, fn: string, i: number): number[] {
  if (!Array.isArray(r)) throw new ShapeError({ fn, arg, expected: 'an array per example', got: `example ${i}: ${describeValue(r)}` });
  const out: number[] = [];
  const push = (v: unknown): void => {
    if (typeof v !== 'number') throw new DataError({ fn, arg, expected: 'numbers only', got: `${describeValue(v)} in example ${i}` });
    out.push(v);
  };
  if (exampleShape.length === 1) {
    for (const v of r) push(v);
  } else {
    const features = exampleShape[1] as number;
    for (const step of r) {
      if (Array.isArray(step)) {
        if (step.length !== features) throw new ShapeError({ fn, arg, expected: `${features} value(s) per time step`, got: `${step.length} in example ${i}` });
        for (const v of step) push(v);
      } else if (features === 1) {
        push(step);
      } else {
        throw new ShapeError({ fn, arg, expected: `time steps of ${features} values`, got: `${describeValue(step)} in example ${i}` });
      }
    }
  }
  return out;
}
