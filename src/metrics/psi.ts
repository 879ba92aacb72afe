import { InvalidOptionError } from '../core/errors';
import { resolveOptions, rules } from '../core/options';
import { SAMPLE_WEIGHT_RULE, searchLeft, vec } from './_internal/metricInputs';
import { quantileSorted } from '../core/_internal/stats';
import { sampleWeights, weightAt, weightSum } from './_internal/metricWeights';
import type { MetricInput } from './types';

/**
 * Options of {@link psi} and {@link psiTable}.
 * @category Metrics
 */
export interface PsiOptions {
  /**
   * Number of bins when the cut points come from quantiles of `expected` (deciles by default).
   * Duplicate quantiles (ties) are merged, so there may be fewer bins.
   * @defaultValue 10
   */
  readonly bins?: number;
  /**
   * Fixed, strictly increasing cut points instead of quantiles. Bins are
   * `(−∞, e₀], (e₀, e₁], …, (eₖ, +∞)`: values outside the edges still land in the open end bins
   * (bins empty in both samples contribute 0).
   * @defaultValue null
   */
  readonly edges?: readonly number[] | null;
  /**
   * Share used in place of 0 for a bin empty in one sample (the log would be infinite).
   * @defaultValue 1e-4
   */
  readonly epsilon?: number;
  /**
   * One weight per value of `expected` (finite, non-negative, not all zero), e.g. sampling
   * weights of the development sample: bin shares become weight shares, so an integer weight `k`
   * acts like repeating the value `k` times. Quantile cut points stay unweighted: they are the
   * quantiles of the `expected` values with non-zero weight (a zero weight removes the value,
   * other weights do not move the cuts). `null` means unit weights. A tensor is read, never disposed.
   * @defaultValue null
   */
  readonly expectedWeight?: MetricInput | null;
  /**
   * One weight per value of `actual` (finite, non-negative, not all zero): bin shares become
   * weight shares. `null` means unit weights. A tensor is read, never disposed.
   * @defaultValue null
   */
  readonly actualWeight?: MetricInput | null;
}

/**
 * One bin of a {@link PsiTable}: `(lower, upper]`.
 * @category Metrics
 */
export interface PsiBin {
  readonly lower: number;
  readonly upper: number;
  /** Number of `expected` values in the bin; with `expectedWeight`, the sum of their weights. */
  readonly expectedCount: number;
  /** Number of `actual` values in the bin; with `actualWeight`, the sum of their weights. */
  readonly actualCount: number;
  /** (Weighted) share of `expected` in the bin (epsilon if empty). */
  readonly expectedShare: number;
  /** (Weighted) share of `actual` in the bin (epsilon if empty). */
  readonly actualShare: number;
  /** `(actualShare − expectedShare) · ln(actualShare / expectedShare)`. */
  readonly contribution: number;
}

/**
 * Result of {@link psiTable}: the index and its per-bin decomposition.
 * @category Metrics
 */
export interface PsiTable {
  readonly psi: number;
  readonly bins: readonly PsiBin[];
}

const DEFAULTS: {
  readonly bins: number;
  readonly edges: readonly number[] | null;
  readonly epsilon: number;
  readonly expectedWeight: MetricInput | null;
  readonly actualWeight: MetricInput | null;
} = {
  bins: 10,
  edges: null,
  epsilon: 1e-4,
  expectedWeight: null,
  actualWeight: null,
};
const RULES = {
  bins: rules.int({ min: 1 }),
  edges: rules.nullable(rules.numberArray({ nonEmpty: true })),
  epsilon: rules.number({ min: 0, max: 0.5, exclusiveMin: true }),
  expectedWeight: SAMPLE_WEIGHT_RULE,
  actualWeight: SAMPLE_WEIGHT_RULE,
} as const;

/**
 * Population stability index with its per-bin table: how far the distribution of `actual`
 * (e.g. this month's scores) has moved from `expected` (e.g. the development sample).
 * `PSI = Σ (aᵢ − eᵢ) · ln(aᵢ / eᵢ)` over bins with shares `eᵢ`, `aᵢ`; bins come from the
 * quantiles of `expected` (numpy.percentile, linear) or from fixed `edges`, and an empty bin's
 * share is replaced by `epsilon`. Rule of thumb: < 0.1 stable, 0.1–0.25 some shift, > 0.25 major shift.
 * With fixed edges the index is symmetric in its two arguments. With `expectedWeight` /
 * `actualWeight`, the shares are weight shares and the counts weight sums (see
 * {@link PsiOptions.expectedWeight}).
 *
 * @param expected - Reference sample (scores or a feature).
 * @param actual - Sample to compare (any length).
 * @param options - {@link PsiOptions}.
 * @returns A {@link PsiTable}.
 * @throws {ShapeError} when a weight vector's length differs from its sample's.
 * @throws {DataError} on an empty sample, NaN/Infinity, or negative or all-zero weights.
 * @throws {InvalidOptionError} on an invalid option or edges not strictly increasing.
 * @example
 * ```ts
 * import { psiTable } from 'finml';
 * const t = psiTable([1, 2, 3, 4], [3, 4, 4, 4], { edges: [2.5] });
 * t.bins.map((b) => b.actualShare); //=> [0.0001, 1]
 * t.psi; //=> 4.60... (= (1e-4 − 0.5)·ln(1e-4/0.5) + (1 − 0.5)·ln(1/0.5))
 * const w = psiTable([1, 2, 3, 4], [1, 3, 4], { edges: [2.5], actualWeight: [2, 1, 1] });
 * w.bins.map((b) => b.actualCount); //=> [2, 2]
 * w.psi; //=> 0
 * ```
 * @category Metrics
 */
