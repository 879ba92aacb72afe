import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { describe, expect, it } from 'vitest';
import { inferenceChain, predictValuesAsync } from '../../src/models/_internal/batchedPredict';
import { createRng } from '../../src/core/random';
import { expectNoLeak } from '../helpers/leak';

describe('batched predict on wasm', () => {
  it('a dense chain run as direct ops gives the bits of model.predict', async () => {
    const model = tfl.sequential({
      layers: [
        tfl.layers.dense({ units: 16, inputShape: [7], activation: 'relu', kernelInitializer: tfl.initializers.glorotUniform({ seed: 1 }), biasInitializer: 'ones' }),
        tfl.layers.dense({ units: 9, activation: 'relu', kernelInitializer: tfl.initializers.glorotUniform({ seed: 2 }) }),
        tfl.layers.dense({ units: 1, activation: 'sigmoid', kernelInitializer: tfl.initializers.glorotUniform({ seed: 3 }) }),
      ],
    });
    expect(inferenceChain(model)).not.toBeNull();
    const rng = createRng(2);
    const values = Float32Array.from({ length: 300 * 7 }, () => rng.normal());
    const xt = tf.tensor2d(values, [300, 7]);
    const ref = model.predict(xt) as tf.Tensor;
    const want = Array.from(ref.dataSync());
    tf.dispose([xt, ref]);
    await expectNoLeak(async () => {
      expect(Array.from((await predictValuesAsync(model, values, 300, [7], 'test', 128)).values)).toEqual(want);
    });
    model.dispose();
  });
});
