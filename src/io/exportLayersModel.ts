/**
 * Export of finml networks in the standard tfjs-layers (Keras) format, loadable by plain
 * `@tensorflow/tfjs` / `@tensorflow/tfjs-layers` without finml's custom layers.
 *
 * @module
 */
import * as tf from '@tensorflow/tfjs-core';
import type * as tfl from '@tensorflow/tfjs-layers';
import { InvalidOptionError, SerializationError, describeValue } from '../core/errors';
import { internalsOf, type FittedNeuralModel } from '../models/neuralModel';

/**
 * A network in the standard tfjs-layers format: `model.json` text (topology + weights manifest
 * naming `weightsPath`) and the weight bytes to write next to it.
 *
 * @category Training
 */
export interface ExportedLayersModel {
  /** The `model.json` content (`format: 'layers-model'`), standard Keras layer classes only. */
  readonly modelJson: string;
  /** The binary weights file content. */
  readonly weights: Uint8Array;
  /** Name of the weights file referenced by `modelJson`. */
  readonly weightsPath: string;
  /** The same as tfjs model artifacts, e.g. for `tf.io.fromMemory` or any `tf.io` save handler. */
  readonly artifacts: tf.io.ModelArtifacts;
}

type Json = { [k: string]: unknown };
const isObj = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Standard layer classes a finml network may contain (tfjs-layers' built-ins). */
const STANDARD = new Set([
  'Dense', 'Dropout', 'Activation', 'Flatten', 'Reshape', 'InputLayer', 'BatchNormalization', 'LayerNormalization',
  'Conv1D', 'MaxPooling1D', 'AveragePooling1D', 'GlobalAveragePooling1D', 'GlobalMaxPooling1D',
  'LSTM', 'GRU', 'SimpleRNN', 'Bidirectional', 'TimeDistributed', 'RepeatVector', 'Concatenate', 'Add', 'Multiply',
  'LeakyReLU', 'ReLU', 'ELU', 'Softmax', 'ZeroPadding1D', 'Cropping1D', 'GaussianNoise', 'GaussianDropout', 'SpatialDropout1D', 'Embedding', 'Masking',
]);

const COMMON = ['name', 'trainable', 'dtype', 'batch_input_shape'];

/** Input channels of each conv layer by name (from the kernel shapes of the model being exported). */
const CHANNELS: { current: ReadonlyMap<string, readonly [number, number]> } = { current: new Map() };

function keep(config: Json): Json {
  const out: Json = {};
  for (const k of COMMON) if (config[k] !== undefined) out[k] = config[k];
  return out;
}

/** SeededDropout → Dropout (the same inference: identity; the training-time mask seed has no Keras equivalent). */
function dropout(config: Json): Json {
  return { class_name: 'Dropout', config: { ...keep(config), rate: config.rate, noise_shape: null, seed: null } };
}

/** PortableConv1D → Conv1D: the same cross-correlation, kernel [k, in, filters] and bias [filters], same weight names. */
function conv1d(config: Json): Json {
  const l1 = typeof config.l1 === 'number' ? config.l1 : 0;
  const l2 = typeof config.l2 === 'number' ? config.l2 : 0;
  return {
    class_name: 'Conv1D',
    config: {
      ...keep(config),
      filters: config.filters,
      kernel_size: [config.kernel_size],
      strides: [config.strides ?? 1],
      padding: config.padding ?? 'valid',
      data_format: 'channels_last',
      dilation_rate: [config.dilation_rate ?? 1],
      activation: 'linear',
      use_bias: config.use_bias ?? true,
      kernel_initializer: { class_name: 'GlorotUniform', config: { seed: null } },
      bias_initializer: { class_name: 'Zeros', config: {} },
      kernel_regularizer: l1 > 0 || l2 > 0 ? { class_name: 'L1L2', config: { l1, l2 } } : null,
      bias_regularizer: null,
      activity_regularizer: null,
      kernel_constraint: null,
      bias_constraint: null,
    },
  };
}

function rewriteLayer(layer: unknown, fn: string): unknown {
  if (!isObj(layer) || typeof layer.class_name !== 'string' || !isObj(layer.config)) return layer;
  let out: Json;
  if (layer.class_name === 'SeededDropout') out = dropout(layer.config);
  else if (layer.class_name === 'PortableConv1D') out = conv1d(layer.config);
  else if (layer.class_name === 'Sequential' || layer.class_name === 'Model' || layer.class_name === 'Functional') {
    return { ...layer, config: rewriteModelConfig(layer.config, fn, CHANNELS.current) };
  } else {
    if (!STANDARD.has(layer.class_name)) {
      throw new SerializationError({ fn, arg: 'model', expected: `a network of standard Keras layers (or finml's SeededDropout/PortableConv1D, which are converted)`, got: `a layer of class '${layer.class_name}'` });
    }
    // wrappers (Bidirectional, TimeDistributed) hold a layer config too
    const inner = layer.config.layer;
    return inner === undefined ? layer : { ...layer, config: { ...layer.config, layer: rewriteLayer(inner, fn) } };
  }
  // functional models keep the graph wiring
  for (const k of ['inbound_nodes', 'name']) if (layer[k] !== undefined) out[k] = layer[k];
  return out;
}

/**
 * A causal PortableConv1D as standard layers: tfjs-layers' Conv1D has no causal mode and there is
 * no ZeroPadding1D, so the input is left-padded by `(kernelSize − 1) · dilation` steps through
 * Reshape [steps, 1, channels] → ZeroPadding2D → Reshape [steps + pad, channels], then a 'valid' Conv1D.
 */
function causalConv(layer: Json, inShape: readonly [number, number], fn: string): Json[] {
  const [steps, channels] = inShape;
  const config = layer.config as Json;
  if (layer.inbound_nodes !== undefined) {
    throw new SerializationError({ fn, arg: 'model', expected: 'a causal PortableConv1D in a sequential model (a functional graph with one is not converted)', got: `a functional model with the causal layer '${String(config.name)}'` });
  }
  const pad = ((config.kernel_size as number) - 1) * ((config.dilation_rate as number | undefined) ?? 1);
  const name = String(config.name);
  const first: Json = config.batch_input_shape === undefined ? {} : { batch_input_shape: config.batch_input_shape };
  const { batch_input_shape: _drop, ...rest } = config;
  const conv = conv1d({ ...rest, padding: 'valid' });
  return [
    { class_name: 'Reshape', config: { ...first, name: `${name}_causal_in`, trainable: false, dtype: config.dtype ?? 'float32', target_shape: [steps, 1, channels] } },
    { class_name: 'ZeroPadding2D', config: { name: `${name}_causal_pad`, trainable: false, dtype: config.dtype ?? 'float32', padding: [[pad, 0], [0, 0]], data_format: 'channels_last' } },
    { class_name: 'Reshape', config: { name: `${name}_causal_out`, trainable: false, dtype: config.dtype ?? 'float32', target_shape: [steps + pad, channels] } },
    conv,
  ];
}

function rewriteModelConfig(config: Json, fn: string, channels: ReadonlyMap<string, readonly [number, number]> = new Map()): Json {
  const layers = config.layers;
  if (!Array.isArray(layers)) return config;
  const out: unknown[] = [];
  for (const l of layers) {
    if (isObj(l) && l.class_name === 'PortableConv1D' && isObj(l.config) && l.config.padding === 'causal') {
      const c = channels.get(String(l.config.name));
      if (c === undefined) throw new SerializationError({ fn, arg: 'model', expected: `a known input shape [steps, channels] of the causal layer '${String(l.config.name)}'`, got: 'an unknown shape' });
      out.push(...causalConv(l, c, fn));
    } else out.push(rewriteLayer(l, fn));
  }
  return { ...config, layers: out };
}

/**
 * The network inside a fitted `neuralClassifier` / `neuralRegressor` (or a member of a risk
 * model): a typed accessor for inspection, `summary()`, `predict` on tensors or export. The
 * network stays owned by the fitted model: do not dispose or train it; it is disposed with the model.
 *
 * @param fitted - A fitted neural model.
 * @returns Its `tf.LayersModel`.
 * @throws {InvalidOptionError} when `fitted` is not a fitted neural model.
 * @throws {DisposedError} when it was disposed.
 * @example
 * ```ts
 * import { neuralClassifier, networkOf } from 'finml';
 * const fitted = await neuralClassifier({ model: { type: 'fnn', hidden: [4] }, train: { epochs: 2 }, seed: 1 }).fit([[0, 1], [1, 0], [1, 1], [0, 0]], [1, 0, 1, 0]);
 * networkOf(fitted).layers.length > 0; //=> true
 * fitted.dispose();
 * ```
 * @category Training
 */
export function networkOf(fitted: FittedNeuralModel): tfl.LayersModel {
  return internalsOf(fitted, 'networkOf').model;
}

/**
 * Exports a network in the standard tfjs-layers format with standard Keras layer classes only,
 * so that plain `tf.loadLayersModel` (from `@tensorflow/tfjs` or `@tensorflow/tfjs-layers`, with
 * no finml import) loads it and predicts identically:
 * - `SeededDropout` becomes `Dropout` with the same rate (dropout is the identity at inference;
 *   only the training-time mask seeding is lost);
 * - `PortableConv1D` becomes `Conv1D` with the same filters, kernel size, strides, dilation,
 *   padding, bias and L1/L2 penalty: the same convolution with the same weights (shape
 *   `[kernelSize, inChannels, filters]`) under the same names. tfjs-layers' `Conv1D` has no
 *   `'causal'` padding, so a causal layer (in a sequential model) becomes the equivalent standard
 *   graph `Reshape → ZeroPadding2D (left pad (kernelSize − 1)·dilation) → Reshape → Conv1D 'valid'`.
 *   Note that tfjs's own `Conv1D` cannot be *trained* on the wasm backend (the reason
 *   `PortableConv1D` exists); inference works everywhere.
 * Any other layer class outside tfjs-layers' built-ins is refused. The weights are copied; the
 * source is not changed.
 *
 * @param source - A `tf.LayersModel`, or a fitted neural model (its network, see {@link networkOf}).
 * @param options - `weightsPath`: the name of the weights file written into `model.json` (default `'weights.bin'`).
 * @returns The `model.json` text, the weight bytes and the tfjs artifacts.
 * @throws {SerializationError} a layer class with no standard equivalent.
 * @throws {InvalidOptionError} an invalid `weightsPath` or source.
 * @throws {DisposedError} a disposed fitted model.
 * @example
 * ```ts
 * import { exportLayersModel, neuralClassifier } from 'finml';
 * const fitted = await neuralClassifier({ model: { type: 'fnn', hidden: [4], dropout: 0.2 }, train: { epochs: 2 }, seed: 1 }).fit([[0, 1], [1, 0], [1, 1], [0, 0]], [1, 0, 1, 0]);
 * const out = await exportLayersModel(fitted);
 * out.modelJson.includes('SeededDropout'); //=> false
 * fitted.dispose();
 * ```
 * @category Training
 */
export async function exportLayersModel(source: tfl.LayersModel | FittedNeuralModel, options: { readonly weightsPath?: string } = {}): Promise<ExportedLayersModel> {
  const fn = 'exportLayersModel';
  const weightsPath = options.weightsPath ?? 'weights.bin';
  if (typeof weightsPath !== 'string' || !/^[A-Za-z0-9._-]+$/.test(weightsPath) || weightsPath.startsWith('.')) {
    throw new InvalidOptionError({ fn, arg: 'options.weightsPath', expected: "a plain file name such as 'weights.bin'", got: describeValue(weightsPath) });
  }
  const isLayersModel = isObj(source) && typeof (source as { save?: unknown }).save === 'function' && Array.isArray((source as { layers?: unknown }).layers);
  const model = isLayersModel ? (source as tfl.LayersModel) : networkOf(source as FittedNeuralModel);
  let captured: tf.io.ModelArtifacts | null = null;
  await model.save(
    tf.io.withSaveHandler(async (a) => {
      captured = a;
      return { modelArtifactsInfo: { dateSaved: new Date(0), modelTopologyType: 'JSON' } };
    }),
  );
  const a = captured as tf.io.ModelArtifacts | null;
  if (a === null || !isObj(a.modelTopology) || a.weightSpecs === undefined || a.weightData === undefined) {
    throw new SerializationError({ fn, arg: 'source', expected: 'a model that saves its topology and weights', got: 'incomplete artifacts' });
  }
  const shapes = new Map<string, readonly [number, number]>();
  for (const l of model.layers) {
    if (l.getClassName() !== 'PortableConv1D') continue;
    const input = l.input;
    const shape = (Array.isArray(input) ? input[0] : input)?.shape ?? [];
    if (typeof shape[1] === 'number' && typeof shape[2] === 'number') shapes.set(l.name, [shape[1], shape[2]]);
  }
  CHANNELS.current = shapes;
  let topology: Json;
  try {
    topology = rewriteLayer(a.modelTopology.model_config ?? a.modelTopology, fn) as Json;
  } finally {
    CHANNELS.current = new Map();
  }
  const modelTopology = isObj(a.modelTopology.model_config) ? { ...a.modelTopology, model_config: topology } : topology;
  const data = a.weightData;
  const weights = Array.isArray(data) ? concat(data) : new Uint8Array((data as ArrayBuffer).slice(0));
  const artifacts: tf.io.ModelArtifacts = {
    modelTopology,
    weightSpecs: a.weightSpecs,
    weightData: weights.buffer.slice(weights.byteOffset, weights.byteOffset + weights.byteLength) as ArrayBuffer,
    format: 'layers-model',
    generatedBy: a.generatedBy ?? `TensorFlow.js tfjs-layers`,
    convertedBy: 'finml exportLayersModel',
  };
  const modelJson = JSON.stringify({
    format: 'layers-model',
    generatedBy: artifacts.generatedBy,
    convertedBy: artifacts.convertedBy,
    modelTopology,
    weightsManifest: [{ paths: [weightsPath], weights: a.weightSpecs }],
  });
  return { modelJson, weights, weightsPath, artifacts };
}

function concat(parts: readonly ArrayBuffer[]): Uint8Array {
  const n = parts.reduce((s, p) => s + p.byteLength, 0);
  const out = new Uint8Array(n);
  let o = 0;
  for (const p of parts) {
    out.set(new Uint8Array(p), o);
    o += p.byteLength;
  }
  return out;
}
