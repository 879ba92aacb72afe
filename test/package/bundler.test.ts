/**
 * finml inside a user's bundled browser app, the way a Vite user builds it (offline: the repo's own
 * vite, esbuild and tfjs, the library sources through an alias).
 *
 * - A production `vite build` of a page that imports finml and selects the wasm backend with
 *   `useBackend('wasm', { load: () => import('@tensorflow/tfjs-backend-wasm') })` succeeds without
 *   warnings, puts the backend in its own chunk and pulls in nothing from finml/node.
 * - Minification renames classes; finml's error classes keep their `name` anyway (a Vite build once
 *   reported a BackendError as `lo: useBackend('wasm'): ...`).
 */
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { build as esbuild } from 'esbuild';
import { build as viteBuild } from 'vite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('../..', import.meta.url));
let dir = '';

beforeAll(() => {
  mkdirSync(join(root, '.tmp'), { recursive: true });
  dir = mkdtempSync(join(root, '.tmp', 'bundler-'));
});
afterAll(() => {
  if (dir !== '') rmSync(dir, { recursive: true, force: true });
});

describe('finml in a bundled app', () => {
  it('vite build: wasm backend via load() in its own chunk, no warnings, no finml/node code', async () => {
    const app = join(dir, 'app');
    mkdirSync(app, { recursive: true });
    writeFileSync(join(app, 'index.html'), '<!doctype html><pre id="out"></pre><script type="module" src="./main.ts"></script>\n');
    writeFileSync(
      join(app, 'main.ts'),
      `import { useBackend, parseCsv, buildRiskModel, saveRiskModel, BackendError } from 'finml';
import * as tf from '@tensorflow/tfjs-core';
const out = document.getElementById('out');
await useBackend('wasm', { wasmPaths: '/wasm/', load: () => import('@tensorflow/tfjs-backend-wasm') }).catch((e: unknown) => {
  if (e instanceof BackendError && out !== null) out.textContent = e.name + ': ' + e.message;
});
const t = parseCsv('a,b,y\\n1,x,0\\n2,y,1\\n3,x,0\\n4,y,1\\n');
const m = await buildRiskModel(t, { target: 'y', members: 1, epochs: 1 });
const h = tf.io.getSaveHandlers('indexeddb://m')[0];
if (h !== undefined) await saveRiskModel(m, h);
`,
    );
    const warnings: string[] = [];
    await viteBuild({
      root: app,
      configFile: false,
      logLevel: 'silent',
      resolve: { alias: { finml: join(root, 'src/index.ts') } },
      build: {
        outDir: join(dir, 'dist'),
        emptyOutDir: true,
        target: 'es2022',
        chunkSizeWarningLimit: 10_000,
        // tfjs-layers' own tslib helpers trigger THIS_IS_UNDEFINED (also hidden by Vite's default logger); anything else counts.
        rollupOptions: { onwarn: (w) => (w.code === 'THIS_IS_UNDEFINED' && (w.id ?? '').includes('@tensorflow') ? undefined : warnings.push(w.message)) },
      },
    });
    expect(warnings).toEqual([]);
    const assets = join(dir, 'dist', 'assets');
    const chunks = readdirSync(assets).filter((f) => f.endsWith('.js'));
    const code = chunks.map((f) => ({ f, text: readFileSync(join(assets, f), 'utf8') }));
    // The wasm backend is split off by the dynamic import in `load`, not inlined and not left as a bare import.
    const wasmChunk = code.filter((c) => c.text.includes('_malloc'));
    expect(wasmChunk).toHaveLength(1);
    expect(chunks.length).toBeGreaterThanOrEqual(2);
    for (const c of code) {
      expect(c.text).not.toMatch(/["']node:[a-z]/);
      expect(c.text).not.toContain('import("@tensorflow/tfjs-backend-wasm")');
      // finml/node helpers name themselves in their error messages.
      expect(c.text).not.toContain('fileBundleStore');
      expect(c.text).not.toContain('readCsv');
    }
  });

  it('minified: every finml error class keeps its name', async () => {
    const entry = join(dir, 'errors-entry.ts');
    writeFileSync(
      entry,
      `import * as E from ${JSON.stringify(join(root, 'src/core/errors.ts'))};
const d = { fn: 'f', arg: 'a', expected: 'b', got: 'c' };
class MyError extends E.FinmlError {}
export const names = [
  new E.FinmlError('DATA', 'm', d), new E.NotFittedError('f', 'x'), new E.ShapeError(d), new E.DataError(d),
  new E.InvalidOptionError(d), new E.SerializationError(d), new E.DisposedError('f', 'x'),
  new E.BackendError('m', d), new E.TrainingError('m', d), new E.WorkerError('m', d), new MyError('DATA', 'm', d),
].map((e) => e.name);
`,
    );
    const outfile = join(dir, 'errors.min.mjs');
    await esbuild({ entryPoints: [entry], bundle: true, minify: true, format: 'esm', platform: 'neutral', outfile, logLevel: 'silent' });
    const text = readFileSync(outfile, 'utf8');
    expect(text).not.toContain('class ShapeError'); // really minified
    const mod = (await import(pathToFileURL(outfile).href)) as { names: string[] };
    expect(mod.names).toEqual([
      'FinmlError', 'NotFittedError', 'ShapeError', 'DataError', 'InvalidOptionError', 'SerializationError',
      'DisposedError', 'BackendError', 'TrainingError', 'WorkerError', expect.any(String) as string,
    ]);
  });
});
