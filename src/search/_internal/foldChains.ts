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

/** The payload every piece of a fold gets, as `'finml.scoreNeural'` would. */
export type FoldPayload = (fold: Fold, foldIndex: number) => Record<string, unknown>;

/**
 * The wrap-around chains of `folds` on `executor` when they split a fold (more folds than workers,
 * and whole folds would leave a worker idle at the end), else null: the folds then run whole, in
 * the executor's own queue.
 */
export function splitFoldChains(folds: readonly Fold[], executor: Executor): FoldPiece[][] | null {
  const w = executor.concurrency;
  if (w < 2 || folds.length <= w) return null;
  const chains = wrapAroundChains(folds.map((f) => Math.max(1, f.train.length)), w);
  return chains.some((c) => c.some((p) => p.kind === 'rest')) ? chains : null;
}

/**
 * Runs the chains of {@link splitFoldChains} concurrently on `executor` (each chain's pieces one
 * after the other) and returns the scores in fold order (unchecked: the caller checks them).
 */
export async function runFoldChains(executor: Executor, chains: readonly FoldPiece[][], folds: readonly Fold[], payloadOf: FoldPayload, fn: string): Promise<unknown[]> {
  const n = folds.length;
  const scores = new Array<unknown>(n);
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
  const runPiece = async (p: FoldPiece): Promise<void> => {
    const payload = payloadOf(folds[p.fold] as Fold, p.fold);
    if (p.kind === 'whole') {
      scores[p.fold] = await executor.run('finml.scoreNeural', payload);
      return;
    }
    if (p.kind === 'first') {
      const done = executor.run('finml.scoreNeuralPart', { ...payload, part: { pauseAt: p.pauseAt } }).then((r) => checkPartResult(r, p.fold, fn));
      (first.get(p.fold) as (r: Promise<FoldPartResult>) => void)(done);
      await done;
      return;
    }
    const head = await (firstParts.get(p.fold) as Promise<FoldPartResult>);
    if ('score' in head) {
      scores[p.fold] = head.score; // the fit ended within its first part (early stopping), or could not pause
      return;
    }
    const tail = checkPartResult(await executor.run('finml.scoreNeuralPart', { ...payload, part: { resumeFrom: head.checkpoint } }), p.fold, fn);
    if (!('score' in tail)) throw new DataError({ fn, arg: 'executor', expected: `a score from the rest of fold ${p.fold}`, got: 'a checkpoint' });
    scores[p.fold] = tail.score;
  };
  const settled = await Promise.allSettled(
    chains.map(async (chain) => {
      for (const p of chain) await runPiece(p);
    }),
  );
  for (const s of settled) if (s.status === 'rejected') throw s.reason;
  return scores;
}

function checkPartResult(r: unknown, fold: number, fn: string): FoldPartResult {
  const o = r as Partial<{ score: unknown; checkpoint: unknown }> | null;
  if (typeof o === 'object' && o !== null && ('score' in o || (typeof o.checkpoint === 'object' && o.checkpoint !== null))) {
    return 'score' in o ? { score: o.score as number } : { checkpoint: o.checkpoint as TrainCheckpoint };
  }
  throw new DataError({ fn, arg: 'executor', expected: `{ score } or { checkpoint } from 'finml.scoreNeuralPart' on fold ${fold}`, got: describeValue(r) });
}
