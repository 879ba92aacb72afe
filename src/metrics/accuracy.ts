import { resolveOptions } from '../core/options';
import { THRESHOLD_DEFAULTS, THRESHOLD_RULES, binaryLabelsAndPredictions, pair } from '../_lib/metricInputs';
import type { MetricInput, ThresholdOptions } from './types';

/**
 * Fraction of correctly predicted labels (sklearn `accuracy_score`).
 *
 * With the default `threshold` (0.5), `yTrue` must hold binary labels 0/1 and `yPred` scores or
 * labels, predicted positive when `yPred >= threshold`. With `threshold: null`, `yPred` holds
 * labels compared exactly with `yTrue` (multiclass allowed).
 *
 * @param yTrue - True labels.
 * @param yPred - Scores (thresholded) or labels (with `threshold: null`).
 * @param options - {@link ThresholdOptions}.
 * @returns The accuracy in [0, 1].
 * @throws {ShapeError} when the lengths differ.
 * @throws {DataError} on empty input, NaN/Infinity, or non-binary `yTrue` when thresholding.
 * @throws {InvalidOptionError} on an invalid option.
 * @example
 * ```ts
 * import { accuracy } from 'finml';
 * accuracy([0, 1, 1, 0], [0.2, 0.7, 0.4, 0.1]); //=> 0.75
 * accuracy([0, 2, 1], [0, 2, 2], { threshold: null }); //=> 0.6666666666666666
 * ```
 * @category Metrics
 */
export function accuracy(yTrue: MetricInput, yPred: MetricInput, options?: ThresholdOptions): number {
  const fn = 'accuracy';
  const o = resolveOptions(fn, options, THRESHOLD_DEFAULTS, THRESHOLD_RULES);
  const [t, p] = o.threshold === null ? pair(yTrue, yPred, fn) : binaryLabelsAndPredictions(yTrue, yPred, fn, o.threshold);
  let ok = 0;
  for (let i = 0; i < t.length; i++) if (t[i] === p[i]) ok++;
  return ok / t.length;
}
