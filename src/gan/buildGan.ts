/**
 * Generative adversarial networks for tabular rows and return sequences.
 *
 * @module
 */
import { requireBackend } from '../core/backend';
import * as tfl from '@tensorflow/tfjs-layers';
import { InvalidOptionError } from '../core/errors';
import { resolveOptions, rules } from '../core/options';
import type { RuleTable } from '../core/options';
import { createRng } from '../core/random';
import type { Rng } from '../core/random';
import { HIDDEN_ACTIVATIONS, dropoutLayer, glorot, stack } from '../models/_internal/modelParts';
import { ensureChainedOps } from '../core/chainedOps';
import { PortableConv1D } from '../models/portableConv1d';
import { registerFinmlLayers } from '../models/registerFinmlLayers';
import type { HiddenActivation } from '../models/spec';

/**
 * Activations of GAN networks: the hidden activations plus leaky ReLU (slope 0.2).
 *
 * @category Models
 */
export type GanActivation = HiddenActivation | 'leakyRelu';

/**
 * Generator network of a GAN.
 *
 * - `'dense'` (default): an MLP from one latent vector `[latentDim]` to a row or a whole sequence.
 * - `'rnn'` (sequences only): a recurrent, conditionally heteroscedastic generator. It reads
 *   per-step noise `[seqLength, latentDim]` with stacked GRUs (`hidden` units each, returning
 *   sequences) and emits `r_t = mu_t + sigma_t * eps_t`, where `mu_t` and
 *   `sigma_t = softplus(.)` are dense heads on the GRU state and `eps_t` is a learned linear
 *   projection (no bias) of the step's own noise. Because `sigma_t` depends on the past noise
 *   through the GRU state, large moves can cluster in time (volatility clustering), and a
 *   random scale times a shock has fatter tails than the shock itself.
 * - `'sv'` (sequences only): a stochastic-volatility generator, like the SVNN of Quant GANs
 *   (Wiese et al. 2020) with an MLP in place of the temporal convolutions. It reads per-step noise
 *   `[seqLength, latentDim]`; an MLP (`hidden`) on the whole noise path gives a volatility path
 *   `sigma_t = softplus(.)` and a drift path `mu_t`, and the output is `r_t = mu_t + sigma_t *
 *   eps_t`, where `eps_t` is a learned linear projection (no bias) of the step's own noise. One
 *   dense pass (no recurrence): fast, and the shared volatility path gives volatility clustering
 *   and a fat-tailed scale mixture, while returns stay serially uncorrelated unless `mu_t` says
 *   otherwise.
 *
 * @category Models
 */
export interface GanGeneratorOptions {
  /** Architecture: 'dense' (default), 'rnn' or 'sv' (sequences only; see above). */
  readonly type?: 'dense' | 'rnn' | 'sv';
  /** Hidden layer sizes (default [32, 32]); GRU sizes for type 'rnn'. */
  readonly hidden?: readonly number[];
  /** Hidden activation of the dense layers (default 'relu'; GRUs always use tanh). */
  readonly activation?: GanActivation;
}

/**
 * Discriminator network of a GAN; outputs one logit (real vs synthetic).
 *
 * @category Models
 */
export interface GanDiscriminatorOptions {
  /**
   * Architecture: 'dense' (flatten + MLP, default), or for sequences 'cnn' (one
   * {@link PortableConv1D} block of `hidden[0]` filters, kernel 3, then the remaining dense
   * layers) or 'rnn' (a GRU of `hidden[0]` units, then the remaining dense layers).
   */
  readonly type?: 'dense' | 'cnn' | 'rnn';
  /** Hidden layer sizes (default [32, 16]). */
  readonly hidden?: readonly number[];
  /** Hidden activation (default 'leakyRelu'). */
  readonly activation?: GanActivation;
  /** Seeded dropout after each hidden layer, in [0, 1) (default 0). */
  readonly dropout?: number;
}

/**
 * Specification of a GAN.
 *
 * @category Models
 */
export interface GanSpec {
  /** 'tabular': rows of `features` values; 'sequence': sequences `[seqLength, features]`. */
  readonly kind: 'tabular' | 'sequence';
  /** Number of columns (tabular) or values per time step (sequence, default 1). */
  readonly features?: number;
  /** Length of generated sequences (required for kind 'sequence'). */
  readonly seqLength?: number;
  /** Dimension of the latent noise (per time step for an 'rnn' or 'sv' generator; default 8). */
  readonly latentDim?: number;
  /**
   * Latent noise distribution: null (default) for N(0, 1); a number > 2 for Student-t noise with
   * `latentDf` degrees of freedom, rescaled to unit variance (heavier tails for smaller values).
   * {@link trainGan} and {@link sampleGan} (given the {@link Gan}) draw noise accordingly.
   */
  readonly latentDf?: number | null;
  readonly generator?: GanGeneratorOptions;
  readonly discriminator?: GanDiscriminatorOptions;
  /** Seed of all initializers and dropout masks (default 0). */
  readonly seed?: number;
}

