/**
 * File-system bundle store (Node): a tfjs IOHandler writing `model.json` (tfjs layers-model
 * format, loadable by `tf.loadLayersModel('file://…/model.json')` in tfjs-node), `weights.bin` and
 * `bundle.json` (finml's pipeline, metadata and model envelope).
 *
 * @module
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type * as tf from '@tensorflow/tfjs-core';
import { FinmlError, InvalidOptionError, SerializationError, describeValue } from '../core/errors';
import { weightBuffer } from '../io/_internal/artifactIO';
import { recoverInterruptedSwap, writeDirAtomic, type StepHook } from './_internal/atomicDir';

/** File names written by {@link fileBundleStore}. @category Node */
export const BUNDLE_FILES = Object.freeze({ model: 'model.json', weights: 'weights.bin', bundle: 'bundle.json' });

/** A tfjs IOHandler bound to a directory. @category Node */
export interface FileBundleStore extends tf.io.IOHandler {
  /** The directory holding `model.json`, `weights.bin` and `bundle.json`. */
  readonly dir: string;
  /** Stores the artifacts (called by `saveBundle`). */
  readonly save: (artifacts: tf.io.ModelArtifacts) => Promise<tf.io.SaveResult>;
  /** Reads back the stored artifacts (called by `loadBundle`); throws SerializationError for missing, unparseable or truncated files. */
  readonly load: () => Promise<tf.io.ModelArtifacts>;
}

/**
 * A file-system store for model bundles: pass it to `saveBundle` / `loadBundle`, or to
 * `saveRiskModel` / `loadRiskModel` for a whole risk model (all members' weights in the one
 * `weights.bin`; see `riskModelToArtifacts` for the layout). Saving creates
 * the directory if needed and writes `model.json`, `weights.bin` and `bundle.json` atomically: into a
 * fresh, exclusively created temporary directory next to `dir` (files opened with `O_EXCL` and
 * `O_NOFOLLOW`, so a planted symlink is never followed), fsynced, then swapped in by rename, so a
 * reader sees the old bundle or the new one, never a mix (an interrupted save leaves the old bundle
 * in place; if the process dies between the two renames of the swap, the next load or save puts
 * the old bundle back). An existing `dir` may hold only a previous save (the three files, plus the CLI's
 * `metrics.json`, `report.html`, `explainer.json`, which describe that model and are replaced with
 * it): a directory holding anything else is refused, never emptied. `dir` must not be a symbolic link.
 * Loading checks that every file exists and parses, and that `weights.bin` has exactly the size the
 * weight manifest requires (`loadBundle` then verifies the content hashes).
 *
 * @param dir - The bundle directory.
 * @returns a tfjs IOHandler with `save` and `load`.
 * @throws {InvalidOptionError} when `dir` is not a non-empty string.
 * @throws {SerializationError} (from `save`) when the directory cannot be written, is a symbolic link or holds other files; (from `load`) missing, unparseable or truncated files.
 * @example
 * ```ts
 * import { neuralClassifier, saveBundle, loadBundle } from 'finml';
 * import { fileBundleStore } from 'finml/node';
 * const x = [[0.1, 1], [0.9, 0], [0.2, 1], [0.8, 0], [0.3, 1], [0.7, 0]];
 * const fitted = await neuralClassifier({ model: { type: 'fnn', hidden: [4] }, train: { epochs: 2 }, seed: 1 }).fit(x, [0, 1, 0, 1, 0, 1]);
 * await saveBundle({ model: fitted, metadata: { featureNames: ['a', 'b'] } }, fileBundleStore('./model'));
 * const { model, metadata } = await loadBundle(fileBundleStore('./model'));
 * model.dispose();
 * ```
 * @category Node
 */
export function fileBundleStore(dir: string): FileBundleStore {
  return fileBundleStoreWith(dir, {});
}

/** Files that may sit next to a saved bundle and are replaced with it (they describe the saved model). */
const COMPANION_FILES = ['metrics.json', 'report.html', 'explainer.json', 'riskModel.json'];

/** Internal options of {@link fileBundleStoreWith}. @internal */
export interface FileBundleStoreInternals {
  /** Called before each step of a save (tests inject failures). */
  readonly hook?: StepHook;
  /** Companion files written in the same atomic save (e.g. the CLI's metrics.json and report.html). */
  readonly extraFiles?: readonly { readonly name: string; readonly data: string | Uint8Array }[];
}

