/**
 * The evaluation loop shared by gridSearch, randomSearch and bayesSearch: option validation,
 * cross-validated scoring of each proposed parameter set, ranking, abort and progress handling.
 */
import { DataError, FinmlError, InvalidOptionError, TrainingError, describeValue } from '../../core/errors';
import { sequentialExecutor, type Executor } from '../../core/executor';
import { rules, type Rule } from '../../core/options';
import { SEARCH_TASKS } from '../tasks';
import { runFoldChains, splitFoldChains, type FoldCall } from './foldChains';
import type { Fold, FoldsInput } from '../searchTypes';
import { resolveFolds } from '../crossValidate';
import { isTaskObjective } from './taskObjective';
import type { TaskObjective } from '../tasks';
import type { Direction, Objective, OnTrial, SearchResult, Trial } from '../searchTypes';
import type { AnyDimension } from '../space';
import { meanStd } from '../../core/_internal/stats';

/** Resolved options common to every strategy (null = not given). */
export interface CommonResolved {
  readonly direction: Direction;
  readonly nTrials: number | null;
  readonly seed: number;
  readonly cv: FoldsInput | null;
  readonly onTrial: ((trial: Trial<unknown>, best: Trial<unknown> | undefined) => void | Promise<void>) | null;
  readonly signal: AbortSignal | null;
  readonly executor: Executor | null;
}

/** Defaults of the common options (direction has none: it is checked before resolveOptions). */
export const COMMON_DEFAULTS = {
  direction: 'maximize' as Direction,
  nTrials: null as number | null,
  seed: 0,
  cv: null as FoldsInput | null,
  onTrial: null as CommonResolved['onTrial'],
  signal: null as AbortSignal | null,
  executor: null as Executor | null,
};

/** Validation rules of the common options. */
export const COMMON_RULES: { readonly [K in keyof CommonResolved]: Rule } = {
  direction: rules.oneOf(['maximize', 'minimize']),
  nTrials: rules.nullable(rules.int({ min: 1 })),
  seed: rules.custom('a safe integer', (v) => typeof v === 'number' && Number.isSafeInteger(v)),
  cv: rules.nullable(
    rules.custom('an array of folds { train: Int32Array; test: Int32Array } or a function returning one', (v) => Array.isArray(v) || typeof v === 'function'),
  ),
  onTrial: rules.nullable(rules.func()),
  signal: rules.nullable(
    rules.custom('an AbortSignal', (v) => typeof v === 'object' && v !== null && typeof (v as { aborted?: unknown }).aborted === 'boolean'),
  ),
  executor: rules.nullable(
    rules.custom('an Executor { concurrency: integer >= 1; run; close } (e.g. sequentialExecutor or createWorkerPool)', (v) => {
      const e = v as Partial<Executor> | null;
      return typeof e === 'object' && e !== null && typeof e.run === 'function' && typeof e.close === 'function' && Number.isInteger(e.concurrency) && (e.concurrency as number) >= 1;
    }),
  ),
};

/** Rejects a missing options object or a missing direction with a clear message. */
export function requireDirection(fn: string, options: unknown): void {
  if (typeof options !== 'object' || options === null || Array.isArray(options)) {
    throw new InvalidOptionError({ fn, arg: 'options', expected: "an options object with at least { direction: 'maximize' | 'minimize' }", got: describeValue(options) });
  }
  const d = (options as { direction?: unknown }).direction;
  if (d !== 'maximize' && d !== 'minimize') {
    throw new InvalidOptionError({ fn, arg: 'direction', expected: '"maximize" or "minimize"', got: describeValue(d) });
  }
}

/** Checks the space argument. */
export function checkSpace(fn: string, s: unknown): void {
  if (typeof s !== 'object' || s === null || (s as { kind?: unknown }).kind !== 'SearchSpace') {
    throw new InvalidOptionError({ fn, arg: 'space', expected: 'a search space built with space({ ... })', got: describeValue(s) });
  }
}

