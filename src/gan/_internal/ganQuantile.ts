/**
 * Per-column quantile (normal-score) transform of tabularGan: each column is mapped to N(0, 1)
 * through its empirical distribution, ties dequantized (a value of probability mass [c_{i-1}, c_i)
 * is sent to a uniform draw in that interval), and mapped back by the empirical quantile function,
 * so discrete and integer-coded columns keep their exact values and frequencies.
 * @internal
 */
import type { Rng } from '../../core/random';
import { normCdf } from '../../core/_internal/parzen';

/** The distribution table of one column. */
export interface QuantileTable {
  /** Knots (distinct values, or quantiles when compressed), increasing. */
  readonly values: readonly number[];
  /** Cumulative probability at each knot (the last one is 1); increasing. */
  readonly cdf: readonly number[];
  /** True when the knots are quantiles of a column with more distinct values than the cap: mapped by interpolation. */
  readonly interpolate: boolean;
}

const P_MIN = 1e-7;

/** Inverse standard normal CDF (Acklam's rational approximation, relative error < 1.2e-9). */
export function normalQuantile(p: number): number {
  const a = [-3.969683028665376e1, 2.209460984245205e2, -2.759285104469687e2, 1.38357751867269e2, -3.066479806614716e1, 2.506628277459239];
  const b = [-5.447609879822406e1, 1.615858368580409e2, -1.556989798598866e2, 6.680131188771972e1, -1.328068155288572e1];
  const c = [-7.784894002430293e-3, -3.223964580411365e-1, -2.400758277161838, -2.549732539343734, 4.374664141464968, 2.938163982698783];
  const d = [7.784695709041462e-3, 3.224671290700398e-1, 2.445134137142996, 3.754408661907416];
  const q0 = Math.min(1 - P_MIN, Math.max(P_MIN, p));
  const lo = 0.02425;
  const poly = (k: readonly number[], x: number): number => k.reduce((acc, v) => acc * x + v, 0);
  if (q0 < lo) {
    const q = Math.sqrt(-2 * Math.log(q0));
    return poly(c, q) / (poly(d, q) * q + 1);
  }
  if (q0 > 1 - lo) {
    const q = Math.sqrt(-2 * Math.log(1 - q0));
    return -poly(c, q) / (poly(d, q) * q + 1);
  }
  const q = q0 - 0.5;
  const r = q * q;
  return (poly(a, r) * q) / (poly(b, r) * r + 1);
}

/** Builds the table of a column (values sorted inside); at most `maxKnots` knots. */
export function quantileTable(column: Float64Array, maxKnots: number): QuantileTable {
  const s = Float64Array.from(column).sort();
  const n = s.length;
  const values: number[] = [];
  const cdf: number[] = [];
  for (let i = 0; i < n; i++) {
    if (i + 1 < n && s[i + 1] === s[i]) continue;
    values.push(s[i] as number);
    cdf.push((i + 1) / n);
  }
  if (values.length <= maxKnots) return Object.freeze({ values: Object.freeze(values), cdf: Object.freeze(cdf), interpolate: false });
  const qv: number[] = [];
  const qc: number[] = [];
  for (let k = 0; k < maxKnots; k++) {
    const p = k / (maxKnots - 1);
    const pos = p * (n - 1);
    const i = Math.floor(pos);
    const f = pos - i;
    const v = i + 1 < n ? (s[i] as number) * (1 - f) + (s[i + 1] as number) * f : (s[n - 1] as number);
    if (qv.length > 0 && v <= (qv[qv.length - 1] as number)) continue;
    qv.push(v);
    qc.push(p);
  }
  return Object.freeze({ values: Object.freeze(qv), cdf: Object.freeze(qc), interpolate: true });
}

/** Largest index i with values[i] <= x, or -1. */
function floorIndex(values: readonly number[], x: number): number {
  let lo = 0;
  let hi = values.length - 1;
  if (x < (values[0] as number)) return -1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if ((values[mid] as number) <= x) lo = mid;
    else hi = mid - 1;
  }
  return lo;
}

/**
 * Probability of x under the table: for a knot of a discrete table, a uniform draw in its mass
 * interval (`rng`), or the interval's midpoint without rng; between knots, linear interpolation.
 */
export function toProbability(t: QuantileTable, x: number, rng: Rng | null): number {
  const i = floorIndex(t.values, x);
  const k = t.values.length;
  if (t.interpolate) {
    if (i < 0) return 0;
    if (i >= k - 1) return 1;
    const v0 = t.values[i] as number;
    const v1 = t.values[i + 1] as number;
    return (t.cdf[i] as number) + ((x - v0) / (v1 - v0)) * ((t.cdf[i + 1] as number) - (t.cdf[i] as number));
  }
  if (i < 0) return 0;
  const hi = t.cdf[i] as number;
  const lo = i === 0 ? 0 : (t.cdf[i - 1] as number);
  if (x === t.values[i]) return rng === null ? 0.5 * (lo + hi) : lo + (hi - lo) * rng.next();
  return hi;
}

/** The value of probability p: step inverse (a knot) for discrete tables, interpolation otherwise. */
export function fromProbability(t: QuantileTable, p: number): number {
  const k = t.values.length;
  if (t.interpolate) {
    if (p <= (t.cdf[0] as number)) return t.values[0] as number;
    let i = 0;
    while (i < k - 1 && (t.cdf[i + 1] as number) < p) i++;
    if (i >= k - 1) return t.values[k - 1] as number;
    const c0 = t.cdf[i] as number;
    const c1 = t.cdf[i + 1] as number;
    return (t.values[i] as number) + ((p - c0) / (c1 - c0)) * ((t.values[i + 1] as number) - (t.values[i] as number));
  }
  let lo = 0;
  let hi = k - 1;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if ((t.cdf[mid] as number) <= p) lo = mid + 1;
    else hi = mid;
  }
  return t.values[lo] as number;
}

/** Normal score of x. */
export function quantileForward(t: QuantileTable, x: number, rng: Rng | null): number {
  return normalQuantile(toProbability(t, x, rng));
}

/** Back from a normal score. */
export function quantileInverse(t: QuantileTable, z: number): number {
  return fromProbability(t, normCdf(z));
}
