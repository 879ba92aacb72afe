/**
 * The adversarial training loop. It runs on the trainer's parts: the epoch loop and event-loop
 * pauses (`train/_internal/epochLoop.ts`), JS-side batch gathering (`train/_internal/batches.ts`)
 * and the progress callback (`train/callbacks.ts`).
 *
 * @module
 */
import { requireBackend } from '../core/backend';
import * as tf from '@tensorflow/tfjs-core';
import { InvalidOptionError, TrainingError } from '../core/errors';
import { resolveOptions, rules } from '../core/options';
import type { RuleTable } from '../core/options';
import { createRng } from '../core/random';
import type { Rng } from '../core/random';
import { flattenExamples } from './_internal/ganData';
import { latentValues } from './_internal/ganNoise';
import type { GanData } from './_internal/ganData';
import type { Gan } from './buildGan';
import { gatherRows } from '../train/_internal/batches';
import { eventLoopPauses, runEpochs } from '../train/_internal/epochLoop';
import { createOptimizer } from '../train/_internal/hostOptimizer';
import { reportProgress, type EpochCallback } from '../train/callbacks';

export type { GanData } from './_internal/ganData';

/**
 * Losses of one epoch (means over its batches).
 *
 * @category Models
 */
export interface GanEpochLogs {
  /** Discriminator loss: BCE on real (smoothed labels) + BCE on synthetic. */
  readonly dLoss: number;
  /** Generator (non-saturating) loss: BCE of D(G(z)) against label 1. */
  readonly gLoss: number;
}

/**
 * Options of {@link trainGan}.
 *
 * @category Models
 */
export interface TrainGanOptions {
  /** Passes over the real data (default 50). */
  readonly epochs?: number;
  /** Examples per batch (default 32; capped at the number of examples). */
  readonly batchSize?: number;
  /** Adam learning rate of both networks (default 1e-3). */
  readonly learningRate?: number;
  /** Discriminator learning rate (default: `learningRate`). */
  readonly discriminatorLearningRate?: number | null;
  /** Generator learning rate (default: `learningRate`). */
  readonly generatorLearningRate?: number | null;
  /** Adam beta1 (default 0.5, as usual for GANs). */
  readonly beta1?: number;
  /** Discriminator updates per generator update (default 1). */
  readonly discriminatorSteps?: number;
  /** One-sided label smoothing: real examples get label `1 - labelSmoothing` (default 0, in [0, 0.5)). */
  readonly labelSmoothing?: number;
  /**
   * Weight of a moment-matching term added to the generator loss (default 0 = off): for each
   * feature, pooled over the batch (and time steps), `(mean_fake - mean_real)^2 +
   * (std_fake - std_real)^2 + (log kurtosis_fake - log kurtosis_real)^2`. The real targets are
   * the averages of the same statistics over batches of real examples (so both sides have the
   * same small-sample bias). Pushes the generator toward the real tails (kurtosis).
   */
  readonly momentWeight?: number;
  /**
   * Weight of an autocorrelation-matching term added to the generator loss (sequences only;
   * default 0 = off): the mean over lags 1..`acfLags` and features of the squared differences of
   * the pooled within-sequence autocorrelations of r and of |r| (volatility clustering), fake vs
   * the real targets (averaged over real batches).
   */
  readonly acfWeight?: number;
  /**
   * Weight of a marginal-distribution term added to the generator loss (default 0 = off): for
   * each feature (pooled over the batch and time steps), the sum over 49 grid points t_k (the
   * real data's 2%, 4%, …, 98% quantiles) of the squared difference between the synthetic
   * batch's smoothed empirical CDF, mean(sigmoid((t_k − x) / τ)) with τ = 0.05 × the feature's
   * standard deviation, and the same quantity on all real data. Targets the KS distance and the
   * frequencies of few-valued columns directly.
   */
  readonly cdfWeight?: number;
  /** Largest lag of the autocorrelation term (default 5; must be < seqLength when `acfWeight` > 0). */
  readonly acfLags?: number;
  /**
   * Lambert W tail parameter δ ≥ 0 of the moment and autocorrelation terms (default 0 = off).
   * When the GAN is trained on returns gaussianized by {@link lambertWGaussianize} (so the
   * examples are ~N(0, 1)), set this to the fitted `delta`: both terms are then computed on
   * `x · exp(δ x² / 2)` of the real and synthetic values, i.e. on the returns after the
   * heavy-tail transform {@link lambertWHeavyTail} (up to the affine part), so the kurtosis and
   * the autocorrelations that are matched are those of the final synthetic returns.
   */
  readonly tailDelta?: number;
  /**
   * One-hot categorical blocks of a 'tabular' GAN's rows (default none), as in CTGAN: each block
   * `{ start, size }` is `size` (≥ 2) consecutive columns holding a one-hot category in the real
   * rows, and the generator's outputs there are logits. During training every fake block is
   * passed through a Gumbel-softmax (temperature `gumbelTau`, seeded noise) before the
   * discriminator sees it; the moment and CDF terms then apply to the other (numeric) columns only,
   * and `frequencyWeight` weighs a frequency term. Sample a category from softmax(logits) (see
   * {@link tabularGan}).
   */
  readonly categorical?: readonly GanCategoricalBlock[];
  /**
   * Weight of the category-frequency term of `categorical` blocks (default 0 = off): the squared
   * differences between the batch mean of softmax(logits) (the expected frequencies of sampled
   * categories) and the real frequencies, summed over categories and blocks.
   */
  readonly frequencyWeight?: number;
  /** Temperature of the Gumbel-softmax of categorical blocks, > 0 (default 0.2). */
  readonly gumbelTau?: number;
  /** Seed of batch order and latent noise (default 0). */
  readonly seed?: number;
  /** Called after each epoch; may be async. Throwing aborts training (everything is cleaned up). */
  readonly onEpochEnd?: ((epoch: number, logs: GanEpochLogs) => void | Promise<void>) | null;
}

