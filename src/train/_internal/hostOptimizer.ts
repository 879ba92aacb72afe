/**
 * Optimizer steps computed on the host, for backends whose tensors live in host memory (cpu, wasm).
 *
 * Why: a tfjs optimizer updates each variable with its own chain of small ops (Adam: 14 per
 * variable, plus two scalar updates), and on cpu and wasm each op costs far more to dispatch
 * than to compute for the weights of a small network: for an FNN 61-64-64-1 at batch 256, Adam
 * was about 100 of the 183 ops of a training step. Here the gradients are read once, the update
 * runs in one JS loop per variable, and each variable gets its new values in one upload.
 *
 * The arithmetic is tfjs's own, operation for operation, in float32 (`Math.fround` after every
 * operation, the constants rounded as tfjs rounds them into float32 scalars). IEEE float32
 * `+ − × ÷ √` are correctly rounded on both backends (and a float64 result of two float32
 * operands rounded once to float32 is the same number), so the weights are bit for bit those of
 * `tf.train.adam` / `sgd` / `rmsprop`: the unit tests compare them step by step on cpu and wasm.
 *
 * On cpu, arrays handed to tfjs are never written again (the cpu backend keeps a reference to the
 * array it was given, which a clone of the weights may share), so every step writes into new
 * arrays there; wasm copies an upload into its heap, so the previous step's array is reused.
 * @internal
 */
import * as tf from '@tensorflow/tfjs-core';

/** The optimizers the trainer creates. */
export type HostOptimizerName = 'adam' | 'sgd' | 'rmsprop';

/** Backends whose tensor data lives in host memory, where reading a gradient is a copy, not a sync. */
const HOST_BACKENDS: readonly string[] = ['cpu', 'wasm'];

/** True when the active backend keeps tensors in host memory, so a {@link HostOptimizer} pays off. */
export function backendKeepsTensorsOnHost(): boolean {
  return HOST_BACKENDS.includes(tf.getBackend());
}

const f = Math.fround;
// tfjs's default constants, as the float32 scalars its ops see (`1 - β` is computed in float64 first).
const BETA2 = f(0.999);
const ONE_MINUS_BETA2 = f(1 - 0.999);
const DECAY = f(0.9);
const ONE_MINUS_DECAY = f(1 - 0.9);

/** A variable's name and gradient, as `Optimizer.minimize` passes them. */
interface NamedGradient {
  readonly name: string;
  readonly tensor: tf.Tensor;
}

/** Per-variable state: the values as last uploaded and the optimizer's accumulators. */
interface Slot {
  /** The data id the variable held after our last upload: another id means someone assigned it. */
  dataId: object | null;
  values: Float32Array;
  /** The array of the step before (wasm only: its values were copied into the heap, so it can be reused). */
  spare: Float32Array | null;
  readonly acc1: Float32Array;
  readonly acc2: Float32Array;
}

/**
 * A tensor's values without a copy where the backend allows it (wasm: a view of its heap; cpu:
 * its own array). Valid only until the next op (a heap growth detaches the view), and never to
 * be written: copy it first.
 */
export function hostView(t: tf.Tensor): Float32Array {
  const b = tf.backend() as unknown as { typedArrayFromHeap?: (t: tf.TensorInfo) => Float32Array };
  return typeof b.typedArrayFromHeap === 'function' ? b.typedArrayFromHeap(t) : (t.dataSync() as Float32Array);
}

/** The variable's values as a private copy (the cpu backend hands out its own array). */
function hostCopyOf(v: tf.Variable): Float32Array {
  return Float32Array.from(v.dataSync() as Float32Array);
}

/**
 * `tf.train.adam(lr, beta1)`, `tf.train.sgd(lr)` or `tf.train.rmsprop(lr)` with default constants (Adam
 * β2 0.999; RMSProp decay 0.9, momentum 0; ε the backend's epsilon), stepping on the
 * host; see the module notes. A `tf.Optimizer`, so `minimize` and a settable `learningRate` work
 * as usual. Float32 variables only.
 */
export class HostOptimizer extends tf.Optimizer {
  static get className(): string {
    return 'FinmlHostOptimizer';
  }

