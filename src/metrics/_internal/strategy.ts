/**
 * Private core of strategyReturns / tradingSummary: predictions to positions to returns.
 *
 * @module
 */
import { InvalidOptionError } from '../../core/errors';
import { type Rule, rules } from '../../core/options';
import type { StrategyResult } from '../types';


/** Resolved strategy options (internal). */
export interface ResolvedStrategyOptions {
  readonly threshold: number;
  readonly shortThreshold: number | null;
  readonly long: boolean;
  readonly short: boolean;
  readonly costBps: number;
}

/** Defaults of the public StrategyOptions. */
export const STRATEGY_DEFAULTS: ResolvedStrategyOptions = Object.freeze({
  threshold: 0,
  shortThreshold: null,
  long: true,
  short: true,
  costBps: 0,
});

/** Rule table of the public StrategyOptions. */
export const STRATEGY_RULES: { readonly [K in keyof ResolvedStrategyOptions]: Rule } = Object.freeze({
  threshold: rules.number(),
  shortThreshold: rules.nullable(rules.number()),
  long: rules.boolean(),
  short: rules.boolean(),
  costBps: rules.number({ min: 0 }),
});

/** Cross-option checks shared with tradingSummary. */
export function checkStrategy(fn: string, o: ResolvedStrategyOptions): void {
  if (!o.long && !o.short) {
    throw new InvalidOptionError({ fn, arg: 'long', expected: 'true when short is false (some position must be allowed)', got: 'false' });
  }
  if (o.shortThreshold !== null && o.shortThreshold > o.threshold) {
    throw new InvalidOptionError({ fn, arg: 'shortThreshold', expected: `null or <= threshold (${o.threshold})`, got: String(o.shortThreshold) });
  }
}

/** The computation behind strategyReturns (inputs validated by the caller). */
export function runStrategy(pred: Float64Array, realized: Float64Array, o: ResolvedStrategyOptions): StrategyResult {
  const shortBelow = o.shortThreshold ?? o.threshold;
  const returns: number[] = [];
  const positions: number[] = [];
  const costs: number[] = [];
  let prev = 0;
  let turnover = 0;
  for (let i = 0; i < pred.length; i++) {
    const p = pred[i] as number;
    const pos = p > o.threshold ? (o.long ? 1 : 0) : p < shortBelow ? (o.short ? -1 : 0) : 0;
    const traded = Math.abs(pos - prev);
    const cost = (traded * o.costBps) / 10_000;
    turnover += traded;
    positions.push(pos);
    costs.push(cost);
    returns.push(pos * (realized[i] as number) - cost);
    prev = pos;
  }
  return { returns, positions, costs, turnover };
}