/**
 * A one-hot categorical block of a tabular GAN's columns (see {@link TrainGanOptions}).
 *
 * @category Models
 */
export interface GanCategoricalBlock {
  /** Index of the block's first column. */
  readonly start: number;
  /** Number of categories (columns) of the block, ≥ 2. */
  readonly size: number;
}

/**
 * What {@link trainGan} returns.
 *
 * @category Models
 */
export interface GanHistory {
  readonly dLoss: readonly number[];
  readonly gLoss: readonly number[];
}

/**
 * Defaults of {@link TrainGanOptions}.
 * @internal
 */
export const TRAIN_GAN_DEFAULTS = {
  epochs: 50,
  batchSize: 32,
  learningRate: 1e-3,
  discriminatorLearningRate: null,
  generatorLearningRate: null,
  beta1: 0.5,
  discriminatorSteps: 1,
  labelSmoothing: 0,
  momentWeight: 0,
  acfWeight: 0,
  cdfWeight: 0,
  acfLags: 5,
  tailDelta: 0,
  categorical: [],
  frequencyWeight: 0,
  gumbelTau: 0.2,
  seed: 0,
  onEpochEnd: null,
} as const satisfies Required<TrainGanOptions>;

const positive = rules.number({ min: 0, exclusiveMin: true });
const TRAIN_GAN_RULES: RuleTable<Required<TrainGanOptions>> = {
  epochs: rules.int({ min: 1 }),
  batchSize: rules.int({ min: 1 }),
  learningRate: positive,
  discriminatorLearningRate: rules.nullable(positive),
  generatorLearningRate: rules.nullable(positive),
  beta1: rules.custom('a number in [0, 1)', (v) => typeof v === 'number' && v >= 0 && v < 1),
  discriminatorSteps: rules.int({ min: 1 }),
  labelSmoothing: rules.custom('a number in [0, 0.5)', (v) => typeof v === 'number' && v >= 0 && v < 0.5),
  momentWeight: rules.number({ min: 0 }),
  acfWeight: rules.number({ min: 0 }),
  cdfWeight: rules.number({ min: 0 }),
  acfLags: rules.int({ min: 1 }),
  tailDelta: rules.number({ min: 0 }),
  categorical: rules.custom(
    'an array of { start, size } blocks (integers, start >= 0, size >= 2)',
    (v) =>
      Array.isArray(v) &&
      v.every((b: unknown) => {
        if (typeof b !== 'object' || b === null) return false;
        const { start, size } = b as Record<string, unknown>;
        return Number.isInteger(start) && (start as number) >= 0 && Number.isInteger(size) && (size as number) >= 2;
      }),
  ),
  frequencyWeight: rules.number({ min: 0 }),
  gumbelTau: positive,
  seed: rules.custom('a safe integer', (v) => typeof v === 'number' && Number.isSafeInteger(v)),
  onEpochEnd: rules.nullable(rules.func()),
};

