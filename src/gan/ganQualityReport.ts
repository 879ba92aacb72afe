/**
 * How realistic are synthetic returns? Stylised facts of real vs synthetic series.
 *
 * @module
 */
import { DataError, InvalidOptionError, ShapeError, describeValue } from '../core/errors';
import { arMse, discriminativeAccuracy, fitAr } from './_internal/ganQuality';
import { mean } from '../core/_internal/stats';

/**
 * Returns to compare: one series, or several series (one per row, time along the row).
 *
 * @category Models
 */
export type ReturnSeries = readonly number[] | Float64Array | Float32Array | readonly (readonly number[])[];

/**
 * Distribution and dependence statistics of one sample of returns.
 *
 * @category Models
 */
export interface ReturnStats {
  /** Number of values (all series pooled). */
  readonly n: number;
  readonly mean: number;
  /** Sample standard deviation (n - 1 denominator). */
  readonly std: number;
  /** Skewness g1 = m3 / m2^1.5 (population moments, like `scipy.stats.skew`). 0 for constant data. */
  readonly skewness: number;
  /** Excess kurtosis g2 = m4 / m2^2 - 3 (like `scipy.stats.kurtosis`); > 0 means fat tails. 0 for constant data. */
  readonly excessKurtosis: number;
  /** Autocorrelation of returns at lags 1..maxLag. */
  readonly acf: readonly number[];
  /** Autocorrelation of absolute returns at lags 1..maxLag (volatility clustering). */
  readonly acfAbs: readonly number[];
  /** Autocorrelation of squared returns at lags 1..maxLag (volatility clustering). */
  readonly acfSquared: readonly number[];
}

/**
 * Output of {@link ganQualityReport}.
 *
 * @category Models
 */
export interface GanQualityReport {
  readonly real: ReturnStats;
  readonly synthetic: ReturnStats;
  /** Two-sample Kolmogorov-Smirnov test of the pooled marginal distributions. */
  readonly ks: {
    /** sup |F_real - F_synthetic|, in [0, 1]. */
    readonly statistic: number;
    /**
     * Two-sided p-value: exact Kolmogorov distribution at n = round(n1 n2 / (n1 + n2)), as
     * scipy's `ks_2samp(method='asymp')`; Stephens' approximation when n·d is large.
     */
    readonly pValue: number;
  };
  /** Absolute differences synthetic vs real (acf gaps are mean absolute differences over lags). */
  readonly gaps: {
    readonly mean: number;
    readonly std: number;
    readonly skewness: number;
    readonly excessKurtosis: number;
    readonly acfLag1: number;
    readonly acfAbs: number;
    readonly acfSquared: number;
  };
  /**
   * Discriminative score (as in TimeGAN): a post-hoc L2 logistic regression on window features
   * (moments, quantiles, extremes, within-window autocorrelations of r and |r| up to `maxLag`)
   * trained to tell real from synthetic series, on balanced classes (the larger set subsampled,
   * seeded) and a seeded random train/test split of the series; `accuracy` on the held-out
   * series: 0.5 = indistinguishable, 1 = always told apart. Null unless both samples have at
   * least 10 series (windows).
   */
  readonly discriminative: { readonly accuracy: number; readonly nTrain: number; readonly nTest: number } | null;
  /**
   * Train on synthetic, test on real (TSTR): an AR(`maxLag`) one-step forecaster with intercept,
   * fitted by least squares inside the windows, of returns and of absolute returns (volatility).
   * The real series are split in order: the last `testFraction` of them are the test set;
   * `trainOnReal` fits on the other real series, `trainOnSynthetic` on all synthetic series; both
   * are mean squared errors on the same real test series (TSTR close to TRTR = the synthetic data
   * carry the real dynamics). Null unless both samples have at least 10 series.
   */
  readonly tstr: {
    readonly lags: number;
    readonly returns: { readonly trainOnSynthetic: number; readonly trainOnReal: number };
    readonly absReturns: { readonly trainOnSynthetic: number; readonly trainOnReal: number };
  } | null;
  /** Small text table of the above. */
  readonly summary: string;
}

/**
 * Options of {@link ganQualityReport}.
 *
 * @category Models
 */
export interface GanQualityReportOptions {
  /** Largest autocorrelation lag k (default 5). Every series needs more than k values. */
  readonly maxLag?: number;
  /** Share of series held out for the discriminative score and the TSTR test, in (0, 1) (default 0.3). */
  readonly testFraction?: number;
  /** Seed of the discriminative split and subsampling (default 0). */
  readonly seed?: number;
}

