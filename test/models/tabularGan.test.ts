import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { DisposedError, InvalidOptionError, NotFittedError, SerializationError } from '../../src/core/errors';
import { createRng } from '../../src/core/random';
import { fromEstimatorJSON } from '../../src/registry';
import { tabularGan, tabularGanFromJSON } from '../../src/models/index';
import type { FittedTabularGan } from '../../src/models/index';
import { expectNoLeak } from '../helpers/leak';

function rows(n: number, seed: number): number[][] {
  const rng = createRng(seed);
  // amounts ~ N(1000, 200), rates ~ N(0.05, 0.01): very different scales
  return Array.from({ length: n }, () => [1000 + 200 * rng.normal(), 0.05 + 0.01 * rng.normal()]);
}

function colMean(x: number[][], j: number): number {
  return x.reduce((a, r) => a + (r[j] as number), 0) / x.length;
}

describe('tabularGan', () => {
  it('learns columns on very different scales (standardizes internally) and samples in original units', async () => {
    const data = rows(256, 1);
    const synth = await tabularGan({ epochs: 40, batchSize: 64, learningRate: 0.005, generatorHidden: [16], discriminatorHidden: [16], latentDim: 4, seed: 2 }).fit(data);
    const fake = synth.sample(500);
    expect(fake.length).toBe(500);
    expect(Math.abs(colMean(fake, 0) - 1000)).toBeLessThan(100);
    expect(Math.abs(colMean(fake, 1) - 0.05)).toBeLessThan(0.005);
    expect(synth.sample(5, 3)).toEqual(synth.sample(5, 3));
    expect(synth.sample(5, 3)).not.toEqual(synth.sample(5, 4));
    const p = synth.score(data.slice(0, 10));
    expect(p.every((v) => v > 0 && v < 1)).toBe(true);
    expect(synth.history.dLoss.length).toBe(40);
    synth.dispose();
  });

  it('restores from JSON (also via fromEstimatorJSON), rejects malformed envelopes, throws after dispose', async () => {
    const data = rows(32, 3);
    const f = await tabularGan({ epochs: 2, batchSize: 16, seed: 1 }).fit(data);
    const json = JSON.parse(JSON.stringify(f.toJSON())) as { state: { generator: number[][] } };
    const g = fromEstimatorJSON(json) as FittedTabularGan;
    expect(g.sample(4, 9)).toEqual(f.sample(4, 9));
    expect(g.score(data)).toEqual(f.score(data));
    const before = tf.memory().numTensors;
    const broken = { ...json, state: { ...json.state, generator: json.state.generator.slice(1) } };
    expect(() => tabularGanFromJSON(broken)).toThrow(SerializationError);
    const wrongSize = { ...json, state: { ...json.state, generator: [[1, 2], ...json.state.generator.slice(1)] } };
    expect(() => tabularGanFromJSON(wrongSize)).toThrow(SerializationError);
    expect(() => tabularGanFromJSON({ ...json, params: { epochs: -1 } })).toThrow(SerializationError);
    expect(() => tabularGanFromJSON({ ...json, kind: 'Other' })).toThrow(SerializationError);
    expect(tf.memory().numTensors).toBe(before);
    f.dispose();
    g.dispose();
    g.dispose();
    expect(() => f.sample(1)).toThrow(DisposedError);
    expect(() => f.toJSON()).toThrow(DisposedError);
  });

  it('validates params; spec methods throw NotFittedError; withParams makes a new spec', () => {
    expect(() => tabularGan({ labelSmoothing: 0.5 })).toThrow(InvalidOptionError);
    expect(() => tabularGan({ generatorHidden: [0] })).toThrow(InvalidOptionError);
    expect(() => tabularGan({ nope: 1 } as never)).toThrow(InvalidOptionError);
    const s = tabularGan();
    expect(() => (s.sample as unknown as (n: number) => unknown)(3)).toThrow(NotFittedError);
    const t = s.withParams({ epochs: 5 });
    expect(t.params.epochs).toBe(5);
    expect(s.params.epochs).toBe(100);
  });

  it('fit + sample + score + JSON round trip + dispose leak nothing', async () => {
    const data = rows(24, 5);
    await expectNoLeak(async () => {
      const f = await tabularGan({ epochs: 1, batchSize: 12, seed: 1 }).fit(data);
      f.sample(3);
      f.score(data);
      const g = tabularGanFromJSON(JSON.parse(JSON.stringify(f.toJSON())));
      f.dispose();
      g.dispose();
    });
  });
});
