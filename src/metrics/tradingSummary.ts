import { resolveOptions, rules } from '../core/options';
import { pair } from './_internal/metricInputs';
import { STRATEGY_DEFAULTS, STRATEGY_RULES, checkStrategy, runStrategy } from './_internal/strategy';
import { drawdownOf, equityFromReturns, sharpeOf, sortinoOf } from './_internal/tradingMath';
import { stdOf } from '../core/_internal/stats';
import type { StrategyOptions } from './strategyReturns';
import type { MetricInput } from './types';

/**
 * Options of {@link tradingSummary}: the strategy's options plus annualization.
 * @category Metrics
 */
export interface TradingSummaryOptions extends StrategyOptions {
  /**
   * Periods per year for annualized figures.
   * @defaultValue 252
   */
  readonly periodsPerYear?: number;
  /**
   * Risk-free rate per period for the Sharpe and Sortino ratios.
   * @defaultValue 0
   */
  readonly riskFree?: number;
}

/**
 * Headline figures of a strategy (see {@link tradingSummary}).
 * @category Metrics
 */
export interface TradingSummary {
  /** Number of periods. */
  readonly nPeriods: number;
  /** Compounded net return over the whole series, `Π(1 + r) − 1`. */
  readonly totalReturn: number;
  /** Compound annual growth rate, `(1 + totalReturn)^(periodsPerYear / n) − 1`. */
  readonly annualizedReturn: number;
  /** Sample standard deviation (ddof 1) of net returns times `sqrt(periodsPerYear)`; NaN for a single period. */
  readonly annualizedVolatility: number;
  /** Annualized Sharpe ratio (ddof 1), NaN when the volatility is 0 or n < 2. */
  readonly sharpe: number;
  /** Annualized Sortino ratio (ddof 0), NaN when no return is below riskFree. */
  readonly sortino: number;
  /** Maximum drawdown depth of the compounded equity curve, in [0, 1]. */
  readonly maxDrawdown: number;
  /** Among periods in the market, the fraction with a positive gross return `position · realized`; NaN if never in the market. */
  readonly hitRate: number;
  /** Fraction of periods with a non-zero position. */
  readonly exposure: number;
  /** Units traded in total (sum of |position change|). */
  readonly turnover: number;
  /** The net return series behind the figures. */
  readonly returns: number[];
  /** The positions behind the figures. */
  readonly positions: number[];
}

const DEFAULTS = { ...STRATEGY_DEFAULTS, periodsPerYear: 252, riskFree: 0 };
const RULES = { ...STRATEGY_RULES, periodsPerYear: rules.number({ min: 0, exclusiveMin: true }), riskFree: rules.number() };

/**
 * Backtests predictions with {@link strategyReturns} and summarises the result: total and
 * annualized return, volatility, Sharpe, Sortino, maximum drawdown, hit rate, exposure and turnover.
 *
 * @param predictions - Predicted returns, probabilities of an up move, or signals in {−1, 0, 1}.
 * @param realizedReturns - Realized simple returns (>= −1 after costs), one per period.
 * @param options - {@link TradingSummaryOptions}.
 * @returns A {@link TradingSummary}.
 * @throws {ShapeError} when the lengths differ.
 * @throws {DataError} on empty input or NaN/Infinity.
 * @throws {InvalidOptionError} on an invalid option.
 * @example
 * ```ts
 * import { tradingSummary } from 'finml';
 * const s = tradingSummary([1, 1, -1, 1], [0.01, -0.02, -0.01, 0.03], { periodsPerYear: 4 });
 * s.totalReturn; //=> 0.0296889... (= 1.01 · 0.98 · 1.01 · 1.03 − 1)
 * s.maxDrawdown; //=> 0.02 (up to rounding)
 * s.hitRate;     //=> 0.75
 * ```
 * @category Metrics
 */
export function tradingSummary(predictions: MetricInput, realizedReturns: MetricInput, options?: TradingSummaryOptions): TradingSummary {
  const fn = 'tradingSummary';
  const o = resolveOptions(fn, options, DEFAULTS, RULES);
  checkStrategy(fn, o);
  const [p, r] = pair(predictions, realizedReturns, fn, ['predictions', 'realizedReturns']);
  const res = runStrategy(p, r, o);
  const net = Float64Array.from(res.returns);
  const n = net.length;
  const equity = equityFromReturns(net);
  const final = equity[n] as number;
  const totalReturn = final - 1;
  const annualizedReturn = final <= 0 ? -1 : final ** (o.periodsPerYear / n) - 1;
  const annualizedVolatility = n < 2 ? Number.NaN : stdOf(net, 1) * Math.sqrt(o.periodsPerYear);
  let inMarket = 0;
  let hits = 0;
  for (let i = 0; i < n; i++) {
    const pos = res.positions[i] as number;
    if (pos !== 0) {
      inMarket++;
      if (pos * (r[i] as number) > 0) hits++;
    }
  }
  return {
    nPeriods: n,
    totalReturn,
    annualizedReturn,
    annualizedVolatility,
    sharpe: n < 2 ? Number.NaN : sharpeOf(net, o.periodsPerYear, o.riskFree, 1),
    sortino: sortinoOf(net, o.periodsPerYear, o.riskFree, 0),
    maxDrawdown: drawdownOf(equity).depth,
    hitRate: inMarket === 0 ? Number.NaN : hits / inMarket,
    exposure: inMarket / n,
    turnover: res.turnover,
    returns: res.returns,
    positions: res.positions,
  };
}
