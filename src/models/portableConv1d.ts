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
 * Strides > 1 decimate without `stridedSlice` (tfjs 4.22 registers no gradient for it on any
 * backend): the padded input `[batch, L, c]` is reshaped to `[batch, L / s, s, c]`, so the
 * inputs at `o, o + s, o + 2s, ...` are one plain slice at `[q, r]` with `o = q·s + r`.
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
  /** Dilation rate (default 1). */
  readonly dilationRate?: number;
  /**
   * Stride: the window moves `strides` steps between outputs (integer >= 1, default 1). Same output
   * lengths and 'same' padding as tfjs/Keras; with `'causal'` the input is left-padded by
   * `(kernelSize - 1)·dilationRate` and then convolved 'valid' with this stride, as in Keras.
   */
  readonly strides?: number;
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

const PADDINGS: readonly Conv1DPadding[] = ['valid', 'same', 'causal'];

function checkInt(fn: string, arg: string, v: unknown, min: number): void {
  if (typeof v !== 'number' || !Number.isInteger(v) || v < min) {
    throw new InvalidOptionError({ fn, arg, expected: `an integer >= ${min}`, got: describeValue(v) });
  }
}

function checkPadding(fn: string, v: unknown): void {
  if (!PADDINGS.includes(v as Conv1DPadding)) {
    throw new InvalidOptionError({ fn, arg: 'padding', expected: "one of 'valid', 'same', 'causal'", got: describeValue(v) });
  }
}

/**
 * Paddings [before, after] along the time axis (tfjs/Keras rules): 'same' pads
 * `max((out - 1)·s + (k - 1)·d + 1 - steps, 0)` in total, the smaller half before.
 */
function timePadding(padding: Conv1DPadding, steps: number, kernelSize: number, dilation: number, strides: number): [number, number] {
  const span = (kernelSize - 1) * dilation;
  if (padding === 'valid') return [0, 0];
  if (padding === 'causal') return [span, 0];
  const out = Math.ceil(steps / strides);
  const total = Math.max((out - 1) * strides + span + 1 - steps, 0);
  const before = Math.floor(total / 2);
  return [before, total - before];
}

/**
 * Output length of a 1-D convolution over `steps` inputs, as tfjs's `conv1d` and Keras's `Conv1D`
 * compute it: `'valid'` gives `ceil((steps - (kernelSize - 1)·dilation) / strides)`, `'same'` and
 * `'causal'` give `ceil(steps / strides)`. A result below 1 means the input is too short.
 * @param steps - Input length (integer >= 0).
 * @param kernelSize - Kernel width (integer >= 1).
 * @param dilation - Dilation rate (integer >= 1).
 * @param padding - `'valid'`, `'same'` or `'causal'`.
 * @param strides - Stride (integer >= 1, default 1).
 * @returns the number of output steps.
 * @throws {InvalidOptionError} a non-integer or out-of-range argument, or an unknown padding.
 * @internal
 */
export function conv1dOutputLength(steps: number, kernelSize: number, dilation: number, padding: Conv1DPadding, strides = 1): number {
  const fn = 'conv1dOutputLength';
  checkInt(fn, 'steps', steps, 0);
  checkInt(fn, 'kernelSize', kernelSize, 1);
  checkInt(fn, 'dilation', dilation, 1);
  checkPadding(fn, padding);
  checkInt(fn, 'strides', strides, 1);
  const span = padding === 'valid' ? (kernelSize - 1) * dilation : 0;
  return Math.ceil((steps - span) / strides);
}

/**
 * Options of {@link portableConv1d}.
 *
 * @category Models
 */
export interface PortableConv1dOptions {
  /** Dilation rate (integer >= 1, default 1). */
  readonly dilationRate?: number;
  /** Stride (integer >= 1, default 1); see {@link PortableConv1DArgs.strides}. */
  readonly strides?: number;
  /** `'valid'` (default), `'same'` or `'causal'`. */
  readonly padding?: Conv1DPadding;
  /** Bias `[filters]` added to every output step. */
  readonly bias?: tf.Tensor1D;
}

/**
 * Computes a 1-D convolution `x * kernel (+ bias)` with backend-portable ops, differentiable on
 * every backend (wasm included) for any stride and dilation.
 * `x` is `[batch, steps, inChannels]`, `kernel` is `[kernelSize, inChannels, filters]`. Inputs are
 * not disposed; the result belongs to the caller.
 *
 * @param x - Input batch, rank 3.
 * @param kernel - Convolution kernel, rank 3.
 * @param opts - Dilation rate, strides, padding and optional bias `[filters]`.
 * @returns `[batch, outSteps, filters]`, equal to `tf.conv1d(x, kernel, strides, padding, 'NWC', dilation)`
 *   (tf.conv1d rejects strides and dilation both > 1; here that combination follows the same
 *   formulas: output `t` reads inputs `t·strides + j·dilation - padBefore`).
 * @throws {InvalidOptionError} a dilation rate or stride that is not an integer >= 1, or an unknown padding.
 * @throws {ShapeError} on mismatched ranks or channel counts, or an output shorter than 1 step.
 * @example
 * ```ts
 * import { portableConv1d } from 'finml';
 * import * as tf from '@tensorflow/tfjs-core';
 * const y = portableConv1d(tf.ones([1, 5, 1]), tf.ones([2, 1, 1]), { padding: 'valid' });
 * y.shape; //=> [1, 4, 1]
 * const z = portableConv1d(tf.ones([1, 7, 1]), tf.ones([3, 1, 1]), { padding: 'same', strides: 2 });
 * z.shape; //=> [1, 4, 1]
 * ```
 * @category Models
 */
