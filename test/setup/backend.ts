import * as tf from '@tensorflow/tfjs-core';
import { beforeAll } from 'vitest';
import { useBackend, type BackendName } from '../../src/core/backend';
import './common';

/** Activates `name` for every test file of a vitest project. */
export function setupBackend(name: BackendName): void {
  beforeAll(async () => {
    // The cpu backend prints a one-time "install tfjs-node" hint on first use: consume it here,
    // silently, before the console guard of ./common is armed.
    await useBackend('cpu');
    const warn = console.warn;
    console.warn = () => undefined;
    try {
      tf.dispose(tf.scalar(0));
    } finally {
      console.warn = warn;
    }
    await useBackend(name);
  });
}
