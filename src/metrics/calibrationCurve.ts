import { resolveOptions, rules } from '../core/options';
import { SAMPLE_WEIGHT_RULE, checkBinary, checkProbabilities, pair, searchLeft } from './_internal/metricInputs';
import { quantileSorted } from '../core/_internal/stats';
import { sampleWeights, weightAt } from './_internal/metricWeights';
import type { MetricInput, SampleWeightOptions } from './types';

/**
 * Options of {@link calibrationCurve}.
 * @category Metrics
 */
export interface CalibrationCurveOptions extends SampleWeightOptions {
  /**
   * Number of bins.
   * @defaultValue 5
   */
  readonly nBins?: number;
  /**
   * `'uniform'`: equal-width bins on [0, 1]; `'quantile'`: edges at quantiles of `yProb`
   * (linear interpolation, like numpy.percentile), so bins hold about equally many samples.
   * With `sampleWeight`, the quantile edges stay unweighted: they are the quantiles of the
   * probabilities of the samples with non-zero weight (a zero weight removes the sample, other
   * weights do not move the edges, so bins hold about equally many samples, not equal weight).
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
  /** Observed (weighted) frequency of class 1 in each non-empty bin. */
  readonly probTrue: number[];
  /** (Weighted) mean predicted probability in each non-empty bin. */
  readonly probPred: number[];
  /** Number of samples in each non-empty bin; with `sampleWeight`, the sum of their weights (not a count). */
  readonly counts: number[];
  readonly binEdges: number[];
}

const DEFAULTS: {
  readonly nBins: number;
  readonly strategy: 'uniform' | 'quantile';
  readonly sampleWeight: MetricInput | null;
} = { nBins: 5, strategy: 'uniform', sampleWeight: null };
const RULES = {
  nBins: rules.int({ min: 1 }),
  strategy: rules.oneOf(['uniform', 'quantile']),
  sampleWeight: SAMPLE_WEIGHT_RULE,
} as const;

/**
 * Calibration curve (sklearn `calibration_curve`): samples are binned by predicted probability
 * (a value equal to an inner edge goes to the lower bin, as sklearn's `searchsorted`), and
 * empty bins are left out of `probTrue`, `probPred` and `counts`. With `sampleWeight`,
 * `probTrue` and `probPred` are weighted means, `counts` are weight sums, and bins whose weight
 * sum is 0 count as empty; with the uniform strategy an integer weight `k` acts like repeating the
 * sample `k` times (with `'quantile'` the edges are unweighted, see
 * {@link CalibrationCurveOptions.strategy}).
 *
 * @param yTrue - True binary labels 0/1.
 * @param yProb - Predicted probabilities of class 1, in [0, 1].
 * @param options - {@link CalibrationCurveOptions}.
 * @returns A new {@link CalibrationCurve}.
 * @throws {ShapeError} when the lengths of `yTrue`, `yProb` or `sampleWeight` differ.
 * @throws {DataError} on empty input, NaN/Infinity, labels other than 0/1, probabilities outside
 *   [0, 1], or negative or all-zero weights.
 * @throws {InvalidOptionError} on an invalid option.
 * @example
 * ```ts
 * import { calibrationCurve } from 'finml';
 * calibrationCurve([0, 0, 1, 1], [0.1, 0.3, 0.7, 0.9], { nBins: 2 });
 * //=> { probTrue: [0, 1], probPred: [0.2, 0.8], counts: [2, 2], binEdges: [0, 0.5, 1] }
 * calibrationCurve([0, 1, 0, 1], [0.2, 0.2, 0.6, 0.6], { nBins: 2, sampleWeight: [3, 1, 1, 1] });
 * //=> { probTrue: [0.25, 0.5], probPred: [0.2, 0.6], counts: [4, 2], binEdges: [0, 0.5, 1] }
 * ```
 * @category Metrics
 */
export function calibrationCurve(yTrue: MetricInput, yProb: MetricInput, options?: CalibrationCurveOptions): CalibrationCurve {
  const fn = 'calibrationCurve';
  const o = resolveOptions(fn, options, DEFAULTS, RULES);
  const [t, p] = pair(yTrue, yProb, fn, ['yTrue', 'yProb']);
  checkBinary(t, 'yTrue', fn);
  checkProbabilities(p, 'yProb', fn);
  const w = sampleWeights(o.sampleWeight, t.length, fn);
  const edges: number[] = [];
  if (o.strategy === 'uniform') {
    // Same arithmetic as numpy.linspace(0, 1, nBins + 1): i * step, last edge exactly 1.
    const step = 1 / o.nBins;
    for (let i = 0; i < o.nBins; i++) edges.push(i * step);
    edges.push(1);
  } else {
    // Unweighted quantiles of the probabilities of the samples that carry weight.
    const sorted = (w === null ? Float64Array.from(p) : p.filter((_, i) => (w[i] as number) !== 0)).sort();
    // numpy.percentile(p, linspace(0, 1, nBins + 1) * 100): the same float steps as sklearn.
    for (let i = 0; i <= o.nBins; i++) edges.push(quantileSorted(sorted, i === o.nBins ? 1 : (i * (1 / o.nBins) * 100) / 100));
  }
  const inner = edges.slice(1, -1);
  const sumProb = new Float64Array(o.nBins);
  const sumTrue = new Float64Array(o.nBins);
  const total = new Float64Array(o.nBins);
  for (let i = 0; i < p.length; i++) {
    // Without weights wi is 1 and wi * x === x: the unweighted sums are unchanged.
    const wi = weightAt(w, i);
    if (wi === 0) continue;
    const b = searchLeft(inner, p[i] as number);
    sumProb[b] = (sumProb[b] as number) + wi * (p[i] as number);
    sumTrue[b] = (sumTrue[b] as number) + wi * (t[i] as number);
    total[b] = (total[b] as number) + wi;
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
