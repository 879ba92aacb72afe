import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, expectTypeOf, it } from 'vitest';
import { DataError, InvalidOptionError, TrainingError } from '../../src/core/errors';
import {
  bayesSearch,
  choice,
  gridSearch,
  intUniform,
  randomSearch,
  space,
  uniform,
  type Fold,
  type SearchResult,
  type Trial,
} from '../../src/search/index';
import { expectNoLeak } from '../helpers/leak';

const s = space({ x: uniform(-1, 1, { grid: [-1, -0.5, 0, 0.5, 1] }), k: intUniform(0, 2), c: choice(['a', 'b']) });
type P = { readonly x: number; readonly k: number; readonly c: 'a' | 'b' };
const f = (p: P): number => -((p.x - 0.5) ** 2) - (p.k - 1) ** 2 + (p.c === 'b' ? 0.1 : 0);

const folds: Fold[] = [
  { train: Int32Array.of(2, 3, 4, 5), test: Int32Array.of(0, 1) },
  { train: Int32Array.of(0, 1, 4, 5), test: Int32Array.of(2, 3) },
  { train: Int32Array.of(0, 1, 2, 3), test: Int32Array.of(4, 5) },
];

type Method = typeof gridSearch;
const methods: [string, Method][] = [
  ['gridSearch', gridSearch],
  ['randomSearch', randomSearch as unknown as Method],
  ['bayesSearch', bayesSearch as unknown as Method],
];

async function rejects(p: () => Promise<unknown>): Promise<unknown> {
  try {
    await p();
  } catch (e) {
    return e;
  }
  return expect.fail('expected a rejection');
}

function expectSorted(r: SearchResult<P>, dir: 'maximize' | 'minimize'): void {
  const ok = r.trials.filter((t) => t.status === 'ok');
  for (let i = 1; i < ok.length; i++) {
    const a = (ok[i - 1] as Trial<P>).score;
    const b = (ok[i] as Trial<P>).score;
    if (dir === 'maximize') expect(a).toBeGreaterThanOrEqual(b);
    else expect(a).toBeLessThanOrEqual(b);
  }
  expect(r.best).toBe(r.trials[0]);
}

