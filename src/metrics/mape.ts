import { DataError } from '../core/errors';
import { resolveOptions, rules } from '../core/options';
import { SAMPLE_WEIGHT_RULE, pair } from './_internal/metricInputs';
import { sampleWeights, weightAt, weightSum } from './_internal/metricWeights';
import type { MetricInput, SampleWeightOptions } from './types';

/**
 * Options of {@link mape}.
 * @category Metrics
 */
export interface MapeOptions extends SampleWeightOptions {
  /**
   * What to do when `yTrue` contains a zero: `'error'` throws a DataError; `'epsilon'` divides by
   * `max(|yTrue|, Number.EPSILON)` like sklearn (which yields huge values).
   * @defaultValue 'error'
   */
  readonly onZero?: 'error' | 'epsilon';
}

const DEFAULTS: { readonly onZero: 'error' | 'epsilon'; readonly sampleWeight: MetricInput | null } = {
  onZero: 'error',
  sampleWeight: null,
};
const RULES = { onZero: rules.oneOf(['error', 'epsilon']), sampleWeight: SAMPLE_WEIGHT_RULE } as const;

/**
 * Mean absolute percentage error as a fraction, not percent (sklearn
 * `mean_absolute_percentage_error`): `mean(|yTrue − yPred| / |yTrue|)`. Undefined where
 * `yTrue` is 0: see {@link MapeOptions.onZero}. With `sampleWeight`, the weighted mean.
 *
 * @param yTrue - Observed values.
 * @param yPred - Predictions.
 * @param options - {@link MapeOptions}.
 * @returns The MAPE as a fraction (0.05 = 5%).
 * @throws {ShapeError} when the lengths of `yTrue`, `yPred` or `sampleWeight` differ.
 * @throws {DataError} on empty input, NaN/Infinity, a zero in `yTrue` with `onZero: 'error'` (also
 *   when its weight is 0), or negative or all-zero weights.
 * @throws {InvalidOptionError} on an invalid option.
 * @example
 * ```ts
 * import { mape } from 'finml';
 * mape([100, 200], [110, 190]); //=> 0.075 (up to rounding: (0.1 + 0.05) / 2)
 * mape([100, 200], [110, 190], { sampleWeight: [1, 3] }); //=> 0.0625 (up to rounding: (0.1 + 3 · 0.05) / 4)
 * ```
 * @category Metrics
 */
export function mape(yTrue: MetricInput, yPred: MetricInput, options?: MapeOptions): number {
  const fn = 'mape';
  const o = resolveOptions(fn, options, DEFAULTS, RULES);
  const [t, p] = pair(yTrue, yPred, fn);
  const w = sampleWeights(o.sampleWeight, t.length, fn);
  let s = 0;
  for (let i = 0; i < t.length; i++) {
    const a = Math.abs(t[i] as number);
    if (a === 0 && o.onZero === 'error') {
      throw new DataError({ fn, arg: 'yTrue', expected: "non-zero values (or the option onZero: 'epsilon')", got: `0 at index ${i}` });
    }
    s += weightAt(w, i) * (Math.abs((t[i] as number) - (p[i] as number)) / Math.max(a, Number.EPSILON));
  }
  return s / weightSum(w, t.length);
}
