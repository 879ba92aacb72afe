/**
 * Browser entry bundled by esbuild for the headless-Chromium test: tfjs-core + tfjs-layers (via
 * finml), the wasm and webgl backends, and finml from src/. Exposes `window.finmlTest`.
 */
import * as tf from '@tensorflow/tfjs-core';
import * as wasm from '@tensorflow/tfjs-backend-wasm';
import * as webgl from '@tensorflow/tfjs-backend-webgl';
import { useBackend, type BackendName } from '../../src/index';
import { runScenario, type ScenarioResult } from './scenario';

/** The WebGL renderer string (SwiftShader when Chromium runs without a GPU). */
function webglRenderer(): string {
  const c = document.createElement('canvas');
  const gl = (c.getContext('webgl2') ?? c.getContext('webgl')) as WebGLRenderingContext | null;
  if (gl === null) return 'no webgl';
  const dbg = gl.getExtension('WEBGL_debug_renderer_info');
  return String(dbg === null ? gl.getParameter(gl.RENDERER) : gl.getParameter(dbg.UNMASKED_RENDERER_WEBGL));
}

async function run(name: BackendName): Promise<ScenarioResult & { info: unknown; webglVersion: number | null; renderer: string }> {
  const info =
    name === 'wasm'
      ? await useBackend('wasm', { wasmPaths: `${location.origin}/wasm/`, load: async () => wasm })
      : await useBackend(name, { load: async () => webgl });
  const result = await runScenario();
  const webglVersion = name === 'webgl' ? (tf.env().getNumber('WEBGL_VERSION') as number) : null;
  return { ...result, info, webglVersion, renderer: webglRenderer() };
}

(globalThis as unknown as { finmlTest: unknown }).finmlTest = { run, version: tf.version_core };
