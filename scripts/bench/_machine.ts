/**
 * Shared by the benchmark modules that run on several threads: how much parallel CPU the machine
 * gives this process right now (the machine is shared; other processes may hold the cores).
 */
import { Worker } from 'node:worker_threads';

/**
 * The same pure-JS loop on 2 threads at once vs twice in a row on one: ~2 on an idle 2-core
 * machine, ~1 when other processes use one core.
 */
export async function parallelCpu(): Promise<number> {
  const code = `const { parentPort } = require('node:worker_threads'); parentPort.on('message', (n) => { let s = 0; for (let i = 0; i < n; i++) s += Math.sqrt(i); parentPort.postMessage(s); });`;
  const ws = [new Worker(code, { eval: true }), new Worker(code, { eval: true })];
  const once = (w: Worker, n: number): Promise<unknown> =>
    new Promise((r) => {
      w.once('message', r);
      w.postMessage(n);
    });
  try {
    await Promise.all(ws.map((w) => once(w, 1e6)));
    const n = 1e8;
    let t = performance.now();
    await once(ws[0] as Worker, n);
    await once(ws[0] as Worker, n);
    const seq = performance.now() - t;
    t = performance.now();
    await Promise.all(ws.map((w) => once(w, n)));
    return Math.round((seq / (performance.now() - t)) * 100) / 100;
  } finally {
    await Promise.all(ws.map((w) => w.terminate()));
  }
}
