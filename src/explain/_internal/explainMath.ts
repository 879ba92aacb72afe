/**
 * Private combinatorics of src/explain/.
 *
 * @module
 */

/** Binomial coefficient C(n, k) as a float (exact for the sizes used here). */
export function binom(n: number, k: number): number {
  if (k < 0 || k > n) return 0;
  const kk = Math.min(k, n - k);
  let r = 1;
  for (let i = 1; i <= kk; i++) r = (r * (n - kk + i)) / i;
  return r < 2 ** 52 ? Math.round(r) : r;
}
