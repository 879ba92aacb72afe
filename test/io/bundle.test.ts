import { mkdtemp, readFile, rm, unlink, writeFile } from 'node:fs/promises';
import { existsSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { InvalidOptionError, SerializationError } from '../../src/core/errors';
import { createRng } from '../../src/core/random';
import { standardScaler } from '../../src/data/standardScaler';
import { FINML_VERSION } from '../../src/io/_internal/version';
import { fileBundleStore } from '../../src/node/fileBundleStore';
import { bundleFromArtifacts, bundleToArtifacts, loadBundle, memoryBundleStore, saveBundle } from '../../src/io/bundle';
import { neuralClassifier, neuralRegressor, type FittedNeuralClassifier, type FittedNeuralRegressor } from '../../src/models/neuralModel';
import { transferFrom } from '../../src/models/transferFrom';
import { expectNoLeak } from '../helpers/leak';

function data(n: number, seed: number): { x: number[][]; y: number[] } {
  const rng = createRng(seed);
  const x: number[][] = [];
  const y: number[] = [];
  for (let i = 0; i < n; i++) {
    const r = [rng.normal() * 10 + 50, rng.normal()];
    x.push(r);
    y.push((r[0] as number) - 50 + 5 * (r[1] as number) > 0 ? 1 : 0);
  }
  return { x, y };
}

let dir: string;
let model: FittedNeuralClassifier;
let scaler: ReturnType<ReturnType<typeof standardScaler>['fit']>;
const { x, y } = data(40, 1);

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'finml-bundle-'));
  scaler = standardScaler().fit(x);
  model = await neuralClassifier({ model: { type: 'fnn', hidden: [4], batchNorm: true }, train: { epochs: 2 }, seed: 5 }).fit(scaler.transform(x), y);
});

afterAll(async () => {
  model.dispose();
  await rm(dir, { recursive: true, force: true });
});

