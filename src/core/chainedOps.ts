/**
 * tfjs-layers calls chained tensor methods (`x.flatten()`, `x.add(y)`, ...) that only the full
 * `@tensorflow/tfjs` package installs (its ESM side-effect files cannot be imported from Node).
 * finml depends on tfjs-core + tfjs-layers only, so it installs the *missing* methods itself,
 * each delegating to the tfjs-core op of the same name with the same semantics. Methods that
 * already exist (because the user loaded `@tensorflow/tfjs`) are left untouched.
 *
 * @module
 */
import * as tf from '@tensorflow/tfjs-core';

type AnyFn = (...args: unknown[]) => unknown;

const DIRECT = [
  'abs', 'acos', 'acosh', 'add', 'all', 'any', 'argMax', 'argMin', 'asin', 'asinh', 'atan', 'atan2', 'atanh',
  'avgPool', 'batchToSpaceND', 'batchNorm', 'broadcastTo', 'cast', 'ceil', 'clipByValue', 'conv1d', 'conv2d',
  'conv2dTranspose', 'cos', 'cosh', 'cumprod', 'cumsum', 'depthToSpace', 'depthwiseConv2d', 'dilation2d', 'div',
  'divNoNan', 'dot', 'elu', 'equal', 'erf', 'euclideanNorm', 'exp', 'expandDims', 'expm1', 'fft', 'floor', 'floorDiv',
  'gather', 'greater', 'greaterEqual', 'ifft', 'irfft', 'isFinite', 'isInf', 'isNaN', 'leakyRelu', 'less', 'lessEqual',
  'localResponseNormalization', 'log', 'log1p', 'logSigmoid', 'logSoftmax', 'logSumExp', 'logicalAnd', 'logicalNot',
  'logicalOr', 'logicalXor', 'matMul', 'max', 'maxPool', 'maximum', 'mean', 'min', 'minimum', 'mirrorPad', 'mod', 'mul',
  'neg', 'norm', 'notEqual', 'oneHot', 'onesLike', 'pad', 'pool', 'pow', 'prelu', 'prod', 'reciprocal', 'relu', 'relu6',
  'reshape', 'resizeBilinear', 'resizeNearestNeighbor', 'reverse', 'rfft', 'round', 'rsqrt', 'selu', 'separableConv2d',
  'sigmoid', 'sign', 'sin', 'sinh', 'slice', 'softmax', 'softplus', 'spaceToBatchND', 'split', 'sqrt', 'square',
  'squaredDifference', 'squeeze', 'step', 'stridedSlice', 'sub', 'sum', 'tan', 'tanh', 'tile', 'topk', 'transpose',
  'unique', 'unsortedSegmentSum', 'unstack', 'zerosLike',
] as const;

let installed = false;

/**
 * Installs the chained tensor methods that tfjs-layers needs (`x.add(y)`, `x.flatten()`, ...),
 * if missing. Idempotent and cheap; called by every finml model builder, trainer and predictor.
 * Call it yourself before building or running your own tfjs-layers model with only tfjs-core +
 * tfjs-layers loaded (LSTM layers need it).
 *
 * @example
 * ```ts
 * import * as tfl from '@tensorflow/tfjs-layers';
 * import { ensureChainedOps } from 'finml/extend';
 * ensureChainedOps();
 * const model = tfl.sequential({ layers: [tfl.layers.lstm({ units: 4, inputShape: [10, 1] })] });
 * model.outputs[0]?.shape; //=> [null, 4]
 * model.dispose();
 * ```
 * @category Core
 */
export function ensureChainedOps(): void {
  if (installed) return;
  const proto = tf.Tensor.prototype as unknown as Record<string, AnyFn | undefined>;
  const ops = tf as unknown as Record<string, AnyFn | undefined>;
  const define = (name: string, impl: AnyFn): void => {
    if (typeof proto[name] !== 'function') {
      Object.defineProperty(proto, name, { value: impl, writable: true, configurable: true, enumerable: false });
    }
  };
  for (const name of DIRECT) {
    const op = ops[name];
    if (typeof op === 'function') {
      define(name, function (this: tf.Tensor, ...args: unknown[]) {
        return op(this, ...args);
      });
    }
  }
  const reshapeTo = (t: tf.Tensor, shape: number[]): tf.Tensor => tf.reshape(t, shape);
  define('flatten', function (this: tf.Tensor) {
    return reshapeTo(this, [this.size]);
  });
  define('as1D', function (this: tf.Tensor) {
    return reshapeTo(this, [this.size]);
  });
  define('as2D', function (this: tf.Tensor, ...a: unknown[]) {
    return reshapeTo(this, a as number[]);
  });
  define('as3D', function (this: tf.Tensor, ...a: unknown[]) {
    return reshapeTo(this, a as number[]);
  });
  define('as4D', function (this: tf.Tensor, ...a: unknown[]) {
    return reshapeTo(this, a as number[]);
  });
  define('as5D', function (this: tf.Tensor, ...a: unknown[]) {
    return reshapeTo(this, a as number[]);
  });
  define('asScalar', function (this: tf.Tensor) {
    return reshapeTo(this, []);
  });
  define('asType', function (this: tf.Tensor, dtype: unknown) {
    return tf.cast(this, dtype as tf.DataType);
  });
  define('reshapeAs', function (this: tf.Tensor, x: unknown) {
    return reshapeTo(this, (x as tf.Tensor).shape);
  });
  define('toBool', function (this: tf.Tensor) {
    return tf.cast(this, 'bool');
  });
  define('toFloat', function (this: tf.Tensor) {
    return tf.cast(this, 'float32');
  });
  define('toInt', function (this: tf.Tensor) {
    return tf.cast(this, 'int32');
  });
  define('concat', function (this: tf.Tensor, x: unknown, axis: unknown) {
    const others = x instanceof tf.Tensor ? [x] : (x as tf.Tensor[]);
    return tf.concat([this, ...others], axis as number | undefined);
  });
  define('stack', function (this: tf.Tensor, x: unknown, axis: unknown) {
    const others = x instanceof tf.Tensor ? [x] : (x as tf.Tensor[]);
    return tf.stack([this, ...others], axis as number | undefined);
  });
  define('where', function (this: tf.Tensor, condition: unknown, x: unknown) {
    return tf.where(condition as tf.Tensor, this, x as tf.Tensor);
  });
  installed = true;
}
