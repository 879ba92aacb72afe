/**
 * A dense layer's forward pass (matMul + bias + activation) as one op with a hand-written
 * gradient (tf.customGrad), and a training-time forward for sequential chains that uses it.
 *
 * Why: tfjs' gradient of a matMul uses transposed matMuls (`dy·Wᵀ`, `xᵀ·dy`), which the wasm
 * backend runs on a naive path 7–15× slower than its XNNPACK path for a plain matMul. The
 * gradient here transposes explicitly (`transpose` + plain `matMul`). The math, and on the cpu
 * backend the bits, are those of tfjs-layers' Dense: same forward ops, same activation
 * derivatives written as in tfjs-core's gradients, same bias reduction. The first layer of a
 * chain does not compute the gradient of its input (the data), one matMul fewer per step.
 * @internal
 */
import * as tf from '@tensorflow/tfjs-core';
import type * as tfl from '@tensorflow/tfjs-layers';

/** Activations with a fused gradient here; others go through the layer's own `apply`. */
export type FusedActivation = 'linear' | 'relu' | 'sigmoid' | 'tanh' | 'softmax';
const FUSED: readonly string[] = ['linear', 'relu', 'sigmoid', 'tanh', 'softmax'];

/** Forward exactly as tfjs-layers' Dense.call on a rank-2 input (training and batched inference share it). */
export function denseForward(x: tf.Tensor2D, w: tf.Tensor2D, b: tf.Tensor1D | null, act: string): tf.Tensor2D {
  if (act === 'linear' || act === 'relu') {
    return (b === null ? tf.fused.matMul({ a: x, b: w, activation: act }) : tf.fused.matMul({ a: x, b: w, bias: b, activation: act })) as tf.Tensor2D;
  }
  let out = tf.fused.matMul({ a: x, b: w }) as tf.Tensor2D;
  if (b !== null) out = tf.add(out, tf.reshape(b, [1, b.shape[0]]));
  if (act === 'sigmoid') return tf.sigmoid(out);
  if (act === 'tanh') return tf.tanh(out);
  return tf.softmax(out);
}

/** dL/d(pre-activation) from dL/dy and y, as tfjs-core's gradients compute it. */
export function activationGrad(dy: tf.Tensor2D, y: tf.Tensor2D, act: FusedActivation): tf.Tensor2D {
  switch (act) {
    case 'linear':
      return dy;
    case 'relu':
      return tf.mul(dy, tf.step(y));
    case 'sigmoid':
      return tf.mul(dy, tf.mul(y, tf.sub(tf.scalar(1), y)));
    case 'tanh':
      return tf.mul(tf.sub(tf.scalar(1), tf.square(y)), dy);
    case 'softmax': {
      const dyTimesY = tf.mul(dy, y);
      return tf.sub(dyTimesY, tf.mul(tf.sum(dyTimesY, [1], true), y));
    }
  }
}

/**
 * `act(x·W + b)` with a gradient that uses only non-transposed matMuls. `inputGrad: false` skips
 * the gradient of x (for the first layer, whose input is data).
 */
export function fusedDense(x: tf.Tensor2D, w: tf.Tensor, b: tf.Tensor | null, act: FusedActivation, inputGrad: boolean): tf.Tensor2D {
  const f = tf.customGrad((...args: (tf.Tensor | tf.GradSaveFunc)[]) => {
    const save = args[args.length - 1] as tf.GradSaveFunc;
    const ts = args.slice(0, -1) as tf.Tensor[];
    let i = 0;
    const xx = inputGrad ? (ts[i++] as tf.Tensor2D) : x;
    const ww = ts[i++] as tf.Tensor2D;
    const bb = b === null ? null : (ts[i++] as tf.Tensor1D);
    const y = denseForward(xx, ww, bb, act);
    save(inputGrad ? [ww, y, xx] : [ww, y]);
    return {
      value: y,
      gradFunc: (dy: tf.Tensor2D, saved: tf.Tensor[]): tf.Tensor[] => {
        const sw = saved[0] as tf.Tensor2D;
        const sy = saved[1] as tf.Tensor2D;
        const sx = inputGrad ? (saved[2] as tf.Tensor2D) : x;
        const d = activationGrad(dy, sy, act);
        const out: tf.Tensor[] = [];
        if (inputGrad) out.push(tf.matMul(d, tf.transpose(sw)));
        out.push(tf.matMul(tf.transpose(sx), d));
        if (bb !== null) out.push(tf.sum(d, 0));
        return out;
      },
    };
  });
  const inputs: tf.Tensor[] = inputGrad ? [x, w] : [w];
  if (b !== null) inputs.push(b);
  return f(...inputs);
}

/** One step of a sequential chain: a fused dense layer, or a layer applied as is. */
type ChainStep =
  | { readonly kind: 'dense'; readonly layer: tfl.layers.Layer; readonly act: FusedActivation; readonly bias: boolean }
  | { readonly kind: 'layer'; readonly layer: tfl.layers.Layer };

/** Layers (besides Dense) whose `apply` on a concrete tensor in a chain equals the model's own execution. */
const PASS_THROUGH: readonly string[] = ['Dropout', 'SeededDropout', 'BatchNormalization', 'Activation', 'Flatten', 'Reshape'];

/**
 * A forward function for training that uses {@link fusedDense} for the Dense layers of a
 * `tf.Sequential` chain, or null when the model is not such a chain (then use `model.apply`).
 * Only layers whose chain execution is plain `layer.apply(x, { training: true })` are accepted
 * (no masking layers, RNNs or multi-input layers); Dense layers need a rank-2 input.
 */
export function chainForward(model: tfl.LayersModel): ((x: tf.Tensor) => tf.Tensor) | null {
  if (model.getClassName() !== 'Sequential') return null;
  const steps: ChainStep[] = [];
  let dense = 0;
  for (const layer of model.layers) {
    const cls = layer.getClassName();
    if (cls === 'InputLayer') continue;
    if (cls === 'Dense') {
      const cfg = layer.getConfig();
      const act = cfg.activation;
      if (typeof act !== 'string' || !FUSED.includes(act)) return null;
      const bias = cfg.useBias === true;
      if (layer.weights.length !== (bias ? 2 : 1)) return null;
      const inputShape = layer.input;
      if (Array.isArray(inputShape) || inputShape.shape.length !== 2) return null;
      steps.push({ kind: 'dense', layer, act: act as FusedActivation, bias });
      dense++;
    } else if (PASS_THROUGH.includes(cls)) {
      steps.push({ kind: 'layer', layer });
    } else {
      return null;
    }
  }
  if (dense === 0) return null;
  return (x: tf.Tensor): tf.Tensor => {
    let h = x;
    let fromData = true;
    for (const s of steps) {
      if (s.kind === 'layer') {
        h = s.layer.apply(h, { training: true }) as tf.Tensor;
        // A dropout of the data is still data (no gradient needed); a layer with weights is not.
        if (s.layer.weights.length > 0) fromData = false;
        continue;
      }
      const ws = s.layer.weights;
      const w = (ws[0] as tfl.LayerVariable).read();
      const b = s.bias ? (ws[1] as tfl.LayerVariable).read() : null;
      h = fusedDense(h as tf.Tensor2D, w, b, s.act, !fromData);
      fromData = false;
    }
    return h;
  };
}
