import { prPoints } from './_internal/metricCurves';
import { WEIGHT_DEFAULTS, WEIGHT_RULES } from './_internal/metricInputs';
import { resolveOptions } from '../core/options';
import type { MetricInput, PrecisionRecallCurve, SampleWeightOptions } from './types';

/**
 * Precision–recall pairs at every distinct score (sklearn `precision_recall_curve`,
 * `drop_intermediate=False`). Precision is 0 where nothing is predicted positive. With
 * `sampleWeight`, precision and recall are computed from weight sums and zero-weight samples add
 * no threshold.
 *
 * @param yTrue - True binary labels 0/1 (at least one positive).
 * @param yScore - Scores, higher meaning more likely positive.
 * @param options - {@link SampleWeightOptions}.
 * @returns A new {@link PrecisionRecallCurve}.
 * @throws {ShapeError} when the lengths of `yTrue`, `yScore` or `sampleWeight` differ.
 * @throws {DataError} on empty input, NaN/Infinity, labels other than 0/1, no positive label
 *   (with non-zero weight), or negative or all-zero weights.
 * @throws {InvalidOptionError} on an invalid option.
 * @example
 * ```ts
 * import { precisionRecallCurve } from 'finml';
 * precisionRecallCurve([0, 0, 1, 1], [0.1, 0.4, 0.35, 0.8]);
 * //=> { precision: [0.5, 0.666..., 0.5, 1, 1], recall: [1, 1, 0.5, 0.5, 0], thresholds: [0.1, 0.35, 0.4, 0.8] }
 * ```
 * @category Metrics
 */
export function precisionRecallCurve(yTrue: MetricInput, yScore: MetricInput, options?: SampleWeightOptions): PrecisionRecallCurve {
  const o = resolveOptions('precisionRecallCurve', options, WEIGHT_DEFAULTS, WEIGHT_RULES);
  return prPoints(yTrue, yScore, 'precisionRecallCurve', o.sampleWeight);
}

export type { PrecisionRecallCurve };
