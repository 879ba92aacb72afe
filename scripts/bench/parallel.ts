/**
 * Use every core: 5-fold cross-validation and a random search of a neural classifier, sequential
 * (in this thread) vs a worker pool (`createWorkerPool`), on the wasm backend, side by side in
 * interleaved A/B pairs; the figure is the median ratio sequential time / pool time. Also checks
 * that the pool's scores are bit-identical to the sequential ones.
 *
 * Ceilings: with equal folds, 5 folds on 2 workers take 3 fold-times instead of 5, so 5-fold CV
 * cannot beat 5/3 = 1.67x on 2 cores; a search with 4 trials x 5 folds (20 equal tasks) can reach
 * 2x. The control (`machine`) runs the same pure-JS loop twice, sequentially vs on 2 threads: on a
 * shared machine it shows how much parallel CPU there really was during the run.
 *
 * `cv5Oversubscribed` runs the same CV on one worker more than cores (3 on 2): the OS then shares
 * the cores among the first 3 folds and no core idles during the last one (ceiling 2x).
 *
 * `cv5OneWorker` compares the sequential run with a 1-worker pool: the pool's own overhead.
 *
 * Cold and warm: every pool is started with `pool.warmUp()` (timed as `workerStartupMs`). The
 * first full CV in a thread is slower than later ones (V8 has not yet optimised tfjs and finml
 * there), in a worker as in this thread: `cv5Cold` times the first CV of this thread against the
 * first CV of the started pool; the other figures are warm: before timing, each worker has run
 * as many folds as this thread has (5; a pool of w workers runs w untimed CVs).
 *
 * Run alone: `npx tsx scripts/bench/parallel.ts` (env FINML_BENCH_WORKERS, default 2;
 * FINML_BENCH_QUICK=1 for a smaller problem and fewer pairs).
 */
import { availableParallelism, loadavg } from 'node:os';
import { Worker } from 'node:worker_threads';
import { useBackend } from '../../src/core/backend';
import { sequentialExecutor } from '../../src/core/executor';
import { kFold } from '../../src/data/kFold';
import { createWorkerPool, type WorkerPool } from '../../src/node/workerPool';
import { FINML_TASKS } from '../../src/parallel/tasks';
import { crossValidate } from '../../src/search/crossValidate';
import { randomSearch } from '../../src/search/randomSearch';
import { choice, intUniform, space } from '../../src/search/space';
import type { NeuralScoreData } from '../../src/search/tasks';
import { runIfMain } from './_standalone';

const median = (v: readonly number[]): number => {
  const s = [...v].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 === 1 ? (s[m] as number) : ((s[m - 1] as number) + (s[m] as number)) / 2;
};
const round = (v: number, d = 3): number => Math.round(v * 10 ** d) / 10 ** d;

function problem(n: number, c: number, epochs: number): NeuralScoreData {
  const x = new Float64Array(n * c);
  for (let i = 0; i < x.length; i++) x[i] = Math.sin(i * 0.7301) + 0.5 * Math.cos(i * 0.1713);
  const y = new Float64Array(n);
  for (let r = 0; r < n; r++) {
    let z = 0;
    for (let j = 0; j < c; j++) z += (j % 3 === 0 ? 1 : -0.5) * (x[r * c + j] as number);
    y[r] = z + Math.sin(r * 1.31) > 0 ? 1 : 0;
  }
  return {
    x: { rows: n, cols: c, data: x },
    y,
    estimator: 'NeuralClassifier',
    params: { model: { type: 'fnn', hidden: [64, 32] }, train: { epochs, batchSize: 64 }, seed: 3 },
    metric: 'rocAuc',
  };
}

