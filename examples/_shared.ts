/**
 * The set-up and wrap-up every example shares (not an example itself): quick mode, the repository
 * root, the backend choice with its fallback, the tensor-leak check at the end, and the error exit.
 */
import { currentBackend, tensorCount, useBackend } from 'finml';
import { fileURLToPath } from 'node:url';

/** FINML_EXAMPLE_QUICK=1 (used by the example tests): fewer epochs, folds and trials. */
export const QUICK = process.env.FINML_EXAMPLE_QUICK === '1';
/** The repository root (data/ lives there). */
export const ROOT = fileURLToPath(new URL('..', import.meta.url));

/**
 * Picks the wasm backend (the fastest for small networks in Node), falling back to cpu with a note,
 * and returns the number of live tensors once the backend is ready (the baseline of the leak check).
 */
export async function startBackend(): Promise<number> {
  try {
    await useBackend('wasm');
  } catch (e) {
    console.log(`note: wasm backend unavailable (${(e as Error).message}); falling back to cpu`);
    await useBackend('cpu');
  }
  return tensorCount();
}

/** `finml <title> example (quick mode) — backend: wasm`. */
export function banner(title: string): string {
  return `finml ${title}${QUICK ? ' (quick mode)' : ''} — backend: ${currentBackend()}`;
}

/** Prints the tensor balance and the run time; a leaked tensor makes the process exit with 1. */
export function finish(tensorsAtStart: number, t0: number): void {
  const tensorsAtEnd = tensorCount();
  console.log(`\ntensors at start: ${tensorsAtStart}, at end: ${tensorsAtEnd}; tensors leaked: ${tensorsAtEnd - tensorsAtStart}`);
  console.log(`done in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
  if (tensorsAtEnd !== tensorsAtStart) process.exitCode = 1;
}

/** Runs `main`, printing an error ourselves: an uncaught error would be re-thrown by the wasm runtime's handler. */
export function runMain(main: () => Promise<void>): void {
  main().catch((e: unknown) => {
    console.error(e instanceof Error ? (e.stack ?? e.message) : String(e));
    process.exitCode = 1;
  });
}
