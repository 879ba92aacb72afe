/**
 * Piecewise-linear encoding (PLE, Gorishniy et al., NeurIPS 2022) of numeric columns for the risk
 * model: each chosen column of an encoded matrix gets T extra columns, one per quantile bin
 * [b_{t−1}, b_t) of its training values, holding clip((x − b_{t−1}) / (b_t − b_{t−1}), 0, 1). The
 * original column is kept, so a linear model on [x, PLE(x)] is an additive piecewise-linear model
 * (a GAM) whose ridge penalty shrinks toward the linear one. Fitted on the training rows only (no
 * target: the bins are unsupervised). @internal
 *
 * @module
 */
import type { DenseMatrix } from '../../core/matrix';

/** Fitted encoding: encoded-column indices and each one's bin edges (strictly increasing, ≥ 3). @internal */
export interface PiecewiseLinearEncoding {
  readonly columns: readonly number[];
  readonly edges: readonly (readonly number[])[];
}

/** Number of extra columns of an encoding. @internal */
export function pleWidth(enc: PiecewiseLinearEncoding): number {
  return enc.edges.reduce((s, e) => s + e.length - 1, 0);
}

/**
 * Bins per column: at most `maxBins`, and at most `budget` extra columns in all (T = ⌊budget / c⌋
 * for c candidate columns; no encoding when that is below 2), so that wide tables stay cheap.
 * Columns with fewer than 3 distinct training values are not encoded. @internal
 */
export function fitPiecewiseLinear(x: DenseMatrix, candidates: readonly number[], maxBins: number, budget: number): PiecewiseLinearEncoding {
  const n = x.rows;
  const cols: number[] = [];
  const sortedCols: Float64Array[] = [];
  for (const j of candidates) {
    const v = new Float64Array(n);
    for (let i = 0; i < n; i++) v[i] = x.data[i * x.cols + j] as number;
    v.sort();
    let distinct = 1;
    for (let i = 1; i < n && distinct < 3; i++) if (v[i] !== v[i - 1]) distinct++;
    if (distinct >= 3) {
      cols.push(j);
      sortedCols.push(v);
    }
  }
  const bins = cols.length === 0 ? 0 : Math.min(maxBins, Math.floor(budget / cols.length));
  if (bins < 2) return Object.freeze({ columns: Object.freeze([]), edges: Object.freeze([]) });
  const columns: number[] = [];
  const edges: (readonly number[])[] = [];
  cols.forEach((j, c) => {
    const v = sortedCols[c] as Float64Array;
    const e: number[] = [];
    for (let t = 0; t <= bins; t++) {
      const q = v[Math.min(n - 1, Math.round((t / bins) * (n - 1)))] as number;
      if (e.length === 0 || q > (e[e.length - 1] as number)) e.push(q);
    }
    if (e.length >= 3) {
      columns.push(j);
      edges.push(Object.freeze(e));
    }
  });
  return Object.freeze({ columns: Object.freeze(columns), edges: Object.freeze(edges) });
}

/** `[x, PLE(x)]`: the matrix with the encoding's columns appended (a new matrix). @internal */
export function applyPiecewiseLinear(x: DenseMatrix, enc: PiecewiseLinearEncoding): DenseMatrix {
  const extra = pleWidth(enc);
  if (extra === 0) return x;
  const cols = x.cols + extra;
  const data = new Float64Array(x.rows * cols);
  for (let i = 0; i < x.rows; i++) {
    const src = i * x.cols;
    const dst = i * cols;
    for (let j = 0; j < x.cols; j++) data[dst + j] = x.data[src + j] as number;
    let k = dst + x.cols;
    enc.columns.forEach((j, c) => {
      const v = x.data[src + j] as number;
      const e = enc.edges[c] as readonly number[];
      for (let t = 1; t < e.length; t++) {
        const lo = e[t - 1] as number;
        const hi = e[t] as number;
        data[k++] = v <= lo ? 0 : v >= hi ? 1 : (v - lo) / (hi - lo);
      }
    });
  }
  return { rows: x.rows, cols, data };
}

/**
 * `intercept + coef · [x, PLE(x)]` for every row (the encoding computed on the fly, the wide matrix
 * never built); with an empty encoding, a plain linear score. @internal
 */
export function linearScores(x: DenseMatrix, coef: readonly number[], intercept: number, enc: PiecewiseLinearEncoding): Float64Array {
  const out = new Float64Array(x.rows);
  for (let i = 0; i < x.rows; i++) {
    const src = i * x.cols;
    let z = intercept;
    for (let j = 0; j < x.cols; j++) z += (coef[j] as number) * (x.data[src + j] as number);
    let k = x.cols;
    for (let c = 0; c < enc.columns.length; c++) {
      const v = x.data[src + (enc.columns[c] as number)] as number;
      const e = enc.edges[c] as readonly number[];
      for (let t = 1; t < e.length; t++) {
        const lo = e[t - 1] as number;
        const hi = e[t] as number;
        z += (coef[k++] as number) * (v <= lo ? 0 : v >= hi ? 1 : (v - lo) / (hi - lo));
      }
    }
    out[i] = z;
  }
  return out;
}
