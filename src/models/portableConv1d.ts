/**
 * A 1-D convolution layer that trains on every tfjs backend, including wasm.
 *
 * tfjs's stock `conv1d` layer differentiates through `Conv2DBackpropFilter`, which the wasm
 * backend lacks, so a CNN built from it cannot train there. `PortableConv1D` computes the same
 * convolution with im2col: `k` shifted slices of the (padded) input are concatenated along the
 * channel axis and multiplied by the reshaped kernel. Its gradients only need `Slice`/`Pad`,
 * `Concat`, `Reshape` and `MatMul`, which every backend implements (no `gather`, whose gradient
 * needs `UnsortedSegmentSum`, also missing on wasm).
 *
 * @module
 */
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { InvalidOptionError, ShapeError, describeValue } from '../core/errors';

type LayerArgs = NonNullable<ConstructorParameters<typeof tfl.layers.Layer>[0]>;
/**
 * A tfjs-layers shape: one entry per axis, `null` for the batch axis or any free size.
 *
 * @category Models
 */
export type Shape = (number | null)[];

/**
 * Padding modes of {@link PortableConv1D}.
 *
 * @category Models
 */
export type Conv1DPadding = 'valid' | 'same' | 'causal';

/**
 * Constructor arguments of {@link PortableConv1D} (all plain JSON values, so they serialise).
 *
 * @category Models
 */
export interface PortableConv1DArgs {
  /** Number of output channels. */
  readonly filters: number;
  /** Width of the convolution window. */
  readonly kernelSize: number;
  /** Dilation rate (default 1). Stride is always 1. */
  readonly dilationRate?: number;
  /** `'valid'` (default), `'same'` or `'causal'` (left padding only). */
  readonly padding?: Conv1DPadding;
  /** Add a bias per filter (default true). */
  readonly useBias?: boolean;
  /** Seed of the Glorot-uniform kernel initializer (default: unseeded). */
  readonly seed?: number;
  /** L1 penalty on the kernel (default 0). */
  readonly l1?: number;
  /** L2 penalty on the kernel (default 0). */
  readonly l2?: number;
  /** Optional layer name. */
  readonly name?: string;
  /** Input shape `[steps, channels]` when this is the first layer of a sequential model. */
  readonly inputShape?: readonly (number | null)[];
  /** Full input shape including the batch dimension (set by deserialisation). */
  readonly batchInputShape?: readonly (number | null)[];
  /** Whether the kernel and bias are trainable (default true). */
  readonly trainable?: boolean;
}

/** Paddings [before, after] along the time axis. */
function timePadding(padding: Conv1DPadding, kernelSize: number, dilation: number): [number, number] {
  const total = (kernelSize - 1) * dilation;
  if (padding === 'valid') return [0, 0];
  if (padding === 'causal') return [total, 0];
  const before = Math.floor(total / 2);
  return [before, total - before];
}

/**
 * Output length of a stride-1 convolution over `steps` inputs.
 * @param steps - Input length.
 * @param kernelSize - Kernel width.
 * @param dilation - Dilation rate.
 * @param padding - `'valid'`, `'same'` or `'causal'`.
 * @returns the number of output steps.
 * @example
 * ```ts
 * import { conv1dOutputLength } from 'finml';
 * conv1dOutputLength(10, 3, 2, 'valid'); //=> 6
 * conv1dOutputLength(10, 3, 2, 'same');  //=> 10
 * ```
 * @category Models
 */
export function conv1dOutputLength(steps: number, kernelSize: number, dilation: number, padding: Conv1DPadding): number {
  if (padding !== 'valid') return steps;
  return steps - (kernelSize - 1) * dilation;
}

/**
 * Computes a stride-1 1-D convolution `x * kernel (+ bias)` with backend-portable ops.
 * `x` is `[batch, steps, inChannels]`, `kernel` is `[kernelSize, inChannels, filters]`. Inputs are
 * not disposed; the result belongs to the caller.
 *
 * @param x - Input batch, rank 3.
 * @param kernel - Convolution kernel, rank 3.
 * @param opts - Dilation rate, padding and optional bias `[filters]`.
 * @returns `[batch, outSteps, filters]`, equal to `tf.conv1d(x, kernel, 1, padding, 'NWC', dilation)`.
 * @throws {ShapeError} on mismatched ranks or channel counts, or an output shorter than 1 step.
 * @example
 * ```ts
 * import { portableConv1d } from 'finml';
 * import * as tf from '@tensorflow/tfjs-core';
 * const y = portableConv1d(tf.ones([1, 5, 1]), tf.ones([2, 1, 1]), { padding: 'valid' });
 * y.shape; //=> [1, 4, 1]
 * ```
 * @category Models
 */
