/**
 * The synthetic-returns GAN as a finml estimator: heavy-tail transform, windows, a
 * stochastic-volatility generator, moment/ACF terms on the heavy-tailed scale, sampling back to
 * return units.
 *
 * @module
 */
import * as tf from '@tensorflow/tfjs-core';
import { requireBackend } from '../core/backend';
import { DataError, DisposedError, InvalidOptionError, SerializationError, describeValue } from '../core/errors';
import { checkEnvelope, notFitted, paramsFromJSON, readNumberArray } from '../core/estimator';
import type { EstimatorJSON } from '../core/estimator';
import { resolveOptions, rules } from '../core/options';
import type { RuleTable } from '../core/options';
import { buildGan } from './buildGan';
import type { Gan } from './buildGan';
import { disposeGan } from './disposeGan';
import { fitLambertW, lambertWGaussianize, lambertWHeavyTail } from './ganLambertW';
import type { LambertWParams } from './ganLambertW';
import { sampleGan } from './sampleGan';
import { normalQuantile, quantileForward, quantileInverse, quantileTable } from './_internal/ganQuantile';
import type { QuantileTable } from './_internal/ganQuantile';
import { loadGanWeights, quantileTableToJSON, readQuantileTable, weightsOf } from './_internal/ganState';
import { trainGan } from './trainGan';
import type { GanEpochLogs, GanHistory } from './trainGan';

/**
 * Parameters of {@link returnsGan}.
 *
 * @category Models
 */
export interface ReturnsGanParams {
  /** Window length (days) of the generated paths. @defaultValue 20 */
  readonly seqLength: number;
  /** Start-to-start distance of the (overlapping) training windows. @defaultValue 3 */
  readonly stride: number;
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
   * standardization (no tail transform). @defaultValue 'empirical'
   */
  readonly marginal: 'lambertW' | 'empirical' | 'gaussian';
  /**
   * Rank-calibrate each batch of samples before the inverse transform: the generated values of
   * one `sample` call are replaced by the standard normal quantiles of their ranks,
   * `Φ⁻¹((rank + 0.5) / N)`, so the marginal is exactly the target one while the order — hence
   * the dependence the GAN learned (volatility clustering, autocorrelation signs) — is kept.
   * @defaultValue true
   */
  readonly calibrate: boolean;
  /** Generator architecture: 'dense' (MLP from a latent vector per window) or 'sv' (see {@link GanGeneratorOptions}). @defaultValue 'dense' */
  readonly generator: 'dense' | 'sv';
  /** Latent noise dimension (per time step for 'sv'). @defaultValue 8 */
  readonly latentDim: number;
  /** Hidden sizes of the generator's MLP. @defaultValue [64, 64] */
  readonly generatorHidden: readonly number[];
  /** Hidden sizes of the dense discriminator. @defaultValue [64, 32] */
  readonly discriminatorHidden: readonly number[];
  /** Training epochs. @defaultValue 50 */
  readonly epochs: number;
  /** Batch size. @defaultValue 64 */
  readonly batchSize: number;
  /** Adam learning rate. @defaultValue 0.001 */
  readonly learningRate: number;
  /** Weight of the moment term of {@link trainGan}. @defaultValue 10 */
  readonly momentWeight: number;
  /** Weight of the autocorrelation term of {@link trainGan}. @defaultValue 1000 */
  readonly acfWeight: number;
  /** Largest lag of the autocorrelation term (< seqLength when `acfWeight` > 0). @defaultValue 5 */
  readonly acfLags: number;
  /** Seed of weights, batches and noise; default seed of `sample`. @defaultValue 0 */
  readonly seed: number;
}

/**
 * Per-call options of {@link ReturnsGan.fit} (callbacks are not params: they are not serialised).
 *
 * @category Models
 */
export interface ReturnsGanFitOptions {
  /** Called after each epoch (see {@link trainGan}); may be async. */
  readonly onEpochEnd?: ((epoch: number, logs: GanEpochLogs) => void | Promise<void>) | null;
}

