import { DataError, InvalidOptionError, describeValue } from '../core/errors';
import { resolveOptions, rules } from '../core/options';
import { SAMPLE_WEIGHT_RULE, binaryCounts, binaryLabelsAndPredictions, classLabels, pair } from './_internal/metricInputs';
import { sampleWeights } from './_internal/metricWeights';
import type { MetricInput, SampleWeightOptions } from './types';

/**
 * Options of {@link confusionMatrix}.
 * @category Metrics
 */
export interface ConfusionMatrixOptions extends SampleWeightOptions {
  /**
   * Binary case: scores are predicted positive when `yPred >= threshold`. `null` means `yPred`
   * holds class labels; then the matrix is multiclass over `labels` (or the sorted union of the
   * labels seen). Ignored (must stay default or null) when `labels` is given.
   * @defaultValue 0.5
   */
  readonly threshold?: number | null;
  /**
   * Class labels, in the order of the matrix rows/columns (multiclass). Every value of `yTrue`
   * and `yPred` must be one of them. `null`: binary with a threshold, or the sorted union of the
   * observed labels when `threshold` is null.
   * @defaultValue null
   */
  readonly labels?: readonly number[] | null;
}

const DEFAULTS: {
  readonly threshold: number | null;
  readonly labels: readonly number[] | null;
  readonly sampleWeight: MetricInput | null;
} = {
  threshold: 0.5,
  labels: null,
  sampleWeight: null,
};
const RULES = {
  threshold: rules.nullable(rules.number()),
  labels: rules.nullable(rules.numberArray({ nonEmpty: true })),
  sampleWeight: SAMPLE_WEIGHT_RULE,
} as const;

/**
 * Confusion matrix (sklearn `confusion_matrix`): rows are true classes, columns predicted
 * classes. In the binary case (default) the result is `[[TN, FP], [FN, TP]]`. With
 * `sampleWeight`, each cell is the sum of the weights of its samples instead of their count.
 *
 * @param yTrue - True labels (0/1 in the binary case).
 * @param yPred - Scores (binary, thresholded) or class labels (`threshold: null` or `labels`).
 * @param options - {@link ConfusionMatrixOptions}.
 * @returns A new `number[][]` of counts (or weight sums), `k × k` for `k` labels.
 * @throws {ShapeError} when the lengths of `yTrue`, `yPred` or `sampleWeight` differ.
 * @throws {DataError} on empty input, NaN/Infinity, non-binary labels (binary case) or a label
 *   not in `labels`, negative or all-zero weights.
 * @throws {InvalidOptionError} on an invalid option, duplicated labels, or a numeric `threshold`
 *   together with `labels`.
 * @example
 * ```ts
 * import { confusionMatrix } from 'finml';
 * confusionMatrix([0, 1, 1, 0], [0.2, 0.9, 0.3, 0.6]); //=> [[1, 1], [1, 1]]
 * confusionMatrix([0, 2, 1, 2], [0, 2, 2, 1], { labels: [0, 1, 2] });
 * //=> [[1, 0, 0], [0, 0, 1], [0, 1, 1]]
 * confusionMatrix([0, 1, 1, 0], [0.2, 0.9, 0.3, 0.6], { sampleWeight: [1, 2, 0.5, 3] });
 * //=> [[1, 3], [0.5, 2]]
 * ```
 * @category Metrics
 */
export function confusionMatrix(yTrue: MetricInput, yPred: MetricInput, options?: ConfusionMatrixOptions): number[][] {
  const fn = 'confusionMatrix';
  const given = options?.labels !== undefined && options.labels !== null && options.threshold === undefined
    ? { ...options, threshold: null }
    : options;
  const o = resolveOptions(fn, given, DEFAULTS, RULES);
  if (o.labels === null && o.threshold !== null) {
    const [t, p] = binaryLabelsAndPredictions(yTrue, yPred, fn, o.threshold);
    const c = binaryCounts(t, p, sampleWeights(o.sampleWeight, t.length, fn));
    return [
      [c.tn, c.fp],
      [c.fn, c.tp],
    ];
  }
  if (o.labels !== null && o.threshold !== null) {
    throw new InvalidOptionError({ fn, arg: 'threshold', expected: 'null when labels are given (yPred must hold labels)', got: describeValue(o.threshold) });
  }
  const [t, p] = pair(yTrue, yPred, fn);
  const w = sampleWeights(o.sampleWeight, t.length, fn);
  const labels = classLabels(o.labels, t, p, fn);
  const index = new Map<number, number>(labels.map((l, i) => [l, i]));
  const m = labels.map(() => labels.map(() => 0));
  for (let i = 0; i < t.length; i++) {
    const a = index.get(t[i] as number);
    const b = index.get(p[i] as number);
    if (a === undefined || b === undefined) {
      const arg = a === undefined ? 'yTrue' : 'yPred';
      const v = a === undefined ? t[i] : p[i];
      throw new DataError({ fn, arg, expected: `labels among [${labels.join(', ')}]`, got: `${describeValue(v)} at index ${i}` });
    }
    (m[a] as number[])[b] = ((m[a] as number[])[b] as number) + (w === null ? 1 : (w[i] as number));
  }
  return m;
}
