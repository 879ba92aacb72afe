/**
 * The model directory written by `finml train` and read by `finml predict` / `finml explain`:
 * the {@link RiskModel} saved with `saveRiskModel(model, fileBundleStore(dir))` — `model.json`
 * (member topologies + weight manifest), `weights.bin` (all members' float32 weights) and
 * `bundle.json` (pipeline, SHAP background, params, validation metrics, metadata); reload it in
 * code with `loadRiskModel(fileBundleStore(dir))` — plus `metrics.json` (held-out metrics) and
 * `report.html` (self-contained model report). Directories of the previous CLI format (one
 * `riskModel.json` envelope) are still read.
 *
 * @module
 */
import { access, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { DataError, FinmlError, SerializationError, describeValue } from '../core/errors';
import { BUNDLE_FILES, fileBundleStore, fileBundleStoreWith } from '../node/fileBundleStore';
import { BUNDLE_FORMAT } from '../io/bundle';
import { loadRiskModel, riskModelFromJSON, saveRiskModel, type RiskModel } from '../presets/index';

/**
 * File names of a model directory (`legacyModel`: the single-envelope file of earlier versions, read only).
 * @category CLI
 */
export const MODEL_DIR_FILES = Object.freeze({
  model: BUNDLE_FILES.model,
  weights: BUNDLE_FILES.weights,
  bundle: BUNDLE_FILES.bundle,
  metrics: 'metrics.json',
  report: 'report.html',
  legacyModel: 'riskModel.json',
});

/**
 * Saves the risk model into `dir` (created if missing) through `fileBundleStore(dir)`:
 * `model.json`, `weights.bin`, `bundle.json`, plus `companions` (e.g. metrics.json, report.html),
 * all in one atomic directory swap.
 *
 * @param dir - Model directory.
 * @param model - A fitted risk model (not disposed).
 * @param companions - Extra files written with the model.
 * @returns Resolves when the files are written.
 * @example
 * ```ts
 * await saveModelDir('credit-model', model);
 * ```
 * @category CLI
 */
export async function saveModelDir(dir: string, model: RiskModel, companions: readonly { readonly name: string; readonly data: string }[] = []): Promise<void> {
  await saveRiskModel(model, fileBundleStoreWith(dir, { extraFiles: companions }));
}

/**
 * Which kind of model a directory holds: `'bundle'` when its bundle.json is a library bundle
 * (`format: 'finml-bundle'`, written by `finml train --task regression|multiclass`), else
 * `'risk'` (a risk model, or a missing/corrupt directory, which {@link loadModelDir} reports).
 *
 * @param dir - Model directory.
 * @returns `'bundle'` or `'risk'`.
 * @example
 * ```ts
 * await modelDirKind('credit-model'); //=> 'risk'
 * ```
 * @category CLI
 */
export async function modelDirKind(dir: string): Promise<'bundle' | 'risk'> {
  let json: unknown;
  try {
    json = JSON.parse(await readFile(join(dir, MODEL_DIR_FILES.bundle), 'utf8'));
  } catch {
    return 'risk';
  }
  return typeof json === 'object' && json !== null && (json as { format?: unknown }).format === BUNDLE_FORMAT ? 'bundle' : 'risk';
}

const exists = (p: string): Promise<boolean> =>
  access(p).then(
    () => true,
    () => false,
  );

/**
 * Loads the risk model of a model directory written by `finml train`. The caller disposes it.
 *
 * @param dir - Model directory.
 * @param fn - Command name used in error messages, e.g. `'finml predict'`.
 * @returns The restored model.
 * @throws {DataError} the directory or its model files do not exist (a directory of the first
 * CLI format, with a finml-cli-model model.json only, is named as such).
 * @throws {SerializationError} corrupt, truncated or unparseable model files (the message of
 * `loadRiskModel` / `riskModelFromJSON` is included).
 * @example
 * ```ts
 * const model = await loadModelDir('credit-model', 'finml predict');
 * model.score(table);
 * model.dispose();
 * ```
 * @category CLI
 */
export async function loadModelDir(dir: string, fn: string): Promise<RiskModel> {
  const bundlePath = join(dir, MODEL_DIR_FILES.bundle);
  const legacyPath = join(dir, MODEL_DIR_FILES.legacyModel);
  const corrupt = (path: string, what: string, detail: string, cause: unknown): SerializationError =>
    new SerializationError({ fn, arg: 'model-dir', expected: `${what} written by \`finml train\``, got: `${describeValue(path)}, where ${detail.replace(/\.+$/, '')}` }, { cause });
  if (await exists(bundlePath)) {
    try {
      return (await loadRiskModel(fileBundleStore(dir))).model;
    } catch (e) {
      if (e instanceof FinmlError) throw corrupt(dir, `a model directory (${MODEL_DIR_FILES.model}, ${MODEL_DIR_FILES.weights}, ${MODEL_DIR_FILES.bundle})`, e.message, e);
      throw e;
    }
  }
  if (await exists(legacyPath)) {
    const text = await readFile(legacyPath, 'utf8');
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch (e) {
      throw corrupt(legacyPath, `a ${MODEL_DIR_FILES.legacyModel}`, `the file is not valid JSON (${(e as Error).message})`, e);
    }
    try {
      return await riskModelFromJSON(json);
    } catch (e) {
      if (e instanceof FinmlError) throw corrupt(legacyPath, `a ${MODEL_DIR_FILES.legacyModel}`, e.message, e);
      throw e;
    }
  }
  const firstFormat = await exists(join(dir, MODEL_DIR_FILES.model));
  throw new DataError({
    fn,
    arg: 'model-dir',
    expected: `a directory written by \`finml train\` (with ${MODEL_DIR_FILES.model}, ${MODEL_DIR_FILES.weights} and ${MODEL_DIR_FILES.bundle})`,
    got: firstFormat
      ? `${describeValue(dir)}, written by an older finml (${MODEL_DIR_FILES.model} without ${MODEL_DIR_FILES.bundle}): train it again`
      : `${describeValue(dir)} (${bundlePath}: ENOENT, no such file)`,
  });
}