/**
 * Numerically stable mean binary cross-entropy of logits against a constant label, built from
 * ops every backend (and its gradients) supports. Returns a scalar owned by the caller.
 * @param logits - Discriminator logits (not disposed).
 * @param label - The constant target label, 0 or 1.
 * @returns a new scalar tensor.
 * @internal
 */
export function bceWithLogits(logits: tf.Tensor, label: number): tf.Scalar {
  return tf.tidy(() => {
    // max(z, 0) - z * y + log(1 + exp(-|z|))
    const z = logits;
    const loss = tf.add(tf.sub(tf.relu(z), tf.mul(z, label)), tf.log(tf.add(1, tf.exp(tf.neg(tf.abs(z))))));
    return tf.mean(loss) as tf.Scalar;
  });
}

/** Batch statistics per feature of `[batch, steps, features]` values, pooled over batch and steps. */
interface BatchStats {
  readonly mean: tf.Tensor1D;
  readonly std: tf.Tensor1D;
  readonly logKurt: tf.Tensor1D;
  /** `[2 * lags, features]`: acf of r at lags 1..L, then acf of |r| at lags 1..L (absent when lags = 0). */
  readonly acf: tf.Tensor2D | null;
}

const EPS = 1e-6;

function pooledAcf(x: tf.Tensor3D, lags: number): tf.Tensor2D {
  const steps = x.shape[1];
  const c = tf.sub(x, tf.mean(x, [0, 1], true));
  const ss = tf.add(tf.sum(tf.square(c), [0, 1]), EPS);
  const rows: tf.Tensor1D[] = [];
  for (let k = 1; k <= lags; k++) {
    const a = tf.slice(c, [0, k, 0], [-1, steps - k, -1]);
    const b = tf.slice(c, [0, 0, 0], [-1, steps - k, -1]);
    rows.push(tf.div(tf.sum(tf.mul(a, b), [0, 1]), ss) as tf.Tensor1D);
  }
  return tf.stack(rows) as tf.Tensor2D;
}

/** Differentiable statistics (call inside a tidy / minimize), after the heavy-tail map when tailDelta > 0. */
function batchStats(raw: tf.Tensor3D, lags: number, tailDelta: number): BatchStats {
  const x: tf.Tensor3D = tailDelta > 0 ? tf.mul(raw, tf.exp(tf.mul(tf.square(raw), tailDelta / 2))) : raw;
  const mean = tf.mean(x, [0, 1]) as tf.Tensor1D;
  const d = tf.sub(x, mean);
  const d2 = tf.square(d);
  const m2 = tf.mean(d2, [0, 1]);
  const m4 = tf.mean(tf.square(d2), [0, 1]);
  const std = tf.sqrt(tf.add(m2, EPS)) as tf.Tensor1D;
  const logKurt = tf.log(tf.div(tf.add(m4, EPS), tf.add(tf.square(m2), EPS))) as tf.Tensor1D;
  const acf = lags > 0 ? (tf.concat([pooledAcf(x, lags), pooledAcf(tf.abs(x), lags)], 0) as tf.Tensor2D) : null;
  return { mean, std, logKurt, acf };
}

/** Targets of the moment/ACF terms: the statistics averaged over batches of real examples. */
function realTargets(values: Float32Array, n: number, shape3: readonly [number, number], batchSize: number, lags: number, seed: number, tailDelta: number): BatchStats {
  const [steps, features] = shape3;
  const size = steps * features;
  const perm = createRng(seed).permutation(n);
  const nBatches = Math.floor(n / batchSize);
  const buf = new Float32Array(batchSize * size);
  const t = tf.tidy(() => {
    const acc: tf.Tensor[][] = [];
    for (let b = 0; b < nBatches; b++) {
      for (let i = 0; i < batchSize; i++) {
        const r = perm[b * batchSize + i] as number;
        buf.set(values.subarray(r * size, (r + 1) * size), i * size);
      }
      const st = batchStats(tf.tensor3d(buf, [batchSize, steps, features]), lags, tailDelta);
      acc.push([st.mean, st.std, st.logKurt, ...(st.acf === null ? [] : [st.acf])]);
    }
    const avg = (j: number): tf.Tensor => tf.mean(tf.stack(acc.map((a) => a[j] as tf.Tensor)), 0);
    return lags > 0 ? [avg(0), avg(1), avg(2), avg(3)] : [avg(0), avg(1), avg(2)];
  });
  return { mean: t[0] as tf.Tensor1D, std: t[1] as tf.Tensor1D, logKurt: t[2] as tf.Tensor1D, acf: (t[3] as tf.Tensor2D | undefined) ?? null };
}

