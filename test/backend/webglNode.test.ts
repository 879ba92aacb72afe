import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { BackendError } from '../../src/core/errors';
import { useBackend } from '../../src/core/backend';

describe("useBackend('webgl') in Node", () => {
  it('says WebGL needs a browser, not that the package versions mismatch', async () => {
    const start = tf.getBackend();
    const err = await useBackend('webgl').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(BackendError);
    const msg = (err as Error).message;
    expect(msg).toMatch(/needs a browser/);
    expect(msg).toMatch(/Node\.js v?\d+/);
    expect(msg).toMatch(/'cpu', 'wasm' or 'tensorflow'/);
    expect(msg).not.toMatch(/same @tensorflow\/tfjs-core version/);
    expect(tf.getBackend()).toBe(start);
  });
});
