import * as tf from '@tensorflow/tfjs-core';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  DataError,
  FinmlError,
  InvalidOptionError,
  NotFittedError,
  SerializationError,
  ShapeError,
  describeValue,
} from '../../src/core/errors';
import { invalidValueFor, resolveOptions, rules } from '../../src/core/options';
import { createRng } from '../../src/core/random';
import { denseLike, denseToArrays, isTensor, takeDenseRows, toDense, toVector } from '../../src/core/matrix';
import { checkEnvelope, deepFreeze, notFitted, paramsFromJSON, readNumberArray } from '../../src/core/estimator';
import { asyncTidy, tensorCount } from '../../src/core/memory';
import { fromEstimatorJSON } from '../../src/registry';
import { expectNoLeak } from '../helpers/leak';

describe('errors', () => {
  it('carry code, details and a message naming function, argument, expected and got', () => {
    const e = new InvalidOptionError({ fn: 'earlyStopping', arg: 'patience', expected: 'an integer >= 0', got: '-1' });
    expect(e).toBeInstanceOf(FinmlError);
    expect(e).toBeInstanceOf(Error);
    expect(e.code).toBe('INVALID_OPTION');
    expect(e.name).toBe('InvalidOptionError');
    expect(e.message).toBe("The 'patience' option of earlyStopping must be an integer >= 0. Got -1.");
    const s = new ShapeError({ fn: 'scaler.transform', arg: 'x', expected: '3 columns', got: '2 columns' });
    expect(s.message).toBe("The 'x' argument of scaler.transform must be 3 columns. Got 2 columns.");
    expect(new NotFittedError('StandardScaler.transform', 'StandardScaler').code).toBe('NOT_FITTED');
  });
  it('describeValue is short and unambiguous', () => {
    expect(describeValue(-1)).toBe('-1');
    expect(describeValue(Number.NaN)).toBe('NaN');
    expect(describeValue('x')).toBe('"x"');
    expect(describeValue([1, 2, 3])).toBe('an array of length 3');
    expect(describeValue(new Float64Array(2))).toBe('a Float64Array of length 2');
    expect(describeValue(null)).toBe('null');
    expect(describeValue({})).toBe('an object');
    expect(describeValue('a'.repeat(100)).length).toBeLessThan(70);
    const t = tf.zeros([2, 3]);
    expect(describeValue(t)).toBe('a tensor of shape [2, 3]');
    t.dispose();
  });
});

describe('resolveOptions', () => {
  const DEFAULTS = { patience: 5, mode: 'min' as 'min' | 'max', minDelta: 0 };
  const RULES = { patience: rules.int({ min: 0 }), mode: rules.oneOf(['min', 'max']), minDelta: rules.number({ min: 0 }) };
  it('merges over defaults and freezes', () => {
    const o = resolveOptions('earlyStopping', { patience: 2 }, DEFAULTS, RULES);
    expect(o).toEqual({ patience: 2, mode: 'min', minDelta: 0 });
    expect(Object.isFrozen(o)).toBe(true);
  });
  it('rejects invalid values, unknown keys and non-objects', () => {
    expect(() => resolveOptions('earlyStopping', { patience: -1 }, DEFAULTS, RULES)).toThrow(
      "The 'patience' option of earlyStopping must be an integer >= 0. Got -1.",
    );
    expect(() => resolveOptions('earlyStopping', { patienc: 1 } as never, DEFAULTS, RULES)).toThrow(InvalidOptionError);
    expect(() => resolveOptions('earlyStopping', 3 as never, DEFAULTS, RULES)).toThrow(InvalidOptionError);
  });
  it('reads inherited (enumerable) options like own ones: validated, never silently dropped', () => {
    const base = { patience: 3 };
    const given = Object.assign(Object.create(base) as { patience?: number; minDelta?: number }, { minDelta: 0.5 });
    expect(resolveOptions('earlyStopping', given, DEFAULTS, RULES)).toEqual({ patience: 3, mode: 'min', minDelta: 0.5 });
    const bad = Object.create({ patience: -1 }) as { patience?: number };
    expect(() => resolveOptions('earlyStopping', bad, DEFAULTS, RULES)).toThrow(/'patience'.*Got -1/);
    const unknown = Object.create({ patienc: 1 }) as { patience?: number };
    expect(() => resolveOptions('earlyStopping', unknown, DEFAULTS, RULES)).toThrow(/'patienc'/);
  });
  it('invalidValueFor produces a value each rule rejects', () => {
    for (const r of [rules.int({ min: 0 }), rules.number({ min: 0, max: 1 }), rules.boolean(), rules.oneOf(['a', 'b']), rules.intArray({ min: 1, nonEmpty: true })]) {
      expect(r.test(invalidValueFor(r))).toBe(false);
    }
  });
});