/** Loss to minimise for a direction (maximize → -score). */
export function lossOf(score: number, direction: Direction): number {
  return direction === 'maximize' ? -score : score;
}

/** Orders trials best first; failed trials last; ties by evaluation order. */
export function compareTrials(direction: Direction): (a: Trial<unknown>, b: Trial<unknown>) => number {
  return (a, b) => {
    const fa = a.status === 'failed';
    const fb = b.status === 'failed';
    if (fa !== fb) return fa ? 1 : -1;
    if (!fa) {
      const d = lossOf(a.score, direction) - lossOf(b.score, direction);
      if (d !== 0) return d;
    }
    return a.index - b.index;
  };
}

/** True once the signal has fired (a function so that TypeScript does not narrow it across awaits). */
function isAborted(signal: AbortSignal | null): boolean {
  return signal !== null && signal.aborted;
}

/** Proposes the next parameter set from the history, or undefined when the strategy is exhausted. */
export type Proposer<P> = (history: readonly Trial<P>[], trialIndex: number) => P | undefined;

/**
 * Evaluates proposals until `nTrials`, exhaustion or abort. Each trial is scored on every fold
 * (or once without cv); a non-finite score marks it failed and skips its remaining folds.
 */
export async function runSearch<P>(
  fn: string,
  method: SearchResult<P>['method'],
  objective: Objective<P, Fold | undefined> | TaskObjective,
  o: CommonResolved,
  nTrials: number,
  propose: Proposer<P>,
  independentTrials = Number.POSITIVE_INFINITY,
): Promise<SearchResult<P>> {
  const asTask = isTaskObjective(objective);
  if (typeof objective !== 'function' && !asTask) {
    throw new InvalidOptionError({ fn, arg: 'objective', expected: 'a function (params, fold, foldIndex) => number, or a task objective { task, data }', got: describeValue(objective) });
  }
  if (o.executor !== null && !asTask) {
    throw new InvalidOptionError({ fn, arg: 'executor', expected: 'a task objective { task, data } as objective (a function cannot be sent to a worker)', got: 'a function objective' });
  }
  const folds: readonly (Fold | undefined)[] = o.cv === null ? [undefined] : resolveFolds(o.cv, fn, 'cv');
  const cmp = compareTrials(o.direction);
  const history: Trial<P>[] = [];
  let best: Trial<P> | undefined;
  let aborted = false;
  const onTrial = o.onTrial as OnTrial<P> | null;
  const record = async (trial: Trial<P>): Promise<void> => {
    history.push(trial);
    if (trial.status === 'ok' && (best === undefined || cmp(trial as Trial<unknown>, best as Trial<unknown>) < 0)) best = trial;
    if (onTrial !== null) await onTrial(trial, best);
  };

  if (asTask) {
    aborted = await runTaskTrials(fn, objective, o.executor ?? sequentialExecutor(SEARCH_TASKS), o.signal, folds, nTrials, propose, independentTrials, history, record);
    return finishSearch(fn, method, o, history, best, aborted, cmp);
  }

  outer: for (let t = 0; t < nTrials; t++) {
    if (isAborted(o.signal)) {
      aborted = true;
      break;
    }
    const params = propose(history, t);
    if (params === undefined) break;
    const folded = foldScores();
    for (let k = 0; k < folds.length; k++) {
      if (isAborted(o.signal)) {
        aborted = true;
        break outer;
      }
      let outcome: PromiseSettledResult<unknown>;
      try {
        outcome = { status: 'fulfilled', value: await objective(params, folds[k], k) };
      } catch (e) {
        outcome = { status: 'rejected', reason: e };
      }
      const step = addFold(folded, outcome, fn, 'a function returning a number', t, k, o.signal);
      if (step === 'abort') {
        aborted = true;
        break outer;
      }
      if (step === 'stop') break;
    }
    await record(trialOf(t, params, folded));
  }
  return finishSearch(fn, method, o, history, best, aborted, cmp);
}

