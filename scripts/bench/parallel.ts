/**
 * Use every core: 5-fold cross-validation and a random search of a neural classifier, sequential
 * (in this thread) vs a worker pool (`createWorkerPool`), on the wasm backend, side by side in
 * interleaved A/B pairs; the figure is the median ratio sequential time / pool time. Also checks
 * that the pool's scores are bit-identical to the sequential ones.
 *
 * Ceilings: with whole folds, 5 equal folds on 2 workers take 3 fold-times instead of 5 (5/3 =
 * 1.67x). crossValidate splits one fold's epochs between the two workers instead (McNaughton's
 * wrap-around: a training checkpoint moves the fold from one worker to the other; scores stay
 * bit-identical), so each worker runs 2.5 fold-times: ceiling 2x. A search with 4 trials x 5 folds
 * (20 equal tasks) can reach 2x too. Other ways to keep both cores busy to the end (ceiling 2x),
 * all measured in the same interleaved rounds:
 * - `cv5Oversubscribed`: one worker more than cores (3 on 2);
 * - `cv5WorkerPerFold`: one worker per fold (`workers: 5`): all folds start at once;
 * - `cv5CallerThread`: the 2 workers plus this thread taking the next fold while it waits (a
 *   bench-local Executor over the pool).
 * `twoFolds` runs 2 folds side by side vs one after the other: the parallel CPU this work really
 * gets here (2 only if nothing is shared; V8's GC and compiler threads, caches and memory
 * bandwidth are), from which each variant's `measuredCeiling` follows. The control (`machine`)
 * runs a pure-JS loop twice, sequentially vs on 2 threads: on a shared machine it shows how much
 * parallel CPU there really was during the run.
 *
 * `cv5OneWorker` compares the sequential run with a 1-worker pool: the pool's own overhead.
 *
 * Cold and warm: every pool is started with `pool.warmUp()` (timed as `workerStartupMs`). The
 * first full CV in a thread is slower than later ones (V8 has not yet optimised tfjs and finml
 * there), in a worker as in this thread: `cv5Cold` times the first CV of this thread against the
 * first CV of the started pool (and of a started 5-worker pool); the other figures are warm:
 * before timing, each worker has run as many folds as this thread has (5; a pool of w workers
 * runs w untimed CVs). `cv5ColdJitWarmUp` compares fresh pools started with `warmUp()` and with
 * `warmUp({ jit: true })` (one small warm-up fit per worker): their first CV, and warm-up + CV.
 *
 * Run alone: `npx tsx scripts/bench/parallel.ts` (env FINML_BENCH_WORKERS, default 2;
 * FINML_BENCH_QUICK=1 for a smaller problem and fewer pairs).
 */
import { availableParallelism, loadavg } from 'node:os';
import { createControl } from './_machine';
import { meanStd } from '../../src/core/_internal/stats';
import { useBackend } from '../../src/core/backend';
import { runTasks, sequentialExecutor, type Executor } from '../../src/core/executor';
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

/** A pair is "quiet" when the control before and after it both show at least this much parallel CPU. */
const QUIET = 1.8;

interface Pair {
  readonly seqMs: number;
  readonly poolMs: number;
  readonly identical: boolean;
  /** The lower of the controls measured just before and just after the pair (when measured). */
  readonly control?: number;
}

