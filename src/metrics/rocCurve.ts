import { resolveOptions, rules } from '../core/options';
import { binaryClfCurve, checkBinary, checkBothClasses, pair } from '../_lib/metricInputs';
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

/**
 * A ROC curve: `fpr[k]`, `tpr[k]` are the false- and true-positive rates of predicting positive
 * when `score >= thresholds[k]`. Thresholds decrease; the first point is (0, 0) with threshold
 * `Infinity` (sklearn >= 1.3), the last is (1, 1).
 * @category Metrics
 */
export interface RocCurve {
  readonly fpr: number[];
  readonly tpr: number[];
  readonly thresholds: number[];
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

/** Shared by rocCurve, rocAuc, gini and ksStatistic (errors name the public caller). */
export function rocPoints(yTrue: MetricInput, yScore: MetricInput, fn: string, dropIntermediate: boolean): RocCurve {
  const [t, s] = pair(yTrue, yScore, fn, ['yTrue', 'yScore']);
  checkBinary(t, 'yTrue', fn);
  checkBothClasses(t, 'yTrue', fn);
  const c = binaryClfCurve(t, s);
  let keep: number[] = Array.from({ length: c.tps.length }, (_, i) => i);
  if (dropIntermediate && c.tps.length > 2) {
    // Keep a point when the second difference of fps or tps is non-zero (sklearn's rule).
    keep = keep.filter((i) => {
      if (i === 0 || i === c.tps.length - 1) return true;
      const d2f = (c.fps[i + 1] as number) - 2 * (c.fps[i] as number) + (c.fps[i - 1] as number);
      const d2t = (c.tps[i + 1] as number) - 2 * (c.tps[i] as number) + (c.tps[i - 1] as number);
      return d2f !== 0 || d2t !== 0;
    });
  }
  const nPos = c.tps[c.tps.length - 1] as number;
  const nNeg = c.fps[c.fps.length - 1] as number;
  const fpr = [0];
  const tpr = [0];
  const thresholds = [Number.POSITIVE_INFINITY];
  for (const i of keep) {
    fpr.push((c.fps[i] as number) / nNeg);
    tpr.push((c.tps[i] as number) / nPos);
    thresholds.push(c.thresholds[i] as number);
  }
  return { fpr, tpr, thresholds };
}