/**
 * Fitted state of a {@link returnsGan} (besides the network weights).
 *
 * @category Models
 */
export interface ReturnsGanState {
  /** Mean of the real returns. */
  readonly mean: number;
  /** Standard deviation (population) of the real returns; the scale of the 'gaussian' marginal. */
  readonly sd: number;
  /** The fitted heavy-tail transform (marginal 'lambertW'; otherwise null). */
  readonly lambertW: LambertWParams | null;
  /** The empirical distribution of the returns (marginal 'empirical'; otherwise null): increasing knots and their cumulative probabilities. */
  readonly quantiles: { readonly values: readonly number[]; readonly cdf: readonly number[]; readonly interpolate: boolean } | null;
  /**
   * The real returns cut into non-overlapping windows from the start (what samples should be
   * compared with); the last `length mod seqLength` returns, which do not fill a window, are not
   * in it. (Training windows start every `stride` returns from the first one: up to `stride − 1`
   * final returns may be in none of them.)
   */
  readonly realWindows: readonly (readonly number[])[];
}

/**
 * A fitted {@link returnsGan}. Owns tfjs models: `dispose()` it.
 *
 * @category Models
 */
export interface FittedReturnsGan {
  readonly kind: 'ReturnsGan';
  readonly params: Readonly<ReturnsGanParams>;
  readonly state: ReturnsGanState;
  /** Window length of the samples (`params.seqLength`). */
  readonly seqLength: number;
  /** The fitted heavy-tail transform (`state.lambertW`). */
  readonly lambertW: LambertWParams | null;
  /** The real returns in non-overlapping windows (`state.realWindows`). */
  readonly realWindows: readonly (readonly number[])[];
  /** Per-epoch losses (empty after {@link returnsGanFromJSON}). */
  readonly history: GanHistory;
  /** The underlying GAN (owned by this object). */
  readonly gan: Gan;
  /** `n` synthetic windows of `seqLength` returns (seeded: same seed, same paths; default seed = `params.seed`). */
  sample(n: number, seed?: number): number[][];
  /**
   * The discriminator's probability that each window of `returns` is real: one value per window
   * start (`returns.length − seqLength + 1` values), the returns mapped through the fitted marginal.
   */
  score(returns: ArrayLike<number>): number[];
  /** Serialises params, the marginal, the real windows and both networks' weights to the finml envelope. */
  toJSON(): EstimatorJSON;
  /** Disposes the networks; later use throws DisposedError. */
  dispose(): void;
  /** Same as `dispose()`, for `using` declarations. */
  [Symbol.dispose](): void;
}

/**
 * Unfitted {@link returnsGan} spec.
 *
 * @category Models
 */
export interface ReturnsGan {
  readonly kind: 'ReturnsGan';
  readonly params: Readonly<ReturnsGanParams>;
  /** Transforms the returns, cuts them into windows and trains the GAN on them; async. */
  fit(returns: ArrayLike<number>, options?: ReturnsGanFitOptions): Promise<FittedReturnsGan>;
  /** A new spec with the given params replaced (validated like the factory); this spec is unchanged. */
  withParams(patch: Partial<ReturnsGanParams>): ReturnsGan;
  /** Not available before `fit`: throws NotFittedError. */
  readonly sample: (...args: never[]) => never;
  /** Not available before `fit`: throws NotFittedError. */
  readonly score: (...args: never[]) => never;
}

const KIND = 'ReturnsGan';

