import { DataError } from '../core/errors';
import { resolveOptions, rules } from '../core/options';
import { pair } from '../_lib/metricInputs';
import type { MetricInput } from './types';

/**
 * Options of {@link mape}.
 * @category Metrics
 */
export interface MapeOptions {
  /**
   * What to do when `yTrue` contains a zero: `'error'` throws a DataError; `'epsilon'` divides by
   * `max(|yTrue|, Number.EPSILON)` like sklearn (which yields huge values).
   * @defaultValue 'error'
   */
  readonly onZero?: 'error' | 'epsilon';
}

const DEFAULTS: Required<MapeOptions> = { onZero: 'error' };
const RULES = { onZero: rules.oneOf(['error', 'epsilon']) } as const;

/**
 * Mean absolute percentage error as a fraction, not percent (sklearn
 * `mean_absolute_percentage_error`): `mean(|yTrue − yPred| / |yTrue|)`. Undefined where
 * `yTrue` is 0: see {@link MapeOptions.onZero}.
 *
 * @param yTrue - Observed values.
 * @param yPred - Predictions.
 * @param options - {@link MapeOptions}.
 * @returns The MAPE as a fraction (0.05 = 5%).
 * @throws {ShapeError} when the lengths differ.
 * @throws {DataError} on empty input, NaN/Infinity, or a zero in `yTrue` with `onZero: 'error'`.
 * @throws {InvalidOptionError} on an invalid option.
 * @example
 * ```ts
 * import { mape } from 'finml';
 * mape([100, 200], [110, 190]); //=> 0.075 (up to rounding: (0.1 + 0.05) / 2)
 * ```
 * @category Metrics
 */
export function mape(yTrue: MetricInput, yPred: MetricInput, options?: MapeOptions): number {
  const fn = 'mape';
  const o = resolveOptions(fn, options, DEFAULTS, RULES);
  const [t, p] = pair(yTrue, yPred, fn);
  let s = 0;
  for (let i = 0; i < t.length; i++) {
    const a = Math.abs(t[i] as number);
    if (a === 0 && o.onZero === 'error') {
      throw new DataError({ fn, arg: 'yTrue', expected: "non-zero values (or the option onZero: 'epsilon')", got: `0 at index ${i}` });
    }
    s += Math.abs((t[i] as number) - (p[i] as number)) / Math.max(a, Number.EPSILON);
  }
  return s / t.length;
}