export function portableConv1d(x: tf.Tensor3D, kernel: tf.Tensor3D, opts: PortableConv1dOptions = {}): tf.Tensor3D {
  const fn = 'portableConv1d';
  if (x.rank !== 3) throw new ShapeError({ fn, arg: 'x', expected: 'a rank-3 tensor [batch, steps, channels]', got: describeValue(x) });
  if (kernel.rank !== 3) {
    throw new ShapeError({ fn, arg: 'kernel', expected: 'a rank-3 tensor [kernelSize, inChannels, filters]', got: describeValue(kernel) });
  }
  const d = opts.dilationRate ?? 1;
  const s = opts.strides ?? 1;
  const padding = opts.padding ?? 'valid';
  checkInt(fn, 'dilationRate', d, 1);
  checkInt(fn, 'strides', s, 1);
  checkPadding(fn, padding);
  const [k, cin, filters] = kernel.shape;
  const [batch, steps, channels] = x.shape;
  if (channels !== cin) throw new ShapeError({ fn, arg: 'x', expected: `${cin} channels (as the kernel)`, got: `${channels} channels` });
  const outLen = conv1dOutputLength(steps, k, d, padding, s);
  if (outLen < 1) {
    throw new ShapeError({ fn, arg: 'x', expected: `at least ${(k - 1) * d + 1} steps for a 'valid' convolution`, got: `${steps} steps` });
  }
  return tf.tidy(() => {
    const [before, after] = timePadding(padding, steps, k, d, s);
    // Tap j reads padded positions j·d + t·s (t < outLen). Write j·d = q·s + r: after reshaping the
    // padded input to [batch, blocks, s, cin] those are rows q..q+outLen-1 of column r. Pad (zeros,
    // never read beyond what 'valid'/'same' reads) so that blocks·s covers the last row needed.
    const blocks = Math.floor(((k - 1) * d) / s) + outLen;
    const extra = Math.max(blocks * s - (before + steps + after), 0);
    const end = after + extra;
    const xp = before + end > 0 ? tf.pad(x, [[0, 0], [before, end], [0, 0]]) : x;
    const used = blocks * s === before + steps + end ? xp : tf.slice(xp, [0, 0, 0], [batch, blocks * s, cin]);
    const grid = tf.reshape(used, [batch, blocks, s, cin]);
    const cols: tf.Tensor4D[] = [];
    for (let j = 0; j < k; j++) {
      const q = Math.floor((j * d) / s);
      const r = (j * d) % s;
      cols.push(tf.slice(grid, [0, q, r, 0], [batch, outLen, 1, cin]) as tf.Tensor4D);
    }
    const patches = k === 1 ? (cols[0] as tf.Tensor4D) : tf.concat(cols, 2);
    const flat = tf.reshape(patches, [batch * outLen, k * cin]);
    let y: tf.Tensor = tf.matMul(flat, tf.reshape(kernel, [k * cin, filters]));
    if (opts.bias !== undefined) y = tf.add(y, opts.bias);
    return tf.reshape(y, [batch, outLen, filters]);
  });
}

function checkArgs(args: PortableConv1DArgs): void {
  const fn = 'PortableConv1D';
  checkInt(fn, 'filters', args.filters, 1);
  checkInt(fn, 'kernelSize', args.kernelSize, 1);
  if (args.dilationRate !== undefined) checkInt(fn, 'dilationRate', args.dilationRate, 1);
  if (args.strides !== undefined) checkInt(fn, 'strides', args.strides, 1);
  if (args.padding !== undefined) checkPadding(fn, args.padding);
  for (const key of ['l1', 'l2'] as const) {
    const v = args[key];
    if (v !== undefined && !(typeof v === 'number' && Number.isFinite(v) && v >= 0)) {
      throw new InvalidOptionError({ fn, arg: key, expected: 'a finite number >= 0', got: describeValue(v) });
    }
  }
}

/**
 * A tfjs-layers layer computing a 1-D convolution (any stride and dilation) with
 * {@link portableConv1d}, so that it trains on cpu, wasm, webgl and tfjs-node alike. Input `[batch, steps, channels]`, output
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
 *   new PortableConv1D({ filters: 8, kernelSize: 3, strides: 2, padding: 'same', seed: 2 }),
 *   tfl.layers.flatten(), tfl.layers.dense({ units: 1 }) ] });
 * model.layers[1]?.outputShape; //=> [null, 9, 8]
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
  /** Stride. */
  readonly strides: number;
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
    this.strides = args.strides ?? 1;
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
    const out = steps === null || steps === undefined ? null : conv1dOutputLength(steps, this.kernelSize, this.dilationRate, this.padding, this.strides);
    return [shape[0] ?? null, out, this.filters];
  }

  override call(inputs: tf.Tensor | tf.Tensor[]): tf.Tensor {
    const x = (Array.isArray(inputs) ? inputs[0] : inputs) as tf.Tensor3D;
    if (this.kernel === null) throw new ShapeError({ fn: 'PortableConv1D.call', arg: 'inputs', expected: 'a built layer', got: 'an unbuilt layer' });
    const kernel = this.kernel.read() as tf.Tensor3D;
    const bias = this.bias === null ? undefined : (this.bias.read() as tf.Tensor1D);
    const opts = { dilationRate: this.dilationRate, strides: this.strides, padding: this.padding };
    return portableConv1d(x, kernel, bias === undefined ? opts : { ...opts, bias });
  }

  override getConfig(): tf.serialization.ConfigDict {
    const config: tf.serialization.ConfigDict = {
      filters: this.filters,
      kernelSize: this.kernelSize,
      dilationRate: this.dilationRate,
      strides: this.strides,
      padding: this.padding,
      useBias: this.useBias,
      l1: this.l1,
      l2: this.l2,
    };
    if (this.seed !== undefined) config.seed = this.seed;
    return { ...super.getConfig(), ...config };
  }
}
