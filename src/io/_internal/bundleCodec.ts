/**
 * The bundle format's codec (no fitted model involved): metadata resolution and validation, the
 * structural check of the pipeline envelope, encoding a network's envelope + parts to tfjs
 * artifacts with content hashes, and decoding (format and version checks, version 1 → 2
 * migration: version 1 bundles carry no content hashes and load without them).
 * @internal
 */
import type * as tf from '@tensorflow/tfjs-core';
import { InvalidOptionError, SerializationError, describeValue } from '../../core/errors';
import { deepFreeze, type EstimatorJSON, type JsonValue } from '../../core/estimator';
import { BUNDLE_FORMAT, type BundleJSON, type BundleMetadata } from '../bundle';
import type { NetworkParts } from '../networkParts';
import { computeIntegrity, isRecord, verifyIntegrity, weightBuffer } from './artifactIO';
import { readWeightSpecs } from './modelArtifacts';
import { FINML_VERSION } from './version';

/** Version 2 adds the SHA-256 content hashes (`integrity`); version 1 bundles (without) still load. */
export const BUNDLE_VERSION = 2;

/** Versions {@link decodeBundleArtifacts} reads, newest first. */
const READABLE_VERSIONS = [BUNDLE_VERSION, 1] as const;

/** What the metadata defaults to when the caller leaves a field out (taken from the model). */
export interface MetadataDefaults {
  /** The model's classes (a classifier), else null. */
  readonly classes: readonly number[] | null;
  /** The model's seed (undefined: the metadata must give one). */
  readonly seed: number | undefined;
}

/** Validates and completes the caller's metadata (InvalidOptionError on a bad field). */
export function resolveBundleMetadata(given: unknown, defaults: MetadataDefaults, fn: string): BundleMetadata {
  const m = (given ?? {}) as Partial<Omit<BundleMetadata, 'finmlVersion'>>;
  if (!isRecord(m)) throw new InvalidOptionError({ fn, arg: 'metadata', expected: 'an object', got: describeValue(m) });
  const known = ['featureNames', 'target', 'classes', 'metrics', 'seed', 'createdAt'];
  for (const k of Object.keys(m)) {
    if (!known.includes(k)) throw new InvalidOptionError({ fn, arg: `metadata.${k}`, expected: `a known metadata field (${known.join(', ')})`, got: 'an unknown field' });
  }
  const featureNames = m.featureNames ?? [];
  if (!Array.isArray(featureNames) || !featureNames.every((s) => typeof s === 'string')) {
    throw new InvalidOptionError({ fn, arg: 'metadata.featureNames', expected: 'an array of strings', got: describeValue(featureNames) });
  }
  const target = m.target ?? null;
  if (target !== null && typeof target !== 'string') throw new InvalidOptionError({ fn, arg: 'metadata.target', expected: 'a string or null', got: describeValue(target) });
  const classes = m.classes === undefined ? defaults.classes : m.classes;
  if (classes !== null && (!Array.isArray(classes) || !classes.every((c) => typeof c === 'number' && Number.isFinite(c)))) {
    throw new InvalidOptionError({ fn, arg: 'metadata.classes', expected: 'an array of finite numbers or null', got: describeValue(classes) });
  }
  const metrics = m.metrics ?? {};
  if (!isRecord(metrics) || !Object.values(metrics).every((v) => typeof v === 'number' && Number.isFinite(v))) {
    throw new InvalidOptionError({ fn, arg: 'metadata.metrics', expected: 'a record of finite numbers', got: describeValue(metrics) });
  }
  const seed = m.seed ?? defaults.seed;
  if (!Number.isSafeInteger(seed)) throw new InvalidOptionError({ fn, arg: 'metadata.seed', expected: 'a safe integer', got: describeValue(seed) });
  const createdAt = m.createdAt ?? new Date().toISOString();
  if (typeof createdAt !== 'string' || Number.isNaN(Date.parse(createdAt))) {
    throw new InvalidOptionError({ fn, arg: 'metadata.createdAt', expected: 'an ISO 8601 date string', got: describeValue(createdAt) });
  }
  return {
    featureNames: [...featureNames],
    target,
    classes: classes === null ? null : [...classes],
    metrics: { ...metrics },
    seed: seed as number,
    createdAt,
    finmlVersion: FINML_VERSION,
  };
}

/**
 * Checks that `p` is null or an estimator envelope (InvalidOptionError when saving,
 * SerializationError when loading); `revive`, when given, rebuilds it to prove it is not corrupt.
 */
export function checkPipelineEnvelope(p: unknown, fn: string, arg: string, onError: 'option' | 'serialization', revive?: (p: EstimatorJSON) => void): EstimatorJSON | null {
  if (p === null || p === undefined) return null;
  const ok = isRecord(p) && typeof p.kind === 'string' && typeof p.version === 'number' && 'params' in p && 'state' in p;
  if (!ok) {
    const details = { fn, arg, expected: 'null or an estimator JSON envelope { kind, version, params, state }', got: describeValue(p) };
    throw onError === 'option' ? new InvalidOptionError(details) : new SerializationError(details);
  }
  if (revive !== undefined) revive(p as unknown as EstimatorJSON); // throws SerializationError when corrupt
  return p as unknown as EstimatorJSON;
}

