/**
 * Overflow-safe column statistics for the scalers: scaled accumulation for mean and variance of
 * values near the float64 limit, overflow-free differences, and the refusal of non-finite fitted
 * state (which JSON cannot carry) with a typed error.
 * @internal
 */
import { DataError } from '../../core/errors';

/**
 * Mean, population variance and standard deviation of column `j`. Ordinary two-pass sums when they
 * cannot overflow (bit-identical to the plain formula); otherwise the column is divided by its
 * largest magnitude first and the results scaled back, so the mean and the standard deviation are
 * right for any finite values (the variance itself may still exceed float64: Infinity).
 */
export function columnMeanVar(data: Float64Array, n: number, c: number, j: number): { mean: number; variance: number; std: number } {
  let big = 0;
  for (let i = 0; i < n; i++) big = Math.max(big, Math.abs(data[i * c + j] as number));
  // Plain sums are safe while n·(2·big)² stays finite.
  const safe = big === 0 || 4 * big * big * n < Number.MAX_VALUE;
  const k = safe ? 1 : big;
  let s = 0;
  for (let i = 0; i < n; i++) s += (data[i * c + j] as number) / k;
  const m = s / n;
  let ss = 0;
  let corr = 0;
  for (let i = 0; i < n; i++) {
    const d = (data[i * c + j] as number) / k - m;
    ss += d * d;
    corr += d;
  }
  const v = (ss - (corr * corr) / n) / n;
  return safe ? { mean: m, variance: v, std: Math.sqrt(v) } : { mean: m * k, variance: v * k * k, std: Math.sqrt(v) * k };
}

/** `(v - center) / scale` without overflow in the difference (falls back to `v/scale - center/scale`). */
export function centerScale(v: number, center: number, scale: number): number {
  const d = v - center;
  return Number.isFinite(d) ? d / scale : v / scale - center / scale;
}

/**
 * Throws a DataError when a fitted state field holds a non-finite number (an overflow): such a
 * state would not survive `toJSON` (JSON has no Infinity) and would make transform produce NaN.
 */
export function requireFiniteState(fn: string, field: string, values: readonly number[], why: string): void {
  const j = values.findIndex((v) => !Number.isFinite(v));
  if (j >= 0) {
    throw new DataError({ fn, arg: 'x', expected: `values whose ${field} fits in float64 (${why})`, got: `${String(values[j])} for column ${j}: rescale that column (e.g. divide by a power of ten) first` });
  }
}
