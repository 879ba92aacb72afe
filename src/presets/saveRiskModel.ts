/**
 * Saving and loading a {@link RiskModel} through tfjs IO handlers, like single-model bundles:
 * `fileBundleStore(dir)` of `finml/node`, {@link memoryBundleStore}, `tf.io.withSaveHandler` /
 * `tf.io.fromMemory`, or any browser store (`indexeddb://…`, `localstorage://…` handlers).
 *
 * Layout of the tfjs model artifacts (format `'finml-risk-model'`, version 3; version 2, without the GAM member, still loads):
 * - `weightData`: ONE buffer, the float32 weights of member 0, then member 1, … (raw bytes, no base64);
 * - `weightSpecs`: the tfjs manifest of those bytes, in order; every name is prefixed with its
 *   member, `member<i>/<weight name>`, which gives the per-member weight specs and byte ranges;
 * - `modelTopology`: `{ format: 'finml-risk-model', members: [<tfjs-layers topology of member i>] }`;
 * - `userDefinedMetadata.finml` ({@link RiskModelArtifactsJSON}): params, the fitted pipeline's and
 *   SHAP explainer's envelopes, the validation metrics, each member's envelope without topology
 *   and weights, and metadata (input columns, target, class labels, seed, createdAt, finml version).
 *
 * The file store writes these as `model.json` (topology + weight manifest), `weights.bin` and
 * `bundle.json` (the finml part).
 *
 * @module
 */
import type * as tf from '@tensorflow/tfjs-core';
import { InvalidOptionError, SerializationError, describeValue } from '../core/errors';
import { deepFreeze, type EstimatorJSON, type JsonValue } from '../core/estimator';
import { computeIntegrity, isRecord, loadThrough, saveThrough, splitNeural, verifyIntegrity, weightBuffer } from '../io/_internal/artifactIO';
import { expectedWeightBytes, readWeightSpecs, type WeightSpec } from '../io/_internal/modelArtifacts';
import { FINML_VERSION } from '../io/_internal/version';
import { restoreNeural } from '../models/neuralModel';
import { restoreRiskModel, upgradeStoredRiskModel, type RiskCombiner, type RiskModel, type RiskValidation, type StoredRiskModel } from './buildRiskModel';

/** Format identifier of saved risk models (artifacts `format` and `userDefinedMetadata.finml.format`). @category Presets */
export const RISK_MODEL_FORMAT = 'finml-risk-model';
const RISK_MODEL_FORMAT_VERSION = 3;
const MEMBER_PREFIX = 'member';

/**
 * Metadata stored with a saved risk model.
 *
 * @category Presets
 */
export interface RiskModelMetadata {
  /** The raw input columns the model scores (the pipeline's input columns, in order). */
  readonly featureNames: readonly string[];
  /** The target column the model was trained on. */
  readonly target: string;
  /** `[nonDefaultLabel, defaultLabel]`. */
  readonly classes: readonly string[];
  /** The label modelled as default (`classes[1]`). */
  readonly positive: string;
  /** Number of ensemble members. */
  readonly members: number;
  /** The model's seed. */
  readonly seed: number;
  /** ISO 8601 time of saving (or the `createdAt` given to {@link saveRiskModel}). */
  readonly createdAt: string;
  /** finml version that wrote the artifacts. */
  readonly finmlVersion: string;
}

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
  const envelopes: EstimatorJSON[] = [];
  const topologies: JsonValue[] = [];
  const specs: WeightSpec[] = [];
  const chunks: Uint8Array[] = [];
  m.members.forEach((member, i) => {
    const { envelope, parts } = splitNeural(member, fn);
    envelopes.push(envelope);
    topologies.push(parts.modelTopology);
    for (const s of parts.weightSpecs) specs.push({ name: `${MEMBER_PREFIX}${i}/${s.name}`, shape: [...s.shape], dtype: s.dtype });
    chunks.push(new Uint8Array(parts.weightData));
  });
  const weightData = new Uint8Array(chunks.reduce((a, c) => a + c.byteLength, 0));
  let off = 0;
  for (const c of chunks) {
    weightData.set(c, off);
    off += c.byteLength;
  }
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
  const finml: RiskModelArtifactsJSON = {
    format: RISK_MODEL_FORMAT,
    version: RISK_MODEL_FORMAT_VERSION,
    params: structuredClone(m.params) as unknown as JsonValue,
    pipeline: m.pipeline.toJSON(),
    explainer: m.explainer.toJSON(),
    validation: structuredClone(m.validation),
    baseline: m.baseline.toJSON(),
    gam: m.gam === null ? null : m.gam.toJSON(),
    combiner: structuredClone(m.combiner),
    members: envelopes,
    metadata,
  };
  return sealRiskArtifacts({
    modelTopology: { format: RISK_MODEL_FORMAT, members: topologies },
    format: RISK_MODEL_FORMAT,
    generatedBy: `finml ${FINML_VERSION}`,
    convertedBy: null,
    weightSpecs: specs.map((s) => ({ name: s.name, shape: [...s.shape], dtype: s.dtype })),
    weightData: weightData.buffer,
    userDefinedMetadata: { finml: finml as unknown as Record<string, never> },
  });
}

