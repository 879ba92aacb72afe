/**
 * The model directory written by `finml train` and read by `finml predict` / `finml explain`:
 * `riskModel.json` (the `toJSON()` envelope of the {@link RiskModel}: pipeline, networks, SHAP
 * background, validation metrics; reload it with `riskModelFromJSON`), `metrics.json` (held-out
 * metrics) and `report.html` (self-contained model report).
 *
 * @module
 */
import { access, mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { DataError, FinmlError, SerializationError, describeValue } from '../core/errors';
import { riskModelFromJSON, type RiskModel } from '../presets/index';

/**
 * File names of a model directory.
 * @category CLI
 */
export const MODEL_DIR_FILES = Object.freeze({ model: 'riskModel.json', metrics: 'metrics.json', report: 'report.html' });

/**
 * Writes `riskModel.json` (the model's `toJSON()` envelope) into `dir`, created if missing.
 *
 * @param dir - Model directory.
 * @param model - A fitted risk model (not disposed).
 * @returns Resolves when the file is written.
 * @example
 * ```ts
 * await saveRiskModel('credit-model', model);
 * ```
 * @category CLI
 */
export async function saveRiskModel(dir: string, model: RiskModel): Promise<void> {
  await mkdir(dir, { recursive: true });
  await writeFile(join(dir, MODEL_DIR_FILES.model), JSON.stringify(model.toJSON()), 'utf8');
}

/**
 * Loads the risk model of a model directory written by `finml train`. The caller disposes it.
 *
 * @param dir - Model directory.
 * @param fn - Command name used in error messages, e.g. `'finml predict'`.
 * @returns The restored model.
 * @throws {DataError} the directory or its riskModel.json does not exist (a directory of the old
 * CLI format, with model.json only, is named as such).
 * @throws {SerializationError} riskModel.json is not valid JSON or not a RiskModel envelope (the
 * message of `riskModelFromJSON` is included).
 * @example
 * ```ts
 * const model = await loadRiskModel('credit-model', 'finml predict');
 * model.score(table);
 * model.dispose();
 * ```
 * @category CLI
 */
export async function loadRiskModel(dir: string, fn: string): Promise<RiskModel> {
  const path = join(dir, MODEL_DIR_FILES.model);
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (e) {
    const code = (e as { code?: string }).code ?? String(e);
    const legacy = await access(join(dir, 'model.json')).then(
      () => true,
      () => false,
    );
    throw new DataError(
      {
        fn,
        arg: 'model-dir',
        expected: `a directory written by \`finml train\` (with ${MODEL_DIR_FILES.model})`,
        got: legacy ? `${describeValue(dir)}, written by an older finml (model.json without ${MODEL_DIR_FILES.model}): train it again` : `${describeValue(dir)} (${path}: ${code})`,
      },
      { cause: e },
    );
  }
  const corrupt = (detail: string, cause: unknown): SerializationError =>
    new SerializationError({ fn, arg: 'model-dir', expected: `a ${MODEL_DIR_FILES.model} written by \`finml train\``, got: `${describeValue(path)}, where ${detail.replace(/\.+$/, '')}` }, { cause });
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (e) {
    throw corrupt(`the file is not valid JSON (${(e as Error).message})`, e);
  }
  try {
    return await riskModelFromJSON(json);
  } catch (e) {
    if (e instanceof FinmlError) throw corrupt(e.message, e);
    throw e;
  }
}
