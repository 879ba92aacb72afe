/**
 * Hostile-bundle loading benchmark (issue #13): the 2 kB "memory bomb" — a bundle whose model.json
 * declares a Dense 20000×20000 (400 M weights, 1.6 GB) with an empty weight manifest, resealed
 * with valid content hashes — loaded through `fileBundleStore` + `loadBundle`, interleaved with a
 * legitimate small bundle from the same store so both are measured side by side. Reports the
 * median wall time per load and the extra RSS / ArrayBuffer memory over the bomb loads. Before the
 * topology check, the same load allocated ~1.6 GB for 5–10 s (issue text); it must now fail in
 * < 100 ms with < 50 MB extra memory.
 *
 * Part of `npm run bench`; standalone: `npx tsx scripts/bench/loadSafety.ts` (prints JSON).
 */
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { SerializationError } from '../../src/core/errors';
import { computeIntegrity } from '../../src/io/_internal/artifactIO';
import { fileBundleStore } from '../../src/node/fileBundleStore';
import { loadBundle, saveBundle } from '../../src/io/bundle';
import { neuralClassifier } from '../../src/models/neuralModel';
import { runIfMain } from './_standalone';

const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 === 1 ? (s[m] as number) : ((s[m - 1] as number) + (s[m] as number)) / 2;
};
const round = (v: number, d = 2): number => Math.round(v * 10 ** d) / 10 ** d;
const MB = 2 ** 20;

export async function run(): Promise<Record<string, unknown>> {
  await tf.setBackend('cpu');
  const dir = await mkdtemp(join(tmpdir(), 'finml-bench-bomb-'));
  try {
    const x = [[0.1, 1], [0.9, 0], [0.2, 1], [0.8, 0], [0.3, 1], [0.7, 0]];
    const fitted = await neuralClassifier({ model: { type: 'fnn', hidden: [4] }, train: { epochs: 1 }, seed: 1 }).fit(x, [0, 1, 0, 1, 0, 1]);
    const good = join(dir, 'good');
    const bomb = join(dir, 'bomb');
    await saveBundle({ model: fitted, metadata: { featureNames: ['a', 'b'] } }, fileBundleStore(good));
    await saveBundle({ model: fitted, metadata: { featureNames: ['a', 'b'] } }, fileBundleStore(bomb));
    fitted.dispose();
    // Forge the bomb: Dense 20000x20000, no weights, content hashes recomputed.
    const modelJson = JSON.parse(await readFile(join(bomb, 'model.json'), 'utf8')) as Record<string, unknown>;
    const finml = JSON.parse(await readFile(join(bomb, 'bundle.json'), 'utf8')) as Record<string, unknown>;
    modelJson.modelTopology = {
      class_name: 'Sequential',
      config: { name: 'bomb', layers: [{ class_name: 'InputLayer', config: { batch_input_shape: [null, 20000], dtype: 'float32', name: 'in' } }, { class_name: 'Dense', config: { units: 20000, name: 'big' } }] },
    };
    modelJson.weightsManifest = [{ paths: ['./weights.bin'], weights: [] }];
    const { integrity: _old, ...rest } = finml;
    void _old;
    const integrity = computeIntegrity(modelJson.modelTopology, [], rest, new ArrayBuffer(0));
    await writeFile(join(bomb, 'model.json'), JSON.stringify(modelJson));
    await writeFile(join(bomb, 'bundle.json'), JSON.stringify({ ...rest, integrity }));
    await writeFile(join(bomb, 'weights.bin'), new Uint8Array(0));
    const bombBytes = (await readFile(join(bomb, 'model.json'))).length + (await readFile(join(bomb, 'bundle.json'))).length;

    // Warm-up (module initialisation, JIT) on the legitimate bundle, then the cold bomb load alone.
    (await loadBundle(fileBundleStore(good))).model.dispose();
    const c0 = performance.now();
    await loadBundle(fileBundleStore(bomb)).catch(() => undefined);
    const firstBombMs = performance.now() - c0;
    const gc = (globalThis as { gc?: () => void }).gc;
    const bombMs: number[] = [];
    const goodMs: number[] = [];
    let peakRss = 0;
    let peakAb = 0;
    gc?.();
    const rss0 = process.memoryUsage().rss;
    const ab0 = process.memoryUsage().arrayBuffers;
    const pairs = 15;
    for (let i = 0; i < pairs; i++) {
      let t0 = performance.now();
      const err = await loadBundle(fileBundleStore(bomb)).then(
        (l) => {
          l.model.dispose();
          return null;
        },
        (e: unknown) => e,
      );
      bombMs.push(performance.now() - t0);
      if (!(err instanceof SerializationError)) throw new Error(`the bomb did not fail with a SerializationError: ${String(err)}`);
      const m = process.memoryUsage();
      peakRss = Math.max(peakRss, m.rss - rss0);
      peakAb = Math.max(peakAb, m.arrayBuffers - ab0);
      t0 = performance.now();
      const l = await loadBundle(fileBundleStore(good));
      goodMs.push(performance.now() - t0);
      l.model.dispose();
    }
    return {
      bombFileBytes: bombBytes,
      declaredWeights: 20000 * 20000 + 20000,
      pairs,
      firstBombLoadMs: round(firstBombMs),
      bombLoadMsMedian: round(median(bombMs)),
      bombLoadMsMax: round(Math.max(...bombMs)),
      goodLoadMsMedian: round(median(goodMs)),
      bombOverGoodTimeRatio: round(median(bombMs.map((b, i) => b / (goodMs[i] as number))), 3),
      extraRssMBPeak: round(peakRss / MB),
      extraArrayBuffersMBPeak: round(peakAb / MB),
      gcExposed: gc !== undefined,
      goals: { bombLoadMs: '< 100', extraMemoryMB: '< 50' },
      before: 'issue #13: 1.6 GB allocated for 5–10 s before a SerializationError',
    };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

runIfMain(import.meta.url, run);
