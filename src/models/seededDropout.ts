/**
 * Reproducible dropout for tfjs-layers models.
 *
 * @module
 */
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { InvalidOptionError, describeValue } from '../core/errors';

type LayerArgs = NonNullable<ConstructorParameters<typeof tfl.layers.Layer>[0]>;

/**
 * Constructor arguments of {@link SeededDropout}.
 *
 * @category Models
 */
export interface SeededDropoutArgs {
  /** Fraction of units dropped during training, in [0, 1). */
  readonly rate: number;
  /** Base seed of the mask stream. */
  readonly seed: number;
  /** Optional layer name. */
  readonly name?: string;
  /** Input shape when this is the first layer of a sequential model. */
  readonly inputShape?: readonly (number | null)[];
  /** Full input shape including the batch dimension (set by deserialisation). */
  readonly batchInputShape?: readonly (number | null)[];
}

/**
 * Derives the seed of the `call`-th mask from a base seed (a 32-bit integer hash), so every
 * training step gets a fresh, reproducible mask.
 * @param base - The layer's base seed.
 * @param call - The 0-based index of the training call.
 * @returns a 32-bit integer seed.
 * @internal
 */
export function maskSeed(base: number, call: number): number {
  let z = (base ^ Math.imul(call + 1, 0x9e3779b9)) >>> 0;
  z = Math.imul(z ^ (z >>> 16), 0x85ebca6b) >>> 0;
  z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35) >>> 0;
  return (z ^ (z >>> 16)) >>> 0;
}

/**
 * Inverted dropout whose masks are reproducible: the n-th training call of the layer draws its
 * mask from `maskSeed(seed, n)`. (tfjs's own dropout layer either uses `Math.random`, or, given a
 * seed, reuses the same mask at every step.) Identity at inference.
 *
 * @example
 * ```ts
 * import { registerFinmlLayers, SeededDropout } from 'finml';
 * registerFinmlLayers();
 * const drop = new SeededDropout({ rate: 0.2, seed: 7 });
 * ```
 * @category Models
 */
export class SeededDropout extends tfl.layers.Layer {
  /** Class name used by tfjs-layers serialisation. */
  static className = 'SeededDropout';
  /** Drop rate. */
  readonly rate: number;
  /** Base seed. */
  readonly seed: number;
  private calls = 0;

  constructor(args: SeededDropoutArgs) {
    if (typeof args.rate !== 'number' || !(args.rate >= 0 && args.rate < 1)) {
      throw new InvalidOptionError({ fn: 'SeededDropout', arg: 'rate', expected: 'a number in [0, 1)', got: describeValue(args.rate) });
    }
    if (typeof args.seed !== 'number' || !Number.isSafeInteger(args.seed)) {
      throw new InvalidOptionError({ fn: 'SeededDropout', arg: 'seed', expected: 'a safe integer', got: describeValue(args.seed) });
    }
    const base: LayerArgs = {};
    if (args.name !== undefined) base.name = args.name;
    if (args.inputShape !== undefined) base.inputShape = [...args.inputShape];
    if (args.batchInputShape !== undefined) base.batchInputShape = [...args.batchInputShape];
    super(base);
    this.rate = args.rate;
    this.seed = args.seed;
    this.supportsMasking = true;
  }

  override call(inputs: tf.Tensor | tf.Tensor[], kwargs: Record<string, unknown>): tf.Tensor {
    const x = (Array.isArray(inputs) ? inputs[0] : inputs) as tf.Tensor;
    const training = kwargs.training === true;
    if (!training || this.rate === 0) return tf.clone(x);
    return tf.tidy(() => tf.mul(x, this.trainingMultiplier(x.shape)));
  }

  /**
   * The next training multiplier (`mask / keepProb`, 0 or `1 / (1 - rate)` per element) and the
   * mask stream advanced, exactly as a training call: `call(x)` is `x * trainingMultiplier(x.shape)`,
   * the ops and bits of `tf.dropout`. The trainer's tape-free step uses it to apply the same mask
   * in its backward pass. A rate of 0 gives ones and leaves the stream as it is.
   * @internal
   */
  trainingMultiplier(shape: readonly number[]): tf.Tensor {
    if (this.rate === 0) return tf.ones([...shape]);
    const s = maskSeed(this.seed, this.calls);
    this.calls += 1;
    const keep = 1 - this.rate;
    // tf.dropout's multiplier: floor(uniform + keep) / keep
    return tf.tidy(() => tf.div(tf.floor(tf.add(tf.randomUniform([...shape], 0, 1, 'float32', s), keep)), keep));
  }

  /** How many training masks this layer has drawn (its mask stream's position). @internal */
  get maskCalls(): number {
    return this.calls;
  }

  /** Moves the mask stream to position `calls` (a resumed training's, from {@link maskCalls}). @internal */
  resumeMaskStream(calls: number): void {
    if (!Number.isSafeInteger(calls) || calls < 0) {
      throw new InvalidOptionError({ fn: 'SeededDropout.resumeMaskStream', arg: 'calls', expected: 'a non-negative integer', got: describeValue(calls) });
    }
    this.calls = calls;
  }

  override getConfig(): tf.serialization.ConfigDict {
    return { ...super.getConfig(), rate: this.rate, seed: this.seed };
  }
}
