/**
 * Cross-validation of finml's neural fold task with more folds than workers: the wrap-around
 * chains, and scores bit-identical to the sequential run although one fold's epochs run on two
 * workers (in-process executors here; the real pool in test/node/workerPool*.test.ts).
 */
import { describe, expect, it } from 'vitest';
import { bayesSearch, choice, crossValidate, intUniform, kFold, sequentialExecutor, space, walkForwardSplit, type Executor, type TaskRegistry } from '../../src/index';
import { DataError } from '../../src/core/errors';
import { createRng } from '../../src/core/random';
import { SEARCH_TASKS, type NeuralScoreData } from '../../src/search/tasks';
import { wrapAroundChains, type FoldPiece } from '../../src/search/_internal/foldChains';
import { expectNoLeak } from '../helpers/leak';

/** Runs up to `concurrency` tasks at once in this thread (structured-cloned payloads, like a worker), counting calls by task. */
function countingExecutor(tasks: TaskRegistry, concurrency: number, seed: number): Executor & { byTask: Record<string, number>; maxActive: number } {
  const rng = createRng(seed);
  let active = 0;
  const ex = {
    concurrency,
    byTask: {} as Record<string, number>,
    maxActive: 0,
    async run(task: string, payload: unknown): Promise<unknown> {
      ex.byTask[task] = (ex.byTask[task] ?? 0) + 1;
      active++;
      ex.maxActive = Math.max(ex.maxActive, active);
      try {
        await new Promise((r) => setTimeout(r, Math.floor(rng.next() * 4)));
        const f = tasks[task];
        if (f === undefined) throw new Error(`unknown task ${task}`);
        return structuredClone(await f(structuredClone(payload)));
      } finally {
        active--;
      }
    },
    async close(): Promise<void> {},
  };
  return ex;
}

function neuralData(rows: number, cols: number, params: NeuralScoreData['params'], estimator: NeuralScoreData['estimator'] = 'NeuralClassifier'): NeuralScoreData {
  const rng = createRng(5);
  const x = new Float64Array(rows * cols);
  for (let i = 0; i < x.length; i++) x[i] = rng.normal();
  const y = new Float64Array(rows);
  for (let r = 0; r < rows; r++) {
    const z = (x[r * cols] as number) - 0.7 * (x[r * cols + 1] as number) + 0.5 * rng.normal();
    y[r] = estimator === 'NeuralClassifier' ? (z > 0 ? 1 : 0) : z;
  }
  return { x: { rows, cols, data: x }, y, estimator, params, metric: estimator === 'NeuralClassifier' ? 'logLoss' : 'mse' };
}

