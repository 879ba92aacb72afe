/**
 * Private: cross-validation of finml's neural fold task on more folds than workers, with one
 * fold's epochs split between two workers, so that no worker idles at the end.
 *
 * Five equal folds on two workers, each fold whole, take three fold-times (the third round runs
 * one fold while the other worker waits): 5/3 = 1.67x at best. McNaughton's wrap-around rule
 * gives each of w workers a chain of n/w fold-times: the folds fill the chains in order, and a
 * fold that does not fit at the end of chain c runs its first part at the start of chain c + 1
 * and the rest at the end of chain c. The first part starts at time 0 and ends before the rest
 * starts (a chain is at least one fold long), so the fold's epochs still run in order, on two
 * workers, from a training checkpoint (`'finml.scoreNeuralPart'`). Scores are bit-identical to
 * running every fold whole.
 */
import { DataError, describeValue } from '../../core/errors';
import type { Executor } from '../../core/executor';
import type { TrainCheckpoint } from '../../train/_internal/checkpoint';
import type { Fold } from '../searchTypes';
import type { FoldPartResult } from '../tasks';

/** One piece of a chain: a whole fold, a fold's first part (the fraction `pauseAt` of its epochs), or its rest. */
export type FoldPiece =
  | { readonly kind: 'whole'; readonly fold: number }
  | { readonly kind: 'first'; readonly fold: number; readonly pauseAt: number }
  | { readonly kind: 'rest'; readonly fold: number };

/**
 * McNaughton's wrap-around chains of folds of work `sizes[i]` (a fold's training rows: every
 * epoch visits each once) on `w` workers: each chain L = max(largest fold, total / w) long; the
 * folds fill the chains in order, and a fold split between chains c and c + 1 has its first part
 * at the start of chain c + 1 and its rest at the end of chain c (it cannot overlap itself: its
 * two parts add up to at most L). Integer arithmetic: a fold is `size * w` units, a chain
 * `max(largest * w, total)`.
 */
export function wrapAroundChains(sizes: readonly number[], w: number): FoldPiece[][] {
  const total = sizes.reduce((a, v) => a + v, 0);
  const length = Math.max(total, w * Math.max(...sizes));
  const chains: FoldPiece[][] = [[]];
  let room = length;
  sizes.forEach((size, fold) => {
    const units = size * w;
    if (room === 0) {
      chains.push([]);
      room = length;
    }
    const chain = chains[chains.length - 1] as FoldPiece[];
    if (room >= units) {
      chain.push({ kind: 'whole', fold });
      room -= units;
      return;
    }
    // The fold's last `room` units end this chain; its first `units - room` units open the next one.
    chain.push({ kind: 'rest', fold });
    chains.push([{ kind: 'first', fold, pauseAt: (units - room) / units }]);
    room = length - (units - room);
  });
  return chains;
}

/** One fold-scoring call of `'finml.scoreNeural'`: its payload `{ data, params, fold, foldIndex }`. */
export interface FoldCall {
  readonly payload: { readonly data: unknown; readonly params: unknown; readonly fold: Fold; readonly foldIndex: number };
}

/**
 * The wrap-around chains of `calls` on `executor` when they split a fold (more calls than
 * workers, and whole folds would leave a worker idle at the end), else null: the calls then run
 * whole, in the executor's own queue. A call's work is its fold's training rows.
 */
export function splitFoldChains(calls: readonly FoldCall[], executor: Executor): FoldPiece[][] | null {
  const w = executor.concurrency;
  if (w < 2 || calls.length <= w) return null;
  const chains = wrapAroundChains(calls.map((c) => Math.max(1, c.payload.fold.train.length)), w);
  return chains.some((c) => c.some((p) => p.kind === 'rest')) ? chains : null;
}

/**
 * Runs the chains of {@link splitFoldChains} concurrently on `executor` (each chain's pieces one
 * after the other; a failed piece does not stop its chain) and returns every call's settled score
 * in call order (unchecked: the caller checks them), as `Promise.allSettled` of the whole calls.
 */
export async function runFoldChains(executor: Executor, chains: readonly FoldPiece[][], calls: readonly FoldCall[], fn: string): Promise<PromiseSettledResult<unknown>[]> {
  const settled = new Array<PromiseSettledResult<unknown>>(calls.length);
  const firstParts = new Map<number, Promise<FoldPartResult>>();
  const first = new Map<number, (r: Promise<FoldPartResult>) => void>();
  for (const chain of chains) {
    for (const p of chain) {
      if (p.kind !== 'rest') continue;
      const head = new Promise<FoldPartResult>((resolve) => first.set(p.fold, resolve));
      head.catch(() => undefined); // awaited later by the rest: its failure is reported there, not as unhandled
      firstParts.set(p.fold, head);
    }
  }
  const scoreOf = async (p: FoldPiece): Promise<unknown> => {
    const payload = (calls[p.fold] as FoldCall).payload;
    if (p.kind === 'whole') return executor.run('finml.scoreNeural', payload);
    const head = firstParts.get(p.fold) as Promise<FoldPartResult>;
    if (p.kind === 'first') {
      (first.get(p.fold) as (r: Promise<FoldPartResult>) => void)(executor.run('finml.scoreNeuralPart', { ...payload, part: { pauseAt: p.pauseAt } }).then((r) => checkPartResult(r, p.fold, fn)));
      await head.catch(() => undefined); // its failure is the fold's, reported by the rest
      return undefined;
    }
    const done = await head;
    if ('score' in done) return done.score; // the fit ended within its first part (early stopping), or could not pause
    const tail = checkPartResult(await executor.run('finml.scoreNeuralPart', { ...payload, part: { resumeFrom: done.checkpoint } }), p.fold, fn);
    if (!('score' in tail)) throw new DataError({ fn, arg: 'executor', expected: `a score from the rest of fold call ${p.fold}`, got: 'a checkpoint' });
    return tail.score;
  };
  await Promise.all(
    chains.map(async (chain) => {
      for (const p of chain) {
        if (p.kind === 'first') {
          await scoreOf(p);
          continue;
        }
        try {
          settled[p.fold] = { status: 'fulfilled', value: await scoreOf(p) };
        } catch (reason) {
          settled[p.fold] = { status: 'rejected', reason };
        }
      }
    }),
  );
  return settled;
}

function checkPartResult(r: unknown, fold: number, fn: string): FoldPartResult {
  const o = r as Partial<{ score: unknown; checkpoint: unknown }> | null;
  if (typeof o === 'object' && o !== null && ('score' in o || (typeof o.checkpoint === 'object' && o.checkpoint !== null))) {
    return 'score' in o ? { score: o.score as number } : { checkpoint: o.checkpoint as TrainCheckpoint };
  }
  throw new DataError({ fn, arg: 'executor', expected: `{ score } or { checkpoint } from 'finml.scoreNeuralPart' on fold ${fold}`, got: describeValue(r) });
}
