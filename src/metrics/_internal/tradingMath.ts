/**
 * Private numerics behind the trading metrics of src/metrics/ (inputs already validated).
 *
 * @module
 */
import { mean, stdOf } from '../../core/_internal/stats';

/** Annualized Sharpe ratio of per-period returns; NaN when the volatility is 0. */
export function sharpeOf(r: Float64Array, periodsPerYear: number, riskFree: number, ddof: number): number {
  const m = mean(r) - riskFree;
  const sd = stdOf(r, ddof);
  return sd === 0 ? Number.NaN : (m / sd) * Math.sqrt(periodsPerYear);
}

/** Annualized Sortino ratio (downside deviation below riskFree); NaN when it is 0. */
export function sortinoOf(r: Float64Array, periodsPerYear: number, riskFree: number, ddof: number): number {
  let m = 0;
  let down = 0;
  for (const v of r) {
    const e = v - riskFree;
    m += e;
    if (e < 0) down += e * e;
  }
  m /= r.length;
  const dd = Math.sqrt(down / (r.length - ddof));
  return dd === 0 ? Number.NaN : (m / dd) * Math.sqrt(periodsPerYear);
}

/** Drawdown facts of a positive equity curve. */
export interface DrawdownFacts {
  readonly depth: number;
  readonly peakIndex: number;
  readonly troughIndex: number;
  readonly recoveryIndex: number | null;
}

/** Largest peak-to-trough fall `(peak − trough) / peak` of an equity curve (values >= 0, first > 0). */
export function drawdownOf(equity: Float64Array): DrawdownFacts {
  let peak = 0;
  let depth = 0;
  let peakIndex = 0;
  let troughIndex = 0;
  for (let i = 1; i < equity.length; i++) {
    const v = equity[i] as number;
    if (v > (equity[peak] as number)) peak = i;
    const dd = ((equity[peak] as number) - v) / (equity[peak] as number);
    if (dd > depth) {
      depth = dd;
      peakIndex = peak;
      troughIndex = i;
    }
  }
  let recoveryIndex: number | null = null;
  if (depth > 0) {
    const level = equity[peakIndex] as number;
    for (let i = troughIndex + 1; i < equity.length; i++) {
      if ((equity[i] as number) >= level) {
        recoveryIndex = i;
        break;
      }
    }
  }
  return { depth, peakIndex, troughIndex, recoveryIndex };
}

/** Equity curve of compounded returns: `[1, 1+r0, (1+r0)(1+r1), ...]` (length n + 1). */
export function equityFromReturns(r: Float64Array): Float64Array {
  const eq = new Float64Array(r.length + 1);
  eq[0] = 1;
  for (let i = 0; i < r.length; i++) eq[i + 1] = (eq[i] as number) * (1 + (r[i] as number));
  return eq;
}
