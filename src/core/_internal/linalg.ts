/**
 * Small dense linear algebra on Float64Array (row-major): Cholesky factorisation and SPD solves,
 * shared by the closed-form estimators and KernelSHAP.
 * @internal
 */
/**
 * Cholesky factor of a symmetric positive definite n×n matrix (row-major), or `null` when it is
 * numerically singular.
 */
export function cholesky(a: Float64Array, n: number): Float64Array | null {
  const l = new Float64Array(n * n);
  let maxDiag = 0;
  for (let i = 0; i < n; i++) maxDiag = Math.max(maxDiag, Math.abs(a[i * n + i] as number));
  const tol = 1e-12 * Math.max(maxDiag, Number.MIN_VALUE);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j <= i; j++) {
      let s = a[i * n + j] as number;
      for (let k = 0; k < j; k++) s -= (l[i * n + k] as number) * (l[j * n + k] as number);
      if (i === j) {
        if (!(s > tol)) return null;
        l[i * n + i] = Math.sqrt(s);
      } else {
        l[i * n + j] = s / (l[j * n + j] as number);
      }
    }
  }
  return l;
}

/** Solves `L Lᵀ x = b` given the Cholesky factor `L` (returns a new array). */
export function choleskySolve(l: Float64Array, n: number, b: ArrayLike<number>): Float64Array {
  const y = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    let s = b[i] as number;
    for (let k = 0; k < i; k++) s -= (l[i * n + k] as number) * (y[k] as number);
    y[i] = s / (l[i * n + i] as number);
  }
  const x = new Float64Array(n);
  for (let i = n - 1; i >= 0; i--) {
    let s = y[i] as number;
    for (let k = i + 1; k < n; k++) s -= (l[k * n + i] as number) * (x[k] as number);
    x[i] = s / (l[i * n + i] as number);
  }
  return x;
}

/**
 * Solves A x = b for a symmetric positive (semi-)definite A (n×n, row-major) by Cholesky,
 * adding a growing diagonal jitter when A is (numerically) singular. Returns x and the jitter used.
 */
export function solveSpd(a: Float64Array, b: Float64Array, n: number): { x: Float64Array; jitter: number } {
  let scale = 0;
  for (let i = 0; i < n; i++) scale = Math.max(scale, Math.abs(a[i * n + i] as number));
  if (scale === 0) scale = 1;
  for (let attempt = 0; attempt < 12; attempt++) {
    const jitter = attempt === 0 ? 0 : scale * 10 ** (attempt - 14);
    const aj = jitter === 0 ? a : a.slice();
    if (jitter !== 0) for (let i = 0; i < n; i++) aj[i * n + i] = (aj[i * n + i] as number) + jitter;
    const l = cholesky(aj, n);
    if (l !== null) return { x: choleskySolve(l, n, b), jitter };
  }
  throw new RangeError('solveSpd: matrix is not positive definite even with jitter');
}
