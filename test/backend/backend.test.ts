import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { BackendError, InvalidOptionError } from '../../src/core/errors';
import { useBackend } from '../../src/core/backend';
import { ensureChainedOps } from '../../src/core/chainedOps';

describe('useBackend', () => {
  it('switches between cpu and wasm and verifies the switch', async () => {
    const start = tf.getBackend();
    const w = await useBackend('wasm');
    expect(w.name).toBe('wasm');
    expect(tf.getBackend()).toBe('wasm');
    const c = await useBackend('cpu');
    expect(c.name).toBe('cpu');
    expect(tf.getBackend()).toBe('cpu');
    await useBackend(start as 'cpu' | 'wasm');
  });

  it('names the package to install when a backend is missing', async () => {
    const err = await useBackend('tensorflow').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(BackendError);
    expect((err as Error).message).toContain('npm install @tensorflow/tfjs-node');
  });

  it('fails clearly when tfjs cannot initialise the backend (webgl in Node)', async () => {
    const start = tf.getBackend();
    const err = await useBackend('webgl').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(BackendError);
    expect((err as Error).message).toMatch(/webgl/);
    expect(tf.getBackend()).toBe(start);
  });

  it('rejects unknown names with InvalidOptionError', async () => {
    const err = await useBackend('gpu' as 'cpu').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(InvalidOptionError);
  });
});

describe('ensureChainedOps', () => {
  it('installs chained methods used by tfjs-layers, with tfjs semantics', () => {
    ensureChainedOps();
    const x = tf.tensor2d([[1, -2], [3, 4]]);
    const proto = x as unknown as { flatten(): tf.Tensor; add(y: tf.Tensor): tf.Tensor; abs(): tf.Tensor };
    const f = proto.flatten();
    expect(f.shape).toEqual([4]);
    const a = proto.abs();
    expect(Array.from(a.dataSync())).toEqual([1, 2, 3, 4]);
    tf.dispose([x, f, a]);
  });
});