/**
 * Defaults of {@link ReturnsGanParams}.
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
} as const satisfies ReturnsGanParams;

const RULES: RuleTable<ReturnsGanParams> = {
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
};

interface FitOptions {
  readonly onEpochEnd: ((epoch: number, logs: GanEpochLogs) => void | Promise<void>) | null;
}

const FIT_RULES: RuleTable<FitOptions> = { onEpochEnd: rules.nullable(rules.func()) };

function resolve(fn: string, p: Partial<ReturnsGanParams>): Readonly<ReturnsGanParams> {
  const r = resolveOptions(fn, p, RETURNS_GAN_DEFAULTS as unknown as ReturnsGanParams, RULES);
  if (r.acfWeight > 0 && r.acfLags >= r.seqLength) {
    throw new InvalidOptionError({ fn, arg: 'acfLags', expected: `an integer < seqLength (${r.seqLength}) when acfWeight > 0`, got: String(r.acfLags) });
  }
  return Object.freeze({ ...r, generatorHidden: Object.freeze([...r.generatorHidden]), discriminatorHidden: Object.freeze([...r.discriminatorHidden]) });
}

function ganFor(params: Readonly<ReturnsGanParams>): Gan {
  return buildGan({
    kind: 'sequence',
    seqLength: params.seqLength,
    latentDim: params.latentDim,
    generator: { type: params.generator, hidden: params.generatorHidden },
    discriminator: { type: 'dense', hidden: params.discriminatorHidden, dropout: 0.1 },
    seed: params.seed,
  });
}

/** Standard normal quantiles of the ranks (ties by order of appearance): Φ⁻¹((rank + 0.5) / N). */
function rankScores(v: ArrayLike<number>): number[] {
  const idx = Array.from({ length: v.length }, (_, i) => i).sort((a, b) => (v[a] as number) - (v[b] as number) || a - b);
  const out = new Array<number>(v.length);
  idx.forEach((i, rank) => {
    out[i] = normalQuantile((rank + 0.5) / v.length);
  });
  return out;
}

/** A copy of the returns as numbers, checked: finite, at least `minLength` values. */
function readReturns(returns: ArrayLike<number>, minLength: number, what: string, fn: string): number[] {
  if (returns === null || typeof returns !== 'object' || typeof returns.length !== 'number') {
    throw new DataError({ fn, arg: 'returns', expected: 'an array of finite numbers', got: describeValue(returns) });
  }
  const r = Array.from(returns);
  if (r.length < minLength) throw new DataError({ fn, arg: 'returns', expected: `at least ${what} = ${minLength} values`, got: `${r.length} values` });
  r.forEach((v, i) => {
    if (typeof v !== 'number' || !Number.isFinite(v)) throw new DataError({ fn, arg: 'returns', expected: 'finite numbers', got: `${describeValue(v)} at index ${i}` });
  });
  return r;
}

/** The marginal transform of the training returns: their normal scores and the fitted state. */
function fitMarginal(r: readonly number[], params: Readonly<ReturnsGanParams>, fn: string): { scores: number[]; state: Omit<ReturnsGanState, 'realWindows'> } {
  const mean = r.reduce((a, b) => a + b, 0) / r.length;
  const sd = Math.sqrt(r.reduce((a, b) => a + (b - mean) ** 2, 0) / r.length);
  if (!(sd > 0) || r.every((v) => v === r[0])) throw new DataError({ fn, arg: 'returns', expected: 'returns that are not all equal', got: `${r.length} copies of ${r[0]}` });
  if (params.marginal === 'lambertW') {
    const lambertW = fitLambertW(r);
    return { scores: lambertWGaussianize(r, lambertW), state: { mean, sd, lambertW, quantiles: null } };
  }
  if (params.marginal === 'empirical') {
    return { scores: rankScores(r), state: { mean, sd, lambertW: null, quantiles: quantileTable(Float64Array.from(r), r.length) } };
  }
  return { scores: r.map((v) => (v - mean) / sd), state: { mean, sd, lambertW: null, quantiles: null } };
}

/** Cuts `values` into windows of `length` starting every `stride` values. */
function windowsOf(values: readonly number[], length: number, stride: number): number[][] {
  const out: number[][] = [];
  for (let s = 0; s + length <= values.length; s += stride) out.push(values.slice(s, s + length));
  return out;
}

