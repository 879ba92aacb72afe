/**
 * The model directory written by `finml train` and read by `finml predict` / `finml explain`:
 * `model.json` (preprocessing, network weights, classes, a background sample for SHAP),
 * `metrics.json` (held-out metrics) and `report.html` (self-contained model report).
 *
 * @module
 */
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { DataError, SerializationError, describeValue } from '../core/errors';
import type { JsonValue } from '../core/estimator';
import { neuralModelFromJSON, type FittedNeuralClassifier } from '../train/index';
import { tabularPreprocessorFromJSON, type TabularPreprocessor } from './tabularPreprocessor';

/** Format tag of model.json. */
export const MODEL_FORMAT = 'finml-cli-model';

/** What `finml train` stores. */
export interface CliModel {
  readonly target: string;
  /** Class labels by code; the model's probability columns follow this order. */
  readonly classes: readonly string[];
  readonly seed: number;
  readonly preprocessor: TabularPreprocessor;
  readonly model: FittedNeuralClassifier;
  /** Preprocessed training rows used as the SHAP background. */
  readonly background: readonly (readonly number[])[];
}

/** Writes model.json into `dir` (created if missing). */
export async function saveModelDir(dir: string, m: CliModel, extra: Record<string, JsonValue> = {}): Promise<void> {
  await mkdir(dir, { recursive: true });
  const json = {
    format: MODEL_FORMAT,
    version: 1,
    target: m.target,
    classes: m.classes,
    seed: m.seed,
    preprocessor: m.preprocessor.toJSON(),
    model: m.model.toJSON(),
    background: m.background,
    ...extra,
  };
  await writeFile(join(dir, 'model.json'), JSON.stringify(json), 'utf8');
}

/** Reads model.json from `dir`. The caller disposes `model`. */
export async function loadModelDir(dir: string, fn: string): Promise<CliModel> {
  const path = join(dir, 'model.json');
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (e) {
    throw new DataError({ fn, arg: 'model-dir', expected: 'a directory written by `finml train` (with model.json)', got: `${describeValue(dir)} (${(e as { code?: string }).code ?? String(e)})` }, { cause: e });
  }
  let j: Record<string, unknown>;
  try {
    j = JSON.parse(text) as Record<string, unknown>;
  } catch (e) {
    throw new SerializationError({ fn, arg: 'model.json', expected: 'valid JSON', got: String(e) }, { cause: e });
  }
  if (j.format !== MODEL_FORMAT || j.version !== 1) {
    throw new SerializationError({ fn, arg: 'model.json', expected: `format ${MODEL_FORMAT} version 1`, got: `format ${describeValue(j.format)} version ${describeValue(j.version)}` });
  }
  const classes = j.classes;
  if (typeof j.target !== 'string' || !Array.isArray(classes) || !classes.every((c) => typeof c === 'string') || !Array.isArray(j.background)) {
    throw new SerializationError({ fn, arg: 'model.json', expected: 'target, classes and background fields', got: 'a malformed file' });
  }
  const preprocessor = tabularPreprocessorFromJSON(j.preprocessor, fn);
  const model = (await neuralModelFromJSON(j.model)) as FittedNeuralClassifier;
  return { target: j.target, classes: classes as string[], seed: typeof j.seed === 'number' ? j.seed : 0, preprocessor, model, background: j.background as number[][] };
}