/** Adds the SHA-256 content hashes (`finml.integrity`) to freshly built risk-model artifacts. */
function sealRiskArtifacts(a: tf.io.ModelArtifacts): tf.io.ModelArtifacts {
  const finml = (a.userDefinedMetadata as { finml: Record<string, unknown> }).finml;
  const integrity = computeIntegrity(a.modelTopology, a.weightSpecs, finml, a.weightData as ArrayBuffer);
  return { ...a, userDefinedMetadata: { finml: { ...finml, integrity } as unknown as Record<string, never> } };
}

/**
 * Verifies the content hashes of loaded risk-model artifacts (when the saver wrote them). Runs
 * after the structural checks (which name the broken field); the topology budget has already
 * bounded what was built.
 */
function verifyRiskArtifacts(artifacts: tf.io.ModelArtifacts, finml: Record<string, unknown>, weightData: ArrayBuffer, fn: string): void {
  verifyIntegrity(artifacts.modelTopology, artifacts.weightSpecs, finml, weightData, false, fn);
}

function readMetadata(v: unknown, fn: string): RiskModelMetadata {
  const bad = (field: string, expected: string, got: unknown): never => {
    throw new SerializationError({ fn, arg: `userDefinedMetadata.finml.metadata${field === '' ? '' : `.${field}`}`, expected, got: describeValue(got) });
  };
  if (!isRecord(v)) return bad('', 'an object', v);
  const strings = (x: unknown): boolean => Array.isArray(x) && x.every((s) => typeof s === 'string');
  if (!strings(v.featureNames)) bad('featureNames', 'an array of strings', v.featureNames);
  if (typeof v.target !== 'string') bad('target', 'a string', v.target);
  if (!strings(v.classes) || (v.classes as unknown[]).length !== 2) bad('classes', 'two class labels', v.classes);
  if (v.positive !== (v.classes as unknown[])[1]) bad('positive', 'the default label, classes[1]', v.positive);
  if (!Number.isInteger(v.members) || (v.members as number) < 1) bad('members', 'an integer >= 1', v.members);
  if (!Number.isSafeInteger(v.seed)) bad('seed', 'a safe integer', v.seed);
  if (typeof v.createdAt !== 'string' || Number.isNaN(Date.parse(v.createdAt))) bad('createdAt', 'an ISO 8601 date string', v.createdAt);
  if (typeof v.finmlVersion !== 'string') bad('finmlVersion', 'a version string', v.finmlVersion);
  return deepFreeze(structuredClone(v) as unknown as RiskModelMetadata);
}

