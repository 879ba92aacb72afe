import { WEIGHT_DEFAULTS, WEIGHT_RULES, trapezoid } from './_internal/metricInputs';
import { resolveOptions } from '../core/options';
import { rocPoints } from './_internal/metricCurves';
import type { MetricInput, SampleWeightOptions } from './types';

/**
 * Gini coefficient (accuracy ratio) of a score, as used in credit scoring: `2 · AUC − 1`. With
 * `sampleWeight`, `2 · weighted AUC − 1` (see {@link rocAuc}): each (positive, negative) pair
 * counts with the product of their weights, and zero-weight samples are dropped.
 *
 * @param yTrue - True binary labels 0/1 (both classes present).
 * @param yScore - Scores, higher meaning more likely positive.
 * @param options - {@link SampleWeightOptions}.
 * @returns The Gini coefficient in [−1, 1].
 * @throws {ShapeError} when the lengths of `yTrue`, `yScore` or `sampleWeight` differ.
 * @throws {DataError} on empty input, NaN/Infinity, labels other than 0/1, a single class (among
 *   the samples with non-zero weight), or negative or all-zero weights.
 * @throws {InvalidOptionError} on an invalid option.
 * @example
 * ```ts
 * import { gini } from 'finml';
 * gini([0, 0, 1, 1], [0.1, 0.4, 0.35, 0.8]); //=> 0.5
 * gini([0, 0, 1, 1], [0.1, 0.4, 0.35, 0.8], { sampleWeight: [1, 3, 1, 1] }); //=> 0.25
 * ```
 * @category Metrics
 */
export function gini(yTrue: MetricInput, yScore: MetricInput, options?: SampleWeightOptions): number {
  const o = resolveOptions('gini', options, WEIGHT_DEFAULTS, WEIGHT_RULES);
  const c = rocPoints(yTrue, yScore, 'gini', false, o.sampleWeight);
  return 2 * trapezoid(c.fpr, c.tpr) - 1;
}
