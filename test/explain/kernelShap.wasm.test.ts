import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { describe, expect, it } from 'vitest';
import { ensureChainedOps } from '../../src/core/chainedOps';
import { kernelShap } from '../../src/explain/kernelShap';
import { layersModelPredictor } from '../../src/explain/layersModelPredictor';
import { permutationImportance } from '../../src/explain/permutationImportance';
import { expectNoLeak } from '../helpers/leak';

/** Runs on cpu and on wasm: explainers through a layers model are additive and leak-free on both. */
describe(`explainers with a tfjs model (${tf.getBackend()})`, () => {
  it('KernelSHAP (sampled, logit) and permutation importance leave no tensors behind', async () => {
    ensureChainedOps();
    const model = tfl.sequential({
      layers: [
        tfl.layers.dense({ inputShape: [14], units: 8, activation: 'relu', kernelInitializer: tfl.initializers.glorotUniform({ seed: 4 }) }),
        tfl.layers.dense({ units: 1, activation: 'sigmoid', kernelInitializer: tfl.initializers.glorotUniform({ seed: 5 }) }),
      ],
    });
    const x = Array.from({ length: 12 }, (_, i) => Array.from({ length: 14 }, (_, j) => Math.cos(i * 0.7 + j)));
    const y = x.map((r) => ((r[0] as number) > 0 ? 1 : 0));
    const predictor = layersModelPredictor(model);
    const explainer = kernelShap(predictor, x, { link: 'logit', nSamples: 64, backgroundSize: 4, seed: 1 });
    const mse = (t: Float64Array, p: Float64Array): number => t.reduce((s, v, i) => s + (v - (p[i] as number)) ** 2, 0) / t.length;
    let maxGap = 0;
    await expectNoLeak(async () => {
      const e = await explainer.explain(x.slice(0, 2));
      e.values.forEach((v, i) => {
        maxGap = Math.max(maxGap, Math.abs(e.baseValue + v.reduce((a, b) => a + b, 0) - (e.fx[i] as number)));
      });
      await permutationImportance(predictor, x, y, { metric: mse, greaterIsBetter: false, nRepeats: 2 });
    });
    expect(maxGap).toBeLessThan(1e-9);
    model.dispose();
  });
});