describe('createRng', () => {
  it('is deterministic per seed and differs across seeds', () => {
    const a = createRng(42);
    const b = createRng(42);
    const c = createRng(43);
    const xa = Array.from({ length: 10 }, () => a.next());
    expect(Array.from({ length: 10 }, () => b.next())).toEqual(xa);
    expect(Array.from({ length: 10 }, () => c.next())).not.toEqual(xa);
  });
  it('produces uniform [0,1) floats with the right mean and normals with the right moments', () => {
    const r = createRng(1);
    const n = 20000;
    let s = 0;
    let s2 = 0;
    let m = 0;
    for (let i = 0; i < n; i++) {
      const u = r.next();
      expect(u >= 0 && u < 1).toBe(true);
      m += u;
      const z = r.normal();
      s += z;
      s2 += z * z;
    }
    // 5 standard errors (n = 20000): sd of the uniform mean 0.002, of the normal mean 0.007, of mean(z^2) 0.01.
    // (toBeCloseTo(x, 1) accepted errors up to 0.05, e.g. a normal with variance 0.96.)
    expect(Math.abs(m / n - 0.5)).toBeLessThan(0.01);
    expect(Math.abs(s / n)).toBeLessThan(0.035);
    expect(Math.abs(s2 / n - 1)).toBeLessThan(0.05);
  });
  it('int, permutation and sample are uniform (chi-square, p = 1e-4 critical values)', () => {
    const chi2 = (counts: readonly number[], expected: number): number => counts.reduce((a, c) => a + (c - expected) ** 2 / expected, 0);
    const r = createRng(5);
    // int(7): df 6, critical value 27.86
    const ints = new Array<number>(7).fill(0);
    for (let i = 0; i < 7000; i++) {
      const v = r.int(7);
      expect(Number.isInteger(v) && v >= 0 && v < 7).toBe(true);
      ints[v] = (ints[v] as number) + 1;
    }
    expect(chi2(ints, 1000)).toBeLessThan(27.86);
    // permutation(3): all 6 orders equally likely (a biased Fisher-Yates is not); df 5, critical value 25.74
    const perms = new Map<string, number>();
    for (let i = 0; i < 6000; i++) {
      const k = Array.from(r.permutation(3)).join('');
      perms.set(k, (perms.get(k) ?? 0) + 1);
    }
    expect([...perms.keys()].sort()).toEqual(['012', '021', '102', '120', '201', '210']);
    expect(chi2([...perms.values()], 1000)).toBeLessThan(25.74);
    // sample(10, 3): each index chosen with probability 3/10; df 9, critical value 33.72
    const picked = new Array<number>(10).fill(0);
    for (let i = 0; i < 5000; i++) for (const j of r.sample(10, 3)) picked[j] = (picked[j] as number) + 1;
    expect(chi2(picked, 1500)).toBeLessThan(33.72);
    // shuffle: every one of the 6 orders of a 3-element array appears
    const orders = new Set<string>();
    for (let i = 0; i < 200; i++) orders.add(r.shuffle(['a', 'b', 'c']).join(''));
    expect(orders.size).toBe(6);
  });
  it('fork and seed() give streams different from the parent', () => {
    const a = createRng(8);
    const f = a.fork();
    const xa = Array.from({ length: 5 }, () => a.next());
    const xf = Array.from({ length: 5 }, () => f.next());
    expect(xf).not.toEqual(xa);
    const b = createRng(8);
    const g = b.fork();
    expect(Array.from({ length: 5 }, () => g.next())).toEqual(xf);
    const seeds = Array.from({ length: 100 }, () => a.seed());
    expect(seeds.every((s) => Number.isSafeInteger(s))).toBe(true);
    expect(new Set(seeds).size).toBe(100);
  });
  it('permutation and sample are valid (property)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 1e9 }), fc.integer({ min: 1, max: 200 }), (seed, n) => {
        const p = Array.from(createRng(seed).permutation(n)).sort((x, y) => x - y);
        expect(p).toEqual(Array.from({ length: n }, (_, i) => i));
        const k = Math.floor(n / 2);
        const s = createRng(seed).sample(n, k);
        expect(s.length).toBe(k);
        expect(new Set(s).size).toBe(k);
        expect(Array.from(s).every((v) => Number.isInteger(v) && v >= 0 && v < n)).toBe(true);
        const xs = Array.from({ length: n }, (_, i) => `v${i}`);
        expect([...createRng(seed).shuffle(xs)].sort()).toEqual([...xs].sort());
      }),
      { numRuns: 50, seed: 13 },
    );
  });
  it('shuffle does not mutate its input; rejects bad seeds', () => {
    const xs = [1, 2, 3, 4, 5];
    createRng(3).shuffle(xs);
    expect(xs).toEqual([1, 2, 3, 4, 5]);
    expect(() => createRng(1.5)).toThrow(InvalidOptionError);
    expect(() => createRng(Number.NaN)).toThrow(InvalidOptionError);
  });
  it('keeps the streams of non-negative seeds and gives negative seeds streams of their own', () => {
    const u32 = (seed: number): number[] => {
      const r = createRng(seed);
      return [r.next(), r.next(), r.next()].map((v) => v * 2 ** 32);
    };
    // Golden values: streams of non-negative seeds are part of every seeded result in finml.
    expect(u32(0)).toEqual([3809008728, 1133695204, 53579671]);
    expect(u32(42)).toEqual([2837322924, 544945897, 479756282]);
    expect(u32(2 ** 32 - 1)).toEqual([835879718, 1921286648, 2356205009]);
    // Seed s in [0, 2^31) used to give the same stream as the negative seed ((s ^ -0x27d4eb2d) >>> 0) - 2^32,
    // and -2 the same as 2^32.
    for (const s of [0, 5, 42]) expect(u32(((s ^ -0x27d4eb2d) >>> 0) - 2 ** 32)).not.toEqual(u32(s));
    expect(u32(-2)).not.toEqual(u32(2 ** 32));
    const seeds = [-(2 ** 31), -(2 ** 32), 2 ** 32, 2 ** 52, Number.MAX_SAFE_INTEGER, -Number.MAX_SAFE_INTEGER];
    for (let s = -300; s <= 300; s++) seeds.push(s, s - 2 ** 32, s + 2 ** 32);
    const firsts = new Set(seeds.map((s) => u32(s).join(',')));
    expect(firsts.size).toBe(new Set(seeds).size);
  });
});

