/**
 * The synthetic-returns recipe as one call: heavy-tail transform, windows, a stochastic-volatility
 * generator, moment/ACF terms on the heavy-tailed scale, sampling back to return units.
 *
 * @module
 */
import { requireBackend } from '../core/backend';
import { DataError, DisposedError, InvalidOptionError, describeValue } from '../core/errors';
import { resolveOptions, rules } from '../core/options';
import type { RuleTable } from '../core/options';
import { buildGan } from './buildGan';
import type { Gan } from './buildGan';
import { disposeGan } from './disposeGan';
import { fitLambertW, lambertWGaussianize, lambertWHeavyTail } from './ganLambertW';
import type { LambertWParams } from './ganLambertW';
import { sampleGan } from './sampleGan';
import { normalQuantile, quantileInverse, quantileTable } from './_internal/ganQuantile';
import type { QuantileTable } from './_internal/ganQuantile';
import { trainGan } from './trainGan';
import type { GanEpochLogs, GanHistory } from './trainGan';

/**
 * Options of {@link fitReturnsGan}.
 *
 * @category Models
 */
export interface ReturnsGanOptions {
  /** Window length (days) of the generated paths (default 20). */
  readonly seqLength?: number;
  /** Start-to-start distance of the (overlapping) training windows (default 3). */
  readonly stride?: number;
  /**
   * The marginal distribution of the returns, i.e. the heavy-tail transform. `'empirical'`
   * (default): normal scores of the ranks before training, the empirical quantile function after
   * sampling (the GAN learns the dependence — volatility clustering — as a copula; with
   * `calibrate` the synthetic marginal is the real one up to rounding, so the kurtosis is the
   * real sample's; samples never leave the real range). `'lambertW'`: gaussianize with a fitted
   * Lambert W × Gaussian ({@link fitLambertW}) before training and restore the tails after
   * sampling ({@link lambertWHeavyTail}) — a parametric tail, so samples can be more extreme
   * than any real return, but the kurtosis is the fitted model's, which can miss a sample
   * kurtosis driven by a few crashes (see the guide's figures). `'gaussian'`: plain
   * standardization (no tail transform).
   */
  readonly marginal?: 'lambertW' | 'empirical' | 'gaussian';
  /**
   * Rank-calibrate each batch of samples before the inverse transform (default true): the
   * generated values of one `sample` call are replaced by the standard normal quantiles of their
   * ranks, `Φ⁻¹((rank + 0.5) / N)`, so the marginal is exactly the target one while the order —
   * hence the dependence the GAN learned (volatility clustering, autocorrelation signs) — is kept.
   */
  readonly calibrate?: boolean;
  /** Generator architecture: 'dense' (default: MLP from a latent vector per window) or 'sv' (see {@link GanGeneratorOptions}). */
  readonly generator?: 'dense' | 'sv';
  /** Latent noise dimension (per time step for 'sv'; default 8). */
  readonly latentDim?: number;
  /** Hidden sizes of the generator's MLP (default [64, 64]). */
  readonly generatorHidden?: readonly number[];
  /** Hidden sizes of the dense discriminator (default [64, 32]). */
  readonly discriminatorHidden?: readonly number[];
  /** Training epochs (default 50). */
  readonly epochs?: number;
  /** Batch size (default 64). */
  readonly batchSize?: number;
  /** Adam learning rate (default 1e-3). */
  readonly learningRate?: number;
  /** Weight of the moment term of {@link trainGan} (default 10). */
  readonly momentWeight?: number;
  /** Weight of the autocorrelation term of {@link trainGan} (default 1000). */
  readonly acfWeight?: number;
  /** Largest lag of the autocorrelation term (default 5). */
  readonly acfLags?: number;
  /** Seed of weights, batches and noise (default 0). */
  readonly seed?: number;
  /** Called after each epoch (see {@link trainGan}). */
  readonly onEpochEnd?: ((epoch: number, logs: GanEpochLogs) => void | Promise<void>) | null;
}

/**
 * A trained returns GAN from {@link fitReturnsGan}. Owns tfjs models: `dispose()` it.
 *
 * @category Models
 */