interface Panel {
  readonly series: readonly Float64Array[];
  readonly n: number;
}

function toPanel(x: ReturnSeries, arg: string, fn: string, maxLag: number): Panel {
  let series: Float64Array[];
  if (ArrayBuffer.isView(x)) {
    series = [Float64Array.from(x)];
  } else if (Array.isArray(x)) {
    if (x.length > 0 && Array.isArray(x[0])) {
      series = (x as readonly (readonly number[])[]).map((r, i) => {
        if (!Array.isArray(r)) throw new ShapeError({ fn, arg, expected: 'an array of series (arrays of numbers)', got: `row ${i}: ${describeValue(r)}` });
        return Float64Array.from(r);
      });
    } else {
      series = [Float64Array.from(x as readonly number[])];
    }
  } else {
    throw new ShapeError({ fn, arg, expected: 'an array of returns or an array of series', got: describeValue(x) });
  }
  let n = 0;
  series.forEach((s, i) => {
    if (s.length <= maxLag) {
      throw new DataError({ fn, arg, expected: `series of more than maxLag = ${maxLag} values`, got: `series ${i} with ${s.length} values` });
    }
    for (let t = 0; t < s.length; t++) {
      const v = s[t] as number;
      if (!Number.isFinite(v)) throw new DataError({ fn, arg, expected: 'finite numbers', got: `${describeValue(v)} in series ${i} at ${t}` });
    }
    n += s.length;
  });
  if (n < 2) throw new DataError({ fn, arg, expected: 'at least 2 values', got: `${n} values` });
  return { series, n };
}

/** Pooled autocorrelation at lags 1..maxLag: sum over series of lagged products / total sum of squares. */
function acfPanel(series: readonly Float64Array[], maxLag: number): number[] {
  let sum = 0;
  let n = 0;
  for (const s of series) for (const v of s) {
    sum += v;
    n += 1;
  }
  const mean = sum / n;
  let ss = 0;
  for (const s of series) for (const v of s) ss += (v - mean) * (v - mean);
  const out: number[] = [];
  for (let k = 1; k <= maxLag; k++) {
    let num = 0;
    for (const s of series) for (let t = 0; t + k < s.length; t++) num += ((s[t] as number) - mean) * ((s[t + k] as number) - mean);
    out.push(ss > 0 ? num / ss : 0);
  }
  return out;
}

/**
 * Computes {@link ReturnStats} of one sample.
 *
 * @param x - One series of returns, or several (one per row).
 * @param maxLag - Largest autocorrelation lag (default 5).
 * @throws {DataError} non-finite values, or series not longer than `maxLag`.
 * @example
 * ```ts
 * import { returnStats } from 'finml';
 * returnStats([1, 2, 3, 4, 5], 1).acf; //=> [0.4]
 * ```
 * @category Models
 */
export function returnStats(x: ReturnSeries, maxLag = 5): ReturnStats {
  const fn = 'returnStats';
  if (!Number.isInteger(maxLag) || maxLag < 1) throw new InvalidOptionError({ fn, arg: 'maxLag', expected: 'an integer >= 1', got: describeValue(maxLag) });
  return statsOf(toPanel(x, 'x', fn, maxLag), maxLag);
}

function statsOf(p: Panel, maxLag: number): ReturnStats {
  let sum = 0;
  for (const s of p.series) for (const v of s) sum += v;
  const mean = sum / p.n;
  let m2 = 0;
  let m3 = 0;
  let m4 = 0;
  for (const s of p.series) {
    for (const v of s) {
      const d = v - mean;
      const d2 = d * d;
      m2 += d2;
      m3 += d2 * d;
      m4 += d2 * d2;
    }
  }
  const std = Math.sqrt(m2 / (p.n - 1));
  m2 /= p.n;
  m3 /= p.n;
  m4 /= p.n;
  const tiny = m2 <= 1e-300 * Math.max(1, mean * mean);
  const abs = p.series.map((s) => s.map(Math.abs));
  const sq = p.series.map((s) => s.map((v) => v * v));
  return Object.freeze({
    n: p.n,
    mean,
    std,
    skewness: tiny ? 0 : m3 / Math.pow(m2, 1.5),
    excessKurtosis: tiny ? 0 : m4 / (m2 * m2) - 3,
    acf: Object.freeze(acfPanel(p.series, maxLag)),
    acfAbs: Object.freeze(acfPanel(abs, maxLag)),
    acfSquared: Object.freeze(acfPanel(sq, maxLag)),
  });
}