/** Pure-JS CPU work on `threads` threads at once vs the same work twice in a row on one: available parallel CPU. */
async function machineParallelism(): Promise<number> {
  const code = `const { parentPort } = require('node:worker_threads'); parentPort.on('message', (n) => { let s = 0; for (let i = 0; i < n; i++) s += Math.sqrt(i); parentPort.postMessage(s); });`;
  const ws = [new Worker(code, { eval: true }), new Worker(code, { eval: true })];
  const once = (w: Worker, n: number): Promise<unknown> => new Promise((r) => { w.once('message', r); w.postMessage(n); });
  try {
    await Promise.all(ws.map((w) => once(w, 1e6)));
    const N = 2e8;
    let t = performance.now();
    await once(ws[0] as Worker, N);
    await once(ws[0] as Worker, N);
    const seq = performance.now() - t;
    t = performance.now();
    await Promise.all(ws.map((w) => once(w, N)));
    return seq / (performance.now() - t);
  } finally {
    await Promise.all(ws.map((w) => w.terminate()));
  }
}

interface Pair {
  readonly seqMs: number;
  readonly poolMs: number;
  readonly identical: boolean;
}

async function pairs(n: number, seq: () => Promise<unknown>, par: () => Promise<unknown>): Promise<Pair[]> {
  const out: Pair[] = [];
  for (let i = 0; i < n; i++) {
    let a: unknown;
    let b: unknown;
    let seqMs = 0;
    let poolMs = 0;
    const timeSeq = async (): Promise<void> => {
      const t = performance.now();
      a = await seq();
      seqMs = performance.now() - t;
    };
    const timePool = async (): Promise<void> => {
      const t = performance.now();
      b = await par();
      poolMs = performance.now() - t;
    };
    // Interleaved: alternate which side runs first.
    if (i % 2 === 0) {
      await timeSeq();
      await timePool();
    } else {
      await timePool();
      await timeSeq();
    }
    out.push({ seqMs: round(seqMs, 0), poolMs: round(poolMs, 0), identical: JSON.stringify(a) === JSON.stringify(b) });
  }
  return out;
}

function summary(ps: readonly Pair[], tasks: number, workers: number): Record<string, unknown> {
  const ratios = ps.map((p) => p.seqMs / p.poolMs);
  return {
    pairs: ps,
    speedups: ratios.map((r) => round(r)),
    medianSpeedup: round(median(ratios)),
    ceiling: round(tasks / Math.ceil(tasks / workers)),
    bitIdentical: ps.every((p) => p.identical),
  };
}

