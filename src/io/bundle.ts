/**
 * Model bundles: a fitted neural model + the preprocessing pipeline's JSON + metadata, saved and
 * loaded through tfjs IO handlers (`tf.io.IOHandler`). The network travels as ordinary tfjs model
 * artifacts (topology + weight specs + weight bytes); the finml part rides in
 * `userDefinedMetadata.finml`, so any tfjs handler works: in memory (`tf.io.withSaveHandler` /
 * `tf.io.fromMemory`, or {@link memoryBundleStore}), browser storage, HTTP, or the file-system
 * store `fileBundleStore(dir)` of `finml/node`.
 *
 * @module
 */
import * as tf from '@tensorflow/tfjs-core';
import { InvalidOptionError, SerializationError, describeValue } from '../core/errors';
import { deepFreeze, type EstimatorJSON, type JsonValue } from '../core/estimator';
import { DATA_KINDS } from '../data/registry';
import { computeIntegrity, isRecord, loadThrough, saveThrough, splitNeural, verifyIntegrity, weightBuffer } from './_internal/artifactIO';
import { readWeightSpecs } from './_internal/modelArtifacts';
import { FINML_VERSION } from './_internal/version';
import { restoreNeural, type FittedNeuralModel } from '../models/neuralModel';

/** Bundle format identifier and version. @category Training */
export const BUNDLE_FORMAT = 'finml-bundle';
/** Version 2 adds the SHA-256 content hashes (`integrity`); version 1 bundles (without) still load. */
const BUNDLE_VERSION = 2;

/** Metadata stored with a bundle. @category Training */
export interface BundleMetadata {
  /** Names of the raw input columns the pipeline expects. */
  readonly featureNames: readonly string[];
  /** Name of the target column, if any. */
  readonly target: string | null;
  /** Class labels of a classifier (copied from the model when omitted), else null. */
  readonly classes: readonly number[] | null;
  /** Evaluation metrics, e.g. `{ auc: 0.79 }`. */
  readonly metrics: Readonly<Record<string, number>>;
  /** Seed of the model (copied from the model's params when omitted). */
  readonly seed: number;
  /** ISO 8601 creation time (now when omitted). */
  readonly createdAt: string;
  /** finml version that wrote the bundle (always set by finml). */
  readonly finmlVersion: string;
}

/** What {@link saveBundle} / {@link bundleToArtifacts} take. @category Training */
export interface Bundle {
  /** The fitted network (not disposed by saving). */
  readonly model: FittedNeuralModel;
  /** The fitted preprocessing pipeline's `toJSON()` (any EstimatorJSON from src/data), or null. */
  readonly pipeline?: EstimatorJSON | null;
  /** Metadata; `finmlVersion` is always written by finml. */
  readonly metadata?: Partial<Omit<BundleMetadata, 'finmlVersion'>>;
}

/** What {@link loadBundle} / {@link bundleFromArtifacts} return. The caller owns (and disposes) `model`. @category Training */
export interface LoadedBundle {
  readonly model: FittedNeuralModel;
  readonly pipeline: EstimatorJSON | null;
  readonly metadata: BundleMetadata;
}

/** The finml part of a bundle, stored in `userDefinedMetadata.finml` (and as bundle.json by the file store). @category Training */
export interface BundleJSON {
  readonly format: typeof BUNDLE_FORMAT;
  readonly version: number;
  /** The model's envelope without topology and weights (these are the tfjs artifacts). */
  readonly model: EstimatorJSON;
  readonly pipeline: EstimatorJSON | null;
  readonly metadata: BundleMetadata;
  /**
   * SHA-256 content hashes written at save time (version 2): of the weight bytes, and of the JSON
   * `[modelTopology, weightSpecs, this object without integrity]`. Loading verifies both.
   */
  readonly integrity?: { readonly algorithm: 'sha256'; readonly weights: string; readonly json: string };
}

function resolveMetadata(b: Bundle, fn: string): BundleMetadata {
  const m = b.metadata ?? {};
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
  const modelClasses = b.model.kind === 'NeuralClassifier' ? b.model.classes : null;
  const classes = m.classes === undefined ? modelClasses : m.classes;
  if (classes !== null && (!Array.isArray(classes) || !classes.every((c) => typeof c === 'number' && Number.isFinite(c)))) {
    throw new InvalidOptionError({ fn, arg: 'metadata.classes', expected: 'an array of finite numbers or null', got: describeValue(classes) });
  }
  const metrics = m.metrics ?? {};
  if (!isRecord(metrics) || !Object.values(metrics).every((v) => typeof v === 'number' && Number.isFinite(v))) {
    throw new InvalidOptionError({ fn, arg: 'metadata.metrics', expected: 'a record of finite numbers', got: describeValue(metrics) });
  }
  const seed = m.seed ?? b.model.params.seed;
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
    seed,
    createdAt,
    finmlVersion: FINML_VERSION,
  };
}

