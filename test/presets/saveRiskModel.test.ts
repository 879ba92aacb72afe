import { mkdtemp, readFile, rm, truncate, writeFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as tf from '@tensorflow/tfjs-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DisposedError, InvalidOptionError, SerializationError } from '../../src/core/errors';
import { getColumn } from '../../src/data/getColumn';
import { takeRows } from '../../src/data/takeRows';
import { trainTestSplit } from '../../src/data/trainTestSplit';
import type { Table } from '../../src/data/table';
import { fromBase64 } from '../../src/io/_internal/modelArtifacts';
import { computeIntegrity } from '../../src/io/_internal/artifactIO';
import { FINML_VERSION } from '../../src/io/_internal/version';
import { fileBundleStore, readCsv } from '../../src/node/index';
import { buildRiskModel } from '../../src/presets/riskModel';
import { riskModelFromJSON, type RiskModel } from '../../src/presets/buildRiskModel';
import { RISK_MODEL_FORMAT, loadRiskModel, riskModelFromArtifacts, riskModelToArtifacts, saveRiskModel } from '../../src/presets/saveRiskModel';
import { memoryBundleStore } from '../../src/io/bundle';
import { bundleToArtifacts } from '../../src/models/neuralBundle';
import { expectNoLeak } from '../helpers/leak';

const path = fileURLToPath(new URL('../../data/german_credit.csv', import.meta.url));
const CREATED = '2024-05-06T07:08:09.000Z';

let train: Table;
let test: Table;
let model: RiskModel;
let dir: string;

beforeAll(async () => {
  const credit = await readCsv(path);
  const small = takeRows(credit, Array.from({ length: 160 }, (_, i) => i));
  const s = trainTestSplit(small.nRows, { testSize: 0.25, seed: 3, stratify: getColumn(small, 'Class').values as string[] });
  train = takeRows(small, s.train);
  test = takeRows(small, s.test);
  model = await buildRiskModel(train, { target: 'Class', members: 3, hidden: [4], epochs: 3, patience: 2, backgroundSize: 4, seed: 7 });
  dir = await mkdtemp(join(tmpdir(), 'finml-riskmodel-'));
});

afterAll(async () => {
  model.dispose();
  await rm(dir, { recursive: true, force: true });
});

/** Deep copy of artifacts (JSON parts cloned, weight bytes copied). */
function clone(a: tf.io.ModelArtifacts): tf.io.ModelArtifacts {
  const { weightData, ...rest } = a;
  const out: tf.io.ModelArtifacts = structuredClone(rest);
  if (weightData instanceof ArrayBuffer) out.weightData = weightData.slice(0);
  return out;
}

function finmlOf(a: tf.io.ModelArtifacts): Record<string, unknown> {
  return (a.userDefinedMetadata as { finml: Record<string, unknown> }).finml;
}

async function expectSame(back: RiskModel): Promise<void> {
  expect(Array.from(back.score(test))).toEqual(Array.from(model.score(test)));
  expect(Array.from(back.score(train))).toEqual(Array.from(model.score(train)));
  expect(back.validation).toEqual(model.validation);
  expect(back.params).toEqual(model.params);
  expect(back.classes).toEqual(['Good', 'Bad']);
  const [a] = await back.explain(test, { rows: [2], topK: 3 });
  const [b] = await model.explain(test, { rows: [2], topK: 3 });
  expect(a).toEqual(b);
}

/** Asserts `f` rejects with a SerializationError whose message matches `msg`, leaving no tensors behind. */
async function expectCorrupt(f: () => Promise<unknown>, msg: RegExp): Promise<void> {
  const before = tf.memory().numTensors;
  const err = await f().then(
    () => null,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(SerializationError);
  expect((err as Error).message).toMatch(msg);
  expect(tf.memory().numTensors - before, 'tensors leaked by a failed load').toBe(0);
}

describe('risk model artifacts layout', () => {
  it('stores all members in one weight buffer with member-prefixed specs, and the rest as JSON', () => {
    const a = riskModelToArtifacts(model, { createdAt: CREATED });
    expect(a.format).toBe(RISK_MODEL_FORMAT);
    expect(a.weightData).toBeInstanceOf(ArrayBuffer);
    const bytes = new Uint8Array(a.weightData as ArrayBuffer);
    // Each member's slice is exactly the bytes of that member's own JSON weights, in order.
    let off = 0;
    model.members.forEach((m, i) => {
      const st = m.toJSON().state as { weights: string; weightSpecs: { name: string; shape: number[] }[] };
      const own = new Uint8Array(fromBase64(st.weights, 'test', 'weights'));
      expect(Array.from(bytes.subarray(off, off + own.byteLength))).toEqual(Array.from(own));
      off += own.byteLength;
      const mine = (a.weightSpecs ?? []).filter((s) => s.name.startsWith(`member${i}/`));
      expect(mine.map((s) => ({ name: s.name.slice(`member${i}/`.length), shape: s.shape }))).toEqual(st.weightSpecs.map((s) => ({ name: s.name, shape: s.shape })));
    });
    expect(off).toBe(bytes.byteLength);
    expect((a.modelTopology as { members: unknown[] }).members).toHaveLength(3);
    const f = finmlOf(a);
    expect(f.format).toBe(RISK_MODEL_FORMAT);
    expect(f.version).toBe(3);
    expect(f.metadata).toEqual({
      featureNames: Object.keys(model.pipeline.featureGroups),
      target: 'Class',
      classes: ['Good', 'Bad'],
      positive: 'Bad',
      members: 3,
      seed: 7,
      createdAt: CREATED,
      finmlVersion: FINML_VERSION,
    });
    expect((f.metadata as { featureNames: string[] }).featureNames).toHaveLength(20);
    expect(f.validation).toEqual(model.validation);
    expect(f.combiner).toEqual(model.combiner);
    expect((f.baseline as { kind: string }).kind).toBe('LogisticRegression');
    expect((f.pipeline as { kind: string }).kind).toBe('TabularPipeline');
    expect((f.explainer as { kind: string }).kind).toBe('KernelShap');
    // Member envelopes carry no topology or base64 weights (those are the tfjs artifacts).
    for (const m of f.members as { state: Record<string, unknown> }[]) {
      expect(Object.keys(m.state).sort()).toEqual(['classes', 'history', 'inputShape', 'training']);
    }
    // The JSON part is JSON (survives a text round trip unchanged).
    const { weightData: _w, ...json } = a;
    void _w;
    expect(JSON.parse(JSON.stringify(json))).toEqual(json);
  });

  it('is smaller than the JSON envelope (no base64)', () => {
    const a = riskModelToArtifacts(model);
    const { weightData, ...json } = a;
    const artifactBytes = JSON.stringify(json).length + (weightData as ArrayBuffer).byteLength;
    expect(artifactBytes).toBeLessThan(JSON.stringify(model.toJSON()).length);
  });
});

describe('round trips', () => {
  it('memoryBundleStore: identical scores, explanations, validation, metadata', async () => {
    const store = memoryBundleStore();
    const res = await saveRiskModel(model, store, { createdAt: CREATED });
    expect(res.modelArtifactsInfo?.weightDataBytes).toBe((store.artifacts?.weightData as ArrayBuffer).byteLength);
    const { model: back, metadata } = await loadRiskModel(store);
    try {
      await expectSame(back);
      expect(metadata.createdAt).toBe(CREATED);
      expect(metadata.members).toBe(3);
      expect(Object.isFrozen(metadata) && Object.isFrozen(metadata.featureNames)).toBe(true);
    } finally {
      back.dispose();
    }
  });

  it('plain tf.io.withSaveHandler / tf.io.fromMemory; loading does not mutate the artifacts', async () => {
    let saved: tf.io.ModelArtifacts | null = null;
    await saveRiskModel(
      model,
      tf.io.withSaveHandler(async (a) => {
        saved = a;
        return { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON' } };
      }),
    );
    if (saved === null) throw new Error('nothing saved');
    const copy = clone(saved);
    const { model: back } = await loadRiskModel(tf.io.fromMemory(saved));
    try {
      await expectSame(back);
    } finally {
      back.dispose();
    }
    const { weightData: w1, ...j1 } = saved as tf.io.ModelArtifacts;
    const { weightData: w2, ...j2 } = copy;
    expect(j1).toEqual(j2);
    expect(Array.from(new Uint8Array(w1 as ArrayBuffer))).toEqual(Array.from(new Uint8Array(w2 as ArrayBuffer)));
  });

  it('weight data split into chunks (tfjs CompositeArrayBuffer form) loads too', async () => {
    const a = riskModelToArtifacts(model);
    const w = a.weightData as ArrayBuffer;
    const { model: back } = await riskModelFromArtifacts({ ...a, weightData: [w.slice(0, 100), w.slice(100)] });
    expect(Array.from(back.score(test))).toEqual(Array.from(model.score(test)));
    back.dispose();
  });

  it('fileBundleStore: model.json + weights.bin + bundle.json, identical scores', async () => {
    const d = join(dir, 'credit-model');
    await saveRiskModel(model, fileBundleStore(d), { createdAt: CREATED });
    for (const f of ['model.json', 'weights.bin', 'bundle.json']) expect(existsSync(join(d, f)), f).toBe(true);
    const manifest = JSON.parse(await readFile(join(d, 'model.json'), 'utf8')) as { format: string; weightsManifest: { paths: string[]; weights: { name: string }[] }[] };
    expect(manifest.format).toBe(RISK_MODEL_FORMAT);
    expect(manifest.weightsManifest[0]?.paths).toEqual(['./weights.bin']);
    expect(new Set(manifest.weightsManifest[0]?.weights.map((w) => w.name.split('/')[0]))).toEqual(new Set(['member0', 'member1', 'member2']));
    const bundle = JSON.parse(await readFile(join(d, 'bundle.json'), 'utf8')) as { format: string; metadata: { createdAt: string } };
    expect(bundle.format).toBe(RISK_MODEL_FORMAT);
    expect(bundle.metadata.createdAt).toBe(CREATED);
    const { model: back, metadata } = await loadRiskModel(fileBundleStore(d));
    try {
      await expectSame(back);
      expect(metadata.finmlVersion).toBe(FINML_VERSION);
    } finally {
      back.dispose();
    }
  });

  it('one-member models (validation split) round-trip too', async () => {
    const one = await buildRiskModel(train, { target: 'Class', members: 1, hidden: [3], epochs: 2, patience: 1, backgroundSize: 3, seed: 2 });
    try {
      const { model: back, metadata } = await riskModelFromArtifacts(riskModelToArtifacts(one));
      expect(metadata.members).toBe(1);
      expect(Array.from(back.score(test))).toEqual(Array.from(one.score(test)));
      back.dispose();
    } finally {
      one.dispose();
    }
  });
});

describe('leaks and misuse', () => {
  it('saving and loading leak no tensors', async () => {
    const store = memoryBundleStore();
    await expectNoLeak(async () => {
      await saveRiskModel(model, store);
      const { model: back } = await loadRiskModel(store);
      back.score(test);
      back.dispose();
    });
    await expectNoLeak(() => riskModelToArtifacts(model));
  });

  it('rejects a non-model, bad options, handlers without save/load, a disposed model', async () => {
    await expect(saveRiskModel({} as RiskModel, memoryBundleStore())).rejects.toThrow(InvalidOptionError);
    await expect(saveRiskModel(model, {} as tf.io.IOHandler)).rejects.toThrow(/'handler' option of saveRiskModel must be a tfjs IOHandler with a save method/);
    await expect(loadRiskModel({} as tf.io.IOHandler)).rejects.toThrow(InvalidOptionError);
    expect(() => riskModelToArtifacts(model, { createdAt: 'yesterday' })).toThrow(/createdAt/);
    expect(() => riskModelToArtifacts(model, { seed: 1 } as never)).toThrow(InvalidOptionError);
    await expect(loadRiskModel(memoryBundleStore())).rejects.toThrow(SerializationError);
    const failing = tf.io.withSaveHandler(async () => ({ modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON' }, errors: ['disk full'] }));
    await expect(saveRiskModel(model, failing)).rejects.toThrow(/disk full/);
    const throwing: tf.io.IOHandler = { load: async () => Promise.reject(new Error('network down')) };
    await expect(loadRiskModel(throwing)).rejects.toThrow(/network down/);
    const gone = await riskModelFromArtifacts(riskModelToArtifacts(model));
    gone.model.dispose();
    expect(() => riskModelToArtifacts(gone.model)).toThrow(DisposedError);
  });
});

describe('version-2 risk models (before the GAM member) still load', () => {
  it('from JSON and from artifacts, scoring exactly as the same model without the GAM', async () => {
    const noGam = await buildRiskModel(train, { target: 'Class', members: 2, hidden: [3], epochs: 2, patience: 1, backgroundSize: 3, seed: 4, pleBins: 0 });
    try {
      expect(noGam.gam).toBeNull();
      const v2Parts = (params: Record<string, unknown>, combiner: Record<string, unknown>, validation: Record<string, unknown>): void => {
        for (const k of ['pleBins', 'pleMaxColumns', 'gamL2']) delete params[k];
        delete combiner.gamWeight;
        delete combiner.ple;
        delete validation.gamWeight;
      };
      const json = JSON.parse(JSON.stringify(noGam.toJSON())) as { version: number; params: Record<string, unknown>; state: Record<string, Record<string, unknown>> };
      json.version = 2;
      delete json.state.gam;
      v2Parts(json.params, json.state.combiner as Record<string, unknown>, json.state.validation as Record<string, unknown>);
      const a = clone(riskModelToArtifacts(noGam, { createdAt: CREATED }));
      const f = finmlOf(a);
      f.version = 2;
      delete f.gam;
      v2Parts(f.params as Record<string, unknown>, f.combiner as Record<string, unknown>, f.validation as Record<string, unknown>);
      // Re-seal, as a version-2 writer would have.
      delete f.integrity;
      f.integrity = computeIntegrity(a.modelTopology, a.weightSpecs, { ...f }, a.weightData as ArrayBuffer);
      for (const back of [await riskModelFromJSON(json), (await riskModelFromArtifacts(a)).model]) {
        expect(Array.from(back.score(test))).toEqual(Array.from(noGam.score(test)));
        expect(back.gam).toBeNull();
        expect(back.params.pleBins).toBe(0);
        expect(back.combiner.gamWeight).toBe(0);
        expect(back.validation.gamWeight).toBe(0);
        back.dispose();
      }
      // A version-3 envelope must carry its GAM fields.
      const v3 = JSON.parse(JSON.stringify(noGam.toJSON())) as { state: Record<string, unknown> };
      delete v3.state.gam;
      await expect(riskModelFromJSON(v3)).rejects.toThrow(/gam/);
    } finally {
      noGam.dispose();
    }
  });
});

describe('corrupt artifacts → SerializationError, no leaked tensors', () => {
  let good: tf.io.ModelArtifacts;
  beforeAll(() => {
    good = riskModelToArtifacts(model, { createdAt: CREATED });
  });
  const withFinml = (patch: (f: Record<string, unknown>) => void): tf.io.ModelArtifacts => {
    const a = clone(good);
    patch(finmlOf(a));
    return a;
  };

  it('truncated or oversized weights', async () => {
    const w = good.weightData as ArrayBuffer;
    await expectCorrupt(() => riskModelFromArtifacts({ ...clone(good), weightData: w.slice(0, w.byteLength - 4) }), /weightData.*truncated/);
    await expectCorrupt(() => riskModelFromArtifacts({ ...clone(good), weightData: new ArrayBuffer(w.byteLength + 8) }), /weightData/);
    const { weightData: _omit, ...noWeights } = clone(good);
    void _omit;
    await expectCorrupt(() => riskModelFromArtifacts(noWeights), /weightData/);
  });

  it('wrong format or version; a single-model bundle is named as such', async () => {
    await expectCorrupt(() => riskModelFromArtifacts(withFinml((f) => (f.format = 'something-else'))), /format/);
    await expectCorrupt(() => riskModelFromArtifacts(withFinml((f) => (f.version = 1))), /version/);
    const { userDefinedMetadata: _u, ...plain } = clone(good);
    void _u;
    await expectCorrupt(() => riskModelFromArtifacts(plain), /finml-risk-model/);
    await expectCorrupt(() => riskModelFromArtifacts(null as never), /artifacts/);
    const single = bundleToArtifacts({ model: model.members[0] as RiskModel['members'][number] });
    await expectCorrupt(() => riskModelFromArtifacts(single), /loadBundle/);
  });

  it('missing or malformed JSON fields', async () => {
    await expectCorrupt(() => riskModelFromArtifacts(withFinml((f) => delete f.pipeline)), /tabularPipelineFromJSON|pipeline/i);
    await expectCorrupt(() => riskModelFromArtifacts(withFinml((f) => ((f.explainer as { state: unknown }).state = 3))), /kernelShap|state/i);
    await expectCorrupt(() => riskModelFromArtifacts(withFinml((f) => delete f.validation)), /validation/);
    await expectCorrupt(() => riskModelFromArtifacts(withFinml((f) => delete f.combiner)), /combiner/);
    await expectCorrupt(() => riskModelFromArtifacts(withFinml((f) => ((f.combiner as Record<string, unknown>).slope = 'x'))), /combiner/);
    await expectCorrupt(() => riskModelFromArtifacts(withFinml((f) => delete f.baseline)), /baseline/);
    await expectCorrupt(() => riskModelFromArtifacts(withFinml((f) => delete f.gam)), /gam/);
    await expectCorrupt(() => riskModelFromArtifacts(withFinml((f) => (f.gam = f.baseline))), /gam/);
    await expectCorrupt(() => riskModelFromArtifacts(withFinml((f) => ((f.combiner as Record<string, unknown>).gamWeight = 1.5))), /combiner/);
    await expectCorrupt(() => riskModelFromArtifacts(withFinml((f) => ((f.combiner as { ple: { edges: number[][] } }).ple.edges[0] = [1, 0]))), /combiner/);
    await expectCorrupt(() => riskModelFromArtifacts(withFinml((f) => ((f.combiner as { ple: { columns: number[] } }).ple.columns = []))), /combiner/);
    await expectCorrupt(() => riskModelFromArtifacts(withFinml((f) => ((f.metadata as Record<string, unknown>).positive = 'Good'))), /positive/);
    await expectCorrupt(() => riskModelFromArtifacts(withFinml((f) => ((f.params as Record<string, unknown>).members = -1))), /params/);
    await expectCorrupt(() => riskModelFromArtifacts(withFinml((f) => delete (f.metadata as Record<string, unknown>).createdAt)), /createdAt/);
    await expectCorrupt(() => riskModelFromArtifacts(withFinml((f) => ((f.metadata as Record<string, unknown>).classes = ['Bad', 'Good']))), /metadata.*classes/);
    await expectCorrupt(() => riskModelFromArtifacts(withFinml((f) => ((f.metadata as Record<string, unknown>).featureNames = ['x']))), /featureNames/);
    await expectCorrupt(() => riskModelFromArtifacts(withFinml((f) => (((f.members as { state: Record<string, unknown> }[])[1] as { state: Record<string, unknown> }).state.inputShape = [3]))), /members\[1\]|inputShape|topology/);
    const badSpecs = clone(good);
    badSpecs.weightSpecs = (badSpecs.weightSpecs ?? []).map((s) => ({ ...s, name: s.name.replace(/^member\d+\//, '') }));
    await expectCorrupt(() => riskModelFromArtifacts(badSpecs), /weightSpecs\[0\]\.name/);
    const badTopo = clone(good);
    ((badTopo.modelTopology as { members: unknown[] }).members as unknown[])[2] = { class_name: 'Nope', config: {} };
    await expectCorrupt(() => riskModelFromArtifacts(badTopo), /modelTopology/);
    const reshaped = clone(good);
    const first = (reshaped.weightSpecs ?? [])[0] as tf.io.WeightsManifestEntry;
    first.shape = [first.shape.reduce((p, d) => p * d, 1)]; // same bytes, wrong shape for the layer
    await expectCorrupt(() => riskModelFromArtifacts(reshaped), /weights matching/);
  });

  it('member count mismatch between envelopes, topologies, weight specs and metadata', async () => {
    await expectCorrupt(() => riskModelFromArtifacts(withFinml((f) => (f.members as unknown[]).pop())), /metadata\.members/);
    await expectCorrupt(
      () =>
        riskModelFromArtifacts(
          withFinml((f) => {
            (f.members as unknown[]).pop();
            (f.metadata as Record<string, unknown>).members = 2;
          }),
        ),
      /modelTopology\.members/,
    );
    const fewerTopo = clone(good);
    (fewerTopo.modelTopology as { members: unknown[] }).members.pop();
    await expectCorrupt(() => riskModelFromArtifacts(fewerTopo), /modelTopology\.members/);
    // Drop member 2's weights (specs and bytes consistently): the manifest now covers 2 members.
    const two = clone(good);
    const keep = (two.weightSpecs ?? []).filter((s) => !s.name.startsWith('member2/'));
    const bytes = keep.reduce((a, s) => a + 4 * s.shape.reduce((p, d) => p * d, 1), 0);
    two.weightSpecs = keep;
    two.weightData = (two.weightData as ArrayBuffer).slice(0, bytes);
    await expectCorrupt(() => riskModelFromArtifacts(two), /no weights for member 2/);
  });

  it('file store: truncated weights.bin, unparseable bundle.json, missing files', async () => {
    const d = join(dir, 'corrupt');
    await saveRiskModel(model, fileBundleStore(d));
    const size = (await readFile(join(d, 'weights.bin'))).byteLength;
    await truncate(join(d, 'weights.bin'), size - 16);
    await expectCorrupt(() => loadRiskModel(fileBundleStore(d)), /weights\.bin.*truncated/);
    await saveRiskModel(model, fileBundleStore(d));
    await writeFile(join(d, 'bundle.json'), '{"format": "finml-risk');
    await expectCorrupt(() => loadRiskModel(fileBundleStore(d)), /bundle\.json/);
    await expectCorrupt(() => loadRiskModel(fileBundleStore(join(dir, 'nothing-here'))), /model\.json/);
  });

  it('the JSON envelope path (riskModelFromJSON, same restore code) still round-trips', async () => {
    const env: unknown = JSON.parse(JSON.stringify(model.toJSON()));
    const back = await riskModelFromJSON(env);
    expect(Array.from(back.score(test))).toEqual(Array.from(model.score(test)));
    back.dispose();
  });
});
