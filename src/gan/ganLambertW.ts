/**
 * Heavy-tail transform of returns for GANs: Lambert W × Gaussian (Goerg 2011, 2015), as used
 * by Quant GANs (Wiese et al. 2020) to gaussianize returns before training and to restore the
 * tails after sampling.
 *
 * @module
 */
import { DataError, InvalidOptionError, describeValue } from '../core/errors';

/**
 * Parameters of a heavy-tailed Lambert W × Gaussian distribution: `y = mu + sigma · u ·
 * exp(delta · u² / 2)` with `u ~ N(0, 1)`. `delta = 0` is the Gaussian; larger `delta` means
 * heavier tails (moments of order ≥ 1/delta do not exist).
 *
 * @category Models
 */
export interface LambertWParams {
  /** Location. */
  readonly mu: number;
  /** Scale (> 0). */
  readonly sigma: number;
  /** Tail parameter (≥ 0). */
  readonly delta: number;
}

/**
 * Options of {@link fitLambertW}.
 *
 * @category Models
 */
export interface FitLambertWOptions {
  /** Largest number of IGMM iterations (default 100). */
  readonly maxIter?: number;
  /** Convergence tolerance on the change of (mu, sigma, delta) (default 1e-8). */
  readonly tol?: number;
}

/**
 * Principal branch W₀ of the Lambert W function: the solution w ≥ -1 of `w · exp(w) = x`, for
 * x ≥ -1/e (Halley's iteration to machine precision).
 *
 * @param x - A number ≥ -1/e (-0.36787944117144233).
 * @returns W₀(x).
 * @throws {InvalidOptionError} `x` is not a number ≥ -1/e.
 * @example
 * ```ts
 * import { lambertW } from 'finml';
 * lambertW(Math.E); //=> 1
 * lambertW(0); //=> 0
 * ```
 * @category Models
 */
export function lambertW(x: number): number {
  if (typeof x !== 'number' || Number.isNaN(x) || x < -1 / Math.E - 1e-15) {
    throw new InvalidOptionError({ fn: 'lambertW', arg: 'x', expected: 'a number >= -1/e', got: describeValue(x) });
  }
  return w0(x);
}

/** W₀ without validation. */
function w0(x: number): number {
  if (x === 0) return 0;
  if (x === Infinity) return Infinity;
  if (x <= -1 / Math.E) return -1;
  let w: number;
  if (x < -0.25) {
    // series around the branch point
    const p = Math.sqrt(2 * (Math.E * x + 1));
    w = -1 + p - (p * p) / 3 + (11 / 72) * p * p * p;
  } else if (x < 3) {
    w = Math.log1p(x);
    if (x > 0.5) w = 0.5 * w + 0.1;
  } else {
    const l = Math.log(x);
    w = l - Math.log(l);
  }
  for (let i = 0; i < 100; i++) {
    const ew = Math.exp(w);
    const f = w * ew - x;
    const wp1 = w + 1;
    if (wp1 === 0) break;
    const step = f / (ew * wp1 - ((w + 2) * f) / (2 * wp1));
    const next = w - step;
    if (!Number.isFinite(next)) break;
    if (Math.abs(next - w) <= 1e-15 * (1 + Math.abs(next))) {
      w = next;
      break;
    }
    w = next;
  }
  return w;
}

/** u = sign(z) · sqrt(W₀(delta z²) / delta): the inverse of z = u · exp(delta u² / 2). */
function gaussianizeOne(z: number, delta: number): number {
  if (delta === 0 || z === 0) return z;
  return Math.sign(z) * Math.sqrt(w0(delta * z * z) / delta);
}

function kurtosisOf(v: Float64Array): number {
  let s = 0;
  for (const x of v) s += x;
  const m = s / v.length;
  let m2 = 0;
  let m4 = 0;
  for (const x of v) {
    const d = (x - m) * (x - m);
    m2 += d;
    m4 += d * d;
  }
  m2 /= v.length;
  m4 /= v.length;
  return m2 > 0 ? m4 / (m2 * m2) : 3;
}

