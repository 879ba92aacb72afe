import { resolveOptions, rules } from '../core/options';
import { rocPoints } from './_internal/metricCurves';
import { SAMPLE_WEIGHT_RULE } from './_internal/metricInputs';
import type { MetricInput, RocCurve, SampleWeightOptions } from './types';

/**
 * Options of {@link rocCurve}.
 * @category Metrics
 */
export interface RocCurveOptions extends SampleWeightOptions {
  /**
   * Drop thresholds that do not change the shape of the curve (collinear points), like sklearn's
   * `drop_intermediate=True`. The area is unchanged.
   * @defaultValue false
   */
  readonly dropIntermediate?: boolean;
}

const DEFAULTS: { readonly dropIntermediate: boolean; readonly sampleWeight: MetricInput | null } = {
  dropIntermediate: false,
  sampleWeight: null,
};
const RULES = { dropIntermediate: rules.boolean(), sampleWeight: SAMPLE_WEIGHT_RULE } as const;

/**
 * Receiver operating characteristic curve (sklearn `roc_curve`, by default with
 * `drop_intermediate=False`): one point per distinct score plus the origin. With `sampleWeight`,
 * the rates are weighted (TPR = weight of positives above the threshold / weight of all
 * positives) and zero-weight samples add no threshold.
 *
 * @param yTrue - True binary labels 0/1 (both classes present).
 * @param yScore - Scores, higher meaning more likely positive.
 * @param options - {@link RocCurveOptions}.
 * @returns A new {@link RocCurve}.
 * @throws {ShapeError} when the lengths of `yTrue`, `yScore` or `sampleWeight` differ.
 * @throws {DataError} on empty input, NaN/Infinity, labels other than 0/1, a single class (among
 *   the samples with non-zero weight), or negative or all-zero weights.
 * @throws {InvalidOptionError} on an invalid option.
 * @example
 * ```ts
 * import { rocCurve } from 'finml';
 * rocCurve([0, 0, 1, 1], [0.1, 0.4, 0.35, 0.8]);
 * //=> { fpr: [0, 0, 0.5, 0.5, 1], tpr: [0, 0.5, 0.5, 1, 1], thresholds: [Infinity, 0.8, 0.4, 0.35, 0.1] }
 * rocCurve([0, 0, 1, 1], [0.1, 0.4, 0.35, 0.8], { sampleWeight: [1, 3, 1, 1] });
 * //=> { fpr: [0, 0, 0.75, 0.75, 1], tpr: [0, 0.5, 0.5, 1, 1], thresholds: [Infinity, 0.8, 0.4, 0.35, 0.1] }
 * ```
 * @category Metrics
 */
export function rocCurve(yTrue: MetricInput, yScore: MetricInput, options?: RocCurveOptions): RocCurve {
  const fn = 'rocCurve';
  const o = resolveOptions(fn, options, DEFAULTS, RULES);
  return rocPoints(yTrue, yScore, fn, o.dropIntermediate, o.sampleWeight);
}

export type { RocCurve };
