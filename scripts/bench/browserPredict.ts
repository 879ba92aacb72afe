/**
 * Predict in the browser with tfjs's multi-threaded wasm: 100k rows through the bench FNN
 * (61-64-64-1), finml's batched predict in headless Chromium on the wasm backend with 1 and with 2
 * wasm threads (a cross-origin-isolated page, so tfjs loads its threaded SIMD build: XNNPACK on a
 * pthread pool sharing the wasm memory, no copies between threads), interleaved with PyTorch on 1
 * thread in this process's Python peer. In Node tfjs turns its threaded wasm build off (tfjs#3830),
 * so this is where one finml predict could use both cores without a worker pool. `pages.*.threads`
 * is what tfjs reports it uses: with tfjs 4.22 it stays 1 whatever `setThreadsCount` asks
 * (tfjs#8513, open), although the page is isolated and loads the threaded SIMD build, so the
 * 2-thread figures measure that bug until tfjs fixes it.
 *
 * Figures: rows/s of each, and the median per-round ratios finml / PyTorch (float64 rows through
 * `layersModelPredictor`; float32 rows through the batched predict, the input PyTorch gets).
 * Needs Debian's Chromium (`FINML_CHROMIUM`, default /usr/bin/chromium): skipped with a note when
 * it is missing, like the Python side.
 *
 * Part of `npm run bench`; standalone: `npx tsx scripts/bench/browserPredict.ts` (prints JSON).
 */
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { chromium, type Page } from 'playwright-core';
import { median, round, startPython, QUICK } from './_python';
import { createControl } from './_machine';
import { runIfMain } from './_standalone';

const CHROMIUM = process.env.FINML_CHROMIUM ?? '/usr/bin/chromium';
const HERE = dirname(fileURLToPath(import.meta.url));
const WASM_DIR = join(resolve(HERE, '../..'), 'node_modules/@tensorflow/tfjs-backend-wasm/dist');
const ROWS = 100_000;
const FEATURES = 61;
const HIDDEN = [64, 64];
const BATCH = 4096;

interface PageBench {
  setUp(threads: number, rows: number, features: number, hidden: readonly number[], batch: number): Promise<Record<string, unknown>>;
  predictMs(): Promise<{ f64Ms: number; f32Ms: number; check: number }>;
}

/** The same float32 rows as the page makes (its LCG), for the Python side. */
function pageRows(): Float32Array {
  const x = new Float32Array(ROWS * FEATURES);
  let s = 12345;
  for (let i = 0; i < x.length; i++) {
    s = (Math.imul(s, 1103515245) + 12345) >>> 0;
    x[i] = s / 4294967296 - 0.5;
  }
  return x;
}

