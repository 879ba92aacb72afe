/**
 * Small dense linear algebra on Float64Array (row-major), for closed-form estimators.
 * @internal
 */
import { cholesky, choleskySolve } from './explainMath';

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
