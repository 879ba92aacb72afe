/**
 * The typed parts of a fitted network, as every finml format stores them: the tfjs-layers
 * topology, the weight manifest and the raw float32 weight bytes. Fitted neural models export
 * them with `fitted.exportNetwork()`; `neuralModelFromParts(envelope, parts)` (finml/models)
 * rebuilds a fitted model from them. The formats of src/io (bundles, risk-model artifacts, the
 * JSON envelope's base64 weights) only ever see these parts, never a live network.
 *
 * @module
 */
import type { EstimatorJSON, JsonValue } from '../core/estimator';

/**
 * One weight tensor's entry in a {@link NetworkParts} manifest (a tfjs `WeightsManifestEntry`,
 * float32 only). The bytes of the weights follow each other in manifest order.
 *
 * @category Training
 */
export interface WeightSpec {
  /** The weight's name in the network, e.g. `'dense_Dense1/kernel'`. */
  readonly name: string;
  /** The weight's shape. */
  readonly shape: readonly number[];
  /** Always `'float32'`. */
  readonly dtype: 'float32';
}

/**
 * A network as plain data: what `fitted.exportNetwork()` returns and `neuralModelFromParts`
 * takes. The values are copies: changing them changes no model.
 *
 * @category Training
 */
export interface NetworkParts {
  /** The tfjs-layers model topology (`model.toJSON()`), JSON only. */
  readonly modelTopology: JsonValue;
  /** The weight manifest: one entry per weight tensor, in the order of `weightData`. */
  readonly weightSpecs: readonly WeightSpec[];
  /** All weights as float32 bytes, one after the other in `weightSpecs` order. */
  readonly weightData: ArrayBuffer;
}

/**
 * What a format needs from a fitted network to save it: its finml envelope (`toJSON()`) and its
 * {@link NetworkParts}. Fitted `neuralClassifier` / `neuralRegressor` models are exporters.
 *
 * @category Training
 */
export interface NetworkExporter {
  /** The envelope kind, e.g. `'NeuralClassifier'`. */
  readonly kind: string;
  /** The finml JSON envelope (topology and base64 weights in `state`). */
  toJSON(): EstimatorJSON;
  /** Copies of the topology, weight manifest and weight bytes. */
  exportNetwork(): NetworkParts;
}