/**
 * Two-sample Kolmogorov-Smirnov statistic: sup over t of |F_a(t) - F_b(t)| (empirical CDFs).
 *
 * @param a - First sample. @param b - Second sample (not modified).
 * @returns The distance in [0, 1] (0 for identical samples).
 * @example
 * ```ts
 * import { ksTwoSample } from 'finml';
 * ksTwoSample([1, 2, 3], [2, 3, 4]); //=> 0.3333333333333333
 * ```
 * @category Models
 */
export function ksTwoSample(a: ArrayLike<number>, b: ArrayLike<number>): number {
  const x = Float64Array.from(a).sort();
  const y = Float64Array.from(b).sort();
  let i = 0;
  let j = 0;
  let d = 0;
  while (i < x.length && j < y.length) {
    const v = Math.min(x[i] as number, y[j] as number);
    while (i < x.length && (x[i] as number) <= v) i++;
    while (j < y.length && (y[j] as number) <= v) j++;
    d = Math.max(d, Math.abs(i / x.length - j / y.length));
  }
  return d;
}

/** Largest Marsaglia-Tsang-Wang matrix used for the exact distribution (cost ~ m^3 log n). */
const MTW_MAX_M = 161;

function matMul(a: Float64Array, b: Float64Array, m: number): Float64Array {
  const c = new Float64Array(m * m);
  for (let i = 0; i < m; i++) {
    for (let k = 0; k < m; k++) {
      const aik = a[i * m + k] as number;
      if (aik === 0) continue;
      for (let j = 0; j < m; j++) c[i * m + j] = (c[i * m + j] as number) + aik * (b[k * m + j] as number);
    }
  }
  return c;
}

/** H^n with a decimal exponent kept aside to avoid overflow. */
function matPow(h: Float64Array, m: number, n: number): { q: Float64Array; e: number } {
  if (n === 1) return { q: h.slice(), e: 0 };
  const half = matPow(h, m, Math.floor(n / 2));
  let q = matMul(half.q, half.q, m);
  let e = 2 * half.e;
  if (n % 2 === 1) q = matMul(h, q, m);
  const centre = Math.floor(m / 2);
  if ((q[centre * m + centre] as number) > 1e140) {
    for (let i = 0; i < q.length; i++) q[i] = (q[i] as number) * 1e-140;
    e += 140;
  }
  return { q, e };
}

/**
 * P(D_n < d) for the one-sample Kolmogorov statistic with n observations, computed exactly
 * (Marsaglia, Tsang & Wang 2003), or undefined when the matrix would be too large.
 */
function kolmogorovCdfExact(n: number, d: number): number | undefined {
  const k = Math.floor(n * d) + 1;
  const m = 2 * k - 1;
  if (m > MTW_MAX_M) return undefined;
  const h = k - n * d;
  const H = new Float64Array(m * m);
  for (let i = 0; i < m; i++) for (let j = 0; j < m; j++) H[i * m + j] = i - j + 1 < 0 ? 0 : 1;
  for (let i = 0; i < m; i++) {
    H[i * m] = (H[i * m] as number) - Math.pow(h, i + 1);
    H[(m - 1) * m + i] = (H[(m - 1) * m + i] as number) - Math.pow(h, m - i);
  }
  H[(m - 1) * m] = (H[(m - 1) * m] as number) + (2 * h - 1 > 0 ? Math.pow(2 * h - 1, m) : 0);
  for (let i = 0; i < m; i++) {
    for (let j = 0; j < m; j++) {
      if (i - j + 1 > 0) for (let g = 1; g <= i - j + 1; g++) H[i * m + j] = (H[i * m + j] as number) / g;
    }
  }
  const { q, e } = matPow(H, m, n);
  let s = q[(k - 1) * m + (k - 1)] as number;
  let eq = e;
  for (let i = 1; i <= n; i++) {
    s = (s * i) / n;
    if (s < 1e-140) {
      s *= 1e140;
      eq -= 140;
    }
  }
  return s * Math.pow(10, eq);
}

