import { DataError } from '../core/errors';
import { checkBinary, checkBothClasses, checkProbabilities, pair } from './_internal/metricInputs';
import type { MetricInput } from './types';

/**
 * Result of {@link logisticCalibration}.
 * @category Metrics
 */
export interface LogisticCalibration {
  /** Calibration slope `b` of the logistic recalibration `logit P(y = 1) = a + b · logit(p)`: 1 is ideal, < 1 means over-confident (too extreme), > 1 means squeezed toward the mean. */
  readonly slope: number;
  /** Intercept `a` of the same joint fit (0 together with slope 1 is ideal). */
  readonly intercept: number;
  /** Calibration-in-the-large: the intercept `a` of `logit P(y = 1) = a + logit(p)` (slope fixed at 1, logit(p) as offset); > 0 means the PDs are too low on average. */
  readonly interceptInTheLarge: number;
}

const EPS = 1e-15;
const logit = (p: number): number => {
  const q = Math.min(Math.max(p, EPS), 1 - EPS);
  return Math.log(q / (1 - q));
};
const softplus = (z: number): number => (z > 0 ? z + Math.log1p(Math.exp(-z)) : Math.log1p(Math.exp(z)));
const sigmoid = (z: number): number => (z >= 0 ? 1 / (1 + Math.exp(-z)) : Math.exp(z) / (1 + Math.exp(z)));

/** Negative log-likelihood of y given log-odds a + b·z (b fixed when `free` is false). */
function nll(t: Float64Array, z: Float64Array, a: number, b: number): number {
  let s = 0;
  for (let i = 0; i < t.length; i++) {
    const eta = a + b * (z[i] as number);
    s += softplus(eta) - (t[i] as number) * eta;
  }
  return s;
}

/**
 * Newton's method with step halving on the logistic log-likelihood of y given `a + b·z`
 * (`b` fitted when `fitSlope`, else fixed at 1). Throws DataError when the optimum is not finite
 * (the scores separate the classes perfectly).
 */
function fitLogit(t: Float64Array, z: Float64Array, fitSlope: boolean, fn: string): { a: number; b: number } {
  let a = 0;
  let b = 1;
  let f = nll(t, z, a, b);
  for (let it = 0; it < 200; it++) {
    let ga = 0;
    let gb = 0;
    let haa = 0;
    let hab = 0;
    let hbb = 0;
    for (let i = 0; i < t.length; i++) {
      const zi = z[i] as number;
      const pi = sigmoid(a + b * zi);
      const r = (t[i] as number) - pi;
      const w = pi * (1 - pi);
      ga += r;
      gb += r * zi;
      haa += w;
      hab += w * zi;
      hbb += w * zi * zi;
    }
    let da: number;
    let db: number;
    if (fitSlope) {
      const det = haa * hbb - hab * hab;
      da = (hbb * ga - hab * gb) / det;
      db = (haa * gb - hab * ga) / det;
    } else {
      da = ga / haa;
      db = 0;
    }
    if (!Number.isFinite(da) || !Number.isFinite(db)) break;
    let step = 1;
    let fNew = nll(t, z, a + da, b + db);
    while (!(fNew <= f) && step > 1e-10) {
      step /= 2;
      fNew = nll(t, z, a + step * da, b + step * db);
    }
    if (!(fNew <= f)) break;
    a += step * da;
    b += step * db;
    const done = Math.abs(step * da) < 1e-12 * (1 + Math.abs(a)) && Math.abs(step * db) < 1e-12 * (1 + Math.abs(b));
    f = fNew;
    if (done) break;
  }
  if (!Number.isFinite(a) || !Number.isFinite(b) || Math.abs(a) > 1e6 || Math.abs(b) > 1e6) {
    throw new DataError({ fn, arg: 'yProb', expected: 'scores that do not separate the two classes perfectly (the recalibration needs a finite optimum)', got: `diverging coefficients (slope ${b}, intercept ${a})` });
  }
  return { a, b };
}

/**
 * Logistic recalibration of predicted probabilities (Cox 1958): fits
 * `logit P(y = 1) = intercept + slope · logit(p)` by maximum likelihood (what statsmodels'
 * `Logit(y, [1, logit p])` fits), and the calibration-in-the-large intercept with the slope fixed
 * at 1 (`GLM(y, 1, offset = logit p)`). Probabilities are clipped to [1e-15, 1 − 1e-15] before
 * the logit. A well calibrated model has slope 1 and intercepts 0.
 *
 * @param yTrue - True binary labels 0/1 (both classes present).
 * @param yProb - Predicted probabilities of class 1, in [0, 1].
 * @returns a {@link LogisticCalibration} `{ slope, intercept, interceptInTheLarge }`.
 * @throws {ShapeError} when the lengths differ.
 * @throws {DataError} on empty input, NaN/Infinity, labels other than 0/1 or a single class,
 *   probabilities outside [0, 1], or scores that separate the classes perfectly (no finite slope).
 * @example
 * ```ts
 * import { logisticCalibration } from 'finml';
 * const y = [0, 0, 1, 0, 1, 1];
 * const c = logisticCalibration(y, [0.2, 0.4, 0.4, 0.6, 0.6, 0.8]);
 * Number(c.slope.toFixed(4)); //=> 1.6372
 * const flat = logisticCalibration(y, [0.5, 0.5, 0.5, 0.5, 0.5, 0.5]);
 * Number(flat.interceptInTheLarge.toFixed(12)); //=> 0
 * ```
 * @category Metrics
 */
export function logisticCalibration(yTrue: MetricInput, yProb: MetricInput): LogisticCalibration {
  const fn = 'logisticCalibration';
  const [t, p] = pair(yTrue, yProb, fn, ['yTrue', 'yProb']);
  checkBinary(t, 'yTrue', fn);
  checkBothClasses(t, 'yTrue', fn);
  checkProbabilities(p, 'yProb', fn);
  const z = p.map(logit);
  let constant = true;
  for (let i = 1; i < z.length; i++) if (z[i] !== z[0]) constant = false;
  const itl = fitLogit(t, z, false, fn).a;
  if (constant) {
    // One distinct score: the slope is not identified; report slope 0 and the intercept of the base rate.
    let pos = 0;
    for (let i = 0; i < t.length; i++) pos += t[i] as number;
    return Object.freeze({ slope: 0, intercept: Math.log(pos / (t.length - pos)), interceptInTheLarge: itl });
  }
  let max0 = -Infinity;
  let min0 = Infinity;
  let max1 = -Infinity;
  let min1 = Infinity;
  z.forEach((v, i) => {
    if (t[i] === 1) {
      max1 = Math.max(max1, v);
      min1 = Math.min(min1, v);
    } else {
      max0 = Math.max(max0, v);
      min0 = Math.min(min0, v);
    }
  });
  if (max0 <= min1 || max1 <= min0) {
    throw new DataError({ fn, arg: 'yProb', expected: 'scores that do not separate the two classes perfectly (the recalibration slope needs a finite optimum)', got: 'every class-1 score on one side of every class-0 score' });
  }
  const { a, b } = fitLogit(t, z, true, fn);
  return Object.freeze({ slope: b, intercept: a, interceptInTheLarge: itl });
}
