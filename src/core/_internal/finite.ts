/**
 * Private: fast all-finite checks of typed arrays, for inputs read before a prediction.
 *
 * `v * 0` is 0 for a finite value and NaN otherwise; the products are summed in four independent
 * accumulators (one would chain every addition on the previous one). One function per array type,
 * so that each stays monomorphic: a shared one runs at a fraction of the speed once it has seen
 * both types.
 */

/** True when every value of `v` is finite (no NaN, no ±Infinity). */
export function allFinite64(v: Float64Array): boolean {
  const n = v.length;
  const m = n & ~3;
  let a0 = 0;
  let a1 = 0;
  let a2 = 0;
  let a3 = 0;
  let k = 0;
  for (; k < m; k += 4) {
    a0 += (v[k] as number) * 0;
    a1 += (v[k + 1] as number) * 0;
    a2 += (v[k + 2] as number) * 0;
    a3 += (v[k + 3] as number) * 0;
  }
  for (; k < n; k++) a0 += (v[k] as number) * 0;
  return a0 + a1 + a2 + a3 === 0;
}

/** {@link allFinite64} for float32 values. */
export function allFinite32(v: Float32Array): boolean {
  const n = v.length;
  const m = n & ~3;
  let a0 = 0;
  let a1 = 0;
  let a2 = 0;
  let a3 = 0;
  let k = 0;
  for (; k < m; k += 4) {
    a0 += (v[k] as number) * 0;
    a1 += (v[k + 1] as number) * 0;
    a2 += (v[k + 2] as number) * 0;
    a3 += (v[k + 3] as number) * 0;
  }
  for (; k < n; k++) a0 += (v[k] as number) * 0;
  return a0 + a1 + a2 + a3 === 0;
}
