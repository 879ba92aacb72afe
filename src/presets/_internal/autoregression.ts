/**
 * Least squares and autoregression helpers on Float64Array (row-major), shared by
 * fitAutoregression and the forecaster.
 * @internal
 */

/** Least squares of y on the columns of x (m×k, row-major) by Householder QR: coefficients and SSR. Near-zero pivots get coefficient 0. */
export function leastSquares(x: Float64Array, y: Float64Array, m: number, k: number): { beta: Float64Array; ssr: number } {
  const a = x.slice();
  const b = y.slice();
  const diag = new Float64Array(k);
  let scale = 0;
  for (let i = 0; i < a.length; i++) scale = Math.max(scale, Math.abs(a[i] as number));
  for (let j = 0; j < k; j++) {
    let norm = 0;
    for (let i = j; i < m; i++) norm += (a[i * k + j] as number) ** 2;
    norm = Math.sqrt(norm);
    if (norm <= 1e-13 * Math.max(scale, 1e-300) * Math.sqrt(m)) {
      diag[j] = 0;
      continue;
    }
    const alpha = (a[j * k + j] as number) > 0 ? -norm : norm;
    // v = a[j:, j] - alpha e1, stored in place
    a[j * k + j] = (a[j * k + j] as number) - alpha;
    let vv = 0;
    for (let i = j; i < m; i++) vv += (a[i * k + j] as number) ** 2;
    if (vv > 0) {
      for (let c = j + 1; c < k; c++) {
        let s = 0;
        for (let i = j; i < m; i++) s += (a[i * k + j] as number) * (a[i * k + c] as number);
        const f = (2 * s) / vv;
        for (let i = j; i < m; i++) a[i * k + c] = (a[i * k + c] as number) - f * (a[i * k + j] as number);
      }
      let s = 0;
      for (let i = j; i < m; i++) s += (a[i * k + j] as number) * (b[i] as number);
      const f = (2 * s) / vv;
      for (let i = j; i < m; i++) b[i] = (b[i] as number) - f * (a[i * k + j] as number);
    }
    diag[j] = alpha;
  }
  const beta = new Float64Array(k);
  for (let j = k - 1; j >= 0; j--) {
    const d = diag[j] as number;
    if (d === 0) continue;
    let s = b[j] as number;
    for (let c = j + 1; c < k; c++) s -= (a[j * k + c] as number) * (beta[c] as number);
    beta[j] = s / d;
  }
  let ssr = 0;
  for (let i = 0; i < m; i++) {
    let p = 0;
    for (let j = 0; j < k; j++) p += (x[i * k + j] as number) * (beta[j] as number);
    ssr += ((y[i] as number) - p) ** 2;
  }
  return { beta, ssr };
}

/** Fits AR(p) on y[start..] with y[start-p..start-1] as presample: intercept, coefficients, SSR, nObs. */
export function fitArOrder(y: Float64Array, p: number, start: number): { beta: Float64Array; ssr: number; m: number } {
  const m = y.length - start;
  const k = p + 1;
  const x = new Float64Array(m * k);
  const t = new Float64Array(m);
  for (let i = 0; i < m; i++) {
    const row = start + i;
    x[i * k] = 1;
    for (let l = 1; l <= p; l++) x[i * k + l] = y[row - l] as number;
    t[i] = y[row] as number;
  }
  const { beta, ssr } = leastSquares(x, t, m, k);
  return { beta, ssr, m };
}

export const arAic = (ssr: number, m: number, p: number): number => m * (Math.log(2 * Math.PI) + Math.log(Math.max(ssr, 1e-300) / m) + 1) + 2 * (p + 2);


/** Iterated AR forecasts 1..steps ahead from the last `coef.length` values of `tail` (oldest first). */
export function arForecastSteps(intercept: number, coef: ArrayLike<number>, tail: ArrayLike<number>, steps: number): number[] {
  const p = coef.length;
  const buf: number[] = [];
  for (let i = tail.length - p; i < tail.length; i++) buf.push(tail[i] as number);
  const out: number[] = [];
  for (let s = 0; s < steps; s++) {
    let v = intercept;
    for (let l = 1; l <= p; l++) v += (coef[l - 1] as number) * (buf[buf.length - l] as number);
    out.push(v);
    buf.push(v);
  }
  return out;
}