describe('wrapAroundChains', () => {
  /** A piece's length in units (a fold of size s is s * w units). */
  const units = (p: FoldPiece, sizes: readonly number[], w: number, chains: FoldPiece[][]): number => {
    const whole = (sizes[p.fold] as number) * w;
    if (p.kind === 'whole') return whole;
    const firstPart = chains.flat().find((q) => q.kind === 'first' && q.fold === p.fold) as { pauseAt: number };
    return p.kind === 'first' ? firstPart.pauseAt * whole : whole - firstPart.pauseAt * whole;
  };
  const equal = (n: number): number[] => new Array<number>(n).fill(1);
  it.each([
    [equal(5), 2],
    [equal(3), 2],
    [equal(7), 3],
    [equal(10), 3],
    [equal(5), 4],
    [[1, 2, 3, 4], 2],
    [[30, 60, 90, 120, 150], 2],
    [[1, 1, 10], 2],
  ])('%j on %i workers: w chains of max(largest, total / w), each fold once, its first part before its rest', (sizes, w) => {
    const chains = wrapAroundChains(sizes, w);
    const total = sizes.reduce((a, v) => a + v, 0);
    const length = Math.max(total, w * Math.max(...sizes));
    expect(chains.length).toBeLessThanOrEqual(w);
    chains.forEach((c, i) => {
      const sum = c.reduce((a, p) => a + units(p, sizes, w, chains), 0);
      if (i < chains.length - 1) expect(sum).toBeCloseTo(length, 9);
      else expect(sum).toBeLessThanOrEqual(length + 1e-9);
    });
    sizes.forEach((_, f) => {
      const pieces = chains.flat().filter((p) => p.fold === f);
      expect(pieces.map((p) => p.kind).sort()).toEqual(pieces.length === 1 ? ['whole'] : ['first', 'rest']);
    });
    chains.forEach((c, i) =>
      c.forEach((p, j) => {
        if (p.kind === 'first') expect(j).toBe(0);
        if (p.kind !== 'rest') return;
        expect(j).toBe(c.length - 1);
        const first = (chains[i + 1] as FoldPiece[])[0] as FoldPiece & { pauseAt: number };
        expect(first).toMatchObject({ kind: 'first', fold: p.fold });
        // the first part (from time 0) ends before the rest starts (at the chain's end minus its length)
        expect(first.pauseAt * (sizes[p.fold] as number) * w).toBeLessThanOrEqual(length - units(p, sizes, w, chains) + 1e-9);
      }),
    );
  });
  it('5 folds on 2 workers: fold 2 runs half its epochs on the second worker first', () => {
    expect(wrapAroundChains(equal(5), 2)).toEqual([
      [{ kind: 'whole', fold: 0 }, { kind: 'whole', fold: 1 }, { kind: 'rest', fold: 2 }],
      [{ kind: 'first', fold: 2, pauseAt: 0.5 }, { kind: 'whole', fold: 3 }, { kind: 'whole', fold: 4 }],
    ]);
  });
  it('growing walk-forward folds 1..4 on 2 workers: a third of fold 2 first, then fold 3 (makespan 5, not 6)', () => {
    expect(wrapAroundChains([1, 2, 3, 4], 2)).toEqual([
      [{ kind: 'whole', fold: 0 }, { kind: 'whole', fold: 1 }, { kind: 'rest', fold: 2 }],
      [{ kind: 'first', fold: 2, pauseAt: 1 / 3 }, { kind: 'whole', fold: 3 }],
    ]);
  });
});

