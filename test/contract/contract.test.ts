import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { DataError, DisposedError, InvalidOptionError, NotFittedError, ShapeError } from '../../src/core/errors';
import { takeRows } from '../../src/data/takeRows';
import type { Table } from '../../src/data/table';
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

function isTable(v: unknown): v is Table {
  return typeof v === 'object' && v !== null && 'nRows' in v && 'columns' in v;
}

function nRows(x: unknown): number {
  if (isTable(x)) return x.nRows;
  if (Array.isArray(x)) return x.length;
  throw new Error(`contract: cannot count the rows of ${String(x)}`);
}

/** Rows `idx` of x (nested arrays or a Table), in that order; y (an array) likewise. */
function selectRows(x: unknown, idx: readonly number[]): unknown {
  if (isTable(x)) return takeRows(x, idx);
  if (Array.isArray(x)) return idx.map((i) => x[i] as unknown);
  throw new Error(`contract: cannot select rows of ${String(x)}`);
}

/** A fixed permutation that moves every row: reversed order (n >= 2). */
const reversed = (n: number): number[] => Array.from({ length: n }, (_, i) => n - 1 - i);
/** A proper, reordered subset: every row except each third, reversed. */
const subsetOf = (n: number): number[] => reversed(n).filter((i) => i % 3 !== 1);

function expectRowsSame(c: ContractCase, got: number[][], want: number[][], what: string, rel?: number): void {
  expect(got.length, `${what}: row count`).toBe(want.length);
  got.forEach((r, i) => {
    const w = want[i] as number[];
    expect(r.length, `${what}: width of row ${i}`).toBe(w.length);
    if (rel !== undefined) {
      r.forEach((v, j) => expect(Math.abs(v - (w[j] as number)), `${what}: row ${i}, column ${j}`).toBeLessThanOrEqual(rel * (1 + Math.abs(w[j] as number))));
      return;
    }
    const tol = c.tags?.tolerance;
    if (tol === undefined) expect(r, `${what}: row ${i}`).toEqual(w);
    else r.forEach((v, j) => expect(Math.abs(v - (w[j] as number)), `${what}: row ${i}, column ${j}`).toBeLessThanOrEqual(tol));
  });
}