export async function run(): Promise<Record<string, unknown>> {
  await useBackend('wasm');
  const quick = process.env.FINML_BENCH_QUICK === '1';
  const workers = Number(process.env.FINML_BENCH_WORKERS ?? 2);
  const nPairs = quick ? 2 : 4;
  const data = problem(quick ? 1500 : 4000, 20, quick ? 3 : 6);
  const folds = kFold(data.x.rows, { k: 5, shuffle: true, seed: 1 });
  const objective = { task: 'finml.scoreNeural', data };
  const seqEx = sequentialExecutor(FINML_TASKS);
  const machineBefore = await machineParallelism();

  const t0 = performance.now();
  const pool = createWorkerPool({ workers, backend: 'wasm' });
  try {
    // Start every worker (load finml, wasm and the tasks): what `pool.warmUp()` gives a user.
    await pool.warmUp();
    const startupMs = performance.now() - t0;
    // Cold: the first full CV of this thread vs the first full CV of the started pool. Both sides
    // run this code for the first time (V8 has not optimised tfjs/finml yet in that thread).
    const timed = async (f: () => Promise<unknown>): Promise<number> => {
      const t = performance.now();
      await f();
      return performance.now() - t;
    };
    const seqColdMs = await timed(() => crossValidate(objective, folds, { executor: seqEx }));
    const poolColdMs = await timed(() => crossValidate(objective, folds, { executor: pool }));
    // Warm: before timing, every thread has run as many folds as this one (5): a pool of w workers
    // runs w untimed CVs (V8's warm-up is per thread: each worker gets 5/w folds of a CV).
    // Returns the time of the first (cold) one.
    const warmed = async (ex: WorkerPool, done = 0): Promise<number> => {
      await ex.warmUp();
      let first = Number.NaN;
      for (let i = done; i < ex.concurrency; i++) {
        const ms = await timed(() => crossValidate(objective, folds, { executor: ex }));
        if (i === done) first = ms;
      }
      return first;
    };
    await warmed(pool, 1);

    const cv = await pairs(
      nPairs,
      () => crossValidate(objective, folds, { executor: seqEx }),
      () => crossValidate(objective, folds, { executor: pool }),
    );
    // Oversubscribed: one worker more than cores. 5 equal folds on 2 workers leave a core idle
    // for the last fold (ceiling 5/3); with 3 workers the OS shares the 2 cores among the first 3
    // folds, then the last 2 run side by side: 2.5 fold-times of CPU on 2 cores (ceiling 2x).
    const over = createWorkerPool({ workers: workers + 1, backend: 'wasm' });
    let oversubscribed: Pair[];
    try {
      await warmed(over);
      oversubscribed = await pairs(
        nPairs,
        () => crossValidate(objective, folds, { executor: seqEx }),
        () => crossValidate(objective, folds, { executor: over }),
      );
    } finally {
      await over.close();
    }
    // The pool's own cost per fold: one worker vs this thread (1.0 = no overhead; no parallelism involved).
    const one = createWorkerPool({ workers: 1, backend: 'wasm' });
    let oneWorker: Pair[];
    let oneColdMs: number;
    let oneColdSeqMs: number;
    try {
      oneColdMs = await warmed(one);
      oneColdSeqMs = await timed(() => crossValidate(objective, folds, { executor: seqEx }));
      oneWorker = await pairs(
        quick ? 1 : 2,
        () => crossValidate(objective, folds, { executor: seqEx }),
        () => crossValidate(objective, folds, { executor: one }),
      );
    } finally {
      await one.close();
    }
    const sp = space({ model: choice([{ type: 'fnn', hidden: [64, 32] }, { type: 'fnn', hidden: [32] }]), seed: intUniform(1, 1000) });
    const searchOpt = { direction: 'maximize' as const, nTrials: 4, seed: 7, cv: folds };
    const search = await pairs(
      quick ? 1 : 2,
      () => randomSearch(sp, objective, { ...searchOpt, executor: seqEx }),
      () => randomSearch(sp, objective, { ...searchOpt, executor: pool }),
    );
    const machineAfter = await machineParallelism();
    return {
      backend: 'wasm',
      workers,
      availableParallelism: availableParallelism(),
      loadAverage1m: round(loadavg()[0] ?? Number.NaN, 1),
      problem: { rows: data.x.rows, cols: data.x.cols, model: 'fnn [64, 32]', epochs: data.params.train?.epochs, batchSize: 64 },
      workerStartupMs: round(startupMs, 0),
      cv5Cold: {
        seqMs: round(seqColdMs, 0),
        poolMs: round(poolColdMs, 0),
        speedup: round(seqColdMs / poolColdMs),
        speedupWithStartup: round(seqColdMs / (startupMs + poolColdMs)),
        note: 'first CV in this thread vs first CV on the started pool (warmUp() done; speedupWithStartup adds workerStartupMs to the pool side); one sample each',
      },
      cv5: summary(cv, 5, workers),
      search4x5: summary(search, 20, workers),
      cv5Oversubscribed: {
        ...summary(oversubscribed, 5, workers + 1),
        workers: workers + 1,
        ceiling: Math.min(workers, 5),
        note: `${workers + 1} workers on ${workers} cores: the OS shares the cores, so no core idles while the last fold runs`,
      },
      cv5OneWorker: {
        ...summary(oneWorker, 5, 1),
        cold: { seqMs: round(oneColdSeqMs, 0), poolMs: round(oneColdMs, 0), speedup: round(oneColdSeqMs / oneColdMs), note: "the 1-worker pool's first CV (started, not yet JIT-warm) vs this (warm) thread's next CV" },
        note: 'sequential vs a 1-worker pool, both warm: the cost of the pool itself (messages, cloning, worker thread), ~1.0 when negligible',
      },
      machine: { parallelCpuBefore: round(machineBefore), parallelCpuAfter: round(machineAfter), note: 'pure-JS loop on 2 threads vs twice on 1: ~2 on an idle 2-core machine, ~1 when other processes use the cores' },
    };
  } finally {
    await pool.close();
  }
}

runIfMain(import.meta.url, run);
