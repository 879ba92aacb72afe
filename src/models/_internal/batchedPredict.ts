/**
 * Batched inference without slicing a big device tensor: each batch is uploaded from the
 * row-major JS array and run in inference mode, and its output read back into one JS array.
 * tfjs-layers' own batched `predict` slices every batch out of the whole input tensor, and on wasm
 * `tf.slice` copies the whole source tensor out of wasm memory per batch.
 *
 * A `tf.Sequential` chain of Dense layers (with Dropout, identity at inference, and a few
 * shape-only or elementwise layers between them) runs as a direct chain of fused ops
 * (`tf.fused.matMul` with bias and relu/linear, then the activation op for the others), the same
 * ops tfjs-layers' Dense runs, so the outputs are the bits of `model.predict`; this skips the
 * per-batch bookkeeping of `model.apply` (graph execution, input checks). Other models go
 * through `model.apply(x, { training: false })`.
 *
 * One loop (a generator that yields each batch's output tensor) serves the synchronous driver
 * (`dataSync`) and the async one (`await data()`, which suits webgl too).
 * @internal
 */
import * as tf from '@tensorflow/tfjs-core';
import { denseForward } from '../../train/_internal/fusedDense';
import type * as tfl from '@tensorflow/tfjs-layers';
import { ShapeError } from '../../core/errors';
import type { CoalitionOutputs } from '../../core/_internal/float32Rows';

/** Rows per inference batch used by the neural estimators and `layersModelPredictor`. */
export const PREDICT_BATCH = 4096;

/** Output row width declared by the model's first output (1 when unknown). */
function declaredWidth(model: tfl.LayersModel): number {
  const s = (model.outputs[0] as tfl.SymbolicTensor | undefined)?.shape.slice(1) ?? [];
  return s.reduce<number>((a, b) => a * (b ?? 1), 1);
}

/** Activations of a Dense layer run here as tfjs-layers runs them. */
const DENSE_ACTS: readonly string[] = ['linear', 'relu', 'sigmoid', 'tanh', 'softmax'];
/** Identity at inference. */
const INFERENCE_IDENTITY: readonly string[] = ['Dropout', 'SeededDropout'];
/** Layers whose `apply` on a concrete tensor equals their execution inside the model. */
const APPLY: readonly string[] = ['BatchNormalization', 'Activation', 'Flatten', 'Reshape'];

type Step =
  | { readonly kind: 'dense'; readonly layer: tfl.layers.Layer; readonly act: string; readonly bias: boolean }
  | { readonly kind: 'layer'; readonly layer: tfl.layers.Layer };


/** The inference steps of a Sequential dense chain, or null when the model is not such a chain. */
function inferenceSteps(model: tfl.LayersModel): Step[] | null {
  if (model.getClassName() !== 'Sequential') return null;
  const steps: Step[] = [];
  for (const layer of model.layers) {
    const cls = layer.getClassName();
    if (cls === 'InputLayer' || INFERENCE_IDENTITY.includes(cls)) continue;
    if (cls === 'Dense') {
      const cfg = layer.getConfig();
      const act = cfg.activation;
      if (typeof act !== 'string' || !DENSE_ACTS.includes(act)) return null;
      const bias = cfg.useBias === true;
      if (layer.weights.length !== (bias ? 2 : 1)) return null;
      const input = layer.input;
      if (Array.isArray(input) || input.shape.length !== 2) return null;
      steps.push({ kind: 'dense', layer, act, bias });
    } else if (APPLY.includes(cls)) {
      steps.push({ kind: 'layer', layer });
    } else {
      return null;
    }
  }
  return steps.some((s) => s.kind === 'dense') ? steps : null;
}

/** The kernel and bias of a dense step. */
function denseWeights(s: Step & { kind: 'dense' }): { w: tf.Tensor2D; b: tf.Tensor1D | null } {
  const ws = s.layer.weights;
  return { w: (ws[0] as tfl.LayerVariable).read() as tf.Tensor2D, b: s.bias ? ((ws[1] as tfl.LayerVariable).read() as tf.Tensor1D) : null };
}

