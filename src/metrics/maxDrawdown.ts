import { DataError, describeValue } from '../core/errors';
import { resolveOptions, rules } from '../core/options';
import { vec } from './_internal/metricInputs';
import { drawdownOf, equityFromReturns } from './_internal/tradingMath';
import type { MetricInput } from './types';

/**
 * Options of {@link maxDrawdown}.
 * @category Metrics
 */
export interface MaxDrawdownOptions {
  /**
   * `'returns'`: the series holds simple per-period returns (>= −1), compounded into an equity
   * curve that starts at 1, so the curve has `n + 1` points and point `i + 1` is the value after
   * `series[i]`. `'equity'`: the series is the equity curve itself (values > 0; point `i` is `series[i]`).
   * @defaultValue 'returns'
   */
  readonly input?: 'returns' | 'equity';
}

/**
 * Result of {@link maxDrawdown}. Indices refer to the equity curve (see {@link MaxDrawdownOptions.input}).
 * @category Metrics
 */
export interface MaxDrawdown {
  /** Largest fall from a running peak, `(peak − trough) / peak`, in [0, 1] (0.25 = −25%). */
  readonly depth: number;
  /** Index of the peak before the deepest trough (0 when there is no drawdown). */
  readonly peakIndex: number;
  /** Index of the deepest trough (0 when there is no drawdown). */
  readonly troughIndex: number;
  /** First index after the trough where the peak level is regained, or null. */
  readonly recoveryIndex: number | null;
}

const DEFAULTS: Required<MaxDrawdownOptions> = { input: 'returns' };
const RULES = { input: rules.oneOf(['returns', 'equity']) } as const;

/**
 * Maximum drawdown of a return series or an equity curve.
 *
 * @param series - Per-period simple returns, or equity values with `input: 'equity'`.
 * @param options - {@link MaxDrawdownOptions}.
 * @returns A {@link MaxDrawdown}.
 * @throws {DataError} on empty input, NaN/Infinity, a return below −1 or a non-positive equity value.
 * @throws {InvalidOptionError} on an invalid option.
 * @example
 * ```ts
 * import { maxDrawdown } from 'finml';
 * maxDrawdown([100, 120, 90, 130], { input: 'equity' });
 * //=> { depth: 0.25, peakIndex: 1, troughIndex: 2, recoveryIndex: 3 }
 * maxDrawdown([0.1, -0.5, 0.2]).depth; //=> 0.5
 * ```
 * @category Metrics
 */
export function maxDrawdown(series: MetricInput, options?: MaxDrawdownOptions): MaxDrawdown {
  const fn = 'maxDrawdown';
  const o = resolveOptions(fn, options, DEFAULTS, RULES);
  const x = vec(series, 'series', fn);
  if (o.input === 'equity') {
    x.forEach((v, i) => {
      if (!(v > 0)) throw new DataError({ fn, arg: 'series', expected: 'positive equity values', got: `${describeValue(v)} at index ${i}` });
    });
    return drawdownOf(x);
  }
  x.forEach((v, i) => {
    if (v < -1) throw new DataError({ fn, arg: 'series', expected: 'simple returns >= -1', got: `${describeValue(v)} at index ${i}` });
  });
  return drawdownOf(equityFromReturns(x));
}
