/**
 * Static check of an untrusted tfjs-layers topology BEFORE any layer is built: walks a Sequential
 * topology with the shape rules of the layer classes finml builds, counts the weights every layer
 * would allocate and compares the total with a size budget and with the weight manifest. A 2 kB
 * model.json declaring a 20000×20000 Dense without weights is rejected here, in microseconds, instead
 * of allocating 1.6 GB in `modelFromJSON`.
 * @internal
 */
import { SerializationError, describeValue } from '../../core/errors';

/** Most float32 weights a loaded network may declare (2^26 ≈ 67 M, 256 MB). */
export const MAX_WEIGHT_ELEMENTS = 2 ** 26;
/** Most layers a loaded topology may declare. */
export const MAX_LAYERS = 4096;

type Dim = number | null;
type Shape = readonly Dim[];
type Cfg = Record<string, unknown>;

const isObj = (v: unknown): v is Cfg => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Layer classes without weights whose output shape equals the input shape. */
const IDENTITY = new Set(['Activation', 'Dropout', 'SeededDropout', 'LeakyReLU', 'ReLU', 'ELU', 'Softmax', 'ThresholdedReLU', 'GaussianNoise', 'GaussianDropout', 'AlphaDropout']);

class Walk {
  constructor(
    readonly fn: string,
    readonly arg: string,
  ) {}

  fail(where: string, expected: string, got: unknown): never {
    throw new SerializationError({ fn: this.fn, arg: `${this.arg}${where}`, expected, got: typeof got === 'string' ? got : describeValue(got) });
  }

  int(c: Cfg, key: string, where: string, min = 1): number {
    const raw = c[key];
    const v = Array.isArray(raw) && raw.length === 1 ? raw[0] : raw;
    if (typeof v !== 'number' || !Number.isSafeInteger(v) || v < min || v > MAX_WEIGHT_ELEMENTS) this.fail(`${where}.${key}`, `an integer in [${min}, ${MAX_WEIGHT_ELEMENTS}]`, raw);
    return v;
  }

  flag(c: Cfg, key: string, dflt: boolean): boolean {
    const v = c[key];
    return typeof v === 'boolean' ? v : dflt;
  }

  last(shape: Shape, where: string, cls: string): number {
    const d = shape[shape.length - 1];
    if (shape.length === 0 || typeof d !== 'number') this.fail(where, `a known input width for ${cls}`, `input shape [${shape.map(String).join(', ')}]`);
    return d;
  }

