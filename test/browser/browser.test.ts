/**
 * finml in a real browser: bundles test/browser/entry.ts with esbuild, serves it (and the wasm
 * binaries) from a loopback HTTP server, and drives Debian's headless Chromium with
 * playwright-core (no browser download) on the wasm and webgl (SwiftShader) backends. The same
 * scenario runs in Node on the cpu backend as the reference.
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
import { runScenario, type ScenarioResult } from './scenario';

const CHROMIUM = process.env.FINML_CHROMIUM ?? '/usr/bin/chromium';
const HERE = dirname(fileURLToPath(import.meta.url));
const ROOT = resolve(HERE, '../..');
const WASM_DIR = join(ROOT, 'node_modules/@tensorflow/tfjs-backend-wasm/dist');
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
    const files: Record<string, { path: string; type: string }> = {
      '/': { path: join(dir, 'index.html'), type: 'text/html' },
      '/bundle.js': { path: join(dir, 'bundle.js'), type: 'text/javascript' },
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
});