function statsPenalty(fake: tf.Tensor3D, target: BatchStats, momentWeight: number, acfWeight: number, lags: number, tailDelta: number): tf.Scalar {
  const f = batchStats(fake, acfWeight > 0 ? lags : 0, tailDelta);
  let p: tf.Scalar = tf.scalar(0);
  if (momentWeight > 0) {
    const m = tf.add(tf.add(tf.squaredDifference(f.mean, target.mean), tf.squaredDifference(f.std, target.std)), tf.squaredDifference(f.logKurt, target.logKurt));
    p = tf.add(p, tf.mul(tf.sum(m), momentWeight));
  }
  if (acfWeight > 0 && f.acf !== null && target.acf !== null) {
    p = tf.add(p, tf.mul(tf.mean(tf.squaredDifference(f.acf, target.acf)), acfWeight));
  }
  return p;
}

/** Grid `[1, features, K]`, bandwidths `[1, features, 1]` and real smoothed CDF `[features, K]` of the marginal term. */
interface CdfTarget {
  readonly grid: tf.Tensor3D;
  readonly tau: tf.Tensor3D;
  readonly target: tf.Tensor2D;
}

const CDF_LEVELS = Array.from({ length: 49 }, (_, i) => (i + 1) / 50);

function softCdf(x: tf.Tensor, features: number, c: Pick<CdfTarget, 'grid' | 'tau'>): tf.Tensor2D {
  const flat = tf.reshape(x, [-1, features, 1]);
  return tf.mean(tf.sigmoid(tf.div(tf.sub(c.grid, flat), c.tau)), 0) as tf.Tensor2D;
}

function cdfTarget(values: Float32Array, features: number): CdfTarget {
  const m = values.length / features;
  const grid = new Float32Array(features * CDF_LEVELS.length);
  const tau = new Float32Array(features);
  for (let j = 0; j < features; j++) {
    const col = new Float64Array(m);
    for (let i = 0; i < m; i++) col[i] = values[i * features + j] as number;
    let mean = 0;
    for (const v of col) mean += v / m;
    let v2 = 0;
    for (const v of col) v2 += (v - mean) ** 2 / m;
    tau[j] = 0.05 * Math.sqrt(v2) + 1e-6;
    col.sort();
    CDF_LEVELS.forEach((q, k) => {
      grid[j * CDF_LEVELS.length + k] = col[Math.min(m - 1, Math.floor(q * m))] as number;
    });
  }
  const g = tf.tensor3d(grid, [1, features, CDF_LEVELS.length]);
  const t = tf.tensor3d(tau, [1, features, 1]);
  const target = tf.tidy(() => softCdf(tf.tensor2d(values, [m, features]), features, { grid: g, tau: t }));
  return { grid: g, tau: t, target };
}

/** Column layout of tabular rows with one-hot categorical blocks (sorted, disjoint). */
interface Layout {
  readonly features: number;
  readonly blocks: readonly GanCategoricalBlock[];
  /** Runs `[start, size]` of numeric columns, in order. */
  readonly numericRuns: readonly (readonly [number, number])[];
  readonly numericCount: number;
}

function layoutOf(blocks: readonly GanCategoricalBlock[], features: number, kind: 'tabular' | 'sequence', fn: string): Layout {
  const sorted = [...blocks].sort((a, b) => a.start - b.start);
  const runs: [number, number][] = [];
  let col = 0;
  for (const b of sorted) {
    if (kind !== 'tabular' || b.start < col || b.start + b.size > features) {
      throw new InvalidOptionError({
        fn,
        arg: 'categorical',
        expected: kind === 'tabular' ? `disjoint blocks within the ${features} columns` : "no blocks for a 'sequence' GAN",
        got: JSON.stringify(blocks),
      });
    }
    if (b.start > col) runs.push([col, b.start - col]);
    col = b.start + b.size;
  }
  if (col < features) runs.push([col, features - col]);
  return { features, blocks: sorted, numericRuns: runs, numericCount: runs.reduce((a, r) => a + r[1], 0) };
}

