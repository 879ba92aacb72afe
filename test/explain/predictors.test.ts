import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { describe, expect, it } from 'vitest';
import { ensureChainedOps } from '../../src/core/chainedOps';
import { InvalidOptionError, ShapeError } from '../../src/core/errors';
import type { DenseMatrix } from '../../src/core/matrix';
import { layersModelPredictor } from '../../src/explain/layersModelPredictor';
import { predictorFromFunction } from '../../src/explain/predictorFromFunction';
import { expectClose, expectNoLeak } from '../helpers/leak';

const batch = (rows: number[][]): DenseMatrix => ({ rows: rows.length, cols: rows[0]?.length ?? 0, data: Float64Array.from(rows.flat()) });

function reference(model: tfl.LayersModel, x: tf.Tensor): number[][] {
  const out = model.predict(x) as tf.Tensor;
  const v = out.arraySync() as number[][];
  out.dispose();
  return v;
}

describe('layersModelPredictor', () => {
  ensureChainedOps();

  it('returns the selected output column of a multi-unit head, matching model.predict, leak-free', async () => {
    const model = tfl.sequential({ layers: [tfl.layers.dense({ inputShape: [3], units: 3, activation: 'softmax', kernelInitializer: tfl.initializers.glorotUniform({ seed: 1 }) })] });
    const rows = [[1, 2, 3], [-1, 0, 0.5], [0.2, 0.1, -2]];
    const xt = tf.tensor2d(rows);
    const ref = reference(model, xt);
    xt.dispose();
    const p1 = layersModelPredictor(model, { outputIndex: 1 });
    let out: ArrayLike<number> = [];
    await expectNoLeak(async () => {
      out = await p1(batch(rows));
    });
    expect(out).toBeInstanceOf(Float64Array);
    expectClose(out, ref.map((r) => r[1] as number), 1e-6);
    await expect(layersModelPredictor(model, { outputIndex: 3 })(batch(rows))).rejects.toBeInstanceOf(ShapeError);
    model.dispose();
  });

  it('runs the model in batches of batchSize rows (uploaded one by one) and reshapes flat rows for sequence models', async () => {
    const model = tfl.sequential({ layers: [tfl.layers.simpleRNN({ inputShape: [4, 2], units: 2, kernelInitializer: tfl.initializers.glorotUniform({ seed: 2 }), recurrentInitializer: tfl.initializers.glorotUniform({ seed: 3 }) }), tfl.layers.dense({ units: 1 })] });
    const seen: number[][] = [];
    const original = model.apply.bind(model);
    model.apply = ((x: tf.Tensor, kwargs?: { training?: boolean }) => {
      seen.push(x.shape.slice());
      return original(x, kwargs);
    }) as typeof model.apply;
    const flat = [[1, 2, 3, 4, 5, 6, 7, 8], [0, 0, 1, 1, 0, 0, 1, 1], [1, 0, 1, 0, 1, 0, 1, 0]];
    const got = await layersModelPredictor(model, { batchSize: 4096 })(batch(flat));
    expect(seen).toEqual([[3, 4, 2]]);
    seen.length = 0;
    const small = await layersModelPredictor(model, { batchSize: 2 })(batch(flat));
    expect(seen).toEqual([[2, 4, 2], [1, 4, 2]]);
    expect(Array.from(small)).toEqual(Array.from(got));
    const xt = tf.tensor3d(flat.map((r) => [[r[0], r[1]], [r[2], r[3]], [r[4], r[5]], [r[6], r[7]]] as number[][]));
    expectClose(got, reference(model, xt).map((r) => r[0] as number), 1e-6);
    xt.dispose();
    await expect(layersModelPredictor(model)(batch([[1, 2, 3]]))).rejects.toBeInstanceOf(ShapeError);
    model.dispose();
  });

  it('validates its arguments', () => {
    expect(() => layersModelPredictor({} as tfl.LayersModel)).toThrow(InvalidOptionError);
    const model = tfl.sequential({ layers: [tfl.layers.dense({ inputShape: [2], units: 1 })] });
    expect(() => layersModelPredictor(model, { batchSize: 0 })).toThrow(InvalidOptionError);
    expect(() => layersModelPredictor(model, { inputShape: [0] })).toThrow(InvalidOptionError);
    model.dispose();
  });
});

describe('predictorFromFunction', () => {
  it('scores rows one at a time or as nested arrays', () => {
    const p = predictorFromFunction((r) => 2 * (r[0] as number) - (r[1] as number));
    expect(Array.from(p(batch([[1, 1], [3, 0]])) as Float64Array)).toEqual([1, 6]);
    const q = predictorFromFunction((rows) => rows.map((r) => (r[0] as number) * 10), { mode: 'rows' });
    expect(q(batch([[1, 1], [3, 0]]))).toEqual([10, 30]);
    expect(() => predictorFromFunction(42 as unknown as () => number)).toThrow(InvalidOptionError);
  });
});
