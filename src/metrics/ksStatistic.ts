import { WEIGHT_DEFAULTS, WEIGHT_RULES } from './_internal/metricInputs';
import { resolveOptions } from '../core/options';
import { rocPoints } from './_internal/metricCurves';
import type { MetricInput, SampleWeightOptions } from './types';

/**
 * Result of {@link ksStatistic}.
 * @category Metrics
 */
export interface KsResult {
  /** max over thresholds of |TPR − FPR|, in [0, 1]. */
  readonly statistic: number;
  /** The score threshold (predict positive when `score >= threshold`) where the maximum occurs; the highest one on ties (up to 1e-12). */
  readonly threshold: number;
  /** True-positive rate at that threshold (weighted with `sampleWeight`). */
  readonly tpr: number;
  /** False-positive rate at that threshold (weighted with `sampleWeight`). */
  readonly fpr: number;
}

/**
 * Kolmogorov–Smirnov statistic of a credit score: the largest gap `|TPR − FPR|` over the ROC
 * curve (sklearn `roc_curve`, `drop_intermediate=False`), which equals the two-sample KS
 * statistic between the score distributions of positives and negatives
 * (`scipy.stats.ks_2samp`), and the cut-off where it occurs. With `sampleWeight`, the largest
 * gap between the weighted rates of the weighted ROC curve (see {@link rocCurve}), i.e. the KS
 * distance between the weighted score distributions of the two classes; zero-weight samples are
 * dropped and add no threshold.
 *
 * @param yTrue - True binary labels 0/1 (both classes present).
 * @param yScore - Scores, higher meaning more likely positive (e.g. probability of default).
 * @param options - {@link SampleWeightOptions}.
 * @returns A {@link KsResult}.
 * @throws {ShapeError} when the lengths of `yTrue`, `yScore` or `sampleWeight` differ.
 * @throws {DataError} on empty input, NaN/Infinity, labels other than 0/1, a single class (among
 *   the samples with non-zero weight), or negative or all-zero weights.
 * @throws {InvalidOptionError} on an invalid option.
 * @example
 * ```ts
 * import { ksStatistic } from 'finml';
 * ksStatistic([0, 0, 1, 1], [0.1, 0.4, 0.35, 0.8]);
 * //=> { statistic: 0.5, threshold: 0.8, tpr: 0.5, fpr: 0 }
 * ksStatistic([0, 0, 1, 1], [0.1, 0.4, 0.35, 0.8], { sampleWeight: [1, 1, 1, 3] });
 * //=> { statistic: 0.75, threshold: 0.8, tpr: 0.75, fpr: 0 }
 * ```
 * @category Metrics
 */
export function ksStatistic(yTrue: MetricInput, yScore: MetricInput, options?: SampleWeightOptions): KsResult {
  const o = resolveOptions('ksStatistic', options, WEIGHT_DEFAULTS, WEIGHT_RULES);
  const c = rocPoints(yTrue, yScore, 'ksStatistic', false, o.sampleWeight);
  let best = 0;
  let bestGap = -1;
  for (let k = 0; k < c.fpr.length; k++) {
    const gap = Math.abs((c.tpr[k] as number) - (c.fpr[k] as number));
    // A gap larger by rounding only (1 - 1/3 vs 2/3 - 0) is a tie: keep the higher cut-off.
    if (gap > bestGap + 1e-12) {
      bestGap = gap;
      best = k;
    }
  }
  return { statistic: bestGap, threshold: c.thresholds[best] as number, tpr: c.tpr[best] as number, fpr: c.fpr[best] as number };
}
