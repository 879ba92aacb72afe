/**
 * The public parts API of fitted neural models: `exportNetwork()` gives copies of topology,
 * weight manifest and weight bytes (the same bytes as the JSON envelope's base64 weights);
 * `neuralModelFromParts(envelope, parts)` rebuilds a model that predicts identically, validates
 * untrusted parts before building and leaks nothing on failure; `network()` is the live network.
 */
import * as tf from '@tensorflow/tfjs-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DisposedError, SerializationError } from '../../src/core/errors';
import { createRng } from '../../src/core/random';
import { fromBase64 } from '../../src/io/_internal/modelArtifacts';
import type { NetworkParts } from '../../src/io/networkParts';
import { neuralClassifier, neuralModelFromParts, neuralRegressor, type FittedNeuralClassifier, type FittedNeuralRegressor } from '../../src/models/neuralModel';
import { expectNoLeak } from '../helpers/leak';

const rng = createRng(3);
const x = Array.from({ length: 40 }, () => [rng.normal(), rng.normal(), rng.normal()]);
const y = x.map((r) => ((r[0] as number) - (r[2] as number) > 0 ? 1 : 0));
let clf: FittedNeuralClassifier;
let reg: FittedNeuralRegressor;

beforeAll(async () => {
  clf = (await neuralClassifier({ model: { type: 'fnn', hidden: [5] }, train: { epochs: 3 }, seed: 4 }).fit(x, y)) as FittedNeuralClassifier;
  reg = (await neuralRegressor({ model: { type: 'fnn', hidden: [3] }, train: { epochs: 2 }, seed: 5 }).fit(x, x.map((r) => [r[0] as number, r[1] as number]))) as FittedNeuralRegressor;
});
afterAll(() => {
  clf.dispose();
  reg.dispose();
});

/** A copy of parts with other weight bytes. */
const withBytes = (p: NetworkParts, bytes: ArrayBuffer): NetworkParts => ({ ...p, weightData: bytes });

describe('exportNetwork / neuralModelFromParts', () => {
  it('exports the same topology, manifest and bytes the JSON envelope stores, as copies', () => {
    const parts = clf.exportNetwork();
    const state = clf.toJSON().state as { topology: unknown; weightSpecs: unknown; weights: string };
    expect(parts.modelTopology).toEqual(state.topology);
    expect(parts.weightSpecs).toEqual(state.weightSpecs);
    expect(new Uint8Array(parts.weightData)).toEqual(new Uint8Array(fromBase64(state.weights, 't', 'w')));
    // 3 inputs -> 5 hidden -> 1 output: kernel + bias of each layer
    expect(parts.weightSpecs.map((s) => s.shape)).toEqual([[3, 5], [5], [5, 1], [1]]);
    expect(parts.weightData.byteLength).toBe(4 * (15 + 5 + 5 + 1));
    // a copy: changing it changes nothing in the model
    const before = clf.layerWeights()[0]?.values[0];
    new Float32Array(parts.weightData).fill(123);
    expect(clf.layerWeights()[0]?.values[0]).toBe(before);
    expect(clf.exportNetwork().weightData).not.toBe(clf.exportNetwork().weightData);
  });

  it('round-trips classifier and regressor: identical predictions, classes and history; no leak', async () => {
    const copy = (await neuralModelFromParts(clf.toJSON(), clf.exportNetwork())) as FittedNeuralClassifier;
    try {
      expect(copy.kind).toBe('NeuralClassifier');
      expect(copy.classes).toEqual(clf.classes);
      expect(Array.from(copy.predictProba(x) as Float64Array)).toEqual(Array.from(clf.predictProba(x) as Float64Array));
      expect(copy.history).toEqual(clf.history);
    } finally {
      copy.dispose();
    }
    // the envelope without topology and weights (how bundles store it) is enough
    const { topology: _t, weightSpecs: _s, weights: _w, ...state } = reg.toJSON().state as Record<string, unknown>;
    void _t, void _s, void _w;
    const env = { ...reg.toJSON(), state };
    const r2 = (await neuralModelFromParts(env, reg.exportNetwork())) as FittedNeuralRegressor;
    try {
      expect(r2.outputUnits).toBe(2);
      expect(Array.from(r2.predict(x) as Float64Array)).toEqual(Array.from(reg.predict(x) as Float64Array));
    } finally {
      r2.dispose();
    }
    await expectNoLeak(async () => (await neuralModelFromParts(clf.toJSON(), clf.exportNetwork())).dispose());
    await expectNoLeak(() => clf.exportNetwork());
  });

  it('refuses corrupt or mismatched parts with SerializationError before or while building, leaking nothing', async () => {
    const good = clf.exportNetwork();
    const truncated = withBytes(good, good.weightData.slice(0, good.weightData.byteLength - 4));
    const nan = good.weightData.slice(0);
    new Float32Array(nan)[2] = Number.NaN;
    const cases: [string, unknown, NetworkParts, RegExp][] = [
      ['truncated bytes', clf.toJSON(), truncated, /truncated or corrupt/],
      ['a NaN weight', clf.toJSON(), withBytes(good, nan), /finite float32 weights/],
      ['regressor parts under a classifier envelope', clf.toJSON(), reg.exportNetwork(), /topology matching inputShape and classes/],
      ['an envelope of an unknown kind', { ...clf.toJSON(), kind: 'Nope' }, good, /kind/],
    ];
    for (const [what, env, parts, message] of cases) {
      const before = tf.memory().numTensors;
      await expect(neuralModelFromParts(env, parts), what).rejects.toThrow(SerializationError);
      await expect(neuralModelFromParts(env, parts), what).rejects.toThrow(message);
      expect(tf.memory().numTensors, what).toBe(before);
    }
  });

  it('network() is the live network; exportNetwork() and network() throw DisposedError after dispose', async () => {
    const m = await neuralClassifier({ model: { type: 'fnn', hidden: [2] }, train: { epochs: 1 }, seed: 1 }).fit(x, y);
    expect(m.network().layers.length).toBeGreaterThan(0);
    expect(m.network()).toBe(m.network());
    m.dispose();
    expect(() => m.exportNetwork()).toThrow(DisposedError);
    expect(() => m.network()).toThrow(DisposedError);
  });
});