/** Runs `steps` on `x` in inference mode. Call inside a tidy. */
function runSteps(steps: readonly Step[], x: tf.Tensor): tf.Tensor {
  let h = x;
  for (const s of steps) {
    if (s.kind === 'layer') {
      h = s.layer.apply(h, { training: false }) as tf.Tensor;
      continue;
    }
    const { w, b } = denseWeights(s);
    h = denseForward(h as tf.Tensor2D, w, b, s.act);
  }
  return h;
}

/**
 * The inference forward of a Sequential dense chain as direct ops, or null when the model is not
 * such a chain (then `model.apply` is used). Call inside a tidy.
 */
export function inferenceChain(model: tfl.LayersModel): ((x: tf.Tensor) => tf.Tensor) | null {
  const steps = inferenceSteps(model);
  return steps === null ? null : (x: tf.Tensor): tf.Tensor => runSteps(steps, x);
}

/** Values per coalition chunk of the first layer's output (bounds the memory of one chunk). */
const COALITION_CHUNK_VALUES = 1 << 22;

/**
 * KernelSHAP's masked-row outputs of a dense chain whose first step is a Dense layer on flat rows
 * (see {@link CoalitionOutputs}), or null for any other model. The first layer is linear in its
 * input, so for coalition k and background row b its pre-activation is
 * `bg_b·W + b1 + Σ_j masks[k, j] (x_j − bg_bj) W[j, :]`: one matMul of the masks [K, cols] by
 * `(x − bg_b) ⊙ W` laid side by side for all b [cols, B·units], instead of building and uploading
 * K·B masked rows. The rest of the chain runs as in predict. Same values as the masked rows up to
 * float32 rounding (the sums run in another order).
 */
export function coalitionOutputsFor(model: tfl.LayersModel, rowShape: readonly number[], outputIndex: number): CoalitionOutputs | null {
  const steps = inferenceSteps(model);
  if (steps === null || rowShape.length !== 1) return null;
  const first = steps[0] as Step;
  if (first.kind !== 'dense') return null;
  const rest = steps.slice(1);
  const cols = rowShape[0] as number;
  return async (x, bg, B, masks, K) => {
    const { w, b } = denseWeights(first);
    const units = w.shape[1] as number;
    if (w.shape[0] !== cols) throw new ShapeError({ fn: 'kernelShap (coalitions)', arg: 'x', expected: `${w.shape[0]} columns`, got: `${cols} columns` });
    const wv = w.dataSync() as Float32Array;
    // (x − bg_b) ⊙ W for every b, side by side: [cols, B·units]
    const d = new Float32Array(cols * B * units);
    for (let j = 0; j < cols; j++) {
      const xj = x[j] as number;
      const row = j * B * units;
      for (let bb = 0; bb < B; bb++) {
        const diff = xj - (bg[bb * cols + j] as number);
        const o = row + bb * units;
        for (let u = 0; u < units; u++) d[o + u] = diff * (wv[j * units + u] as number);
      }
    }
    const out = new Float32Array(K * B);
    const [dT, base] = tf.tidy(() => {
      const bgW = tf.fused.matMul({ a: tf.tensor2d(bg, [B, cols]), b: w, ...(b === null ? {} : { bias: b }) });
      return [tf.tensor2d(d, [cols, B * units]), tf.reshape(bgW, [1, B * units])];
    });
    try {
      const kc = Math.max(1, Math.floor(COALITION_CHUNK_VALUES / (B * units)));
      for (let k0 = 0; k0 < K; k0 += kc) {
        const n = Math.min(kc, K - k0);
        const y = tf.tidy(() => {
          const m = tf.tensor2d(masks.subarray(k0 * cols, (k0 + n) * cols), [n, cols]);
          const pre = tf.reshape(tf.add(tf.matMul(m, dT), base), [n * B, units]) as tf.Tensor2D;
          const h = activate(pre, first.act);
          return runSteps(rest, h);
        });
        try {
          const v = (await y.data()) as Float32Array;
          const width = y.size / (n * B);
          if (outputIndex >= width) throw new ShapeError({ fn: 'kernelShap (coalitions)', arg: 'outputIndex', expected: `an index < ${width} (the model's output units)`, got: String(outputIndex) });
          if (width === 1) out.set(v, k0 * B);
          else for (let i = 0; i < n * B; i++) out[k0 * B + i] = v[i * width + outputIndex] as number;
        } finally {
          y.dispose();
        }
      }
    } finally {
      dT.dispose();
      base.dispose();
    }
    return out;
  };
}

