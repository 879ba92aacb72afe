/**
 * The model bundle format: a fitted neural model + the preprocessing pipeline's JSON + metadata,
 * stored as tfjs model artifacts. The network travels as ordinary tfjs model artifacts
 * (topology + weight specs + weight bytes); the finml part ({@link BundleJSON}) rides in
 * `userDefinedMetadata.finml`, so any tfjs handler stores a bundle: in memory
 * ({@link memoryBundleStore}, `tf.io.withSaveHandler` / `tf.io.fromMemory`), the browser's
 * IndexedDB ({@link indexedDbBundleStore}), HTTP, or the file-system store `fileBundleStore(dir)`
 * of `finml/node`. `saveBundle` / `loadBundle` (finml/models) turn fitted models into bundles and back.
 *
 * @module
 */
import * as tf from '@tensorflow/tfjs-core';
import { SerializationError } from '../core/errors';
import type { EstimatorJSON } from '../core/estimator';

/** Bundle format identifier and version. @category Training */
export const BUNDLE_FORMAT = 'finml-bundle';

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

/** An in-memory bundle store: a tfjs IOHandler that keeps the last saved artifacts. @category Training */
export interface MemoryBundleStore extends tf.io.IOHandler {
  /** Stores the artifacts (called by `saveBundle`). */
  readonly save: (artifacts: tf.io.ModelArtifacts) => Promise<tf.io.SaveResult>;
  /** Reads back the stored artifacts (called by `loadBundle`); throws SerializationError when none are stored. */
  readonly load: () => Promise<tf.io.ModelArtifacts>;
  /** The stored artifacts, or null before the first save. */
  readonly artifacts: tf.io.ModelArtifacts | null;
}

/**
 * An in-memory tfjs IOHandler for bundles (browser or Node): `saveBundle(b, store)` keeps a copy
 * of the artifacts, `loadBundle(store)` restores from it. `saveRiskModel` / `loadRiskModel` use it the same way.
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

