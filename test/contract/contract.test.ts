import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { DataError, InvalidOptionError, NotFittedError, ShapeError } from '../../src/core/errors';
import { ESTIMATOR_KINDS } from '../../src/registry';
import { registry } from './registry';
import type { ContractCase } from './types';

function snapshot(v: unknown): unknown {
  if (v instanceof tf.Tensor) return { shape: v.shape, data: Array.from(v.dataSync()) };
  if (ArrayBuffer.isView(v)) return Array.from(v as unknown as ArrayLike<number>);
  if (Array.isArray(v)) return v.map(snapshot);
  if (typeof v === 'object' && v !== null) {
    return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, snapshot(x)]));
  }
  return v;
}

function expectSame(c: ContractCase, a: number[], b: number[]): void {
  const tol = c.tags?.tolerance;
  expect(a.length).toBe(b.length);
  if (tol === undefined) {
    expect(a).toEqual(b);
  } else {
    for (let i = 0; i < a.length; i++) expect(Math.abs((a[i] as number) - (b[i] as number))).toBeLessThanOrEqual(tol);
  }
}

async function throwsAsync(f: () => unknown): Promise<unknown> {
  try {
    await f();
  } catch (e) {
    return e;
  }
  return undefined;
}

describe('contract meta', () => {
  it('every registered estimator kind has a contract case', () => {
    const covered = new Set(registry.map((c) => c.kind));
    const missing = Object.keys(ESTIMATOR_KINDS).filter((k) => !covered.has(k));
    expect(missing).toEqual([]);
  });
  it('case names are unique', () => {
    const names = registry.map((c) => c.name);
    expect(new Set(names).size).toBe(names.length);
  });
});

describe.each(registry.map((c) => [c.name, c] as const))('contract: %s', (_name, c) => {
  it.skipIf(c.tags?.noUnfittedObject === true)('output on an unfitted spec throws NotFittedError', async () => {
    const d = c.data();
    const err = await throwsAsync(() => c.callUnfitted(c.make(1), d.x));
    expect(err).toBeInstanceOf(NotFittedError);
  });

  it.skipIf(c.tags?.noUnfittedObject === true)('withParams re-validates: unknown option gives InvalidOptionError naming it; original spec unchanged', () => {
    const spec = c.make(1) as { params?: unknown; withParams?: (p: Record<string, unknown>) => { params: unknown } };
    expect(typeof spec.withParams, 'spec must have withParams').toBe('function');
    const before = snapshot(spec.params);
    const err = (() => {
      try {
        spec.withParams?.({ notAnOption: 1 });
      } catch (e) {
        return e;
      }
      return undefined;
    })();
    expect(err).toBeInstanceOf(InvalidOptionError);
    expect((err as Error).message).toContain('notAnOption');
    const same = spec.withParams?.({});
    expect(same).not.toBe(spec);
    expect(snapshot(same?.params)).toEqual(before);
    expect(snapshot(spec.params)).toEqual(before);
  });

  it('spec params and fitted objects are frozen; fit does not mutate inputs or params', async () => {
    const spec = c.make(1) as { params?: unknown };
    const d = c.data();
    const before = snapshot({ x: d.x, y: d.y, params: spec.params });
    if (spec.params !== undefined) expect(Object.isFrozen(spec.params)).toBe(true);
    const f = await c.fit(spec, d.x, d.y);
    expect(Object.isFrozen(f)).toBe(true);
    await c.output(f, d.x);
    expect(snapshot({ x: d.x, y: d.y, params: spec.params })).toEqual(before);
    c.dispose?.(f);
  });

  it('same seed gives identical outputs', async () => {
    const d = c.data();
    const f1 = await c.fit(c.make(7), d.x, d.y);
    const f2 = await c.fit(c.make(7), d.x, d.y);
    expect(await c.output(f2, d.x)).toEqual(await c.output(f1, d.x));
    c.dispose?.(f1);
    c.dispose?.(f2);
  });

  it('JSON round trip gives identical outputs', async () => {
    const d = c.data();
    const f = await c.fit(c.make(3), d.x, d.y);
    const g = await c.roundTrip(f);
    expectSame(c, await c.output(g, d.x), await c.output(f, d.x));
    c.dispose?.(f);
    c.dispose?.(g);
  });

  it.skipIf(c.tags?.noWidthCheck === true)('wrong width at output gives ShapeError', async () => {
    const d = c.data();
    expect(d.xWrongWidth, 'case must provide xWrongWidth').toBeDefined();
    const f = await c.fit(c.make(3), d.x, d.y);
    const err = await throwsAsync(() => c.output(f, d.xWrongWidth as unknown));
    expect(err).toBeInstanceOf(ShapeError);
    c.dispose?.(f);
  });

  it('empty input at fit gives DataError', async () => {
    const d = c.data();
    const err = await throwsAsync(() => c.fit(c.make(3), d.xEmpty, d.y));
    expect(err).toBeInstanceOf(DataError);
  });

  it.skipIf(c.tags?.allowNaN === true)('NaN input at fit gives DataError', async () => {
    const d = c.data();
    expect(d.xNaN, 'case must provide xNaN').toBeDefined();
    const err = await throwsAsync(() => c.fit(c.make(3), d.xNaN as unknown, d.y));
    expect(err).toBeInstanceOf(DataError);
  });

  it('fit, output, round trip and dispose leak no tensors', async () => {
    const d = c.data();
    const cycle = async (): Promise<void> => {
      const f = await c.fit(c.make(5), d.x, d.y);
      await c.output(f, d.x);
      const g = await c.roundTrip(f);
      await c.output(g, d.x);
      c.dispose?.(f);
      c.dispose?.(g);
    };
    await cycle();
    const before = tf.memory().numTensors;
    await cycle();
    expect(tf.memory().numTensors - before).toBe(0);
  });
});
