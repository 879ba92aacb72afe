/**
 * Seeded weighted k-means (k-means++ initialisation, Lloyd iterations), used to summarise
 * backgrounds for explainers.
 *
 * @module
 */
import type { DenseMatrix } from '../matrix';
import type { Rng } from '../random';

/** Result of {@link kmeansSummary}: centroids (row-major) and their weights (summing to 1). */
export interface WeightedRows {
  readonly rows: number;
  readonly cols: number;
  readonly data: Float64Array;
  readonly weights: Float64Array;
}

function sqDist(a: Float64Array, ai: number, b: Float64Array, bi: number, cols: number): number {
  let s = 0;
  for (let j = 0; j < cols; j++) {
    const d = (a[ai + j] as number) - (b[bi + j] as number);
    s += d * d;
  }
  return s;
}

/**
 * Seeded k-means (k-means++ initialisation, Lloyd iterations) summarising `x` into at most `k`
 * centroids weighted by cluster size. Each centroid coordinate is then snapped to the nearest
 * value observed in that column, so one-hot and integer-coded columns keep valid values.
 */
export function kmeansSummary(x: DenseMatrix, k: number, rng: Rng, maxIter = 100): WeightedRows {
  const { rows: n, cols, data } = x;
  const kk = Math.min(k, n);
  const centers = new Float64Array(kk * cols);
  // k-means++ seeding.
  const first = rng.int(n);
  centers.set(data.subarray(first * cols, (first + 1) * cols), 0);
  const d2 = new Float64Array(n).fill(Number.POSITIVE_INFINITY);
  for (let c = 1; c < kk; c++) {
    let total = 0;
    for (let i = 0; i < n; i++) {
      const d = sqDist(data, i * cols, centers, (c - 1) * cols, cols);
      if (d < (d2[i] as number)) d2[i] = d;
      total += d2[i] as number;
    }
    let pick = 0;
    if (total > 0) {
      let u = rng.next() * total;
      for (let i = 0; i < n; i++) {
        u -= d2[i] as number;
        if (u < 0) {
          pick = i;
          break;
        }
        pick = i;
      }
    } else {
      pick = rng.int(n);
    }
    centers.set(data.subarray(pick * cols, (pick + 1) * cols), c * cols);
  }
  const assign = new Int32Array(n).fill(-1);
  const counts = new Float64Array(kk);
  for (let iter = 0; iter < maxIter; iter++) {
    let changed = false;
    for (let i = 0; i < n; i++) {
      let best = 0;
      let bestD = Number.POSITIVE_INFINITY;
      for (let c = 0; c < kk; c++) {
        const d = sqDist(data, i * cols, centers, c * cols, cols);
        if (d < bestD) {
          bestD = d;
          best = c;
        }
      }
      if (assign[i] !== best) {
        assign[i] = best;
        changed = true;
      }
    }
    if (!changed && iter > 0) break;
    centers.fill(0);
    counts.fill(0);
    for (let i = 0; i < n; i++) {
      const c = assign[i] as number;
      counts[c] = (counts[c] as number) + 1;
      for (let j = 0; j < cols; j++) centers[c * cols + j] = (centers[c * cols + j] as number) + (data[i * cols + j] as number);
    }
    for (let c = 0; c < kk; c++) {
      const m = counts[c] as number;
      if (m > 0) for (let j = 0; j < cols; j++) centers[c * cols + j] = (centers[c * cols + j] as number) / m;
    }
  }
  // Snap each coordinate to the nearest observed value of its column.
  for (let j = 0; j < cols; j++) {
    const vals = new Float64Array(n);
    for (let i = 0; i < n; i++) vals[i] = data[i * cols + j] as number;
    vals.sort();
    for (let c = 0; c < kk; c++) centers[c * cols + j] = nearest(vals, centers[c * cols + j] as number);
  }
  const keep: number[] = [];
  for (let c = 0; c < kk; c++) if ((counts[c] as number) > 0) keep.push(c);
  const out = new Float64Array(keep.length * cols);
  const weights = new Float64Array(keep.length);
  keep.forEach((c, i) => {
    out.set(centers.subarray(c * cols, (c + 1) * cols), i * cols);
    weights[i] = (counts[c] as number) / n;
  });
  return { rows: keep.length, cols, data: out, weights };
}

function nearest(sorted: Float64Array, v: number): number {
  let lo = 0;
  let hi = sorted.length - 1;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if ((sorted[mid] as number) < v) lo = mid + 1;
    else hi = mid;
  }
  const a = sorted[lo] as number;
  const b = lo > 0 ? (sorted[lo - 1] as number) : a;
  return Math.abs(b - v) <= Math.abs(a - v) ? b : a;
}
