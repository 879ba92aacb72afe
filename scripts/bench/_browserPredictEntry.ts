/**
 * Page entry of scripts/bench/browserPredict.ts (bundled by esbuild): finml's batched predict of
 * the bench network on the wasm backend, in a page that is cross-origin isolated, so that tfjs's
 * multi-threaded wasm build (XNNPACK on a pthread pool of Web Workers, sharing the wasm memory) can
 * run. Exposes `window.finmlBench.setUp(threads, ...)` and `window.finmlBench.predictMs()`.
 */
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import * as wasm from '@tensorflow/tfjs-backend-wasm';
import { useBackend } from '../../src/core/backend';
import { layersModelPredictor } from '../../src/explain/layersModelPredictor';
import type { Predictor } from '../../src/core/predictor';
import { predictValuesAsync } from '../../src/models/_internal/batchedPredict';

let model: tfl.LayersModel | null = null;
let rows64: { rows: number; cols: number; data: Float64Array } | null = null;
let rows32: Float32Array | null = null;
let predictor: Predictor | null = null;

async function setUp(threads: number, rows: number, features: number, hidden: readonly number[], batch: number): Promise<Record<string, unknown>> {
  const info = await useBackend('wasm', { wasmPaths: `${location.origin}/wasm/`, load: async () => wasm, ...(threads > 0 ? { wasmThreads: threads } : {}) });
  const layers: tfl.layers.Layer[] = [];
  let inputs = features;
  for (const units of hidden) {
    layers.push(tfl.layers.dense({ inputShape: [inputs], units, activation: 'relu', kernelInitializer: tfl.initializers.glorotUniform({ seed: units }) }));
    inputs = units;
  }
  layers.push(tfl.layers.dense({ units: 1, activation: 'sigmoid', kernelInitializer: tfl.initializers.glorotUniform({ seed: 7 }) }));
  model = tfl.sequential({ layers });
  rows32 = new Float32Array(rows * features);
  let s = 12345;
  for (let i = 0; i < rows32.length; i++) {
    s = (Math.imul(s, 1103515245) + 12345) >>> 0;
    rows32[i] = s / 4294967296 - 0.5;
  }
  rows64 = { rows, cols: features, data: Float64Array.from(rows32) };
  predictor = layersModelPredictor(model, { batchSize: batch });
  await predictMs(); // warm-up
  await predictMs();
  return {
    info,
    threads: wasm.getThreadsCount(),
    crossOriginIsolated: globalThis.crossOriginIsolated === true,
    wasmHasThreads: await tf.env().getAsync('WASM_HAS_MULTITHREAD_SUPPORT'),
    wasmHasSimd: await tf.env().getAsync('WASM_HAS_SIMD_SUPPORT'),
    hardwareConcurrency: navigator.hardwareConcurrency,
    backend: tf.getBackend(),
  };
}

/** One predict of the rows: ms for float64 rows (layersModelPredictor) and for float32 rows (the batched predict), and a checksum. */
async function predictMs(): Promise<{ f64Ms: number; f32Ms: number; check: number }> {
  if (model === null || rows64 === null || rows32 === null || predictor === null) throw new Error('setUp first');
  let t = performance.now();
  const p = await predictor(rows64);
  const f64Ms = performance.now() - t;
  t = performance.now();
  const q = await predictValuesAsync(model, rows32, rows64.rows, [rows64.cols], 'bench', 4096);
  const f32Ms = performance.now() - t;
  let check = 0;
  for (let i = 0; i < p.length; i += 997) check += (p[i] as number) - (q.values[i] as number);
  return { f64Ms, f32Ms, check };
}

(globalThis as unknown as { finmlBench: unknown }).finmlBench = { setUp, predictMs };
