import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { DataError, InvalidOptionError, ShapeError } from '../../src/core/errors';
import { createRng } from '../../src/core/random';
import { buildGan, disposeGan, ganQualityReport, sampleGan, trainGan } from '../../src/gan/index';
import type { Gan } from '../../src/gan/index';
import { expectNoLeak } from '../helpers/leak';

function normalRows(n: number, mean: number, sd: number, seed: number): number[][] {
  const rng = createRng(seed);
  return Array.from({ length: n }, () => [mean + sd * rng.normal()]);
}

function sampleMean(gan: Gan, n: number, seed: number): number {
  const t = sampleGan(gan.generator, n, seed);
  const v = t.dataSync();
  t.dispose();
  let s = 0;
  for (const x of v) s += x;
  return s / v.length;
}

describe('buildGan', () => {
  it('builds tabular and sequence GANs with the right shapes; seeded', () => {
    const tab = buildGan({ kind: 'tabular', features: 3, latentDim: 4, seed: 1 });
    expect(tab.generator.outputs[0]?.shape).toEqual([null, 3]);
    expect(tab.discriminator.outputs[0]?.shape).toEqual([null, 1]);
    for (const type of ['dense', 'cnn', 'rnn'] as const) {
      const seq = buildGan({ kind: 'sequence', seqLength: 10, latentDim: 4, discriminator: { type, hidden: [8, 4] }, seed: 1 });
      expect(seq.generator.outputs[0]?.shape).toEqual([null, 10, 1]);
      expect(seq.discriminator.inputs[0]?.shape).toEqual([null, 10, 1]);
      expect(seq.discriminator.outputs[0]?.shape).toEqual([null, 1]);
      disposeGan(seq);
    }
    const same = buildGan({ kind: 'tabular', features: 3, latentDim: 4, seed: 1 });
    const w = (g: Gan): number[][] => [...g.generator.getWeights(), ...g.discriminator.getWeights()].map((t) => Array.from(t.dataSync()));
    expect(w(same)).toEqual(w(tab));
    disposeGan(tab);
    disposeGan(same);
  });

  it.each([
    ['sequence without seqLength', { kind: 'sequence' }, 'seqLength'],
    ['tabular without features', { kind: 'tabular' }, 'features'],
    ['latentDim 0', { kind: 'tabular', features: 2, latentDim: 0 }, 'latentDim'],
    ['negative hidden', { kind: 'tabular', features: 2, generator: { hidden: [-3] } }, 'hidden'],
    ['unknown activation', { kind: 'tabular', features: 2, discriminator: { activation: 'gelu2' } }, 'activation'],
    ['cnn discriminator on tabular', { kind: 'tabular', features: 2, discriminator: { type: 'cnn' } }, 'discriminator.type'],
    ['unknown kind', { kind: 'image', features: 2 }, 'kind'],
  ])('%s → InvalidOptionError', (_n, spec, arg) => {
    let err: unknown;
    try {
      buildGan(spec as never);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(InvalidOptionError);
    expect((err as InvalidOptionError).details.arg).toBe(arg);
  });
});

describe('trainGan', () => {
  it('moves the generated mean toward a N(2, 0.5) target (seeded, reproducible)', async () => {
    const data = normalRows(256, 2, 0.5, 1);
    const spec = { kind: 'tabular', features: 1, latentDim: 4, generator: { hidden: [16] }, discriminator: { hidden: [16] }, seed: 3 } as const;
    const run = async (): Promise<{ before: number; after: number; d: readonly number[]; g: readonly number[] }> => {
      const gan = buildGan(spec);
      const before = sampleMean(gan, 500, 9);
      const epochs: number[] = [];
      const h = await trainGan(gan, data, { epochs: 30, batchSize: 64, learningRate: 0.01, seed: 5, labelSmoothing: 0.1, onEpochEnd: (e) => void epochs.push(e) });
      expect(epochs).toEqual(Array.from({ length: 30 }, (_, i) => i));
      const after = sampleMean(gan, 500, 9);
      disposeGan(gan);
      return { before, after, d: h.dLoss, g: h.gLoss };
    };
    const a = await run();
    expect(a.d.length).toBe(30);
    expect([...a.d, ...a.g].every(Number.isFinite)).toBe(true);
    expect(Math.abs(a.after - 2)).toBeLessThan(0.5 * Math.abs(a.before - 2));
    expect(Math.abs(a.after - 2)).toBeLessThan(0.3);
    const b = await run();
    expect(b).toEqual(a);
  });

  it('trains a sequence GAN with a PortableConv1D discriminator', async () => {
    const rng = createRng(2);
    const data = Array.from({ length: 64 }, () => Array.from({ length: 8 }, () => 0.5 * rng.normal()));
    const gan = buildGan({ kind: 'sequence', seqLength: 8, latentDim: 4, generator: { hidden: [16] }, discriminator: { type: 'cnn', hidden: [4, 8] }, seed: 1 });
    const g0 = gan.generator.getWeights().map((t) => Array.from(t.dataSync()));
    const h = await trainGan(gan, data, { epochs: 3, batchSize: 32, seed: 1 });
    expect(h.gLoss.every(Number.isFinite)).toBe(true);
    expect(gan.generator.getWeights().map((t) => Array.from(t.dataSync()))).not.toEqual(g0);
    const s = sampleGan(gan.generator, 5, 1);
    expect(s.shape).toEqual([5, 8, 1]);
    s.dispose();
    disposeGan(gan);
  });

  it('leaks nothing, also when onEpochEnd throws; validates its inputs', async () => {
    const data = normalRows(40, 0, 1, 4);
    const x = tf.tensor2d(data);
    await expectNoLeak(async () => {
      const gan = buildGan({ kind: 'tabular', features: 1, latentDim: 2, generator: { hidden: [4] }, discriminator: { hidden: [4] }, seed: 1 });
      await trainGan(gan, x, { epochs: 2, batchSize: 16 });
      tf.dispose(sampleGan(gan.generator, 10, 3));
      await expect(
        trainGan(gan, data, {
          epochs: 3,
          batchSize: 16,
          onEpochEnd: () => {
            throw new Error('stop');
          },
        }),
      ).rejects.toThrow('stop');
      await expect(trainGan(gan, [[1], [Number.NaN]], { epochs: 1 })).rejects.toThrow(DataError);
      await expect(trainGan(gan, [], { epochs: 1 })).rejects.toThrow(DataError);
      await expect(trainGan(gan, [[1, 2]], { epochs: 1 })).rejects.toThrow(ShapeError);
      await expect(trainGan(gan, data, { labelSmoothing: 0.7 })).rejects.toThrow(InvalidOptionError);
      await expect(trainGan(gan, data, { epochs: 0 })).rejects.toThrow(InvalidOptionError);
      expect(() => sampleGan(gan.generator, 0, 1)).toThrow(InvalidOptionError);
      disposeGan(gan);
    });
    expect(x.isDisposed).toBe(false);
    x.dispose();
  });

  it('sampleGan is reproducible per seed', () => {
    const gan = buildGan({ kind: 'tabular', features: 2, latentDim: 3, seed: 1 });
    const a = sampleGan(gan.generator, 6, 4);
    const b = sampleGan(gan.generator, 6, 4);
    const c = sampleGan(gan.generator, 6, 5);
    expect(Array.from(b.dataSync())).toEqual(Array.from(a.dataSync()));
    expect(Array.from(c.dataSync())).not.toEqual(Array.from(a.dataSync()));
    tf.dispose([a, b, c]);
    disposeGan(gan);
  });
});

describe('trainGan categorical blocks', () => {
  it('trains one-hot blocks through a Gumbel-softmax toward the real frequencies; validates blocks; no leaks', async () => {
    const rng = createRng(3);
    // column 0 numeric, columns 1..3 a one-hot category with frequencies .7 / .2 / .1
    const data = Array.from({ length: 256 }, () => {
      const u = rng.next();
      return [rng.normal(), u < 0.7 ? 1 : 0, u >= 0.7 && u < 0.9 ? 1 : 0, u >= 0.9 ? 1 : 0];
    });
    const gan = buildGan({ kind: 'tabular', features: 4, generator: { hidden: [16] }, discriminator: { hidden: [16] }, seed: 2 });
    const before = tf.memory().numTensors;
    await trainGan(gan, data, { epochs: 30, batchSize: 64, categorical: [{ start: 1, size: 3 }], cdfWeight: 20, momentWeight: 1, frequencyWeight: 200, seed: 1 });
    expect(tf.memory().numTensors).toBe(before);
    const probs = tf.tidy(() => tf.mean(tf.softmax(tf.slice(sampleGan(gan.generator, 2000, 1), [0, 1], [-1, 3])), 0).arraySync() as number[]);
    [0.7, 0.2, 0.1].forEach((f, k) => expect(Math.abs((probs[k] as number) - f)).toBeLessThan(0.05));
    await expect(trainGan(gan, data, { epochs: 1, categorical: [{ start: 2, size: 3 }] })).rejects.toThrow(InvalidOptionError);
    await expect(trainGan(gan, data, { epochs: 1, categorical: [{ start: 1, size: 2 }, { start: 2, size: 2 }] })).rejects.toThrow(InvalidOptionError);
    await expect(trainGan(gan, data, { epochs: 1, categorical: [{ start: 1, size: 1 }] })).rejects.toThrow(InvalidOptionError);
    await expect(trainGan(gan, data, { epochs: 1, gumbelTau: 0 })).rejects.toThrow(InvalidOptionError);
    expect(tf.memory().numTensors).toBe(before);
    disposeGan(gan);
  });
});

describe('end to end on DAX log returns', () => {
  it('trains a sequence GAN on standardized DAX return windows and produces a finite quality report', async () => {
    const { readFileSync } = await import('node:fs');
    const lines = readFileSync(new URL('../../data/eu_stock_markets.csv', import.meta.url), 'utf8').trim().split('\n').slice(1);
    const dax = lines.map((l) => Number(l.split(',')[2]));
    expect(dax.length).toBe(1860);
    const r = dax.slice(1).map((p, i) => Math.log(p / (dax[i] as number)));
    const mu = r.reduce((a, b) => a + b, 0) / r.length;
    const sd = Math.sqrt(r.reduce((a, b) => a + (b - mu) ** 2, 0) / (r.length - 1));
    const L = 16;
    const windows: number[][] = [];
    for (let s = 0; s + L <= r.length; s += 4) windows.push(r.slice(s, s + L).map((v) => (v - mu) / sd));
    const gan = buildGan({ kind: 'sequence', seqLength: L, latentDim: 8, generator: { hidden: [32] }, discriminator: { type: 'dense', hidden: [32] }, seed: 7 });
    const h = await trainGan(gan, windows, { epochs: 3, batchSize: 64, learningRate: 2e-3, seed: 7 });
    expect([...h.dLoss, ...h.gLoss].every(Number.isFinite)).toBe(true);
    const t = sampleGan(gan.generator, 100, 1);
    const flat = Array.from(t.dataSync()).map((v) => v * sd + mu);
    t.dispose();
    disposeGan(gan);
    const synthetic = Array.from({ length: 100 }, (_, i) => flat.slice(i * L, (i + 1) * L));
    const realWindows = windows.map((w) => w.map((v) => v * sd + mu));
    const report = ganQualityReport(realWindows, synthetic, { maxLag: 5 });
    const numbers = [
      report.real.mean, report.real.std, report.real.skewness, report.real.excessKurtosis, ...report.real.acfAbs,
      report.synthetic.mean, report.synthetic.std, report.synthetic.skewness, report.synthetic.excessKurtosis,
      ...report.synthetic.acf, ...report.synthetic.acfAbs, ...report.synthetic.acfSquared, report.ks.statistic, report.ks.pValue,
    ];
    expect(numbers.every(Number.isFinite)).toBe(true);
    // sanity on the real side: DAX daily log returns are fat-tailed
    expect(report.real.excessKurtosis).toBeGreaterThan(1);
    // 9 statistic lines + discriminative score + TSTR (both samples are sets of >= 10 windows)
    expect(report.summary.split('\n').length).toBe(11);
    expect(report.discriminative?.accuracy).toBeGreaterThanOrEqual(0);
  });
});