export function portableConv1d(
  x: tf.Tensor3D,
  kernel: tf.Tensor3D,
  opts: { readonly dilationRate?: number; readonly padding?: Conv1DPadding; readonly bias?: tf.Tensor1D } = {},
): tf.Tensor3D {
  const fn = 'portableConv1d';
  if (x.rank !== 3) throw new ShapeError({ fn, arg: 'x', expected: 'a rank-3 tensor [batch, steps, channels]', got: describeValue(x) });
  if (kernel.rank !== 3) {
    throw new ShapeError({ fn, arg: 'kernel', expected: 'a rank-3 tensor [kernelSize, inChannels, filters]', got: describeValue(kernel) });
  }
  const [k, cin, filters] = kernel.shape;
  const [, steps, channels] = x.shape;
  if (channels !== cin) throw new ShapeError({ fn, arg: 'x', expected: `${cin} channels (as the kernel)`, got: `${channels} channels` });
  const d = opts.dilationRate ?? 1;
  const padding = opts.padding ?? 'valid';
  const outLen = conv1dOutputLength(steps, k, d, padding);
  if (outLen < 1) {
    throw new ShapeError({ fn, arg: 'x', expected: `at least ${(k - 1) * d + 1} steps for a 'valid' convolution`, got: `${steps} steps` });
  }
  return tf.tidy(() => {
    const [before, after] = timePadding(padding, k, d);
    const xp = before + after > 0 ? tf.pad(x, [[0, 0], [before, after], [0, 0]]) : x;
    const batch = x.shape[0];
    const cols: tf.Tensor3D[] = [];
    for (let j = 0; j < k; j++) cols.push(tf.slice(xp, [0, j * d, 0], [batch, outLen, cin]));
    const patches = k === 1 ? (cols[0] as tf.Tensor3D) : tf.concat(cols, 2);
    const flat = tf.reshape(patches, [batch * outLen, k * cin]);
    let y: tf.Tensor = tf.matMul(flat, tf.reshape(kernel, [k * cin, filters]));
    if (opts.bias !== undefined) y = tf.add(y, opts.bias);
    return tf.reshape(y, [batch, outLen, filters]);
  });
}

function checkArgs(args: PortableConv1DArgs): void {
  const fn = 'PortableConv1D';
  const intMin = (arg: string, v: unknown, min: number): void => {
    if (typeof v !== 'number' || !Number.isInteger(v) || v < min) {
      throw new InvalidOptionError({ fn, arg, expected: `an integer >= ${min}`, got: describeValue(v) });
    }
  };
  intMin('filters', args.filters, 1);
  intMin('kernelSize', args.kernelSize, 1);
  if (args.dilationRate !== undefined) intMin('dilationRate', args.dilationRate, 1);
  if (args.padding !== undefined && !['valid', 'same', 'causal'].includes(args.padding)) {
    throw new InvalidOptionError({ fn, arg: 'padding', expected: "one of 'valid', 'same', 'causal'", got: describeValue(args.padding) });
  }
  for (const key of ['l1', 'l2'] as const) {
    const v = args[key];
    if (v !== undefined && !(typeof v === 'number' && Number.isFinite(v) && v >= 0)) {
      throw new InvalidOptionError({ fn, arg: key, expected: 'a finite number >= 0', got: describeValue(v) });
    }
  }
}

/**
 * A tfjs-layers layer computing a stride-1 1-D convolution with {@link portableConv1d}, so that it
 * trains on cpu, wasm, webgl and tfjs-node alike. Input `[batch, steps, channels]`, output
 * `[batch, outSteps, filters]`; no activation (add one with a separate layer). Serialisable:
 * call {@link registerFinmlLayers} before loading a saved model that contains it.
 *
 * @example
 * ```ts
 * import { registerFinmlLayers, PortableConv1D } from 'finml';
 * import * as tfl from '@tensorflow/tfjs-layers';
 * registerFinmlLayers();
 * const model = tfl.sequential({ layers: [
 *   new PortableConv1D({ filters: 8, kernelSize: 3, inputShape: [20, 4], seed: 1 }),
 *   tfl.layers.flatten(), tfl.layers.dense({ units: 1 }) ] });
 * ```
 * @category Models
 */