/** The result of a search, or the TrainingError when no trial succeeded. */
function finishSearch<P>(
  fn: string,
  method: SearchResult<P>['method'],
  o: CommonResolved,
  history: readonly Trial<P>[],
  best: Trial<P> | undefined,
  aborted: boolean,
  cmp: (a: Trial<unknown>, b: Trial<unknown>) => number,
): SearchResult<P> {
  if (best === undefined) {
    if (aborted) {
      throw new TrainingError(`${fn}: the search was aborted before any trial completed.`, {
        fn,
        arg: 'signal',
        expected: 'at least one completed trial',
        got: 'an abort before the first trial finished',
      }, { cause: o.signal?.reason });
    }
    throw new TrainingError(`${fn}: all ${history.length} trials failed (the objective returned NaN or Infinity, or threw a TrainingError).`, {
      fn,
      arg: 'objective',
      expected: 'at least one trial with finite scores',
      got: `${history.length} failed trials`,
    });
  }
  const trials = history.slice().sort(cmp as (a: Trial<P>, b: Trial<P>) => number);
  return Object.freeze({ best, trials: Object.freeze(trials), direction: o.direction, method, aborted });
}

/** The fold scores of one trial so far, and whether (and why) it failed. */
interface FoldScores {
  readonly scores: number[];
  failed: boolean;
  error: string | undefined;
}

function foldScores(): FoldScores {
  return { scores: [], failed: false, error: undefined };
}

/**
 * Adds fold `k`'s outcome to trial `t`'s scores; the one place both loops (sequential and windowed)
 * interpret an outcome. Returns 'stop' when the trial has failed (its remaining folds are skipped),
 * 'abort' when the error came from an abort (which ends the search), 'next' otherwise.
 * @throws {DataError} when the objective returned something other than a number.
 * @throws the objective's own error unless it is a TrainingError (which fails the trial, not the search).
 */
function addFold(
  f: FoldScores,
  outcome: PromiseSettledResult<unknown>,
  fn: string,
  expected: string,
  t: number,
  k: number,
  signal: AbortSignal | null,
): 'next' | 'stop' | 'abort' {
  if (outcome.status === 'rejected') {
    const e: unknown = outcome.reason;
    // An abort that surfaces as an error from inside the objective (e.g. trainModel's signal) ends the search.
    if (isAborted(signal)) return 'abort';
    // Training failures (trainModel's NaN-loss guard) fail the trial, not the search.
    if (e instanceof FinmlError && e.code === 'TRAINING') {
      f.failed = true;
      f.error = e.message;
      return 'stop';
    }
    throw e;
  }
  const s = outcome.value;
  if (typeof s !== 'number') {
    throw new DataError({ fn, arg: 'objective', expected, got: `${describeValue(s)} for trial ${t}, fold ${k}` });
  }
  f.scores.push(s);
  if (!Number.isFinite(s)) {
    f.failed = true;
    return 'stop';
  }
  return 'next';
}

/** The frozen trial `t` from its fold scores (a failed trial has NaN score and std). */
function trialOf<P>(t: number, params: P, f: FoldScores): Trial<P> {
  const { mean, std } = f.failed ? { mean: Number.NaN, std: Number.NaN } : meanStd(f.scores);
  return Object.freeze({
    index: t,
    params,
    score: mean,
    foldScores: Object.freeze(f.scores),
    std,
    status: f.failed ? 'failed' : 'ok',
    ...(f.error !== undefined ? { error: f.error } : {}),
  });
}

/** The trial built from fold outcomes, exactly as the sequential loop builds it; or 'abort'. */
function trialFrom<P>(
  fn: string,
  t: number,
  params: P,
  outcomes: readonly PromiseSettledResult<unknown>[],
  signal: AbortSignal | null,
): Trial<P> | 'abort' {
  const folded = foldScores();
  for (let k = 0; k < outcomes.length; k++) {
    const step = addFold(folded, outcomes[k] as PromiseSettledResult<unknown>, fn, 'a task returning a number', t, k, signal);
    if (step === 'abort') return 'abort';
    if (step === 'stop') break;
  }
  return trialOf(t, params, folded);
}

