/**
 * Task objectives on an executor: crossValidate and the three searches give exactly the result of
 * the sequential run with a function objective, whatever order the executor finishes tasks in.
 * (The real worker pool is tested in test/node/workerPool.test.ts.)
 */
import { describe, expect, it } from 'vitest';
import {
  DataError,
  FINML_TASKS,
  InvalidOptionError,
  TrainingError,
  bayesSearch,
  choice,
  createRng,
  crossValidate,
  defineScoreTask,
  gridSearch,
  intUniform,
  kFold,
  randomSearch,
  runTasks,
  sequentialExecutor,
  space,
  uniform,
  walkForwardSplit,
  type Executor,
  type Fold,
  type TaskRegistry,
  DisposedError,
} from '../../src/index';
import { SEARCH_TASKS } from '../../src/search/tasks';
import { expectNoLeak } from '../helpers/leak';
import { checkExecutor } from '../../src/core/executor';

const s = space({ x: uniform(-3, 3), n: intUniform(1, 4), c: choice(['a', 'b']) });
type P = { readonly x: number; readonly n: number; readonly c: 'a' | 'b' };
const y = Array.from({ length: 24 }, (_, i) => Math.sin(i) * 3);
const folds = kFold(24, { k: 4 });

/** The objective both ways: a closure, and the same code as a registered task. */
function score(p: P, fold: Fold | undefined, data: { y: number[] }): number {
  const f = fold ?? { train: Int32Array.from({ length: 12 }, (_, i) => i), test: Int32Array.from({ length: 12 }, (_, i) => 12 + i) };
  const m = f.train.reduce((a, i) => a + (data.y[i] as number), 0) / f.train.length;
  if (p.x > 2.5) return Number.NaN; // a "diverging" region: failed trials
  if (p.x < -2.7) throw new TrainingError('loss became NaN', { fn: 'task', expected: 'finite loss', got: 'NaN' });
  return f.test.reduce((a, i) => a + Math.abs((data.y[i] as number) - m - p.x / p.n), 0) / f.test.length + (p.c === 'a' ? 0.1 : 0);
}
const TASKS: TaskRegistry = {
  score: defineScoreTask<{ y: number[] }, P>(({ data, params, fold }) => score(params, fold, data)),
  slowEcho: (p) => p,
};

/** An in-process executor that runs up to `concurrency` tasks at once and finishes them in a scrambled order. */
function scrambledExecutor(tasks: TaskRegistry, concurrency: number, seed: number): Executor & { maxActive: number; calls: number } {
  const rng = createRng(seed);
  let active = 0;
  const state = { maxActive: 0, calls: 0 };
  const ex = {
    concurrency,
    get maxActive(): number {
      return state.maxActive;
    },
    get calls(): number {
      return state.calls;
    },
    async run(task: string, payload: unknown): Promise<unknown> {
      state.calls++;
      active++;
      state.maxActive = Math.max(state.maxActive, active);
      try {
        await new Promise((r) => setTimeout(r, Math.floor(rng.next() * 5)));
        const f = tasks[task];
        if (f === undefined) throw new Error(`unknown task ${task}`);
        return await f(structuredClone(payload));
      } finally {
        active--;
      }
    },
    async close(): Promise<void> {},
  };
  return ex;
}

describe('sequentialExecutor and runTasks', () => {
  it('runs tasks one at a time, in call order, and rejects unknown names and calls after close', async () => {
    const order: number[] = [];
    const ex = sequentialExecutor({ log: async (p) => { await new Promise((r) => setTimeout(r, 5 - (p as number))); order.push(p as number); return p; } });
    expect(ex.concurrency).toBe(1);
    expect(await runTasks(ex, [0, 1, 2, 3].map((v) => ({ task: 'log', payload: v })))).toEqual([0, 1, 2, 3]);
    expect(order).toEqual([0, 1, 2, 3]);
    await expect(ex.run('nope', 1)).rejects.toBeInstanceOf(InvalidOptionError);
    await ex.close();
    await expect(ex.run('log', 1)).rejects.toBeInstanceOf(DisposedError);
    expect(() => sequentialExecutor({ a: 3 } as unknown as TaskRegistry)).toThrow(InvalidOptionError);
  });

  it('runTasks waits for every call and throws the first error in call order', async () => {
    const settledAfter: string[] = [];
    const ex = scrambledExecutor({
      fail: async (p) => {
        await new Promise((r) => setTimeout(r, 20 - 5 * (p as number)));
        settledAfter.push(`fail${p as number}`);
        throw new Error(`fail ${p as number}`);
      },
      ok: (p) => p,
    }, 4, 1);
    await expect(runTasks(ex, [{ task: 'ok', payload: 0 }, { task: 'fail', payload: 1 }, { task: 'fail', payload: 2 }])).rejects.toThrow('fail 1');
    expect(settledAfter.sort()).toEqual(['fail1', 'fail2']);
    expect(() => checkExecutor('f', 'executor', { run() {}, close() {}, concurrency: 0 })).toThrow(InvalidOptionError);
  });
});

