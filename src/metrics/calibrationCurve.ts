import { resolveOptions, rules } from '../core/options';
import { checkBinary, checkProbabilities, pair, quantileSorted, searchLeft } from '../_lib/metricInputs';
import type { MetricInput } from './types';

/**
 * Options of {@link calibrationCurve}.
 * @category Metrics
 */
export interface CalibrationCurveOptions {
  /**
   * Number of bins.
   * @defaultValue 5
   */
  readonly nBins?: number;
  /**
   * `'uniform'`: equal-width bins on [0, 1]; `'quantile'`: edges at quantiles of `yProb`
   * (linear interpolation, like numpy.percentile), so bins hold about equally many samples.
   * @defaultValue 'uniform'
   */
  readonly strategy?: 'uniform' | 'quantile';
}

/**
 * Reliability-diagram data: for each non-empty bin, the observed frequency of class 1
 * (`probTrue`), the mean predicted probability (`probPred`) and the number of samples (`counts`).
 * `binEdges` has `nBins + 1` entries (all bins, including empty ones).
 * @category Metrics
 */
export interface CalibrationCurve {
  readonly probTrue: number[];
  readonly probPred: number[];
  readonly counts: number[];
  readonly binEdges: number[];
}

const DEFAULTS: Required<CalibrationCurveOptions> = { nBins: 5, strategy: 'uniform' };
const RULES = { nBins: rules.int({ min: 1 }), strategy: rules.oneOf(['uniform', 'quantile']) } as const;

/**
 * Calibration curve (sklearn `calibration_curve`): samples are binned by predicted probability
 * (a value equal to an inner edge goes to the lower bin, as sklearn's `searchsorted`), and
 * empty bins are left out of `probTrue`, `probPred` and `counts`.
 *
 * @param yTrue - True binary labels 0/1.
 * @param yProb - Predicted probabilities of class 1, in [0, 1].
 * @param options - {@link CalibrationCurveOptions}.
 * @returns A new {@link CalibrationCurve}.
 * @throws {ShapeError} when the lengths differ.
 * @throws {DataError} on empty input, NaN/Infinity, labels other than 0/1 or probabilities outside [0, 1].
 * @throws {InvalidOptionError} on an invalid option.
 * @example
 * ```ts
 * import { calibrationCurve } from 'finml';
 * calibrationCurve([0, 0, 1, 1], [0.1, 0.3, 0.7, 0.9], { nBins: 2 });
 * //=> { probTrue: [0, 1], probPred: [0.2, 0.8], counts: [2, 2], binEdges: [0, 0.5, 1] }
 * ```
 * @category Metrics
 */
export function calibrationCurve(yTrue: MetricInput, yProb: MetricInput, options?: CalibrationCurveOptions): CalibrationCurve {
  const fn = 'calibrationCurve';
  const o = resolveOptions(fn, options, DEFAULTS, RULES);
  const [t, p] = pair(yTrue, yProb, fn, ['yTrue', 'yProb']);
  checkBinary(t, 'yTrue', fn);
  checkProbabilities(p, 'yProb', fn);
  const edges: number[] = [];
  if (o.strategy === 'uniform') {
    // Same arithmetic as numpy.linspace(0, 1, nBins + 1): i * step, last edge exactly 1.
    const step = 1 / o.nBins;
    for (let i = 0; i < o.nBins; i++) edges.push(i * step);
    edges.push(1);
  } else {
    const sorted = Float64Array.from(p).sort();
    for (let i = 0; i <= o.nBins; i++) edges.push(quantileSorted(sorted, i / o.nBins));
  }
  const inner = edges.slice(1, -1);
  const sumProb = new Float64Array(o.nBins);
  const sumTrue = new Float64Array(o.nBins);
  const total = new Float64Array(o.nBins);
  for (let i = 0; i < p.length; i++) {
    const b = searchLeft(inner, p[i] as number);
    sumProb[b] = (sumProb[b] as number) + (p[i] as number);
    sumTrue[b] = (sumTrue[b] as number) + (t[i] as number);
    total[b] = (total[b] as number) + 1;
  }
  const probTrue: number[] = [];
  const probPred: number[] = [];
  const counts: number[] = [];
  for (let b = 0; b < o.nBins; b++) {
    const n = total[b] as number;
    if (n === 0) continue;
    probTrue.push((sumTrue[b] as number) / n);
    probPred.push((sumProb[b] as number) / n);
    counts.push(n);
  }
  return { probTrue, probPred, counts, binEdges: edges };
}
