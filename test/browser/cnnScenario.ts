/**
 * CNN workload of the browser test, run in headless Chromium (wasm and webgl) and, as the
 * reference, in Node on the cpu backend: train a small seeded 1-D CNN (finml's PortableConv1D,
 * whose gradient works on wasm, which lacks Conv2DBackpropFilter) with `neuralRegressor` on
 * synthetic windows, then save it as a bundle and load it back through the in-memory forms
 * (`memoryBundleStore`, and `bundleToArtifacts` → bytes → `bundleFromArtifacts`) and compare
 * the predictions. Imports finml from src/ (bundled by esbuild for the browser).
 */
import * as tf from '@tensorflow/tfjs-core';
import {
  bundleFromArtifacts,
  bundleToArtifacts,
  createRng,
  loadBundle,
  memoryBundleStore,
  neuralRegressor,
  saveBundle,
  standardScaler,
  type FittedNeuralModel,
} from '../../src/index';

/** What the CNN run reports back (plain JSON, so it crosses page.evaluate). */
export interface CnnScenarioResult {
  readonly backend: string;
  readonly epochs: number;
  readonly loss: number[];
  /** Mean squared error of the constant (mean) prediction: what the loss must beat. */
  readonly baselineMse: number;
  /** Predictions for the first windows. */
  readonly predictions: number[];
  /** The layer classes of the trained network (must include PortableConv1D). */
  readonly layerClasses: string[];
  /** Largest |difference| between the trained model and the bundle loaded from `memoryBundleStore`. */
  readonly storeMaxDiff: number;
  /** Largest |difference| between the trained model and the bundle rebuilt from copied artifact bytes. */
  readonly bytesMaxDiff: number;
  readonly weightBytes: number;
  /** Error class name when loading the same artifacts with the last 4 weight bytes cut off (null if it loaded). */
  readonly truncatedError: string | null;
  /** Metadata and pipeline read back from the loaded bundle. */
  readonly loadedFeatureNames: string[];
  readonly loadedMetricMse: number;
  readonly loadedPipelineKind: string | null;
  readonly loadedKind: string;
  readonly tensorsBefore: number;
  readonly tensorsAfter: number;
}

export const CNN_LOOKBACK = 10;
export const CNN_FEATURES = 2;

/** Seeded windows `[n, 10, 2]`; target = a local pattern of the last steps plus a little noise. */
export function cnnData(n = 64): { x: number[][][]; y: number[] } {
  const rng = createRng(21);
  const x: number[][][] = [];
  const y: number[] = [];
  for (let i = 0; i < n; i++) {
    const w: number[][] = [];
    for (let t = 0; t < CNN_LOOKBACK; t++) w.push([rng.normal(), rng.normal()]);
    const last = w[CNN_LOOKBACK - 1] as number[];
    const prev = w[CNN_LOOKBACK - 2] as number[];
    y.push(0.8 * (last[0] as number) + 0.4 * (prev[0] as number) - 0.5 * (last[1] as number) + 0.05 * rng.normal());
    x.push(w);
  }
  return { x, y };
}

const maxAbsDiff = (a: ArrayLike<number>, b: ArrayLike<number>): number => {
  if (a.length !== b.length) return Number.POSITIVE_INFINITY;
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs((a[i] as number) - (b[i] as number)));
  return m;
};

/** Trains the CNN for `epochs` on the active backend and round-trips it through a bundle. */
export async function runCnnScenario(epochs = 6, n = 64): Promise<CnnScenarioResult> {
  const { x, y } = cnnData(n);
  const mean = y.reduce((s, v) => s + v, 0) / y.length;
  const baselineMse = y.reduce((s, v) => s + (v - mean) ** 2, 0) / y.length;
  const tensorsBefore = tf.memory().numTensors;
  const spec = neuralRegressor({
    model: { type: 'cnn', filters: [4], kernelSize: 3, poolSize: 1, dense: [] },
    train: { epochs, batchSize: 16, learningRate: 0.03 },
    seed: 7,
  });
  const owned: FittedNeuralModel[] = [];
  try {
    const fitted = await spec.fit(x, y);
    owned.push(fitted);
    const predictions = fitted.predict(x);
    // A pipeline envelope rides along in the bundle (fitted on the flattened last steps).
    const scaler = standardScaler().fit(x.map((w) => w[CNN_LOOKBACK - 1] as number[]));
    const trainMse = predictions.reduce((s, p, i) => s + (p - (y[i] as number)) ** 2, 0) / y.length;
    const bundle = {
      model: fitted,
      pipeline: scaler.toJSON(),
      metadata: { featureNames: ['f0', 'f1'], target: 'next', metrics: { mse: trainMse }, seed: 7, createdAt: '2024-01-02T03:04:05.000Z' },
    };

    // 1) the in-memory tfjs IOHandler
    const store = memoryBundleStore();
    await saveBundle(bundle, store);
    const fromStore = await loadBundle(store);
    owned.push(fromStore.model);
    const storePred = fromStore.model.predict(x);

    // 2) artifacts → plain bytes + JSON text (what a fetch/IndexedDB/postMessage would carry) → artifacts
    const artifacts = bundleToArtifacts(bundle);
    const wd = artifacts.weightData;
    const bytes = wd === undefined ? new ArrayBuffer(0) : Array.isArray(wd) ? tf.io.CompositeArrayBuffer.join(wd) : wd;
    const copiedBytes = new Uint8Array(bytes).slice().buffer;
    const { weightData: _w, ...rest } = artifacts;
    void _w;
    const revived: tf.io.ModelArtifacts = { ...(JSON.parse(JSON.stringify(rest)) as tf.io.ModelArtifacts), weightData: copiedBytes };
    const fromBytes = await bundleFromArtifacts(revived);
    owned.push(fromBytes.model);
    const bytesPred = fromBytes.model.predict(x);
    let truncatedError: string | null = null;
    try {
      const broken = await bundleFromArtifacts({ ...revived, weightData: copiedBytes.slice(0, copiedBytes.byteLength - 4) });
      owned.push(broken.model);
    } catch (err) {
      truncatedError = err instanceof Error ? err.name : String(err);
    }

    const layerClasses = (JSON.parse(JSON.stringify(artifacts.modelTopology)) as { config: { layers: { class_name: string }[] } }).config.layers.map(
      (l) => l.class_name,
    );
    const result = {
      backend: tf.getBackend(),
      epochs,
      loss: [...fitted.history.loss],
      baselineMse,
      predictions: Array.from(predictions.slice(0, 8)),
      layerClasses,
      storeMaxDiff: maxAbsDiff(predictions, storePred),
      bytesMaxDiff: maxAbsDiff(predictions, bytesPred),
      weightBytes: copiedBytes.byteLength,
      truncatedError,
      loadedFeatureNames: [...fromBytes.metadata.featureNames],
      loadedMetricMse: fromStore.metadata.metrics.mse ?? Number.NaN,
      loadedPipelineKind: fromBytes.pipeline?.kind ?? null,
      loadedKind: fromStore.model.kind,
    };
    owned.forEach((m) => m.dispose());
    owned.length = 0;
    return { ...result, tensorsBefore, tensorsAfter: tf.memory().numTensors };
  } finally {
    owned.forEach((m) => m.dispose());
  }
}