function makeFitted(params: Readonly<ReturnsGanParams>, state: ReturnsGanState, gan: Gan, history: GanHistory): FittedReturnsGan {
  const L = params.seqLength;
  const { lambertW, quantiles, mean, sd } = state;
  const table = quantiles as QuantileTable | null;
  const fromNormal = (z: number): number =>
    lambertW !== null ? (lambertWHeavyTail([z], lambertW)[0] as number) : table !== null ? quantileInverse(table, z) : mean + sd * z;
  const toNormal = (r: readonly number[]): number[] =>
    lambertW !== null ? lambertWGaussianize(r, lambertW) : table !== null ? r.map((v) => quantileForward(table, v, null)) : r.map((v) => (v - mean) / sd);
  let disposed = false;
  const live = (method: string): void => {
    if (disposed) throw new DisposedError(`${KIND}.${method}`, KIND);
  };
  const dispose = (): void => {
    if (disposed) return;
    disposed = true;
    disposeGan(gan);
  };
  return Object.freeze({
    kind: KIND,
    params,
    state,
    seqLength: L,
    lambertW,
    realWindows: state.realWindows,
    history,
    gan,
    sample(n: number, seed: number = params.seed): number[][] {
      live('sample');
      const t = sampleGan(gan, n, seed);
      let flat: Float32Array;
      try {
        flat = t.dataSync() as Float32Array;
      } finally {
        t.dispose();
      }
      const z = params.calibrate ? rankScores(flat) : Array.from(flat);
      const out: number[][] = [];
      for (let i = 0; i < n; i++) out.push(z.slice(i * L, (i + 1) * L).map(fromNormal));
      return out;
    },
    score(returns: ArrayLike<number>): number[] {
      live('score');
      const z = toNormal(readReturns(returns, L, 'seqLength', `${KIND}.score`));
      const windows = windowsOf(z, L, 1);
      const values = Float32Array.from(windows.flat());
      return tf.tidy(() => Array.from(tf.sigmoid(gan.discriminator.predict(tf.tensor3d(values, [windows.length, L, 1]), { batchSize: 4096 }) as tf.Tensor).dataSync()));
    },
    toJSON(): EstimatorJSON {
      live('toJSON');
      return {
        kind: KIND,
        version: 1,
        params: { ...params, generatorHidden: [...params.generatorHidden], discriminatorHidden: [...params.discriminatorHidden] },
        state: {
          mean,
          sd,
          lambertW: lambertW === null ? null : { mu: lambertW.mu, sigma: lambertW.sigma, delta: lambertW.delta },
          quantiles: table === null ? null : quantileTableToJSON(table),
          realWindows: state.realWindows.map((w) => [...w]),
          generator: weightsOf(gan.generator),
          discriminator: weightsOf(gan.discriminator),
        },
      };
    },
    dispose,
    [Symbol.dispose]: dispose,
  });
}

function specOf(p: Readonly<ReturnsGanParams>): ReturnsGan {
  return Object.freeze({
    kind: KIND,
    params: p,
    sample: notFitted(KIND, 'sample'),
    score: notFitted(KIND, 'score'),
    withParams: (patch: Partial<ReturnsGanParams>) => returnsGan({ ...p, ...patch }),
    async fit(returns: ArrayLike<number>, options: ReturnsGanFitOptions = {}): Promise<FittedReturnsGan> {
      const fn = `${KIND}.fit`;
      requireBackend(fn);
      const fitOptions = resolveOptions<FitOptions>(fn, options as Partial<FitOptions>, { onEpochEnd: null }, FIT_RULES);
      const r = readReturns(returns, 2 * p.seqLength, '2 · seqLength', fn);
      const marginal = fitMarginal(r, p, fn);
      const realWindows = Object.freeze(windowsOf(r, p.seqLength, p.seqLength).map((w) => Object.freeze(w)));
      const gan = ganFor(p);
      let history: GanHistory;
      try {
        history = await trainGan(gan, windowsOf(marginal.scores, p.seqLength, p.stride), {
          epochs: p.epochs,
          batchSize: p.batchSize,
          learningRate: p.learningRate,
          labelSmoothing: 0.1,
          momentWeight: p.momentWeight,
          acfWeight: p.acfWeight,
          acfLags: p.acfLags,
          seed: p.seed,
          onEpochEnd: fitOptions.onEpochEnd,
        });
      } catch (e) {
        disposeGan(gan);
        throw e;
      }
      return makeFitted(p, Object.freeze({ ...marginal.state, realWindows }), gan, history);
    },
  });
}

