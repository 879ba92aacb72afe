/**
 * Sampling from a trained generator.
 *
 * @module
 */
import * as tf from '@tensorflow/tfjs-core';
import type * as tfl from '@tensorflow/tfjs-layers';
import { InvalidOptionError, ShapeError, describeValue } from '../core/errors';
import { createRng } from '../core/random';

/**
 * Draws `n` synthetic examples from a generator: latent noise `N(0, I)` from `createRng(seed)`,
 * passed through the generator in inference mode.
 *
 * @param generator - `gan.generator` from {@link buildGan} (or any model from `[latentDim]`).
 * @param n - Number of examples (>= 1).
 * @param seed - Seed of the latent noise (default 0): same seed, same samples.
 * @returns A new tensor `[n, features]` (tabular) or `[n, seqLength, features]` (sequence),
 *   owned by the caller.
 * @throws {InvalidOptionError} `n` not a positive integer or a bad seed.
 * @throws {ShapeError} the generator does not take a flat latent vector.
 * @example
 * ```ts
 * import { buildGan, disposeGan, sampleGan } from 'finml';
 * const gan = buildGan({ kind: 'tabular', features: 2, seed: 1 });
 * const x = sampleGan(gan.generator, 1000, 42);
 * x.shape; //=> [1000, 2]
 * const rows = x.arraySync(); x.dispose();
 * disposeGan(gan);
 * ```
 * @category Models
 */
export function sampleGan(generator: tfl.LayersModel, n: number, seed = 0): tf.Tensor {
  const fn = 'sampleGan';
  if (typeof n !== 'number' || !Number.isInteger(n) || n < 1) {
    throw new InvalidOptionError({ fn, arg: 'n', expected: 'an integer >= 1', got: describeValue(n) });
  }
  const rng = createRng(seed);
  const inShape = generator.inputs[0]?.shape;
  if (inShape === undefined || inShape.length !== 2 || typeof inShape[1] !== 'number') {
    throw new ShapeError({ fn, arg: 'generator', expected: 'a model with input [batch, latentDim]', got: `input shape ${JSON.stringify(inShape)}` });
  }
  const latentDim = inShape[1];
  const z = new Float32Array(n * latentDim);
  for (let i = 0; i < z.length; i++) z[i] = rng.normal();
  return tf.tidy(() => generator.predict(tf.tensor2d(z, [n, latentDim]), { batchSize: 4096 }) as tf.Tensor);
}