describe.each(methods)('%s: shared interface', (name, search) => {
  it('returns sorted, frozen trials; best is the brute-force optimum of the evaluated trials', async () => {
    const r = await search(s, f, { direction: 'maximize', nTrials: 12, seed: 3 });
    expect(r.trials).toHaveLength(12);
    expectSorted(r, 'maximize');
    expect(Object.isFrozen(r)).toBe(true);
    expect(Object.isFrozen(r.best)).toBe(true);
    expect(Object.isFrozen(r.best.params)).toBe(true);
    const brute = Math.max(...r.trials.map((t) => f(t.params)));
    expect(r.best.score).toBe(brute);
    expect(new Set(r.trials.map((t) => t.index))).toEqual(new Set(Array.from({ length: 12 }, (_, i) => i)));
    const rMin = await search(s, f, { direction: 'minimize', nTrials: 12, seed: 3 });
    expectSorted(rMin, 'minimize');
    expect(rMin.best.score).toBe(Math.min(...rMin.trials.map((t) => f(t.params))));
  });

  it('is deterministic for a seed', async () => {
    const a = await search(s, f, { direction: 'maximize', nTrials: 15, seed: 11 });
    const b = await search(s, f, { direction: 'maximize', nTrials: 15, seed: 11 });
    expect(b).toEqual(a);
  });

  it('with cv, scores every trial on every fold, in order, and reports mean/std per trial', async () => {
    const calls: [string, number, Fold][] = [];
    const r = await search(
      s,
      (p, fold, i) => {
        calls.push([JSON.stringify(p), i, fold]);
        return f(p) + fold.test[0]! / 10;
      },
      { direction: 'maximize', nTrials: 4, seed: 1, cv: folds },
    );
    expect(calls).toHaveLength(12);
    for (let t = 0; t < 4; t++) {
      for (let k = 0; k < 3; k++) {
        const c = calls[t * 3 + k]!;
        expect(c[1]).toBe(k);
        expect(c[2]).toBe(folds[k]);
        expect(c[0]).toBe(calls[t * 3]![0]);
      }
    }
    for (const t of r.trials) {
      const base = f(t.params);
      expect(t.foldScores).toEqual([base, base + 0.2, base + 0.4]);
      expect(t.score).toBeCloseTo(base + 0.2, 12);
      expect(t.std).toBeCloseTo(Math.sqrt((0.04 + 0 + 0.04) / 3), 12);
    }
  });

  it('types the fold argument from the options', async () => {
    await search(s, (p, fold) => {
      expectTypeOf(fold).toEqualTypeOf<Fold>();
      expectTypeOf(p.c).toEqualTypeOf<'a' | 'b'>();
      return fold.test.length;
    }, { direction: 'maximize', nTrials: 1, cv: folds });
    await search(s, (_p, fold, i) => {
      expectTypeOf(fold).toEqualTypeOf<undefined>();
      expect(fold).toBeUndefined();
      expect(i).toBe(0);
      return 1;
    }, { direction: 'maximize', nTrials: 1 });
  });

  it('accepts folds from a function (called once) and an async objective', async () => {
    let made = 0;
    const r = await search(s, async (p, fold) => {
      await Promise.resolve();
      return f(p) - fold.train.length;
    }, { direction: 'maximize', nTrials: 3, cv: () => { made++; return folds; } });
    expect(made).toBe(1);
    expect(r.best.score).toBe(Math.max(...r.trials.map((t) => f(t.params) - 4)));
  });

  it('calls onTrial after each trial with the best so far, awaiting it', async () => {
    const seen: number[] = [];
    let bestSeen = -Infinity;
    await search(s, f, {
      direction: 'maximize',
      nTrials: 6,
      seed: 2,
      onTrial: async (t, best) => {
        await Promise.resolve();
        seen.push(t.index);
        bestSeen = Math.max(bestSeen, t.score);
        expect(best?.score).toBe(bestSeen);
      },
    });
    expect(seen).toEqual([0, 1, 2, 3, 4, 5]);
  });

  it('stops on abort and returns the trials completed so far', async () => {
    const ac = new AbortController();
    const r = await search(s, f, {
      direction: 'maximize',
      nTrials: 10,
      signal: ac.signal,
      onTrial: (t) => {
        if (t.index === 2) ac.abort();
      },
    });
    expect(r.aborted).toBe(true);
    expect(r.trials).toHaveLength(3);
    const full = await search(s, f, { direction: 'maximize', nTrials: 10 });
    expect(full.aborted).toBe(false);
    // abort between folds of a trial discards that trial
    const ac2 = new AbortController();
    let n = 0;
    const r2 = await search(s, (p, _fold, k) => {
      n++;
      if (n === 5) ac2.abort();
      return f(p) + k;
    }, { direction: 'maximize', nTrials: 10, cv: folds, signal: ac2.signal });
    expect(r2.trials).toHaveLength(1);
    const pre = new AbortController();
    pre.abort(new Error('user cancelled'));
    const e = await rejects(() => search(s, f, { direction: 'maximize', signal: pre.signal }));
    expect(e).toBeInstanceOf(TrainingError);
    expect((e as TrainingError).cause).toEqual(new Error('user cancelled'));
  });

  it('marks NaN/Infinity scores as failed trials, ranked last; all failed is a TrainingError', async () => {
    const r = await search(s, (p) => (p.k === 2 ? Number.NaN : f(p)), { direction: 'maximize', nTrials: 15, seed: 4 });
    const failed = r.trials.filter((t) => t.status === 'failed');
    expect(failed.length).toBeGreaterThan(0);
    for (const t of failed) {
      expect(t.params.k).toBe(2);
      expect(t.score).toBeNaN();
    }
    expect(r.trials.slice(-failed.length)).toEqual(failed);
    expect(r.best.status).toBe('ok');
    const e = await rejects(() => search(s, () => Infinity, { direction: 'minimize', nTrials: 3 }));
    expect(e).toBeInstanceOf(TrainingError);
    expect((e as TrainingError).details.fn).toBe(name);
  });

  it('a TrainingError thrown by the objective fails the trial; other errors reject the search', async () => {
    const r = await search(s, (p) => {
      if (p.k === 0) throw new TrainingError('trainModel: loss became NaN at epoch 1.', { fn: 'trainModel' });
      return f(p);
    }, { direction: 'maximize', nTrials: 15, seed: 4 });
    const failed = r.trials.filter((t) => t.status === 'failed');
    expect(failed.length).toBeGreaterThan(0);
    for (const t of failed) {
      expect(t.params.k).toBe(0);
      expect(t.error).toBe('trainModel: loss became NaN at epoch 1.');
    }
    expect(r.trials.filter((t) => t.status === 'ok').every((t) => t.error === undefined)).toBe(true);
    const boom = new RangeError('bug in user code');
    expect(await rejects(() => search(s, () => { throw boom; }, { direction: 'maximize', nTrials: 3 }))).toBe(boom);
  });

  it('an error thrown because the signal aborted ends the search as an abort', async () => {
    const ac = new AbortController();
    let n = 0;
    const r = await search(s, (p) => {
      n++;
      if (n === 4) {
        ac.abort();
        throw new TrainingError('trainModel: training was aborted.', { fn: 'trainModel' });
      }
      return f(p);
    }, { direction: 'maximize', nTrials: 10, signal: ac.signal });
    expect(r.aborted).toBe(true);
    expect(r.trials).toHaveLength(3);
    expect(r.trials.every((t) => t.status === 'ok')).toBe(true);
  });

  it('rejects a non-number score with DataError', async () => {
    const e = await rejects(() => search(s, (() => '0.5') as never, { direction: 'maximize', nTrials: 2 }));
    expect(e).toBeInstanceOf(DataError);
    expect((e as DataError).message).toContain(name);
  });

  it('validates options', async () => {
    const bad: [unknown, string][] = [
      [undefined, 'options'],
      [{}, 'direction'],
      [{ direction: 'max' }, 'direction'],
      [{ direction: 'maximize', nTrials: 0 }, 'nTrials'],
      [{ direction: 'maximize', nTrials: 2.5 }, 'nTrials'],
      [{ direction: 'maximize', seed: 1.5 }, 'seed'],
      [{ direction: 'maximize', cv: 'kfold' }, 'cv'],
      [{ direction: 'maximize', cv: [] }, 'cv'],
      [{ direction: 'maximize', cv: [{ train: [0], test: Int32Array.of(1) }] }, 'cv[0].train'],
      [{ direction: 'maximize', cv: [{ train: Int32Array.of(0, 1), test: Int32Array.of(1) }] }, 'cv[0]'],
      [{ direction: 'maximize', onTrial: 3 }, 'onTrial'],
      [{ direction: 'maximize', signal: {} }, 'signal'],
      [{ direction: 'maximize', trials: 3 }, 'trials'],
    ];
    for (const [o, arg] of bad) {
      const e = await rejects(() => search(s, f, o as never));
      expect(e, JSON.stringify(o)).toBeInstanceOf(InvalidOptionError);
      expect((e as InvalidOptionError).details).toMatchObject({ fn: name, arg });
    }
    const e1 = await rejects(() => search({} as never, f as never, { direction: 'maximize' }));
    expect((e1 as InvalidOptionError).details.arg).toBe('space');
    const e2 = await rejects(() => search(s, 5 as never, { direction: 'maximize' }));
    expect((e2 as InvalidOptionError).details.arg).toBe('objective');
  });

  it('does not mutate folds or options', async () => {
    const snap = folds.map((x) => [Array.from(x.train), Array.from(x.test)]);
    const opts = { direction: 'maximize' as const, nTrials: 3, cv: folds };
    const before = JSON.stringify(opts);
    await search(s, (p, fold) => f(p) + fold.test[0]!, opts);
    expect(folds.map((x) => [Array.from(x.train), Array.from(x.test)])).toEqual(snap);
    expect(JSON.stringify(opts)).toBe(before);
    expect(Object.isFrozen(opts)).toBe(false);
  });

  it('leaks no tensors around a tensor-using objective', async () => {
    const data = tf.tensor1d([1, 2, 3, 4, 5, 6]);
    await expectNoLeak(async () => {
      await search(s, (p, fold) => {
        const m = tf.tidy(() => tf.mean(tf.mul(tf.gather(data, Array.from(fold.test)), p.x)).dataSync()[0] as number);
        return m;
      }, { direction: 'maximize', nTrials: 3, cv: folds });
    });
    data.dispose();
  });
});