describe('crossValidate with a task objective', () => {
  it('equals the function objective, on the default, a sequential and a scrambled parallel executor', async () => {
    const p: P = { x: 0.5, n: 2, c: 'b' };
    const ref = await crossValidate((f) => score(p, f, { y }), folds);
    const tasks: TaskRegistry = { ...TASKS, cv: defineScoreTask<{ y: number[] }, undefined>(({ data, fold }) => score(p, fold, data)) };
    expect(await crossValidate({ task: 'cv', data: { y } }, folds, { executor: sequentialExecutor(tasks) })).toEqual(ref);
    const ex = scrambledExecutor(tasks, 3, 2);
    expect(await crossValidate({ task: 'cv', data: { y } }, folds, { executor: ex })).toEqual(ref);
    expect(ex.maxActive).toBeGreaterThan(1);
  });

  it('walk-forward folds (growing train windows) run on an executor like any folds', async () => {
    const p: P = { x: -0.2, n: 3, c: 'a' };
    const wf = walkForwardSplit(24, { nSplits: 4, gap: 1 });
    const tasks: TaskRegistry = { cv: defineScoreTask<{ y: number[] }, undefined>(({ data, fold }) => score(p, fold, data)) };
    const ref = await crossValidate((f) => score(p, f, { y }), wf);
    expect(await crossValidate({ task: 'cv', data: { y } }, wf, { executor: scrambledExecutor(tasks, 2, 5) })).toEqual(ref);
  });

  it('rejects an executor with a function objective, a malformed objective, unknown tasks and non-finite scores', async () => {
    const ex = sequentialExecutor(TASKS);
    await expect(crossValidate((f) => f.test.length, folds, { executor: ex })).rejects.toBeInstanceOf(InvalidOptionError);
    await expect(crossValidate({ task: 3 } as unknown as { task: string; data: null }, folds)).rejects.toBeInstanceOf(InvalidOptionError);
    await expect(crossValidate({ task: 'cv', data: null }, folds, { executor: {} as Executor })).rejects.toBeInstanceOf(InvalidOptionError);
    // Without an executor, only finml's built-in tasks are known.
    const e = await crossValidate({ task: 'mine', data: null }, folds).catch((x: unknown) => x);
    expect(e).toBeInstanceOf(InvalidOptionError);
    expect((e as Error).message).toContain(Object.keys(FINML_TASKS)[0]);
    const nan = await crossValidate({ task: 'slowEcho', data: null }, folds, { executor: ex }).catch((x: unknown) => x);
    expect(nan).toBeInstanceOf(DataError);
  });
});

describe('searches with a task objective', () => {
  const closure = (p: P, fold: Fold | undefined): number => score(p, fold, { y });
  const task = { task: 'score', data: { y } };

  it('random, grid and TPE search: identical results on a scrambled 3-way executor, with and without cv', async () => {
    for (const cv of [folds, undefined]) {
      const opt = { direction: 'minimize' as const, nTrials: 14, seed: 5, ...(cv !== undefined ? { cv } : {}) };
      const ex = scrambledExecutor(TASKS, 3, 9);
      expect(await randomSearch(s, task, { ...opt, executor: ex })).toEqual(await randomSearch(s, closure, opt));
      expect(ex.maxActive).toBeGreaterThan(1);
      const grid = space({ x: choice([-2.8, 0, 2.6]), n: intUniform(1, 2), c: choice(['a', 'b']) });
      expect(await gridSearch(grid, task, { ...opt, executor: scrambledExecutor(TASKS, 2, 3) })).toEqual(await gridSearch(grid, closure, opt));
      const tpe = { ...opt, nStartup: 5 };
      expect(await bayesSearch(s, task, { ...tpe, executor: scrambledExecutor(TASKS, 4, 4) })).toEqual(await bayesSearch(s, closure, tpe));
    }
  });

  it('the result has failed trials where the objective returned NaN or threw TrainingError, as sequentially', async () => {
    const grid = space({ x: choice([-2.8, 0, 2.6]), n: intUniform(1, 1), c: choice(['b']) });
    const r = await gridSearch(grid, task, { direction: 'minimize', cv: folds, executor: scrambledExecutor(TASKS, 4, 1) });
    expect(r.trials.map((t) => t.status)).toEqual(['ok', 'failed', 'failed']);
    expect(r.trials.find((t) => t.error !== undefined)?.error).toMatch(/loss became NaN/);
  });

  it('onTrial sees trials in order, and an abort from onTrial stops where the sequential search stops', async () => {
    const run = async (useTask: boolean): Promise<{ seen: number[]; n: number; aborted: boolean }> => {
      const controller = new AbortController();
      const seen: number[] = [];
      const opt = {
        direction: 'minimize' as const,
        nTrials: 12,
        seed: 2,
        cv: folds,
        signal: controller.signal,
        onTrial: (t: { index: number }) => {
          seen.push(t.index);
          if (t.index === 4) controller.abort();
        },
      };
      const r = useTask ? await randomSearch(s, task, { ...opt, executor: scrambledExecutor(TASKS, 6, 7) }) : await randomSearch(s, closure, opt);
      return { seen, n: r.trials.length, aborted: r.aborted };
    };
    expect(await run(true)).toEqual(await run(false));
    expect((await run(true)).seen).toEqual([0, 1, 2, 3, 4]);
  });

  it('rejects an executor with a function objective', async () => {
    await expect(randomSearch(s, closure, { direction: 'minimize', executor: sequentialExecutor(TASKS) })).rejects.toBeInstanceOf(InvalidOptionError);
    await expect(randomSearch(s, task, { direction: 'minimize', executor: { run: 1 } as unknown as Executor })).rejects.toBeInstanceOf(InvalidOptionError);
  });
});

describe("the built-in 'finml.warmUp' task", () => {
  it('fits and scores a small network, keeps no tensor, and gives the same score each time', async () => {
    const ex = sequentialExecutor(SEARCH_TASKS);
    let first = Number.NaN;
    await expectNoLeak(async () => {
      first = (await ex.run('finml.warmUp', null)) as number;
    });
    // a real fit: the synthetic target is learnable
    expect(first).toBeGreaterThan(0.7);
    expect(first).toBeLessThanOrEqual(1);
    expect(await ex.run('finml.warmUp', null)).toBe(first);
    expect(FINML_TASKS['finml.warmUp']).toBe(SEARCH_TASKS['finml.warmUp']);
  });
});
