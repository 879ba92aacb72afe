/**
 * Shared by the benchmark modules that run on several threads: how much parallel CPU the machine
 * gives this process right now (the machine is shared; other processes may hold the cores).
 */
import { Worker } from 'node:worker_threads';

/** A parallel-CPU control kept alive between measurements (two warmed worker threads). */
export interface Control {
  /** The same pure-JS loop on 2 threads at once vs twice in a row on one (`n` iterations each). */
  measure(n?: number): Promise<number>;
  close(): Promise<void>;
}

/**
 * Pure-JS CPU work on 2 threads at once vs the same work twice in a row on one: the parallel CPU
 * available right now (~2 on an idle 2-core machine, ~1 when other processes use the cores).
 */
export async function createControl(): Promise<Control> {
  const code = `const { parentPort } = require('node:worker_threads'); parentPort.on('message', (n) => { let s = 0; for (let i = 0; i < n; i++) s += Math.sqrt(i); parentPort.postMessage(s); });`;
  const ws = [new Worker(code, { eval: true }), new Worker(code, { eval: true })];
  const once = (w: Worker, n: number): Promise<unknown> =>
    new Promise((r) => {
      w.once('message', r);
      w.postMessage(n);
    });
  await Promise.all(ws.map((w) => once(w, 1e6)));
  return {
    measure: async (n = 2e8) => {
      let t = performance.now();
      await once(ws[0] as Worker, n);
      await once(ws[0] as Worker, n);
      const seq = performance.now() - t;
      t = performance.now();
      await Promise.all(ws.map((w) => once(w, n)));
      return seq / (performance.now() - t);
    },
    close: async () => {
      await Promise.all(ws.map((w) => w.terminate()));
    },
  };
}

/** One control measurement (1e8 iterations per run), rounded to 0.01. */
export async function parallelCpu(): Promise<number> {
  const control = await createControl();
  try {
    return Math.round((await control.measure(1e8)) * 100) / 100;
  } finally {
    await control.close();
  }
}
