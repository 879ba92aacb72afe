/**
 * Univariate Parzen estimators used by the Tree-structured Parzen Estimator (Bergstra et al., 2011):
 * mixtures of truncated normals for numeric dimensions (adaptive bandwidths as in hyperopt) and
 * smoothed frequency tables for categorical ones.
 */
import type { Rng } from '../random';

/** erf(x) with |error| < 1.2e-7 (Numerical Recipes' erfc Chebyshev fit). */
export function erf(x: number): number {
  const z = Math.abs(x);
  const t = 1 / (1 + 0.5 * z);
  const r =
    t *
    Math.exp(
      -z * z -
        1.26551223 +
        t * (1.00002368 + t * (0.37409196 + t * (0.09678418 + t * (-0.18628806 + t * (0.27886807 + t * (-1.13520398 + t * (1.48851587 + t * (-0.82215223 + t * 0.17087277)))))))),
    );
  return x >= 0 ? 1 - r : r - 1;
}

/** Standard normal CDF. */
export function normCdf(x: number): number {
  return 0.5 * (1 + erf(x / Math.SQRT2));
}

/** A mixture of normals truncated to [lo, hi]. */
export interface ParzenMixture {
  readonly lo: number;
  readonly hi: number;
  readonly mus: Float64Array;
  readonly sigmas: Float64Array;
  /** Normalised weights. */
  readonly weights: Float64Array;
  /** Mass of each component inside [lo, hi]. */
  readonly mass: Float64Array;
}

/**
 * hyperopt's adaptive Parzen estimator: one component per observation plus a prior component
 * (centre of the range, sigma = range) of weight `priorWeight`; each observation's bandwidth is the
 * larger gap to its sorted neighbours, clipped to [range / min(100, n + 1), range].
 */
export function buildParzen(obs: readonly number[], lo: number, hi: number, priorWeight: number): ParzenMixture {
  const range = hi - lo;
  const priorMu = 0.5 * (lo + hi);
  const pts = obs.map((mu) => ({ mu, prior: false, w: 1 }));
  pts.push({ mu: priorMu, prior: true, w: priorWeight });
  pts.sort((a, b) => a.mu - b.mu || Number(a.prior) - Number(b.prior));
  const n = pts.length;
  const minSigma = range / Math.min(100, obs.length + 1);
  const mus = new Float64Array(n);
  const sigmas = new Float64Array(n);
  const weights = new Float64Array(n);
  const mass = new Float64Array(n);
  let wsum = 0;
  for (let i = 0; i < n; i++) {
    const p = pts[i] as { mu: number; prior: boolean; w: number };
    mus[i] = p.mu;
    let s: number;
    if (p.prior) {
      s = range;
    } else {
      const left = i > 0 ? p.mu - (pts[i - 1] as { mu: number }).mu : 0;
      const right = i < n - 1 ? (pts[i + 1] as { mu: number }).mu - p.mu : 0;
      s = Math.min(range, Math.max(minSigma, left, right));
    }
    sigmas[i] = s;
    weights[i] = p.w;
    wsum += p.w;
    mass[i] = Math.max(1e-12, normCdf((hi - p.mu) / s) - normCdf((lo - p.mu) / s));
  }
  for (let i = 0; i < n; i++) weights[i] = (weights[i] as number) / wsum;
  return { lo, hi, mus, sigmas, weights, mass };
}

/** Log density of the truncated mixture at x (continuous dimensions). */
export function parzenLogPdf(m: ParzenMixture, x: number): number {
  let p = 0;
  for (let i = 0; i < m.mus.length; i++) {
    const s = m.sigmas[i] as number;
    const z = (x - (m.mus[i] as number)) / s;
    p += ((m.weights[i] as number) * Math.exp(-0.5 * z * z)) / (s * Math.sqrt(2 * Math.PI) * (m.mass[i] as number));
  }
  return Math.log(Math.max(p, 1e-300));
}

/** Log probability mass of the truncated mixture on [a, b] (integer dimensions: [k - 0.5, k + 0.5]). */
export function parzenLogMass(m: ParzenMixture, a: number, b: number): number {
  let p = 0;
  for (let i = 0; i < m.mus.length; i++) {
    const s = m.sigmas[i] as number;
    const mu = m.mus[i] as number;
    p += ((m.weights[i] as number) * (normCdf((b - mu) / s) - normCdf((a - mu) / s))) / (m.mass[i] as number);
  }
  return Math.log(Math.max(p, 1e-300));
}

/** Draws from the truncated mixture: pick a component by weight, then rejection-sample inside [lo, hi]. */
export function parzenSample(m: ParzenMixture, rng: Rng): number {
  const u = rng.next();
  let acc = 0;
  let k = m.weights.length - 1;
  for (let i = 0; i < m.weights.length; i++) {
    acc += m.weights[i] as number;
    if (u < acc) {
      k = i;
      break;
    }
  }
  const mu = m.mus[k] as number;
  const s = m.sigmas[k] as number;
  // Every centre lies inside [lo, hi] and sigma <= range, so acceptance is >= 34% per draw.
  for (let t = 0; t < 128; t++) {
    const x = mu + s * rng.normal();
    if (x >= m.lo && x <= m.hi) return x;
  }
  return Math.min(m.hi, Math.max(m.lo, mu));
}

/** Smoothed categorical distribution: p(k) ∝ count(k) + priorWeight / K. */
export function categoricalProbs(obs: readonly number[], k: number, priorWeight: number): Float64Array {
  const p = new Float64Array(k).fill(priorWeight / k);
  for (const i of obs) p[i] = (p[i] as number) + 1;
  let s = 0;
  for (const v of p) s += v;
  for (let i = 0; i < k; i++) p[i] = (p[i] as number) / s;
  return p;
}

/** Draws an index from a probability table. */
export function categoricalSample(p: Float64Array, rng: Rng): number {
  const u = rng.next();
  let acc = 0;
  for (let i = 0; i < p.length; i++) {
    acc += p[i] as number;
    if (u < acc) return i;
  }
  return p.length - 1;
}