const gcd = (a: number, b: number): number => (b === 0 ? a : gcd(b, a % b));

/**
 * Trials evaluated together on `workers` workers with `nFolds` folds each: a multiple of
 * workers / gcd(nFolds, workers), so that trials × folds fills whole rounds of the workers (5 folds on
 * 2 workers: 2 trials = 10 tasks = 5 full rounds, where 1 trial would leave a worker idle in its
 * third round), and at least two tasks per worker.
 */
export function trialWindow(workers: number, nFolds: number): number {
  const base = workers / gcd(nFolds, workers);
  return base * Math.max(1, Math.ceil((2 * workers) / (base * nFolds)));
}

/**
 * The search loop for a task objective on an executor: every fold of a trial is one task call, and
 * trials whose proposal does not depend on the history (grid, random, TPE's start-up draws) are
 * evaluated in windows of several trials, so that all workers stay busy. Proposals are drawn and
 * trials recorded in the sequential order, so the result equals the sequential loop's. Returns
 * whether the search was aborted.
 */
async function runTaskTrials<P>(
  fn: string,
  objective: TaskObjective,
  executor: Executor,
  signal: AbortSignal | null,
  folds: readonly (Fold | undefined)[],
  nTrials: number,
  propose: Proposer<P>,
  independentTrials: number,
  history: readonly Trial<P>[],
  record: (trial: Trial<P>) => Promise<void>,
): Promise<boolean> {
  const window = trialWindow(executor.concurrency, folds.length);
  let t = 0;
  while (t < nTrials) {
    if (isAborted(signal)) return true;
    const batch: P[] = [];
    while (t + batch.length < nTrials && (batch.length === 0 || (t + batch.length < independentTrials && batch.length < window))) {
      const params = propose(history, t + batch.length);
      if (params === undefined) break;
      batch.push(params);
    }
    if (batch.length === 0) return false;
    const settled = await runTrialFolds(fn, objective, executor, batch, folds);
    for (let b = 0; b < batch.length; b++) {
      // The sequential loop checks the signal before each trial (e.g. aborted from onTrial).
      if (b > 0 && isAborted(signal)) return true;
      const trial = trialFrom(fn, t, batch[b] as P, settled.slice(b * folds.length, (b + 1) * folds.length), signal);
      if (trial === 'abort') return true;
      await record(trial);
      t++;
    }
  }
  return false;
}

/**
 * Every fold of every trial in `batch`, settled, trial by trial in fold order: finml's neural fold
 * task in wrap-around chains that split a fold over two workers when whole folds would leave one
 * idle (see foldChains.ts), anything else as one executor call per fold.
 */
async function runTrialFolds<P>(fn: string, objective: TaskObjective, executor: Executor, batch: readonly P[], folds: readonly (Fold | undefined)[]): Promise<PromiseSettledResult<unknown>[]> {
  const payloads = batch.flatMap((params) => folds.map((fold, foldIndex) => ({ data: objective.data, params, fold, foldIndex })));
  if (objective.task === 'finml.scoreNeural' && folds.every((f) => f !== undefined)) {
    const calls = payloads.map((payload) => ({ payload: payload as FoldCall['payload'] }));
    const chains = splitFoldChains(calls, executor);
    if (chains !== null) return runFoldChains(executor, chains, calls, fn);
  }
  return Promise.allSettled(payloads.map((payload) => executor.run(objective.task, payload)));
}

/** Internal coordinates of a numeric dimension: log scale for logUniform, ±0.5 around integer bounds. */
export function numericBounds(d: Exclude<AnyDimension, { type: 'choice' }>): { lo: number; hi: number } {
  switch (d.type) {
    case 'uniform':
      return { lo: d.low, hi: d.high };
    case 'logUniform':
      return { lo: Math.log(d.low), hi: Math.log(d.high) };
    case 'intUniform':
      return { lo: d.low - 0.5, hi: d.high + 0.5 };
  }
}
