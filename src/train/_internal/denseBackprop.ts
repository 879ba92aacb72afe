/**
 * A training step for `tf.Sequential` chains of Dense layers (with seeded dropout between them)
 * without tfjs's gradient tape: the forward runs as fused ops, the output head (activation, loss,
 * its gradient, the metrics) runs on the host, and the backward is written out layer by layer.
 *
 * Why: on cpu and wasm, a small network's step costs what its op dispatches cost. Through the
 * tape, an FNN 61-64-64-1 step took 95 ops (after the host optimizer): unfused forward ops
 * (tfjs does not fuse in gradient mode), a clone of every tensor saved for the backward, the
 * loss's dozen ops and their gradients. Here the same step is 20 ops plus reading the
 * gradients and uploading the weights (see hostOptimizer.ts).
 *
 * The math is the tape's, with one deliberate difference: for a sigmoid head with binary cross-
 * entropy and a softmax head with categorical cross-entropy, the gradient of the logits is the
 * exact `p − y` (times sample weight and 1/rows), where the tape differentiates through the
 * clipped probabilities (zero gradient for a saturated wrong prediction, and rounding from
 * `1/p · p(1−p)`). Losses and metrics are computed in float64 on the host from the float32
 * outputs, with the same formulas as `losses.ts` (clipping at 1e-7 included). Kernel L1/L2
 * penalties are added on the host, with the gradient `l1·sign(W) + 2·l2·W`.
 *
 * Used only on backends that keep tensors in host memory (reading the outputs each step is a copy,
 * not a device sync). Anything else (batch norm, plain tfjs Dropout, other regularizers, other
 * activations or losses) returns null and trains through the tape.
 * @internal
 */
import * as tf from '@tensorflow/tfjs-core';
import type * as tfl from '@tensorflow/tfjs-layers';
import type { LossName, MetricName } from '../losses';
import { activationGrad, denseForward } from './fusedDense';
import { hostView } from './hostOptimizer';

type HiddenActivation = 'linear' | 'relu' | 'sigmoid' | 'tanh';
type HeadActivation = HiddenActivation | 'softmax';
const HIDDEN: readonly string[] = ['linear', 'relu', 'sigmoid', 'tanh'];
const HEAD: readonly string[] = [...HIDDEN, 'softmax'];
const EPS = 1e-7;
/** Heads this narrow get their kernel and bias gradients on the host. */
const HOST_HEAD_UNITS = 4;

/**
 * A dropout layer that can hand out its next training multiplier (`mask / keepProb`, the tensor
 * its own training call multiplies by), advancing its mask stream exactly as a call would.
 */
export interface DropoutWithMultiplier {
  trainingMultiplier(shape: readonly number[]): tf.Tensor;
}

interface DenseStage {
  readonly kind: 'dense';
  readonly kernel: tf.Variable;
  readonly bias: tf.Variable | null;
  readonly act: HeadActivation;
  readonly l1: number;
  readonly l2: number;
  readonly units: number;
}

interface DropoutStage {
  readonly kind: 'dropout';
  readonly layer: DropoutWithMultiplier;
}

type Stage = DenseStage | DropoutStage;

/** One batch of host rows. */
export interface HostBatch {
  readonly x: Float32Array;
  readonly y: Float32Array;
  /** Sample weights, or null. */
  readonly w: Float32Array | null;
  readonly rows: number;
}

/** A tape-free training step for a dense chain; see the module notes. */
export interface DenseBackprop {
  /**
   * Forward, loss and backward for one batch, then `applyGradients(grads)` with the gradients in
   * `vars` order (host arrays owned by this step: read them before the next step). `valuesOf(v)`
   * gives a kernel's current values on the host (for the penalties). No tensor outlives the call.
   */
  step(batch: HostBatch, metrics: readonly MetricName[], valuesOf: (v: tf.Variable) => Float32Array, applyGradients: (grads: readonly Float32Array[]) => void): BackpropStep;
}

/** The loss and metric sums of one step (a type, not an interface: it is returned through tf.tidy). */
export type BackpropStep = {
  readonly loss: number;
  readonly metricSums: number[];
};

function isDropoutWithMultiplier(layer: tfl.layers.Layer): boolean {
  return layer.getClassName() === 'SeededDropout' && typeof (layer as unknown as Partial<DropoutWithMultiplier>).trainingMultiplier === 'function';
}

