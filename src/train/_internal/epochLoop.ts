/** Private: the epoch loop shared by trainModel and trainGan, and the event-loop pauses of long loops. */
import type { EpochCallback } from '../callbacks';

/** How often (ms) a training loop yields to the event loop, so timers (an abort) and I/O can run. */
export const YIELD_EVERY_MS = 25;

type Immediate = (cb: () => void) => unknown;
const setImmediateFn: Immediate | undefined = (globalThis as { setImmediate?: Immediate }).setImmediate;

/** Lets queued macrotasks (timers, I/O) run: setImmediate where it exists (Node), else setTimeout 0. */
const yieldToEventLoop = (): Promise<void> =>
  new Promise((resolve) => {
    if (setImmediateFn !== undefined) setImmediateFn(resolve);
    else setTimeout(resolve, 0);
  });

/** Yields to the event loop when `everyMs` passed since the last pause; check `due()` (cheap, sync) before awaiting `pause()`. */
export interface EventLoopPauses {
  due(): boolean;
  pause(): Promise<void>;
}

/** A pacer for {@link EventLoopPauses}, starting its clock now. */
export function eventLoopPauses(everyMs: number = YIELD_EVERY_MS): EventLoopPauses {
  let last = performance.now();
  return {
    due: () => performance.now() - last >= everyMs,
    async pause(): Promise<void> {
      await yieldToEventLoop();
      last = performance.now();
    },
  };
}

/** What the epoch loop runs: `runEpoch` trains one epoch and returns its values for the callbacks. */
export interface EpochPlan<V> {
  readonly epochs: number;
  readonly callbacks: readonly EpochCallback<V>[];
  runEpoch(epoch: number): Promise<V>;
  /** Paces the pauses between epochs (share it with the batch loop); none when null. */
  readonly pauses: EventLoopPauses | null;
  /** The first epoch to run (a resumed training's next epoch). @defaultValue 0 */
  readonly firstEpoch?: number;
  /** Stop before this epoch, paused, unless training ended before it (null: run to `epochs`). @defaultValue null */
  readonly pauseBefore?: number | null;
}

/** How the epoch loop ended. */
export interface EpochLoopEnd {
  /** Epochs that ran (the last one included). */
  readonly epochsRun: number;
  /** True when a callback stopped training before `epochs`. */
  readonly stoppedEarly: boolean;
  /** True when the loop stopped at `pauseBefore` with epochs left to run. */
  readonly paused: boolean;
}

/**
 * Runs epochs firstEpoch..epochs-1: every callback's `beforeEpoch`, the epoch, then every
 * callback's `afterEpoch` in order; stops after the first callback that answers true, or paused
 * before epoch `pauseBefore`.
 */
export async function runEpochs<V>(plan: EpochPlan<V>): Promise<EpochLoopEnd> {
  const pauseBefore = plan.pauseBefore ?? null;
  for (let epoch = plan.firstEpoch ?? 0; epoch < plan.epochs; epoch++) {
    if (epoch === pauseBefore) return { epochsRun: epoch, stoppedEarly: false, paused: true };
    for (const c of plan.callbacks) c.beforeEpoch?.(epoch);
    const values = await plan.runEpoch(epoch);
    for (const c of plan.callbacks) {
      if (c.afterEpoch !== undefined && (await c.afterEpoch(epoch, values)) === true) return { epochsRun: epoch + 1, stoppedEarly: true, paused: false };
    }
    if (plan.pauses?.due() === true) await plan.pauses.pause();
  }
  return { epochsRun: plan.epochs, stoppedEarly: false, paused: false };
}
