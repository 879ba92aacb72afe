import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { describe, expect, it } from 'vitest';
import { predictValues, predictValuesAsync } from '../../src/models/_internal/batchedPredict';
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
});
