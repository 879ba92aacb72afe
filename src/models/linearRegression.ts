/**
 * Ordinary least squares / ridge regression solved in closed form (float64, no tensors).
 *
 * @module
 */
import * as tf from '@tensorflow/tfjs-core';
import { checkEnvelope, notFitted, paramsFromJSON, readNumberArray, type EstimatorJSON } from '../core/estimator';
import { toDense, toVector, isTensor, type DenseMatrix, type MatrixLike, type VectorLike } from '../core/matrix';
import { resolveOptions, rules } from '../core/options';
import { SerializationError, describeValue } from '../core/errors';
import { solveSpd } from '../core/_internal/linalg';

/**
 * Parameters of {@link linearRegression}.
 *
 * @category Models
 */
export interface LinearRegressionParams {
  /** L2 (ridge) penalty on the coefficients, not on the intercept. @defaultValue 0 */
  readonly l2: number;
  /** Fit an intercept. @defaultValue true */
  readonly fitIntercept: boolean;
}

const DEFAULTS: LinearRegressionParams = { l2: 0, fitIntercept: true };
const RULES = { l2: rules.number({ min: 0 }), fitIntercept: rules.boolean() };
const KIND = 'LinearRegression';

/**
 * The fitted state of a linear model: `y = x · coef + intercept`.
 *
 * @category Models
 */
export interface LinearState {
  readonly coef: readonly number[];
  readonly intercept: number;
}

/**
 * A fitted {@link linearRegression}.
 *
 * @category Models
 */
export interface FittedLinearRegression {
  readonly kind: 'LinearRegression';
  readonly params: Readonly<LinearRegressionParams>;
  readonly state: LinearState;
  readonly nFeaturesIn: number;
  /** Predictions, one per row (array in → number[]; tensor in → new Tensor1D owned by the caller). */
  predict(x: readonly (readonly number[])[]): number[];
  /** Tensor form: a new `tf.Tensor1D` of predictions, owned by the caller (the input is not disposed). */
  predict(x: tf.Tensor2D): tf.Tensor1D;
  /** Serialises the fitted state to the finml envelope `{ kind, version, params, state }` (JSON values only). */
  toJSON(): EstimatorJSON;
}

/**
 * Unfitted {@link linearRegression} spec.
 *
 * @category Models
 */
export interface LinearRegression {
  readonly kind: 'LinearRegression';
  readonly params: Readonly<LinearRegressionParams>;
  /** Solves the (ridge-penalised) least-squares problem on `x`, `y`. @throws {ShapeError} @throws {DataError} */
  fit(x: MatrixLike, y: VectorLike): FittedLinearRegression;
  /** A new spec with the given params replaced (validated like the factory); this spec is unchanged. */
  withParams(patch: Partial<LinearRegressionParams>): LinearRegression;
  /** Not available before `fit`: throws NotFittedError. */
  readonly predict: (...args: never[]) => never;
}

/** Solves the (optionally ridge-penalized) normal equations; shared with logisticRegression. @internal */
export function augmented(m: DenseMatrix, fitIntercept: boolean): { a: Float64Array; p: number } {
  const p = m.cols + (fitIntercept ? 1 : 0);
  const a = new Float64Array(m.rows * p);
  for (let i = 0; i < m.rows; i++) {
    for (let j = 0; j < m.cols; j++) a[i * p + j] = m.data[i * m.cols + j] as number;
    if (fitIntercept) a[i * p + m.cols] = 1;
  }
  return { a, p };
}

/** x · coef + intercept for every row of a dense matrix. @internal */
export function linearScores(m: DenseMatrix, s: LinearState): Float64Array {
  const out = new Float64Array(m.rows);
  for (let i = 0; i < m.rows; i++) {
    let z = s.intercept;
    for (let j = 0; j < m.cols; j++) z += (m.data[i * m.cols + j] as number) * (s.coef[j] as number);
    out[i] = z;
  }
  return out;
}

