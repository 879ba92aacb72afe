import { resolveOptions, rules } from '../core/options';
import { SAMPLE_WEIGHT_RULE, checkBinary, checkProbabilities, pair } from './_internal/metricInputs';
import { sampleWeights, weightAt, weightSum } from './_internal/metricWeights';
import type { MetricInput, SampleWeightOptions } from './types';

/**
 * Options of {@link logLoss}.
 * @category Metrics
 */
export interface LogLossOptions extends SampleWeightOptions {
  /**
   * Probabilities are clipped to `[eps, 1 − eps]` before taking logs (sklearn 1.2's default).
   * @defaultValue 1e-15
   */
  readonly eps?: number;
}

const DEFAULTS: { readonly eps: number; readonly sampleWeight: MetricInput | null } = { eps: 1e-15, sampleWeight: null };
const RULES = { eps: rules.number({ min: 0, max: 0.5, exclusiveMin: true }), sampleWeight: SAMPLE_WEIGHT_RULE } as const;

/**
 * Binary cross-entropy (sklearn `log_loss`): the mean of
 * `−[y·ln(p) + (1 − y)·ln(1 − p)]`, natural logarithm, with `p` clipped to `[eps, 1 − eps]`;
 * with `sampleWeight`, the weighted mean.
 *
 * @param yTrue - True binary labels 0/1.
 * @param yProb - Predicted probabilities of class 1, in [0, 1].
 * @param options - {@link LogLossOptions}.
 * @returns The mean log loss (>= 0).
 * @throws {ShapeError} when the lengths of `yTrue`, `yProb` or `sampleWeight` differ.
 * @throws {DataError} on empty input, NaN/Infinity, labels other than 0/1, probabilities outside
 *   [0, 1], or negative or all-zero weights.
 * @throws {InvalidOptionError} on an invalid option.
 * @example
 * ```ts
 * import { logLoss } from 'finml';
 * logLoss([1, 0], [0.8, 0.4]); //=> 0.366985...  (= −(ln 0.8 + ln 0.6) / 2)
 * logLoss([1, 0], [0.8, 0.4], { sampleWeight: [3, 1] }); //=> 0.295064...  (= −(3 ln 0.8 + ln 0.6) / 4)
 * ```
 * @category Metrics
 */
export function logLoss(yTrue: MetricInput, yProb: MetricInput, options?: LogLossOptions): number {
  const fn = 'logLoss';
  const o = resolveOptions(fn, options, DEFAULTS, RULES);
  const [t, p] = pair(yTrue, yProb, fn, ['yTrue', 'yProb']);
  checkBinary(t, 'yTrue', fn);
  checkProbabilities(p, 'yProb', fn);
  const w = sampleWeights(o.sampleWeight, t.length, fn);
  let s = 0;
  for (let i = 0; i < t.length; i++) {
    const q = Math.min(Math.max(p[i] as number, o.eps), 1 - o.eps);
    s -= weightAt(w, i) * ((t[i] as number) === 1 ? Math.log(q) : Math.log(1 - q));
  }
  return s / weightSum(w, t.length);
}
