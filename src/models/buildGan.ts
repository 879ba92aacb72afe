/**
 * Generative adversarial networks for tabular rows and return sequences.
 *
 * @module
 */
import * as tfl from '@tensorflow/tfjs-layers';
import { InvalidOptionError } from '../core/errors';
import { resolveOptions, rules } from '../core/options';
import type { RuleTable } from '../core/options';
import { createRng } from '../core/random';
import type { Rng } from '../core/random';
import { HIDDEN_ACTIVATIONS, dropoutLayer, glorot, stack } from '../_lib/modelParts';
import { PortableConv1D } from './portableConv1d';
import { registerFinmlLayers } from './registerFinmlLayers';
import type { HiddenActivation } from './spec';

/**
 * Activations of GAN networks: the hidden activations plus leaky ReLU (slope 0.2).
 *
 * @category Models
 */
export type GanActivation = HiddenActivation | 'leakyRelu';

/**
 * Generator network of a GAN: a dense MLP from the latent vector to one row / one sequence.
 *
 * @category Models
 */
export interface GanGeneratorOptions {
  /** Hidden layer sizes (default [32, 32]). */
  readonly hidden?: readonly number[];
  /** Hidden activation (default 'relu'). */
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
  /** Dimension of the Gaussian latent noise (default 8). */
  readonly latentDim?: number;
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
  /** Latent noise `[batch, latentDim]` → rows `[batch, features]` or sequences `[batch, seqLength, features]`. */
  readonly generator: tfl.LayersModel;
  /** Rows or sequences → one logit per example (`[batch, 1]`; sigmoid gives P(real)). */
  readonly discriminator: tfl.LayersModel;
}

/**
 * Defaults of {@link GanSpec}.
 * @example
 * ```ts
 * import { GAN_DEFAULTS } from 'finml';
 * GAN_DEFAULTS.latentDim; //=> 8
 * ```
 * @category Models
 */
export const GAN_DEFAULTS = {
  kind: 'tabular',
  features: 1,
  seqLength: 1,
  latentDim: 8,
  generator: { hidden: [32, 32], activation: 'relu' },
  discriminator: { type: 'dense', hidden: [32, 16], activation: 'leakyRelu', dropout: 0 },
  seed: 0,
} as const satisfies ResolvedGanSpec;

const ACTS: readonly GanActivation[] = [...HIDDEN_ACTIVATIONS, 'leakyRelu'];

const GAN_RULES: RuleTable<ResolvedGanSpec> = {
  kind: rules.oneOf(['tabular', 'sequence']),
  features: rules.int({ min: 1 }),
  seqLength: rules.int({ min: 1 }),
  latentDim: rules.int({ min: 1 }),
  generator: rules.any(),
  discriminator: rules.any(),
  seed: rules.custom('a safe integer', (v) => typeof v === 'number' && Number.isSafeInteger(v)),
};

const GEN_RULES: RuleTable<Required<GanGeneratorOptions>> = {
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
 * @example
 * ```ts
 * import { resolveGanSpec } from 'finml';
 * resolveGanSpec({ kind: 'tabular', features: 3 }).generator.hidden; //=> [32, 32]
 * ```
 * @category Models
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

/**
 * Builds a GAN: a generator (dense MLP from Gaussian noise to a row or a sequence, linear output)
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
  registerFinmlLayers();
  const rng = createRng(s.seed);
  const outSize = s.features * s.seqLength;
  const gLayers: tfl.layers.Layer[] = [];
  for (const units of s.generator.hidden) gLayers.push(...dense(units, s.generator.activation, rng));
  gLayers.push(tfl.layers.dense({ units: outSize, kernelInitializer: glorot(rng) }));
  if (s.kind === 'sequence') gLayers.push(tfl.layers.reshape({ targetShape: [s.seqLength, s.features] }));
  const generator = stack([s.latentDim], gLayers, 'gan_generator');

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