/**
 * Resolved GAN spec (every option filled in).
 *
 * @category Models
 */
export interface ResolvedGanSpec {
  readonly kind: 'tabular' | 'sequence';
  readonly features: number;
  readonly seqLength: number;
  readonly latentDim: number;
  readonly latentDf: number | null;
  readonly generator: Required<GanGeneratorOptions>;
  readonly discriminator: Required<GanDiscriminatorOptions>;
  readonly seed: number;
}

/**
 * A generator/discriminator pair built by {@link buildGan}. Dispose with {@link disposeGan}.
 *
 * @category Models
 */
export interface Gan {
  /** The resolved spec it was built from. */
  readonly spec: ResolvedGanSpec;
  /**
   * Latent noise `[batch, latentDim]` (`[batch, seqLength, latentDim]` for 'rnn' and 'sv' generators) →
   * rows `[batch, features]` or sequences `[batch, seqLength, features]`.
   */
  readonly generator: tfl.LayersModel;
  /** Rows or sequences → one logit per example (`[batch, 1]`; sigmoid gives P(real)). */
  readonly discriminator: tfl.LayersModel;
}

/**
 * Defaults of {@link GanSpec}.
 * @internal
 */
export const GAN_DEFAULTS = {
  kind: 'tabular',
  features: 1,
  seqLength: 1,
  latentDim: 8,
  latentDf: null,
  generator: { type: 'dense', hidden: [32, 32], activation: 'relu' },
  discriminator: { type: 'dense', hidden: [32, 16], activation: 'leakyRelu', dropout: 0 },
  seed: 0,
} as const satisfies ResolvedGanSpec;

const ACTS: readonly GanActivation[] = [...HIDDEN_ACTIVATIONS, 'leakyRelu'];

const GAN_RULES: RuleTable<ResolvedGanSpec> = {
  kind: rules.oneOf(['tabular', 'sequence']),
  features: rules.int({ min: 1 }),
  seqLength: rules.int({ min: 1 }),
  latentDim: rules.int({ min: 1 }),
  latentDf: rules.nullable(rules.number({ min: 2, exclusiveMin: true })),
  generator: rules.any(),
  discriminator: rules.any(),
  seed: rules.custom('a safe integer', (v) => typeof v === 'number' && Number.isSafeInteger(v)),
};

const GEN_RULES: RuleTable<Required<GanGeneratorOptions>> = {
  type: rules.oneOf(['dense', 'rnn', 'sv']),
  hidden: rules.intArray({ min: 1 }),
  activation: rules.oneOf(ACTS),
};

const DISC_RULES: RuleTable<Required<GanDiscriminatorOptions>> = {
  type: rules.oneOf(['dense', 'cnn', 'rnn']),
  hidden: rules.intArray({ min: 1 }),
  activation: rules.oneOf(ACTS),
  dropout: rules.custom('a number in [0, 1)', (v) => typeof v === 'number' && v >= 0 && v < 1),
};

/**
 * Validates a {@link GanSpec} and fills in defaults.
 * @param spec - The spec. @param fn - Function name used in error messages.
 * @throws {InvalidOptionError}
 * @internal
 */
