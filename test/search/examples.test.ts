import { describe, expect, it } from 'vitest';
import { createRng } from '../../src/core/random';
import {
  bayesSearch,
  choice,
  crossValidate,
  gridSearch,
  intUniform,
  logUniform,
  randomSearch,
  space,
  uniform,
} from '../../src/search/index';
import { sampleDimension } from '../../src/search/space';

// The @example blocks of src/train/search/*, run as written (their //=> results asserted).
describe('TSDoc examples', () => {
  it('space / uniform / intUniform / choice / sampleDimension', () => {
    expect(space({ dropout: uniform(0, 0.5, { grid: [0, 0.25, 0.5] }) }).grid()).toEqual([{ dropout: 0 }, { dropout: 0.25 }, { dropout: 0.5 }]);
    expect(space({ layers: intUniform(1, 3) }).grid()).toEqual([{ layers: 1 }, { layers: 2 }, { layers: 3 }]);
    expect(space({ hidden: choice([[32], [64, 32]]), act: choice(['relu', 'tanh']) }).gridSize).toBe(4);
    const lr = space({ lr: logUniform(1e-4, 1e-1) }).sample(createRng(1)).lr;
    expect(lr >= 1e-4 && lr <= 1e-1).toBe(true);
    expect([1, 2, 3]).toContain(sampleDimension(intUniform(1, 3), createRng(0)));
  });

  it('crossValidate', async () => {
    const folds = [
      { train: Int32Array.of(2, 3), test: Int32Array.of(0, 1) },
      { train: Int32Array.of(0, 1), test: Int32Array.of(2, 3) },
    ];
    const y = [1, 2, 3, 4];
    const r = await crossValidate((f) => {
      const mean = f.train.reduce((a, i) => a + y[i]!, 0) / f.train.length;
      return -f.test.reduce((a, i) => a + Math.abs(y[i]! - mean), 0) / f.test.length;
    }, folds);
    expect(r.scores).toEqual([-2, -2]);
  });

  it('gridSearch / randomSearch / bayesSearch', async () => {
    const s = space({ depth: intUniform(1, 3), act: choice(['relu', 'tanh']) });
    const g = await gridSearch(s, (p) => p.depth + (p.act === 'relu' ? 1 : 0), { direction: 'maximize' });
    expect(g.trials.length).toBe(6);
    expect(g.best.params).toEqual({ depth: 3, act: 'relu' });

    const r = await randomSearch(space({ x: uniform(-2, 2) }), (p) => (p.x - 1) ** 2, { direction: 'minimize', nTrials: 50, seed: 1 });
    expect(Math.abs(r.best.params.x - 1)).toBeLessThan(0.1);

    const b = await bayesSearch(
      space({ lr: logUniform(1e-4, 1), act: choice(['relu', 'tanh']) }),
      (p) => (Math.log10(p.lr) + 2) ** 2 + (p.act === 'tanh' ? 0 : 1),
      { direction: 'minimize', nTrials: 40, seed: 3 },
    );
    expect(b.best.params.act).toBe('tanh');
  });
});
