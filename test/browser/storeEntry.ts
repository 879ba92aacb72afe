/**
 * Browser entry of the IndexedDB bundle store test (bundled by esbuild, no wasm/webgl: the cpu
 * backend is enough to fit a small network). Exposes `window.finmlStore`:
 * - `save(name)`: fits a seeded classifier, saves it as a bundle with `indexedDbBundleStore(name)`
 *   and returns its probabilities on fixed rows (called before a page reload);
 * - `load(name)`: in the reloaded page, loads the bundle back and returns its probabilities, plus
 *   what the store does with a missing name, a removed name and a corrupt record.
 */
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { indexedDbBundleStore, loadBundle, neuralClassifier, saveBundle, type FittedNeuralClassifier } from '../../src/index';

/** Fixed rows (two features) and labels. */
const X = Array.from({ length: 24 }, (_, i) => [Math.sin(i), Math.cos(i * 0.7)]);
const Y = X.map((r) => ((r[0] as number) + 0.5 * (r[1] as number) > 0 ? 1 : 0));

async function save(name: string): Promise<{ probabilities: number[]; weightBytes: number }> {
  await tf.setBackend('cpu');
  const fitted = await neuralClassifier({ model: { type: 'fnn', hidden: [6] }, train: { epochs: 3 }, seed: 7 }).fit(X, Y);
  try {
    const result = await saveBundle({ model: fitted, metadata: { featureNames: ['a', 'b'] } }, indexedDbBundleStore(name));
    return { probabilities: Array.from(fitted.predictProba(X) as Float64Array), weightBytes: result.modelArtifactsInfo.weightDataBytes ?? -1 };
  } finally {
    fitted.dispose();
  }
}

const errorName = async (p: Promise<unknown>): Promise<string> =>
  p.then(
    () => 'resolved',
    (e: unknown) => (e instanceof Error ? e.name : String(e)),
  );

async function load(name: string): Promise<{
  probabilities: number[];
  featureNames: readonly string[];
  missing: string;
  removed: [boolean, boolean];
  afterRemove: string;
  corrupt: string;
  tensorsBefore: number;
  tensorsAfter: number;
}> {
  await tf.setBackend('cpu');
  const tensorsBefore = tf.memory().numTensors;
  const { model, metadata } = await loadBundle(indexedDbBundleStore(name));
  const probabilities = Array.from((model as FittedNeuralClassifier).predictProba(X) as Float64Array);
  model.dispose();
  const missing = await errorName(loadBundle(indexedDbBundleStore(`${name}-never-saved`)));
  // a record changed behind the store's back: one weight byte flipped -> the content hash refuses it
  const store = indexedDbBundleStore(name);
  const artifacts = await store.load();
  const bytes = new Uint8Array(artifacts.weightData as ArrayBuffer);
  bytes[0] = (bytes[0] as number) ^ 0xff;
  await store.save(artifacts);
  const corrupt = await errorName(loadBundle(store));
  const removed: [boolean, boolean] = [await store.remove(), await store.remove()];
  const afterRemove = await errorName(store.load());
  return { probabilities, featureNames: metadata.featureNames, missing, removed, afterRemove, corrupt, tensorsBefore, tensorsAfter: tf.memory().numTensors };
}

(globalThis as unknown as { finmlStore: unknown }).finmlStore = { save, load };