function hasMethod(o: unknown, name: string): boolean {
  return typeof o === 'object' && o !== null && typeof (o as Record<string, unknown>)[name] === 'function';
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

describe.each(registry.map((c) => [c.name, c] as const))('contract (invariances, dispose, seeds, options): %s', (_name, c) => {
  it('output rows are batch independent: a reordered subset of rows gives the matching rows of the full output', async () => {
    const d = c.data();
    const n = nRows(d.x);
    const f = await c.fit(c.make(3), d.x, d.y);
    try {
      const full = await c.outputRows(f, d.x);
      if (c.tags?.sequential === true) {
        // A contiguous suffix: window start j of the suffix is window start a + j of the full series.
        const a = Math.floor(n / 3);
        const idx = Array.from({ length: n - a }, (_, i) => a + i);
        const part = await c.outputRows(f, selectRows(d.x, idx));
        expect(part.length).toBeGreaterThan(0);
        expectRowsSame(c, part, full.slice(a, a + part.length), 'suffix');
      } else {
        expect(full.length, 'outputRows gives one row per input row').toBe(n);
        const idx = subsetOf(n);
        const part = await c.outputRows(f, selectRows(d.x, idx));
        expectRowsSame(c, part, idx.map((i) => full[i] as number[]), 'subset');
      }
    } finally {
      c.dispose?.(f);
    }
  });

  it.skipIf(c.tags?.sequential === true || c.tags?.orderDependentFit === true)(
    'row-order invariance: fitting on row-permuted x (and y) gives the same outputs',
    async () => {
      const d = c.data();
      const perm = reversed(nRows(d.x));
      const px = selectRows(d.x, perm);
      const py = d.y === undefined ? undefined : selectRows(d.y, perm);
      const f1 = await c.fit(c.make(3), d.x, d.y);
      const f2 = await c.fit(c.make(3), px, py);
      try {
        expectRowsSame(c, await c.outputRows(f2, d.x), await c.outputRows(f1, d.x), 'permuted fit', c.tags?.orderTolerance);
      } finally {
        c.dispose?.(f1);
        c.dispose?.(f2);
      }
    },
  );

  it('use after dispose gives DisposedError (every fitted object with dispose())', async () => {
    const d = c.data();
    const f = await c.fit(c.make(3), d.x, d.y);
    const owns = hasMethod(f, 'dispose');
    expect(c.dispose !== undefined, 'the case must define dispose exactly when the fitted object has dispose()').toBe(owns);
    if (!owns) return;
    expect(hasMethod(f, Symbol.dispose as unknown as string) || typeof (f as Record<symbol, unknown>)[Symbol.dispose] === 'function').toBe(true);
    c.dispose?.(f);
    expect(await throwsAsync(() => c.output(f, d.x))).toBeInstanceOf(DisposedError);
    expect(await throwsAsync(() => c.outputRows(f, d.x))).toBeInstanceOf(DisposedError);
    expect(await throwsAsync(() => c.roundTrip(f)), 'toJSON/save after dispose').toBeInstanceOf(DisposedError);
    expect(() => c.dispose?.(f), 'a second dispose is a no-op').not.toThrow();
  });

  it(c.tags?.deterministic === true ? 'deterministic: no seed param, and outputs do not depend on the seed' : 'a different seed changes the output', async () => {
    const d = c.data();
    const s7 = c.make(7) as { params?: Record<string, unknown> };
    if (c.tags?.deterministic === true) expect(Object.keys(s7.params ?? {})).not.toContain('seed');
    const f1 = await c.fit(s7, d.x, d.y);
    const f2 = await c.fit(c.make(8), d.x, d.y);
    try {
      const a = await c.output(f1, d.x);
      const b = await c.output(f2, d.x);
      if (c.tags?.deterministic === true) expect(b).toEqual(a);
      else expect(b).not.toEqual(a);
    } finally {
      c.dispose?.(f1);
      c.dispose?.(f2);
    }
  });

  it('fitTransform equals fit().transform; inverseTransform(transform(x)) recovers x', async () => {
    const d = c.data();
    const spec = c.make(3);
    expect(c.fitTransform !== undefined, 'the case must define fitTransform exactly when the spec has fitTransform').toBe(hasMethod(spec, 'fitTransform'));
    const f = await c.fit(spec, d.x, d.y);
    try {
      expect(c.inverse !== undefined, 'the case must define inverse exactly when the fitted object has inverseTransform').toBe(hasMethod(f, 'inverseTransform'));
      if (c.fitTransform !== undefined) {
        const before = snapshot({ x: d.x, params: (spec as { params?: unknown }).params });
        expectSame(c, await c.fitTransform(spec, d.x, d.y), await c.output(f, d.x));
        expect(snapshot({ x: d.x, params: (spec as { params?: unknown }).params }), 'fitTransform mutated x or params').toEqual(before);
      }
      if (c.inverse !== undefined) {
        if (c.tags?.inverseThrows === true) {
          expect(await throwsAsync(() => c.inverse?.(f, d.x))).toBeInstanceOf(InvalidOptionError);
        } else {
          const [back, orig] = c.inverse(f, d.x);
          expect(back.length).toBe(orig.length);
          orig.forEach((v, i) => expect(Math.abs((back[i] as number) - v), `entry ${i}`).toBeLessThanOrEqual(1e-9 * (1 + Math.abs(v))));
        }
      }
    } finally {
      c.dispose?.(f);
    }
  });

  it('every option is validated when the spec is made (InvalidOptionError naming it)', async () => {
    const spec = c.make(3) as { params?: Record<string, unknown> };
    expect(c.construct, 'case must define construct').toBeDefined();
    expect(c.invalidParams, 'case must define invalidParams').toBeDefined();
    const bad = c.invalidParams ?? {};
    expect(Object.keys(bad).sort(), 'invalidParams must cover every option').toEqual(Object.keys(spec.params ?? {}).sort());
    for (const [k, v] of Object.entries(bad)) {
      const err = await throwsAsync(() => c.construct?.({ [k]: v }));
      expect(err, `option '${k}' = ${String(v)}`).toBeInstanceOf(InvalidOptionError);
      expect((err as Error).message).toContain(k);
    }
  });
});