/** Per-member weight specs (prefix stripped) and byte ranges, from the one prefixed manifest. */
function splitSpecs(specs: readonly WeightSpec[], n: number, fn: string): { readonly specs: WeightSpec[]; readonly start: number; readonly end: number }[] {
  const out = Array.from({ length: n }, () => ({ specs: [] as WeightSpec[], start: 0, end: 0 }));
  let member = 0;
  let off = 0;
  specs.forEach((s, k) => {
    const m = /^member(\d+)\/(.+)$/.exec(s.name);
    const i = m === null ? Number.NaN : Number(m[1]);
    if (m === null || !Number.isInteger(i) || i < member || i >= n) {
      throw new SerializationError({
        fn,
        arg: `weightSpecs[${k}].name`,
        expected: `'member<i>/<weight>' with members in order 0..${n - 1} (as many members as userDefinedMetadata.finml.members)`,
        got: describeValue(s.name),
      });
    }
    if (i > member) {
      (out[member] as { end: number }).end = off;
      for (let j = member + 1; j <= i; j++) (out[j] as { start: number }).start = off;
      member = i;
    }
    const bytes = expectedWeightBytes([s]);
    (out[i] as { specs: WeightSpec[] }).specs.push({ name: m[2] as string, shape: s.shape, dtype: s.dtype });
    off += bytes;
  });
  (out[member] as { end: number }).end = off;
  for (let j = member + 1; j < n; j++) Object.assign(out[j] as object, { start: off, end: off });
  const empty = out.findIndex((g) => g.specs.length === 0);
  if (empty >= 0) {
    throw new SerializationError({ fn, arg: 'weightSpecs', expected: `weights for each of the ${n} members`, got: `no weights for member ${empty}` });
  }
  return out;
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
  if (!isRecord(artifacts)) throw new SerializationError({ fn, arg: 'artifacts', expected: 'tfjs model artifacts', got: describeValue(artifacts) });
  const finml = isRecord(artifacts.userDefinedMetadata) ? artifacts.userDefinedMetadata.finml : undefined;
  if (!isRecord(finml) || finml.format !== RISK_MODEL_FORMAT) {
    const got = isRecord(finml) ? finml.format : finml;
    throw new SerializationError({
      fn,
      arg: 'userDefinedMetadata.finml.format',
      expected: `'${RISK_MODEL_FORMAT}' (a risk model saved by saveRiskModel)`,
      got: got === 'finml-bundle' ? "'finml-bundle', a single-model bundle: load it with loadBundle" : describeValue(got),
    });
  }
  if (finml.version !== RISK_MODEL_FORMAT_VERSION && finml.version !== 2) {
    throw new SerializationError({ fn, arg: 'userDefinedMetadata.finml.version', expected: `2 or ${RISK_MODEL_FORMAT_VERSION}`, got: describeValue(finml.version) });
  }
  const metadata = readMetadata(finml.metadata, fn);
  const members = finml.members;
  if (!Array.isArray(members) || members.length === 0) {
    throw new SerializationError({ fn, arg: 'userDefinedMetadata.finml.members', expected: 'a non-empty array of member envelopes', got: describeValue(members) });
  }
  const n = members.length;
  if (metadata.members !== n) {
    throw new SerializationError({ fn, arg: 'userDefinedMetadata.finml.metadata.members', expected: `${n} (the number of member envelopes)`, got: describeValue(metadata.members) });
  }
  const topo = artifacts.modelTopology as unknown;
  const topologies = isRecord(topo) ? topo.members : undefined;
  if (!isRecord(topo) || topo.format !== RISK_MODEL_FORMAT || !Array.isArray(topologies)) {
    throw new SerializationError({ fn, arg: 'modelTopology', expected: `{ format: '${RISK_MODEL_FORMAT}', members: [topologies] }`, got: describeValue(topo) });
  }
  if (topologies.length !== n) {
    throw new SerializationError({ fn, arg: 'modelTopology.members', expected: `${n} member topologies (one per member envelope)`, got: `${topologies.length}` });
  }
  const specs = readWeightSpecs(artifacts.weightSpecs, fn, 'weightSpecs');
  const weightData = weightBuffer(artifacts.weightData, fn);
  const want = expectedWeightBytes(specs);
  if (weightData.byteLength !== want) {
    throw new SerializationError({ fn, arg: 'weightData', expected: `${want} bytes (as listed in weightSpecs)`, got: `${weightData.byteLength} bytes (truncated or corrupt)` });
  }
  const groups = splitSpecs(specs, n, fn);
  const stored: StoredRiskModel = { params: finml.params, pipeline: finml.pipeline, explainer: finml.explainer, validation: finml.validation, members, baseline: finml.baseline, gam: finml.gam, combiner: finml.combiner, positive: metadata.positive };
  const model = await restoreRiskModel(
    finml.version === 2 ? upgradeStoredRiskModel(stored) : stored,
    fn,
    'userDefinedMetadata.finml.',
    (member, i) => {
      const g = groups[i] as (typeof groups)[number];
      return restoreNeural(member, { modelTopology: topologies[i] as JsonValue, weightSpecs: g.specs, weightData: weightData.slice(g.start, g.end) }, fn);
    },
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
    verifyRiskArtifacts(artifacts, finml, weightData, fn);
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

