import { describe, expect, it } from 'vitest';
import { DataError, InvalidOptionError } from '../../src/core/errors';
import { createRng } from '../../src/core/random';
import { fitLambertW, lambertW, lambertWGaussianize, lambertWHeavyTail } from '../../src/gan/index';
import fixture from '../fixtures/ganLambertW.json';
import { expectClose } from '../helpers/leak';

describe('lambertW (principal branch)', () => {
  it('matches scipy.special.lambertw', () => {
    expectClose(fixture.lambertw.x.map(lambertW), fixture.lambertw.w, 1e-9);
  });

  it('hand values and the defining identity w e^w = x', () => {
    expect(lambertW(0)).toBe(0);
    expect(lambertW(Math.E)).toBeCloseTo(1, 14);
    expect(lambertW(-1 / Math.E)).toBeCloseTo(-1, 6);
    for (const x of [1e-300, 0.3, 7, 1e5, 1e200]) {
      const w = lambertW(x);
      expect(Math.log(w) + w).toBeCloseTo(Math.log(x), 10);
    }
  });

  it('rejects x < -1/e and NaN', () => {
    expect(() => lambertW(-0.5)).toThrow(InvalidOptionError);
    expect(() => lambertW(Number.NaN)).toThrow(InvalidOptionError);
  });
});

describe('fitLambertW (IGMM) and the transforms', () => {
  it.each(Object.entries(fixture.igmm))('%s: parameters and gaussianized values match the scipy implementation', (_name, c) => {
    const p = fitLambertW(c.y);
    expect(p.mu).toBeCloseTo(c.fit.mu, 9);
    expect(p.sigma).toBeCloseTo(c.fit.sigma, 9);
    expect(p.delta).toBeCloseTo(c.fit.delta, 8);
    expectClose(lambertWGaussianize(c.y.slice(0, 10), p), c.gaussianized_head, 1e-8);
    expect(Object.isFrozen(p)).toBe(true);
  });

  it('recovers delta from a large Lambert W x Gaussian sample; gaussianized sample has kurtosis 3', () => {
    const rng = createRng(4);
    const u = Array.from({ length: 5000 }, () => rng.normal());
    const y = lambertWHeavyTail(u, { mu: 0.001, sigma: 0.01, delta: 0.2 });
    const p = fitLambertW(y);
    expect(p.delta).toBeGreaterThan(0.15);
    expect(p.delta).toBeLessThan(0.25);
    const g = lambertWGaussianize(y, p);
    const m = g.reduce((a, b) => a + b, 0) / g.length;
    const m2 = g.reduce((a, b) => a + (b - m) ** 2, 0) / g.length;
    const m4 = g.reduce((a, b) => a + (b - m) ** 4, 0) / g.length;
    expect(m4 / (m2 * m2)).toBeCloseTo(3, 4);
    expect(Math.abs(m)).toBeLessThan(1e-6);
    expect(m2).toBeCloseTo(1, 6);
  });

  it('heavy-tail and gaussianize are inverse to each other; delta 0 is affine', () => {
    const p = { mu: 0.5, sigma: 2, delta: 0.3 };
    const u = [-4, -1, -0.1, 0, 0.2, 1.5, 3];
    expectClose(lambertWGaussianize(lambertWHeavyTail(u, p), p), u, 1e-12);
    expect(lambertWHeavyTail([1, -2], { mu: 1, sigma: 2, delta: 0 })).toEqual([3, -3]);
    expect(lambertWHeavyTail([2], p)[0]).toBeCloseTo(0.5 + 2 * 2 * Math.exp(0.6), 12);
  });

  it('a sample that is not leptokurtic gets delta 0; inputs are not mutated', () => {
    const y = [1, 2, 3, 4, 5, 6, 7, 8];
    const copy = y.slice();
    expect(fitLambertW(y).delta).toBe(0);
    expect(y).toEqual(copy);
  });

  it('validates inputs and params', () => {
    expect(() => fitLambertW([1, 2, 3])).toThrow(DataError);
    expect(() => fitLambertW([1, 1, 1, 1])).toThrow(DataError);
    expect(() => fitLambertW([1, 2, Number.NaN, 4])).toThrow(DataError);
    expect(() => fitLambertW([1, 2, 3, 4], { maxIter: 0 })).toThrow(InvalidOptionError);
    expect(() => fitLambertW([1, 2, 3, 4], { tol: -1 })).toThrow(InvalidOptionError);
    expect(() => lambertWGaussianize([1], { mu: 0, sigma: 0, delta: 0 })).toThrow(InvalidOptionError);
    expect(() => lambertWHeavyTail([1], { mu: 0, sigma: 1, delta: -0.1 })).toThrow(InvalidOptionError);
    expect(() => lambertWHeavyTail([Number.POSITIVE_INFINITY], { mu: 0, sigma: 1, delta: 0.1 })).toThrow(DataError);
  });
});
