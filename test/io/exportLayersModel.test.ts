/**
 * exportLayersModel: the exported model.json holds standard Keras layer classes only, and a plain
 * tfjs-layers process (a child Node process importing only @tensorflow/tfjs-core, -backend-cpu and
 * -layers, no finml, so no custom layer is registered) loads it and predicts identically.
 */
import { execFileSync } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DisposedError, InvalidOptionError, SerializationError } from '../../src/core/errors';
import { createRng } from '../../src/core/random';
import { buildCnn } from '../../src/models/buildCnn';
import { buildFnn } from '../../src/models/buildFnn';
import { exportLayersModel, networkOf } from '../../src/io/exportLayersModel';
import { neuralClassifier } from '../../src/models/neuralModel';
import { expectNoLeak } from '../helpers/leak';

const ROOT = resolve(__dirname, '../..');
/** Loads a model with plain tfjs-layers in a child process (a committed script next to this test). */
const PLAIN = join(__dirname, 'plainTfjsLoad.mjs');

let dir = '';
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'finml-export-'));
});
afterAll(async () => {
  if (dir !== '') await rm(dir, { recursive: true, force: true });
});

/** Writes the export and loads it in a plain tfjs-layers child process. */
async function loadPlain(out: Awaited<ReturnType<typeof exportLayersModel>>, name: string, values: number[], shape: number[]): Promise<{ classes: string[]; y: number[] }> {
  const d = join(dir, name);
  await import('node:fs/promises').then((fs) => fs.mkdir(d, { recursive: true }));
  await writeFile(join(d, 'model.json'), out.modelJson);
  await writeFile(join(d, out.weightsPath), out.weights);
  const text = execFileSync(process.execPath, [PLAIN, d, JSON.stringify({ values, shape })], { cwd: ROOT, encoding: 'utf8', timeout: 60_000 });
  return JSON.parse(text) as { classes: string[]; y: number[] };
}

function classNames(modelJson: string): string[] {
  const out: string[] = [];
  JSON.parse(modelJson, (k, v: unknown) => {
    if (k === 'class_name' && typeof v === 'string') out.push(v);
    return v;
  });
  return out;
}

describe('exportLayersModel', () => {
  it('a fitted classifier with dropout loads in plain tfjs-layers (SeededDropout → Dropout) and predicts identically', async () => {
    const rng = createRng(1);
    const x = Array.from({ length: 64 }, () => [rng.normal(), rng.normal(), rng.normal()]);
    const y = x.map((r) => (r[0]! + 0.5 * r[1]! > 0 ? 1 : 0));
    const fitted = await neuralClassifier({ model: { type: 'fnn', hidden: [8, 4], dropout: 0.3 }, train: { epochs: 5 }, seed: 2 }).fit(x, y);
    try {
      expect(networkOf(fitted).layers.map((l) => l.getClassName())).toContain('SeededDropout');
      const out = await exportLayersModel(fitted);
      expect(classNames(out.modelJson)).not.toContain('SeededDropout');
      const plain = await loadPlain(out, 'fnn', x.flat(), [x.length, 3]);
      expect(plain.classes).toContain('Dropout');
      const p = fitted.predictProba(x) as Float64Array;
      plain.y.forEach((v, i) => expect(v).toBeCloseTo(p[i]!, 6));
      await expectNoLeak(() => exportLayersModel(fitted));
    } finally {
      fitted.dispose();
    }
    expect(() => networkOf(fitted)).toThrow(DisposedError);
  });

  for (const variant of [
    { name: 'causal-dilated', spec: { padding: 'causal' as const, dilation: 2 } },
    { name: 'same-strided', spec: { padding: 'same' as const, strides: 2 } },
  ]) {
    it(`a CNN (${variant.name}: PortableConv1D → Conv1D) loads in plain tfjs-layers and predicts the same`, async () => {
      const model = buildCnn({ type: 'cnn', filters: [6, 4], kernelSize: 3, dropout: 0.2, ...variant.spec }, { inputShape: [16, 3], head: { task: 'regression', units: 1 }, seed: 5 });
      try {
        const rng = createRng(9);
        const values = Array.from({ length: 5 * 16 * 3 }, () => rng.normal());
        const out = await exportLayersModel(model);
        const names = classNames(out.modelJson);
        expect(names).toContain('Conv1D');
        expect(names).not.toContain('PortableConv1D');
        const plain = await loadPlain(out, variant.name, values, [5, 16, 3]);
        const ref = tf.tidy(() => Array.from((model.predict(tf.tensor3d(values, [5, 16, 3])) as tf.Tensor).dataSync()));
        expect(plain.y).toHaveLength(5);
        plain.y.forEach((v, i) => expect(v).toBeCloseTo(ref[i]!, 4));
      } finally {
        model.dispose();
      }
    });
  }

  it('refuses custom layers without a standard equivalent and bad options', async () => {
    const m = buildFnn({ type: 'fnn', hidden: [2] }, { inputShape: [2], head: { task: 'regression', units: 1 }, seed: 1 });
    try {
      await expect(exportLayersModel(m, { weightsPath: '../x.bin' })).rejects.toThrow(InvalidOptionError);
      const out = await exportLayersModel(m, { weightsPath: 'w.bin' });
      expect(JSON.parse(out.modelJson).weightsManifest[0].paths).toEqual(['w.bin']);
    } finally {
      m.dispose();
    }
    await expect(exportLayersModel({} as never)).rejects.toThrow(InvalidOptionError);
    expect(SerializationError).toBeDefined();
  });
});
