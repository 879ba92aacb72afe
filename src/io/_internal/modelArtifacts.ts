/**
 * Synchronous export of a tfjs-layers model to tfjs ModelArtifacts (topology + weight specs +
 * one weight buffer), async import back, and base64 for embedding weights in JSON.
 * @internal
 */
import { requireBackend } from '../../core/backend';
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { SerializationError, describeValue } from '../../core/errors';
import type { JsonValue } from '../../core/estimator';
import { registerFinmlLayers } from '../../models/registerFinmlLayers';
import { disposeModel } from '../../models/disposeModel';
import { checkTopologyAgainstManifest } from './topologyBudget';

/** The parts of tfjs ModelArtifacts finml stores. */
export interface ModelParts {
  readonly modelTopology: JsonValue;
  readonly weightSpecs: readonly WeightSpec[];
  readonly weightData: ArrayBuffer;
}

/** One weight's entry (tfjs `WeightsManifestEntry`, float32 only). */
export interface WeightSpec {
  readonly name: string;
  readonly shape: readonly number[];
  readonly dtype: 'float32';
}

/** Exports topology and weights synchronously (one read of each weight). */
export function exportModel(model: tfl.LayersModel): ModelParts {
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

/** Number of bytes the weight specs require. */
export function expectedWeightBytes(specs: readonly WeightSpec[]): number {
  return specs.reduce((a, s) => a + 4 * s.shape.reduce((p, d) => p * d, 1), 0);
}

/** Validates untrusted weight specs. */
export function readWeightSpecs(v: unknown, fn: string, arg: string): WeightSpec[] {
  const ok =
    Array.isArray(v) &&
    v.every(
      (s) =>
        typeof s === 'object' &&
        s !== null &&
        typeof (s as WeightSpec).name === 'string' &&
        (s as WeightSpec).dtype === 'float32' &&
        Array.isArray((s as WeightSpec).shape) &&
        (s as WeightSpec).shape.every((d) => Number.isInteger(d) && d >= 0),
    );
  if (!ok) throw new SerializationError({ fn, arg, expected: "an array of { name, shape, dtype: 'float32' } weight specs", got: describeValue(v) });
  return v as WeightSpec[];
}

/** Rebuilds a model from its parts (validating sizes). The caller owns the returned model. */
export async function importModel(parts: ModelParts, fn: string, arg: string): Promise<tfl.LayersModel> {
  requireBackend(fn);
  registerFinmlLayers();
  const want = expectedWeightBytes(parts.weightSpecs);
  if (parts.weightData.byteLength !== want) {
    throw new SerializationError({ fn, arg: `${arg}.weightData`, expected: `${want} bytes of float32 weights`, got: `${parts.weightData.byteLength} bytes (truncated or corrupt)` });
  }
  if (typeof parts.modelTopology !== 'object' || parts.modelTopology === null || Array.isArray(parts.modelTopology)) {
    throw new SerializationError({ fn, arg: `${arg}.modelTopology`, expected: 'a tfjs-layers model topology object', got: describeValue(parts.modelTopology) });
  }
  // Before anything is built: the declared network must fit the size budget and match the manifest.
  checkTopologyAgainstManifest(parts.modelTopology, want / 4, fn, arg);
  checkFiniteWeights(parts.weightData, parts.weightSpecs, fn, `${arg}.weightData`);
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

/** Rejects weight bytes holding NaN or ±Infinity (a corrupt file of the right size), naming the weight. */
export function checkFiniteWeights(data: ArrayBuffer, specs: readonly WeightSpec[], fn: string, arg: string): void {
  const values = new Float32Array(data, 0, Math.floor(data.byteLength / 4));
  for (let i = 0; i < values.length; i++) {
    if (!Number.isFinite(values[i])) {
      let off = 0;
      const spec = specs.find((s) => {
        off += s.shape.reduce((p, d) => p * d, 1);
        return i < off;
      });
      throw new SerializationError({ fn, arg, expected: 'finite float32 weights', got: `${describeValue(values[i])} at element ${i}${spec === undefined ? '' : ` (weight ${JSON.stringify(spec.name)})`} (corrupt weights)` });
    }
  }
}

/** Standard base64 of bytes (works in browsers and Node without Buffer). */
export function toBase64(buf: ArrayBuffer): string {
  const bytes = new Uint8Array(buf);
  let bin = '';
  const step = 0x8000;
  for (let i = 0; i < bytes.length; i += step) bin += String.fromCharCode(...bytes.subarray(i, i + step));
  return btoa(bin);
}

/** Decodes base64 to bytes; throws SerializationError on invalid text. */
export function fromBase64(s: unknown, fn: string, arg: string): ArrayBuffer {
  if (typeof s !== 'string' || !/^[A-Za-z0-9+/]*={0,2}$/.test(s) || s.length % 4 !== 0) {
    throw new SerializationError({ fn, arg, expected: 'a base64 string', got: describeValue(s) });
  }
  const bin = atob(s);
  const out = new Uint8Array(bin.length);
  for (let i = 0; i < bin.length; i++) out[i] = bin.charCodeAt(i);
  return out.buffer;
}
