import { resolveOptions, rules } from '../core/options';
import { type RocCurve, rocPoints } from '../_lib/metricCurves';
import type { MetricInput } from './types';

/**
 * Options of {@link rocCurve}.
 * @category Metrics
 */
export interface RocCurveOptions {
  /**
   * Drop thresholds that do not change the shape of the curve (collinear points), like sklearn's
   * `drop_intermediate=True`. The area is unchanged.
   * @defaultValue false
   */
  readonly dropIntermediate?: boolean;
}

const DEFAULTS = { dropIntermediate: false } as const satisfies Required<RocCurveOptions>;
const RULES = { dropIntermediate: rules.boolean() } as const;

/**
 * Receiver operating characteristic curve (sklearn `roc_curve`, by default with
 * `drop_intermediate=False`): one point per distinct score plus the origin.
 *
 * @param yTrue - True binary labels 0/1 (both classes present).
 * @param yScore - Scores, higher meaning more likely positive.
 * @param options - {@link RocCurveOptions}.
 * @returns A new {@link RocCurve}.
 * @throws {ShapeError} when the lengths differ.
 * @throws {DataError} on empty input, NaN/Infinity, labels other than 0/1, or a single class.
 * @throws {InvalidOptionError} on an invalid option.
 * @example
 * ```ts
 * import { rocCurve } from 'finml';
 * rocCurve([0, 0, 1, 1], [0.1, 0.4, 0.35, 0.8]);
 * //=> { fpr: [0, 0, 0.5, 0.5, 1], tpr: [0, 0.5, 0.5, 1, 1], thresholds: [Infinity, 0.8, 0.4, 0.35, 0.1] }
 * ```
 * @category Metrics
 */
export function rocCurve(yTrue: MetricInput, yScore: MetricInput, options?: RocCurveOptions): RocCurve {
  const fn = 'rocCurve';
  const o = resolveOptions<{ dropIntermediate: boolean }>(fn, options, DEFAULTS, RULES);
  return rocPoints(yTrue, yScore, fn, o.dropIntermediate);
}

export type { RocCurve };
