/** Private numeric helpers for src/data (numpy-compatible percentiles, modes). */

/** Linear-interpolation percentile of an ascending-sorted array (numpy's default method). */
export function percentileSorted(sorted: ArrayLike<number>, q: number): number {
  const n = sorted.length;
  if (n === 0) return Number.NaN;
  const pos = (q / 100) * (n - 1);
  const lo = Math.floor(pos);
  const hi = Math.min(lo + 1, n - 1);
  const frac = pos - lo;
  const a = sorted[lo] as number;
  const b = sorted[hi] as number;
  if (frac === 0) return a;
  const d = b - a;
  return Number.isFinite(d) ? a + d * frac : a * (1 - frac) + b * frac; // no overflow near ±MAX_VALUE
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