/**
 * A GAN of return paths with the Quant GAN ingredients, as a finml estimator. `fit(returns)`
 * (1) maps the returns to N(0, 1) with a heavy-tail transform (`marginal`: empirical normal
 * scores by default, or a fitted Lambert W × Gaussian, {@link fitLambertW} /
 * {@link lambertWGaussianize}), (2) cuts them into overlapping windows, (3) trains the generator
 * against a dense discriminator with {@link trainGan}, adding the moment and autocorrelation
 * terms (of r and |r|, lags 1..`acfLags`) in the gaussianized space. The fitted object's
 * `sample` (4) generates windows, rank-calibrates them to N(0, 1) (`calibrate`) and maps them
 * back (empirical quantiles or {@link lambertWHeavyTail}). Check the samples with
 * {@link ganQualityReport} against `realWindows`. The fitted object owns tfjs models: `dispose()` it.
 *
 * @param params - {@link ReturnsGanParams}.
 * @returns A frozen spec; `fit(returns, { onEpochEnd })` is async and rejects with DataError for
 *   fewer than `2 · seqLength`, non-finite or constant returns, TrainingError when a loss became NaN/Infinity.
 * @throws {InvalidOptionError} for invalid params (also `acfLags >= seqLength` with `acfWeight` > 0).
 * @example
 * ```ts
 * import { createRng, returnsGan, returnsGanFromJSON, ganQualityReport } from 'finml';
 * const rng = createRng(1);
 * const returns = Array.from({ length: 400 }, () => 0.01 * rng.normal());
 * const g = await returnsGan({ seqLength: 10, epochs: 2, seed: 1 }).fit(returns);
 * const paths = g.sample(40, 7);   // 40 windows of 10 returns
 * ganQualityReport(g.realWindows, paths).ks.pValue;
 * const back = returnsGanFromJSON(JSON.parse(JSON.stringify(g.toJSON())));
 * back.sample(40, 7).length; //=> 40
 * g.dispose();
 * back.dispose();
 * ```
 * @category Models
 */
export function returnsGan(params: Partial<ReturnsGanParams> = {}): ReturnsGan {
  return specOf(resolve('returnsGan', params));
}

/**
 * The one-call shortcut of {@link returnsGan}: `fitReturnsGan(returns, options)` is
 * `returnsGan(params).fit(returns, { onEpochEnd })`, with the params and `onEpochEnd` in one object.
 *
 * @param returns - Returns (e.g. daily log returns), finite, at least `2 · seqLength` values.
 * @param options - {@link ReturnsGanParams} and the {@link ReturnsGanFitOptions}.
 * @returns A {@link FittedReturnsGan} (owns tfjs models).
 * @throws {DataError} too few, non-finite or constant returns. @throws {InvalidOptionError} bad options.
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
export async function fitReturnsGan(returns: ArrayLike<number>, options: Partial<ReturnsGanParams> & ReturnsGanFitOptions = {}): Promise<FittedReturnsGan> {
  const { onEpochEnd, ...params } = options;
  return specOf(resolve('fitReturnsGan', params)).fit(returns, onEpochEnd === undefined ? {} : { onEpochEnd });
}

function readNumber(state: unknown, field: string, fn: string, check: (v: number) => boolean, expected: string): number {
  const v = typeof state === 'object' && state !== null ? (state as Record<string, unknown>)[field] : undefined;
  if (typeof v !== 'number' || !Number.isFinite(v) || !check(v)) throw new SerializationError({ fn, arg: `state.${field}`, expected, got: describeValue(v) });
  return v;
}

function readLambertW(state: unknown, fn: string): LambertWParams {
  const v = typeof state === 'object' && state !== null ? (state as Record<string, unknown>).lambertW : undefined;
  const mu = readNumber(v, 'mu', fn, () => true, 'a finite number');
  const sigma = readNumber(v, 'sigma', fn, (x) => x > 0, 'a number > 0');
  const delta = readNumber(v, 'delta', fn, (x) => x >= 0, 'a number >= 0');
  return Object.freeze({ mu, sigma, delta });
}

function readRealWindows(state: unknown, length: number, fn: string): readonly (readonly number[])[] {
  const v = typeof state === 'object' && state !== null ? (state as Record<string, unknown>).realWindows : undefined;
  if (!Array.isArray(v) || v.length === 0) throw new SerializationError({ fn, arg: 'state.realWindows', expected: 'a non-empty array of windows', got: describeValue(v) });
  return Object.freeze(v.map((_, i) => Object.freeze(readNumberArray(v, String(i), fn, { length }))));
}

/** Null where the marginal does not use the field; otherwise it must be there. */
function expectNull(state: unknown, field: string, marginal: string, fn: string): null {
  const v = typeof state === 'object' && state !== null ? (state as Record<string, unknown>)[field] : undefined;
  if (v !== null) throw new SerializationError({ fn, arg: `state.${field}`, expected: `null for marginal '${marginal}'`, got: describeValue(v) });
  return null;
}

