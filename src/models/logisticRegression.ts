/**
 * Binary logistic regression fitted exactly by Newton's method (IRLS) in float64.
 *
 * @module
 */
import * as tf from '@tensorflow/tfjs-core';
import { checkEnvelope, notFitted, paramsFromJSON, readNumberArray, type EstimatorJSON } from '../core/estimator';
import { DataError, SerializationError, describeValue } from '../core/errors';
import { isTensor, toDense, toVector, type MatrixLike, type VectorLike } from '../core/matrix';
import { resolveOptions, rules } from '../core/options';
import { solveSpd } from '../_lib/linalg';
import { augmented, linearScores, type LinearState } from './linearRegression';

/**
 * Parameters of {@link logisticRegression}.
 *
 * @category Models
 */
export interface LogisticRegressionParams {
  /**
   * L2 penalty `l2/2 · ||coef||²` added to the summed log loss (intercept not penalized);
   * scikit-learn's `C` is `1 / l2`. 0 = unregularized. @defaultValue 0
   */
  readonly l2: number;
  /** Fit an intercept. @defaultValue true */
  readonly fitIntercept: boolean;
  /** Maximum Newton iterations. @defaultValue 100 */
  readonly maxIter: number;
  /** Stop when the largest coefficient change is below this. @defaultValue 1e-10 */
  readonly tol: number;
}

const DEFAULTS: LogisticRegressionParams = { l2: 0, fitIntercept: true, maxIter: 100, tol: 1e-10 };
const RULES = {
  l2: rules.number({ min: 0 }),
  fitIntercept: rules.boolean(),
  maxIter: rules.int({ min: 1 }),
  tol: rules.number({ min: 0, exclusiveMin: true }),
};
const KIND = 'LogisticRegression';

/**
 * Fitted state: coefficients on the log-odds scale, and Newton iterations used.
 *
 * @category Models
 */
export interface LogisticState extends LinearState {
  readonly iterations: number;
}

/**
 * A fitted {@link logisticRegression}.
 *
 * @category Models
 */
export interface FittedLogisticRegression {
  readonly kind: 'LogisticRegression';
  readonly params: Readonly<LogisticRegressionParams>;
  readonly state: LogisticState;
  readonly nFeaturesIn: number;
  /** P(y = 1) per row (array in → number[]; tensor in → new Tensor1D owned by the caller). */
  predictProba(x: readonly (readonly number[])[]): number[];
  /** Tensor form: a new `tf.Tensor1D` of P(y = 1), owned by the caller (the input is not disposed). */
  predictProba(x: tf.Tensor2D): tf.Tensor1D;
  /** Log-odds per row. */
  decisionFunction(x: readonly (readonly number[])[]): number[];
  /** 0/1 labels at threshold 0.5. */
  predict(x: readonly (readonly number[])[]): number[];
  /** Serialises the fitted state to the finml envelope `{ kind, version, params, state }` (JSON values only). */
  toJSON(): EstimatorJSON;
}

/**
 * Unfitted {@link logisticRegression} spec.
 *
 * @category Models
 */
export interface LogisticRegression {
  readonly kind: 'LogisticRegression';
  readonly params: Readonly<LogisticRegressionParams>;
  /** Fits the (L2-penalised) logistic regression on `x` and 0/1 labels `y`. @throws {ShapeError} @throws {DataError} */
  fit(x: MatrixLike, y: VectorLike): FittedLogisticRegression;
  /** A new spec with the given params replaced (validated like the factory); this spec is unchanged. */
  withParams(patch: Partial<LogisticRegressionParams>): LogisticRegression;
  /** Not available before `fit`: throws NotFittedError. */
  readonly predictProba: (...args: never[]) => never;
  /** Not available before `fit`: throws NotFittedError. */
  readonly predict: (...args: never[]) => never;
}

const sigmoid = (z: number): number => (z >= 0 ? 1 / (1 + Math.exp(-z)) : Math.exp(z) / (1 + Math.exp(z)));

function makeFitted(params: Readonly<LogisticRegressionParams>, state: LogisticState): FittedLogisticRegression {
  const n = state.coef.length;
  const scores = (x: MatrixLike, method: string): Float64Array => linearScores(toDense(x, 'x', `${KIND}.${method}`, { cols: n }), state);
  function predictProba(x: readonly (readonly number[])[]): number[];
  function predictProba(x: tf.Tensor2D): tf.Tensor1D;
  function predictProba(x: MatrixLike): number[] | tf.Tensor1D {
    const p = scores(x, 'predictProba').map(sigmoid);
    return isTensor(x) ? tf.tensor1d(Float32Array.from(p)) : Array.from(p);
  }
  return Object.freeze({
    kind: KIND,
    params,
    state,
    nFeaturesIn: n,
    predictProba,
    decisionFunction: (x: readonly (readonly number[])[]) => Array.from(scores(x, 'decisionFunction')),
    predict: (x: readonly (readonly number[])[]) => Array.from(scores(x, 'predict'), (z) => (z >= 0 ? 1 : 0)),
    toJSON: (): EstimatorJSON => ({
      kind: KIND,
      version: 1,
      params: { ...params },
      state: { coef: [...state.coef], intercept: state.intercept, iterations: state.iterations },
    }),
  });
}