/** {@link fileBundleStore} with a step hook and companion files written in the same atomic save. @internal */
export function fileBundleStoreWith(dir: string, internals: FileBundleStoreInternals): FileBundleStore {
  const hook: StepHook = internals.hook ?? (() => undefined);
  const extraFiles = internals.extraFiles ?? [];
  const fn = 'fileBundleStore';
  if (typeof dir !== 'string' || dir.length === 0) throw new InvalidOptionError({ fn, arg: 'dir', expected: 'a non-empty directory path', got: describeValue(dir) });
  const paths = { model: join(dir, BUNDLE_FILES.model), weights: join(dir, BUNDLE_FILES.weights), bundle: join(dir, BUNDLE_FILES.bundle) };

  const save = async (artifacts: tf.io.ModelArtifacts): Promise<tf.io.SaveResult> => {
    const weights = new Uint8Array(artifacts.weightData === undefined ? new ArrayBuffer(0) : weightBuffer(artifacts.weightData, `${fn}.save`));
    const finml = artifacts.userDefinedMetadata?.finml;
    const modelJson = {
      modelTopology: artifacts.modelTopology,
      format: artifacts.format ?? 'layers-model',
      generatedBy: artifacts.generatedBy ?? 'finml',
      convertedBy: artifacts.convertedBy ?? null,
      weightsManifest: [{ paths: [`./${BUNDLE_FILES.weights}`], weights: artifacts.weightSpecs ?? [] }],
    };
    try {
      await writeDirAtomic(
        dir,
        [
          { name: BUNDLE_FILES.weights, data: weights },
          { name: BUNDLE_FILES.model, data: JSON.stringify(modelJson) },
          { name: BUNDLE_FILES.bundle, data: JSON.stringify(finml ?? null) },
          ...extraFiles,
        ],
        COMPANION_FILES,
        `${fn}.save`,
        hook,
      );
    } catch (cause) {
      if (cause instanceof FinmlError) throw cause;
      throw new SerializationError(
        { fn: `${fn}.save`, arg: 'dir', expected: `a writable bundle directory ${JSON.stringify(dir)}`, got: `a write error: ${cause instanceof Error ? cause.message : String(cause)}` },
        { cause },
      );
    }
    return {
      modelArtifactsInfo: {
        dateSaved: new Date(),
        modelTopologyType: 'JSON',
        weightDataBytes: weights.byteLength,
      },
    };
  };

  const readText = async (which: 'model' | 'bundle'): Promise<unknown> => {
    let text: string;
    try {
      text = await readFile(paths[which], 'utf8');
    } catch (cause) {
      throw new SerializationError({ fn: `${fn}.load`, arg: BUNDLE_FILES[which], expected: `a readable file ${paths[which]}`, got: 'a missing or unreadable file' }, { cause });
    }
    try {
      return JSON.parse(text) as unknown;
    } catch (cause) {
      throw new SerializationError({ fn: `${fn}.load`, arg: BUNDLE_FILES[which], expected: 'valid JSON', got: `unparseable text (${text.length} characters)` }, { cause });
    }
  };

  const load = async (): Promise<tf.io.ModelArtifacts> => {
    await recoverInterruptedSwap(dir); // a save killed between its two renames left the old bundle aside
    const model = await readText('model');
    const finml = await readText('bundle');
    let bytes: Uint8Array;
    try {
      bytes = new Uint8Array(await readFile(paths.weights));
    } catch (cause) {
      throw new SerializationError({ fn: `${fn}.load`, arg: BUNDLE_FILES.weights, expected: `a readable file ${paths.weights}`, got: 'a missing or unreadable file' }, { cause });
    }
    const m = model as { modelTopology?: unknown; weightsManifest?: unknown; format?: unknown; generatedBy?: unknown; convertedBy?: unknown } | null;
    const manifest = Array.isArray(m?.weightsManifest) ? (m.weightsManifest as { weights?: unknown }[]) : null;
    if (m === null || typeof m !== 'object' || typeof m.modelTopology !== 'object' || m.modelTopology === null || manifest === null) {
      throw new SerializationError({ fn: `${fn}.load`, arg: BUNDLE_FILES.model, expected: 'a tfjs model.json with modelTopology and weightsManifest', got: describeValue(model) });
    }
    const specs = manifest.flatMap((g) => (Array.isArray(g.weights) ? (g.weights as tf.io.WeightsManifestEntry[]) : []));
    const need = specs.reduce((a, s) => a + 4 * (Array.isArray(s.shape) ? s.shape.reduce((p, d) => p * d, 1) : Number.NaN), 0);
    if (bytes.byteLength !== need) {
      throw new SerializationError({ fn: `${fn}.load`, arg: BUNDLE_FILES.weights, expected: `${need} bytes (as listed in model.json)`, got: `${bytes.byteLength} bytes (truncated or corrupt)` });
    }
    const weightData = bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer;
    const out: tf.io.ModelArtifacts = {
      modelTopology: m.modelTopology as object,
      weightSpecs: specs,
      weightData,
      userDefinedMetadata: { finml: finml as Record<string, never> },
    };
    if (typeof m.format === 'string') out.format = m.format;
    if (typeof m.generatedBy === 'string') out.generatedBy = m.generatedBy;
    return out;
  };

  return Object.freeze({ dir, save, load });
}