/** The delta ≥ 0 for which W_delta(z) has kurtosis 3 (bisection; kurtosis falls as delta grows). */
function deltaForKurtosis3(z: Float64Array): number {
  const u = new Float64Array(z.length);
  const kurt = (delta: number): number => {
    for (let i = 0; i < z.length; i++) u[i] = gaussianizeOne(z[i] as number, delta);
    return kurtosisOf(u);
  };
  if (kurt(0) <= 3) return 0;
  let lo = 0;
  let hi = 1;
  while (kurt(hi) > 3 && hi < 64) hi *= 2;
  for (let i = 0; i < 200 && hi - lo > 1e-13 * Math.max(1, hi); i++) {
    const mid = 0.5 * (lo + hi);
    if (kurt(mid) > 3) lo = mid;
    else hi = mid;
  }
  return 0.5 * (lo + hi);
}

function toFloat64(x: ArrayLike<number>, arg: string, fn: string, min: number): Float64Array {
  if (x === null || typeof x !== 'object' || typeof x.length !== 'number') {
    throw new DataError({ fn, arg, expected: 'an array of finite numbers', got: describeValue(x) });
  }
  if (x.length < min) throw new DataError({ fn, arg, expected: `at least ${min} values`, got: `${x.length} values` });
  const v = new Float64Array(x.length);
  for (let i = 0; i < x.length; i++) {
    const e = x[i];
    if (typeof e !== 'number' || !Number.isFinite(e)) throw new DataError({ fn, arg, expected: 'finite numbers', got: `${describeValue(e)} at index ${i}` });
    v[i] = e;
  }
  return v;
}

function checkParams(p: LambertWParams, fn: string): void {
  const ok = p !== null && typeof p === 'object' && Number.isFinite(p.mu) && Number.isFinite(p.sigma) && p.sigma > 0 && Number.isFinite(p.delta) && p.delta >= 0;
  if (!ok) {
    throw new InvalidOptionError({ fn, arg: 'params', expected: '{ mu: finite, sigma: > 0, delta: >= 0 }', got: describeValue(p) });
  }
}

/**
 * Fits a heavy-tailed Lambert W × Gaussian distribution to a sample by Goerg's iterative
 * generalized method of moments (IGMM): starting from the median, the standard deviation and
 * delta = 0, repeat (1) z = (y - mu) / sigma, (2) delta = the value for which the gaussianized
 * z, `sign(z) · sqrt(W₀(delta z²) / delta)`, has kurtosis exactly 3 (0 when z is not
 * leptokurtic), (3) mu and sigma = mean and population standard deviation of the gaussianized
 * sample mapped back (`mu + sigma · u`), until the parameters stop changing.
 *
 * @param y - The sample (e.g. daily log returns), at least 4 finite values, not all equal.
 * @param options - {@link FitLambertWOptions}.
 * @returns The fitted {@link LambertWParams} (frozen; plain data, JSON-serialisable).
 * @throws {DataError} fewer than 4 values, non-finite values or a constant sample.
 * @throws {InvalidOptionError} bad `maxIter` / `tol`.
 * @example
 * ```ts
 * import { fitLambertW, lambertWGaussianize, lambertWHeavyTail } from 'finml';
 * const returns = [0.01, -0.02, 0.003, 0.08, -0.001, 0.004, -0.09, 0.002, 0.0, -0.005];
 * const p = fitLambertW(returns);
 * p.delta > 0; //=> true
 * const u = lambertWGaussianize(returns, p);   // ~N(0, 1): train the GAN on this
 * const back = lambertWHeavyTail(u, p);        // the returns again (up to rounding)
 * ```
 * @category Models
 */
