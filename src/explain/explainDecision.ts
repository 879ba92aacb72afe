/**
 * One-call explanation of a single scored applicant: Shapley values plus reason codes.
 *
 * @module
 */
import { ShapeError, describeValue } from '../core/errors';
import type { KernelShapExplainer } from './kernelShap';
import { reasonCodes, type ReasonCode, type ReasonCodeOptions } from './reasonCodes';

/** Options of {@link explainDecision}: those of {@link reasonCodes} that are not derived from the explainer. @category Explain */
export type ExplainDecisionOptions = Omit<ReasonCodeOptions, 'playerNames' | 'playerColumns' | 'x' | 'groups'>;

/** The explanation of one decision. @category Explain */
export interface DecisionExplanation {
  /** Model output in link space (log-odds for the logit link). */
  readonly fx: number;
  /** The model output itself (probability for the logit link). */
  readonly score: number;
  /** Expected output over the background, in link space. */
  readonly baseValue: number;
  /** Shapley value of each player, in link space. */
  readonly values: readonly number[];
  readonly playerNames: readonly string[];
  /** The strongest reasons toward default, strongest first. */
  readonly reasons: readonly ReasonCode[];
}

/**
 * Explains one applicant: runs the KernelSHAP explainer on `row` and turns the values into reason
 * codes (unit `'log-odds'` for a logit-link explainer unless `unit` is given).
 *
 * @param explainer - From `kernelShap(predictor, background, options)` (or `fitted.withPredictor(p)`).
 * @param row - The applicant's feature row (same columns as the background).
 * @param options - Reason-code options, e.g. `{ topK: 3, featureNames }`.
 * @returns the score, base value, Shapley values and reasons.
 * @throws {ShapeError} when `row` has the wrong width. @throws {DataError} for non-finite values.
 * @example
 * ```ts
 * import { kernelShap, explainDecision, predictorFromFunction } from 'finml';
 * const p = predictorFromFunction((r) => 1 / (1 + Math.exp(-(r[0]! - r[1]!))));
 * const explainer = kernelShap(p, [[0, 0]], { link: 'logit', featureNames: ['Duration', 'Savings'] });
 * const d = await explainDecision(explainer, [2, 1], { topK: 1 });
 * d.reasons[0]!.sentence; //=> 'Duration = 2 raised the default risk by 2.00 (log-odds)'
 * ```
 * @category Explain
 */
export async function explainDecision(explainer: KernelShapExplainer, row: readonly number[], options?: ExplainDecisionOptions): Promise<DecisionExplanation> {
  const fn = 'explainDecision';
  if (!Array.isArray(row)) throw new ShapeError({ fn, arg: 'row', expected: `one row of ${explainer.nFeaturesIn} numbers`, got: describeValue(row) });
  const e = await explainer.explain([row]);
  const values = e.values[0] as readonly number[];
  const fx = e.fx[0] as number;
  const reasons = reasonCodes(values, {
    ...(e.link === 'logit' ? { unit: 'log-odds' } : {}),
    ...options,
    featureNames: options?.featureNames ?? explainer.fitted.params.featureNames,
    playerNames: e.playerNames,
    playerColumns: e.playerColumns,
    x: row,
  });
  return Object.freeze({
    fx,
    score: e.link === 'logit' ? 1 / (1 + Math.exp(-fx)) : fx,
    baseValue: e.baseValue,
    values,
    playerNames: e.playerNames,
    reasons: Object.freeze(reasons),
  });
}
