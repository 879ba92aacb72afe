/**
 * indexedDbBundleStore in a real browser (Debian's headless Chromium through playwright-core, as
 * in browser.test.ts): a bundle saved in one page load is loaded after a reload (so it really
 * persisted in IndexedDB) and predicts identically; a missing name, a removed name and a record
 * with a flipped weight byte are refused with typed errors.
 *
 * Without /usr/bin/chromium the suite is skipped locally with a message, and fails under CI.
 */
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const CHROMIUM = process.env.FINML_CHROMIUM ?? '/usr/bin/chromium';
const HERE = dirname(fileURLToPath(import.meta.url));
const haveChromium = existsSync(CHROMIUM);

if (!haveChromium && process.env.CI !== undefined && process.env.CI !== '') {
  throw new Error(`The browser test needs Chromium at ${CHROMIUM} (apt-get install -y chromium); CI is set, so this is a failure, not a skip.`);
}
if (!haveChromium) {
  process.stderr.write(`[indexedDbStore browser test] SKIPPED: no Chromium at ${CHROMIUM}. Install it with 'apt-get install -y chromium' (or set FINML_CHROMIUM).\n`);
}

interface Saved {
  probabilities: number[];
  weightBytes: number;
}
interface Loaded {
  probabilities: number[];
  featureNames: string[];
  missing: string;
  removed: [boolean, boolean];
  afterRemove: string;
  corrupt: string;
  tensorsBefore: number;
  tensorsAfter: number;
}

describe.skipIf(!haveChromium)('indexedDbBundleStore in headless Chromium', () => {
  let dir = '';
  let server: Server | undefined;
  let browser: Browser | undefined;
  let page: Page | undefined;
  const pageErrors: string[] = [];

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'finml-idb-'));
    await build({
      entryPoints: [join(HERE, 'storeEntry.ts')],
      bundle: true,
      format: 'esm',
      platform: 'browser',
      target: 'es2022',
      outfile: join(dir, 'bundle.js'),
      logLevel: 'error',
      define: { 'process.env.NODE_ENV': '"production"' },
    });
    const html = '<!DOCTYPE html><html><head><meta charset="utf-8"><title>finml store test</title></head><body><script type="module" src="/bundle.js"></script></body></html>';
    server = createServer((req, res) => {
      const url = (req.url ?? '/').split('?')[0] as string;
      if (url === '/' || url === '/index.html') res.writeHead(200, { 'content-type': 'text/html' }).end(html);
      else if (url === '/bundle.js') {
        readFile(join(dir, 'bundle.js')).then(
          (b) => res.writeHead(200, { 'content-type': 'text/javascript' }).end(b),
          () => res.writeHead(500).end('read error'),
        );
      } else res.writeHead(404).end('not found');
    });
    await new Promise<void>((r) => server?.listen(0, '127.0.0.1', r));
    const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: ['--no-sandbox', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'] });
    page = await (await browser.newContext()).newPage();
    page.on('pageerror', (e) => pageErrors.push(String(e)));
    await page.goto(`${origin}/`);
    await page.waitForFunction(() => 'finmlStore' in globalThis, undefined, { timeout: 60_000 });
  });

  afterAll(async () => {
    await browser?.close();
    await new Promise<void>((r) => (server === undefined ? r() : server.close(() => r())));
    if (dir !== '') await rm(dir, { recursive: true, force: true });
  });

  it('a bundle saved before a page reload loads after it and predicts identically; bad records are refused', async () => {
    const p = page as Page;
    const saved = (await p.evaluate(async () => (globalThis as unknown as { finmlStore: { save(n: string): Promise<unknown> } }).finmlStore.save('credit'))) as Saved;
    expect(saved.probabilities).toHaveLength(24);
    expect(saved.weightBytes).toBe(4 * (2 * 6 + 6 + 6 + 1));
    await p.reload();
    await p.waitForFunction(() => 'finmlStore' in globalThis, undefined, { timeout: 60_000 });
    const loaded = (await p.evaluate(async () => (globalThis as unknown as { finmlStore: { load(n: string): Promise<unknown> } }).finmlStore.load('credit'))) as Loaded;
    // the same float32 network, read back from IndexedDB after the reload: identical probabilities
    expect(loaded.probabilities).toEqual(saved.probabilities);
    expect(loaded.featureNames).toEqual(['a', 'b']);
    expect(loaded.missing).toBe('SerializationError');
    expect(loaded.corrupt).toBe('SerializationError');
    expect(loaded.removed).toEqual([true, false]);
    expect(loaded.afterRemove).toBe('SerializationError');
    expect(loaded.tensorsAfter).toBe(loaded.tensorsBefore);
    expect(pageErrors).toEqual([]);
  });
});
