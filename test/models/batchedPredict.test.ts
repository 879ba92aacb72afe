import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { describe, expect, it } from 'vitest';
import { inferenceChain, predictValues, predictValuesAsync } from '../../src/models/_internal/batchedPredict';
import { createRng } from '../../src/core/random';
import { expectNoLeak } from '../helpers/leak';

function net(): tfl.LayersModel {
  return tfl.sequential({
    layers: [
      tfl.layers.dense({ units: 4, inputShape: [3], activation: 'relu', kernelInitializer: tfl.initializers.glorotUniform({ seed: 1 }) }),
      tfl.layers.dense({ units: 2, activation: 'softmax', kernelInitializer: tfl.initializers.glorotUniform({ seed: 2 }) }),
    ],
  });
}

describe('batched predict (per-batch uploads)', () => {
  it('matches model.predict for any batch size, sync and async, without leaks', async () => {
    const model = net();
    const rng = createRng(5);
    const values = Float32Array.from({ length: 10 * 3 }, () => rng.normal());
    const xt = tf.tensor2d(values, [10, 3]);
    const ref = model.predict(xt) as tf.Tensor;
    const want = Array.from(ref.dataSync());
    tf.dispose([xt, ref]);
    for (const batchSize of [1, 3, 10, 4096]) {
      const a = predictValues(model, values, 10, [3], 'test', batchSize);
      expect(a.width).toBe(2);
      expect(Array.from(a.values)).toEqual(want);
      const b = await predictValuesAsync(model, values, 10, [3], 'test', batchSize);
      expect(Array.from(b.values)).toEqual(want);
    }
    expect(predictValues(model, new Float32Array(0), 0, [3], 'test')).toEqual({ values: new Float32Array(0), width: 2 });
    await expectNoLeak(async () => {
      predictValues(model, values, 10, [3], 'test', 3);
      await predictValuesAsync(model, values, 10, [3], 'test', 4);
    });
    model.dispose();
  });

  it('runs Sequential dense chains as direct ops with the bits of model.predict', async () => {
    const rng = createRng(9);
    const values = Float32Array.from({ length: 37 * 5 }, () => rng.normal());
    const xt = tf.tensor2d(values, [37, 5]);
    for (const head of ['sigmoid', 'tanh', 'linear', 'softmax'] as const) {
      const model = tfl.sequential({
        layers: [
          tfl.layers.dense({ units: 8, inputShape: [5], activation: 'relu', kernelInitializer: tfl.initializers.glorotUniform({ seed: 3 }), biasInitializer: 'ones' }),
          tfl.layers.dropout({ rate: 0.5 }),
          tfl.layers.dense({ units: 6, activation: 'tanh', kernelInitializer: tfl.initializers.glorotUniform({ seed: 4 }) }),
          tfl.layers.batchNormalization(),
          tfl.layers.dense({ units: head === 'softmax' ? 3 : 1, activation: head, kernelInitializer: tfl.initializers.glorotUniform({ seed: 5 }) }),
        ],
      });
      expect(inferenceChain(model)).not.toBeNull();
      const ref = model.predict(xt) as tf.Tensor;
      const want = Array.from(ref.dataSync());
      ref.dispose();
      expect(Array.from(predictValues(model, values, 37, [5], 'test', 16).values)).toEqual(want);
      expect(Array.from((await predictValuesAsync(model, Float64Array.from(values), 37, [5], 'test', 10)).values)).toEqual(want);
      model.dispose();
    }
    xt.dispose();
  });

  it('uses model.apply for models that are not dense chains', async () => {
    const model = tfl.sequential({ layers: [tfl.layers.lstm({ units: 3, inputShape: [4, 2], kernelInitializer: tfl.initializers.glorotUniform({ seed: 1 }), recurrentInitializer: tfl.initializers.glorotUniform({ seed: 2 }) })] });
    expect(inferenceChain(model)).toBeNull();
    const values = Float32Array.from({ length: 6 * 8 }, (_, i) => Math.sin(i));
    const xt = tf.tensor3d(values, [6, 4, 2]);
    const ref = model.predict(xt) as tf.Tensor;
    expect(Array.from((await predictValuesAsync(model, values, 6, [4, 2], 'test', 4)).values)).toEqual(Array.from(ref.dataSync()));
    tf.dispose([xt, ref]);
    model.dispose();
  });

  it('disposes the pending batch when reading it fails', async () => {
    const model = net();
    const values = Float32Array.from({ length: 8 * 3 }, (_, i) => Math.cos(i));
    await expectNoLeak(async () => {
      const orig = tf.Tensor.prototype.data;
      tf.Tensor.prototype.data = function (): never {
        throw new Error('read failed');
      };
      try {
        await expect(predictValuesAsync(model, values, 8, [3], 'test', 3)).rejects.toThrow('read failed');
      } finally {
        tf.Tensor.prototype.data = orig;
      }
    });
    model.dispose();
  });
});
