import { lstat, mkdir, mkdtemp, readFile, readdir, rename, rm, symlink, writeFile } from 'node:fs/promises';
import { createHash } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SerializationError } from '../../src/core/errors';
import { createRng } from '../../src/core/random';
import { standardScaler } from '../../src/data/standardScaler';
import { computeIntegrity } from '../../src/io/_internal/artifactIO';
import { createSha256, sha256Hex, sha256HexOfText } from '../../src/io/_internal/sha256';
import { declaredWeightCount, MAX_WEIGHT_ELEMENTS } from '../../src/io/_internal/topologyBudget';
import { fileBundleStore, fileBundleStoreWith } from '../../src/node/fileBundleStore';
import { bundleFromArtifacts, bundleToArtifacts, loadBundle, memoryBundleStore, saveBundle } from '../../src/io/bundle';
import { buildModel } from '../../src/models/buildModel';
import { neuralClassifier, type FittedNeuralClassifier } from '../../src/models/neuralModel';
import type { ModelSpec } from '../../src/models/spec';
import { expectNoLeak } from '../helpers/leak';

function data(n: number, seed: number): { x: number[][]; y: number[] } {
  const rng = createRng(seed);
  const x: number[][] = [];
  const y: number[] = [];
  for (let i = 0; i < n; i++) {
    const r = [rng.normal(), rng.normal(), rng.normal()];
    x.push(r);
    y.push((r[0] as number) + (r[1] as number) > 0 ? 1 : 0);
  }
  return { x, y };
}

let dir: string;
let modelA: FittedNeuralClassifier;
let modelB: FittedNeuralClassifier;
let scaler: ReturnType<ReturnType<typeof standardScaler>['fit']>;
const { x, y } = data(30, 3);

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'finml-safety-'));
  scaler = standardScaler().fit(x);
  modelA = await neuralClassifier({ model: { type: 'fnn', hidden: [4] }, train: { epochs: 1 }, seed: 1 }).fit(scaler.transform(x), y);
  modelB = await neuralClassifier({ model: { type: 'fnn', hidden: [5, 2] }, train: { epochs: 1 }, seed: 2 }).fit(scaler.transform(x), y);
});

afterAll(async () => {
  modelA.dispose();
  modelB.dispose();
  await rm(dir, { recursive: true, force: true });
});

type Json = Record<string, unknown>;
const readJson = async (p: string): Promise<Json> => JSON.parse(await readFile(p, 'utf8')) as Json;

/** Rewrites a saved bundle's files and recomputes its content hashes (what a deliberate attacker can do). */
async function forge(target: string, edit: (model: Json, finml: Json, weights: Uint8Array) => Uint8Array | void): Promise<void> {
  const model = await readJson(join(target, 'model.json'));
  const finml = await readJson(join(target, 'bundle.json'));
  const original = new Uint8Array(await readFile(join(target, 'weights.bin')));
  const weights: Uint8Array = edit(model, finml, original) ?? original;
  const { integrity: _old, ...rest } = finml;
  void _old;
  const specs = (model.weightsManifest as { weights: unknown[] }[]).flatMap((g) => g.weights);
  const integrity = computeIntegrity(model.modelTopology, specs, rest, weights.slice().buffer);
  await writeFile(join(target, 'model.json'), JSON.stringify(model));
  await writeFile(join(target, 'bundle.json'), JSON.stringify({ ...rest, integrity }));
  await writeFile(join(target, 'weights.bin'), weights);
}

