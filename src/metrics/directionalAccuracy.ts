import { InvalidOptionError, ShapeError } from '../core/errors';
import { resolveOptions, rules } from '../core/options';
import { pair, vec } from './_internal/metricInputs';
import type { MetricInput } from './types';

/**
 * Options of {@link directionalAccuracy}.
 * @category Metrics
 */
export interface DirectionalAccuracyOptions {
  /**
   * `'returns'`: `yTrue`, `yPred` are changes (returns), compared by sign directly.
   * `'levels'`: they are price levels; the realized change is `yTrue[i] − prev[i]` and the
   * predicted change `yPred[i] − prev[i]`, where `prev` is `previous` if given, else the previous
   * realized price `yTrue[i − 1]` (then the first point has no change and is skipped).
   * @defaultValue 'returns'
   */
  readonly mode?: 'returns' | 'levels';
  /**
   * Levels mode only: the last known price before each target (same length as `yTrue`).
   * @defaultValue null
   */
  readonly previous?: readonly number[] | null;
}

const DEFAULTS: { readonly mode: 'returns' | 'levels'; readonly previous: readonly number[] | null } = {
  mode: 'returns',
  previous: null,
};
const RULES = {
  mode: rules.oneOf(['returns', 'levels']),
  previous: rules.nullable(rules.numberArray({ nonEmpty: true })),
} as const;

/**
 * Fraction of periods where the predicted direction of change equals the realized one
 * (`Math.sign` of both: up, down or flat; a predicted flat move only matches a realized flat move).
 *
 * @param yTrue - Realized returns, or realized price levels with `mode: 'levels'`.
 * @param yPred - Predicted returns, or predicted price levels with `mode: 'levels'`.
 * @param options - {@link DirectionalAccuracyOptions}.
 * @returns The hit rate in [0, 1].
 * @throws {ShapeError} when the lengths differ (also for `previous`).
 * @throws {DataError} on empty input (fewer than 2 prices in levels mode without `previous`) or NaN/Infinity.
 * @throws {InvalidOptionError} on an invalid option, or `previous` with `mode: 'returns'`.
 * @example
 * ```ts
 * import { directionalAccuracy } from 'finml';
 * directionalAccuracy([0.01, -0.02, 0.005], [0.002, 0.001, 0.003]); //=> 0.6666666666666666
 * directionalAccuracy([100, 101, 99, 100], [100, 100.5, 101, 100.2], { mode: 'levels' }); //=> 0.6666666666666666
 * ```
 * @category Metrics
 */
export function directionalAccuracy(yTrue: MetricInput, yPred: MetricInput, options?: DirectionalAccuracyOptions): number {
  const fn = 'directionalAccuracy';
  const o = resolveOptions(fn, options, DEFAULTS, RULES);
  if (o.mode === 'returns') {
    if (o.previous !== null) {
      throw new InvalidOptionError({ fn, arg: 'previous', expected: "null unless mode is 'levels'", got: `an array of length ${o.previous.length}` });
    }
    const [t, p] = pair(yTrue, yPred, fn);
    let hit = 0;
    for (let i = 0; i < t.length; i++) if (Math.sign(t[i] as number) === Math.sign(p[i] as number)) hit++;
    return hit / t.length;
  }
  if (o.previous !== null) {
    const [t, p] = pair(yTrue, yPred, fn);
    const prev = vec(o.previous, 'previous', fn);
    if (prev.length !== t.length) {
      throw new ShapeError({ fn, arg: 'previous', expected: `length ${t.length} (the length of yTrue)`, got: `length ${prev.length}` });
    }
    let hit = 0;
    for (let i = 0; i < t.length; i++) {
      const base = prev[i] as number;
      if (Math.sign((t[i] as number) - base) === Math.sign((p[i] as number) - base)) hit++;
    }
    return hit / t.length;
  }
  const [t, p] = pair(yTrue, yPred, fn, ['yTrue', 'yPred'], 2);
  let hit = 0;
  for (let i = 1; i < t.length; i++) {
    const base = t[i - 1] as number;
    if (Math.sign((t[i] as number) - base) === Math.sign((p[i] as number) - base)) hit++;
  }
  return hit / (t.length - 1);
}
