/**
 * useBackend's errors tell a bundler user what to do: the two failures a Vite app hits first are
 * a backend imported by bare name at run time (no `load`) and wasm binaries not served where tfjs
 * looks (`wasmPaths`).
 */
import * as tf from '@tensorflow/tfjs-core';
import { afterEach, describe, expect, it } from 'vitest';
import { BackendError, useBackend } from '../../src/core';

/** Runs f with tfjs's expected "Initialization of backend wasm failed" warnings captured; returns what it threw. */
async function quiet(f: () => Promise<unknown>): Promise<unknown> {
  const warn = console.warn;
  const seen: string[] = [];
  console.warn = (...a: unknown[]) => void seen.push(a.map(String).join(' '));
  try {
    await f();
    return undefined;
  } catch (e) {
    return e;
  } finally {
    console.warn = warn;
    expect(seen.some((m) => m.includes('Initialization of backend wasm failed'))).toBe(true);
  }
}

describe('useBackend hints', () => {
  afterEach(async () => {
    if (tf.findBackendFactory('wasm') !== null && tf.getBackend() !== 'wasm') tf.removeBackend('wasm');
    await tf.setBackend('cpu');
  });

  it('a failed bare-name import suggests the load option (tfjs-node is not installed here)', async () => {
    const err = await useBackend('tensorflow').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(BackendError);
    const e = err as BackendError;
    expect(e.name).toBe('BackendError');
    expect(e.message).toContain("npm install @tensorflow/tfjs-node");
    expect(e.message).toContain("pass `load: () => import('@tensorflow/tfjs-node')`");
    expect(tf.getBackend()).toBe('cpu');
  });

  it('a failing load() of the caller gets no load hint, and the cause is kept', async () => {
    const cause = new Error('chunk failed');
    const err = await useBackend('tensorflow', { load: () => Promise.reject(cause) }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(BackendError);
    expect((err as BackendError).message).not.toContain('load:');
    expect((err as BackendError).cause).toBe(cause);
  });

  it.runIf(tf.findBackendFactory('wasm') === null)('a wasm backend that fails to start names the .wasm files and the wasmPaths given', async () => {
    // Stands in for a browser where the .wasm fetch returned the app's index.html.
    tf.registerBackend('wasm', () => Promise.reject(new Error('expected magic word 00 61 73 6d')));
    const noPaths = await quiet(() => useBackend('wasm', { load: () => Promise.resolve({}) }));
    expect(noPaths).toBeInstanceOf(BackendError);
    const m1 = (noPaths as BackendError).message;
    expect(m1).toContain("still on 'cpu'");
    expect(m1).toContain('tfjs-backend-wasm-simd.wasm');
    expect(m1).toContain('no wasmPaths was given');
    tf.removeBackend('wasm');
    tf.registerBackend('wasm', () => Promise.reject(new Error('404')));
    const withPaths = await quiet(() => useBackend('wasm', { wasmPaths: '/static/wasm/', load: () => Promise.resolve({}) }));
    expect((withPaths as BackendError).message).toContain("wasmPaths is '/static/wasm/'");
    expect(tf.getBackend()).toBe('cpu');
  });
});
