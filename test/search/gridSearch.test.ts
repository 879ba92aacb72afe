import { describe, expect, it } from 'vitest';
import { InvalidOptionError } from '../../src/core/errors';
import { choice, gridSearch, intUniform, logUniform, space, uniform } from '../../src/search/index';

describe('gridSearch', () => {
  const s = space({
    lr: logUniform(1e-3, 1e-1, { grid: [1e-3, 1e-2, 1e-1] }),
    layers: intUniform(1, 2),
    hidden: choice([[32], [64, 32]]),
    act: choice(['relu', 'tanh', 'elu']),
  });

  it('evaluates the exact cartesian product, each point once', async () => {
    const seen: string[] = [];
    const r = await gridSearch(s, (p) => {
      seen.push(JSON.stringify(p));
      return p.lr * 10 + p.layers + p.hidden.length + (p.act === 'tanh' ? 1 : 0);
    }, { direction: 'maximize' });
    const expected: string[] = [];
    for (const lr of [1e-3, 1e-2, 1e-1])
      for (const layers of [1, 2])
        for (const hidden of [[32], [64, 32]])
          for (const act of ['relu', 'tanh', 'elu']) expected.push(JSON.stringify({ lr, layers, hidden, act }));
    expect(seen).toEqual(expected);
    expect(new Set(seen).size).toBe(36);
    expect(r.trials).toHaveLength(36);
    expect(r.method).toBe('grid');
    expect(r.best.params).toEqual({ lr: 1e-1, layers: 2, hidden: [64, 32], act: 'tanh' });
    expect(r.best.params.hidden).toBe(s.dims.hidden.values[1]);
    expect(r.best.score).toBeCloseTo(1 + 2 + 2 + 1, 12);
  });

  it('nTrials caps the number of grid points, in grid order', async () => {
    const r = await gridSearch(s, (p) => p.layers, { direction: 'minimize', nTrials: 5 });
    expect(r.trials.map((t) => t.index).sort((a, b) => a - b)).toEqual([0, 1, 2, 3, 4]);
    expect(r.trials.every((t) => t.params.lr === 1e-3 && t.params.layers === 1)).toBe(true);
    const all = await gridSearch(s, (p) => p.layers, { direction: 'minimize', nTrials: 1000 });
    expect(all.trials).toHaveLength(36);
  });

  it('requires explicit values for continuous dimensions', async () => {
    const c = space({ d: uniform(0, 0.5), k: intUniform(1, 3) });
    await expect(gridSearch(c, (p) => p.d, { direction: 'maximize' })).rejects.toThrow(InvalidOptionError);
    await expect(gridSearch(c, (p) => p.d, { direction: 'maximize' })).rejects.toThrow(/'space\.d' option of gridSearch must be a dimension with explicit grid values/);
    const huge = space({ n: intUniform(0, 1e6) });
    await expect(gridSearch(huge, (p) => p.n, { direction: 'maximize' })).rejects.toThrow(/'space\.n'/);
  });
});
