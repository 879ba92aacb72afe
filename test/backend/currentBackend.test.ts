import * as tf from '@tensorflow/tfjs-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { currentBackend, useBackend } from '../../src/core/backend';

// Runs in the cpu and in the wasm project: the active backend differs, currentBackend must follow it.
describe('currentBackend', () => {
  let start = '';
  beforeAll(() => {
    start = tf.getBackend(); // set up by the project's setup file (after collection)
  });
  afterAll(async () => {
    await tf.setBackend(start);
  });

  it('names the backend the test project set up', () => {
    expect(['cpu', 'wasm']).toContain(currentBackend());
    expect(currentBackend()).toBe(start);
    expect(tf.engine().backend).toBe(tf.findBackend(currentBackend()));
  });

  it('follows switches made through useBackend and through tf.setBackend directly', async () => {
    await useBackend('cpu');
    expect(currentBackend()).toBe('cpu');
    await useBackend('wasm');
    expect(currentBackend()).toBe('wasm');
    await tf.setBackend('cpu');
    expect(currentBackend()).toBe('cpu');
  });

  it('is unchanged by a failed switch', async () => {
    await useBackend('cpu');
    await expect(useBackend('webgl')).rejects.toThrow();
    expect(currentBackend()).toBe('cpu');
  });
});