function makeFitted(params: Readonly<LinearRegressionParams>, state: LinearState): FittedLinearRegression {
  const n = state.coef.length;
  function predict(x: readonly (readonly number[])[]): number[];
  function predict(x: tf.Tensor2D): tf.Tensor1D;
  function predict(x: MatrixLike): number[] | tf.Tensor1D {
    const m = toDense(x, 'x', `${KIND}.predict`, { cols: n });
    const z = linearScores(m, state);
    return isTensor(x) ? tf.tensor1d(Float32Array.from(z)) : Array.from(z);
  }
  return Object.freeze({
    kind: KIND,
    params,
    state,
    nFeaturesIn: n,
    predict,
    toJSON: (): EstimatorJSON => ({ kind: KIND, version: 1, params: { ...params }, state: { coef: [...state.coef], intercept: state.intercept } }),
  });
}

/**
 * Linear regression (ordinary least squares, or ridge with `l2 > 0`), solved exactly in float64.
 * Equivalent to scikit-learn's `LinearRegression` / `Ridge(alpha=l2)`.
 *
 * @param params - {@link LinearRegressionParams}.
 * @throws {InvalidOptionError} for invalid params.
 * @example
 * ```ts
 * import { linearRegression } from 'finml';
 * const fitted = linearRegression().fit([[0], [1], [2]], [1, 3, 5]);
 * fitted.state.coef;        //=> [2]
 * fitted.predict([[3]]);    //=> [7]
 * ```
 * @category Models
 */
export function linearRegression(params: Partial<LinearRegressionParams> = {}): LinearRegression {
  const p = resolveOptions('linearRegression', params, DEFAULTS, RULES);
  return Object.freeze({
    kind: KIND,
    params: p,
    predict: notFitted(KIND, 'predict'),
    withParams: (patch: Partial<LinearRegressionParams>) => linearRegression({ ...p, ...patch }),
    fit(x: MatrixLike, y: VectorLike): FittedLinearRegression {
      const fn = `${KIND}.fit`;
      const m = toDense(x, 'x', fn);
      const t = toVector(y, 'y', fn, { length: m.rows });
      const { a, p: q } = augmented(m, p.fitIntercept);
      const xtx = new Float64Array(q * q);
      const xty = new Float64Array(q);
      for (let i = 0; i < m.rows; i++) {
        const yi = t[i] as number;
        for (let j = 0; j < q; j++) {
          const aij = a[i * q + j] as number;
          if (aij === 0) continue;
          xty[j] = (xty[j] as number) + aij * yi;
          for (let k = j; k < q; k++) xtx[j * q + k] = (xtx[j * q + k] as number) + aij * (a[i * q + k] as number);
        }
      }
      for (let j = 0; j < q; j++) for (let k = 0; k < j; k++) xtx[j * q + k] = xtx[k * q + j] as number;
      for (let j = 0; j < m.cols; j++) xtx[j * q + j] = (xtx[j * q + j] as number) + p.l2;
      const { x: w } = solveSpd(xtx, xty, q);
      const coef = Array.from(w.subarray(0, m.cols));
      return makeFitted(p, Object.freeze({ coef: Object.freeze(coef) as number[], intercept: p.fitIntercept ? (w[m.cols] as number) : 0 }));
    },
  });
}

/**
 * Restores a fitted {@link linearRegression} from its `toJSON()` envelope.
 * @param json - A parsed `FittedLinearRegression.toJSON()` envelope.
 * @returns the fitted model, predicting exactly like the one that was saved.
 * @throws {SerializationError} for a malformed envelope.
 * @example
 * ```ts
 * import { linearRegression, linearRegressionFromJSON } from 'finml';
 * const lr = linearRegression().fit([[0], [1], [2]], [1, 3, 5]);
 * const back = linearRegressionFromJSON(JSON.parse(JSON.stringify(lr.toJSON())));
 * back.predict([[3]]); //=> [7] (up to float rounding)
 * ```
 * @category Models
 */
export function linearRegressionFromJSON(json: unknown): FittedLinearRegression {
  const fn = 'linearRegressionFromJSON';
  const env = checkEnvelope(json, KIND, [1], fn);
  const params = paramsFromJSON<LinearRegressionParams>(fn, env.params, (q) => resolveOptions(fn, q, DEFAULTS, RULES));
  const coef = readNumberArray(env.state, 'coef', fn);
  const intercept = (env.state as { intercept?: unknown }).intercept;
  if (typeof intercept !== 'number' || !Number.isFinite(intercept)) {
    throw new SerializationError({ fn, arg: 'state.intercept', expected: 'a finite number', got: describeValue(intercept) });
  }
  return makeFitted(params, Object.freeze({ coef: Object.freeze([...coef]) as number[], intercept }));
}
