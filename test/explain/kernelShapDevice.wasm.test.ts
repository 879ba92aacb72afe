import * as tfl from '@tensorflow/tfjs-layers';
import { describe, expect, it } from 'vitest';
import { ensureChainedOps } from '../../src/core/chainedOps';
import { DataError } from '../../src/core/errors';
import type { DenseMatrix } from '../../src/core/matrix';
import type { Predictor } from '../../src/core/predictor';
import { kernelShap } from '../../src/explain/kernelShap';
import { layersModelPredictor } from '../../src/explain/layersModelPredictor';
import { expectClose, expectNoLeak } from '../helpers/leak';

function net(units: number, activation: 'sigmoid' | 'softmax' | 'linear'): tfl.LayersModel {
  return tfl.sequential({
    layers: [
      tfl.layers.dense({ inputShape: [6], units: 5, activation: 'relu', kernelInitializer: tfl.initializers.glorotUniform({ seed: 3 }) }),
      tfl.layers.dense({ units, activation, kernelInitializer: tfl.initializers.glorotUniform({ seed: 4 }) }),
    ],
  });
}

const rows = (n: number, shift: number): number[][] => Array.from({ length: n }, (_, i) => Array.from({ length: 6 }, (_, j) => Math.sin(i * 1.3 + j * 0.7 + shift)));

/** Runs on cpu and wasm: the device path for layersModelPredictor equals the generic JS path. */
describe('kernelShap with a layersModelPredictor on the device', () => {
  it('gives the values of the generic path (sampled and exact, grouped players, softmax column), leak-free', async () => {
    ensureChainedOps();
    const bin = net(1, 'sigmoid');
    const multi = net(3, 'softmax');
    const bg = rows(9, 0);
    const x = rows(3, 2);
    try {
      const cases = [
        { model: bin, outputIndex: 0, opts: { link: 'logit' as const, nSamples: 40, exactMaxPlayers: 4, backgroundSummary: 'none' as const, seed: 2 } },
        { model: bin, outputIndex: 0, opts: { link: 'identity' as const, backgroundSummary: 'none' as const } },
        { model: multi, outputIndex: 2, opts: { groups: [{ name: 'a', columns: [0, 1] }, { name: 'b', columns: [2] }, { name: 'c', columns: [3, 4, 5] }], backgroundSize: 4, seed: 1 } },
      ];
      for (const c of cases) {
        const device = layersModelPredictor(c.model, { outputIndex: c.outputIndex, batchSize: 16 });
        const generic: Predictor = (b: DenseMatrix) => device(b); // not registered: the JS path
        const a = await kernelShap(device, bg, c.opts).explain(x);
        const b = await kernelShap(generic, bg, c.opts).explain(x);
        expect(a.nCoalitions).toBe(b.nCoalitions);
        expect(a.exact).toBe(b.exact);
        expectClose([a.baseValue, ...a.fx], [b.baseValue, ...b.fx], 1e-12);
        expectClose(a.values.flat(), b.values.flat(), 1e-5);
        a.values.forEach((v, i) => expect(Math.abs(a.baseValue + v.reduce((s, t) => s + t, 0) - (a.fx[i] as number))).toBeLessThan(1e-9));
      }
      const ex = kernelShap(layersModelPredictor(bin, { batchSize: 20 }), bg, { link: 'logit', nSamples: 50, exactMaxPlayers: 4, backgroundSummary: 'none', seed: 1 });
      await expectNoLeak(async () => {
        await ex.explain(x);
      });
    } finally {
      bin.dispose();
      multi.dispose();
    }
  });

  it('rejects outputs outside [0, 1] with the logit link, without leaking', async () => {
    ensureChainedOps();
    const lin = net(1, 'linear');
    try {
      const ex = kernelShap(layersModelPredictor(lin), rows(5, 0).map((r) => r.map((v) => 50 * v)), { link: 'logit', backgroundSummary: 'none', nSamples: 30, exactMaxPlayers: 3 });
      await expectNoLeak(async () => {
        await expect(ex.explain(rows(2, 1).map((r) => r.map((v) => 50 * v)))).rejects.toBeInstanceOf(DataError);
      });
    } finally {
      lin.dispose();
    }
  });
});