export function fitLambertW(y: ArrayLike<number>, options: FitLambertWOptions = {}): LambertWParams {
  const fn = 'fitLambertW';
  const maxIter = options.maxIter ?? 100;
  const tol = options.tol ?? 1e-8;
  if (!Number.isInteger(maxIter) || maxIter < 1) throw new InvalidOptionError({ fn, arg: 'maxIter', expected: 'an integer >= 1', got: describeValue(maxIter) });
  if (typeof tol !== 'number' || !(tol > 0)) throw new InvalidOptionError({ fn, arg: 'tol', expected: 'a number > 0', got: describeValue(tol) });
  const v = toFloat64(y, 'y', fn, 4);
  const sorted = Float64Array.from(v).sort();
  const half = sorted.length >> 1;
  let mu = sorted.length % 2 === 1 ? (sorted[half] as number) : 0.5 * ((sorted[half - 1] as number) + (sorted[half] as number));
  let s = 0;
  for (const x of v) s += x;
  const mean = s / v.length;
  let ss = 0;
  for (const x of v) ss += (x - mean) * (x - mean);
  let sigma = Math.sqrt(ss / v.length);
  if (!(sigma > 0)) throw new DataError({ fn, arg: 'y', expected: 'a sample that is not constant', got: `${v.length} copies of ${v[0]}` });
  let delta = 0;
  const z = new Float64Array(v.length);
  for (let it = 0; it < maxIter; it++) {
    for (let i = 0; i < v.length; i++) z[i] = ((v[i] as number) - mu) / sigma;
    const d = deltaForKurtosis3(z);
    let m = 0;
    for (let i = 0; i < v.length; i++) m += mu + sigma * gaussianizeOne(z[i] as number, d);
    m /= v.length;
    let q = 0;
    for (let i = 0; i < v.length; i++) q += (mu + sigma * gaussianizeOne(z[i] as number, d) - m) ** 2;
    const sd = Math.sqrt(q / v.length);
    const change = Math.abs(m - mu) + Math.abs(sd - sigma) + Math.abs(d - delta);
    mu = m;
    sigma = sd;
    delta = d;
    if (change < tol * (1 + sigma)) break;
  }
  return Object.freeze({ mu, sigma, delta });
}

/**
 * Gaussianizes values with fitted {@link LambertWParams}: `u = W_delta((y - mu) / sigma)` with
 * `W_delta(z) = sign(z) · sqrt(W₀(delta z²) / delta)` (z itself when delta = 0). The result is
 * close to N(0, 1) when `y` follows the fitted distribution. Inverse of {@link lambertWHeavyTail}.
 *
 * @param y - Values (not modified).
 * @param params - From {@link fitLambertW}.
 * @returns A new array of gaussianized values.
 * @throws {DataError} non-finite values. @throws {InvalidOptionError} invalid params.
 * @example
 * ```ts
 * import { lambertWGaussianize } from 'finml';
 * lambertWGaussianize([0, 1], { mu: 0, sigma: 1, delta: 0 }); //=> [0, 1]
 * ```
 * @category Models
 */
export function lambertWGaussianize(y: ArrayLike<number>, params: LambertWParams): number[] {
  const fn = 'lambertWGaussianize';
  checkParams(params, fn);
  const v = toFloat64(y, 'y', fn, 0);
  return Array.from(v, (x) => gaussianizeOne((x - params.mu) / params.sigma, params.delta));
}

/**
 * Restores heavy tails: `y = mu + sigma · u · exp(delta · u² / 2)` (the Lambert W × Gaussian
 * forward transform; inverse of {@link lambertWGaussianize}). Apply it to GAN samples generated
 * in the gaussianized space.
 *
 * @param u - Gaussianized values (not modified).
 * @param params - From {@link fitLambertW}.
 * @returns A new array in the original units.
 * @throws {DataError} non-finite values. @throws {InvalidOptionError} invalid params.
 * @example
 * ```ts
 * import { lambertWHeavyTail } from 'finml';
 * lambertWHeavyTail([0, 2], { mu: 1, sigma: 2, delta: 0.5 })[1]; //=> 11.873127313836... (1 + 2 · 2 · e)
 * ```
 * @category Models
 */
export function lambertWHeavyTail(u: ArrayLike<number>, params: LambertWParams): number[] {
  const fn = 'lambertWHeavyTail';
  checkParams(params, fn);
  const v = toFloat64(u, 'u', fn, 0);
  return Array.from(v, (x) => params.mu + params.sigma * x * Math.exp((params.delta * x * x) / 2));
}