describe('bundles', () => {
  it('finmlVersion equals package.json', () => {
    const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string };
    expect(FINML_VERSION).toBe(pkg.version);
  });

  it('in-memory store: model, pipeline and metadata round-trip; predictions identical', async () => {
    const store = memoryBundleStore();
    await saveBundle({ model, pipeline: scaler.toJSON(), metadata: { featureNames: ['amount', 'score'], target: 'bad', metrics: { auc: 0.8 }, createdAt: '2024-01-02T03:04:05.000Z' } }, store);
    const loaded = await loadBundle(store);
    const m = loaded.model as FittedNeuralClassifier;
    expect(Array.from(m.predictProba(scaler.transform(x)))).toEqual(Array.from(model.predictProba(scaler.transform(x))));
    expect(loaded.metadata).toEqual({
      featureNames: ['amount', 'score'],
      target: 'bad',
      classes: [0, 1],
      metrics: { auc: 0.8 },
      seed: 5,
      createdAt: '2024-01-02T03:04:05.000Z',
      finmlVersion: FINML_VERSION,
    });
    expect(loaded.pipeline).toEqual(JSON.parse(JSON.stringify(scaler.toJSON())));
    expect(m.history).toEqual(model.history);
    m.dispose();
  });

  it('works with plain tfjs handlers (withSaveHandler / fromMemory) and stores finml data in userDefinedMetadata', async () => {
    let saved: tf.io.ModelArtifacts | undefined;
    await saveBundle({ model }, tf.io.withSaveHandler(async (a) => {
      saved = a;
      return { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON' } };
    }));
    expect((saved?.userDefinedMetadata?.finml as { format?: string }).format).toBe('finml-bundle');
    const loaded = await loadBundle(tf.io.fromMemory(saved as tf.io.ModelArtifacts));
    expect(Array.from((loaded.model as FittedNeuralClassifier).predictProba(x))).toEqual(Array.from(model.predictProba(x)));
    expect(loaded.pipeline).toBeNull();
    expect(Date.parse(loaded.metadata.createdAt)).not.toBeNaN();
    loaded.model.dispose();
  });

  it('file store writes model.json + weights.bin + bundle.json and loads them back (sequence regressor)', async () => {
    const rng = createRng(3);
    const xs = Array.from({ length: 12 }, () => Array.from({ length: 4 }, () => [rng.normal(), rng.normal()]));
    const ys = xs.map((w) => (w[3] as number[])[0] as number);
    const reg = await neuralRegressor({ model: { type: 'rnn', cell: 'lstm', units: [3] }, train: { epochs: 2 }, seed: 2 }).fit(xs, ys);
    const target = join(dir, 'reg');
    await saveBundle({ model: reg, metadata: { featureNames: ['r1', 'r2'] } }, fileBundleStore(target));
    for (const f of ['model.json', 'weights.bin', 'bundle.json']) expect(existsSync(join(target, f))).toBe(true);
    const modelJson = JSON.parse(await readFile(join(target, 'model.json'), 'utf8')) as { weightsManifest: { paths: string[] }[]; format: string };
    expect(modelJson.format).toBe('layers-model');
    expect(modelJson.weightsManifest[0]?.paths).toEqual(['./weights.bin']);
    const loaded = await loadBundle(fileBundleStore(target));
    expect(Array.from((loaded.model as FittedNeuralRegressor).predict(xs))).toEqual(Array.from(reg.predict(xs)));
    expect(loaded.metadata.classes).toBeNull();
    loaded.model.dispose();
    reg.dispose();
  });

  it('keeps frozen layers and non-trainable weights in the right order', async () => {
    const t = await transferFrom(model, { freeze: 1, train: { epochs: 1 } }).fit(scaler.transform(x), y);
    const loaded = await bundleFromArtifacts(bundleToArtifacts({ model: t }));
    expect(Array.from((loaded.model as FittedNeuralClassifier).predictProba(x))).toEqual(Array.from(t.predictProba(x)));
    loaded.model.dispose();
    t.dispose();
  });

  it('save and load leak no tensors', async () => {
    const store = fileBundleStore(join(dir, 'leak'));
    await expectNoLeak(async () => {
      await saveBundle({ model, pipeline: scaler.toJSON() }, store);
      const l = await loadBundle(store);
      l.model.dispose();
    });
  });

  it('corrupt bundles give SerializationError (truncated weights, bad JSON, missing files, wrong format/version/kind, corrupt pipeline)', async () => {
    const target = join(dir, 'corrupt');
    const store = fileBundleStore(target);
    const fresh = async (): Promise<void> => {
      await saveBundle({ model, pipeline: scaler.toJSON() }, store);
    };
    const expectBroken = async (): Promise<void> => {
      await expect(loadBundle(store)).rejects.toBeInstanceOf(SerializationError);
    };
    const bundleJson = async (): Promise<Record<string, unknown>> => JSON.parse(await readFile(join(target, 'bundle.json'), 'utf8')) as Record<string, unknown>;

    await fresh();
    const w = await readFile(join(target, 'weights.bin'));
    await writeFile(join(target, 'weights.bin'), w.subarray(0, w.length - 4));
    await expectBroken();

    await fresh();
    await writeFile(join(target, 'bundle.json'), '{"format": "finml-bun');
    await expectBroken();

    await fresh();
    await writeFile(join(target, 'model.json'), '[]');
    await expectBroken();

    for (const file of ['model.json', 'weights.bin', 'bundle.json']) {
      await fresh();
      await unlink(join(target, file));
      await expectBroken();
    }

    const patches: ((b: Record<string, unknown>) => Record<string, unknown>)[] = [
      (b) => ({ ...b, format: 'something-else' }),
      (b) => ({ ...b, version: 99 }),
      (b) => ({ ...b, model: { ...(b.model as object), kind: 'StandardScaler' } }),
      (b) => ({ ...b, model: { ...(b.model as object), version: 7 } }),
      (b) => ({ ...b, metadata: { ...(b.metadata as object), createdAt: 'yesterday' } }),
      (b) => ({ ...b, metadata: null }),
      (b) => ({ ...b, pipeline: { kind: 'StandardScaler', version: 1, params: {}, state: { mean: 'x' } } }),
      (b) => ({ ...b, pipeline: 42 }),
    ];
    for (const patch of patches) {
      await fresh();
      await writeFile(join(target, 'bundle.json'), JSON.stringify(patch(await bundleJson())));
      await expectBroken();
    }
    await expect(loadBundle(memoryBundleStore())).rejects.toBeInstanceOf(SerializationError);
    await expect(bundleFromArtifacts({ modelTopology: {} })).rejects.toBeInstanceOf(SerializationError);
  });

  it('validates what it saves', async () => {
    const store = memoryBundleStore();
    await expect(saveBundle({ model, pipeline: { kind: 'x' } as never }, store)).rejects.toBeInstanceOf(InvalidOptionError);
    await expect(saveBundle({ model, metadata: { featureNames: [1] as never } }, store)).rejects.toBeInstanceOf(InvalidOptionError);
    await expect(saveBundle({ model, metadata: { owner: 'me' } as never }, store)).rejects.toBeInstanceOf(InvalidOptionError);
    await expect(saveBundle({ model: {} as never }, store)).rejects.toBeInstanceOf(InvalidOptionError);
    await expect(saveBundle({ model }, {} as never)).rejects.toBeInstanceOf(InvalidOptionError);
    expect(() => fileBundleStore('')).toThrow(InvalidOptionError);
    expect(store.artifacts).toBeNull();
  });
});
