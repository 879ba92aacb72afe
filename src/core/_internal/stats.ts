/** Shared numerics: numpy-compatible quantiles, mean and standard deviation, modes. */

/**
 * numpy.quantile (linear method) of an ascending-sorted array, `q` in [0, 1]; NaN when empty.
 * Interpolates like numpy's `_lerp` (from the upper point when the fraction is >= 0.5, so edges are
 * bit-identical) and never overflows near ±MAX_VALUE.
 */
export function quantileSorted(sorted: ArrayLike<number>, q: number): number {
  const n = sorted.length;
  if (n === 0) return Number.NaN;
  const pos = q * (n - 1);
  const lo = Math.floor(pos);
  const hi = Math.min(lo + 1, n - 1);
  const frac = pos - lo;
  const a = sorted[lo] as number;
  const b = sorted[hi] as number;
  if (frac === 0) return a;
  const d = b - a;
  if (!Number.isFinite(d)) return a * (1 - frac) + b * frac;
  return frac >= 0.5 ? b - d * (1 - frac) : a + d * frac;
}

/** numpy.percentile (linear method) of an ascending-sorted array, `p` in [0, 100]. */
export function percentileSorted(sorted: ArrayLike<number>, p: number): number {
  return quantileSorted(sorted, p / 100);
}

/** Arithmetic mean of a non-empty list. */
export function mean(x: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < x.length; i++) s += x[i] as number;
  return s / x.length;
}

/**
 * Standard deviation with divisor `n − ddof`; exactly 0 for a constant series (the rounded mean of
 * identical values can differ from them by an ulp, which would give a spurious ~1e-17 deviation).
 */
export function stdOf(x: ArrayLike<number>, ddof: number): number {
  const first = x[0] as number;
  let constant = true;
  for (let i = 1; i < x.length && constant; i++) constant = x[i] === first;
  if (constant) return 0;
  const m = mean(x);
  let ss = 0;
  for (let i = 0; i < x.length; i++) ss += ((x[i] as number) - m) ** 2;
  return Math.sqrt(ss / (x.length - ddof));
}

/** Mean and population standard deviation (ddof = 0) of a non-empty list. */
export function meanStd(xs: readonly number[]): { mean: number; std: number } {
  const m = mean(xs);
  let v = 0;
  for (const x of xs) v += (x - m) * (x - m);
  return { mean: m, std: Math.sqrt(v / xs.length) };
}

/** Non-NaN values of column `j` of a row-major matrix, sorted ascending. */
export function sortedColumn(data: Float64Array, rows: number, cols: number, j: number): Float64Array {
  const vals: number[] = [];
  for (let i = 0; i < rows; i++) {
    const v = data[i * cols + j] as number;
    if (!Number.isNaN(v)) vals.push(v);
  }
  return Float64Array.from(vals).sort();
}

/** Most frequent value of a sorted array; ties go to the smallest value (like scikit-learn). */
export function modeSorted(sorted: ArrayLike<number>): number {
  let best = Number.NaN;
  let bestCount = 0;
  let i = 0;
  while (i < sorted.length) {
    const v = sorted[i] as number;
    let j = i;
    while (j < sorted.length && sorted[j] === v) j++;
    if (j - i > bestCount) {
      bestCount = j - i;
      best = v;
    }
    i = j;
  }
  return best;
}

/** Most frequent string; ties go to the smallest in code-unit order. Nulls ignored. */
export function modeStrings(values: readonly (string | null)[]): string | null {
  const counts = new Map<string, number>();
  for (const v of values) if (v !== null) counts.set(v, (counts.get(v) ?? 0) + 1);
  let best: string | null = null;
  let bestCount = 0;
  for (const [v, c] of counts) {
    if (c > bestCount || (c === bestCount && best !== null && v < best)) {
      best = v;
      bestCount = c;
    }
  }
  return best;
}

/** Sorted distinct non-null strings (code-unit order, like numpy's unique on str arrays). */
export function uniqueSorted(values: Iterable<string | null>): string[] {
  const s = new Set<string>();
  for (const v of values) if (v !== null) s.add(v);
  return [...s].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
}

/** The index of the largest of each row's `k` values in a row-major array (first one on ties). */
export function argmaxRows(flat: ArrayLike<number>, k: number): Int32Array {
  const n = flat.length / k;
  const out = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    let best = 0;
    for (let j = 1; j < k; j++) if ((flat[i * k + j] as number) > (flat[i * k + best] as number)) best = j;
    out[i] = best;
  }
  return out;
}
