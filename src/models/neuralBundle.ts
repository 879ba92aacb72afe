/**
 * Model bundles of fitted neural models: `saveBundle` / `loadBundle` through any tfjs IOHandler
 * (a bundle store), `bundleToArtifacts` / `bundleFromArtifacts` in memory. The format itself
 * (layout, metadata, version migration, content hashes) is the io area's (`finml/io`,
 * src/io/bundle.ts); this module is the estimator glue: a fitted model's envelope and
 * {@link NetworkParts} in, a fitted model (via `neuralModelFromParts`) out, and the check that
 * the pipeline fits the network.
 *
 * @module
 */
import type * as tf from '@tensorflow/tfjs-core';
import { InvalidOptionError, SerializationError, describeValue } from '../core/errors';
import { deepFreeze, type EstimatorJSON } from '../core/estimator';
import { DATA_KINDS } from '../data/registry';
import type { BundleMetadata } from '../io/bundle';
import { checkPipelineEnvelope, decodeBundleArtifacts, encodeBundleArtifacts, resolveBundleMetadata } from '../io/_internal/bundleCodec';
import { isRecord, loadThrough, saveThrough, splitNeural } from '../io/_internal/artifactIO';
import type { NetworkParts } from '../io/networkParts';
import { neuralModelFromPartsFor, type FittedNeuralModel } from './neuralModel';

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

/** Rebuilds a pipeline envelope of a known data kind (throws SerializationError when corrupt). */
function reviveKnownPipeline(p: EstimatorJSON): void {
  const revive = DATA_KINDS[p.kind];
  if (revive !== undefined) revive(p);
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
  const model = bundle.model;
  const defaults = { classes: model.kind === 'NeuralClassifier' ? model.classes : null, seed: isRecord(model.params) ? model.params.seed : undefined };
  const metadata = resolveBundleMetadata(bundle.metadata, defaults, fn);
  // The network as tfjs artifacts (raw weight bytes, not the envelope's base64), through the model's public exportNetwork().
  const { envelope, parts } = splitNeural(model, fn, 'bundle.model');
  return encodeBundleArtifacts({ envelope, parts, pipeline, metadata });
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
  const { envelope, parts, pipeline, metadata } = decodeBundleArtifacts(artifacts, fn, reviveKnownPipeline);
  const model = await neuralModelFromPartsFor(fn, envelope, parts);
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

/**
 * Saves a bundle through a tfjs save handler: `memoryBundleStore()`, `fileBundleStore(dir)`
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