/** The kernel penalty of a Dense layer as (l1, l2), or null when it has another regularizer or a constraint. */
function kernelPenaltyOf(layer: tfl.layers.Layer): { l1: number; l2: number } | null {
  const l = layer as unknown as {
    kernelRegularizer?: { getClassName(): string; getConfig(): { l1?: unknown; l2?: unknown } } | null;
    biasRegularizer?: unknown;
    activityRegularizer?: unknown;
    kernelConstraint?: unknown;
    biasConstraint?: unknown;
  };
  if (l.biasRegularizer != null || l.activityRegularizer != null || l.kernelConstraint != null || l.biasConstraint != null) return null;
  const reg = l.kernelRegularizer;
  if (layer.losses.length !== (reg == null ? 0 : 1)) return null;
  if (reg == null) return { l1: 0, l2: 0 };
  if (reg.getClassName() !== 'L1L2') return null;
  const cfg = reg.getConfig();
  if (typeof cfg.l1 !== 'number' || typeof cfg.l2 !== 'number') return null;
  return { l1: cfg.l1, l2: cfg.l2 };
}

/** The stages of a dense chain, or null when the model is not one this step supports. */
function stagesOf(model: tfl.LayersModel): Stage[] | null {
  if (model.getClassName() !== 'Sequential') return null;
  const stages: Stage[] = [];
  for (const layer of model.layers) {
    const cls = layer.getClassName();
    if (cls === 'InputLayer') continue;
    if (isDropoutWithMultiplier(layer)) {
      stages.push({ kind: 'dropout', layer: layer as unknown as DropoutWithMultiplier });
      continue;
    }
    if (cls !== 'Dense') return null;
    const cfg = layer.getConfig();
    const act = cfg.activation;
    if (typeof act !== 'string' || !HEAD.includes(act)) return null;
    const input = layer.input;
    if (Array.isArray(input) || input.shape.length !== 2) return null;
    const hasBias = cfg.useBias === true;
    if (layer.weights.length !== (hasBias ? 2 : 1)) return null;
    const penalty = kernelPenaltyOf(layer);
    if (penalty === null) return null;
    const kernel = (layer.weights[0] as tfl.LayerVariable).read() as tf.Variable;
    const bias = hasBias ? ((layer.weights[1] as tfl.LayerVariable).read() as tf.Variable) : null;
    stages.push({ kind: 'dense', kernel, bias, act: act as HeadActivation, l1: penalty.l1, l2: penalty.l2, units: kernel.shape[1] as number });
  }
  const last = stages[stages.length - 1];
  if (last === undefined || last.kind !== 'dense') return null;
  const hidden = stages.filter((s): s is DenseStage => s.kind === 'dense').slice(0, -1);
  if (hidden.some((s) => !HIDDEN.includes(s.act))) return null;
  return stages;
}

/** Loss / head pairs the host head supports. */
function supportsHead(loss: LossName, act: HeadActivation): boolean {
  if (loss === 'binaryCrossentropy') return act === 'sigmoid';
  if (loss === 'categoricalCrossentropy') return act === 'softmax';
  return act !== 'softmax';
}

/** Reusable host arrays by purpose (allocating large typed arrays per step costs more than the copies). */
class Scratch {
  private readonly arrays = new Map<string, Float32Array>();
  get(key: string, length: number): Float32Array {
    let a = this.arrays.get(key);
    if (a === undefined || a.length < length) {
      a = new Float32Array(length);
      this.arrays.set(key, a);
    }
    return a.length === length ? a : a.subarray(0, length);
  }
}

/** `src` [rows, cols] row-major, transposed into `out` [cols, rows]. */
function transposeInto(src: Float32Array, rows: number, cols: number, out: Float32Array): Float32Array {
  // in 16-row blocks, so the strided writes of a block stay in cache
  const B = 16;
  for (let r0 = 0; r0 < rows; r0 += B) {
    const r1 = Math.min(rows, r0 + B);
    for (let c = 0; c < cols; c++) {
      const o = c * rows;
      for (let r = r0; r < r1; r++) out[o + r] = src[r * cols + c] as number;
    }
  }
  return out;
}

/**
 * The tape-free step for `model` trained on `lossName` with the variables `vars`, or null when the
 * model, its loss or its variables are outside what it supports (then train through the tape).
 */
