import { DataError } from '../core/errors';
import { resolveOptions, rules } from '../core/options';
import { vec } from './_internal/metricInputs';
import { sharpeOf } from './_internal/tradingMath';
import type { MetricInput } from './types';

/**
 * Options of {@link sharpeRatio} and {@link sortinoRatio}.
 * @category Metrics
 */
export interface RatioOptions {
  /**
   * Periods per year used to annualize: the ratio is multiplied by `sqrt(periodsPerYear)`
   * (252 trading days; 52 weekly; 12 monthly; 1 for no annualization).
   * @defaultValue 252
   */
  readonly periodsPerYear?: number;
  /**
   * Risk-free rate (Sortino: target return) per period, subtracted from every return.
   * @defaultValue 0
   */
  readonly riskFree?: number;
  /**
   * Delta degrees of freedom of the risk estimate (divisor `n − ddof`). Default 1 for Sharpe
   * (sample standard deviation, like pandas), 0 for Sortino (downside deviation over all periods,
   * like empyrical).
   */
  readonly ddof?: number;
}

const DEFAULTS = { periodsPerYear: 252, riskFree: 0, ddof: 1 } as const satisfies Required<RatioOptions>;
/** Shared with sortinoRatio. */
const RULES = {
  periodsPerYear: rules.number({ min: 0, exclusiveMin: true }),
  riskFree: rules.number(),
  ddof: rules.int({ min: 0 }),
} as const;

/**
 * Annualized Sharpe ratio of per-period (simple or log) returns:
 * `mean(r − riskFree) / std(r − riskFree; ddof) · sqrt(periodsPerYear)`.
 *
 * @param returns - Per-period returns (at least `ddof + 1` values).
 * @param options - {@link RatioOptions} (`ddof` defaults to 1).
 * @returns The annualized Sharpe ratio.
 * @throws {DataError} on too few values, NaN/Infinity, or zero volatility (the ratio is undefined).
 * @throws {InvalidOptionError} on an invalid option.
 * @example
 * ```ts
 * import { sharpeRatio } from 'finml';
 * sharpeRatio([0.01, -0.005, 0.002, 0.007], { periodsPerYear: 12 }); //=> 1.8489... (mean 0.0035, sample sd 0.006557, times sqrt(12))
 * ```
 * @category Metrics
 */
export function sharpeRatio(returns: MetricInput, options?: RatioOptions): number {
  const fn = 'sharpeRatio';
  const o = resolveOptions<{ periodsPerYear: number; riskFree: number; ddof: number }>(fn, options, DEFAULTS, RULES);
  const r = vec(returns, 'returns', fn, o.ddof + 1);
  const s = sharpeOf(r, o.periodsPerYear, o.riskFree, o.ddof);
  if (Number.isNaN(s)) {
    throw new DataError({ fn, arg: 'returns', expected: 'returns with non-zero volatility', got: `${r.length} identical values` });
  }
  return s;
}