  /** Output shape and number of weights of one layer. */
  layer(cls: string, c: Cfg, shape: Shape, where: string): { out: Shape; weights: number } {
    if (IDENTITY.has(cls)) return { out: shape, weights: 0 };
    switch (cls) {
      case 'Dense': {
        const units = this.int(c, 'units', where);
        const din = this.last(shape, where, cls);
        return { out: [...shape.slice(0, -1), units], weights: din * units + (this.flag(c, 'use_bias', true) ? units : 0) };
      }
      case 'BatchNormalization': {
        if (c.axis !== undefined && c.axis !== -1 && c.axis !== shape.length) this.fail(`${where}.axis`, '-1 (the last axis)', c.axis);
        const d = this.last(shape, where, cls);
        return { out: shape, weights: d * (2 + (this.flag(c, 'center', true) ? 1 : 0) + (this.flag(c, 'scale', true) ? 1 : 0)) };
      }
      case 'LSTM':
      case 'GRU':
      case 'SimpleRNN': {
        if (shape.length !== 2) this.fail(where, `a [steps, features] input for ${cls}`, `input shape [${shape.map(String).join(', ')}]`);
        const units = this.int(c, 'units', where);
        const din = this.last(shape, where, cls);
        const gates = cls === 'LSTM' ? 4 : cls === 'GRU' ? 3 : 1;
        const weights = gates * units * (din + units + (this.flag(c, 'use_bias', true) ? 1 : 0));
        return { out: this.flag(c, 'return_sequences', false) ? [shape[0] ?? null, units] : [units], weights };
      }
      case 'PortableConv1D':
      case 'Conv1D': {
        if (shape.length !== 2) this.fail(where, `a [steps, channels] input for ${cls}`, `input shape [${shape.map(String).join(', ')}]`);
        const filters = this.int(c, 'filters', where);
        const k = this.int(c, 'kernel_size', where);
        const dil = c.dilation_rate === undefined ? 1 : this.int(c, 'dilation_rate', where);
        const st = c.strides === undefined ? 1 : this.int(c, 'strides', where);
        const din = this.last(shape, where, cls);
        const steps = shape[0] ?? null;
        const pad = c.padding ?? 'valid';
        if (pad !== 'valid' && pad !== 'same' && pad !== 'causal') this.fail(`${where}.padding`, "'valid', 'same' or 'causal'", pad);
        const len = steps === null ? null : pad === 'valid' ? Math.ceil((steps - (k - 1) * dil) / st) : Math.ceil(steps / st);
        if (len !== null && len < 1) this.fail(where, `a kernel that fits the ${steps} steps`, `kernel_size ${k} with dilation ${dil}`);
        return { out: [len, filters], weights: k * din * filters + (this.flag(c, 'use_bias', true) ? filters : 0) };
      }
      case 'MaxPooling1D':
      case 'AveragePooling1D': {
        if (shape.length !== 2) this.fail(where, `a [steps, channels] input for ${cls}`, `input shape [${shape.map(String).join(', ')}]`);
        const pool = this.int(c, 'pool_size', where);
        const st = c.strides === undefined || c.strides === null ? pool : this.int(c, 'strides', where);
        const steps = shape[0] ?? null;
        const len = steps === null ? null : c.padding === 'same' ? Math.ceil(steps / st) : Math.ceil((steps - pool + 1) / st);
        if (len !== null && len < 1) this.fail(where, `a pool that fits the ${steps} steps`, `pool_size ${pool}`);
        return { out: [len, shape[1] ?? null], weights: 0 };
      }
      case 'GlobalAveragePooling1D':
      case 'GlobalMaxPooling1D':
        if (shape.length !== 2) this.fail(where, `a [steps, channels] input for ${cls}`, `input shape [${shape.map(String).join(', ')}]`);
        return { out: [shape[1] ?? null], weights: 0 };
      case 'Flatten': {
        const n = shape.reduce<number | null>((a, d) => (a === null || d === null ? null : a * d), 1);
        if (n === null) this.fail(where, 'a fully known input shape for Flatten', `input shape [${shape.map(String).join(', ')}]`);
        return { out: [n], weights: 0 };
      }
      case 'Reshape': {
        const t = c.target_shape;
        if (!Array.isArray(t) || t.length === 0 || !t.every((d) => Number.isSafeInteger(d) && (d as number) >= 1 && (d as number) <= MAX_WEIGHT_ELEMENTS)) {
          this.fail(`${where}.target_shape`, 'an array of positive integers', t);
        }
        const n = shape.reduce<number | null>((a, d) => (a === null || d === null ? null : a * d), 1);
        const m = (t as number[]).reduce((a, d) => a * d, 1);
        if (n !== null && n !== m) this.fail(`${where}.target_shape`, `a shape of ${n} elements`, `${m} elements`);
        return { out: t as number[], weights: 0 };
      }
      default:
        return this.fail(`${where}.class_name`, 'a layer class finml builds (Dense, BatchNormalization, LSTM, GRU, SimpleRNN, Conv1D, pooling, Flatten, Reshape, activations, dropout)', cls);
    }
  }

  /** Layer name (a valid tfjs tensor name) and the shape of serialized initializers, regularizers and constraints. */
  commonConfig(c: Cfg, where: string): void {
    if (c.name !== undefined && (typeof c.name !== 'string' || !/^[A-Za-z0-9][-A-Za-z0-9._/]{0,199}$/.test(c.name))) {
      this.fail(`${where}.name`, 'a layer name of letters, digits and - . _ /', c.name);
    }
    for (const [k, v] of Object.entries(c)) {
      if (!/_(initializer|regularizer|constraint)$/.test(k) || v === null || v === undefined) continue;
      if (!isObj(v) || typeof v.class_name !== 'string' || !(v.config === undefined || isObj(v.config))) {
        this.fail(`${where}.${k}`, 'null or a serialized { class_name, config } object', v);
      }
    }
  }

