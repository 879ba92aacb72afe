/**
 * Runs on cpu and on wasm: stacked SimpleRNN / LSTM / GRU networks build and train.
 */
import * as tf from '@tensorflow/tfjs-core';
import type * as tfl from '@tensorflow/tfjs-layers';
import { describe, expect, it } from 'vitest';
import { createRng } from '../../src/core/random';
import { buildRnn, defaultLoss, disposeModel } from '../../src/models/index';
import { expectNoLeak } from '../helpers/leak';

function series(n: number, lookback: number, seed: number): { x: tf.Tensor3D; y: tf.Tensor2D } {
  const rng = createRng(seed);
  const xs = Float32Array.from({ length: n * lookback }, () => rng.normal());
  const ys = new Float32Array(n);
  for (let i = 0; i < n; i++) ys[i] = 0.6 * (xs[i * lookback + lookback - 1] as number) - 0.3 * (xs[i * lookback + lookback - 2] as number);
  return { x: tf.tensor3d(xs, [n, lookback, 1]), y: tf.tensor2d(ys, [n, 1]) };
}

function weights(m: tfl.LayersModel): number[][] {
  return m.getWeights().map((w) => Array.from(w.dataSync()));
}

describe('buildRnn trains on the active backend', () => {
  it.each(['simple', 'lstm', 'gru'] as const)('%s: stacked, with recurrent dropout: loss decreases and weights change', (cell) => {
    const { x, y } = series(32, 6, 1);
    const model = buildRnn(
      { type: 'rnn', cell, units: [6, 4], recurrentDropout: 0.1, dropout: 0.05, dense: [4] },
      { inputShape: [6, 1], head: { task: 'regression', units: 1 }, seed: 4 },
    );
    // returnSequences on all but the last recurrent layer
    const rec = model.layers.filter((l) => ['SimpleRNN', 'LSTM', 'GRU'].includes(l.getClassName()));
    expect(rec.map((l) => (l.getConfig() as { returnSequences?: boolean }).returnSequences)).toEqual([true, false]);
    const w0 = weights(model);
    const before = tf.memory().numTensors;
    const optimizer = tf.train.adam(0.03);
    const vars = model.trainableWeights.map((v) => v.read() as tf.Variable);
    const losses: number[] = [];
    try {
      for (let step = 0; step < 25; step++) {
        const cost = optimizer.minimize(
          () => tf.mean(tf.square(tf.sub(model.apply(x, { training: true }) as tf.Tensor, y))) as tf.Scalar,
          true,
          vars,
        ) as tf.Scalar;
        losses.push(cost.dataSync()[0] as number);
        cost.dispose();
      }
    } finally {
      optimizer.dispose();
    }
    expect(losses.every(Number.isFinite)).toBe(true);
    expect(losses[losses.length - 1] as number).toBeLessThan(0.8 * (losses[0] as number));
    expect(weights(model)).not.toEqual(w0);
    const nWeights = model.weights.length;
    disposeModel(model);
    // everything created during training (incl. RNN dropout masks) is released by disposeModel
    expect(tf.memory().numTensors).toBe(before - nWeights);
    tf.dispose([x, y]);
  });

  it('LSTM classifier trains with compile/fit and leaks nothing once disposed', async () => {
    const { x, y } = series(24, 5, 2);
    const labels = tf.tidy(() => tf.cast(tf.greater(y, 0), 'float32'));
    await expectNoLeak(async () => {
      const head = { task: 'binary', units: 1 } as const;
      const model = buildRnn({ type: 'rnn', cell: 'lstm', units: [5] }, { inputShape: [5, 1], head, seed: 1 });
      model.compile({ optimizer: 'adam', loss: defaultLoss(head) });
      const h = await model.fit(x, labels, { epochs: 2, batchSize: 12, shuffle: false, verbose: 0 });
      expect((h.history.loss as number[]).every(Number.isFinite)).toBe(true);
      disposeModel(model);
    });
    tf.dispose([x, y, labels]);
  });
});