function checkPipelineEnvelope(p: unknown, fn: string, arg: string, onError: 'option' | 'serialization'): EstimatorJSON | null {
  if (p === null || p === undefined) return null;
  const ok = isRecord(p) && typeof p.kind === 'string' && typeof p.version === 'number' && 'params' in p && 'state' in p;
  if (!ok) {
    const details = { fn, arg, expected: 'null or an estimator JSON envelope { kind, version, params, state }', got: describeValue(p) };
    throw onError === 'option' ? new InvalidOptionError(details) : new SerializationError(details);
  }
  const revive = DATA_KINDS[(p as { kind: string }).kind];
  if (revive !== undefined && onError === 'serialization') revive(p); // throws SerializationError when corrupt
  return p as unknown as EstimatorJSON;
}

/**
 * Serialises a bundle to tfjs model artifacts (synchronous, no tensors created): `modelTopology`,
 * `weightSpecs`, `weightData` and `userDefinedMetadata.finml` ({@link BundleJSON}).
 *
 * @param bundle - `{ model, pipeline?, metadata? }`.
 * @returns artifacts for any `tf.io.IOHandler` (or keep them in memory).
 * @throws {InvalidOptionError} malformed pipeline or metadata.
 * @throws {DisposedError} when the model is disposed.
 * @example
 * ```ts
 * import { bundleToArtifacts, bundleFromArtifacts, neuralClassifier, standardScaler } from 'finml';
 * const x = [[0.1, 1], [0.9, 0], [0.2, 1], [0.8, 0], [0.3, 1], [0.7, 0]];
 * const fitted = await neuralClassifier({ model: { type: 'fnn', hidden: [4] }, train: { epochs: 2 }, seed: 1 }).fit(x, [0, 1, 0, 1, 0, 1]);
 * const pipe = standardScaler().fit(x);
 * const featureNames = ['utilization', 'onTime'];
 * const artifacts = bundleToArtifacts({ model: fitted, pipeline: pipe.toJSON(), metadata: { featureNames } });
 * const copy = await bundleFromArtifacts(artifacts);
 * copy.model.dispose();
 * ```
 * @category Training
 */