/** Fake rows with every categorical block's logits replaced by a Gumbel-softmax (or softmax when `gumbel` is null). */
function shapeFake(raw: tf.Tensor, layout: Layout, gumbel: tf.Tensor | null, tau: number): tf.Tensor {
  if (layout.blocks.length === 0) return raw;
  const parts: tf.Tensor[] = [];
  let col = 0;
  for (const b of layout.blocks) {
    if (b.start > col) parts.push(tf.slice(raw, [0, col], [-1, b.start - col]));
    let logits = tf.slice(raw, [0, b.start], [-1, b.size]);
    if (gumbel !== null) logits = tf.add(logits, tf.slice(gumbel, [0, b.start], [-1, b.size]));
    parts.push(tf.softmax(tf.div(logits, tau)));
    col = b.start + b.size;
  }
  if (col < layout.features) parts.push(tf.slice(raw, [0, col], [-1, layout.features - col]));
  return tf.concat(parts, 1);
}

/** The numeric columns of `[batch, features]` rows. */
function numericPart(x: tf.Tensor, layout: Layout): tf.Tensor {
  if (layout.blocks.length === 0) return x;
  const parts = layout.numericRuns.map(([start, size]) => tf.slice(x, [0, start], [-1, size]));
  return parts.length === 1 ? (parts[0] as tf.Tensor) : tf.concat(parts, 1);
}

/** The numeric columns of flat rows. */
function numericValues(values: Float32Array, n: number, layout: Layout): Float32Array {
  if (layout.blocks.length === 0) return values;
  const out = new Float32Array(n * layout.numericCount);
  for (let i = 0; i < n; i++) {
    let k = 0;
    for (const [start, size] of layout.numericRuns) for (let j = start; j < start + size; j++) out[i * layout.numericCount + k++] = values[i * layout.features + j] as number;
  }
  return out;
}

/** Real category frequencies of each block (mean of its one-hot columns). */
function blockFrequencies(values: Float32Array, n: number, layout: Layout): tf.Tensor1D[] {
  return layout.blocks.map((b) => {
    const f = new Float32Array(b.size);
    for (let i = 0; i < n; i++) for (let c = 0; c < b.size; c++) f[c] = (f[c] as number) + (values[i * layout.features + b.start + c] as number) / n;
    return tf.tensor1d(f);
  });
}

/** Standard Gumbel noise `[batch, features]` from the seeded stream. */
function gumbelNoise(rng: Rng, batch: number, features: number): tf.Tensor {
  const g = new Float32Array(batch * features);
  for (let i = 0; i < g.length; i++) g[i] = -Math.log(-Math.log(1e-7 + (1 - 2e-7) * rng.next()));
  return tf.tensor2d(g, [batch, features]);
}

/**
 * Trains a GAN from {@link buildGan} on real examples with alternating updates: the discriminator
 * minimises BCE(D(real), 1 - labelSmoothing) + BCE(D(G(z)), 0), then the generator minimises
 * BCE(D(G(z)), 1) (non-saturating loss), each with its own Adam optimizer through
 * `optimizer.minimize` restricted to that network's variables. Batch order and noise come from
 * `createRng(seed)`, so runs are reproducible. Optimizers and every intermediate tensor are
 * disposed at the end, also when training throws. The models are updated in place.
 *
 * @param gan - The GAN to train (its weights change).
 * @param realData - Rows `[n, features]` or sequences `[n, seqLength, features]` (`[n, seqLength]`
 *   when features = 1), nested arrays or a tensor (not disposed, not kept).
 * @param options - Epochs, batch size, learning rates, label smoothing, seed, onEpochEnd.
 * @returns Per-epoch mean discriminator and generator losses.
 * @throws {InvalidOptionError} bad options. @throws {ShapeError} data of the wrong shape.
 * @throws {DataError} empty or non-finite data. @throws {TrainingError} a loss became NaN/Infinity.
 * @example
 * ```ts
 * import { buildGan, trainGan, sampleGan, disposeGan } from 'finml';
 * const gan = buildGan({ kind: 'tabular', features: 2, seed: 1 });
 * const rows = Array.from({ length: 256 }, (_, i) => [Math.sin(i), Math.cos(i)]); // scaled features
 * const history = await trainGan(gan, rows, { epochs: 20, batchSize: 64, seed: 1 });
 * const synthetic = sampleGan(gan.generator, 500, 2); // tf.Tensor2D [500, 2]
 * disposeGan(gan);
 * ```
 * @category Models
 */
