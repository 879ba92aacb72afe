import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createRng } from '../../src/core/random';
import { choice, intUniform, logUniform, randomSearch, space, uniform } from '../../src/search/index';

describe('randomSearch', () => {
  const s = space({ lr: logUniform(1e-5, 1e-1), d: uniform(-2, 3), k: intUniform(-3, 4), c: choice(['a', 'b', 'c']) });

  it('draws the seeded prior samples in bounds (property over seeds and budgets)', async () => {
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 0, max: 2 ** 31 }), fc.integer({ min: 1, max: 25 }), async (seed, nTrials) => {
        const r = await randomSearch(s, (p) => p.d, { direction: 'maximize', seed, nTrials });
        expect(r.trials).toHaveLength(nTrials);
        const rng = createRng(seed);
        const expected = Array.from({ length: nTrials }, () => s.sample(rng));
        const byIndex = r.trials.slice().sort((a, b) => a.index - b.index).map((t) => t.params);
        expect(byIndex).toEqual(expected);
        for (const p of byIndex) {
          expect(p.lr >= 1e-5 && p.lr <= 1e-1).toBe(true);
          expect(p.d >= -2 && p.d <= 3).toBe(true);
          expect(Number.isInteger(p.k) && p.k >= -3 && p.k <= 4).toBe(true);
          expect(['a', 'b', 'c']).toContain(p.c);
        }
      }),
      { numRuns: 30, seed: 12 },
    );
  });

  it('defaults to 20 trials and seed 0; different seeds give different trials', async () => {
    const a = await randomSearch(s, (p) => p.d, { direction: 'maximize' });
    expect(a.trials).toHaveLength(20);
    expect(a.method).toBe('random');
    const b = await randomSearch(s, (p) => p.d, { direction: 'maximize', seed: 0 });
    expect(b).toEqual(a);
    const c = await randomSearch(s, (p) => p.d, { direction: 'maximize', seed: 1 });
    expect(c.best.params).not.toEqual(a.best.params);
  });

  it('gets close to the optimum of a smooth 1-D objective with a large budget', async () => {
    const r = await randomSearch(space({ x: uniform(-2, 2) }), (p) => (p.x - 1) ** 2, { direction: 'minimize', nTrials: 200, seed: 1 });
    expect(Math.abs(r.best.params.x - 1)).toBeLessThan(0.05);
  });
});
