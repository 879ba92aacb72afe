import { describe, expect, it } from 'vitest';
import { buildParzen, erf, parzenLogMass, parzenLogPdf, parzenSample } from '../../src/core/_internal/parzen';
import { InvalidOptionError } from '../../src/core/errors';
import { createRng } from '../../src/core/random';
import { bayesSearch, choice, intUniform, logUniform, randomSearch, space, uniform } from '../../src/search/index';

// 3-D quadratic with a log-scale dimension, an integer dimension and a categorical one. Minimum 0 at
// x = 1, y = -2, lr = 1e-3, n = 7, c = 'b'.
const s = space({ x: uniform(-5, 5), y: uniform(-5, 5), lr: logUniform(1e-5, 1), n: intUniform(1, 20), c: choice(['a', 'b', 'c']) });
type P = { readonly x: number; readonly y: number; readonly lr: number; readonly n: number; readonly c: 'a' | 'b' | 'c' };
const f = (p: P): number => (p.x - 1) ** 2 + (p.y + 2) ** 2 + (Math.log10(p.lr) + 3) ** 2 + ((p.n - 7) / 4) ** 2 + (p.c === 'b' ? 0 : 2);

describe('Parzen estimators', () => {
  it('erf matches reference values', () => {
    // erf(0.5), erf(1), erf(2) to 10 digits
    expect(erf(0)).toBeCloseTo(0, 6);
    expect(erf(0.5)).toBeCloseTo(0.5204998778, 6);
    expect(erf(1)).toBeCloseTo(0.8427007929, 6);
    expect(erf(-2)).toBeCloseTo(-0.9953222650, 6);
  });

  it('the truncated mixture is a density on [lo, hi] and its samples stay inside', () => {
    const m = buildParzen([0.1, 0.15, 0.9], 0, 1, 1);
    let integral = 0;
    const n = 20000;
    for (let i = 0; i < n; i++) integral += Math.exp(parzenLogPdf(m, (i + 0.5) / n)) / n;
    expect(integral).toBeCloseTo(1, 3);
    expect(Math.exp(parzenLogMass(m, 0, 1))).toBeCloseTo(1, 6);
    const rng = createRng(1);
    let near = 0;
    for (let i = 0; i < 2000; i++) {
      const x = parzenSample(m, rng);
      expect(x >= 0 && x <= 1).toBe(true);
      if (x < 0.3) near++;
    }
    // the sampler agrees with the density: the fraction below 0.3 matches the mixture's mass there
    const mass = Math.exp(parzenLogMass(m, 0, 0.3));
    expect(mass).toBeGreaterThan(0.3);
    expect(Math.abs(near / 2000 - mass)).toBeLessThan(0.04);
  });
});

describe('bayesSearch (TPE)', () => {
  it('finds a better optimum than random search with the same budget, over 8 seeds', async () => {
    let tpe = 0;
    let rnd = 0;
    let wins = 0;
    for (let seed = 1; seed <= 8; seed++) {
      const b = await bayesSearch(s, f, { direction: 'minimize', nTrials: 40, seed });
      const r = await randomSearch(s, f, { direction: 'minimize', nTrials: 40, seed });
      tpe += b.best.score / 8;
      rnd += r.best.score / 8;
      if (b.best.score < r.best.score) wins++;
    }
    expect(tpe).toBeLessThan(0.6 * rnd);
    expect(wins).toBeGreaterThanOrEqual(6);
  });

  it('maximises too (negated objective gives the same trials)', async () => {
    const a = await bayesSearch(s, f, { direction: 'minimize', nTrials: 25, seed: 5 });
    const b = await bayesSearch(s, (p) => -f(p), { direction: 'maximize', nTrials: 25, seed: 5 });
    expect(b.trials.map((t) => t.params)).toEqual(a.trials.map((t) => t.params));
    expect(b.best.score).toBe(-a.best.score);
  });

  it('starts with the same seeded draws as randomSearch, then proposes in-bounds points', async () => {
    const b = await bayesSearch(s, f, { direction: 'minimize', nTrials: 30, seed: 9, nStartup: 6 });
    const r = await randomSearch(s, f, { direction: 'minimize', nTrials: 6, seed: 9 });
    const byIndex = b.trials.slice().sort((x, y) => x.index - y.index);
    expect(byIndex.slice(0, 6).map((t) => t.params)).toEqual(r.trials.slice().sort((x, y) => x.index - y.index).map((t) => t.params));
    expect(b.method).toBe('tpe');
    for (const { params: p } of byIndex) {
      expect(p.x >= -5 && p.x <= 5 && p.y >= -5 && p.y <= 5).toBe(true);
      expect(p.lr >= 1e-5 && p.lr <= 1).toBe(true);
      expect(Number.isInteger(p.n) && p.n >= 1 && p.n <= 20).toBe(true);
      expect(['a', 'b', 'c']).toContain(p.c);
    }
    // the model concentrates on the good category after the startup phase
    const late = byIndex.slice(15);
    expect(late.filter((t) => t.params.c === 'b').length / late.length).toBeGreaterThan(0.6);
  });

  it('locates a log-scale optimum', async () => {
    const r = await bayesSearch(space({ lr: logUniform(1e-6, 1) }), (p) => (Math.log10(p.lr) + 4) ** 2, { direction: 'minimize', nTrials: 30, seed: 2 });
    expect(Math.abs(Math.log10(r.best.params.lr) + 4)).toBeLessThan(0.3);
  });

  it('ignores failed trials in the model and keeps going', async () => {
    const r = await bayesSearch(s, (p) => (p.x > 3 ? Number.NaN : f(p)), { direction: 'minimize', nTrials: 30, seed: 3 });
    expect(r.trials.some((t) => t.status === 'failed')).toBe(true);
    expect(r.best.status).toBe('ok');
    expect(r.trials).toHaveLength(30);
  });

  it('validates the TPE options', async () => {
    const bad: [Record<string, unknown>, string][] = [
      [{ nStartup: 0 }, 'nStartup'],
      [{ gamma: 0 }, 'gamma'],
      [{ gamma: 1.5 }, 'gamma'],
      [{ nCandidates: 0 }, 'nCandidates'],
      [{ priorWeight: 0 }, 'priorWeight'],
      [{ gama: 0.2 }, 'gama'],
    ];
    for (const [o, arg] of bad) {
      await expect(bayesSearch(s, f, { direction: 'minimize', ...o } as never)).rejects.toSatisfy(
        (e: unknown) => e instanceof InvalidOptionError && e.details.arg === arg && e.details.fn === 'bayesSearch',
      );
    }
  });
});

describe('bayesSearch option errors', () => {
  it('lists the TPE options among the known ones for an unknown key', async () => {
    await expect(bayesSearch(s, f, { direction: 'minimize', gama: 0.2 } as never)).rejects.toThrow(/'gamma'/);
  });
});
