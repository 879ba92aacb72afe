/**
 * Shared plumbing of finml's tfjs-IOHandler persistence (single-model bundles and risk models):
 * splitting a fitted network into its envelope and raw tfjs parts, running a handler's
 * save/load with typed errors, and normalising weight data to one ArrayBuffer.
 * @internal
 */
import * as tf from '@tensorflow/tfjs-core';
import { InvalidOptionError, SerializationError, describeValue } from '../../core/errors';
import type { EstimatorJSON, JsonValue } from '../../core/estimator';
import { internalsOf, type FittedNeuralModel } from '../../models/neuralModel';
import { exportModel, type ModelParts } from './modelArtifacts';
import { sha256Hex, sha256HexOfText } from './sha256';

/** Plain-object test used when reading untrusted artifacts. */
export const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * A fitted network as its envelope without `topology`/`weightSpecs`/`weights` (those travel as
 * tfjs artifacts) plus the raw parts. Synchronous; creates no tensors that outlive the call.
 */
export function splitNeural(model: FittedNeuralModel, fn: string): { readonly envelope: EstimatorJSON; readonly parts: ModelParts } {
  const network = internalsOf(model, fn).model; // throws DisposedError / InvalidOptionError
  const env = model.toJSON();
  const { topology, weightSpecs, weights, ...rest } = env.state as Record<string, JsonValue>;
  void topology;
  void weightSpecs;
  void weights;
  return { envelope: { kind: env.kind, version: env.version, params: env.params, state: rest }, parts: exportModel(network) };
}

/** Joins tfjs `WeightData` (one buffer or a list of chunks) into one ArrayBuffer; throws SerializationError when absent or not bytes. */
export function weightBuffer(wd: unknown, fn: string, arg = 'weightData'): ArrayBuffer {
  if (wd === undefined || wd === null) throw new SerializationError({ fn, arg, expected: 'the weight bytes', got: describeValue(wd) });
  if (Array.isArray(wd)) {
    if (!wd.every((b) => b instanceof ArrayBuffer)) throw new SerializationError({ fn, arg, expected: 'an ArrayBuffer or a list of ArrayBuffers', got: describeValue(wd) });
    return tf.io.CompositeArrayBuffer.join(wd as ArrayBuffer[]);
  }
  if (!(wd instanceof ArrayBuffer)) throw new SerializationError({ fn, arg, expected: 'an ArrayBuffer', got: describeValue(wd) });
  return wd;
}

/** Saves artifacts through a handler; rejects handlers without `save` and reported save errors. */
export async function saveThrough(target: unknown, artifacts: () => tf.io.ModelArtifacts, fn: string, arg: string): Promise<tf.io.SaveResult> {
  if (!isRecord(target) || typeof target.save !== 'function') {
    throw new InvalidOptionError({ fn, arg, expected: 'a tfjs IOHandler with a save method', got: describeValue(target) });
  }
  const result = (await (target as tf.io.IOHandler).save?.(artifacts())) as tf.io.SaveResult;
  if (result?.errors !== undefined && result.errors !== null && result.errors.length > 0) {
    throw new SerializationError({ fn, arg, expected: 'a successful save', got: `errors: ${result.errors.map(String).join('; ')}` });
  }
  return result;
}

/** Loads artifacts through a handler; handler failures that are not finml errors become SerializationError. */
export async function loadThrough(source: unknown, fn: string, arg: string, what: string): Promise<tf.io.ModelArtifacts> {
  if (!isRecord(source) || typeof source.load !== 'function') {
    throw new InvalidOptionError({ fn, arg, expected: 'a tfjs IOHandler with a load method', got: describeValue(source) });
  }
  try {
    return await (source.load as () => Promise<tf.io.ModelArtifacts>)();
  } catch (cause) {
    if (cause instanceof SerializationError) throw cause;
    throw new SerializationError({ fn, arg, expected: `a readable ${what}`, got: `a load error: ${cause instanceof Error ? cause.message : String(cause)}` }, { cause });
  }
}

/** Content hashes written at save time in `userDefinedMetadata.finml.integrity`. */
export interface ArtifactIntegrity {
  readonly algorithm: 'sha256';
  /** SHA-256 of the weight bytes. */
  readonly weights: string;
  /** SHA-256 of `JSON.stringify([modelTopology, weightSpecs, finml without integrity])`. */
  readonly json: string;
}

function jsonDigestInput(topology: unknown, specs: unknown, finml: Record<string, unknown>): string {
  const { integrity: _omit, ...rest } = finml;
  void _omit;
  const s = Array.isArray(specs)
    ? specs.map((e: unknown) => (isRecord(e) ? { name: e.name, shape: e.shape, dtype: e.dtype } : e))
    : specs;
  return JSON.stringify([topology ?? null, s ?? null, rest]);
}

/** The integrity record of artifacts about to be saved (finml part without `integrity`). */
export function computeIntegrity(topology: unknown, specs: unknown, finml: Record<string, unknown>, weightData: ArrayBuffer): ArtifactIntegrity {
  return { algorithm: 'sha256', weights: sha256Hex(new Uint8Array(weightData)), json: sha256HexOfText(jsonDigestInput(topology, specs, finml)) };
}

/**
 * Verifies `finml.integrity` against the loaded artifacts: throws SerializationError when it is
 * missing (and `required`), malformed, or when the weight bytes or the JSON parts changed since saving.
 */
export function verifyIntegrity(topology: unknown, specs: unknown, finml: Record<string, unknown>, weightData: ArrayBuffer, required: boolean, fn: string): void {
  const arg = 'userDefinedMetadata.finml.integrity';
  const i = finml.integrity;
  if (i === undefined && !required) return;
  const hex = (v: unknown): boolean => typeof v === 'string' && /^[0-9a-f]{64}$/.test(v);
  if (!isRecord(i) || i.algorithm !== 'sha256' || !hex(i.weights) || !hex(i.json)) {
    throw new SerializationError({ fn, arg, expected: "{ algorithm: 'sha256', weights, json } content hashes written at save time", got: describeValue(i) });
  }
  const actual = computeIntegrity(topology, specs, finml, weightData);
  if (actual.weights !== i.weights) {
    throw new SerializationError({ fn, arg: 'weightData', expected: `weight bytes with SHA-256 ${String(i.weights)} (as saved)`, got: `SHA-256 ${actual.weights} (corrupt or modified weights)` });
  }
  if (actual.json !== i.json) {
    throw new SerializationError({ fn, arg: 'modelTopology/weightSpecs/userDefinedMetadata.finml', expected: `JSON with SHA-256 ${String(i.json)} (as saved)`, got: `SHA-256 ${actual.json} (corrupt, modified or mixed files)` });
  }
}
