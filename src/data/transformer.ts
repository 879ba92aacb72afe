/**
 * Shared types of the numeric matrix transformers of finml (scalers, imputers, pipelines).
 *
 * @module
 */
import type * as tf from '@tensorflow/tfjs-core';
import type { DenseMatrix, MatrixLike } from '../core/matrix';
import type { EstimatorJSON } from '../core/estimator';

/**
 * A transform whose output form follows its input: nested arrays in → `number[][]` out,
 * `tf.Tensor2D` in → a new `tf.Tensor2D` out (owned by the caller; the input is never disposed).
 *
 * @example
 * ```ts
 * import { standardScaler } from 'finml';
 * const f = standardScaler().fit([[1], [3]]);
 * f.transform([[2]]); //=> [[0]]
 * ```
 * @category Data
 */
export interface MatrixTransform {
  (x: tf.Tensor2D): tf.Tensor2D;
  (x: readonly (readonly number[])[]): number[][];
  (x: MatrixLike): number[][] | tf.Tensor2D;
}

/**
 * A fitted numeric transformer: frozen, holds only plain-number state, serialises with `toJSON`.
 *
 * @example
 * ```ts
 * import { type FittedMatrixTransformer, type StandardScalerParams, type StandardScalerState, standardScaler } from 'finml';
 * const f: FittedMatrixTransformer<StandardScalerParams, StandardScalerState> = standardScaler().fit([[1], [3]]);
 * f.nFeaturesIn; //=> 1
 * ```
 * @category Data
 */
export interface FittedMatrixTransformer<P, S> {
  /** Envelope kind, e.g. `'StandardScaler'`. */
  readonly kind: string;
  /** The validated parameters of the spec that was fitted. */
  readonly params: Readonly<P>;
  /** The fitted state (plain numbers, frozen). */
  readonly state: Readonly<S>;
  /** Number of columns seen at fit. */
  readonly nFeaturesIn: number;
  /** Number of columns produced by `transform`. */
  readonly nFeaturesOut: number;
  /** Applies the fitted transformation. @throws {ShapeError} wrong width. @throws {DataError} bad values. */
  readonly transform: MatrixTransform;
  /** Same as `transform` on finml's internal {@link DenseMatrix} form (no tensors involved). */
  transformDense(x: DenseMatrix): DenseMatrix;
  /** The finml serialization envelope. */
  toJSON(): EstimatorJSON;
}

/**
 * A fitted transformer that can map outputs back to the original space.
 * @example
 * ```ts
 * import { standardScaler } from 'finml';
 * const f = standardScaler().fit([[1], [3]]);
 * f.inverseTransform([[1]]); //=> [[3]]
 * ```
 * @category Data
 */
export interface InvertibleMatrixTransformer<P, S> extends FittedMatrixTransformer<P, S> {
  /** Inverse of `transform`. */
  readonly inverseTransform: MatrixTransform;
  /** Inverse of `transformDense`. */
  inverseTransformDense(x: DenseMatrix): DenseMatrix;
}

/**
 * An unfitted numeric transformer spec (what `standardScaler(params)` returns).
 * @example
 * ```ts
 * import { minMaxScaler } from 'finml';
 * const spec = minMaxScaler({ featureRange: [-1, 1] });
 * spec.fit([[0], [10]]).transform([[5]]); //=> [[0]]
 * ```
 * @category Data
 */
export interface MatrixTransformerSpec<P, F> {
  /** Envelope kind of the fitted object. */
  readonly kind: string;
  /** Validated, frozen parameters. */
  readonly params: Readonly<P>;
  /** Learns the state from `x` (never mutated, not retained). */
  fit(x: MatrixLike): F;
  /** Fits on `x` and transforms it; equals `fit(x).transform(x)`. */
  readonly fitTransform: MatrixTransform;
  /** `fit` on a {@link DenseMatrix}. */
  fitDense(x: DenseMatrix): F;
  /** A new spec with some parameters replaced (validated again). */
  withParams(patch: Partial<P>): MatrixTransformerSpec<P, F>;
  /** Not available before fit: throws {@link NotFittedError} (and is a type error). */
  readonly transform: (...args: never[]) => never;
}
