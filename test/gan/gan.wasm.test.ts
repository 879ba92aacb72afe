/**
 * Runs on cpu and on wasm: the adversarial loop (incl. a PortableConv1D and a GRU discriminator) trains on the active backend.
 */
import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { createRng } from '../../src/core/random';
import { buildGan, disposeGan, sampleGan, trainGan } from '../../src/gan/index';

describe('trainGan on the active backend', () => {
  it.each(['dense', 'cnn', 'rnn'] as const)('sequence GAN with a %s discriminator: finite losses, both networks updated, no leak', async (type) => {
    const rng = createRng(1);
    const data = Array.from({ length: 32 }, () => Array.from({ length: 6 }, () => 0.3 * rng.normal() + 0.5));
    const before = tf.memory().numTensors;
    const gan = buildGan({ kind: 'sequence', seqLength: 6, latentDim: 3, generator: { hidden: [8] }, discriminator: { type, hidden: [4, 4] }, seed: 2 });
    const snap = (): number[][] => [...gan.generator.getWeights(), ...gan.discriminator.getWeights()].map((t) => Array.from(t.dataSync()));
    const w0 = snap();
    const h = await trainGan(gan, data, { epochs: 2, batchSize: 16, seed: 3, labelSmoothing: 0.1 });
    expect([...h.dLoss, ...h.gLoss].every(Number.isFinite)).toBe(true);
    const w1 = snap();
    const gCount = gan.generator.getWeights().length;
    expect(w1.slice(0, gCount)).not.toEqual(w0.slice(0, gCount));
    expect(w1.slice(gCount)).not.toEqual(w0.slice(gCount));
    const s = sampleGan(gan.generator, 4, 1);
    expect(s.shape).toEqual([4, 6, 1]);
    s.dispose();
    disposeGan(gan);
    expect(tf.memory().numTensors).toBe(before);
  });

  it('tabular GAN with a one-hot categorical block (Gumbel-softmax, frequency term): finite losses, generator updated, no leak', async () => {
    const rng = createRng(4);
    const data = Array.from({ length: 32 }, (_, i) => [rng.normal(), i % 3 === 0 ? 1 : 0, i % 3 === 1 ? 1 : 0, i % 3 === 2 ? 1 : 0, rng.normal()]);
    const before = tf.memory().numTensors;
    const gan = buildGan({ kind: 'tabular', features: 5, latentDim: 3, generator: { hidden: [8] }, discriminator: { hidden: [8] }, seed: 2 });
    const w0 = gan.generator.getWeights().map((t) => Array.from(t.dataSync()));
    const h = await trainGan(gan, data, { epochs: 2, batchSize: 16, seed: 3, categorical: [{ start: 1, size: 3 }], frequencyWeight: 100, momentWeight: 1, cdfWeight: 5 });
    expect([...h.dLoss, ...h.gLoss].every(Number.isFinite)).toBe(true);
    expect(gan.generator.getWeights().map((t) => Array.from(t.dataSync()))).not.toEqual(w0);
    disposeGan(gan);
    expect(tf.memory().numTensors).toBe(before);
  });
});