export interface ReturnsGan {
  /** Window length of the samples. */
  readonly seqLength: number;
  /** The fitted heavy-tail transform (for `marginal` 'lambertW'; otherwise null). */
  readonly lambertW: LambertWParams | null;
  /**
   * The real returns cut into non-overlapping windows from the start (what samples should be
   * compared with); the last `length mod seqLength` returns, which do not fill a window, are not
   * in it. (Training windows start every `stride` returns from the first one: up to `stride − 1`
   * final returns may be in none of them.)
   */
  readonly realWindows: readonly (readonly number[])[];
  /** Per-epoch losses. */
  readonly history: GanHistory;
  /** The underlying GAN (owned by this object). */
  readonly gan: Gan;
  /** `n` synthetic windows of `seqLength` returns (seeded: same seed, same paths). */
  sample(n: number, seed?: number): number[][];
  /** Disposes the networks; later `sample` calls throw. */
  dispose(): void;
}

/**
 * Defaults of {@link ReturnsGanOptions}.
 * @internal
 */
export const RETURNS_GAN_DEFAULTS = {
  seqLength: 20,
  stride: 3,
  marginal: 'empirical',
  calibrate: true,
  generator: 'dense',
  latentDim: 8,
  generatorHidden: [64, 64],
  discriminatorHidden: [64, 32],
  epochs: 50,
  batchSize: 64,
  learningRate: 1e-3,
  momentWeight: 10,
  acfWeight: 1000,
  acfLags: 5,
  seed: 0,
  onEpochEnd: null,
} as const satisfies Required<ReturnsGanOptions>;

const RULES: RuleTable<Required<ReturnsGanOptions>> = {
  seqLength: rules.int({ min: 2 }),
  stride: rules.int({ min: 1 }),
  marginal: rules.oneOf(['lambertW', 'empirical', 'gaussian']),
  calibrate: rules.boolean(),
  generator: rules.oneOf(['dense', 'sv']),
  latentDim: rules.int({ min: 1 }),
  generatorHidden: rules.intArray({ min: 1 }),
  discriminatorHidden: rules.intArray({ min: 1 }),
  epochs: rules.int({ min: 1 }),
  batchSize: rules.int({ min: 1 }),
  learningRate: rules.number({ min: 0, exclusiveMin: true }),
  momentWeight: rules.number({ min: 0 }),
  acfWeight: rules.number({ min: 0 }),
  acfLags: rules.int({ min: 1 }),
  seed: rules.custom('a safe integer', (v) => typeof v === 'number' && Number.isSafeInteger(v)),
  onEpochEnd: rules.nullable(rules.func()),
};

/** Standard normal quantiles of the ranks (ties by order of appearance): Φ⁻¹((rank + 0.5) / N). */
function rankScores(v: ArrayLike<number>): number[] {
  const idx = Array.from({ length: v.length }, (_, i) => i).sort((a, b) => (v[a] as number) - (v[b] as number) || a - b);
  const out = new Array<number>(v.length);
  idx.forEach((i, rank) => {
    out[i] = normalQuantile((rank + 0.5) / v.length);
  });
  return out;
}

/**
 * Trains a GAN of return paths with the Quant GAN ingredients: (1) maps the returns to
 * N(0, 1) with a heavy-tail transform (`marginal`: empirical normal scores by default, or a
 * fitted Lambert W × Gaussian, {@link fitLambertW} / {@link lambertWGaussianize}), (2) cuts them into overlapping windows, (3) trains the
 * generator against a dense discriminator with {@link trainGan}, adding the moment and
 * autocorrelation terms (of r and |r|, lags 1..`acfLags`) in the gaussianized space, and
 * (4) samples windows, rank-calibrates them to N(0, 1) (`calibrate`) and maps them back
 * (empirical quantiles or {@link lambertWHeavyTail}). Check the samples with
 * {@link ganQualityReport} against `realWindows`.
 *
 * @param returns - Returns (e.g. daily log returns), finite, at least `2 · seqLength` values.
 * @param options - {@link ReturnsGanOptions}.
 * @returns A {@link ReturnsGan} (owns tfjs models).
 * @throws {DataError} too few or non-finite returns. @throws {InvalidOptionError} bad options.
 * @throws {TrainingError} a loss became NaN/Infinity. `sample` throws {@link DisposedError} after `dispose()`.
 * @example
 * ```ts
 * import { createRng, fitReturnsGan, ganQualityReport } from 'finml';
 * const rng = createRng(1);
 * const returns = Array.from({ length: 400 }, () => 0.01 * rng.normal());
 * const g = await fitReturnsGan(returns, { seqLength: 10, epochs: 2, seed: 1 });
 * const paths = g.sample(40, 7);   // 40 windows of 10 returns
 * ganQualityReport(g.realWindows, paths).ks.pValue;
 * g.dispose();
 * ```
 * @category Models
 */