describe('sha256', () => {
  it('matches the FIPS 180-4 vectors and node:crypto on chunked input', () => {
    expect(sha256HexOfText('')).toBe('e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855');
    expect(sha256HexOfText('abc')).toBe('ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
    expect(sha256HexOfText('abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq')).toBe('248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1');
    expect(sha256Hex(new Uint8Array(1_000_000).fill(0x61))).toBe('cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0');
    const rng = createRng(9);
    for (const n of [1, 55, 56, 63, 64, 65, 119, 120, 127, 128, 1000, 4097]) {
      const bytes = Uint8Array.from({ length: n }, () => rng.int(256));
      const want = createHash('sha256').update(bytes).digest('hex');
      expect(sha256Hex(bytes), `n=${n}`).toBe(want);
      const h = createSha256();
      for (let i = 0; i < n; i += 7) h.update(bytes.subarray(i, Math.min(n, i + 7)));
      expect(h.digestHex(), `chunked n=${n}`).toBe(want);
    }
  });
});

describe('topology budget', () => {
  it('counts exactly the weights tfjs allocates for every network type finml builds', () => {
    const cases: [ModelSpec, number[]][] = [
      [{ type: 'fnn', hidden: [4, 3], batchNorm: true, dropout: 0.1 }, [6]],
      [{ type: 'logistic' }, [3]],
      [{ type: 'rnn', cell: 'lstm', units: [3, 2], dense: [2] }, [5, 2]],
      [{ type: 'rnn', cell: 'gru', units: [3] }, [5, 2]],
      [{ type: 'rnn', cell: 'simple', units: [3] }, [7, 4]],
      [{ type: 'cnn', filters: [2, 3], kernelSize: 2, poolSize: 2, dense: [3] }, [9, 2]],
      [{ type: 'cnn', filters: [2], kernelSize: 3, padding: 'causal', dilation: 2, strides: 2 }, [11, 3]],
      [{ type: 'cnn', filters: [2], kernelSize: 2, padding: 'same', strides: 3 }, [10, 2]],
    ];
    for (const [spec, inputShape] of cases) {
      const m = buildModel(spec, { inputShape, head: { task: 'binary', units: 1 }, seed: 1 });
      const actual = m.weights.reduce((a, w) => a + w.shape.reduce<number>((p, d) => p * (d ?? 0), 1), 0);
      expect(declaredWeightCount(m.toJSON(undefined, false), 't', 'topology'), JSON.stringify(spec)).toBe(actual);
      m.dispose();
    }
  });

  it('rejects unknown layer classes, functional graphs and over-budget layers without building', () => {
    const seq = (layers: unknown[]): unknown => ({ class_name: 'Sequential', config: { name: 's', layers } });
    const input = { class_name: 'InputLayer', config: { batch_input_shape: [null, 3], name: 'i' } };
    expect(() => declaredWeightCount(seq([input, { class_name: 'Lambda', config: { name: 'x' } }]), 't', 'topology')).toThrow(SerializationError);
    expect(() => declaredWeightCount({ class_name: 'Model', config: { layers: [] } }, 't', 'topology')).toThrow(SerializationError);
    expect(() => declaredWeightCount(seq([input, { class_name: 'Dense', config: { units: 1e12, name: 'd' } }]), 't', 'topology')).toThrow(SerializationError);
    const big = seq([{ class_name: 'InputLayer', config: { batch_input_shape: [null, 20000], name: 'i' } }, { class_name: 'Dense', config: { units: 20000, name: 'd' } }]);
    expect(() => declaredWeightCount(big, 't', 'topology')).toThrow(/size budget/);
    expect(MAX_WEIGHT_ELEMENTS).toBe(2 ** 26);
  });
});

describe('hostile and corrupt bundles', () => {
  it('the 2 kB memory bomb (Dense 20000x20000, no weights) fails before any layer is built', async () => {
    const target = join(dir, 'bomb');
    await saveBundle({ model: modelA, pipeline: scaler.toJSON(), metadata: { featureNames: ['a', 'b', 'c'] } }, fileBundleStore(target));
    await forge(target, (model) => {
      model.modelTopology = {
        class_name: 'Sequential',
        config: { name: 'bomb', layers: [{ class_name: 'InputLayer', config: { batch_input_shape: [null, 20000], dtype: 'float32', name: 'in' } }, { class_name: 'Dense', config: { units: 20000, name: 'big', use_bias: true } }] },
      };
      model.weightsManifest = [{ paths: ['./weights.bin'], weights: [] }];
      return new Uint8Array(0);
    });
    const size = (await readFile(join(target, 'model.json'))).length + (await readFile(join(target, 'bundle.json'))).length;
    expect(size).toBeLessThan(8000);
    const before = tf.memory();
    await expect(loadBundle(fileBundleStore(target))).rejects.toThrow(/size budget/);
    // No tensor was ever allocated: the check runs before tfjs builds a layer.
    expect(tf.memory().numBytes).toBe(before.numBytes);
    expect(tf.memory().numTensors).toBe(before.numTensors);
    // Within budget but disagreeing with the (empty) manifest: also rejected before building.
    await forge(target, (model) => {
      (model.modelTopology as { config: { layers: { config: Json }[] } }).config.layers[1]!.config.units = 500;
      (model.modelTopology as { config: { layers: { config: Json }[] } }).config.layers[0]!.config.batch_input_shape = [null, 500];
    });
    await expect(loadBundle(fileBundleStore(target))).rejects.toThrow(/declaring 250500 weights/);
    expect(tf.memory().numBytes).toBe(before.numBytes);
  });

  it('same-size corruption of weights.bin (flipped bytes, all NaN) and edited JSON are caught', async () => {
    const target = join(dir, 'flip');
    const store = fileBundleStore(target);
    const fresh = (): Promise<unknown> => saveBundle({ model: modelA, pipeline: scaler.toJSON(), metadata: { featureNames: ['a', 'b', 'c'] } }, store);
    await fresh();
    const w = new Uint8Array(await readFile(join(target, 'weights.bin')));
    const flipped = w.slice();
    flipped[5] = (flipped[5] as number) ^ 0x01;
    await writeFile(join(target, 'weights.bin'), flipped);
    await expect(loadBundle(store)).rejects.toThrow(/SHA-256/);
    await writeFile(join(target, 'weights.bin'), new Uint8Array(new Float32Array(w.length / 4).fill(Number.NaN).buffer));
    await expect(loadBundle(store)).rejects.toBeInstanceOf(SerializationError);
    // NaN weights with a recomputed hash: still refused (non-finite weights).
    await fresh();
    await forge(target, (_m, _f, bytes) => new Uint8Array(new Float32Array(bytes.length / 4).fill(Number.NaN).buffer));
    await expect(loadBundle(store)).rejects.toThrow(/finite float32 weights/);
    // Edited metrics in bundle.json (same shape, still valid JSON): hash mismatch.
    await fresh();
    const b = await readJson(join(target, 'bundle.json'));
    (b.metadata as Json).target = 'Other';
    await writeFile(join(target, 'bundle.json'), JSON.stringify(b));
    await expect(loadBundle(store)).rejects.toThrow(/SHA-256/);
    // Hash removed from a version-2 bundle: refused.
    delete b.integrity;
    await writeFile(join(target, 'bundle.json'), JSON.stringify(b));
    await expect(loadBundle(store)).rejects.toThrow(/integrity/);
  });

  it('files mixed from two saves are refused', async () => {
    const a = join(dir, 'mixA');
    const b = join(dir, 'mixB');
    await saveBundle({ model: modelA, pipeline: scaler.toJSON() }, fileBundleStore(a));
    await saveBundle({ model: modelB, pipeline: scaler.toJSON() }, fileBundleStore(b));
    for (const file of ['weights.bin', 'model.json', 'bundle.json']) {
      const target = join(dir, `mix-${file}`);
      await saveBundle({ model: modelA, pipeline: scaler.toJSON() }, fileBundleStore(target));
      await writeFile(join(target, file), await readFile(join(b, file)));
      await expect(loadBundle(fileBundleStore(target)), file).rejects.toBeInstanceOf(SerializationError);
    }
  });

  it('width mismatches between pipeline, featureNames and network are a SerializationError (no leak)', async () => {
    const target = join(dir, 'width');
    const store = fileBundleStore(target);
    const wide = standardScaler().fit([[1, 2, 3, 4], [2, 3, 4, 5]]);
    await saveBundle({ model: modelA, pipeline: wide.toJSON() }, store);
    await expect(loadBundle(store)).rejects.toThrow(/pipeline producing/);
    await saveBundle({ model: modelA, pipeline: scaler.toJSON(), metadata: { featureNames: ['a', 'b'] } }, store);
    await expect(loadBundle(store)).rejects.toThrow(/featureNames/);
    await saveBundle({ model: modelA, metadata: { featureNames: ['a', 'b', 'c', 'd'] } }, store);
    await expect(loadBundle(store)).rejects.toThrow(/featureNames/);
    await expectNoLeak(async () => {
      await expect(loadBundle(store)).rejects.toBeInstanceOf(SerializationError);
    });
    await saveBundle({ model: modelA, pipeline: scaler.toJSON(), metadata: { featureNames: ['a', 'b', 'c'] } }, store);
    const ok = await loadBundle(store);
    expect(ok.metadata.featureNames).toEqual(['a', 'b', 'c']);
    ok.model.dispose();
  });

  it('a topology that tfjs rejects half way through building leaks no weights; bad names and configs are refused before building', async () => {
    const art = bundleToArtifacts({ model: modelA });
    const edit = (f: (layers: { config: Json }[]) => void): tf.io.ModelArtifacts => {
      const topo = structuredClone(art.modelTopology) as { config: { layers: { config: Json }[] } };
      f(topo.config.layers);
      const finml = (art.userDefinedMetadata as { finml: Json }).finml;
      const { integrity: _i, ...rest } = finml;
      void _i;
      return { ...art, modelTopology: topo, userDefinedMetadata: { finml: { ...rest, integrity: computeIntegrity(topo, art.weightSpecs, rest, art.weightData as ArrayBuffer) } as never } };
    };
    const before = tf.memory().numTensors;
    // The last Dense has an unknown activation: the first Dense is built (weights allocated) before tfjs throws.
    const lastDense = (layers: { config: Json }[]): Json => (layers[layers.length - 1] as { config: Json }).config;
    await expect(bundleFromArtifacts(edit((l) => void (lastDense(l).activation = 'bogus')))).rejects.toBeInstanceOf(SerializationError);
    expect(tf.memory().numTensors).toBe(before);
    await expect(bundleFromArtifacts(edit((l) => void (lastDense(l).name = -1)))).rejects.toThrow(/layer name/);
    await expect(bundleFromArtifacts(edit((l) => void (lastDense(l).kernel_constraint = 'relu')))).rejects.toThrow(/kernel_constraint/);
    expect(tf.memory().numTensors).toBe(before);
  });

  it('version-1 bundles without hashes still load (legacy), in memory too', async () => {
    const art = bundleToArtifacts({ model: modelA });
    const finml = (art.userDefinedMetadata as { finml: Json }).finml;
    const { integrity: _i, ...rest } = finml;
    void _i;
    const legacy = { ...art, userDefinedMetadata: { finml: { ...rest, version: 1 } } };
    const l = await bundleFromArtifacts(legacy as tf.io.ModelArtifacts);
    l.model.dispose();
    const store = memoryBundleStore();
    await saveBundle({ model: modelA }, store);
    const m = await loadBundle(store);
    m.model.dispose();
  });
});

describe('atomic file saves', () => {
  const snapshot = async (target: string): Promise<Record<string, string>> => {
    const out: Record<string, string> = {};
    for (const f of (await readdir(target)).sort()) out[f] = createHash('sha256').update(await readFile(join(target, f))).digest('hex');
    return out;
  };

  it('failing the save at every step leaves the old bundle complete and loadable (or the new one), never a mix, and no temp dirs', async () => {
    const parent = join(dir, 'steps');
    await mkdir(parent);
    const target = join(parent, 'model');
    await saveBundle({ model: modelA, pipeline: scaler.toJSON() }, fileBundleStore(target));
    await writeFile(join(target, 'metrics.json'), '{}');
    const old = await snapshot(target);
    // Record the steps of one save.
    const steps: string[] = [];
    await saveBundle({ model: modelA, pipeline: scaler.toJSON() }, fileBundleStoreWith(target, { hook: (s) => void steps.push(s), extraFiles: [{ name: 'metrics.json', data: '{"new":1}' }] }));
    expect(steps).toEqual(expect.arrayContaining(['mkdtemp', 'open:weights.bin', 'fsync:bundle.json', 'fsync:metrics.json', 'fsync:tmpdir', 'rename:aside', 'rename:swap', 'fsync:parent', 'rm:old']));
    expect(steps.length).toBeGreaterThan(12);
    const oldAgain = await snapshot(target);
    for (const step of steps) {
      const store = fileBundleStoreWith(target, {
        hook: (s) => {
          if (s === step) throw new Error(`injected failure at ${s}`);
        },
        extraFiles: [{ name: 'metrics.json', data: '{"new":2}' }],
      });
      const saved = saveBundle({ model: modelB, pipeline: scaler.toJSON() }, store);
      await expect(saved, step).rejects.toBeInstanceOf(SerializationError);
      const now = await snapshot(target);
      const loaded = await loadBundle(fileBundleStore(target));
      const units = loaded.model.params.model;
      loaded.model.dispose();
      if (['fsync:parent', 'rm:old'].includes(step)) {
        // Failing after the swap: the new bundle is complete.
        expect((units as unknown as { hidden: number[] }).hidden, step).toEqual([5, 2]);
        expect(await readFile(join(target, 'metrics.json'), 'utf8')).toBe('{"new":2}');
        await saveBundle({ model: modelA, pipeline: scaler.toJSON() }, fileBundleStoreWith(target, { extraFiles: [{ name: 'metrics.json', data: '{"new":1}' }] }));
      } else {
        expect(now, step).toEqual(oldAgain);
        expect((units as unknown as { hidden: number[] }).hidden, step).toEqual([4]);
      }
      const leftovers = (await readdir(parent)).filter((f) => f !== 'model' && !f.includes('.old-'));
      expect(leftovers, step).toEqual([]);
    }
    expect(Object.keys(old)).toEqual(['bundle.json', 'metrics.json', 'model.json', 'weights.bin']);
    // A directory holding anything else is refused before any change, never emptied.
    await writeFile(join(target, 'notes.txt'), 'keep me');
    const withNotes = await snapshot(target);
    await expect(saveBundle({ model: modelB }, fileBundleStore(target))).rejects.toThrow(/notes\.txt/);
    expect(await snapshot(target)).toEqual(withNotes);
  });

  it('a save killed between its two renames (old dir moved aside) is recovered by the next load or save', async () => {
    const parent = join(dir, 'killed');
    await mkdir(parent);
    const target = join(parent, 'model');
    await saveBundle({ model: modelA }, fileBundleStore(target));
    const before = await snapshot(target);
    // What a crash right after 'rename:aside' leaves: no target, the old bundle under .model.old-*.
    await rename(target, join(parent, '.model.old-x1y2z3'));
    const l = await loadBundle(fileBundleStore(target));
    expect((l.model.params.model as unknown as { hidden: number[] }).hidden).toEqual([4]);
    l.model.dispose();
    expect(await snapshot(target)).toEqual(before);
    expect(await readdir(parent)).toEqual(['model']);
    await rename(target, join(parent, '.model.old-a'));
    await saveBundle({ model: modelB }, fileBundleStore(target));
    expect(await readdir(parent)).toEqual(['model']);
    const m = await loadBundle(fileBundleStore(target));
    expect((m.model.params.model as unknown as { hidden: number[] }).hidden).toEqual([5, 2]);
    m.model.dispose();
  });

  it('never follows a planted symlink (old fixed .tmp names, a file planted in the temp dir, dir itself)', async () => {
    const parent = join(dir, 'links');
    await mkdir(parent);
    const victim = join(parent, 'victim.txt');
    await writeFile(victim, 'precious');
    const target = join(parent, 'model');
    await mkdir(target);
    for (const f of ['model.json', 'weights.bin', 'bundle.json']) await symlink(victim, join(target, `${f}.tmp`));
    // Planted links at the old fixed temp names: the directory is refused, nothing is written through them.
    await expect(saveBundle({ model: modelA }, fileBundleStore(target))).rejects.toThrow(/model\.json\.tmp/);
    expect(await readFile(victim, 'utf8')).toBe('precious');
    await rm(target, { recursive: true });
    await saveBundle({ model: modelA }, fileBundleStore(target));
    expect((await readdir(target)).sort()).toEqual(['bundle.json', 'model.json', 'weights.bin']);
    // A symlink planted inside the fresh temp dir right before a file is opened: O_EXCL|O_NOFOLLOW refuses it.
    const store = fileBundleStoreWith(target, {
      hook: async (s, tmp) => {
        if (s === 'open:model.json' && tmp !== null) await symlink(victim, join(tmp, 'model.json'));
      },
    });
    await expect(saveBundle({ model: modelB }, store)).rejects.toBeInstanceOf(SerializationError);
    expect(await readFile(victim, 'utf8')).toBe('precious');
    // The bundle directory itself as a symlink: refused, not followed.
    const linkDir = join(parent, 'linked');
    await symlink(target, linkDir);
    await expect(saveBundle({ model: modelB }, fileBundleStore(linkDir))).rejects.toThrow(/symbolic link/);
    expect((await lstat(linkDir)).isSymbolicLink()).toBe(true);
    // A file where the directory should be.
    await expect(saveBundle({ model: modelB }, fileBundleStore(victim))).rejects.toBeInstanceOf(SerializationError);
    expect(await readFile(victim, 'utf8')).toBe('precious');
    const l = await loadBundle(fileBundleStore(target));
    expect((l.model.params.model as unknown as { hidden: number[] }).hidden).toEqual([4]);
    l.model.dispose();
  });
});
