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
import { solveSpd } from '../core/_internal/linalg';
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
  /**
   * Stop when the largest coefficient change is below this, or when the Newton decrement (the
   * predicted objective decrease) is below `1e-3 · tol` relative to the objective. @defaultValue 1e-10
   */
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
  /** Newton iterations used. */
  readonly iterations: number;
  /** Whether the Newton iterations met `tol` before `maxIter`. */
  readonly converged: boolean;
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
  /** Whether Newton's method met `tol` before `maxIter` (false: the coefficients are the last iterate). */
  readonly converged: boolean;
  /** Newton iterations used (the same as `state.iterations`). */
  readonly nIter: number;
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

const softplus = (z: number): number => (z > 0 ? z + Math.log1p(Math.exp(-z)) : Math.log1p(Math.exp(z)));
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
    converged: state.converged,
    nIter: state.iterations,
    predictProba,
    decisionFunction: (x: readonly (readonly number[])[]) => Array.from(scores(x, 'decisionFunction')),
    predict: (x: readonly (readonly number[])[]) => Array.from(scores(x, 'predict'), (z) => (z >= 0 ? 1 : 0)),
    toJSON: (): EstimatorJSON => ({
      kind: KIND,
      version: 1,
      params: { ...params },
      state: { coef: [...state.coef], intercept: state.intercept, iterations: state.iterations, converged: state.converged },
    }),
  });
}

/**
 * Binary logistic regression fitted to the exact optimum by Newton–Raphson (IRLS) in float64:
 * deterministic, no learning rate, no tensors. With `l2 = 1/C` it matches scikit-learn's
 * `LogisticRegression(C=C)`; with `l2 = 0` it matches `penalty=None`. Collinear inputs (e.g. a full
 * one-hot encoding plus intercept) are handled by a vanishing ridge jitter: predictions are those
 * of the unique optimum in prediction space. Every Newton step is halved until the penalized
 * objective does not rise, so the objective is monotone; `converged` and `nIter` report how the
 * iterations ended. Without a penalty, perfectly (or quasi-perfectly) separated classes have no
 * finite optimum: the fit stops with a DataError that suggests `l2`.
 *
 * @param params - `l2` penalty (1/C), `fitIntercept`, `maxIter`, `tol`: {@link LogisticRegressionParams}.
 * @returns a frozen spec; `fit(x, y)` returns a {@link FittedLogisticRegression}.
 * @throws {InvalidOptionError} for invalid params.
 * @throws {DataError} when `y` is not 0/1 or has a single class, or, with `l2 = 0`, when the classes
 *   are separated (some rows fitted exactly: no finite optimum; use `l2 > 0`).
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
      const n = m.rows;
      const objective = (w: Float64Array): { f: number; maxLoss: number; minLoss: number } => {
        let f = 0;
        let maxLoss = 0;
        let minLoss = Infinity;
        for (let i = 0; i < n; i++) {
          let z = 0;
          for (let j = 0; j < q; j++) z += (a[i * q + j] as number) * (w[j] as number);
          const loss = softplus(z) - (t[i] as number) * z;
          f += loss;
          maxLoss = Math.max(maxLoss, loss);
          minLoss = Math.min(minLoss, loss);
        }
        for (let j = 0; j < m.cols; j++) f += (p.l2 / 2) * (w[j] as number) ** 2;
        return { f, maxLoss, minLoss };
      };
      const w = new Float64Array(q);
      let cur = objective(w);
      let it = 0;
      let converged = false;
      const separated = (): DataError =>
        new DataError({
          fn,
          arg: 'x',
          expected: 'classes that no linear score separates perfectly when l2 = 0 (or set an L2 penalty, e.g. logisticRegression({ l2: 1 }))',
          got: `perfectly separated classes: the unpenalized log-likelihood has no finite optimum (coefficients grow without bound; log loss ${(cur.f / n).toExponential(2)} after ${it} Newton iterations)`,
        });
      while (it < p.maxIter) {
        it++;
        const h = new Float64Array(q * q);
        const g = new Float64Array(q);
        for (let i = 0; i < n; i++) {
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
        let decrement = 0;
        for (let j = 0; j < q; j++) {
          maxStep = Math.max(maxStep, Math.abs(step[j] as number));
          decrement += (g[j] as number) * (step[j] as number);
        }
        if (!Number.isFinite(maxStep)) break;
        // Step halving: the penalized objective never rises (beyond float rounding of its sum).
        const slack = 1e-13 * Math.max(1, Math.abs(cur.f));
        let t0 = 1;
        let next = Float64Array.from(w, (v, j) => v + (step[j] as number));
        let cand = objective(next);
        while (!(cand.f <= cur.f + slack) && t0 > 1e-12) {
          t0 /= 2;
          next = Float64Array.from(w, (v, j) => v + t0 * (step[j] as number));
          cand = objective(next);
        }
        if (!(cand.f <= cur.f + slack)) {
          // No decrease along the Newton direction: at the optimum up to rounding.
          converged = maxStep < Math.sqrt(p.tol);
          break;
        }
        w.set(next);
        cur = cand;
        // Converged: the coefficients stopped moving, or (collinear columns, where the ridge jitter lets
        // them drift in the null space) the Newton decrement is at rounding level of the objective.
        // Without a penalty, every row fitted to within 1e-12 of its label: complete separation.
        if (p.l2 === 0 && cur.maxLoss < 1e-12) throw separated();
        // The decrement test is not used while a row is fitted exactly (possible quasi-separation, where
        // the objective flattens out while the coefficients keep growing).
        const exactRow = p.l2 === 0 && cur.minLoss < 1e-9;
        if (t0 * maxStep < p.tol || (!exactRow && t0 === 1 && decrement < 1e-3 * p.tol * Math.max(1, Math.abs(cur.f)))) {
          converged = true;
          break;
        }
      }
      // Every row fitted to within 1e-9 of its label: complete separation (a finite optimum leaves residuals).
      if (p.l2 === 0 && cur.maxLoss < 1e-9) throw separated();
      // Quasi-separation: Newton (which converges in a handful of steps on a finite optimum) is still
      // moving after 25+ iterations and some rows are fitted exactly: the optimum lies at infinity.
      if (!converged && p.l2 === 0 && it >= 25) {
        let exact = 0;
        for (let i = 0; i < n; i++) {
          let z = 0;
          for (let j = 0; j < q; j++) z += (a[i * q + j] as number) * (w[j] as number);
          if (softplus(z) - (t[i] as number) * z < 1e-9) exact++;
        }
        if (exact > 0) throw separated();
      }
      const coef = Object.freeze(Array.from(w.subarray(0, m.cols))) as number[];
      return makeFitted(p, Object.freeze({ coef, intercept: p.fitIntercept ? (w[m.cols] as number) : 0, iterations: it, converged }));
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
  const st = env.state as { intercept?: unknown; iterations?: unknown; converged?: unknown };
  if (typeof st.intercept !== 'number' || !Number.isFinite(st.intercept)) {
    throw new SerializationError({ fn, arg: 'state.intercept', expected: 'a finite number', got: describeValue(st.intercept) });
  }
  const iterations = typeof st.iterations === 'number' ? st.iterations : 0;
  // Envelopes written before `converged` existed: the fit ran Newton to tol or maxIter, unknown which.
  const converged = typeof st.converged === 'boolean' ? st.converged : iterations < params.maxIter;
  return makeFitted(params, Object.freeze({ coef: Object.freeze([...coef]) as number[], intercept: st.intercept, iterations, converged }));
}