/** What a bundle holds besides the network's parts. */
export interface BundleContent {
  /** The model's envelope (its `state` without topology and weights is enough). */
  readonly envelope: EstimatorJSON;
  readonly parts: NetworkParts;
  readonly pipeline: EstimatorJSON | null;
  readonly metadata: BundleMetadata;
}

/**
 * Encodes a bundle as tfjs model artifacts (synchronous): `modelTopology`, `weightSpecs`,
 * `weightData` and `userDefinedMetadata.finml` ({@link BundleJSON}, sealed with content hashes).
 */
export function encodeBundleArtifacts(content: BundleContent): tf.io.ModelArtifacts {
  const { envelope, parts, pipeline, metadata } = content;
  const unsealed: BundleJSON = {
    format: BUNDLE_FORMAT,
    version: BUNDLE_VERSION,
    model: envelope,
    pipeline,
    metadata,
  };
  const weightSpecs = parts.weightSpecs.map((s) => ({ name: s.name, shape: [...s.shape], dtype: s.dtype }));
  const finml: BundleJSON = { ...unsealed, integrity: computeIntegrity(parts.modelTopology, weightSpecs, unsealed as unknown as Record<string, unknown>, parts.weightData) };
  return {
    modelTopology: parts.modelTopology as unknown as object,
    format: 'layers-model',
    generatedBy: `finml ${FINML_VERSION}`,
    convertedBy: null,
    weightSpecs,
    weightData: parts.weightData,
    userDefinedMetadata: { finml: finml as unknown as Record<string, never> },
  };
}

/** A decoded bundle: the model's envelope is untrusted (the models area restores it). */
export interface DecodedBundle {
  readonly envelope: unknown;
  readonly parts: NetworkParts;
  readonly pipeline: EstimatorJSON | null;
  readonly metadata: BundleMetadata;
}

/**
 * Decodes bundle artifacts: the format, the version (1 or 2; version 2 content hashes are
 * verified), the metadata, the pipeline envelope (rebuilt by `revivePipeline` when given) and the
 * weight manifest. Throws SerializationError naming the broken field.
 */
export function decodeBundleArtifacts(artifacts: tf.io.ModelArtifacts, fn: string, revivePipeline?: (p: EstimatorJSON) => void): DecodedBundle {
  if (!isRecord(artifacts)) throw new SerializationError({ fn, arg: 'artifacts', expected: 'tfjs model artifacts', got: describeValue(artifacts) });
  const finml = isRecord(artifacts.userDefinedMetadata) ? artifacts.userDefinedMetadata.finml : undefined;
  if (!isRecord(finml) || finml.format !== BUNDLE_FORMAT) {
    throw new SerializationError({ fn, arg: 'userDefinedMetadata.finml.format', expected: `'${BUNDLE_FORMAT}' (a bundle saved by finml)`, got: describeValue(isRecord(finml) ? finml.format : finml) });
  }
  if (!(READABLE_VERSIONS as readonly unknown[]).includes(finml.version)) {
    throw new SerializationError({ fn, arg: 'userDefinedMetadata.finml.version', expected: `${BUNDLE_VERSION} (or 1, without content hashes)`, got: describeValue(finml.version) });
  }
  const weightData = weightBuffer(artifacts.weightData, fn);
  verifyIntegrity(artifacts.modelTopology, artifacts.weightSpecs, finml, weightData, finml.version === BUNDLE_VERSION, fn);
  const metadata = readMetadata(finml.metadata, fn);
  const pipeline = checkPipelineEnvelope(finml.pipeline, fn, 'pipeline', 'serialization', revivePipeline);
  const weightSpecs = readWeightSpecs(artifacts.weightSpecs, fn, 'weightSpecs');
  return { envelope: finml.model, parts: { modelTopology: artifacts.modelTopology as unknown as JsonValue, weightSpecs, weightData }, pipeline, metadata };
}

function readMetadata(m: unknown, fn: string): BundleMetadata {
  const bad = (field: string, expected: string, v: unknown): never => {
    throw new SerializationError({ fn, arg: `metadata.${field}`, expected, got: describeValue(v) });
  };
  if (!isRecord(m)) return bad('', 'an object', m);
  if (!Array.isArray(m.featureNames) || !m.featureNames.every((s) => typeof s === 'string')) bad('featureNames', 'an array of strings', m.featureNames);
  if (m.target !== null && typeof m.target !== 'string') bad('target', 'a string or null', m.target);
  if (m.classes !== null && (!Array.isArray(m.classes) || !m.classes.every((c) => typeof c === 'number'))) bad('classes', 'an array of numbers or null', m.classes);
  if (!isRecord(m.metrics) || !Object.values(m.metrics).every((v) => typeof v === 'number')) bad('metrics', 'a record of numbers', m.metrics);
  if (typeof m.seed !== 'number' || !Number.isSafeInteger(m.seed)) bad('seed', 'a safe integer', m.seed);
  if (typeof m.createdAt !== 'string' || Number.isNaN(Date.parse(m.createdAt))) bad('createdAt', 'an ISO 8601 date string', m.createdAt);
  if (typeof m.finmlVersion !== 'string') bad('finmlVersion', 'a version string', m.finmlVersion);
  return deepFreeze(structuredClone(m) as unknown as BundleMetadata);
}