describe('matrix validation', () => {
  it('accepts nested arrays and tensors without disposing the tensor', () => {
    const m = toDense([[1, 2], [3, 4]], 'x', 'f');
    expect(m).toEqual({ rows: 2, cols: 2, data: Float64Array.from([1, 2, 3, 4]) });
    const t = tf.tensor2d([[1, 2], [3, 4]]);
    expect(toDense(t, 'x', 'f').data).toEqual(m.data);
    expect(t.isDisposed).toBe(false);
    t.dispose();
  });
  it('rejects ragged, empty, NaN, Infinity and wrong width with typed errors', () => {
    expect(() => toDense([[1, 2], [3]], 'x', 'f')).toThrow(ShapeError);
    expect(() => toDense([], 'x', 'f')).toThrow(DataError);
    expect(() => toDense([[1, Number.NaN]], 'x', 'f')).toThrow(/row 0, column 1/);
    expect(() => toDense([[1, Number.POSITIVE_INFINITY]], 'x', 'f', { allowNaN: true })).toThrow(DataError);
    expect(toDense([[1, Number.NaN]], 'x', 'f', { allowNaN: true }).rows).toBe(1);
    expect(() => toDense([[1, 2]], 'x', 'f', { cols: 3 })).toThrow(ShapeError);
    expect(() => toDense([1, 2] as never, 'x', 'f')).toThrow(ShapeError);
    expect(() => toDense([['a']] as never, 'x', 'f')).toThrow(DataError);
  });
  it('toVector validates length and values', () => {
    expect(Array.from(toVector([1, 2], 'y', 'f', { length: 2 }))).toEqual([1, 2]);
    expect(() => toVector([1, 2], 'y', 'f', { length: 3 })).toThrow(ShapeError);
    expect(() => toVector([], 'y', 'f')).toThrow(DataError);
    const t = tf.tensor2d([[1], [2]]);
    expect(Array.from(toVector(t as unknown as tf.Tensor1D, 'y', 'f'))).toEqual([1, 2]);
    t.dispose();
  });
  it('denseLike follows the input form; takeDenseRows copies', async () => {
    const m = toDense([[1, 2], [3, 4]], 'x', 'f');
    expect(denseLike(m, [[0]])).toEqual([[1, 2], [3, 4]]);
    const like = tf.zeros([1, 1]) as tf.Tensor2D;
    const out = denseLike(m, like) as tf.Tensor2D;
    expect(out.shape).toEqual([2, 2]);
    expect(Array.from(out.dataSync())).toEqual([1, 2, 3, 4]);
    expect(out).not.toBe(like);
    tf.dispose([like, out]);
    expect(takeDenseRows(m, [1]).data).toEqual(Float64Array.from([3, 4]));
    for (const bad of [[2], [-1], [0.5], [Number.NaN]]) expect(() => takeDenseRows(m, bad)).toThrow(/'idx' option of takeDenseRows must be row indices/);
    const input = tf.zeros([3, 2]) as tf.Tensor2D;
    await expectNoLeak(() => toDense(input, 'x', 'f'));
    input.dispose();
  });
});

