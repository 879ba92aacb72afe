import fc from 'fast-check';
import { describe, expect, expectTypeOf, it } from 'vitest';
import { InvalidOptionError } from '../../src/core/errors';
import { createRng } from '../../src/core/random';
import { choice, intUniform, logUniform, space, uniform, type ParamsOf } from '../../src/search/index';

function optionError(f: () => unknown): InvalidOptionError {
  try {
    f();
  } catch (e) {
    expect(e).toBeInstanceOf(InvalidOptionError);
    return e as InvalidOptionError;
  }
  return expect.fail('expected an InvalidOptionError');
}

describe('space', () => {
  const s = space({
    lr: logUniform(1e-4, 1e-1),
    hidden: choice([[32], [64, 32]]),
    dropout: uniform(0, 0.5),
    layers: intUniform(1, 3),
    act: choice(['relu', 'tanh']),
  });

  it('infers the parameter type from the definition', () => {
    type P = ParamsOf<typeof s>;
    expectTypeOf<P['lr']>().toEqualTypeOf<number>();
    expectTypeOf<P['layers']>().toEqualTypeOf<number>();
    expectTypeOf<P['act']>().toEqualTypeOf<'relu' | 'tanh'>();
    expectTypeOf<P['hidden']>().toMatchTypeOf<readonly number[]>();
    expectTypeOf<P['hidden']>().toEqualTypeOf<readonly [32] | readonly [64, 32]>();
    expectTypeOf<keyof P>().toEqualTypeOf<'lr' | 'hidden' | 'dropout' | 'layers' | 'act'>();
    const p = s.sample(createRng(1));
    expectTypeOf(p).toEqualTypeOf<P>();
    // @ts-expect-error: not a parameter of the space
    void p.momentum;
  });

  it('samples are in bounds, typed correctly and seeded (property)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 2 ** 40 }), (seed) => {
        const p = s.sample(createRng(seed));
        expect(p.lr).toBeGreaterThanOrEqual(1e-4);
        expect(p.lr).toBeLessThanOrEqual(1e-1);
        expect(p.dropout).toBeGreaterThanOrEqual(0);
        expect(p.dropout).toBeLessThan(0.5);
        expect(Number.isInteger(p.layers) && p.layers >= 1 && p.layers <= 3).toBe(true);
        expect(s.dims.hidden.values).toContain(p.hidden);
        expect(['relu', 'tanh']).toContain(p.act);
        expect(Object.isFrozen(p)).toBe(true);
        expect(s.sample(createRng(seed))).toEqual(p);
      }),
      { numRuns: 200, seed: 11 },
    );
  });

  it('log-uniform samples are uniform in log space; int samples cover every value', () => {
    const rng = createRng(5);
    const t = space({ lr: logUniform(1e-4, 1), k: intUniform(-1, 2) });
    const n = 4000;
    let below = 0;
    const counts = new Map<number, number>();
    for (let i = 0; i < n; i++) {
      const p = t.sample(rng);
      if (p.lr < 1e-2) below++; // half of the log range
      counts.set(p.k, (counts.get(p.k) ?? 0) + 1);
    }
    expect(below / n).toBeGreaterThan(0.45);
    expect(below / n).toBeLessThan(0.55);
    expect([...counts.keys()].sort()).toEqual([-1, 0, 1, 2]);
    for (const c of counts.values()) expect(c / n).toBeGreaterThan(0.2);
  });

  it('grid is the exact cartesian product, last dimension fastest', () => {
    const g = space({ a: choice(['x', 'y']), k: intUniform(1, 3), d: uniform(0, 1, { grid: [0, 0.5] }) });
    expect(g.gridSize).toBe(12);
    const points = g.grid();
    expect(points).toHaveLength(12);
    const expected: { a: string; k: number; d: number }[] = [];
    for (const a of ['x', 'y']) for (const k of [1, 2, 3]) for (const d of [0, 0.5]) expected.push({ a, k, d });
    expect(points).toEqual(expected);
  });

  it('grid over a continuous dimension without values is an InvalidOptionError naming the dimension', () => {
    const e = optionError(() => s.grid());
    expect(e.details.arg).toBe('space.lr');
    expect(e.message).toContain('grid');
    expect(s.gridSize).toBe(Infinity);
  });

  it('validates bounds and values', () => {
    expect(optionError(() => uniform(1, 1)).details).toMatchObject({ fn: 'uniform', arg: 'high' });
    expect(optionError(() => uniform(Number.NaN, 1)).details).toMatchObject({ fn: 'uniform', arg: 'low' });
    expect(optionError(() => uniform(0, Infinity)).details.arg).toBe('high');
    expect(optionError(() => logUniform(0, 1)).details).toMatchObject({ fn: 'logUniform', arg: 'low' });
    expect(optionError(() => logUniform(-1, 1)).message).toContain('> 0');
    expect(optionError(() => logUniform(1, 0.5)).details.arg).toBe('high');
    expect(optionError(() => intUniform(1.5, 3)).details).toMatchObject({ fn: 'intUniform', arg: 'low' });
    expect(optionError(() => intUniform(3, 2)).details.arg).toBe('high');
    expect(optionError(() => choice([])).details).toMatchObject({ fn: 'choice', arg: 'values' });
    expect(optionError(() => choice(['a', 'a'])).details.arg).toBe('values[1]');
    expect(optionError(() => uniform(0, 1, { grid: [0.5, 2] })).details.arg).toBe('grid[1]');
    expect(optionError(() => uniform(0, 1, { grid: [] })).details.arg).toBe('grid');
    expect(optionError(() => intUniform(0, 5, { grid: [1.5] })).details.arg).toBe('grid[0]');
    expect(optionError(() => uniform(0, 1, { steps: 3 } as never)).details.arg).toBe('steps');
    expect(optionError(() => space({})).details).toMatchObject({ fn: 'space', arg: 'dims' });
    expect(optionError(() => space({ a: 3 } as never)).details).toMatchObject({ fn: 'space', arg: 'a' });
    expect(optionError(() => uniform(2, 1)).message).toBe("The 'high' option of uniform must be a finite number > low (2). Got 1.");
  });

  it('never mutates inputs; spaces and dimensions are frozen', () => {
    const values = [[32], [64, 32]];
    const c = choice(values);
    expect(c.values).not.toBe(values);
    expect(Object.isFrozen(values)).toBe(false);
    const def = { c, u: uniform(0, 1) };
    const sp = space(def);
    expect(Object.isFrozen(def)).toBe(false);
    expect(Object.isFrozen(sp)).toBe(true);
    expect(Object.isFrozen(sp.dims)).toBe(true);
    expect(Object.isFrozen(c)).toBe(true);
  });
});