export async function trainGan(gan: Gan, realData: GanData, options: TrainGanOptions = {}): Promise<GanHistory> {
  const fn = 'trainGan';
  requireBackend(fn);
  const o = resolveOptions(fn, options, TRAIN_GAN_DEFAULTS as Required<TrainGanOptions>, TRAIN_GAN_RULES);
  const s = gan.spec;
  const exampleShape = s.kind === 'sequence' ? [s.seqLength, s.features] : [s.features];
  if (o.acfWeight > 0 && (s.kind !== 'sequence' || o.acfLags >= s.seqLength)) {
    throw new InvalidOptionError({
      fn,
      arg: 'acfLags',
      expected: s.kind === 'sequence' ? `an integer < seqLength (${s.seqLength}) when acfWeight > 0` : "acfWeight 0 for a 'tabular' GAN",
      got: String(o.acfLags),
    });
  }
  const layout = layoutOf(o.categorical, s.features, s.kind, fn);
  const data = flattenExamples(realData, exampleShape, 'realData', fn);
  const rng = createRng(o.seed);
  const batchSize = Math.min(o.batchSize, data.n);
  const nBatches = Math.floor(data.n / batchSize);
  const gVars = gan.generator.trainableWeights.map((w) => w.read() as tf.Variable);
  const dVars = gan.discriminator.trainableWeights.map((w) => w.read() as tf.Variable);
  const dLossHist: number[] = [];
  const gLossHist: number[] = [];
  const optD = createOptimizer('adam', o.discriminatorLearningRate ?? o.learningRate, o.beta1);
  const optG = createOptimizer('adam', o.generatorLearningRate ?? o.learningRate, o.beta1);
  const realLabel = 1 - o.labelSmoothing;
  const noiseShape = gan.generator.inputs[0]?.shape.slice(1) as number[];
  const noiseSize = noiseShape.reduce((a, b) => a * b, 1);
  const noise = (): tf.Tensor => tf.tensor(latentValues(rng, batchSize * noiseSize, s.latentDf), [batchSize, ...noiseShape]);
  const hasBlocks = layout.blocks.length > 0;
  const nNum = layout.numericCount;
  const numValues = numericValues(data.values, data.n, layout);
  const shape3: [number, number] = [s.kind === 'sequence' ? s.seqLength : 1, nNum];
  const penalized = nNum > 0 && (o.momentWeight > 0 || o.acfWeight > 0);
  const lags = o.acfWeight > 0 ? o.acfLags : 0;
  const targets = penalized ? realTargets(numValues, data.n, shape3, batchSize, lags, o.seed + 1, o.tailDelta) : null;
  const cdf = nNum > 0 && o.cdfWeight > 0 ? cdfTarget(numValues, nNum) : null;
  const freqs = hasBlocks && o.frequencyWeight > 0 ? blockFrequencies(data.values, data.n, layout) : [];
  const gumbel = (): tf.Tensor | null => (hasBlocks ? gumbelNoise(rng, batchSize, s.features) : null);
  const batchValues = new Float32Array(batchSize * data.size);
  const forward = (m: typeof gan.generator, x: tf.Tensor): tf.Tensor => m.apply(x, { training: true }) as tf.Tensor;

  /** One discriminator step on `real` against fresh noise; returns its loss. */
  const discriminatorStep = (real: tf.Tensor, epoch: number): number => {
    const z = noise();
    const g = gumbel();
    try {
      const cost = optD.minimize(
        () => {
          const fake = shapeFake(forward(gan.generator, z), layout, g, o.gumbelTau);
          return tf.add(bceWithLogits(forward(gan.discriminator, real), realLabel), bceWithLogits(forward(gan.discriminator, fake), 0)) as tf.Scalar;
        },
        true,
        dVars,
      );
      return readCost(cost, 'discriminator', epoch);
    } finally {
      z.dispose();
      g?.dispose();
    }
  };

  /** One generator step (adversarial loss plus the moment, ACF, CDF and frequency terms); returns its loss. */
  const generatorStep = (epoch: number): number => {
    const z = noise();
    const g = gumbel();
    try {
      const cost = optG.minimize(
        () => {
          const raw = forward(gan.generator, z);
          const fake = shapeFake(raw, layout, g, o.gumbelTau);
          const adv = bceWithLogits(forward(gan.discriminator, fake), 1);
          let loss: tf.Scalar = adv;
          const num = targets !== null || cdf !== null ? numericPart(fake, layout) : fake;
          if (targets !== null) loss = tf.add(loss, statsPenalty(tf.reshape(num, [batchSize, ...shape3]), targets, o.momentWeight, o.acfWeight, o.acfLags, o.tailDelta));
          if (cdf !== null) loss = tf.add(loss, tf.mul(tf.mean(tf.sum(tf.squaredDifference(softCdf(num, nNum, cdf), cdf.target), 1)), o.cdfWeight));
          if (freqs.length > 0) {
            const gaps = layout.blocks.map((b, k) =>
              tf.sum(tf.squaredDifference(tf.mean(tf.softmax(tf.slice(raw, [0, b.start], [-1, b.size])), 0), freqs[k] as tf.Tensor1D)),
            );
            loss = tf.add(loss, tf.mul(tf.sum(tf.stack(gaps)), o.frequencyWeight));
          }
          return loss;
        },
        true,
        gVars,
      );
      return readCost(cost, 'generator', epoch);
    } finally {
      z.dispose();
      g?.dispose();
    }
  };

  /** One pass over the shuffled examples in full batches (the remainder is dropped): discriminator steps, then a generator step. */
  const trainOneEpoch = async (epoch: number): Promise<GanEpochLogs> => {
    const order = rng.permutation(data.n);
    let dSum = 0;
    let gSum = 0;
    let dCount = 0;
    for (let b = 0; b < nBatches; b++) {
      if (pauses.due()) await pauses.pause();
      gatherRows(data.values, data.size, order, b * batchSize, (b + 1) * batchSize, null, batchValues);
      const real = tf.tensor(batchValues, [batchSize, ...exampleShape]);
      try {
        for (let k = 0; k < o.discriminatorSteps; k++) {
          dSum += discriminatorStep(real, epoch);
          dCount += 1;
        }
      } finally {
        real.dispose();
      }
      gSum += generatorStep(epoch);
    }
    return Object.freeze({ dLoss: dSum / dCount, gLoss: gSum / nBatches });
  };

  const pauses = eventLoopPauses();
  try {
    await runEpochs<GanEpochLogs>({
      epochs: o.epochs,
      pauses,
      runEpoch: trainOneEpoch,
      callbacks: [recordLosses(dLossHist, gLossHist), ...(o.onEpochEnd === null ? [] : [reportProgress(o.onEpochEnd)])],
    });
  } finally {
    optD.dispose();
    optG.dispose();
    if (targets !== null) tf.dispose([targets.mean, targets.std, targets.logKurt, ...(targets.acf === null ? [] : [targets.acf])]);
    if (cdf !== null) tf.dispose([cdf.grid, cdf.tau, cdf.target]);
    tf.dispose(freqs);
  }
  return Object.freeze({ dLoss: Object.freeze(dLossHist), gLoss: Object.freeze(gLossHist) });
}

/** Appends every epoch's losses to the history. */
function recordLosses(dLoss: number[], gLoss: number[]): EpochCallback<GanEpochLogs> {
  return {
    afterEpoch(_epoch: number, logs: GanEpochLogs): void {
      dLoss.push(logs.dLoss);
      gLoss.push(logs.gLoss);
    },
  };
}

function readCost(cost: tf.Scalar | null, which: string, epoch: number): number {
  if (cost === null) throw new TrainingError(`trainGan: the ${which} step returned no loss.`, { fn: 'trainGan' });
  const v = cost.dataSync()[0] as number;
  cost.dispose();
  if (!Number.isFinite(v)) {
    throw new TrainingError(`trainGan: the ${which} loss became ${v} in epoch ${epoch}; lower the learning rate or standardize the data.`, {
      fn: 'trainGan',
      arg: 'learningRate',
      expected: 'finite losses',
      got: String(v),
    });
  }
  return v;
}
