/**
 * The adversarial training loop.
 *
 * @module
 */
import * as tf from '@tensorflow/tfjs-core';
import { TrainingError } from '../core/errors';
import { resolveOptions, rules } from '../core/options';
import type { RuleTable } from '../core/options';
import { createRng } from '../core/random';
import { flattenExamples } from '../_lib/ganData';
import type { GanData } from '../_lib/ganData';
import type { Gan } from './buildGan';

export type { GanData } from '../_lib/ganData';

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
  /** Seed of batch order and latent noise (default 0). */
  readonly seed?: number;
  /** Called after each epoch; may be async. Throwing aborts training (everything is cleaned up). */
  readonly onEpochEnd?: ((epoch: number, logs: GanEpochLogs) => void | Promise<void>) | null;
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
 * @example
 * ```ts
 * import { TRAIN_GAN_DEFAULTS } from 'finml';
 * TRAIN_GAN_DEFAULTS.beta1; //=> 0.5
 * ```
 * @category Models
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
  seed: rules.custom('a safe integer', (v) => typeof v === 'number' && Number.isSafeInteger(v)),
  onEpochEnd: rules.nullable(rules.func()),
};

/**
 * Numerically stable mean binary cross-entropy of logits against a constant label, built from
 * ops every backend (and its gradients) supports. Returns a scalar owned by the caller.
 * @param logits - Discriminator logits (not disposed).
 * @param label - The constant target label, 0 or 1.
 * @returns a new scalar tensor.
 * @example
 * ```ts
 * import { bceWithLogits } from 'finml';
 * import * as tf from '@tensorflow/tfjs-core';
 * bceWithLogits(tf.tensor1d([0]), 1).dataSync()[0]; //=> 0.6931...
 * ```
 * @category Models
 */
export function bceWithLogits(logits: tf.Tensor, label: number): tf.Scalar {
  return tf.tidy(() => {
    // max(z, 0) - z * y + log(1 + exp(-|z|))
    const z = logits;
    const loss = tf.add(tf.sub(tf.relu(z), tf.mul(z, label)), tf.log(tf.add(1, tf.exp(tf.neg(tf.abs(z))))));
    return tf.mean(loss) as tf.Scalar;
  });
}

function normalNoise(rng: ReturnType<typeof createRng>, rows: number, cols: number): tf.Tensor2D {
  const v = new Float32Array(rows * cols);
  for (let i = 0; i < v.length; i++) v[i] = rng.normal();
  return tf.tensor2d(v, [rows, cols]);
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
  const o = resolveOptions(fn, options, TRAIN_GAN_DEFAULTS as Required<TrainGanOptions>, TRAIN_GAN_RULES);
  const s = gan.spec;
  const exampleShape = s.kind === 'sequence' ? [s.seqLength, s.features] : [s.features];
  const data = flattenExamples(realData, exampleShape, 'realData', fn);
  const rng = createRng(o.seed);
  const batchSize = Math.min(o.batchSize, data.n);
  const nBatches = Math.floor(data.n / batchSize);
  const gVars = gan.generator.trainableWeights.map((w) => w.read() as tf.Variable);
  const dVars = gan.discriminator.trainableWeights.map((w) => w.read() as tf.Variable);
  const dLossHist: number[] = [];
  const gLossHist: number[] = [];
  const optD = tf.train.adam(o.discriminatorLearningRate ?? o.learningRate, o.beta1);
  const optG = tf.train.adam(o.generatorLearningRate ?? o.learningRate, o.beta1);
  const realLabel = 1 - o.labelSmoothing;
  const batchValues = new Float32Array(batchSize * data.size);
  const forward = (m: typeof gan.generator, x: tf.Tensor): tf.Tensor => m.apply(x, { training: true }) as tf.Tensor;
  try {
    for (let epoch = 0; epoch < o.epochs; epoch++) {
      const perm = rng.permutation(data.n);
      let dSum = 0;
      let gSum = 0;
      let dCount = 0;
      for (let b = 0; b < nBatches; b++) {
        for (let i = 0; i < batchSize; i++) {
          const r = perm[b * batchSize + i] as number;
          batchValues.set(data.values.subarray(r * data.size, (r + 1) * data.size), i * data.size);
        }
        const real = tf.tensor(batchValues, [batchSize, ...exampleShape]);
        try {
          for (let k = 0; k < o.discriminatorSteps; k++) {
            const z = normalNoise(rng, batchSize, s.latentDim);
            try {
              const cost = optD.minimize(
                () => {
                  const fake = forward(gan.generator, z);
                  return tf.add(bceWithLogits(forward(gan.discriminator, real), realLabel), bceWithLogits(forward(gan.discriminator, fake), 0)) as tf.Scalar;
                },
                true,
                dVars,
              );
              dSum += readCost(cost, 'discriminator', epoch);
              dCount += 1;
            } finally {
              z.dispose();
            }
          }
        } finally {
          real.dispose();
        }
        const z = normalNoise(rng, batchSize, s.latentDim);
        try {
          const cost = optG.minimize(() => bceWithLogits(forward(gan.discriminator, forward(gan.generator, z)), 1), true, gVars);
          gSum += readCost(cost, 'generator', epoch);
        } finally {
          z.dispose();
        }
      }
      const logs: GanEpochLogs = Object.freeze({ dLoss: dSum / dCount, gLoss: gSum / nBatches });
      dLossHist.push(logs.dLoss);
      gLossHist.push(logs.gLoss);
      if (o.onEpochEnd !== null) await o.onEpochEnd(epoch, logs);
    }
  } finally {
    optD.dispose();
    optG.dispose();
  }
  return Object.freeze({ dLoss: Object.freeze(dLossHist), gLoss: Object.freeze(gLossHist) });
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
