import * as tf from '@tensorflow/tfjs-core';
import { beforeAll } from 'vitest';
import { useBackend } from '../../src/core/backend';
import './common';

beforeAll(async () => {
  await useBackend('wasm');
  // The cpu backend prints a one-time "install tfjs-node" hint on first use: consume it here,
  // before the console guard of ./common is armed.
  await useBackend('cpu');
  const warn = console.warn;
  console.warn = () => undefined;
  try {
    tf.dispose(tf.scalar(0));
  } finally {
    console.warn = warn;
  }
  await useBackend('wasm');
});