export async function run(): Promise<Record<string, unknown>> {
  if (!existsSync(CHROMIUM)) return { skipped: `no Chromium at ${CHROMIUM} (apt-get install -y chromium, or set FINML_CHROMIUM)` };
  const dir = await mkdtemp(join(tmpdir(), 'finml-bench-browser-'));
  await build({
    entryPoints: [join(HERE, '_browserPredictEntry.ts')],
    bundle: true,
    format: 'esm',
    platform: 'browser',
    target: 'es2022',
    outfile: join(dir, 'bundle.js'),
    logLevel: 'error',
    define: { 'process.env.NODE_ENV': '"production"' },
  });
  const files: Record<string, { path: string; type: string }> = { '/bundle.js': { path: join(dir, 'bundle.js'), type: 'text/javascript' } };
  for (const f of ['tfjs-backend-wasm.wasm', 'tfjs-backend-wasm-simd.wasm', 'tfjs-backend-wasm-threaded-simd.wasm']) files[`/wasm/${f}`] = { path: join(WASM_DIR, f), type: 'application/wasm' };
  // Cross-origin isolation (SharedArrayBuffer, hence wasm threads) needs these two headers on the page and its resources.
  const isolation = { 'cross-origin-opener-policy': 'same-origin', 'cross-origin-embedder-policy': 'require-corp', 'cross-origin-resource-policy': 'same-origin' };
  const html = '<!DOCTYPE html><html><head><meta charset="utf-8"><title>finml predict bench</title></head><body><script type="module" src="/bundle.js"></script></body></html>';
  const served: string[] = [];
  const server = createServer((req, res) => {
    const url = (req.url ?? '/').split('?')[0] as string;
    const f = files[url];
    if (url === '/') res.writeHead(200, { 'content-type': 'text/html', ...isolation }).end(html);
    else if (f === undefined) res.writeHead(404).end('not found');
    else {
      served.push(url);
      readFile(f.path).then((b) => res.writeHead(200, { 'content-type': f.type, ...isolation }).end(b), () => res.writeHead(500).end('read error'));
    }
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: ['--no-sandbox', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'] });
  const started = await startPython();
  const py = 'skipped' in started ? null : started;
  const control = await createControl();
  try {
    const pageErrors: string[] = [];
    const open = async (threads: number): Promise<{ page: Page; setUp: Record<string, unknown> }> => {
      const page = await browser.newPage();
      page.on('pageerror', (e) => pageErrors.push(String(e)));
      await page.goto(`${origin}/`);
      await page.waitForFunction(() => 'finmlBench' in globalThis, undefined, { timeout: 60_000 });
      const setUp = await page.evaluate(
        ([t, r, f, h, b]) => (globalThis as unknown as { finmlBench: PageBench }).finmlBench.setUp(t, r, f, h, b),
        [threads, ROWS, FEATURES, HIDDEN, BATCH] as [number, number, number, number[], number],
      );
      return { page, setUp };
    };
    const one = await open(1);
    const two = await open(Number(process.env.FINML_BENCH_BROWSER_THREADS ?? 2));
    const measure = (p: Page): Promise<{ f64Ms: number; f32Ms: number; check: number }> => p.evaluate(() => (globalThis as unknown as { finmlBench: PageBench }).finmlBench.predictMs());
    const file = py === null ? null : py.file('xbrowser.f32', pageRows());
    const torchMs = async (): Promise<number> => ((await (py as NonNullable<typeof py>).call({ cmd: 'predict', x: file, rows: ROWS, features: FEATURES, hidden: HIDDEN, batch: BATCH, threads: 1 })).seconds as number) * 1000;
    if (py !== null) for (let i = 0; i < 2; i++) await torchMs();
    const machineBefore = await control.measure();
    const reps = Number(process.env.FINML_BENCH_BROWSER_REPS ?? (QUICK ? 3 : 9));
    const t = { one64: [] as number[], one32: [] as number[], two64: [] as number[], two32: [] as number[], torch: [] as number[] };
    const r = { one64: [] as number[], one32: [] as number[], two64: [] as number[], two32: [] as number[], twoOverOne32: [] as number[] };
    for (let i = 0; i < reps; i++) {
      const order = i % 2 === 0 ? (['one', 'two', 'torch'] as const) : (['torch', 'two', 'one'] as const);
      const got: Record<string, { f64Ms: number; f32Ms: number } | number> = {};
      for (const k of order) got[k] = k === 'torch' ? (py === null ? Number.NaN : await torchMs()) : await measure(k === 'one' ? one.page : two.page);
      const a = got.one as { f64Ms: number; f32Ms: number };
      const b = got.two as { f64Ms: number; f32Ms: number };
      const c = got.torch as number;
      t.one64.push(a.f64Ms);
      t.one32.push(a.f32Ms);
      t.two64.push(b.f64Ms);
      t.two32.push(b.f32Ms);
      t.torch.push(c);
      r.one64.push(c / a.f64Ms);
      r.one32.push(c / a.f32Ms);
      r.two64.push(c / b.f64Ms);
      r.two32.push(c / b.f32Ms);
      r.twoOverOne32.push(a.f32Ms / b.f32Ms);
    }
    const machineAfter = await control.measure();
    const rps = (ms: number[]): number => Math.round(ROWS / (median(ms) / 1000));
    return {
      rows: ROWS,
      network: `${FEATURES}-${HIDDEN.join('-')}-1`,
      batchSize: BATCH,
      reps,
      pages: { oneThread: one.setUp, twoThreads: two.setUp },
      rowsPerSec: { finml1Thread: rps(t.one64), finml1ThreadFloat32: rps(t.one32), finml2Threads: rps(t.two64), finml2ThreadsFloat32: rps(t.two32), ...(py === null ? {} : { torch1Thread: rps(t.torch) }) },
      twoThreadsOverOneFloat32: round(median(r.twoOverOne32)),
      ...(py === null
        ? { torch: (started as { skipped: string }).skipped }
        : {
            vsTorch1Thread: {
              finml1Thread: round(median(r.one64)),
              finml1ThreadFloat32: round(median(r.one32)),
              finml2Threads: round(median(r.two64)),
              finml2ThreadsFloat32: round(median(r.two32)),
            },
            goalPredictAtLeast0_8: median(r.two64) >= 0.8 || median(r.two32) >= 0.8,
          }),
      machine: { parallelCpuBefore: round(machineBefore, 2), parallelCpuAfter: round(machineAfter, 2) },
      pageErrors,
      served: [...new Set(served)],
      note: 'headless Chromium, cross-origin-isolated page, tfjs wasm with wasmThreads 1 and 2 (the threaded SIMD build; XNNPACK splits each batch over the threads); finml: layersModelPredictor on float64 rows, float32: the batched predict on float32 rows; PyTorch in this process on 1 thread on the same float32 rows; interleaved, median per-round ratios',
    };
  } finally {
    await control.close();
    py?.close();
    await browser.close();
    server.close();
    await rm(dir, { recursive: true, force: true });
  }
}

runIfMain(import.meta.url, run);
