/**
 * Saving and loading a {@link RiskModel} through tfjs IO handlers, like single-model bundles:
 * `fileBundleStore(dir)` of `finml/node`, {@link memoryBundleStore}, `indexedDbBundleStore(name)`,
 * `tf.io.withSaveHandler` / `tf.io.fromMemory`, or any browser store (`indexeddb://…`,
 * `localstorage://…` handlers). The format (layout, version, content hashes) is the io area's,
 * src/io/riskModel.ts; this module is the glue between a fitted risk model and that format: each
 * member's envelope and network parts (`exportNetwork()`) in, members restored with
 * `neuralModelFromParts` out.
 *
 * @module
 */
import type * as tf from '@tensorflow/tfjs-core';
import { InvalidOptionError, SerializationError, describeValue } from '../core/errors';
import type { EstimatorJSON, JsonValue } from '../core/estimator';
import { isRecord, loadThrough, saveThrough, splitNeural } from '../io/_internal/artifactIO';
import { decodeRiskModelArtifacts, encodeRiskModelArtifacts } from '../io/_internal/riskModelCodec';
import { FINML_VERSION } from '../io/_internal/version';
import { RISK_MODEL_FORMAT, upgradeStoredRiskModel, type RiskModelMetadata, type StoredRiskModel } from '../io/riskModel';
import { neuralModelFromPartsFor } from '../models/neuralModel';
import { riskModelFromParts, type RiskCombiner, type RiskModel, type RiskValidation } from './buildRiskModel';

export { RISK_MODEL_FORMAT };
export type { RiskModelMetadata };

/**
 * The finml part of saved risk-model artifacts, in `userDefinedMetadata.finml` (the file store's
 * `bundle.json`).
 *
 * @category Presets
 */
export interface RiskModelArtifactsJSON {
  readonly format: typeof RISK_MODEL_FORMAT;
  readonly version: number;
  readonly params: JsonValue;
  /** The fitted tabular pipeline's envelope. */
  readonly pipeline: EstimatorJSON;
  /** The fitted KernelSHAP explainer's envelope (background rows). */
  readonly explainer: EstimatorJSON;
  readonly validation: RiskValidation;
  /** The logistic-regression member's envelope. */
  readonly baseline: EstimatorJSON;
  /** The logistic GAM member's envelope (null when no column has a piecewise-linear encoding). */
  readonly gam: EstimatorJSON | null;
  /** The blend and calibration of the members. */
  readonly combiner: RiskCombiner;
  /** Each member's NeuralClassifier envelope without `topology`, `weightSpecs` and `weights`. */
  readonly members: readonly EstimatorJSON[];
  readonly metadata: RiskModelMetadata;
  /**
   * SHA-256 content hashes written at save time: of the weight bytes, and of the JSON
   * `[modelTopology, weightSpecs, this object without integrity]`. Verified on load when present.
   */
  readonly integrity?: { readonly algorithm: 'sha256'; readonly weights: string; readonly json: string };
}

/**
 * Options of {@link saveRiskModel} and {@link riskModelToArtifacts}.
 *
 * @category Presets
 */
export interface RiskModelSaveOptions {
  /** Creation time to record (ISO 8601). @defaultValue now */
  readonly createdAt?: string;
}

/**
 * What {@link loadRiskModel} and {@link riskModelFromArtifacts} return. The caller owns `model`: `dispose()` it.
 *
 * @category Presets
 */
export interface LoadedRiskModel {
  readonly model: RiskModel;
  readonly metadata: RiskModelMetadata;
}

function checkModel(model: unknown, fn: string): RiskModel {
  if (!isRecord(model) || model.kind !== 'RiskModel' || !Array.isArray(model.members)) {
    throw new InvalidOptionError({ fn, arg: 'model', expected: 'a RiskModel from buildRiskModel', got: describeValue(model) });
  }
  return model as unknown as RiskModel;
}

function resolveCreatedAt(options: unknown, fn: string): string {
  if (options === undefined) return new Date().toISOString();
  if (!isRecord(options)) throw new InvalidOptionError({ fn, arg: 'options', expected: 'an object', got: describeValue(options) });
  for (const k of Object.keys(options)) {
    if (k !== 'createdAt') throw new InvalidOptionError({ fn, arg: `options.${k}`, expected: 'a known option (createdAt)', got: 'an unknown option' });
  }
  const c = options.createdAt ?? new Date().toISOString();
  if (typeof c !== 'string' || Number.isNaN(Date.parse(c))) throw new InvalidOptionError({ fn, arg: 'options.createdAt', expected: 'an ISO 8601 date string', got: describeValue(c) });
  return c;
}