describe('matrix helpers', () => {
  it('isTensor tells tensors from arrays and look-alikes without dataSync', () => {
    const t = tf.zeros([1, 1]);
    expect(isTensor(t)).toBe(true);
    expect(isTensor([[1]])).toBe(false);
    expect(isTensor({ shape: [1], dtype: 'float32' })).toBe(false);
    expect(isTensor(null)).toBe(false);
    t.dispose();
  });
  it('denseToArrays splits rows and copies; takeDenseRows copies rows in the given order', () => {
    const m = { rows: 3, cols: 2, data: Float64Array.from([1, 2, 3, 4, 5, 6]) };
    const a = denseToArrays(m);
    expect(a).toEqual([[1, 2], [3, 4], [5, 6]]);
    (a[0] as number[])[0] = 99;
    expect(m.data[0]).toBe(1);
    const r = takeDenseRows(m, [2, 0, 2]);
    expect([r.rows, r.cols, Array.from(r.data)]).toEqual([3, 2, [5, 6, 1, 2, 5, 6]]);
    r.data[0] = -1;
    expect(m.data[4]).toBe(5);
  });
});

describe('estimator envelope', () => {
  it('deepFreeze freezes nested objects and arrays (typed arrays cannot be frozen and are left alone)', () => {
    const o = deepFreeze({ a: { b: [1, { c: 2 }] }, t: new Float64Array(2) });
    expect(Object.isFrozen(o) && Object.isFrozen(o.a) && Object.isFrozen(o.a.b) && Object.isFrozen(o.a.b[1])).toBe(true);
    expect(() => {
      (o.a.b as number[]).push(3);
    }).toThrow(TypeError);
    o.t[0] = 5;
    expect(o.t[0]).toBe(5);
  });
  it('paramsFromJSON turns a non-object or an invalid value into SerializationError keeping the cause', () => {
    const resolve = (p: Partial<{ k: number }>): Readonly<{ k: number }> => resolveOptions('myFromJSON', p, { k: 1 }, { k: rules.int({ min: 1 }) });
    expect(paramsFromJSON('myFromJSON', { k: 3 }, resolve)).toEqual({ k: 3 });
    expect(paramsFromJSON('myFromJSON', {}, resolve)).toEqual({ k: 1 });
    for (const bad of [null, [], 'k', 3]) expect(() => paramsFromJSON('myFromJSON', bad, resolve)).toThrow(SerializationError);
    let err: unknown;
    try {
      paramsFromJSON('myFromJSON', { k: -1 }, resolve);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(SerializationError);
    expect((err as Error).message).toContain('myFromJSON');
    expect((err as Error).cause).toBeInstanceOf(InvalidOptionError);
  });

  it('checkEnvelope validates kind, version and fields', () => {
    const ok = { kind: 'K', version: 1, params: {}, state: {} };
    expect(checkEnvelope(ok, 'K', [1], 'f')).toBe(ok);
    expect(() => checkEnvelope(null, 'K', [1], 'f')).toThrow(SerializationError);
    expect(() => checkEnvelope({ ...ok, kind: 'J' }, 'K', [1], 'f')).toThrow(SerializationError);
    expect(() => checkEnvelope({ ...ok, version: 2 }, 'K', [1], 'f')).toThrow(SerializationError);
    expect(() => checkEnvelope({ kind: 'K', version: 1 }, 'K', [1], 'f')).toThrow(SerializationError);
    expect(() => readNumberArray({ a: [1, 'x'] }, 'a', 'f')).toThrow(SerializationError);
    expect(() => readNumberArray({ a: [1, 2] }, 'a', 'f', { length: 3 })).toThrow(SerializationError);
  });
  it('notFitted throws NotFittedError', () => {
    expect(() => notFitted('StandardScaler', 'transform')()).toThrow(NotFittedError);
  });
  it('fromEstimatorJSON rejects unknown kinds', () => {
    expect(() => fromEstimatorJSON({ kind: 'Nope', version: 1, params: {}, state: {} })).toThrow(SerializationError);
  });
});

describe('memory', () => {
  it('asyncTidy keeps returned tensors and disposes the rest, also on error', async () => {
    const before = tensorCount();
    const kept = await asyncTidy(async () => {
      tf.ones([3]);
      return { a: tf.zeros([2]) };
    });
    expect(tensorCount()).toBe(before + 1);
    kept.a.dispose();
    await expect(
      asyncTidy(async () => {
        tf.ones([3]);
        throw new Error('boom');
      }),
    ).rejects.toThrow('boom');
    expect(tensorCount()).toBe(before);
  });
});
