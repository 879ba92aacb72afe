/**
 * finml in a real browser: bundles test/browser/entry.ts with esbuild, serves it (and the wasm
 * binaries) from a loopback HTTP server, and drives Debian's headless Chromium with
 * playwright-core (no browser download) on the wasm and webgl (SwiftShader) backends. The same
 * scenarios run in Node on the cpu backend as the reference:
 * - FNN training + LSTM forward pass (scenario.ts), on wasm and webgl;
 * - CNN training (PortableConv1D gradients) + bundle save/load through memoryBundleStore and
 *   artifact bytes (cnnScenario.ts), on wasm and webgl;
 * - buildRiskModel on a German credit subset served by the test server and parsed in the page
 *   (also saved/loaded through tfjs's IndexedDB and localStorage handlers),
 *   held-out AUC, reason codes, JSON round trip (riskScenario.ts), on wasm;
 * - cross-validation on a Web Worker pool (createWebWorkerPool, warmed up, worker script
 *   poolWorker.ts) vs the same folds in the page, and a worker that fails (poolScenario.ts), on wasm.
 *
 * Without /usr/bin/chromium the suite is skipped locally with a message, and fails under CI.
 */
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { build } from 'esbuild';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCnnScenario, type CnnScenarioResult } from './cnnScenario';
import type { PoolScenarioResult } from './poolScenario';
import { runRiskScenario, type RiskScenarioResult } from './riskScenario';
import { runScenario, type ScenarioResult } from './scenario';

const CHROMIUM = process.env.FINML_CHROMIUM ?? '/usr/bin/chromium';
const HERE = dirname(fileURLToPath(import.meta.url));
const ROOT = resolve(HERE, '../..');
const WASM_DIR = join(ROOT, 'node_modules/@tensorflow/tfjs-backend-wasm/dist');
const CREDIT_CSV = join(ROOT, 'data/german_credit.csv');
/** CNN epochs: the same on every backend, so one cpu reference serves both. */
const CNN_EPOCHS = 6;
const haveChromium = existsSync(CHROMIUM);

if (!haveChromium && process.env.CI !== undefined && process.env.CI !== '') {
  throw new Error(`The browser test needs Chromium at ${CHROMIUM} (apt-get install -y chromium); CI is set, so this is a failure, not a skip.`);
}
if (!haveChromium) {
  process.stderr.write(`[browser test] SKIPPED: no Chromium at ${CHROMIUM}. Install it with 'apt-get install -y chromium' (or set FINML_CHROMIUM).\n`);
}

/**
 * Flags from the machine's documentation. WebGL runs on SwiftShader (software Vulkan through
 * ANGLE), enabled by --enable-unsafe-swiftshader; --use-gl=swiftshader is not used. Checked on
 * Chromium 156: --disable-gpu does not remove WebGL here, but it is not needed, so it is left out.
 */
const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--enable-unsafe-swiftshader',
];

type RunResult = ScenarioResult & { info: { name: string; imported: boolean }; webglVersion: number | null; renderer: string };