  inputShape(c: Cfg, where: string): Shape {
    const b = c.batch_input_shape;
    if (!Array.isArray(b) || b.length < 2 || b.length > 5 || !b.slice(1).every((d) => d === null || (Number.isSafeInteger(d) && (d as number) >= 1 && (d as number) <= MAX_WEIGHT_ELEMENTS))) {
      this.fail(`${where}.batch_input_shape`, '[null, ...positive integers] (2 to 5 entries)', b);
    }
    return (b as Dim[]).slice(1);
  }
}

/**
 * Number of float32 weights a tfjs-layers Sequential topology declares, checked against
 * {@link MAX_WEIGHT_ELEMENTS} without building anything.
 * @throws {SerializationError} not a Sequential topology, unknown layer class, malformed config, over budget.
 */
export function declaredWeightCount(topology: unknown, fn: string, arg: string): number {
  const w: Walk = new Walk(fn, arg);
  if (!isObj(topology)) return w.fail('', 'a tfjs-layers model topology object', topology);
  if (topology.class_name !== 'Sequential') w.fail('.class_name', "'Sequential' (the networks finml builds)", topology.class_name);
  const cfg = topology.config;
  const layers = Array.isArray(cfg) ? cfg : isObj(cfg) ? cfg.layers : undefined;
  if (!Array.isArray(layers) || layers.length === 0 || layers.length > MAX_LAYERS) w.fail('.config.layers', `an array of 1 to ${MAX_LAYERS} layers`, layers);
  let shape: Shape | null = null;
  let total = 0;
  (layers as unknown[]).forEach((raw, i) => {
    const where = `.config.layers[${i}]`;
    if (!isObj(raw) || typeof raw.class_name !== 'string' || !isObj(raw.config)) w.fail(where, '{ class_name, config }', raw);
    const l = raw as Cfg;
    const c = l.config as Cfg;
    w.commonConfig(c, `${where}.config`);
    if (l.class_name === 'InputLayer') {
      if (i !== 0) w.fail(where, 'an InputLayer only first', 'an InputLayer later');
      shape = w.inputShape(c, `${where}.config`);
      return;
    }
    if (shape === null) {
      if (i !== 0) w.fail(`${where}.config`, 'a known input shape', 'none');
      shape = w.inputShape(c, `${where}.config`);
    }
    const r = w.layer(l.class_name as string, c, shape, where);
    if (!Number.isFinite(r.weights) || r.weights > MAX_WEIGHT_ELEMENTS) {
      w.fail(where, `at most ${MAX_WEIGHT_ELEMENTS} weights per network (the load size budget)`, `${r.weights} weights in layer ${String(c.name)}`);
    }
    total += r.weights;
    if (total > MAX_WEIGHT_ELEMENTS) w.fail('', `at most ${MAX_WEIGHT_ELEMENTS} weights per network (the load size budget)`, `more than ${MAX_WEIGHT_ELEMENTS} declared weights`);
    shape = r.out;
  });
  return total;
}

/**
 * Rejects a topology whose declared weights differ from the manifest's (or exceed the budget),
 * before any layer is built.
 */
export function checkTopologyAgainstManifest(topology: unknown, manifestElements: number, fn: string, arg: string): void {
  if (manifestElements > MAX_WEIGHT_ELEMENTS) {
    throw new SerializationError({ fn, arg: `${arg}.weightSpecs`, expected: `at most ${MAX_WEIGHT_ELEMENTS} weights (the load size budget)`, got: `${manifestElements} weights` });
  }
  const declared = declaredWeightCount(topology, fn, `${arg}.modelTopology`);
  if (declared !== manifestElements) {
    throw new SerializationError({
      fn,
      arg: `${arg}.modelTopology`,
      expected: `a topology declaring the ${manifestElements} weights listed in the weight manifest`,
      got: `a topology declaring ${declared} weights`,
    });
  }
}
