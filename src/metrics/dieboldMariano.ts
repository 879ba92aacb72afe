import { resolveOptions, rules } from '../core/options';
import { normCdf } from '../core/_internal/parzen';
import { pair } from './_internal/metricInputs';
import type { MetricInput } from './types';

/**
 * Options of {@link dieboldMariano}.
 * @category Metrics
 */
export interface DieboldMarianoOptions {
  /** Loss applied to each error: `'squared'` (e²) or `'absolute'` (|e|). @defaultValue 'squared' */
  readonly loss?: 'squared' | 'absolute';
  /** Forecast horizon h: the HAC lag truncation is at least `h − 1`. @defaultValue 1 */
  readonly horizon?: number;
  /**
   * Lags L of the Newey–West (Bartlett) long-run variance. `null`: `max(h − 1, ⌊4 (n / 100)^(2/9)⌋)`
   * (Newey and West's rule of thumb), capped at n − 1.
   * @defaultValue null
   */
  readonly lags?: number | null;
}

/**
 * Result of {@link dieboldMariano}.
 * @category Metrics
 */
export interface DieboldMarianoResult {
  /** DM statistic `mean(d) / sqrt(LRV / n)`; negative when forecast A has the smaller loss. */
  readonly statistic: number;
  /** Two-sided p-value from the standard normal (H0: equal expected loss). */
  readonly pValue: number;
  /** Mean loss difference `mean(loss(eA) − loss(eB))`. */
  readonly meanDifference: number;
  /** HAC lags used. */
  readonly lags: number;
  /** Number of forecast pairs. */
  readonly n: number;
}

const DEFAULTS: Required<DieboldMarianoOptions> = { loss: 'squared', horizon: 1, lags: null };
const RULES = {
  loss: rules.oneOf(['squared', 'absolute']),
  horizon: rules.int({ min: 1 }),
  lags: rules.nullable(rules.int({ min: 0 })),
} as const;

/**
 * Diebold–Mariano test of equal predictive accuracy of two forecasts of the same values.
 * With loss differences `d_t = loss(eA_t) − loss(eB_t)`, the statistic is
 * `mean(d) / sqrt(LRV / n)`, where the long-run variance `LRV = γ₀ + 2 Σ_{k=1..L} (1 − k/(L+1)) γ_k`
 * is the Newey–West (Bartlett kernel, HAC) estimate from the autocovariances `γ_k` of `d`
 * (divided by n). The p-value is two-sided from the standard normal. This equals the HAC
 * t-statistic of regressing `d` on a constant (statsmodels `OLS(...).fit(cov_type='HAC')`).
 *
 * @param errorsA - Forecast errors of model A (actual − forecast), in time order.
 * @param errorsB - Forecast errors of model B on the same targets.
 * @param options - {@link DieboldMarianoOptions}.
 * @returns the statistic, p-value, mean loss difference, lags and n. When every loss difference
 * is 0 (identical losses) the statistic is 0 and the p-value 1; a constant non-zero difference
 * gives ±Infinity and p-value 0.
 * @throws {ShapeError} different lengths. @throws {DataError} fewer than 2 pairs or NaN/Infinity.
 * @throws {InvalidOptionError} invalid options.
 * @example
 * ```ts
 * import { dieboldMariano } from 'finml';
 * const a = [0.1, -0.2, 0.15, -0.1, 0.05, 0.2, -0.15, 0.1];
 * const b = [0.5, -0.6, 0.4, -0.3, 0.5, 0.45, -0.5, 0.35];
 * const dm = dieboldMariano(a, b, { lags: 1 });
 * dm.statistic < 0; //=> true
 * dm.pValue < 0.05; //=> true
 * ```
 * @category Metrics
 */
export function dieboldMariano(errorsA: MetricInput, errorsB: MetricInput, options?: DieboldMarianoOptions): DieboldMarianoResult {
  const fn = 'dieboldMariano';
  const o = resolveOptions(fn, options, DEFAULTS, RULES);
  const [a, b] = pair(errorsA, errorsB, fn, ['errorsA', 'errorsB'], 2);
  const n = a.length;
  const d = new Float64Array(n);
  let mean = 0;
  for (let i = 0; i < n; i++) {
    const x = a[i] as number;
    const y = b[i] as number;
    d[i] = o.loss === 'squared' ? x * x - y * y : Math.abs(x) - Math.abs(y);
    mean += d[i] as number;
  }
  mean /= n;
  const lags = Math.min(n - 1, o.lags ?? Math.max(o.horizon - 1, Math.floor(4 * (n / 100) ** (2 / 9))));
  let lrv = 0;
  for (let k = 0; k <= lags; k++) {
    let g = 0;
    for (let t = k; t < n; t++) g += ((d[t] as number) - mean) * ((d[t - k] as number) - mean);
    g /= n;
    lrv += k === 0 ? g : 2 * (1 - k / (lags + 1)) * g;
  }
  // Identical losses: no evidence either way; a constant non-zero difference: infinitely strong.
  const statistic = lrv > 0 ? mean / Math.sqrt(lrv / n) : mean === 0 ? 0 : mean * Infinity;
  const pValue = Math.min(1, 2 * (1 - normCdf(Math.abs(statistic))));
  return Object.freeze({ statistic, pValue, meanDifference: mean, lags, n });
}
