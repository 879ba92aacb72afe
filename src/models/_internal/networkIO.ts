/**
 * A tfjs-layers network to and from its {@link NetworkParts}: synchronous export (one read of
 * each weight) and async import (tfjs deserialises layers asynchronously) after the io area's
 * checks of untrusted parts. Lives in models because building needs finml's custom layers.
 * @internal
 */
import { requireBackend } from '../../core/backend';
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { SerializationError } from '../../core/errors';
import type { JsonValue } from '../../core/estimator';
import { checkNetworkParts } from '../../io/_internal/modelArtifacts';
import type { NetworkParts, WeightSpec } from '../../io/networkParts';
import { registerFinmlLayers } from '../registerFinmlLayers';
import { disposeModel } from '../disposeModel';

/** Exports topology and weights synchronously (one read of each weight; no tensor outlives the call). */
export function networkToParts(model: tfl.LayersModel): NetworkParts {
  const modelTopology = model.toJSON(undefined, false) as unknown as JsonValue;
  const specs: WeightSpec[] = [];
  const chunks: Float32Array[] = [];
  let total = 0;
  for (const w of model.weights) {
    const t = w.read();
    const values = t.dtype === 'float32' ? (t.dataSync() as Float32Array) : Float32Array.from(t.dataSync() as ArrayLike<number>);
    specs.push({ name: w.originalName, shape: t.shape.slice(), dtype: 'float32' });
    chunks.push(values);
    total += values.length;
  }
  const all = new Float32Array(total);
  let off = 0;
  for (const c of chunks) {
    all.set(c, off);
    off += c.length;
  }
  return { modelTopology, weightSpecs: specs, weightData: all.buffer };
}

/** Rebuilds a network from untrusted parts (validated first). The caller owns the returned model. */
export async function networkFromParts(parts: NetworkParts, fn: string, arg: string): Promise<tfl.LayersModel> {
  requireBackend(fn);
  registerFinmlLayers();
  checkNetworkParts(parts, fn, arg);
  let model: tfl.LayersModel;
  // tfjs builds layers one by one: a topology that fails half way leaves the weights of the layers
  // built so far registered and unreachable; dispose the variables that appeared during the call.
  const variablesBefore = new Set(Object.keys(tf.engine().registeredVariables));
  try {
    model = await tfl.models.modelFromJSON({ modelTopology: parts.modelTopology as unknown as tf.io.ModelArtifacts['modelTopology'] } as never);
  } catch (cause) {
    for (const [name, v] of Object.entries(tf.engine().registeredVariables)) if (!variablesBefore.has(name)) v.dispose();
    throw new SerializationError(
      { fn, arg: `${arg}.modelTopology`, expected: 'a loadable tfjs-layers model topology', got: `a load error: ${cause instanceof Error ? cause.message : String(cause)}` },
      { cause },
    );
  }
  const named = tf.io.decodeWeights(parts.weightData, parts.weightSpecs as tf.io.WeightsManifestEntry[]);
  try {
    model.loadWeights(named, true);
  } catch (cause) {
    disposeModel(model);
    throw new SerializationError(
      { fn, arg: `${arg}.weightSpecs`, expected: "weights matching the model's topology", got: `a mismatch: ${cause instanceof Error ? cause.message : String(cause)}` },
      { cause },
    );
  } finally {
    tf.dispose(Object.values(named));
  }
  return model;
}