export function resolveGanSpec(spec: GanSpec, fn = 'buildGan'): ResolvedGanSpec {
  const top = resolveOptions(fn, spec as Partial<ResolvedGanSpec>, GAN_DEFAULTS as unknown as ResolvedGanSpec, GAN_RULES);
  const generator = resolveOptions(`${fn} (generator)`, spec.generator, GAN_DEFAULTS.generator as unknown as Required<GanGeneratorOptions>, GEN_RULES);
  const discriminator = resolveOptions(
    `${fn} (discriminator)`,
    spec.discriminator,
    GAN_DEFAULTS.discriminator as unknown as Required<GanDiscriminatorOptions>,
    DISC_RULES,
  );
  if (top.kind === 'sequence' && spec.seqLength === undefined) {
    throw new InvalidOptionError({ fn, arg: 'seqLength', expected: "an integer >= 1 (required for kind 'sequence')", got: 'undefined' });
  }
  if (top.kind === 'tabular' && spec.features === undefined) {
    throw new InvalidOptionError({ fn, arg: 'features', expected: "an integer >= 1 (required for kind 'tabular')", got: 'undefined' });
  }
  if (top.kind === 'tabular' && discriminator.type !== 'dense') {
    throw new InvalidOptionError({ fn, arg: 'discriminator.type', expected: "'dense' for kind 'tabular'", got: `'${discriminator.type}'` });
  }
  if (top.kind === 'tabular' && generator.type !== 'dense') {
    throw new InvalidOptionError({ fn, arg: 'generator.type', expected: "'dense' for kind 'tabular'", got: `'${generator.type}'` });
  }
  if (generator.type === 'rnn' && generator.hidden.length === 0) {
    throw new InvalidOptionError({ fn, arg: 'generator.hidden', expected: "a non-empty array for type 'rnn'", got: 'an empty array' });
  }
  if (discriminator.type !== 'dense' && discriminator.hidden.length === 0) {
    throw new InvalidOptionError({ fn, arg: 'discriminator.hidden', expected: `a non-empty array for type '${discriminator.type}'`, got: 'an empty array' });
  }
  return Object.freeze({
    ...top,
    seqLength: top.kind === 'tabular' ? 1 : top.seqLength,
    generator: Object.freeze({ ...generator, hidden: Object.freeze([...generator.hidden]) }),
    discriminator: Object.freeze({ ...discriminator, hidden: Object.freeze([...discriminator.hidden]) }),
  }) as ResolvedGanSpec;
}

function dense(units: number, activation: GanActivation, rng: Rng): tfl.layers.Layer[] {
  if (activation === 'leakyRelu') {
    return [tfl.layers.dense({ units, kernelInitializer: glorot(rng) }), tfl.layers.leakyReLU({ alpha: 0.2 })];
  }
  return [tfl.layers.dense({ units, activation, kernelInitializer: glorot(rng) })];
}

function activationLayer(activation: GanActivation): tfl.layers.Layer {
  return activation === 'leakyRelu' ? tfl.layers.leakyReLU({ alpha: 0.2 }) : tfl.layers.activation({ activation });
}

let rnnGenerators = 0;
let svGenerators = 0;

/** The 'sv' generator: per-step noise -> MLP on the whole path -> r_t = mu_t + softplus(s_t) * (w . z_t). */
function volatilityGenerator(s: ResolvedGanSpec, rng: Rng): tfl.LayersModel {
  ensureChainedOps();
  const z = tfl.input({ shape: [s.seqLength, s.latentDim] });
  let h = tfl.layers.flatten().apply(z) as tfl.SymbolicTensor;
  for (const units of s.generator.hidden) for (const layer of dense(units, s.generator.activation, rng)) h = layer.apply(h) as tfl.SymbolicTensor;
  const out = s.seqLength * s.features;
  const shape = [s.seqLength, s.features];
  const sigmaFlat = tfl.layers.dense({ units: out, activation: 'softplus', kernelInitializer: glorot(rng) }).apply(h) as tfl.SymbolicTensor;
  const muFlat = tfl.layers.dense({ units: out, kernelInitializer: glorot(rng) }).apply(h) as tfl.SymbolicTensor;
  const sigma = tfl.layers.reshape({ targetShape: shape }).apply(sigmaFlat) as tfl.SymbolicTensor;
  const mu = tfl.layers.reshape({ targetShape: shape }).apply(muFlat) as tfl.SymbolicTensor;
  const eps = tfl.layers.dense({ units: s.features, useBias: false, kernelInitializer: glorot(rng) }).apply(z) as tfl.SymbolicTensor;
  const shock = tfl.layers.multiply().apply([sigma, eps]) as tfl.SymbolicTensor;
  const y = tfl.layers.add().apply([mu, shock]) as tfl.SymbolicTensor;
  svGenerators += 1;
  return tfl.model({ inputs: z, outputs: y, name: `finml_gan_generator_sv_${svGenerators}` });
}

