import { DataError } from '../core/errors';
import { resolveOptions, rules } from '../core/options';
import { vec } from './_internal/metricInputs';
import { sortinoOf } from './_internal/tradingMath';
import type { RatioOptions } from './sharpeRatio';
import type { MetricInput } from './types';

const DEFAULTS = { periodsPerYear: 252, riskFree: 0, ddof: 0 } as const satisfies Required<RatioOptions>;
const RULES = {
  periodsPerYear: rules.number({ min: 0, exclusiveMin: true }),
  riskFree: rules.number(),
  ddof: rules.int({ min: 0 }),
} as const;

/**
 * Annualized Sortino ratio: `mean(r − riskFree) / DD · sqrt(periodsPerYear)` with the downside
 * deviation `DD = sqrt(Σ min(r − riskFree, 0)² / (n − ddof))` over all `n` periods (`ddof`
 * defaults to 0, the Sortino–Price / empyrical convention).
 *
 * @param returns - Per-period returns (at least `ddof + 1` values).
 * @param options - {@link RatioOptions} (`riskFree` acts as the target return; `ddof` defaults to 0).
 * @returns The annualized Sortino ratio.
 * @throws {DataError} on too few values, NaN/Infinity, or no return below `riskFree` (zero downside risk).
 * @throws {InvalidOptionError} on an invalid option.
 * @example
 * ```ts
 * import { sortinoRatio } from 'finml';
 * sortinoRatio([0.02, -0.01, 0.03, -0.02], { periodsPerYear: 1 }); //=> 0.4472...  (= 0.005 / sqrt(0.0005 / 4))
 * ```
 * @category Metrics
 */
export function sortinoRatio(returns: MetricInput, options?: RatioOptions): number {
  const fn = 'sortinoRatio';
  const o = resolveOptions<{ periodsPerYear: number; riskFree: number; ddof: number }>(fn, options, DEFAULTS, RULES);
  const r = vec(returns, 'returns', fn, o.ddof + 1);
  const s = sortinoOf(r, o.periodsPerYear, o.riskFree, o.ddof);
  if (Number.isNaN(s)) {
    throw new DataError({ fn, arg: 'returns', expected: 'at least one return below riskFree (non-zero downside risk)', got: `none of ${r.length}` });
  }
  return s;
}
