/**
 * Browser entry bundled by esbuild for the headless-Chromium test: tfjs-core + tfjs-layers (via
 * finml), the wasm and webgl backends, and finml from src/. Exposes `window.finmlTest`:
 * `run(backend)` (FNN + LSTM), `cnn(backend, epochs)` (CNN training + bundle round trip) and
 * `risk(backend, csvUrl)` (buildRiskModel on German credit fetched from the test server) and
 * `pool(workerUrl)` (cross-validation on a Web Worker pool, poolScenario.ts).
 */
import * as tf from '@tensorflow/tfjs-core';
import * as wasm from '@tensorflow/tfjs-backend-wasm';
import * as webgl from '@tensorflow/tfjs-backend-webgl';
import { useBackend, type BackendInfo, type BackendName } from '../../src/index';
import { runCnnScenario, type CnnScenarioResult } from './cnnScenario';
import { runPoolScenario, type PoolScenarioResult } from './poolScenario';
import { runRiskScenario, type RiskScenarioResult } from './riskScenario';
import { runScenario, type ScenarioResult } from './scenario';

/** The WebGL renderer string (SwiftShader when Chromium runs without a GPU). */
function webglRenderer(): string {
  const c = document.createElement('canvas');
  const gl = (c.getContext('webgl2') ?? c.getContext('webgl')) as WebGLRenderingContext | null;
  if (gl === null) return 'no webgl';
  const dbg = gl.getExtension('WEBGL_debug_renderer_info');
  return String(dbg === null ? gl.getParameter(gl.RENDERER) : gl.getParameter(dbg.UNMASKED_RENDERER_WEBGL));
}

const initialised = new Map<string, BackendInfo>();

/** Switches to `name` through finml's useBackend; the wasm paths are set only on first use. */
async function switchTo(name: BackendName): Promise<BackendInfo> {
  const first = initialised.get(name);
  if (first !== undefined) {
    await useBackend(name);
    return first;
  }
  const info =
    name === 'wasm'
      ? await useBackend('wasm', { wasmPaths: `${location.origin}/wasm/`, load: async () => wasm })
      : await useBackend(name, { load: async () => webgl });
  initialised.set(name, info);
  return info;
}

async function run(name: BackendName): Promise<ScenarioResult & { info: unknown; webglVersion: number | null; renderer: string }> {
  const info = await switchTo(name);
  const result = await runScenario();
  const webglVersion = name === 'webgl' ? (tf.env().getNumber('WEBGL_VERSION') as number) : null;
  return { ...result, info, webglVersion, renderer: webglRenderer() };
}

async function cnn(name: BackendName, epochs: number): Promise<CnnScenarioResult> {
  await switchTo(name);
  return runCnnScenario(epochs);
}

async function risk(name: BackendName, csvUrl: string): Promise<RiskScenarioResult> {
  await switchTo(name);
  const res = await fetch(csvUrl);
  if (!res.ok) throw new Error(`GET ${csvUrl}: HTTP ${res.status}`);
  return runRiskScenario(await res.text());
}

async function pool(workerUrl: string): Promise<PoolScenarioResult> {
  await switchTo('wasm');
  return runPoolScenario(workerUrl);
}

(globalThis as unknown as { finmlTest: unknown }).finmlTest = { run, cnn, risk, pool, version: tf.version_core };