describe("crossValidate with 'finml.scoreNeural' on more folds than workers", () => {
  const cases: [string, NeuralScoreData][] = [
    ['a classifier with dropout', neuralData(150, 4, { model: { type: 'fnn', hidden: [6], dropout: 0.2 }, train: { epochs: 6, batchSize: 16, learningRate: 0.02 }, seed: 3 })],
    ['a regressor with validation and early stopping', neuralData(150, 3, { model: { type: 'fnn', hidden: [5] }, train: { epochs: 9, batchSize: 16, learningRate: 0.05, validationSplit: 0.2, earlyStopping: { patience: 2 } }, seed: 4 }, 'NeuralRegressor')],
  ];
  for (const [what, data] of cases) {
    it(`splits a fold between two workers and gives the sequential scores bit for bit: ${what}`, async () => {
      const folds = kFold(150, { k: 5, shuffle: true, seed: 2 });
      const seq = await crossValidate({ task: 'finml.scoreNeural', data }, folds, { executor: sequentialExecutor(SEARCH_TASKS) });
      for (const w of [2, 3]) {
        const ex = countingExecutor(SEARCH_TASKS, w, w);
        const par = await crossValidate({ task: 'finml.scoreNeural', data }, folds, { executor: ex });
        expect(par.scores, `${w} workers`).toEqual(seq.scores);
        expect(ex.byTask['finml.scoreNeuralPart'], `${w} workers`).toBe(2 * (w - 1));
        expect(ex.byTask['finml.scoreNeural'], `${w} workers`).toBe(5 - (w - 1));
        expect(ex.maxActive).toBeLessThanOrEqual(w);
      }
    });
  }

  it('walk-forward folds of growing size: split by training rows, the sequential scores bit for bit', async () => {
    const data = cases[0]![1];
    const folds = walkForwardSplit(150, { nSplits: 4 });
    const seq = await crossValidate({ task: 'finml.scoreNeural', data }, folds);
    const ex = countingExecutor(SEARCH_TASKS, 2, 7);
    expect((await crossValidate({ task: 'finml.scoreNeural', data }, folds, { executor: ex })).scores).toEqual(seq.scores);
    expect(ex.byTask['finml.scoreNeuralPart']).toBe(2);
  });

  it("a TPE search's trials (5 folds each on 2 workers) split folds and equal the sequential search", async () => {
    const data = neuralData(100, 3, { model: { type: 'fnn', hidden: [4] }, train: { epochs: 4, batchSize: 25 }, seed: 2 });
    const sp = space({ train: choice([{ epochs: 4, batchSize: 25, learningRate: 0.01 }, { epochs: 4, batchSize: 25, learningRate: 0.1 }]), seed: intUniform(1, 50) });
    const opt = { direction: 'minimize' as const, nTrials: 4, nStartup: 2, seed: 3, cv: kFold(100, { k: 5 }) };
    const seq = await bayesSearch(sp, { task: 'finml.scoreNeural', data }, opt);
    const ex = countingExecutor(SEARCH_TASKS, 2, 4);
    expect(await bayesSearch(sp, { task: 'finml.scoreNeural', data }, { ...opt, executor: ex })).toEqual(seq);
    expect(ex.byTask['finml.scoreNeuralPart']).toBeGreaterThan(0);
  });

  it('takes the score of a first part that stopped early, and splits nothing when folds divide evenly', async () => {
    // patience 0 with a huge learning rate: every fold stops within its first epochs
    const data = neuralData(100, 3, { model: { type: 'fnn', hidden: [4] }, train: { epochs: 20, batchSize: 50, learningRate: 5, validationSplit: 0.3, earlyStopping: { patience: 0 } }, seed: 9 });
    const folds = kFold(100, { k: 5 });
    const seq = await crossValidate({ task: 'finml.scoreNeural', data }, folds);
    const ex = countingExecutor(SEARCH_TASKS, 2, 1);
    expect((await crossValidate({ task: 'finml.scoreNeural', data }, folds, { executor: ex })).scores).toEqual(seq.scores);
    expect(ex.byTask['finml.scoreNeuralPart']).toBe(1); // the rest was not needed
    const even = countingExecutor(SEARCH_TASKS, 2, 1);
    await crossValidate({ task: 'finml.scoreNeural', data }, kFold(100, { k: 4 }), { executor: even });
    expect(even.byTask).toEqual({ 'finml.scoreNeural': 4 });
  });

  it('keeps no tensor, and a failing first part rejects without leaving a fold waiting', async () => {
    const data = neuralData(80, 3, { model: { type: 'fnn', hidden: [4] }, train: { epochs: 4, batchSize: 16 }, seed: 1 });
    const folds = kFold(80, { k: 5 });
    await expectNoLeak(() => crossValidate({ task: 'finml.scoreNeural', data }, folds, { executor: countingExecutor(SEARCH_TASKS, 2, 3) }));
    const broken: TaskRegistry = { ...SEARCH_TASKS, 'finml.scoreNeuralPart': () => ({ neither: true }) };
    await expect(crossValidate({ task: 'finml.scoreNeural', data }, folds, { executor: countingExecutor(broken, 2, 3) })).rejects.toThrow(DataError);
    const throwing: TaskRegistry = { ...SEARCH_TASKS, 'finml.scoreNeuralPart': () => Promise.reject(new RangeError('worker died')) };
    await expect(crossValidate({ task: 'finml.scoreNeural', data }, folds, { executor: countingExecutor(throwing, 2, 3) })).rejects.toThrow(RangeError);
  });

  it("'finml.scoreNeuralPart' refuses a malformed part with a typed error", async () => {
    const data = neuralData(40, 3, { model: { type: 'fnn', hidden: [4] }, train: { epochs: 4 }, seed: 1 });
    const ex = sequentialExecutor(SEARCH_TASKS);
    const fold = kFold(40, { k: 2 })[0];
    await expect(ex.run('finml.scoreNeuralPart', { data, params: undefined, fold, foldIndex: 0, part: { pauseAt: 1.5 } })).rejects.toThrow(/finml\.scoreNeuralPart.*part|part.*finml\.scoreNeuralPart/);
    await expect(ex.run('finml.scoreNeuralPart', { data, params: undefined, fold, foldIndex: 0, part: { resumeFrom: { format: 'x' } } })).rejects.toThrow(/resumeFrom/);
  });
});
