/**
 * Latent noise of GAN generators: standard normal, or Student-t scaled to unit variance
 * (heavy-tailed latent noise helps a generator produce fat-tailed outputs).
 *
 * @module
 */
import type { Rng } from '../../core/random';

/**
 * A Gamma(shape, 1) deviate (Marsaglia & Tsang 2000; shape < 1 through the boost
 * Gamma(shape) = Gamma(shape + 1) * U^(1/shape)).
 */
export function gammaDeviate(rng: Rng, shape: number): number {
  if (shape < 1) {
    let u = 0;
    while (u === 0) u = rng.next();
    return gammaDeviate(rng, shape + 1) * u ** (1 / shape);
  }
  const d = shape - 1 / 3;
  const c = 1 / Math.sqrt(9 * d);
  for (;;) {
    const x = rng.normal();
    const t = 1 + c * x;
    if (t <= 0) continue;
    const v = t * t * t;
    const u = rng.next();
    if (u > 0 && Math.log(u) < 0.5 * x * x + d - d * v + d * Math.log(v)) return d * v;
  }
}

/**
 * One latent value: N(0, 1) when `df` is null, otherwise Student-t with `df` (> 2) degrees of
 * freedom multiplied by sqrt((df - 2) / df), so its variance is 1 and only the tails differ.
 */
export function latentDeviate(rng: Rng, df: number | null): number {
  const z = rng.normal();
  if (df === null) return z;
  const chi2 = 2 * gammaDeviate(rng, df / 2);
  return (z / Math.sqrt(chi2 / df)) * Math.sqrt((df - 2) / df);
}

/** `count` latent values (see {@link latentDeviate}) as float32. */
export function latentValues(rng: Rng, count: number, df: number | null): Float32Array {
  const v = new Float32Array(count);
  for (let i = 0; i < count; i++) v[i] = latentDeviate(rng, df);
  return v;
}