export function bundleToArtifacts(bundle: Bundle): tf.io.ModelArtifacts {
  const fn = 'bundleToArtifacts';
  if (!isRecord(bundle) || !isRecord(bundle.model) || typeof (bundle.model as { toJSON?: unknown }).toJSON !== 'function') {
    throw new InvalidOptionError({ fn, arg: 'bundle.model', expected: 'a fitted neural model', got: describeValue(isRecord(bundle) ? bundle.model : bundle) });
  }
  const pipeline = checkPipelineEnvelope(bundle.pipeline, fn, 'bundle.pipeline', 'option');
  const metadata = resolveMetadata(bundle, fn);
  // The network as tfjs artifacts (raw weight bytes, not the envelope's base64).
  const { envelope, parts } = splitNeural(bundle.model, fn);
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

/**
 * Restores a bundle from tfjs model artifacts written by {@link bundleToArtifacts}.
 *
 * @param artifacts - Artifacts from any tfjs load handler (`handler.load()`).
 * @returns `{ model, pipeline, metadata }`; dispose `model` when done.
 * @throws {SerializationError} not a finml bundle, wrong format/version, corrupt metadata,
 *   truncated or mismatched weights, a corrupt pipeline envelope.
 * @example
 * ```ts
 * import * as tf from '@tensorflow/tfjs-core';
 * import { bundleFromArtifacts, bundleToArtifacts, neuralClassifier } from 'finml';
 * const x = [[0.1, 1], [0.9, 0], [0.2, 1], [0.8, 0], [0.3, 1], [0.7, 0]];
 * const fitted = await neuralClassifier({ model: { type: 'fnn', hidden: [4] }, train: { epochs: 2 }, seed: 1 }).fit(x, [0, 1, 0, 1, 0, 1]);
 * const artifacts = bundleToArtifacts({ model: fitted }); // or artifacts from any tfjs IOHandler
 * const { model, pipeline, metadata } = await bundleFromArtifacts(await tf.io.fromMemory(artifacts).load!());
 * model.dispose(); fitted.dispose();
 * ```
 * @category Training
 */
export async function bundleFromArtifacts(artifacts: tf.io.ModelArtifacts): Promise<LoadedBundle> {
  const fn = 'bundleFromArtifacts';
  if (!isRecord(artifacts)) throw new SerializationError({ fn, arg: 'artifacts', expected: 'tfjs model artifacts', got: describeValue(artifacts) });
  const finml = isRecord(artifacts.userDefinedMetadata) ? artifacts.userDefinedMetadata.finml : undefined;
  if (!isRecord(finml) || finml.format !== BUNDLE_FORMAT) {
    throw new SerializationError({ fn, arg: 'userDefinedMetadata.finml.format', expected: `'${BUNDLE_FORMAT}' (a bundle saved by finml)`, got: describeValue(isRecord(finml) ? finml.format : finml) });
  }
  if (finml.version !== BUNDLE_VERSION && finml.version !== 1) {
    throw new SerializationError({ fn, arg: 'userDefinedMetadata.finml.version', expected: `${BUNDLE_VERSION} (or 1, without content hashes)`, got: describeValue(finml.version) });
  }
  const weightData = weightBuffer(artifacts.weightData, fn);
  verifyIntegrity(artifacts.modelTopology, artifacts.weightSpecs, finml, weightData, finml.version === BUNDLE_VERSION, fn);
  const metadata = readMetadata(finml.metadata, fn);
  const pipeline = checkPipelineEnvelope(finml.pipeline, fn, 'pipeline', 'serialization');
  const weightSpecs = readWeightSpecs(artifacts.weightSpecs, fn, 'weightSpecs');
  const model = await restoreNeural(finml.model, { modelTopology: artifacts.modelTopology as unknown as JsonValue, weightSpecs, weightData }, fn);
  const mismatch = widthMismatch(pipeline, metadata, model);
  if (mismatch !== null) {
    model.dispose();
    throw new SerializationError({ fn, ...mismatch });
  }
  return Object.freeze({ model, pipeline: pipeline === null ? null : deepFreeze(structuredClone(pipeline)), metadata });
}

/** Input/output widths of a revived pipeline envelope (null when the kind has no known width). */
function pipelineWidths(p: EstimatorJSON): { readonly inputs: number; readonly outputs: number; readonly columns: readonly string[] | null } | null {
  const revive = DATA_KINDS[p.kind];
  if (revive === undefined) return null;
  const f = revive(p) as { nFeaturesIn?: unknown; nFeaturesOut?: unknown; featureGroups?: unknown };
  if (typeof f.nFeaturesOut !== 'number') return null;
  if (isRecord(f.featureGroups)) {
    const columns = Object.keys(f.featureGroups);
    return { inputs: columns.length, outputs: f.nFeaturesOut, columns };
  }
  return typeof f.nFeaturesIn === 'number' ? { inputs: f.nFeaturesIn, outputs: f.nFeaturesOut, columns: null } : null;
}

/**
 * The first disagreement between the network's input width, the pipeline's widths and the
 * metadata's featureNames (a bundle mixed from different saves or edited by hand), or null.
 */
function widthMismatch(pipeline: EstimatorJSON | null, metadata: BundleMetadata, model: FittedNeuralModel): { arg: string; expected: string; got: string } | null {
  const shape = model.inputShape;
  const flat = shape.reduce((a, b) => a * b, 1);
  const last = shape[shape.length - 1] as number;
  const fitsNetwork = (w: number): boolean => w === flat || w === last;
  const names = metadata.featureNames;
  const widths = pipeline === null ? null : pipelineWidths(pipeline);
  if (widths !== null) {
    if (!fitsNetwork(widths.outputs)) {
      return { arg: 'pipeline', expected: `a pipeline producing the network's ${last} input columns`, got: `a pipeline producing ${widths.outputs} columns` };
    }
    if (names.length > 0 && names.length !== widths.inputs) {
      return { arg: 'metadata.featureNames', expected: `${widths.inputs} names (the pipeline's input columns)`, got: `${names.length} names` };
    }
    if (names.length > 0 && widths.columns !== null && widths.columns.some((c, i) => c !== names[i])) {
      return { arg: 'metadata.featureNames', expected: `the pipeline's input columns ${JSON.stringify(widths.columns)}`, got: JSON.stringify(names) };
    }
    return null;
  }
  if (pipeline === null && names.length > 0 && !fitsNetwork(names.length)) {
    return { arg: 'metadata.featureNames', expected: `${last} names (the network's input columns)`, got: `${names.length} names` };
  }
  return null;
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

/**
 * Saves a bundle through a tfjs save handler: {@link memoryBundleStore}, `fileBundleStore(dir)`
 * from `finml/node`, `tf.io.withSaveHandler(...)`, `tf.io.browserLocalStorage(...)`-style handlers.
 *
 * @param bundle - `{ model, pipeline?, metadata? }`.
 * @param target - A tfjs `IOHandler` with `save`.
 * @returns the handler's save result.
 * @throws {InvalidOptionError} invalid bundle or a handler without `save`.
 * @throws {SerializationError} when the handler reports errors.
 * @example
 * ```ts
 * import { neuralClassifier, saveBundle, loadBundle, standardScaler } from 'finml';
 * import { fileBundleStore } from 'finml/node';
 * const x = [[0.1, 1], [0.9, 0], [0.2, 1], [0.8, 0], [0.3, 1], [0.7, 0]];
 * const fitted = await neuralClassifier({ model: { type: 'fnn', hidden: [4] }, train: { epochs: 2 }, seed: 1 }).fit(x, [0, 1, 0, 1, 0, 1]);
 * const pipe = standardScaler().fit(x);
 * const featureNames = ['utilization', 'onTime'];
 * await saveBundle({ model: fitted, pipeline: pipe.toJSON(), metadata: { featureNames, target: 'Class' } }, fileBundleStore('./risk-model'));
 * const loaded = await loadBundle(fileBundleStore('./risk-model'));
 * ```
 * @category Training
 */
export async function saveBundle(bundle: Bundle, target: tf.io.IOHandler): Promise<tf.io.SaveResult> {
  return saveThrough(target, () => bundleToArtifacts(bundle), 'saveBundle', 'target');
}

/**
 * Loads a bundle through a tfjs load handler (see {@link saveBundle}).
 *
 * @param source - A tfjs `IOHandler` with `load`.
 * @returns `{ model, pipeline, metadata }`; dispose `model` when done.
 * @throws {InvalidOptionError} a handler without `load`.
 * @throws {SerializationError} missing files, corrupt or truncated data, wrong format or version.
 * @example
 * ```ts
 * import { loadBundle, memoryBundleStore } from 'finml';
 * const store = memoryBundleStore(); // or fileBundleStore(dir) from 'finml/node', or your own BundleStore
 * // ... after saveBundle(bundle, store):
 * const { model, pipeline, metadata } = await loadBundle(store);
 * ```
 * @category Training
 */
export async function loadBundle(source: tf.io.IOHandler): Promise<LoadedBundle> {
  return bundleFromArtifacts(await loadThrough(source, 'loadBundle', 'source', 'bundle'));
}

/** An in-memory bundle store: a tfjs IOHandler that keeps the last saved artifacts. @category Training */
export interface MemoryBundleStore extends tf.io.IOHandler {
  /** Stores the artifacts (called by {@link saveBundle}). */
  readonly save: (artifacts: tf.io.ModelArtifacts) => Promise<tf.io.SaveResult>;
  /** Reads back the stored artifacts (called by {@link loadBundle}); throws SerializationError when none are stored. */
  readonly load: () => Promise<tf.io.ModelArtifacts>;
  /** The stored artifacts, or null before the first save. */
  readonly artifacts: tf.io.ModelArtifacts | null;
}

/**
 * An in-memory tfjs IOHandler for bundles (browser or Node): `saveBundle(b, store)` keeps a copy
 * of the artifacts, `loadBundle(store)` restores from it.
 *
 * @returns a new, empty store.
 * @example
 * ```ts
 * import { memoryBundleStore, neuralClassifier, saveBundle, loadBundle } from 'finml';
 * const x = [[0.1, 1], [0.9, 0], [0.2, 1], [0.8, 0], [0.3, 1], [0.7, 0]];
 * const fitted = await neuralClassifier({ model: { type: 'fnn', hidden: [4] }, train: { epochs: 2 }, seed: 1 }).fit(x, [0, 1, 0, 1, 0, 1]);
 * const store = memoryBundleStore();
 * await saveBundle({ model: fitted }, store);
 * const { model } = await loadBundle(store);
 * ```
 * @category Training
 */
export function memoryBundleStore(): MemoryBundleStore {
  let stored: tf.io.ModelArtifacts | null = null;
  const copy = (a: tf.io.ModelArtifacts): tf.io.ModelArtifacts => {
    const wd = a.weightData;
    const weightData = wd === undefined ? undefined : Array.isArray(wd) ? tf.io.CompositeArrayBuffer.join(wd) : wd.slice(0);
    const { weightData: _omit, ...rest } = a;
    void _omit;
    const out: tf.io.ModelArtifacts = structuredClone(rest);
    if (weightData !== undefined) out.weightData = weightData;
    return out;
  };
  return Object.freeze({
    async save(artifacts: tf.io.ModelArtifacts): Promise<tf.io.SaveResult> {
      stored = copy(artifacts);
      const bytes = stored.weightData instanceof ArrayBuffer ? stored.weightData.byteLength : 0;
      return { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON', weightDataBytes: bytes } };
    },
    async load(): Promise<tf.io.ModelArtifacts> {
      if (stored === null) throw new SerializationError({ fn: 'memoryBundleStore.load', arg: 'store', expected: 'a saved bundle', got: 'an empty store' });
      return copy(stored);
    },
    get artifacts(): tf.io.ModelArtifacts | null {
      return stored;
    },
  });
}