export function denseBackprop(model: tfl.LayersModel, lossName: LossName, vars: readonly tf.Variable[]): DenseBackprop | null {
  const stages = stagesOf(model);
  if (stages === null) return null;
  const dense = stages.filter((s): s is DenseStage => s.kind === 'dense');
  const head = dense[dense.length - 1] as DenseStage;
  if (!supportsHead(lossName, head.act)) return null;
  // Every trainable variable must be a kernel or bias of the chain.
  const slot = new Map<tf.Variable, number>();
  vars.forEach((v, i) => slot.set(v, i));
  let found = 0;
  for (const s of dense) {
    if (slot.has(s.kernel)) found++;
    if (s.bias !== null && slot.has(s.bias)) found++;
  }
  if (found !== vars.length || slot.size !== vars.length) return null;
  // Gradients flow back to the first stage with a trainable weight, no further.
  const firstTrainable = stages.findIndex((s) => s.kind === 'dense' && (slot.has(s.kernel) || (s.bias !== null && slot.has(s.bias))));
  const lastIndex = stages.length - 1;
  const scratch = new Scratch();
  const grads = vars.map((v) => new Float32Array(v.size));
  /** dL/dW = inputᵀ·d, with the input transposed on the host (a wasm transpose is ~5× slower). */
  const transposedOf = (t: tf.Tensor2D, key: string): tf.Tensor2D => {
    const [rows, cols] = t.shape;
    const out = transposeInto(hostView(t), rows, cols, scratch.get(key, rows * cols));
    return tf.tensor2d(out, [cols, rows]);
  };
  /** Wᵀ from the host copy of the weights (a wasm transpose costs more than the upload). */
  const kernelTransposed = (s: DenseStage, valuesOf: (v: tf.Variable) => Float32Array): tf.Tensor2D => {
    const [rows, cols] = s.kernel.shape as [number, number];
    return tf.tensor2d(transposeInto(valuesOf(s.kernel), rows, cols, scratch.get(`w${s.kernel.id}`, rows * cols)), [cols, rows]);
  };
  const copyGrad = (k: number, t: tf.Tensor): void => {
    (grads[k] as Float32Array).set(hostView(t));
  };

  return {
    step(batch, metrics, valuesOf, applyGradients): BackpropStep {
      return tf.tidy((): BackpropStep => {
        const cols = batch.x.length / batch.rows;
        const x = tf.tensor2d(batch.x, [batch.rows, cols]);
        // Forward: every stage's input (the previous stage's output) and each dropout's multiplier.
        const inputs: tf.Tensor2D[] = [];
        const multipliers: (tf.Tensor | null)[] = [];
        let h: tf.Tensor2D = x;
        stages.forEach((s, i) => {
          inputs.push(h);
          if (s.kind === 'dropout') {
            const m = s.layer.trainingMultiplier(h.shape);
            multipliers.push(m);
            h = tf.mul(h, m);
          } else {
            multipliers.push(null);
            // the head's activation runs on the host with the loss
            h = denseForward(h, s.kernel as tf.Tensor as tf.Tensor2D, s.bias as tf.Tensor1D | null, i === lastIndex ? 'linear' : s.act);
          }
        });
        const hr = hostHead(lossName, head.act, hostView(h), batch, metrics, scratch);
        // Backward: d is dL/d(output of stage i), for the head dL/d(logits).
        let d: tf.Tensor2D = tf.tensor2d(hr.dz, [batch.rows, head.units]);
        for (let i = lastIndex; i >= firstTrainable; i--) {
          const s = stages[i] as Stage;
          if (s.kind === 'dropout') {
            d = tf.mul(d, multipliers[i] as tf.Tensor);
            continue;
          }
          if (i !== lastIndex) d = activationGrad(d, inputs[i + 1] as tf.Tensor2D, s.act as HiddenActivation);
          const kSlot = slot.get(s.kernel);
          const bSlot = s.bias === null ? undefined : slot.get(s.bias);
          const input = inputs[i] as tf.Tensor2D;
          if (i === lastIndex && head.units <= HOST_HEAD_UNITS) {
            // a narrow head's gradients are cheaper on the host than as ops
            if (kSlot !== undefined) inputTransposeTimes(hostView(input), hr.dz, batch.rows, input.shape[1], head.units, grads[kSlot] as Float32Array);
            if (bSlot !== undefined) columnSums(hr.dz, batch.rows, head.units, grads[bSlot] as Float32Array);
          } else {
            if (kSlot !== undefined) copyGrad(kSlot, tf.matMul(transposedOf(input, `t${i}`), d));
            // column sums on the host: cheaper than any wasm reduction (a sum over rows transposes first)
            if (bSlot !== undefined) columnSums(hostView(d), batch.rows, s.units, grads[bSlot] as Float32Array);
          }
          if (i > firstTrainable) d = tf.matMul(d, kernelTransposed(s, valuesOf));
        }
        const loss = hr.loss + addPenalties(dense, slot, grads, valuesOf);
        applyGradients(grads);
        return { loss, metricSums: hr.metricSums };
      });
    },
  };
}

