/**
 * Sampling from a trained generator.
 *
 * @module
 */
import * as tf from '@tensorflow/tfjs-core';
import type * as tfl from '@tensorflow/tfjs-layers';
import { InvalidOptionError, ShapeError, describeValue } from '../core/errors';
import { createRng } from '../core/random';
import { latentValues } from './_internal/ganNoise';
import type { Gan } from './buildGan';

/**
 * Draws `n` synthetic examples from a generator, passed through it in inference mode. Latent
 * noise comes from `createRng(seed)`: N(0, I) for a bare generator model; for a {@link Gan} the
 * distribution of its spec (Student-t when `latentDf` is set). The noise has the generator's
 * input shape: `[n, latentDim]`, or `[n, seqLength, latentDim]` for an 'rnn' generator.
 *
 * @param generator - A {@link Gan} from {@link buildGan} (preferred: uses its latent distribution),
 *   or `gan.generator` / any model taking latent noise of a fully known shape.
 * @param n - Number of examples (>= 1).
 * @param seed - Seed of the latent noise (default 0): same seed, same samples.
 * @returns A new tensor `[n, features]` (tabular) or `[n, seqLength, features]` (sequence),
 *   owned by the caller.
 * @throws {InvalidOptionError} `n` not a positive integer or a bad seed.
 * @throws {ShapeError} the generator's input shape is not fully known.
 * @example
 * ```ts
 * import { buildGan, disposeGan, sampleGan } from 'finml';
 * const gan = buildGan({ kind: 'tabular', features: 2, latentDf: 5, seed: 1 });
 * const x = sampleGan(gan, 1000, 42); // Student-t(5) latent noise
 * x.shape; //=> [1000, 2]
 * const rows = x.arraySync(); x.dispose();
 * disposeGan(gan);
 * ```
 * @category Models
 */
export function sampleGan(generator: tfl.LayersModel | Gan, n: number, seed = 0): tf.Tensor {
  const fn = 'sampleGan';
  if (typeof n !== 'number' || !Number.isInteger(n) || n < 1) {
    throw new InvalidOptionError({ fn, arg: 'n', expected: 'an integer >= 1', got: describeValue(n) });
  }
  const rng = createRng(seed);
  const isGan = 'spec' in generator && 'generator' in generator;
  const model = isGan ? generator.generator : generator;
  const df = isGan ? generator.spec.latentDf : null;
  const inShape = model.inputs[0]?.shape;
  const dims = inShape?.slice(1) ?? [];
  if (inShape === undefined || inShape.length < 2 || !dims.every((d) => typeof d === 'number' && d >= 1)) {
    throw new ShapeError({ fn, arg: 'generator', expected: 'a model with input [batch, latentDim] or [batch, seqLength, latentDim]', got: `input shape ${JSON.stringify(inShape)}` });
  }
  const shape = [n, ...(dims as number[])];
  const z = latentValues(rng, shape.reduce((a, b) => a * b, 1), df);
  return tf.tidy(() => model.predict(tf.tensor(z, shape), { batchSize: 4096 }) as tf.Tensor);
}
