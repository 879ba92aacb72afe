import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { describe, expect, it } from 'vitest';
import { ensureChainedOps } from '../../src/core/chainedOps';
import { kernelShap } from '../../src/explain/kernelShap';
import { layersModelPredictor } from '../../src/explain/layersModelPredictor';
import { permutationImportance } from '../../src/explain/permutationImportance';
import { expectNoLeak } from '../helpers/leak';
import { float32RowsOf } from '../../src/core/_internal/float32Rows';
import type { Predictor } from '../../src/core/predictor';

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

  it("KernelSHAP through the predictor's float32 entry equals the float64 path bit for bit (and permutation importance)", async () => {
    ensureChainedOps();
    const model = tfl.sequential({
      layers: [
        tfl.layers.dense({ inputShape: [6], units: 5, activation: 'relu', kernelInitializer: tfl.initializers.glorotUniform({ seed: 7 }) }),
        tfl.layers.dense({ units: 1, activation: 'sigmoid', kernelInitializer: tfl.initializers.glorotUniform({ seed: 8 }) }),
      ],
    });
    const x = Array.from({ length: 20 }, (_, i) => Array.from({ length: 6 }, (_, j) => Math.sin(i * 1.3 + j * 0.4) * 1.7));
    const fast = layersModelPredictor(model);
    expect(float32RowsOf(fast)).toBeDefined();
    const plain: Predictor = (b) => fast(b); // no float32 entry: masked rows built as float64
    expect(float32RowsOf(plain)).toBeUndefined();
    for (const opts of [{ nSamples: 40, maxBatchRows: 97 }, { exactMaxPlayers: 6 }]) {
      const a = await kernelShap(fast, x, { link: 'logit', backgroundSize: 7, seed: 3, ...opts }).explain(x.slice(0, 3));
      const b = await kernelShap(plain, x, { link: 'logit', backgroundSize: 7, seed: 3, ...opts }).explain(x.slice(0, 3));
      expect(a.values).toEqual(b.values);
      expect(a.fx).toEqual(b.fx);
      expect(a.baseValue).toBe(b.baseValue);
    }
    const y = x.map((r) => ((r[1] as number) > 0 ? 1 : 0));
    const mse = (t: Float64Array, p: Float64Array): number => t.reduce((s, v, i) => s + (v - (p[i] as number)) ** 2, 0) / t.length;
    const pa = await permutationImportance(fast, x, y, { metric: mse, greaterIsBetter: false, nRepeats: 3, seed: 2, maxBatchRows: 50 });
    const pb = await permutationImportance(plain, x, y, { metric: mse, greaterIsBetter: false, nRepeats: 3, seed: 2, maxBatchRows: 50 });
    expect(pa.importances).toEqual(pb.importances);
    model.dispose();
  });
});