async function pairs(n: number, seq: () => Promise<unknown>, par: () => Promise<unknown>, first = 0): Promise<Pair[]> {
  const out: Pair[] = [];
  for (let i = first; i < first + n; i++) {
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
  const quiet = ps.filter((p) => p.control !== undefined && p.control >= QUIET).map((p) => p.seqMs / p.poolMs);
  return {
    pairs: ps,
    speedups: ratios.map((r) => round(r)),
    medianSpeedup: round(median(ratios)),
    ...(ps.some((p) => p.control !== undefined) ? { quietPairs: quiet.length, medianSpeedupQuiet: quiet.length === 0 ? null : round(median(quiet)) } : {}),
    ceiling: round(tasks / Math.ceil(tasks / workers)),
    bitIdentical: ps.every((p) => p.identical),
  };
}

/**
 * An executor that also runs tasks in this thread: whichever is free, this thread or a worker of
 * `pool`, takes the next call (concurrency: the pool's + 1). Bench-only: it measures "the main
 * thread takes a task while it waits" through the public Executor interface.
 */
function withCallerThread(pool: Executor, local: Executor): Executor {
  const queue: { task: string; payload: unknown; resolve: (v: unknown) => void; reject: (e: unknown) => void }[] = [];
  let poolBusy = 0;
  let localBusy = false;
  const pump = (): void => {
    for (;;) {
      const job = queue[0];
      if (job === undefined) return;
      if (poolBusy < pool.concurrency) {
        // workers first: they start at once, this thread then blocks in its own fit
        queue.shift();
        poolBusy++;
        pool.run(job.task, job.payload).then(job.resolve, job.reject).finally(() => {
          poolBusy--;
          pump();
        });
      } else if (!localBusy) {
        queue.shift();
        localBusy = true;
        setImmediate(() => {
          local.run(job.task, job.payload).then(job.resolve, job.reject).finally(() => {
            localBusy = false;
            pump();
          });
        });
      } else return;
    }
  };
  return {
    concurrency: pool.concurrency + 1,
    run: (task, payload) =>
      new Promise((resolve, reject) => {
        queue.push({ task, payload, resolve, reject });
        pump();
      }),
    close: async () => undefined,
  };
}

export async function run(): Promise<Record<string, unknown>> {
  await useBackend('wasm');
  const quick = process.env.FINML_BENCH_QUICK === '1';
  const workers = Number(process.env.FINML_BENCH_WORKERS ?? 2);
  const nPairs = quick ? 2 : 8;
  const data = problem(quick ? 1500 : 4000, 20, quick ? 3 : 6);
  const folds = kFold(data.x.rows, { k: 5, shuffle: true, seed: 1 });
  const objective = { task: 'finml.scoreNeural', data };
  const seqEx = sequentialExecutor(FINML_TASKS);
  const control = await createControl();
  const machineBefore = await control.measure();
  const CONTROL_N = 3e7;
  const cv = (ex: Executor) => (): Promise<unknown> => crossValidate(objective, folds, { executor: ex });
  const timed = async (f: () => Promise<unknown>): Promise<number> => {
    const t = performance.now();
    await f();
    return performance.now() - t;
  };
  // Warm: before timing, every thread has run as many folds as this one (5): a pool of w workers
  // runs w untimed CVs (V8's warm-up is per thread: each worker gets 5/w folds of a CV).
  // Returns the time of the first (cold) one.
  const warmed = async (ex: WorkerPool, done = 0): Promise<number> => {
    await ex.warmUp();
    let first = Number.NaN;
    for (let i = done; i < ex.concurrency; i++) {
      const ms = await timed(cv(ex));
      if (i === done) first = ms;
    }
    return first;
  };

  const t0 = performance.now();
  const pool = createWorkerPool({ workers, backend: 'wasm' });
  const extra: WorkerPool[] = [];
  try {
    // Start every worker (load finml, wasm and the tasks): what `pool.warmUp()` gives a user.
    await pool.warmUp();
    const startupMs = performance.now() - t0;
    // Cold: the first full CV of this thread vs the first full CV of the started pool. Both sides
    // run this code for the first time (V8 has not optimised tfjs/finml yet in that thread).
    const seqColdMs = await timed(cv(seqEx));
    const poolColdMs = await timed(cv(pool));
    await warmed(pool, 1);
    // One worker more than cores, and one worker per fold: the OS shares the cores among the
    // running folds, so no core idles while the last fold runs (ceiling: cores).
    const over = createWorkerPool({ workers: workers + 1, backend: 'wasm' });
    extra.push(over);
    const perFold = createWorkerPool({ workers: folds.length, backend: 'wasm' });
    extra.push(perFold);
    await warmed(over);
    const perFoldColdMs = await warmed(perFold);
    const caller = withCallerThread(pool, seqEx);
    // Two folds side by side vs one after the other: how much parallel CPU this work really gets
    // (2 on an idle 2-core machine if nothing is shared; V8's GC and compiler threads, caches and
    // memory bandwidth are shared, so less). It sets the honest ceilings below.
    const twoFolds = [0, 1].map((i) => ({ task: objective.task, payload: { data, params: undefined, fold: folds[i], foldIndex: i } }));

    // All variants interleaved round by round (each round: one A/B pair per variant, alternating
    // which side runs first), so that load from other processes hits every variant alike.
    // The same pool with every fold whole (what crossValidate did before it split folds): 3 rounds.
    const wholeFolds = async (): Promise<unknown> => {
      const scores = (await runTasks(pool, folds.map((fold, foldIndex) => ({ task: objective.task, payload: { data, params: undefined, fold, foldIndex } })))) as number[];
      return Object.freeze({ ...meanStd(scores), scores: Object.freeze(scores) });
    };
    const variants: Record<string, () => Promise<unknown>> = {
      cv5: cv(pool),
      cv5WholeFolds: wholeFolds,
      cv5Oversubscribed: cv(over),
      cv5WorkerPerFold: cv(perFold),
      cv5CallerThread: cv(caller),
    };
    const rounds: Record<string, Pair[]> = { twoFolds: [] };
    for (const k of Object.keys(variants)) rounds[k] = [];
    // Each pair is bracketed by a short control, so that pairs run while other processes took
    // the cores can be told apart (`medianSpeedupQuiet`: pairs whose controls were >= QUIET).
    let lastControl = await control.measure(CONTROL_N);
    const pairWithControl = async (seq: () => Promise<unknown>, par: () => Promise<unknown>, i: number): Promise<Pair> => {
      const [p] = (await pairs(1, seq, par, i)) as [Pair];
      const after = await control.measure(CONTROL_N);
      const c = Math.min(lastControl, after);
      lastControl = after;
      return { ...p, control: round(c, 2) };
    };
    // CPU time of this process (every thread) and wall time of each twoFolds side.
    const twoFoldCpu: { seq: [number, number][]; pool: [number, number][] } = { seq: [], pool: [] };
    const withCpu = (into: [number, number][], f: () => Promise<unknown>) => async (): Promise<unknown> => {
      const c = process.cpuUsage();
      const t = performance.now();
      const r = await f();
      const d = process.cpuUsage(c);
      into.push([(d.user + d.system) / 1000, performance.now() - t]);
      return r;
    };
    for (let i = 0; i < nPairs; i++) {
      for (const [k, par] of Object.entries(variants)) (rounds[k] as Pair[]).push(await pairWithControl(cv(seqEx), par, i));
      (rounds.twoFolds as Pair[]).push(await pairWithControl(withCpu(twoFoldCpu.seq, () => runTasks(seqEx, twoFolds)), withCpu(twoFoldCpu.pool, () => runTasks(pool, twoFolds)), i));
    }
    const twoFoldQuiet = (rounds.twoFolds as Pair[]).filter((p) => (p.control ?? 0) >= QUIET);
    const parallelCpu = median((twoFoldQuiet.length > 0 ? twoFoldQuiet : (rounds.twoFolds as Pair[])).map((p) => p.seqMs / p.poolMs));
    // 5 equal folds on 2 workers: two rounds of 2 folds at the measured parallel rate, then one
    // fold alone: 5 / (2 * 2 / p + 1). Oversubscribed: 5 folds of CPU at rate p: p.
    // 5 folds on w workers, one fold split over two of them: 5/w fold-times per worker, at the parallel CPU p.
    const splitCeiling = (p: number, w: number): number => Math.min(p, w, 5);

    // The pool's own cost per fold: one worker vs this thread (1.0 = no overhead; no parallelism involved).
    const one = createWorkerPool({ workers: 1, backend: 'wasm' });
    extra.push(one);
    const oneColdMs = await warmed(one);
    const oneColdSeqMs = await timed(cv(seqEx));
    const oneWorker = await pairs(quick ? 1 : 2, cv(seqEx), cv(one));
    const sp = space({ model: choice([{ type: 'fnn', hidden: [64, 32] }, { type: 'fnn', hidden: [32] }]), seed: intUniform(1, 1000) });
    const searchOpt = { direction: 'maximize' as const, nTrials: 4, seed: 7, cv: folds };
    const search = await pairs(
      quick ? 1 : 2,
      () => randomSearch(sp, objective, { ...searchOpt, executor: seqEx }),
      () => randomSearch(sp, objective, { ...searchOpt, executor: pool }),
    );
    // JIT warm-up: fresh pools (cold worker isolates) started with warmUp() vs warmUp({ jit: true }),
    // interleaved; the first CV on each, and warm-up + first CV (what a fresh process pays).
    type JitRun = { plainWarmUpMs: number; plainFirstCvMs: number; jitWarmUpMs: number; jitFirstCvMs: number; plainFirstCvCpuMs: number; jitFirstCvCpuMs: number; plainTotalCpuMs: number; jitTotalCpuMs: number; identical: boolean };
    const jit: JitRun[] = [];
    // CPU time (this process: every thread) is less disturbed by other processes than wall time.
    const cpuMs = (since: NodeJS.CpuUsage): number => {
      const d = process.cpuUsage(since);
      return (d.user + d.system) / 1000;
    };
    for (let i = 0; i < (quick ? 1 : 4); i++) {
      const one = async (withJit: boolean): Promise<{ warmMs: number; cvMs: number; cvCpu: number; totalCpu: number; scores: unknown }> => {
        const p = createWorkerPool({ workers, backend: 'wasm' });
        try {
          const c0 = process.cpuUsage();
          const warmMs = await timed(() => p.warmUp({ jit: withJit }));
          const c1 = process.cpuUsage();
          let scores: unknown;
          const cvMs = await timed(async () => {
            scores = await crossValidate(objective, folds, { executor: p });
          });
          return { warmMs, cvMs, cvCpu: cpuMs(c1), totalCpu: cpuMs(c0), scores };
        } finally {
          await p.close();
        }
      };
      let a: Awaited<ReturnType<typeof one>>;
      let b: Awaited<ReturnType<typeof one>>;
      if (i % 2 === 0) {
        a = await one(false);
        b = await one(true);
      } else {
        b = await one(true);
        a = await one(false);
      }
      jit.push({
        plainWarmUpMs: round(a.warmMs, 0),
        plainFirstCvMs: round(a.cvMs, 0),
        jitWarmUpMs: round(b.warmMs, 0),
        jitFirstCvMs: round(b.cvMs, 0),
        plainFirstCvCpuMs: round(a.cvCpu, 0),
        jitFirstCvCpuMs: round(b.cvCpu, 0),
        plainTotalCpuMs: round(a.totalCpu, 0),
        jitTotalCpuMs: round(b.totalCpu, 0),
        identical: JSON.stringify(a.scores) === JSON.stringify(b.scores),
      });
    }
    const machineAfter = await control.measure();
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
        workerPerFoldPoolMs: round(perFoldColdMs, 0),
        note: `first CV in this thread vs first CV on the started pool (warmUp() done; speedupWithStartup adds workerStartupMs to the pool side); workerPerFoldPoolMs: the first CV of a started ${folds.length}-worker pool (every fold on a cold worker); one sample each`,
      },
      twoFolds: {
        ...summary(rounds.twoFolds as Pair[], 2, workers),
        seqCoresBusy: round(median(twoFoldCpu.seq.map(([c, w]) => c / w))),
        poolCpuOverSeqCpu: round(median(twoFoldCpu.pool.map(([c], j) => c / (twoFoldCpu.seq[j] as [number, number])[0]))),
        note: 'two folds on 2 workers vs one after the other in this thread: the parallel CPU this work gets here (2 = perfect). seqCoresBusy: CPU time / wall time of the sequential side (above 1: V8 background threads on the other core); poolCpuOverSeqCpu: CPU time of the two folds side by side over one after the other (above 1: the folds slow each other down)',
      },
      cv5: { ...summary(rounds.cv5 as Pair[], 5, workers), ceiling: Math.min(workers, 5), measuredCeiling: round(splitCeiling(parallelCpu, workers)), note: `crossValidate on the ${workers}-worker pool: folds in wrap-around chains, one fold's epochs split over two workers (5/${workers} fold-times each)` },
      cv5WholeFolds: {
        ...summary(rounds.cv5WholeFolds as Pair[], 5, workers),
        measuredCeiling: round(5 / (Math.ceil(5 / workers) * (workers / Math.min(parallelCpu, workers)))),
        splitOverWhole: round(median((rounds.cv5 as Pair[]).map((p, j) => ((rounds.cv5WholeFolds as Pair[])[j] as Pair).poolMs / p.poolMs))),
        note: `the same ${workers}-worker pool with every fold whole (runTasks of 5 'finml.scoreNeural' calls: crossValidate before it split folds), ceiling 5/ceil(5/${workers}); splitOverWhole: median of whole-fold time / split-fold time over the same rounds`,
      },
      cv5Oversubscribed: {
        ...summary(rounds.cv5Oversubscribed as Pair[], 5, workers + 1),
        workers: workers + 1,
        ceiling: Math.min(workers, 5),
        measuredCeiling: round(Math.min(parallelCpu, workers)),
        note: `${workers + 1} workers on ${workers} cores: the OS shares the cores, so no core idles while the last fold runs`,
      },
      cv5WorkerPerFold: {
        ...summary(rounds.cv5WorkerPerFold as Pair[], 5, folds.length),
        workers: folds.length,
        ceiling: Math.min(workers, 5),
        measuredCeiling: round(Math.min(parallelCpu, workers)),
        note: `createWorkerPool({ workers: ${folds.length} }) on ${workers} cores: every fold starts at once and the OS shares the cores among them`,
      },
      cv5CallerThread: {
        ...summary(rounds.cv5CallerThread as Pair[], 5, workers + 1),
        workers,
        ceiling: Math.min(workers, 5),
        measuredCeiling: round(Math.min(parallelCpu, workers)),
        note: `${workers} workers plus this thread taking the next fold while it waits (a bench-local Executor over the pool): ${workers + 1} threads on ${workers} cores`,
      },
      cv5OneWorker: {
        ...summary(oneWorker, 5, 1),
        cold: { seqMs: round(oneColdSeqMs, 0), poolMs: round(oneColdMs, 0), speedup: round(oneColdSeqMs / oneColdMs), note: "the 1-worker pool's first CV (started, not yet JIT-warm) vs this (warm) thread's next CV" },
        note: 'sequential vs a 1-worker pool, both warm: the cost of the pool itself (messages, cloning, worker thread), ~1.0 when negligible',
      },
      search4x5: summary(search, 20, workers),
      cv5ColdJitWarmUp: {
        runs: jit,
        firstCvSpeedup: round(median(jit.map((r) => r.plainFirstCvMs / r.jitFirstCvMs))),
        withWarmUpSpeedup: round(median(jit.map((r) => (r.plainWarmUpMs + r.plainFirstCvMs) / (r.jitWarmUpMs + r.jitFirstCvMs)))),
        firstCvCpuRatio: round(median(jit.map((r) => r.plainFirstCvCpuMs / r.jitFirstCvCpuMs))),
        withWarmUpCpuRatio: round(median(jit.map((r) => r.plainTotalCpuMs / r.jitTotalCpuMs))),
        bitIdentical: jit.every((r) => r.identical),
        note: `fresh ${workers}-worker pools (cold workers): warmUp() vs warmUp({ jit: true }) (one small warm-up fit per worker), then the first CV; firstCvSpeedup: first CV only (the warm-up overlapped with loading data), withWarmUpSpeedup: warm-up + first CV, nothing overlapped; the *CpuRatio figures: the same with this process's CPU time (all threads), less disturbed by other processes`,
      },
      machine: {
        parallelCpuBefore: round(machineBefore),
        parallelCpuAfter: round(machineAfter),
        quietThreshold: QUIET,
        note: `pure-JS loop on 2 threads vs twice on 1: ~2 on an idle 2-core machine, ~1 when other processes use the cores. Each pair of the interleaved rounds carries the lower of a short control before and after it (pair.control); medianSpeedupQuiet is the median over the pairs whose control was >= ${QUIET}, and the measured ceilings use the quiet twoFolds pairs when there are any`,
      },
    };
  } finally {
    await Promise.all([pool, ...extra].map((p) => p.close()));
    await control.close();
  }
}

runIfMain(import.meta.url, run);
