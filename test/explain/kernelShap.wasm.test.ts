import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { describe, expect, it } from 'vitest';
import { ensureChainedOps } from '../../src/core/chainedOps';
import { kernelShap } from '../../src/explain/kernelShap';
import { layersModelPredictor } from '../../src/explain/layersModelPredictor';
import { permutationImportance } from '../../src/explain/permutationImportance';
import { expectNoLeak } from '../helpers/leak';
import { coalitionOutputsOf, float32RowsOf, withFloat32Rows } from '../../src/core/_internal/float32Rows';
import { neuralClassifier } from '../../src/models/neuralModel';
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
    const full = layersModelPredictor(model);
    expect(float32RowsOf(full)).toBeDefined();
    const plain: Predictor = (b) => full(b); // no float32 entry: masked rows built as float64
    expect(float32RowsOf(plain)).toBeUndefined();
    // the float32 entry alone (the coalition entry is tested below)
    const fast = withFloat32Rows((b) => full(b), float32RowsOf(full)!);
    expect(coalitionOutputsOf(fast)).toBeUndefined();
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

  it("KernelSHAP through a dense network's coalition entry equals the masked rows' values (no rows built)", async () => {
    ensureChainedOps();
    const model = tfl.sequential({
      layers: [
        tfl.layers.dense({ inputShape: [6], units: 5, activation: 'tanh', kernelInitializer: tfl.initializers.glorotUniform({ seed: 7 }) }),
        tfl.layers.dense({ units: 4, activation: 'relu', kernelInitializer: tfl.initializers.glorotUniform({ seed: 9 }) }),
        tfl.layers.dense({ units: 2, activation: 'softmax', kernelInitializer: tfl.initializers.glorotUniform({ seed: 8 }) }),
      ],
    });
    const x = Array.from({ length: 20 }, (_, i) => Array.from({ length: 6 }, (_, j) => Math.sin(i * 1.3 + j * 0.4) * 1.7));
    const full = layersModelPredictor(model, { outputIndex: 1 });
    expect(coalitionOutputsOf(full)).toBeDefined();
    const rowsOnly = withFloat32Rows((b) => full(b), float32RowsOf(full)!);
    for (const opts of [{ nSamples: 40, maxBatchRows: 97 }, { exactMaxPlayers: 6 }, { nSamples: 30, groups: [{ name: 'a', columns: [0, 1] }, { name: 'b', columns: [2] }, { name: 'c', columns: [3, 4, 5] }] }]) {
      const a = await kernelShap(full, x, { link: 'logit', backgroundSize: 7, seed: 3, ...opts }).explain(x.slice(0, 3));
      const b = await kernelShap(rowsOnly, x, { link: 'logit', backgroundSize: 7, seed: 3, ...opts }).explain(x.slice(0, 3));
      expect(a.fx).toEqual(b.fx);
      expect(a.baseValue).toBe(b.baseValue);
      a.values.forEach((row, r) => row.forEach((v, j) => expect(Math.abs(v - (b.values[r]![j] as number))).toBeLessThan(2e-6)));
    }
    await expectNoLeak(async () => {
      await kernelShap(full, x, { link: 'logit', backgroundSize: 5, nSamples: 20, seed: 1 }).explain(x.slice(0, 2));
    });
    model.dispose();
  });

  it("a neural classifier's asPredictor() has the coalition entry, which refuses a disposed model", async () => {
    const x = Array.from({ length: 40 }, (_, i) => [Math.sin(i), Math.cos(i * 0.7), (i % 5) / 5]);
    const y = x.map((r) => ((r[0] as number) + (r[1] as number) > 0 ? 1 : 0));
    const fitted = await neuralClassifier({ model: { type: 'fnn', hidden: [6] }, train: { epochs: 2 }, seed: 1 }).fit(x, y);
    const predictor = fitted.asPredictor();
    const coalitions = coalitionOutputsOf(predictor);
    expect(coalitions).toBeDefined();
    const rowsOnly = withFloat32Rows((b) => predictor(b), float32RowsOf(predictor)!);
    const a = await kernelShap(predictor, x, { backgroundSize: 6, exactMaxPlayers: 3, seed: 2 }).explain(x.slice(0, 4));
    const b = await kernelShap(rowsOnly, x, { backgroundSize: 6, exactMaxPlayers: 3, seed: 2 }).explain(x.slice(0, 4));
    a.values.forEach((row, r) => row.forEach((v, j) => expect(Math.abs(v - (b.values[r]![j] as number))).toBeLessThan(2e-6)));
    fitted.dispose();
    await expect(coalitions!(Float32Array.of(0, 0, 0), new Float32Array(3), 1, Float32Array.of(1, 0, 0), 1)).rejects.toThrow(/dispos/i);
  });
});
