import { resolveOptions } from '../core/options';
import { THRESHOLD_DEFAULTS, THRESHOLD_RULES, binaryLabelsAndPredictions, pair } from './_internal/metricInputs';
import { sampleWeights, weightAt, weightSum } from './_internal/metricWeights';
import type { MetricInput, ThresholdOptions } from './types';

/**
 * Fraction of correctly predicted labels (sklearn `accuracy_score`); with `sampleWeight`, the
 * weighted fraction `Σ w·[yTrue = yPred] / Σ w`.
 *
 * With the default `threshold` (0.5), `yTrue` must hold binary labels 0/1 and `yPred` scores or
 * labels, predicted positive when `yPred >= threshold`. With `threshold: null`, `yPred` holds
 * labels compared exactly with `yTrue` (multiclass allowed).
 *
 * @param yTrue - True labels.
 * @param yPred - Scores (thresholded) or labels (with `threshold: null`).
 * @param options - {@link ThresholdOptions} (`threshold`, `sampleWeight`).
 * @returns The accuracy in [0, 1].
 * @throws {ShapeError} when the lengths of `yTrue`, `yPred` or `sampleWeight` differ.
 * @throws {DataError} on empty input, NaN/Infinity, non-binary `yTrue` when thresholding, or
 *   negative or all-zero weights.
 * @throws {InvalidOptionError} on an invalid option.
 * @example
 * ```ts
 * import { accuracy } from 'finml';
 * accuracy([0, 1, 1, 0], [0.2, 0.7, 0.4, 0.1]); //=> 0.75
 * accuracy([0, 2, 1], [0, 2, 2], { threshold: null }); //=> 0.6666666666666666
 * accuracy([0, 2, 1], [0, 2, 2], { threshold: null, sampleWeight: [1, 1, 2] }); //=> 0.5
 * ```
 * @category Metrics
 */
export function accuracy(yTrue: MetricInput, yPred: MetricInput, options?: ThresholdOptions): number {
  const fn = 'accuracy';
  const o = resolveOptions(fn, options, THRESHOLD_DEFAULTS, THRESHOLD_RULES);
  const [t, p] = o.threshold === null ? pair(yTrue, yPred, fn) : binaryLabelsAndPredictions(yTrue, yPred, fn, o.threshold);
  const w = sampleWeights(o.sampleWeight, t.length, fn);
  let ok = 0;
  for (let i = 0; i < t.length; i++) if (t[i] === p[i]) ok += weightAt(w, i);
  return ok / weightSum(w, t.length);
}