/**
 * Restores a fitted {@link returnsGan} from its `toJSON()` envelope (rebuilds the networks and
 * loads their weights). The result owns tfjs models: `dispose()` it.
 *
 * @param json - The envelope (parsed JSON).
 * @returns The fitted returns GAN (its `history` is empty).
 * @throws {SerializationError} for a malformed envelope or weights of the wrong size.
 * @example
 * ```ts
 * import { createRng, returnsGan, returnsGanFromJSON } from 'finml';
 * const rng = createRng(2);
 * const g = await returnsGan({ seqLength: 5, epochs: 1, seed: 1 }).fit(Array.from({ length: 60 }, () => 0.01 * rng.normal()));
 * const back = returnsGanFromJSON(JSON.parse(JSON.stringify(g.toJSON())));
 * back.realWindows.length; //=> 12
 * g.dispose();
 * back.dispose();
 * ```
 * @category Models
 */
export function returnsGanFromJSON(json: unknown): FittedReturnsGan {
  const fn = 'returnsGanFromJSON';
  const env = checkEnvelope(json, KIND, [1], fn);
  const params = paramsFromJSON<ReturnsGanParams>(fn, env.params, (q) => resolve(fn, q));
  const s = env.state;
  const mean = readNumber(s, 'mean', fn, () => true, 'a finite number');
  const sd = readNumber(s, 'sd', fn, (x) => x > 0, 'a number > 0');
  const m = params.marginal;
  const lambertW = m === 'lambertW' ? readLambertW(s, fn) : expectNull(s, 'lambertW', m, fn);
  const quantilesJSON = typeof s === 'object' && s !== null ? (s as Record<string, unknown>).quantiles : undefined;
  const quantiles = m === 'empirical' ? readQuantileTable(quantilesJSON, 'state.quantiles', fn) : expectNull(s, 'quantiles', m, fn);
  const realWindows = readRealWindows(s, params.seqLength, fn);
  let gan: Gan;
  try {
    gan = ganFor(params);
  } catch (cause) {
    if (cause instanceof InvalidOptionError) throw new SerializationError({ fn, arg: 'json.params', expected: 'buildable GAN params', got: cause.message }, { cause });
    throw cause;
  }
  try {
    loadGanWeights(gan, s, fn);
  } catch (e) {
    disposeGan(gan);
    throw e;
  }
  const empty: GanHistory = Object.freeze({ dLoss: Object.freeze([]), gLoss: Object.freeze([]) });
  return makeFitted(params, Object.freeze({ mean, sd, lambertW, quantiles, realWindows }), gan, empty);
}