/**
 * Serialises a fitted risk model to tfjs model artifacts (synchronous; no tensors are kept): all
 * members' weights in one `weightData` buffer with `member<i>/`-prefixed weight specs, the member
 * topologies in `modelTopology`, everything else in `userDefinedMetadata.finml`
 * ({@link RiskModelArtifactsJSON}). The model is not disposed.
 *
 * @param model - A fitted {@link RiskModel}.
 * @param options - {@link RiskModelSaveOptions}.
 * @returns artifacts for any `tf.io.IOHandler`, or to keep in memory (JSON-safe apart from `weightData`).
 * @throws {InvalidOptionError} not a risk model, bad options.
 * @throws {DisposedError} the model was disposed.
 * @example
 * ```ts
 * import { buildRiskModel, riskModelToArtifacts, riskModelFromArtifacts } from 'finml';
 * import { readCsv } from 'finml/node';
 * const table = await readCsv('data/german_credit.csv');
 * const model = await buildRiskModel(table, { target: 'Class', members: 2, epochs: 5 });
 * const artifacts = riskModelToArtifacts(model);
 * artifacts.weightSpecs?.[0]?.name; // 'member0/…'
 * const { model: copy, metadata } = await riskModelFromArtifacts(artifacts);
 * metadata.classes; // ['Good', 'Bad']
 * copy.score(table)[0] === model.score(table)[0]; //=> true
 * copy.dispose();
 * model.dispose();
 * ```
 * @category Presets
 */
export function riskModelToArtifacts(model: RiskModel, options?: RiskModelSaveOptions): tf.io.ModelArtifacts {
  const fn = 'riskModelToArtifacts';
  const m = checkModel(model, fn);
  const createdAt = resolveCreatedAt(options, fn);
  const members = m.members.map((member) => splitNeural(member, fn));
  const metadata: RiskModelMetadata = {
    featureNames: Object.keys(m.pipeline.featureGroups),
    target: m.params.target,
    classes: [...m.classes],
    positive: m.positive,
    members: m.members.length,
    seed: m.params.seed,
    createdAt,
    finmlVersion: FINML_VERSION,
  };
  const fields = {
    params: structuredClone(m.params) as unknown as JsonValue,
    pipeline: m.pipeline.toJSON() as unknown as JsonValue,
    explainer: m.explainer.toJSON() as unknown as JsonValue,
    validation: structuredClone(m.validation) as unknown as JsonValue,
    baseline: m.baseline.toJSON() as unknown as JsonValue,
    gam: m.gam === null ? null : (m.gam.toJSON() as unknown as JsonValue),
    combiner: structuredClone(m.combiner) as unknown as JsonValue,
  };
  return encodeRiskModelArtifacts(fields, members, metadata);
}

/**
 * Restores a risk model from tfjs model artifacts written by {@link riskModelToArtifacts} (from
 * any handler's `load()`). Everything is validated before any network is built; a failure while
 * building disposes what was built, so corrupt input leaks no tensors.
 *
 * @param artifacts - The artifacts.
 * @returns `{ model, metadata }`; dispose `model` when done.
 * @throws {SerializationError} not a finml risk model (e.g. a single-model bundle), wrong format
 *   version, missing or malformed JSON fields, member count mismatch between the JSON, the
 *   topologies and the weight specs, truncated or oversized weight data, metadata that contradicts the model.
 * @example
 * ```ts
 * import * as tf from '@tensorflow/tfjs-core';
 * import { buildRiskModel, riskModelFromArtifacts, riskModelToArtifacts } from 'finml';
 * import { readCsv } from 'finml/node';
 * const table = await readCsv('data/german_credit.csv');
 * const model = await buildRiskModel(table, { target: 'Class', members: 2, epochs: 5 });
 * const handler = tf.io.fromMemory(riskModelToArtifacts(model)); // or any tfjs IOHandler
 * const { model: copy, metadata } = await riskModelFromArtifacts(await handler.load!());
 * metadata.members; //=> 2
 * copy.dispose();
 * model.dispose();
 * ```
 * @category Presets
 */