export class PortableConv1D extends tfl.layers.Layer {
  /** Class name used by tfjs-layers serialisation. */
  static className = 'PortableConv1D';
  /** Number of output channels. */
  readonly filters: number;
  /** Width of the convolution window. */
  readonly kernelSize: number;
  /** Dilation rate. */
  readonly dilationRate: number;
  /** Padding mode. */
  readonly padding: Conv1DPadding;
  /** Whether a bias is added. */
  readonly useBias: boolean;
  private readonly seed: number | undefined;
  private readonly l1: number;
  private readonly l2: number;
  private kernel: tfl.LayerVariable | null = null;
  private bias: tfl.LayerVariable | null = null;

  constructor(args: PortableConv1DArgs) {
    checkArgs(args);
    const base: LayerArgs = {};
    if (args.name !== undefined) base.name = args.name;
    if (args.inputShape !== undefined) base.inputShape = [...args.inputShape];
    if (args.batchInputShape !== undefined) base.batchInputShape = [...args.batchInputShape];
    if (args.trainable !== undefined) base.trainable = args.trainable;
    super(base);
    this.filters = args.filters;
    this.kernelSize = args.kernelSize;
    this.dilationRate = args.dilationRate ?? 1;
    this.padding = args.padding ?? 'valid';
    this.useBias = args.useBias ?? true;
    this.seed = args.seed;
    this.l1 = args.l1 ?? 0;
    this.l2 = args.l2 ?? 0;
  }

  override build(inputShape: Shape | Shape[]): void {
    const shape = (Array.isArray(inputShape[0]) ? inputShape[0] : inputShape) as Shape;
    if (shape.length !== 3) {
      throw new ShapeError({ fn: 'PortableConv1D.build', arg: 'inputShape', expected: 'a rank-3 shape [batch, steps, channels]', got: `[${shape.join(', ')}]` });
    }
    const cin = shape[2];
    if (cin === null || cin === undefined) {
      throw new ShapeError({ fn: 'PortableConv1D.build', arg: 'inputShape', expected: 'a known number of channels', got: 'null' });
    }
    const init = tfl.initializers.glorotUniform(this.seed === undefined ? {} : { seed: this.seed });
    const reg = this.l1 > 0 || this.l2 > 0 ? tfl.regularizers.l1l2({ l1: this.l1, l2: this.l2 }) : undefined;
    this.kernel = this.addWeight('kernel', [this.kernelSize, cin, this.filters], 'float32', init, reg, true);
    if (this.useBias) this.bias = this.addWeight('bias', [this.filters], 'float32', tfl.initializers.zeros(), undefined, true);
    this.built = true;
  }

  override computeOutputShape(inputShape: Shape | Shape[]): Shape {
    const shape = (Array.isArray(inputShape[0]) ? inputShape[0] : inputShape) as Shape;
    const steps = shape[1];
    const out = steps === null || steps === undefined ? null : conv1dOutputLength(steps, this.kernelSize, this.dilationRate, this.padding);
    return [shape[0] ?? null, out, this.filters];
  }

  override call(inputs: tf.Tensor | tf.Tensor[]): tf.Tensor {
    const x = (Array.isArray(inputs) ? inputs[0] : inputs) as tf.Tensor3D;
    if (this.kernel === null) throw new ShapeError({ fn: 'PortableConv1D.call', arg: 'inputs', expected: 'a built layer', got: 'an unbuilt layer' });
    const kernel = this.kernel.read() as tf.Tensor3D;
    const bias = this.bias === null ? undefined : (this.bias.read() as tf.Tensor1D);
    return portableConv1d(x, kernel, bias === undefined ? { dilationRate: this.dilationRate, padding: this.padding } : { dilationRate: this.dilationRate, padding: this.padding, bias });
  }

  override getConfig(): tf.serialization.ConfigDict {
    const config: tf.serialization.ConfigDict = {
      filters: this.filters,
      kernelSize: this.kernelSize,
      dilationRate: this.dilationRate,
      padding: this.padding,
      useBias: this.useBias,
      l1: this.l1,
      l2: this.l2,
    };
    if (this.seed !== undefined) config.seed = this.seed;
    return { ...super.getConfig(), ...config };
  }
}