  learningRate: number;
  private readonly slots = new Map<string, Slot>();
  private readonly epsilon = f(tf.backend().epsilon());
  /** wasm copies uploaded arrays into its heap, so the host arrays can be reused (cpu keeps them). */
  private readonly reuseArrays = tf.getBackend() === 'wasm';
  private readonly beta1: number;
  private readonly oneMinusBeta1: number;
  // Adam's running powers of β1 and β2, float32 variables in tfjs (start at β, times β per step).
  private accBeta1: number;
  private accBeta2 = BETA2;

  /** `beta1` is Adam's (tfjs's default 0.9); the other optimizers ignore it. */
  constructor(
    readonly kind: HostOptimizerName,
    learningRate: number,
    beta1 = 0.9,
  ) {
    super();
    this.learningRate = learningRate;
    this.beta1 = f(beta1);
    this.oneMinusBeta1 = f(1 - beta1);
    this.accBeta1 = this.beta1;
  }

  override applyGradients(variableGradients: tf.NamedTensorMap | NamedGradient[]): void {
    const named: NamedGradient[] = Array.isArray(variableGradients) ? variableGradients : Object.entries(variableGradients).map(([name, tensor]) => ({ name, tensor }));
    const registered = tf.engine().registeredVariables;
    const vars: tf.Variable[] = [];
    const grads: Float32Array[] = [];
    for (const { name, tensor } of named) {
      const variable = registered[name];
      if (variable === undefined || tensor === undefined || tensor === null) continue;
      vars.push(variable);
      grads.push(hostView(tensor));
    }
    this.applyHostGradients(vars, grads);
  }

  /**
   * One step from gradients already on the host (`grads[i]` for `vars[i]`, not written): the
   * arithmetic of `applyGradients`, without reading tensors.
   */
  applyHostGradients(vars: readonly tf.Variable[], grads: readonly Float32Array[]): void {
    const oneMinusAccBeta1 = f(1 - this.accBeta1);
    const oneMinusAccBeta2 = f(1 - this.accBeta2);
    // Every update is computed before the first upload: an upload may grow the wasm heap, which
    // detaches the heap views the gradients may be.
    const updates = vars.map((variable, i) => {
      const s = this.slotOf(variable);
      const next = s.spare ?? new Float32Array(s.values.length);
      const g = grads[i] as Float32Array;
      if (this.kind === 'adam') this.adamStep(s, g, next, oneMinusAccBeta1, oneMinusAccBeta2);
      else if (this.kind === 'sgd') this.sgdStep(s, g, next);
      else this.rmspropStep(s, g, next);
      return { s, next };
    });
    vars.forEach((variable, i) => {
      const { s, next } = updates[i] as { s: Slot; next: Float32Array };
      const t = tf.tensor(next, variable.shape, 'float32');
      variable.assign(t);
      t.dispose();
      // the cpu backend keeps the array it was given, so it is never written again there
      s.spare = this.reuseArrays ? s.values : null;
      s.values = next;
      s.dataId = variable.dataId;
    });
    if (this.kind === 'adam') {
      this.accBeta1 = f(this.accBeta1 * this.beta1);
      this.accBeta2 = f(this.accBeta2 * BETA2);
    }
    this.incrementIterations();
  }

  /**
   * A copy of the optimizer's state for a training checkpoint: the step count, Adam's running powers
   * and each variable's accumulators, in the order of `vars` (variable names differ between
   * processes: a resumed training rebuilds its model).
   */
  exportState(vars: readonly tf.Variable[]): HostOptimizerState {
    return {
      kind: this.kind,
      iterations: this.iterations,
      accBeta1: this.accBeta1,
      accBeta2: this.accBeta2,
      acc1: vars.map((v) => Float32Array.from(this.slotOf(v).acc1)),
      acc2: vars.map((v) => Float32Array.from(this.slotOf(v).acc2)),
    };
  }

  /**
   * Continues from {@link exportState}'s copy, for `vars` in the same order (their values are read
   * from the variables at the next step). The caller checked that kinds and sizes match.
   */
  importState(state: HostOptimizerState, vars: readonly tf.Variable[]): void {
    this.iterations_ = state.iterations;
    this.accBeta1 = state.accBeta1;
    this.accBeta2 = state.accBeta2;
    vars.forEach((v, i) => {
      this.slots.set(v.name, { dataId: null, values: new Float32Array(0), spare: null, acc1: Float32Array.from(state.acc1[i] as Float32Array), acc2: Float32Array.from(state.acc2[i] as Float32Array) });
    });
  }