/**
 * Binary logistic regression fitted to the exact optimum by Newton–Raphson (IRLS) in float64:
 * deterministic, no learning rate, no tensors. With `l2 = 1/C` it matches scikit-learn's
 * `LogisticRegression(C=C)`; with `l2 = 0` it matches `penalty=None`. Collinear inputs (e.g. a full
 * one-hot encoding plus intercept) are handled by a vanishing ridge jitter: predictions are those
 * of the unique optimum in prediction space.
 *
 * @param params - `l2` penalty (1/C), `fitIntercept`, `maxIter`, `tol`: {@link LogisticRegressionParams}.
 * @returns a frozen spec; `fit(x, y)` returns a {@link FittedLogisticRegression}.
 * @throws {InvalidOptionError} for invalid params.
 * @throws {DataError} when `y` is not 0/1 or has a single class.
 * @example
 * ```ts
 * import { logisticRegression } from 'finml';
 * const lr = logisticRegression({ l2: 1 }).fit([[0], [1], [2], [3]], [0, 0, 1, 1]);
 * lr.predictProba([[1.5]]); //=> [0.5]
 * ```
 * @category Models
 */
export function logisticRegression(params: Partial<LogisticRegressionParams> = {}): LogisticRegression {
  const p = resolveOptions('logisticRegression', params, DEFAULTS, RULES);
  return Object.freeze({
    kind: KIND,
    params: p,
    predictProba: notFitted(KIND, 'predictProba'),
    predict: notFitted(KIND, 'predict'),
    withParams: (patch: Partial<LogisticRegressionParams>) => logisticRegression({ ...p, ...patch }),
    fit(x: MatrixLike, y: VectorLike): FittedLogisticRegression {
      const fn = `${KIND}.fit`;
      const m = toDense(x, 'x', fn);
      const t = toVector(y, 'y', fn, { length: m.rows });
      let pos = 0;
      for (let i = 0; i < t.length; i++) {
        const v = t[i] as number;
        if (v !== 0 && v !== 1) throw new DataError({ fn, arg: 'y', expected: 'labels 0 or 1', got: `${describeValue(v)} at index ${i}` });
        pos += v;
      }
      if (pos === 0 || pos === t.length) {
        throw new DataError({ fn, arg: 'y', expected: 'both classes 0 and 1', got: `only class ${pos === 0 ? 0 : 1}` });
      }
      const { a, p: q } = augmented(m, p.fitIntercept);
      const w = new Float64Array(q);
      let it = 0;
      for (; it < p.maxIter; it++) {
        const h = new Float64Array(q * q);
        const g = new Float64Array(q);
        for (let i = 0; i < m.rows; i++) {
          let z = 0;
          for (let j = 0; j < q; j++) z += (a[i * q + j] as number) * (w[j] as number);
          const pi = sigmoid(z);
          const r = (t[i] as number) - pi;
          const wi = Math.max(pi * (1 - pi), 1e-12);
          for (let j = 0; j < q; j++) {
            const aij = a[i * q + j] as number;
            if (aij === 0) continue;
            g[j] = (g[j] as number) + aij * r;
            for (let k = j; k < q; k++) h[j * q + k] = (h[j * q + k] as number) + wi * aij * (a[i * q + k] as number);
          }
        }
        for (let j = 0; j < q; j++) for (let k = 0; k < j; k++) h[j * q + k] = h[k * q + j] as number;
        for (let j = 0; j < m.cols; j++) {
          h[j * q + j] = (h[j * q + j] as number) + p.l2;
          g[j] = (g[j] as number) - p.l2 * (w[j] as number);
        }
        const { x: step } = solveSpd(h, g, q);
        let maxStep = 0;
        for (let j = 0; j < q; j++) {
          w[j] = (w[j] as number) + (step[j] as number);
          maxStep = Math.max(maxStep, Math.abs(step[j] as number));
        }
        if (!Number.isFinite(maxStep)) {
          throw new DataError({ fn, arg: 'x', expected: 'data on which the log-likelihood has a finite optimum (use l2 > 0 for separable data)', got: 'diverging coefficients' });
        }
        if (maxStep < p.tol) {
          it++;
          break;
        }
      }
      const coef = Object.freeze(Array.from(w.subarray(0, m.cols))) as number[];
      return makeFitted(p, Object.freeze({ coef, intercept: p.fitIntercept ? (w[m.cols] as number) : 0, iterations: it }));
    },
  });
}

/**
 * Restores a fitted {@link logisticRegression} from its `toJSON()` envelope.
 * @param json - A parsed `FittedLogisticRegression.toJSON()` envelope.
 * @returns the fitted model, predicting exactly like the one that was saved.
 * @throws {SerializationError} for a malformed envelope.
 * @example
 * ```ts
 * import { logisticRegression, logisticRegressionFromJSON } from 'finml';
 * const lr = logisticRegression({ l2: 1 }).fit([[0], [1], [2], [3]], [0, 0, 1, 1]);
 * const back = logisticRegressionFromJSON(JSON.parse(JSON.stringify(lr.toJSON())));
 * back.predictProba([[1.5]]); //=> [0.5] (up to float rounding)
 * ```
 * @category Models
 */
export function logisticRegressionFromJSON(json: unknown): FittedLogisticRegression {
  const fn = 'logisticRegressionFromJSON';
  const env = checkEnvelope(json, KIND, [1], fn);
  const params = paramsFromJSON<LogisticRegressionParams>(fn, env.params, (q) => resolveOptions(fn, q, DEFAULTS, RULES));
  const coef = readNumberArray(env.state, 'coef', fn);
  const st = env.state as { intercept?: unknown; iterations?: unknown };
  if (typeof st.intercept !== 'number' || !Number.isFinite(st.intercept)) {
    throw new SerializationError({ fn, arg: 'state.intercept', expected: 'a finite number', got: describeValue(st.intercept) });
  }
  const iterations = typeof st.iterations === 'number' ? st.iterations : 0;
  return makeFitted(params, Object.freeze({ coef: Object.freeze([...coef]) as number[], intercept: st.intercept, iterations }));
}