/**
 * Two-sided p-value of a two-sample KS distance `d` between samples of sizes n1 and n2: the
 * exact one-sample Kolmogorov distribution at n = round(n1 n2 / (n1 + n2)) (as scipy's
 * `ks_2samp(method='asymp')`), falling back to the Kolmogorov limit with Stephens' correction
 * when that is too expensive (large n·d, where the p-value is tiny anyway).
 */
function ksPValue(d: number, n1: number, n2: number): number {
  if (d <= 0) return 1;
  if (d >= 1) return 0;
  const ne = (n1 * n2) / (n1 + n2);
  const n = Math.max(1, Math.round(ne));
  const cdf = kolmogorovCdfExact(n, d);
  if (cdf !== undefined && Number.isFinite(cdf)) return Math.min(1, Math.max(0, 1 - cdf));
  const sq = Math.sqrt(ne);
  return kolmogorovQ((sq + 0.12 + 0.11 / sq) * d);
}

/** Kolmogorov survival function Q(λ) = 2 Σ (-1)^(j-1) exp(-2 j² λ²). */
function kolmogorovQ(lambda: number): number {
  if (lambda < 1e-3) return 1;
  let sum = 0;
  for (let j = 1; j <= 100; j++) {
    const term = Math.exp(-2 * j * j * lambda * lambda);
    sum += (j % 2 === 1 ? 1 : -1) * term;
    if (term < 1e-12) break;
  }
  return Math.min(1, Math.max(0, 2 * sum));
}

function pooled(p: Panel): Float64Array {
  const out = new Float64Array(p.n);
  let k = 0;
  for (const s of p.series) {
    out.set(s, k);
    k += s.length;
  }
  return out;
}

const fmt = (v: number): string => (Math.abs(v) >= 1e-3 || v === 0 ? v.toFixed(4) : v.toExponential(2));

/**
 * Compares synthetic returns (e.g. from {@link sampleGan}) with real ones on the stylised facts
 * of financial returns: mean, standard deviation, skewness, excess kurtosis (fat tails),
 * autocorrelation of returns (lags 1..k; near zero for real returns) and of absolute and squared
 * returns (positive for real returns: volatility clustering), plus a two-sample
 * Kolmogorov-Smirnov distance of the marginal distributions. For sets of windows (≥ 10 series
 * on each side) it also reports the discriminative score (held-out accuracy of a classifier
 * separating real from synthetic windows; 0.5 = indistinguishable) and train-on-synthetic /
 * test-on-real AR forecast errors beside train-on-real (see {@link GanQualityReport}).
 *
 * @param real - Real returns: one series or several (one per row, time along the row).
 * @param synthetic - Synthetic returns, same layout (counts may differ).
 * @param options - `maxLag` k (default 5), `testFraction` and `seed` of the discriminative score and TSTR.
 * @returns A frozen report with both samples' statistics, the KS test, absolute gaps and a text summary.
 * @throws {DataError} non-finite values or series not longer than `maxLag`.
 * @throws {InvalidOptionError} bad `maxLag`, `testFraction` or `seed`, or an unknown option.
 * @example
 * ```ts
 * import { createRng, ganQualityReport } from 'finml';
 * const rng = createRng(1);
 * const realWindows = Array.from({ length: 50 }, () => Array.from({ length: 20 }, () => rng.normal() * 0.01));
 * const syntheticWindows = Array.from({ length: 50 }, () => Array.from({ length: 20 }, () => rng.normal() * 0.012));
 * const report = ganQualityReport(realWindows, syntheticWindows, { maxLag: 5 });
 * report.ks.statistic;           // 0 = identical marginals
 * report.synthetic.acfAbs[0];    // volatility clustering of the synthetic series
 * console.log(report.summary);
 * ```
 * @category Models
 */
