/**
 * Codecs of the network parts every finml format stores: the weight manifest (validation and
 * byte count), the checks run on untrusted parts before any network is built (sizes, topology
 * budget, finite weights) and base64 for embedding weights in JSON envelopes. Building a tfjs
 * network from parts is the models area's job (src/models/_internal/networkIO.ts).
 * @internal
 */
import { SerializationError, describeValue } from '../../core/errors';
import type { NetworkParts, WeightSpec } from '../networkParts';
import { checkTopologyAgainstManifest } from './topologyBudget';

export type { NetworkParts, WeightSpec };

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

/**
 * Validates untrusted parts before a network is built from them: the weight bytes match the
 * manifest, the topology is an object that fits the size budget and the manifest, and every
 * weight is finite. Throws SerializationError naming `arg` (e.g. `state`).
 */
export function checkNetworkParts(parts: NetworkParts, fn: string, arg: string): void {
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
