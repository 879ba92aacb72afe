import { WEIGHT_DEFAULTS, WEIGHT_RULES, trapezoid } from './_internal/metricInputs';
import { resolveOptions } from '../core/options';
import { rocPoints } from './_internal/metricCurves';
import type { MetricInput, SampleWeightOptions } from './types';

/**
 * Area under the ROC curve (sklearn `roc_auc_score`, binary): the probability that a random
 * positive scores higher than a random negative, a tied pair counting 1/2. With `sampleWeight`,
 * the area under the weighted ROC curve: each (positive, negative) pair counts with the product of
 * their weights (zero-weight samples are dropped).
 *
 * @param yTrue - True binary labels 0/1 (both classes present).
 * @param yScore - Scores, higher meaning more likely positive.
 * @param options - {@link SampleWeightOptions}.
 * @returns The AUC in [0, 1].
 * @throws {ShapeError} when the lengths of `yTrue`, `yScore` or `sampleWeight` differ.
 * @throws {DataError} on empty input, NaN/Infinity, labels other than 0/1, a single class (among
 *   the samples with non-zero weight), or negative or all-zero weights.
 * @throws {InvalidOptionError} on an invalid option.
 * @example
 * ```ts
 * import { rocAuc } from 'finml';
 * rocAuc([0, 0, 1, 1], [0.1, 0.4, 0.35, 0.8]); //=> 0.75
 * rocAuc([0, 1], [0.5, 0.5]); //=> 0.5
 * rocAuc([0, 0, 1, 1], [0.1, 0.4, 0.35, 0.8], { sampleWeight: [1, 3, 1, 1] }); //=> 0.625
 * ```
 * @category Metrics
 */
export function rocAuc(yTrue: MetricInput, yScore: MetricInput, options?: SampleWeightOptions): number {
  const o = resolveOptions('rocAuc', options, WEIGHT_DEFAULTS, WEIGHT_RULES);
  const c = rocPoints(yTrue, yScore, 'rocAuc', false, o.sampleWeight);
  return trapezoid(c.fpr, c.tpr);
}