  /** The variable's current values on the host (read again only when something else assigned it). Do not write. */
  valuesOf(variable: tf.Variable): Float32Array {
    return this.slotOf(variable).values;
  }

  override getConfig(): tf.serialization.ConfigDict {
    return { kind: this.kind, learningRate: this.learningRate };
  }

  private slotOf(variable: tf.Variable): Slot {
    let s = this.slots.get(variable.name);
    if (s === undefined) {
      s = { dataId: null, values: new Float32Array(0), spare: null, acc1: new Float32Array(variable.size), acc2: new Float32Array(variable.size) };
      this.slots.set(variable.name, s);
    }
    if (s.dataId !== variable.dataId) {
      s.values = hostCopyOf(variable);
      s.spare = null;
      s.dataId = variable.dataId;
    }
    return s;
  }

  private adamStep(s: Slot, g: Float32Array, next: Float32Array, oneMinusAccBeta1: number, oneMinusAccBeta2: number): void {
    const negLr = f(-this.learningRate);
    const eps = this.epsilon;
    const b1 = this.beta1;
    const c1 = this.oneMinusBeta1;
    const { values: p, acc1: m, acc2: v } = s;
    for (let i = 0; i < p.length; i++) {
      const gi = g[i] as number;
      const mi = f(f((m[i] as number) * b1) + f(gi * c1));
      const vi = f(f((v[i] as number) * BETA2) + f(f(gi * gi) * ONE_MINUS_BETA2));
      m[i] = mi;
      v[i] = vi;
      const mHat = f(mi / oneMinusAccBeta1);
      const vHat = f(vi / oneMinusAccBeta2);
      next[i] = f(f(f(mHat / f(f(Math.sqrt(vHat)) + eps)) * negLr) + (p[i] as number));
    }
  }

  private sgdStep(s: Slot, g: Float32Array, next: Float32Array): void {
    const c = f(-this.learningRate);
    const p = s.values;
    for (let i = 0; i < p.length; i++) next[i] = f(f(c * (g[i] as number)) + (p[i] as number));
  }

  private rmspropStep(s: Slot, g: Float32Array, next: Float32Array): void {
    const rate = f(this.learningRate);
    const eps = this.epsilon;
    const { values: p, acc1: ms, acc2: mom } = s;
    for (let i = 0; i < p.length; i++) {
      const gi = g[i] as number;
      const msi = f(f((ms[i] as number) * DECAY) + f(f(gi * gi) * ONE_MINUS_DECAY));
      // momentum 0: tfjs still multiplies the accumulated moment by it
      const momi = f(f((mom[i] as number) * 0) + f(f(gi * rate) / f(Math.sqrt(f(msi + eps)))));
      ms[i] = msi;
      mom[i] = momi;
      next[i] = f((p[i] as number) - momi);
    }
  }
}

/** A {@link HostOptimizer}'s state, positional (see `exportState`): structured-cloneable. */
export interface HostOptimizerState {
  readonly kind: HostOptimizerName;
  readonly iterations: number;
  readonly accBeta1: number;
  readonly accBeta2: number;
  readonly acc1: readonly Float32Array[];
  readonly acc2: readonly Float32Array[];
}

/** True for a {@link HostOptimizer} (`instanceof` cannot tell: tfjs answers it by duck typing for every optimizer class). */
export function isHostOptimizer(o: tf.Optimizer): o is HostOptimizer {
  return typeof (o as Partial<HostOptimizer>).applyHostGradients === 'function';
}

/**
 * The optimizer the trainers use: on cpu and wasm a {@link HostOptimizer} (tfjs's arithmetic, bit
 * for bit, in one host loop per variable), elsewhere tfjs's own `adam` / `sgd` / `rmsprop`.
 * `beta1` is Adam's (tfjs's default 0.9).
 */
export function createOptimizer(name: HostOptimizerName, learningRate: number, beta1 = 0.9): tf.Optimizer {
  if (backendKeepsTensorsOnHost()) return new HostOptimizer(name, learningRate, beta1);
  switch (name) {
    case 'adam':
      return tf.train.adam(learningRate, beta1);
    case 'sgd':
      return tf.train.sgd(learningRate);
    case 'rmsprop':
      return tf.train.rmsprop(learningRate);
  }
}