export function ganQualityReport(real: ReturnSeries, synthetic: ReturnSeries, options: GanQualityReportOptions = {}): GanQualityReport {
  const fn = 'ganQualityReport';
  const maxLag = options.maxLag ?? 5;
  if (!Number.isInteger(maxLag) || maxLag < 1) throw new InvalidOptionError({ fn, arg: 'maxLag', expected: 'an integer >= 1', got: describeValue(maxLag) });
  for (const k of Object.keys(options)) {
    if (!['maxLag', 'testFraction', 'seed'].includes(k)) {
      throw new InvalidOptionError({ fn, arg: k, expected: "a known option (one of 'maxLag', 'testFraction', 'seed')", got: 'an unknown option name' });
    }
  }
  const testFraction = options.testFraction ?? 0.3;
  if (typeof testFraction !== 'number' || !(testFraction > 0 && testFraction < 1)) {
    throw new InvalidOptionError({ fn, arg: 'testFraction', expected: 'a number in (0, 1)', got: describeValue(testFraction) });
  }
  const seed = options.seed ?? 0;
  if (typeof seed !== 'number' || !Number.isSafeInteger(seed)) throw new InvalidOptionError({ fn, arg: 'seed', expected: 'a safe integer', got: describeValue(seed) });
  const pr = toPanel(real, 'real', fn, maxLag);
  const ps = toPanel(synthetic, 'synthetic', fn, maxLag);
  const r = statsOf(pr, maxLag);
  const s = statsOf(ps, maxLag);
  const statistic = ksTwoSample(pooled(pr), pooled(ps));
  const pValue = ksPValue(statistic, pr.n, ps.n);
  const mad = (a: readonly number[], b: readonly number[]): number => a.reduce((acc, v, i) => acc + Math.abs(v - (b[i] as number)), 0) / a.length;
  const gaps = Object.freeze({
    mean: Math.abs(s.mean - r.mean),
    std: Math.abs(s.std - r.std),
    skewness: Math.abs(s.skewness - r.skewness),
    excessKurtosis: Math.abs(s.excessKurtosis - r.excessKurtosis),
    acfLag1: Math.abs((s.acf[0] as number) - (r.acf[0] as number)),
    acfAbs: mad(s.acfAbs, r.acfAbs),
    acfSquared: mad(s.acfSquared, r.acfSquared),
  });
  const rows: [string, number, number][] = [
    ['mean', r.mean, s.mean],
    ['std', r.std, s.std],
    ['skewness', r.skewness, s.skewness],
    ['excess kurtosis', r.excessKurtosis, s.excessKurtosis],
    ['acf(r) lag 1', r.acf[0] as number, s.acf[0] as number],
    [`acf(|r|) lags 1..${maxLag} mean`, mean(r.acfAbs), mean(s.acfAbs)],
    [`acf(r^2) lags 1..${maxLag} mean`, mean(r.acfSquared), mean(s.acfSquared)],
  ];
  const MIN_SERIES = 10;
  const windowed = pr.series.length >= MIN_SERIES && ps.series.length >= MIN_SERIES;
  const discriminative = windowed ? Object.freeze(discriminativeAccuracy(pr.series, ps.series, maxLag, testFraction, seed)) : null;
  let tstr: GanQualityReport['tstr'] = null;
  if (windowed) {
    const nTest = Math.max(1, Math.round(pr.series.length * testFraction));
    const realTrain = pr.series.slice(0, pr.series.length - nTest);
    const realTest = pr.series.slice(pr.series.length - nTest);
    const pair = (abs: boolean): { trainOnSynthetic: number; trainOnReal: number } =>
      Object.freeze({ trainOnSynthetic: arMse(fitAr(ps.series, maxLag, abs), realTest, abs), trainOnReal: arMse(fitAr(realTrain, maxLag, abs), realTest, abs) });
    tstr = Object.freeze({ lags: maxLag, returns: pair(false), absReturns: pair(true) });
  }
  const lines = [
    `${'statistic'.padEnd(28)}${'real'.padStart(12)}${'synthetic'.padStart(12)}`,
    ...rows.map(([name, a, b]) => `${name.padEnd(28)}${fmt(a).padStart(12)}${fmt(b).padStart(12)}`),
    `KS distance ${fmt(statistic)} (p = ${fmt(pValue)}), n_real = ${r.n}, n_synthetic = ${s.n}`,
  ];
  if (discriminative !== null) {
    lines.push(`discriminative accuracy ${fmt(discriminative.accuracy)} on ${discriminative.nTest} held-out series (0.5 = indistinguishable)`);
  }
  if (tstr !== null) {
    lines.push(
      `AR(${maxLag}) one-step MSE on real test series, trained on synthetic vs real: returns ${fmt(tstr.returns.trainOnSynthetic)} vs ${fmt(tstr.returns.trainOnReal)}, |returns| ${fmt(tstr.absReturns.trainOnSynthetic)} vs ${fmt(tstr.absReturns.trainOnReal)}`,
    );
  }
  return Object.freeze({ real: r, synthetic: s, ks: Object.freeze({ statistic, pValue }), gaps, discriminative, tstr, summary: lines.join('\n') });
}