/** Adds each kernel's L1/L2 gradient to its gradient and returns the penalties' sum. */
function addPenalties(dense: readonly DenseStage[], slot: ReadonlyMap<tf.Variable, number>, grads: Float32Array[], valuesOf: (v: tf.Variable) => Float32Array): number {
  let total = 0;
  for (const s of dense) {
    if (s.l1 === 0 && s.l2 === 0) continue;
    const w = valuesOf(s.kernel);
    const kSlot = slot.get(s.kernel);
    const g = kSlot === undefined ? null : (grads[kSlot] as Float32Array);
    let penalty = 0;
    for (let j = 0; j < w.length; j++) {
      const v = w[j] as number;
      penalty += s.l1 * Math.abs(v) + s.l2 * v * v;
      // d|v|/dv as tfjs takes it: 1 above zero, -1 at or below it
      if (g !== null) g[j] = (g[j] as number) + (s.l1 === 0 ? 0 : s.l1 * (v > 0 ? 1 : -1)) + 2 * s.l2 * v;
    }
    total += penalty;
  }
  return total;
}


/** Column sums of a row-major [rows, k] array into `out`, summed in float64 and rounded to float32 (a bias gradient). */
function columnSums(dz: Float32Array, rows: number, k: number, out: Float32Array): void {
  for (let j = 0; j < k; j++) {
    let acc = 0;
    for (let r = 0; r < rows; r++) acc += dz[r * k + j] as number;
    out[j] = acc;
  }
}

/** `hᵀ·dz` for h [rows, cols] and dz [rows, k] into `out` [cols, k] (a narrow head's kernel gradient). */
function inputTransposeTimes(h: Float32Array, dz: Float32Array, rows: number, cols: number, k: number, out: Float32Array): void {
  const acc = new Float64Array(cols * k);
  if (k === 1) {
    for (let r = 0; r < rows; r++) {
      const g = dz[r] as number;
      if (g === 0) continue;
      const o = r * cols;
      for (let c = 0; c < cols; c++) acc[c] = (acc[c] as number) + (h[o + c] as number) * g;
    }
    out.set(acc);
    return;
  }
  for (let r = 0; r < rows; r++) {
    const o = r * cols;
    for (let u = 0; u < k; u++) {
      const g = dz[r * k + u] as number;
      if (g === 0) continue;
      for (let c = 0; c < cols; c++) acc[c * k + u] = (acc[c * k + u] as number) + (h[o + c] as number) * g;
    }
  }
  out.set(acc);
}

/** What the host head computes from the logits. */
interface HeadResult {
  /** Mean per-sample loss (sample-weighted as the tape path: Σ wᵢlᵢ / rows). */
  readonly loss: number;
  /** dL/d(logits), row-major [rows, k]. */
  readonly dz: Float32Array;
  readonly metricSums: number[];
}

/**
 * The head on the host: activation, per-sample loss (the formulas of `losses.ts`), the gradient of
 * the batch loss with respect to the logits, and the metric sums.
 */