describe.skipIf(!haveChromium)('finml in headless Chromium', () => {
  let dir = '';
  let server: Server | undefined;
  let browser: Browser | undefined;
  let page: Page | undefined;
  let origin = '';
  const pageErrors: string[] = [];
  let reference: ScenarioResult;
  let cnnReference: CnnScenarioResult;
  let riskReference: RiskScenarioResult;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'finml-browser-'));
    await build({
      entryPoints: [join(HERE, 'entry.ts')],
      bundle: true,
      format: 'esm',
      platform: 'browser',
      target: 'es2022',
      outfile: join(dir, 'bundle.js'),
      logLevel: 'error',
      define: { 'process.env.NODE_ENV': '"production"' },
    });
    await build({
      entryPoints: [join(HERE, 'poolWorker.ts')],
      bundle: true,
      format: 'esm',
      platform: 'browser',
      target: 'es2022',
      outfile: join(dir, 'worker.js'),
      logLevel: 'error',
      define: { 'process.env.NODE_ENV': '"production"' },
    });
    const files: Record<string, { path: string; type: string }> = {
      '/': { path: join(dir, 'index.html'), type: 'text/html' },
      '/bundle.js': { path: join(dir, 'bundle.js'), type: 'text/javascript' },
      '/worker.js': { path: join(dir, 'worker.js'), type: 'text/javascript' },
      '/data/german_credit.csv': { path: CREDIT_CSV, type: 'text/csv' },
    };
    for (const f of ['tfjs-backend-wasm.wasm', 'tfjs-backend-wasm-simd.wasm', 'tfjs-backend-wasm-threaded-simd.wasm']) {
      files[`/wasm/${f}`] = { path: join(WASM_DIR, f), type: 'application/wasm' };
    }
    const html = '<!DOCTYPE html><html><head><meta charset="utf-8"><title>finml browser test</title></head><body><script type="module" src="/bundle.js"></script></body></html>';
    server = createServer((req, res) => {
      const url = (req.url ?? '/').split('?')[0] as string;
      const f = files[url];
      if (url === '/' || url === '/index.html') {
        res.writeHead(200, { 'content-type': 'text/html' }).end(html);
      } else if (f === undefined) {
        res.writeHead(404).end('not found');
      } else {
        readFile(f.path).then(
          (b) => res.writeHead(200, { 'content-type': f.type }).end(b),
          () => res.writeHead(500).end('read error'),
        );
      }
    });
    await new Promise<void>((r) => server?.listen(0, '127.0.0.1', r));
    origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      headless: true,
      args: CHROMIUM_ARGS,
    });
    const ctx = await browser.newContext();
    page = await ctx.newPage();
    page.on('pageerror', (e) => pageErrors.push(String(e)));
    await page.goto(`${origin}/`);
    await page.waitForFunction(() => 'finmlTest' in globalThis, undefined, { timeout: 60_000 });

    await tf.setBackend('cpu');
    reference = await runScenario();
    cnnReference = await runCnnScenario(CNN_EPOCHS);
    riskReference = await runRiskScenario(await readFile(CREDIT_CSV, 'utf8'));
  });

  afterAll(async () => {
    await browser?.close();
    await new Promise<void>((r) => (server === undefined ? r() : server.close(() => r())));
    if (dir !== '') await rm(dir, { recursive: true, force: true });
  });

  const run = async (name: 'wasm' | 'webgl'): Promise<RunResult> =>
    (await (page as Page).evaluate(async (n) => {
      const t = (globalThis as unknown as { finmlTest: { run(n: string): Promise<unknown> } }).finmlTest;
      return t.run(n);
    }, name)) as RunResult;

  const checkRun = (r: RunResult, name: string): void => {
    expect(r.backend).toBe(name);
    expect(r.info.name).toBe(name);
    expect(r.loss).toHaveLength(8);
    // the model learns: loss falls and the training AUC is high
    expect(r.loss[7] as number).toBeLessThan((r.loss[0] as number) * 0.8);
    expect(r.auc).toBeGreaterThan(0.9);
    // no tensor leaks across build, train, predict, dispose
    expect(r.tensorsAfter).toBe(r.tensorsBefore);
    expect(r.svgLength).toBeGreaterThan(500);
    expect(pageErrors).toEqual([]);
  };

  it('the reference run on the cpu backend in Node learns', () => {
    expect(reference.backend).toBe('cpu');
    expect(reference.auc).toBeGreaterThan(0.9);
    expect(reference.tensorsAfter).toBe(reference.tensorsBefore);
  });

  it('trains and scores on the wasm backend, matching the cpu reference', async () => {
    const r = await run('wasm');
    checkRun(r, 'wasm');
    // same seeds, same float32 math: same losses and scores up to rounding
    for (let i = 0; i < 8; i++) expect(Math.abs((r.loss[i] as number) - (reference.loss[i] as number))).toBeLessThan(1e-3);
    for (let i = 0; i < 5; i++) expect(Math.abs((r.firstScores[i] as number) - (reference.firstScores[i] as number))).toBeLessThan(1e-3);
    for (let i = 0; i < 2; i++) expect(Math.abs((r.lstmOutput[i] as number) - (reference.lstmOutput[i] as number))).toBeLessThan(1e-4);
  });

  it('trains and scores on the webgl backend (SwiftShader), matching the cpu reference', async () => {
    const r = await run('webgl');
    checkRun(r, 'webgl');
    expect(r.webglVersion).toBeGreaterThanOrEqual(1);
    expect(r.renderer).not.toBe('no webgl');
    for (let i = 0; i < 8; i++) expect(Math.abs((r.loss[i] as number) - (reference.loss[i] as number))).toBeLessThan(1e-2);
    for (let i = 0; i < 2; i++) expect(Math.abs((r.lstmOutput[i] as number) - (reference.lstmOutput[i] as number))).toBeLessThan(1e-3);
  });

  const cnn = async (name: 'wasm' | 'webgl'): Promise<CnnScenarioResult> =>
    (await (page as Page).evaluate(
      async ([n, e]) => {
        const t = (globalThis as unknown as { finmlTest: { cnn(n: string, e: number): Promise<unknown> } }).finmlTest;
        return t.cnn(n, e);
      },
      [name, CNN_EPOCHS] as const,
    )) as CnnScenarioResult;

  /** Checks a CNN run: it learned, matches the cpu reference within `tol`, and its bundle copies predict identically. */
  const checkCnn = (r: CnnScenarioResult, name: string, tol: number): void => {
    expect(r.backend).toBe(name);
    expect(r.layerClasses).toContain('PortableConv1D');
    expect(r.loss).toHaveLength(CNN_EPOCHS);
    // the CNN learns: the loss falls well below its start and below the constant predictor's MSE
    const last = r.loss[CNN_EPOCHS - 1] as number;
    expect(last).toBeLessThan((r.loss[0] as number) * 0.6);
    expect(last).toBeLessThan(r.baselineMse * 0.6);
    // same seeds as the Node cpu run: same losses and predictions up to float32 rounding
    for (let i = 0; i < CNN_EPOCHS; i++) expect(Math.abs((r.loss[i] as number) - (cnnReference.loss[i] as number))).toBeLessThan(tol);
    expect(r.predictions).toHaveLength(8);
    for (let i = 0; i < 8; i++) expect(Math.abs((r.predictions[i] as number) - (cnnReference.predictions[i] as number))).toBeLessThan(tol);
    // bundle round trips in the page: memoryBundleStore, and artifacts -> copied bytes + JSON text -> artifacts
    expect(r.loadedKind).toBe('NeuralRegressor');
    expect(r.storeMaxDiff).toBe(0);
    expect(r.bytesMaxDiff).toBe(0);
    expect(r.weightBytes).toBe(cnnReference.weightBytes);
    expect(r.truncatedError).toBe('SerializationError');
    expect(r.loadedFeatureNames).toEqual(['f0', 'f1']);
    expect(r.loadedPipelineKind).toBe('StandardScaler');
    expect(Math.abs(r.loadedMetricMse - cnnReference.loadedMetricMse)).toBeLessThan(tol);
    expect(r.tensorsAfter).toBe(r.tensorsBefore);
    expect(pageErrors).toEqual([]);
  };

  it('the CNN and risk reference runs on the cpu backend in Node learn', () => {
    expect(cnnReference.backend).toBe('cpu');
    expect(cnnReference.loss[CNN_EPOCHS - 1] as number).toBeLessThan(cnnReference.baselineMse * 0.6);
    expect(cnnReference.storeMaxDiff).toBe(0);
    expect(cnnReference.tensorsAfter).toBe(cnnReference.tensorsBefore);
    expect(riskReference.backend).toBe('cpu');
    expect(riskReference.testAuc).toBeGreaterThan(0.65);
    expect(riskReference.roundTripMaxDiff).toBe(0);
    expect(riskReference.tensorsAfter).toBe(riskReference.tensorsBefore);
  });

  it('trains a CNN (PortableConv1D gradients) on wasm, matching the cpu reference, and round-trips it as a bundle', async () => {
    checkCnn(await cnn('wasm'), 'wasm', 1e-4);
  });

  it('trains a CNN on webgl (SwiftShader), matching the cpu reference, and round-trips it as a bundle', async () => {
    // measured: predictions within ~1.4e-3 of cpu (SwiftShader float32 kernels differ in rounding)
    checkCnn(await cnn('webgl'), 'webgl', 1e-2);
  });

  it('builds, scores, explains and JSON-round-trips a risk model on German credit on wasm', async () => {
    const r = (await (page as Page).evaluate(
      async ([n, url]) => {
        const t = (globalThis as unknown as { finmlTest: { risk(n: string, u: string): Promise<unknown> } }).finmlTest;
        return t.risk(n, url);
      },
      ['wasm', `${origin}/data/german_credit.csv`] as const,
    )) as RiskScenarioResult;
    expect(r.backend).toBe('wasm');
    // the CSV parsed in the page gives the same seeded subset and split as in Node
    expect(r.rows).toBe(600);
    expect(r.trainRows + r.testRows).toBe(600);
    expect(r.testRows).toBe(riskReference.testRows);
    expect(r.members).toBe(2);
    // held-out discrimination, and close to the cpu run of the same seeds
    expect(r.testAuc).toBeGreaterThan(0.65);
    // (measured: scores within ~3e-8 of cpu, so the AUCs agree)
    expect(Math.abs(r.testAuc - riskReference.testAuc)).toBeLessThan(5e-3);
    expect(r.validationAuc).toBeGreaterThan(0.5);
    expect(Math.abs(r.validationAuc - riskReference.validationAuc)).toBeLessThan(5e-3);
    for (let i = 0; i < 5; i++) expect(Math.abs((r.firstScores[i] as number) - (riskReference.firstScores[i] as number))).toBeLessThan(1e-4);
    // explanation: one contribution per input column (20), additive in log-odds, reason codes toward default
    expect(r.contributionCount).toBe(20);
    expect(r.additivityError).toBeLessThan(1e-6);
    expect(r.pdVsScore).toBeLessThan(1e-6);
    expect(r.reasons.length).toBeGreaterThan(0);
    expect(r.reasons.length).toBeLessThanOrEqual(3);
    for (const c of r.reasons) {
      expect(c.contribution).toBeGreaterThan(0);
      expect(c.sentence).toContain(c.name);
    }
    expect(r.reasons.map((c) => c.name)).toEqual(riskReference.reasons.map((c) => c.name));
    // toJSON -> JSON text -> riskModelFromJSON scores identically; no tensors left behind
    expect(r.jsonLength).toBeGreaterThan(1000);
    expect(r.roundTripMaxDiff).toBe(0);
    // saveRiskModel/loadRiskModel through tfjs's IndexedDB and localStorage handlers: identical scores
    expect(r.stores).toEqual({ indexeddb: { maxDiff: 0, members: 2 }, localstorage: { maxDiff: 0, members: 2 } });
    expect(riskReference.stores).toEqual({});
    expect(r.tensorsAfter).toBe(r.tensorsBefore);
    expect(pageErrors).toEqual([]);
  });

  it('warms up and runs cross-validation on a Web Worker pool (wasm), bit-identical to the page, and survives a failing worker', async () => {
    const r = (await (page as Page).evaluate(async (url) => {
      const t = (globalThis as unknown as { finmlTest: { pool(u: string): Promise<unknown> } }).finmlTest;
      return t.pool(url);
    }, `${origin}/worker.js`)) as PoolScenarioResult;
    expect(r.workerBackend).toBe('wasm');
    // warmUp({ jit: true }) started both workers and ran a warm-up fit in each, keeping no tensor; the CV ran on them
    expect(r.workersAfterWarmUp).toBe(2);
    expect(r.workerTensors).toEqual([0, 0]);
    expect(r.workersAfterCv).toBe(2);
    expect(r.pool).toHaveLength(5);
    expect(r.pool).toEqual(r.sequential);
    expect(r.crash).toBe('WorkerError');
    expect(r.afterCrash).toBe(9);
    expect(r.tensorsAfter).toBe(r.tensorsBefore);
    expect(pageErrors).toEqual([]);
  });
});