/** A Dense layer's activation applied to its pre-activation, as tfjs-layers applies it. */
function activate(pre: tf.Tensor2D, act: string): tf.Tensor2D {
  switch (act) {
    case 'relu':
      return tf.relu(pre);
    case 'sigmoid':
      return tf.sigmoid(pre);
    case 'tanh':
      return tf.tanh(pre);
    case 'softmax':
      return tf.softmax(pre);
    default:
      return pre;
  }
}

/**
 * The batch loop: yields each batch's output tensor (which the generator disposes when resumed,
 * or when the driver calls `return`) and receives its values back.
 */
function* predictLoop(
  model: tfl.LayersModel,
  values: Float32Array | Float64Array,
  n: number,
  rowShape: readonly number[],
  batchSize: number,
  fn: string,
): Generator<tf.Tensor, { values: Float32Array; width: number }, Float32Array> {
  if (n === 0) return { values: new Float32Array(0), width: declaredWidth(model) };
  const rowSize = rowShape.reduce((a, b) => a * b, 1);
  const chain = inferenceChain(model);
  // float64 rows are converted batch by batch into one reused buffer (no full float32 copy)
  const buf = values instanceof Float32Array ? null : new Float32Array(Math.min(n, batchSize) * rowSize);
  let out: Float32Array | null = null;
  let width = 0;
  for (let start = 0; start < n; start += batchSize) {
    const end = Math.min(n, start + batchSize);
    const y = tf.tidy(() => {
      const sub = values.subarray(start * rowSize, end * rowSize);
      let data: Float32Array;
      if (buf === null) data = sub as Float32Array;
      else {
        data = buf.subarray(0, sub.length);
        data.set(sub);
      }
      const x = tf.tensor(data, [end - start, ...rowShape], 'float32');
      if (chain !== null) return chain(x);
      const o = model.apply(x, { training: false }) as tf.Tensor | tf.Tensor[];
      const first = Array.isArray(o) ? o[0] : o;
      if (first === undefined) throw new ShapeError({ fn, arg: 'model', expected: 'a model with an output', got: 'no output tensor' });
      return first;
    });
    let got: Float32Array;
    try {
      got = yield y;
    } finally {
      y.dispose();
    }
    if (out === null) {
      width = y.size / (end - start);
      out = new Float32Array(n * width);
    }
    out.set(got, start * width);
  }
  return { values: out as Float32Array, width };
}

/** Synchronous batched inference (reads each batch with `dataSync`); see the module notes. */
export function predictValues(model: tfl.LayersModel, values: Float32Array | Float64Array, n: number, rowShape: readonly number[], fn: string, batchSize = PREDICT_BATCH): { values: Float32Array; width: number } {
  const it = predictLoop(model, values, n, rowShape, batchSize, fn);
  let r = it.next();
  try {
    while (r.done !== true) r = it.next(r.value.dataSync() as Float32Array);
  } finally {
    if (r.done !== true) it.return({ values: new Float32Array(0), width: 0 });
  }
  return r.value;
}

/** Async batched inference (reads each batch with `await data()`, which suits webgl too). */
export async function predictValuesAsync(model: tfl.LayersModel, values: Float32Array | Float64Array, n: number, rowShape: readonly number[], fn: string, batchSize = PREDICT_BATCH): Promise<{ values: Float32Array; width: number }> {
  const it = predictLoop(model, values, n, rowShape, batchSize, fn);
  let r = it.next();
  try {
    while (r.done !== true) r = it.next((await r.value.data()) as Float32Array);
  } finally {
    if (r.done !== true) it.return({ values: new Float32Array(0), width: 0 });
  }
  return r.value;
}
