import { resolveOptions, rules } from '../core/options';
import { checkBinary, checkProbabilities, pair } from './_internal/metricInputs';
import { calibrationCurve } from './calibrationCurve';
import type { MetricInput } from './types';

/**
 * Options of {@link expectedCalibrationError}.
 * @category Metrics
 */
export interface ExpectedCalibrationErrorOptions {
  /** Number of bins. @defaultValue 10 */
  readonly nBins?: number;
  /**
   * `'uniform'`: equal-width bins on [0, 1]; `'quantile'`: equal-count bins with edges at quantiles
   * of `yProb` (same binning as {@link calibrationCurve} and scikit-learn's `calibration_curve`).
   * @defaultValue 'uniform'
   */
  readonly strategy?: 'uniform' | 'quantile';
}

const DEFAULTS: Required<ExpectedCalibrationErrorOptions> = { nBins: 10, strategy: 'uniform' };
const RULES = { nBins: rules.int({ min: 1 }), strategy: rules.oneOf(['uniform', 'quantile']) } as const;

/**
 * Expected calibration error: the sample-share-weighted mean absolute gap between the observed
 * default rate and the mean predicted probability over probability bins,
 * `Σ_b (n_b / n) · |mean(y_b) − mean(p_b)|`, with the bins of {@link calibrationCurve} (empty bins
 * contribute nothing). 0 is perfect; it depends on the binning, so report `nBins` and `strategy`
 * with it.
 *
 * @param yTrue - True binary labels 0/1.
 * @param yProb - Predicted probabilities of class 1, in [0, 1].
 * @param options - {@link ExpectedCalibrationErrorOptions}.
 * @returns the ECE in [0, 1].
 * @throws {ShapeError} when the lengths differ.
 * @throws {DataError} on empty input, NaN/Infinity, labels other than 0/1, probabilities outside [0, 1].
 * @throws {InvalidOptionError} on an invalid option.
 * @example
 * ```ts
 * import { expectedCalibrationError } from 'finml';
 * expectedCalibrationError([0, 0, 1, 1], [0.1, 0.3, 0.7, 0.9], { nBins: 2 }); //=> 0.2
 * expectedCalibrationError([0, 1, 0, 1], [0.5, 0.5, 0.5, 0.5], { nBins: 4, strategy: 'quantile' }); //=> 0
 * ```
 * @category Metrics
 */
export function expectedCalibrationError(yTrue: MetricInput, yProb: MetricInput, options?: ExpectedCalibrationErrorOptions): number {
  const fn = 'expectedCalibrationError';
  const o = resolveOptions(fn, options, DEFAULTS, RULES);
  const [t, p] = pair(yTrue, yProb, fn, ['yTrue', 'yProb']);
  checkBinary(t, 'yTrue', fn);
  checkProbabilities(p, 'yProb', fn);
  const c = calibrationCurve(t, p, { nBins: o.nBins, strategy: o.strategy });
  let n = 0;
  let s = 0;
  c.counts.forEach((k, b) => {
    n += k;
    s += k * Math.abs((c.probTrue[b] as number) - (c.probPred[b] as number));
  });
  return s / n;
}