export async function riskModelFromArtifacts(artifacts: tf.io.ModelArtifacts): Promise<LoadedRiskModel> {
  const fn = 'riskModelFromArtifacts';
  const { finml, metadata, members, verifyIntegrity } = decodeRiskModelArtifacts(artifacts, fn);
  const stored: StoredRiskModel = { params: finml.params, pipeline: finml.pipeline, explainer: finml.explainer, validation: finml.validation, members: members.map((x) => x.envelope), baseline: finml.baseline, gam: finml.gam, combiner: finml.combiner, positive: metadata.positive };
  const model = await riskModelFromParts(
    finml.version === 2 ? upgradeStoredRiskModel(stored) : stored,
    fn,
    'userDefinedMetadata.finml.',
    (member, i) => neuralModelFromPartsFor(fn, member, (members[i] as (typeof members)[number]).parts),
  );
  const inputs = Object.keys(model.pipeline.featureGroups);
  const mismatch =
    metadata.target !== model.params.target || metadata.seed !== model.params.seed ? 'target/seed' :
    metadata.classes.join('\u0000') !== model.classes.join('\u0000') ? 'classes' :
    metadata.featureNames.join('\u0000') !== inputs.join('\u0000') ? 'featureNames' : null;
  if (mismatch !== null) {
    model.dispose();
    throw new SerializationError({ fn, arg: `userDefinedMetadata.finml.metadata`, expected: 'metadata matching the stored model', got: `a different ${mismatch}` });
  }
  try {
    verifyIntegrity();
  } catch (e) {
    model.dispose();
    throw e;
  }
  return Object.freeze({ model, metadata });
}

/**
 * Saves a fitted risk model through a tfjs save handler: `fileBundleStore(dir)` of `finml/node`
 * (writes `model.json`, `weights.bin`, `bundle.json`), {@link memoryBundleStore},
 * `tf.io.withSaveHandler(...)`, or a browser store such as `tf.io.getSaveHandlers('indexeddb://credit')[0]`.
 * See {@link riskModelToArtifacts} for the layout. The model is not disposed.
 *
 * @param model - A fitted {@link RiskModel}.
 * @param handler - A tfjs `IOHandler` with `save`.
 * @param options - {@link RiskModelSaveOptions}.
 * @returns the handler's save result.
 * @throws {InvalidOptionError} not a risk model, bad options, a handler without `save`.
 * @throws {SerializationError} the handler reported errors.
 * @throws {DisposedError} the model was disposed.
 * @example
 * ```ts
 * import { buildRiskModel, loadRiskModel, saveRiskModel } from 'finml';
 * import { fileBundleStore, readCsv } from 'finml/node';
 * const table = await readCsv('data/german_credit.csv');
 * const model = await buildRiskModel(table, { target: 'Class', members: 2, epochs: 5 });
 * await saveRiskModel(model, fileBundleStore('./credit-model'));
 * const loaded = await loadRiskModel(fileBundleStore('./credit-model'));
 * loaded.model.score(table)[0] === model.score(table)[0]; //=> true
 * loaded.model.dispose();
 * model.dispose();
 * ```
 * @category Presets
 */
export async function saveRiskModel(model: RiskModel, handler: tf.io.IOHandler, options?: RiskModelSaveOptions): Promise<tf.io.SaveResult> {
  return saveThrough(handler, () => riskModelToArtifacts(model, options), 'saveRiskModel', 'handler');
}

/**
 * Loads a risk model through a tfjs load handler (see {@link saveRiskModel}).
 *
 * @param handler - A tfjs `IOHandler` with `load`.
 * @returns `{ model, metadata }`; dispose `model` when done.
 * @throws {InvalidOptionError} a handler without `load`.
 * @throws {SerializationError} the handler failed (missing or unparseable files) or the artifacts are corrupt (see {@link riskModelFromArtifacts}).
 * @example
 * ```ts
 * import { buildRiskModel, loadRiskModel, memoryBundleStore, saveRiskModel } from 'finml';
 * import { readCsv } from 'finml/node';
 * const table = await readCsv('data/german_credit.csv');
 * const model = await buildRiskModel(table, { target: 'Class', members: 2, epochs: 5 });
 * const store = memoryBundleStore();
 * await saveRiskModel(model, store);
 * const { model: copy, metadata } = await loadRiskModel(store);
 * metadata.featureNames.length; //=> 20
 * copy.dispose();
 * model.dispose();
 * ```
 * @category Presets
 */
export async function loadRiskModel(handler: tf.io.IOHandler): Promise<LoadedRiskModel> {
  return riskModelFromArtifacts(await loadThrough(handler, 'loadRiskModel', 'handler', 'risk model'));
}