export async function fitReturnsGan(returns: ArrayLike<number>, options: ReturnsGanOptions = {}): Promise<ReturnsGan> {
  const fn = 'fitReturnsGan';
  requireBackend(fn);
  const o = resolveOptions(fn, options, RETURNS_GAN_DEFAULTS as unknown as Required<ReturnsGanOptions>, RULES);
  if (o.acfWeight > 0 && o.acfLags >= o.seqLength) {
    throw new InvalidOptionError({ fn, arg: 'acfLags', expected: `an integer < seqLength (${o.seqLength})`, got: String(o.acfLags) });
  }
  if (returns === null || typeof returns !== 'object' || typeof returns.length !== 'number') {
    throw new DataError({ fn, arg: 'returns', expected: 'an array of finite numbers', got: describeValue(returns) });
  }
  const r = Array.from(returns);
  if (r.length < 2 * o.seqLength) throw new DataError({ fn, arg: 'returns', expected: `at least 2 · seqLength = ${2 * o.seqLength} values`, got: `${r.length} values` });
  r.forEach((v, i) => {
    if (typeof v !== 'number' || !Number.isFinite(v)) throw new DataError({ fn, arg: 'returns', expected: 'finite numbers', got: `${describeValue(v)} at index ${i}` });
  });
  const mean = r.reduce((a, b) => a + b, 0) / r.length;
  const sd = Math.sqrt(r.reduce((a, b) => a + (b - mean) ** 2, 0) / r.length);
  if (!(sd > 0) || r.every((v) => v === r[0])) throw new DataError({ fn, arg: 'returns', expected: 'returns that are not all equal', got: `${r.length} copies of ${r[0]}` });
  let lw: LambertWParams | null = null;
  let table: QuantileTable | null = null;
  let u: number[];
  if (o.marginal === 'lambertW') {
    lw = fitLambertW(r);
    u = lambertWGaussianize(r, lw);
  } else if (o.marginal === 'empirical') {
    table = quantileTable(Float64Array.from(r), r.length);
    const ranks = rankScores(r);
    u = ranks;
  } else {
    u = r.map((v) => (v - mean) / sd);
  }
  const lwp = lw;
  const tab = table;
  const back = (z: number): number => (lwp !== null ? (lambertWHeavyTail([z], lwp)[0] as number) : tab !== null ? quantileInverse(tab, z) : mean + sd * z);
  const L = o.seqLength;
  const train: number[][] = [];
  for (let s = 0; s + L <= u.length; s += o.stride) train.push(u.slice(s, s + L));
  const realWindows: number[][] = [];
  for (let s = 0; s + L <= r.length; s += L) realWindows.push(r.slice(s, s + L));
  const gan = buildGan({
    kind: 'sequence',
    seqLength: L,
    latentDim: o.latentDim,
    generator: { type: o.generator, hidden: o.generatorHidden },
    discriminator: { type: 'dense', hidden: o.discriminatorHidden, dropout: 0.1 },
    seed: o.seed,
  });
  let history: GanHistory;
  try {
    history = await trainGan(gan, train, {
      epochs: o.epochs,
      batchSize: o.batchSize,
      learningRate: o.learningRate,
      labelSmoothing: 0.1,
      momentWeight: o.momentWeight,
      acfWeight: o.acfWeight,
      acfLags: o.acfLags,
      seed: o.seed,
      onEpochEnd: o.onEpochEnd,
    });
  } catch (e) {
    disposeGan(gan);
    throw e;
  }
  let disposed = false;
  return Object.freeze({
    seqLength: L,
    lambertW: lw,
    realWindows: Object.freeze(realWindows.map((w) => Object.freeze(w))),
    history,
    gan,
    sample(n: number, seed: number = o.seed): number[][] {
      if (disposed) throw new DisposedError('ReturnsGan.sample', 'ReturnsGan');
      const t = sampleGan(gan, n, seed);
      let flat: Float32Array;
      try {
        flat = t.dataSync() as Float32Array;
      } finally {
        t.dispose();
      }
      const z = o.calibrate ? rankScores(flat) : Array.from(flat);
      const out: number[][] = [];
      for (let i = 0; i < n; i++) out.push(z.slice(i * L, (i + 1) * L).map(back));
      return out;
    },
    dispose(): void {
      if (disposed) return;
      disposed = true;
      disposeGan(gan);
    },
  });
}