/** The 'rnn' generator: per-step noise -> GRUs -> r_t = mu_t + softplus(s_t) * (w . z_t). */
function recurrentGenerator(s: ResolvedGanSpec, rng: Rng): tfl.LayersModel {
  ensureChainedOps();
  const z = tfl.input({ shape: [s.seqLength, s.latentDim] });
  let h: tfl.SymbolicTensor = z;
  for (const units of s.generator.hidden) {
    h = tfl.layers
      .gru({ units, returnSequences: true, kernelInitializer: glorot(rng), recurrentInitializer: glorot(rng) })
      .apply(h) as tfl.SymbolicTensor;
  }
  const mu = tfl.layers.dense({ units: s.features, kernelInitializer: glorot(rng) }).apply(h) as tfl.SymbolicTensor;
  const sigma = tfl.layers.dense({ units: s.features, activation: 'softplus', kernelInitializer: glorot(rng) }).apply(h) as tfl.SymbolicTensor;
  const eps = tfl.layers.dense({ units: s.features, useBias: false, kernelInitializer: glorot(rng) }).apply(z) as tfl.SymbolicTensor;
  const shock = tfl.layers.multiply().apply([sigma, eps]) as tfl.SymbolicTensor;
  const out = tfl.layers.add().apply([mu, shock]) as tfl.SymbolicTensor;
  rnnGenerators += 1;
  return tfl.model({ inputs: z, outputs: out, name: `finml_gan_generator_rnn_${rnnGenerators}` });
}

/**
 * Builds a GAN: a generator (dense MLP from latent noise to a row or a sequence, linear output,
 * or for sequences a recurrent heteroscedastic generator over per-step noise, see
 * {@link GanGeneratorOptions})
 * and a discriminator (dense, CNN or GRU, one logit output). Seeded: same spec, same initial
 * weights. Train with {@link trainGan}, sample with {@link sampleGan}, release with {@link disposeGan}.
 * Works best on standardized data (zero mean, unit variance).
 *
 * @param spec - The GAN spec.
 * @returns The two uncompiled models (owned by the caller).
 * @throws {InvalidOptionError} on invalid options (missing `seqLength` for sequences, ...).
 * @example
 * ```ts
 * import { buildGan } from 'finml';
 * const gan = buildGan({ kind: 'sequence', seqLength: 20, latentDim: 8, discriminator: { type: 'cnn' }, seed: 1 });
 * gan.generator.outputs[0]?.shape; //=> [null, 20, 1]
 * ```
 * @category Models
 */
export function buildGan(spec: GanSpec): Gan {
  const s = resolveGanSpec(spec);
  requireBackend('buildGan');
  registerFinmlLayers();
  const rng = createRng(s.seed);
  let generator: tfl.LayersModel;
  if (s.generator.type === 'rnn') {
    generator = recurrentGenerator(s, rng);
  } else if (s.generator.type === 'sv') {
    generator = volatilityGenerator(s, rng);
  } else {
    const outSize = s.features * s.seqLength;
    const gLayers: tfl.layers.Layer[] = [];
    for (const units of s.generator.hidden) gLayers.push(...dense(units, s.generator.activation, rng));
    gLayers.push(tfl.layers.dense({ units: outSize, kernelInitializer: glorot(rng) }));
    if (s.kind === 'sequence') gLayers.push(tfl.layers.reshape({ targetShape: [s.seqLength, s.features] }));
    generator = stack([s.latentDim], gLayers, 'gan_generator');
  }

  const inputShape = s.kind === 'sequence' ? [s.seqLength, s.features] : [s.features];
  const d = s.discriminator;
  const dLayers: (tfl.layers.Layer | undefined)[] = [];
  let rest = d.hidden;
  if (s.kind === 'sequence' && d.type === 'cnn') {
    const filters = d.hidden[0] as number;
    dLayers.push(new PortableConv1D({ filters, kernelSize: Math.min(3, s.seqLength), padding: 'same', seed: rng.seed() }));
    dLayers.push(activationLayer(d.activation), dropoutLayer(d.dropout, rng), tfl.layers.flatten());
    rest = d.hidden.slice(1);
  } else if (s.kind === 'sequence' && d.type === 'rnn') {
    dLayers.push(tfl.layers.gru({ units: d.hidden[0] as number, kernelInitializer: glorot(rng), recurrentInitializer: glorot(rng) }));
    dLayers.push(dropoutLayer(d.dropout, rng));
    rest = d.hidden.slice(1);
  } else if (s.kind === 'sequence') {
    dLayers.push(tfl.layers.flatten());
  }
  for (const units of rest) {
    dLayers.push(...dense(units, d.activation, rng));
    dLayers.push(dropoutLayer(d.dropout, rng));
  }
  dLayers.push(tfl.layers.dense({ units: 1, kernelInitializer: glorot(rng) }));
  let discriminator: tfl.LayersModel;
  try {
    discriminator = stack(inputShape, dLayers, 'gan_discriminator');
  } catch (e) {
    generator.dispose();
    throw e;
  }
  return Object.freeze({ spec: s, generator, discriminator });
}
