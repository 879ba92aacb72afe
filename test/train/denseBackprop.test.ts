import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { describe, expect, it } from 'vitest';
import { SeededDropout } from '../../src/models/seededDropout';
import { denseBackprop } from '../../src/train/_internal/denseBackprop';
import { trainModel } from '../../src/train/trainModel';
import { createRng } from '../../src/core/random';
import { hostOptimizerMatchesTfjs, tapeFreeStepMatchesTape } from './hostStepCases';

describe('HostOptimizer (cpu)', () => {
  hostOptimizerMatchesTfjs();
});

describe('denseBackprop (cpu)', () => {
  tapeFreeStepMatchesTape(2e-5);

  const varsOf = (m: tfl.LayersModel): tf.Variable[] => m.trainableWeights.map((v) => v.read() as tf.Variable);
  const dense = (units: number, activation: string, extra: Record<string, unknown> = {}): tfl.layers.Layer =>
    tfl.layers.dense({ units, activation: activation as 'relu', ...extra });

  it('declines what it does not support, so those models train through the tape', () => {
    const seq = (...layers: tfl.layers.Layer[]): tfl.Sequential => tfl.sequential({ layers: [tfl.layers.inputLayer({ inputShape: [3] }), ...layers] });
    const inp = tfl.input({ shape: [3] });
    const cases: [string, tfl.LayersModel, 'binaryCrossentropy' | 'meanSquaredError' | 'categoricalCrossentropy'][] = [
      ['functional model', tfl.model({ inputs: inp, outputs: dense(1, 'sigmoid').apply(inp) as tfl.SymbolicTensor }), 'binaryCrossentropy'],
      ['batch norm', seq(dense(4, 'linear'), tfl.layers.batchNormalization(), dense(1, 'sigmoid')), 'binaryCrossentropy'],
      ["tfjs' own Dropout", seq(dense(4, 'relu'), tfl.layers.dropout({ rate: 0.1 }), dense(1, 'sigmoid')), 'binaryCrossentropy'],
      ['elu hidden layer', seq(dense(4, 'elu'), dense(1, 'sigmoid')), 'binaryCrossentropy'],
      ['softmax hidden layer', seq(dense(4, 'softmax'), dense(1, 'linear')), 'meanSquaredError'],
      ['binary cross-entropy on a linear head', seq(dense(4, 'relu'), dense(1, 'linear')), 'binaryCrossentropy'],
      ['categorical cross-entropy on a sigmoid head', seq(dense(4, 'relu'), dense(2, 'sigmoid')), 'categoricalCrossentropy'],
      ['bias regularizer', seq(dense(4, 'relu', { biasRegularizer: tfl.regularizers.l2({ l2: 0.1 }) }), dense(1, 'sigmoid')), 'binaryCrossentropy'],
      ['kernel constraint', seq(dense(4, 'relu', { kernelConstraint: tfl.constraints.maxNorm({ maxValue: 2 }) }), dense(1, 'sigmoid')), 'binaryCrossentropy'],
    ];
    try {
      for (const [what, m, loss] of cases) expect(denseBackprop(m, loss, varsOf(m)), what).toBeNull();
      const ok = seq(dense(4, 'relu'), new SeededDropout({ rate: 0.2, seed: 1 }), dense(1, 'sigmoid'));
      expect(denseBackprop(ok, 'binaryCrossentropy', varsOf(ok))).not.toBeNull();
      // a variable the chain does not own
      const stray = tf.variable(tf.zeros([2]));
      expect(denseBackprop(ok, 'binaryCrossentropy', [...varsOf(ok), stray])).toBeNull();
      stray.dispose();
      ok.dispose();
    } finally {
      for (const [, m] of cases) m.dispose();
    }
  });

  it('leaves a frozen layer unchanged and trains the others', async () => {
    const rng = createRng(2);
    const x = Array.from({ length: 64 }, () => [rng.normal(), rng.normal(), rng.normal()]);
    const y = x.map((r) => (r[1]! > 0 ? 1 : 0));
    const frozen = dense(4, 'relu', { kernelInitializer: tfl.initializers.glorotUniform({ seed: 1 }) });
    const m = tfl.sequential({ layers: [tfl.layers.inputLayer({ inputShape: [3] }), frozen, dense(1, 'sigmoid', { kernelInitializer: tfl.initializers.glorotUniform({ seed: 2 }) })] });
    frozen.trainable = false;
    try {
      expect(denseBackprop(m, 'binaryCrossentropy', varsOf(m))).not.toBeNull();
      const values = (l: tfl.layers.Layer): number[][] => l.getWeights().map((t) => Array.from(t.dataSync()));
      const head = m.layers[m.layers.length - 1] as tfl.layers.Layer;
      const frozenBefore = values(frozen);
      const headBefore = values(head);
      await trainModel(m, x, y, { epochs: 2, batchSize: 16, seed: 1 });
      expect(values(frozen)).toEqual(frozenBefore);
      expect(values(head)[0]).not.toEqual(headBefore[0]);
      expect(values(head)[1]).not.toEqual(headBefore[1]);
    } finally {
      m.dispose();
    }
  });

  it('SeededDropout: a training call is x times trainingMultiplier, the mask stream advancing once per call', () => {
    const a = new SeededDropout({ rate: 0.4, seed: 3 });
    const b = new SeededDropout({ rate: 0.4, seed: 3 });
    const x = tf.randomNormal([6, 5], 0, 1, 'float32', 1);
    try {
      for (let call = 0; call < 3; call++) {
        const out = a.apply(x, { training: true }) as tf.Tensor;
        const m = b.trainingMultiplier(x.shape);
        const expected = tf.mul(x, m);
        expect(Array.from(out.dataSync())).toEqual(Array.from(expected.dataSync()));
        expect(new Set(Array.from(m.dataSync()).map((v) => Math.round(v * 1e6) / 1e6))).toEqual(new Set([0, Math.round(1e6 / 0.6) / 1e6]));
        tf.dispose([out, m, expected]);
      }
    } finally {
      x.dispose();
    }
  });
});
