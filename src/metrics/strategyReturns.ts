import { resolveOptions } from '../core/options';
import { pair } from './_internal/metricInputs';
import { STRATEGY_DEFAULTS, STRATEGY_RULES, checkStrategy, runStrategy } from './_internal/strategy';
import type { MetricInput, StrategyResult } from './types';

/**
 * Options of {@link strategyReturns}: how predictions become positions.
 * @category Metrics
 */
export interface StrategyOptions {
  /**
   * Go long (+1) when `prediction > threshold`. Use 0 for predicted returns or signals in
   * {−1, 0, 1}, 0.5 for probabilities of an up move.
   * @defaultValue 0
   */
  readonly threshold?: number;
  /**
   * Go short (−1) when `prediction < shortThreshold`; `null` means the same as `threshold`.
   * Predictions in `[shortThreshold, threshold]` give a flat position (a no-trade band).
   * @defaultValue null
   */
  readonly shortThreshold?: number | null;
  /**
   * Allow long positions.
   * @defaultValue true
   */
  readonly long?: boolean;
  /**
   * Allow short positions.
   * @defaultValue true
   */
  readonly short?: boolean;
  /**
   * Transaction cost in basis points of traded notional: each period pays
   * `|position_t − position_{t−1}| · costBps / 10000` (the position before the first period is 0).
   * @defaultValue 0
   */
  readonly costBps?: number;
}

/**
 * Turns predictions (or signals) into the returns of a simple long/short strategy: in period `t`
 * hold +1 when `predictions[t] > threshold`, −1 when `predictions[t] < shortThreshold`, else 0,
 * earning `position_t · realizedReturns[t]` minus transaction costs. `predictions[t]` must be known
 * before period `t` (align them so: a forecast of the return of period `t`).
 *
 * @param predictions - Predicted returns, probabilities of an up move, or signals in {−1, 0, 1}.
 * @param realizedReturns - Realized simple returns of the traded asset, one per period.
 * @param options - {@link StrategyOptions}.
 * @returns A {@link StrategyResult}.
 * @throws {ShapeError} when the lengths differ.
 * @throws {DataError} on empty input or NaN/Infinity.
 * @throws {InvalidOptionError} on an invalid option (or no position allowed, or shortThreshold > threshold).
 * @example
 * ```ts
 * import { strategyReturns } from 'finml';
 * strategyReturns([0.2, -0.1, 0.3], [0.01, -0.02, 0.03], { costBps: 10 }).returns;
 * //=> [0.009, 0.018, 0.028] up to rounding (trades of 1, 2 and 2 units at 0.1% each)
 * ```
 * @category Metrics
 */
export function strategyReturns(predictions: MetricInput, realizedReturns: MetricInput, options?: StrategyOptions): StrategyResult {
  const fn = 'strategyReturns';
  const o = resolveOptions(fn, options, STRATEGY_DEFAULTS, STRATEGY_RULES);
  checkStrategy(fn, o);
  const [p, r] = pair(predictions, realizedReturns, fn, ['predictions', 'realizedReturns']);
  return runStrategy(p, r, o);
}

export type { StrategyResult };