export function psiTable(expected: MetricInput, actual: MetricInput, options?: PsiOptions): PsiTable {
  return compute(expected, actual, options, 'psiTable');
}

/**
 * Population stability index between two samples: see {@link psiTable} for the definition and
 * the per-bin decomposition.
 *
 * @param expected - Reference sample (scores or a feature).
 * @param actual - Sample to compare (any length).
 * @param options - {@link PsiOptions}.
 * @returns The PSI (>= 0).
 * @throws {ShapeError} when a weight vector's length differs from its sample's.
 * @throws {DataError} on an empty sample, NaN/Infinity, or negative or all-zero weights.
 * @throws {InvalidOptionError} on an invalid option or edges not strictly increasing.
 * @example
 * ```ts
 * import { psi } from 'finml';
 * psi([1, 2, 3, 4], [1, 2, 3, 4]); //=> 0
 * psi([1, 2, 3, 4], [1, 4], { edges: [2.5], actualWeight: [3, 1] }); //=> 0.2746530721670274 (= 0.25·ln(0.75/0.5) − 0.25·ln(0.25/0.5) = ln(3)/4)
 * ```
 * @category Metrics
 */
export function psi(expected: MetricInput, actual: MetricInput, options?: PsiOptions): number {
  return compute(expected, actual, options, 'psi').psi;
}

function compute(expected: MetricInput, actual: MetricInput, options: PsiOptions | undefined, fn: string): PsiTable {
  const o = resolveOptions(fn, options, DEFAULTS, RULES);
  const e = vec(expected, 'expected', fn);
  const a = vec(actual, 'actual', fn);
  const we = sampleWeights(o.expectedWeight, e.length, fn, 'expectedWeight', 'expected');
  const wa = sampleWeights(o.actualWeight, a.length, fn, 'actualWeight', 'actual');
  let cuts: number[];
  if (o.edges !== null) {
    cuts = [...o.edges];
    for (let i = 1; i < cuts.length; i++) {
      if (!((cuts[i] as number) > (cuts[i - 1] as number))) {
        throw new InvalidOptionError({ fn, arg: 'edges', expected: 'strictly increasing cut points', got: `[${cuts.join(', ')}]` });
      }
    }
  } else {
    // Unweighted quantiles of the expected values that carry weight.
    const sorted = (we === null ? Float64Array.from(e) : e.filter((_, i) => (we[i] as number) !== 0)).sort();
    cuts = [];
    for (let i = 1; i < o.bins; i++) {
      const q = quantileSorted(sorted, i / o.bins);
      if (cuts.length === 0 || q > (cuts[cuts.length - 1] as number)) cuts.push(q);
    }
  }
  const k = cuts.length + 1;
  const ce = new Float64Array(k);
  const ca = new Float64Array(k);
  // Without weights each value adds 1 and the totals are the lengths (unweighted results unchanged).
  for (let i = 0; i < e.length; i++) ce[searchLeft(cuts, e[i] as number)]! += weightAt(we, i);
  for (let i = 0; i < a.length; i++) ca[searchLeft(cuts, a[i] as number)]! += weightAt(wa, i);
  const te = weightSum(we, e.length);
  const ta = weightSum(wa, a.length);
  const bins: PsiBin[] = [];
  let total = 0;
  for (let b = 0; b < k; b++) {
    const ec = ce[b] as number;
    const ac = ca[b] as number;
    const es = ec === 0 ? o.epsilon : ec / te;
    const as = ac === 0 ? o.epsilon : ac / ta;
    const contribution = (as - es) * Math.log(as / es);
    total += contribution;
    bins.push({
      lower: b === 0 ? Number.NEGATIVE_INFINITY : (cuts[b - 1] as number),
      upper: b === k - 1 ? Number.POSITIVE_INFINITY : (cuts[b] as number),
      expectedCount: ec,
      actualCount: ac,
      expectedShare: es,
      actualShare: as,
      contribution,
    });
  }
  return { psi: total, bins };
}
