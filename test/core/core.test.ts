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
import { denseLike, takeRows, toDense, toVector } from '../../src/core/matrix';
import { checkEnvelope, notFitted, readNumberArray } from '../../src/core/estimator';
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
    expect(m / n).toBeCloseTo(0.5, 1);
    expect(s / n).toBeCloseTo(0, 1);
    expect(s2 / n).toBeCloseTo(1, 1);
  });
  it('permutation and sample are valid (property)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 1e9 }), fc.integer({ min: 1, max: 200 }), (seed, n) => {
        const p = Array.from(createRng(seed).permutation(n)).sort((x, y) => x - y);
        expect(p).toEqual(Array.from({ length: n }, (_, i) => i));
        const k = Math.floor(n / 2);
        const s = createRng(seed).sample(n, k);
        expect(new Set(s).size).toBe(k);
      }),
      { numRuns: 50 },
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
  it('denseLike follows the input form; takeRows copies', async () => {
    const m = toDense([[1, 2], [3, 4]], 'x', 'f');
    expect(denseLike(m, [[0]])).toEqual([[1, 2], [3, 4]]);
    const like = tf.zeros([1, 1]) as tf.Tensor2D;
    const out = denseLike(m, like) as tf.Tensor2D;
    expect(out.shape).toEqual([2, 2]);
    tf.dispose([like, out]);
    expect(takeRows(m, [1]).data).toEqual(Float64Array.from([3, 4]));
    for (const bad of [[2], [-1], [0.5], [Number.NaN]]) expect(() => takeRows(m, bad)).toThrow(/'idx' option of takeRows must be row indices/);
    const input = tf.zeros([3, 2]) as tf.Tensor2D;
    await expectNoLeak(() => toDense(input, 'x', 'f'));
    input.dispose();
  });
});

describe('estimator envelope', () => {
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