function hostHead(lossName: LossName, act: HeadActivation, z: Float32Array, batch: HostBatch, metrics: readonly MetricName[], scratch: Scratch): HeadResult {
  const { y, w, rows } = batch;
  const k = z.length / rows;
  const p = new Float64Array(z.length);
  activate(act, z, p, rows, k);
  const dz = scratch.get('dz', z.length);
  let total = 0;
  for (let r = 0; r < rows; r++) {
    const o = r * k;
    const weight = w === null ? 1 : (w[r] as number);
    const scale = weight / rows;
    let l = 0;
    switch (lossName) {
      case 'binaryCrossentropy': {
        for (let j = 0; j < k; j++) {
          const pj = p[o + j] as number;
          const yj = y[o + j] as number;
          const c = Math.min(Math.max(pj, EPS), 1 - EPS);
          l -= yj * Math.log(c) + (1 - yj) * Math.log(1 - c);
          dz[o + j] = ((pj - yj) / k) * scale;
        }
        l /= k;
        break;
      }
      case 'categoricalCrossentropy': {
        let sumP = 0;
        let sumY = 0;
        for (let j = 0; j < k; j++) {
          sumP += p[o + j] as number;
          sumY += y[o + j] as number;
        }
        for (let j = 0; j < k; j++) {
          const pj = p[o + j] as number;
          const yj = y[o + j] as number;
          const c = Math.min(Math.max(pj / sumP, EPS), 1 - EPS);
          l -= yj * Math.log(c);
          dz[o + j] = (pj * sumY - yj) * scale;
        }
        break;
      }
      default: {
        for (let j = 0; j < k; j++) {
          const pj = p[o + j] as number;
          const e = pj - (y[o + j] as number);
          const a = Math.abs(e);
          let dp: number;
          if (lossName === 'meanSquaredError') {
            l += e * e;
            dp = 2 * e;
          } else if (lossName === 'meanAbsoluteError') {
            l += a;
            dp = Math.sign(e);
          } else {
            const q = Math.min(a, 1);
            l += 0.5 * q * q + (a - q);
            dp = a <= 1 ? e : Math.sign(e);
          }
          dz[o + j] = (dp / k) * activationSlope(act, pj) * scale;
        }
        l /= k;
      }
    }
    total += l * weight;
  }
  return { loss: total / rows, dz, metricSums: metrics.map((m) => metricSumOf(m, p, y, rows, k)) };
}

/** The head activation of the logits, in float64. */
function activate(act: HeadActivation, z: Float32Array, p: Float64Array, rows: number, k: number): void {
  if (act === 'softmax') {
    for (let r = 0; r < rows; r++) {
      const o = r * k;
      let max = -Infinity;
      for (let j = 0; j < k; j++) max = Math.max(max, z[o + j] as number);
      let sum = 0;
      for (let j = 0; j < k; j++) {
        const e = Math.exp((z[o + j] as number) - max);
        p[o + j] = e;
        sum += e;
      }
      for (let j = 0; j < k; j++) p[o + j] = (p[o + j] as number) / sum;
    }
    return;
  }
  for (let i = 0; i < z.length; i++) {
    const v = z[i] as number;
    p[i] = act === 'sigmoid' ? 1 / (1 + Math.exp(-v)) : act === 'tanh' ? Math.tanh(v) : act === 'relu' ? Math.max(0, v) : v;
  }
}

/** d(activation)/d(logit) at output p, for the elementwise head activations. */
function activationSlope(act: HeadActivation, p: number): number {
  switch (act) {
    case 'sigmoid':
      return p * (1 - p);
    case 'tanh':
      return 1 - p * p;
    case 'relu':
      return p > 0 ? 1 : 0;
    default:
      return 1;
  }
}

/** A metric's batch sum, as `metricSum` in losses.ts computes it. */
function metricSumOf(metric: MetricName, p: Float64Array, y: Float32Array, rows: number, k: number): number {
  let sum = 0;
  if (metric === 'accuracy') {
    for (let r = 0; r < rows; r++) {
      const o = r * k;
      if (k === 1) {
        if ((p[o] as number) > 0.5 === (y[o] as number) > 0.5) sum++;
        continue;
      }
      if (argmax(p, o, k) === argmax(y, o, k)) sum++;
    }
    return sum;
  }
  for (let i = 0; i < rows * k; i++) {
    const e = (y[i] as number) - (p[i] as number);
    sum += metric === 'mae' ? Math.abs(e) : e * e;
  }
  return sum;
}

function argmax(v: ArrayLike<number>, o: number, k: number): number {
  let best = 0;
  for (let j = 1; j < k; j++) if ((v[o + j] as number) > (v[o + best] as number)) best = j;
  return best;
}
