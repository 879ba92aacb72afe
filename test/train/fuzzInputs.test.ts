/**
 * Fuzzing hostile inputs (fast-check, fixed seeds): tables and options for tabularPipeline
 * (fit, transform, transformTarget, JSON round trip) and tfjs artifacts for bundleFromArtifacts /
 * loadBundle (mutated JSON fields, random topologies, weight specs and bytes). Every input either
 * succeeds or raises a finml typed error: never a raw error, a hang (> 10 s) or a tensor leak.
 */
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as fc from 'fast-check';
import * as tf from '@tensorflow/tfjs-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FinmlError } from '../../src/core/errors';
import { createRng } from '../../src/core/random';
import type { Column, Table } from '../../src/data/table';
import { tabularPipeline, tabularPipelineFromJSON } from '../../src/data/tabularPipeline';
import { bundleFromArtifacts, bundleToArtifacts, loadBundle, memoryBundleStore, saveBundle } from '../../src/io/bundle';
import { fileBundleStore } from '../../src/node/fileBundleStore';
import { neuralClassifier, type FittedNeuralClassifier } from '../../src/models/neuralModel';
import { computeIntegrity } from '../../src/io/_internal/artifactIO';

const HANG_MS = 10_000;

/** Runs `f`; a non-finml error or a hang fails the property. Returns 'ok' or the error class. */
async function typedOrOk(f: () => unknown): Promise<string> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const hang = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`hang: no answer within ${HANG_MS} ms`)), HANG_MS);
  });
  try {
    await Promise.race([Promise.resolve().then(f), hang]);
    return 'ok';
  } catch (e) {
    if (e instanceof FinmlError) return e.constructor.name;
    throw e;
  } finally {
    clearTimeout(timer);
  }
}

// ---------- tabularPipeline ----------

const weirdString = fc.oneof(
  fc.constantFrom('', ' ', 'a', 'b', 'c', 'NaN', 'null', '__proto__', 'constructor', 'toString', '=1+1', '\u0000', '\u001b[2J', 'é', '💥', 'Purpose=car'),
  fc.string({ maxLength: 6 }),
);
const weirdNumber = fc.oneof(
  { weight: 1, arbitrary: fc.double() },
  { weight: 1, arbitrary: fc.constantFrom(Number.NaN, Infinity, -Infinity, 0, -0, 1e308, -1.7e308, 5e-324) },
  { weight: 8, arbitrary: fc.integer({ min: -5, max: 5 }) },
);
const plainNumber = fc.oneof(fc.integer({ min: -50, max: 50 }), fc.constant(Number.NaN));
const plainString = fc.constantFrom('a', 'b', 'c');

const column = (n: number): fc.Arbitrary<Column> =>
  fc.oneof(
    fc.record({ kind: fc.constant('numeric' as const), name: fc.constantFrom('x1', 'x2', 'y'), values: fc.array(plainNumber, { minLength: n, maxLength: n }).map((v) => Float64Array.from(v)) }),
    fc.record({ kind: fc.constant('categorical' as const), name: fc.constantFrom('c1', 'c2', 'y'), values: fc.array(fc.option(plainString, { nil: null, freq: 6 }), { minLength: n, maxLength: n }) }),
    fc.record({ kind: fc.constant('numeric' as const), name: weirdString, values: fc.array(weirdNumber, { minLength: n, maxLength: n }).map((v) => Float64Array.from(v)) }),
    fc.record({ kind: fc.constant('categorical' as const), name: weirdString, values: fc.array(fc.option(weirdString, { nil: null, freq: 5 }), { minLength: n, maxLength: n }) }),
  );

const table: fc.Arbitrary<Table> = fc.integer({ min: 0, max: 12 }).chain((n) =>
  fc.oneof(
    { weight: 6, arbitrary: fc.uniqueArray(column(n), { minLength: 1, maxLength: 5, selector: (c) => c.name }).map((columns) => ({ nRows: n, columns })) },
    { weight: 2, arbitrary: fc.array(column(n), { minLength: 0, maxLength: 5 }).map((columns) => ({ nRows: n, columns })) },
    // Malformed tables: wrong nRows, a column of another length, a non-table.
    { weight: 1, arbitrary: fc.array(column(n), { minLength: 1, maxLength: 3 }).map((columns) => ({ nRows: n + 1, columns })) },
    { weight: 1, arbitrary: fc.constantFrom<unknown>(null, {}, { nRows: -1, columns: [] }, { nRows: 1, columns: [{ kind: 'numeric', name: 'x', values: [1] }] }).map((t) => t as Table) },
  ),
);

const options = fc.oneof(
  // Plausible options (mostly valid).
  fc.record(
    {
      target: fc.constantFrom('y', null),
      numeric: fc.record({ impute: fc.constantFrom('mean', 'median', 'most_frequent', 'constant', null), scale: fc.constantFrom('standard', 'minmax', 'robust', null) }, { requiredKeys: [] }),
      categorical: fc.record({ impute: fc.constantFrom('most_frequent', 'constant', null), encode: fc.constantFrom('onehot', 'ordinal'), handleUnknown: fc.constantFrom('error', 'ignore'), drop: fc.constantFrom('first', null) }, { requiredKeys: [] }),
    },
    { requiredKeys: [] },
  ),
  // Hostile options.
  fc.record(
    {
      target: fc.option(weirdString, { nil: null }),
      positive: fc.option(weirdString, { nil: null }),
      drop: fc.array(weirdString, { maxLength: 2 }),
      numeric: fc.record({ impute: fc.constantFrom('mean', 'median', 'constant', null, 'bogus'), scale: fc.constantFrom('standard', 'minmax', 'robust', null, 7), fillValue: weirdNumber }, { requiredKeys: [] }),
      categorical: fc.record({ impute: fc.constantFrom('most_frequent', 'constant', null), fillValue: weirdString, extra: fc.constant(1) }, { requiredKeys: [] }),
    },
    { requiredKeys: [] },
  ),
);

describe('fuzz: tabularPipeline', () => {
  it('fit / transform / transformTarget / JSON on arbitrary tables and options: ok or a typed error', async () => {
    const seen = new Map<string, number>();
    await fc.assert(
      fc.asyncProperty(options, table, table, async (opts, fitTable, newTable) => {
        const before = tf.memory().numTensors;
        const outcome = await typedOrOk(async () => {
          const fitted = tabularPipeline(opts as never).fit(fitTable);
          const json = JSON.parse(JSON.stringify(fitted.toJSON())) as unknown;
          const copy = tabularPipelineFromJSON(json);
          const a = fitted.transform(fitTable);
          expect(copy.transform(fitTable)).toEqual(a);
          for (const row of a) for (const v of row) expect(Number.isFinite(v), `non-finite output ${v}`).toBe(true);
          if (fitted.params.target !== null) fitted.transformTarget(fitTable);
          const other = await typedOrOk(() => fitted.transform(newTable));
          seen.set(`new:${other}`, (seen.get(`new:${other}`) ?? 0) + 1);
        });
        seen.set(outcome, (seen.get(outcome) ?? 0) + 1);
        expect(tf.memory().numTensors).toBe(before);
      }),
      { numRuns: 400, seed: 20261202 },
    );
    // The generator reaches both outcomes.
    expect(seen.get("ok") ?? 0, JSON.stringify([...seen])).toBeGreaterThan(5);
    expect([...seen.keys()].filter((k) => k !== 'ok').length).toBeGreaterThan(1);
  });

  it('tabularPipelineFromJSON on mutated envelopes: ok or a typed error', async () => {
    const rng = createRng(5);
    const t: Table = {
      nRows: 6,
      columns: [
        { kind: 'numeric', name: 'x', values: Float64Array.from([1, 2, Number.NaN, 4, 5, 6]) },
        { kind: 'categorical', name: 'c', values: ['a', 'b', null, 'a', 'c', 'b'] },
        { kind: 'categorical', name: 'y', values: ['p', 'q', 'p', 'q', 'p', 'q'] },
      ],
    };
    const base = tabularPipeline({ target: 'y' }).fit(t).toJSON();
    await fc.assert(
      fc.asyncProperty(fc.array(fc.tuple(fc.nat(), fc.jsonValue({ maxDepth: 2 })), { minLength: 1, maxLength: 3 }), async (edits) => {
        const json = structuredClone(base) as unknown as Record<string, unknown>;
        for (const [k, v] of edits) mutateAt(json, k + rng.int(1000), v);
        await typedOrOk(() => tabularPipelineFromJSON(json).transform(t));
      }),
      { numRuns: 300, seed: 7 },
    );
  });
});

/** Replaces the k-th (mod count) value in a JSON tree, depth first, with `v`. */
function mutateAt(root: Record<string, unknown>, k: number, v: unknown): void {
  const slots: [Record<string, unknown> | unknown[], string | number][] = [];
  const walk = (node: unknown): void => {
    if (Array.isArray(node)) node.forEach((c, i) => (slots.push([node, i]), walk(c)));
    else if (typeof node === 'object' && node !== null) for (const [key, c] of Object.entries(node)) (slots.push([node as Record<string, unknown>, key]), walk(c));
  };
  walk(root);
  if (slots.length === 0) return;
  const [parent, key] = slots[k % slots.length] as [Record<string, unknown>, string];
  parent[key] = v;
}

// ---------- bundles ----------

let model: FittedNeuralClassifier;
let artifacts: tf.io.ModelArtifacts;

beforeAll(async () => {
  const x = [[0.1, 1, 0], [0.9, 0, 1], [0.2, 1, 1], [0.8, 0, 0], [0.3, 1, 0], [0.7, 0, 1]];
  model = await neuralClassifier({ model: { type: 'fnn', hidden: [3] }, train: { epochs: 1 }, seed: 1 }).fit(x, [0, 1, 0, 1, 0, 1]);
  artifacts = bundleToArtifacts({ model, metadata: { featureNames: ['a', 'b', 'c'] } });
});

afterAll(() => model.dispose());

/** Re-seals artifacts (recomputes the content hashes), as a deliberate forger would, so the fuzzed content reaches the deeper checks. */
function reseal(a: tf.io.ModelArtifacts): tf.io.ModelArtifacts {
  const finml = (a.userDefinedMetadata as { finml?: unknown } | undefined)?.finml;
  if (typeof finml !== 'object' || finml === null || Array.isArray(finml) || !(a.weightData instanceof ArrayBuffer)) return a;
  const { integrity: _i, ...rest } = finml as Record<string, unknown>;
  void _i;
  return { ...a, userDefinedMetadata: { finml: { ...rest, integrity: computeIntegrity(a.modelTopology, a.weightSpecs, rest, a.weightData) } as never } };
}

const layerClass = fc.constantFrom('InputLayer', 'Dense', 'BatchNormalization', 'Activation', 'SeededDropout', 'Dropout', 'LSTM', 'GRU', 'SimpleRNN', 'PortableConv1D', 'Conv1D', 'MaxPooling1D', 'Flatten', 'Reshape', 'Lambda', 'Bidirectional');
const dim = fc.oneof(fc.integer({ min: 1, max: 8 }), fc.constantFrom(0, -1, null, 1e9, 2 ** 31, 1.5, 'x' as unknown as number));
const layer = fc.record({
  class_name: layerClass,
  config: fc.record(
    {
      name: fc.string({ maxLength: 4 }),
      units: dim,
      filters: dim,
      kernel_size: dim,
      pool_size: dim,
      strides: dim,
      target_shape: fc.array(dim, { maxLength: 3 }),
      batch_input_shape: fc.array(dim, { maxLength: 4 }).map((d) => [null, ...d]),
      use_bias: fc.boolean(),
      return_sequences: fc.boolean(),
      activation: fc.constantFrom('relu', 'sigmoid', 'linear', 'bogus'),
      padding: fc.constantFrom('valid', 'same', 'causal', 'weird'),
      rate: fc.double({ min: -1, max: 2 }),
    },
    { requiredKeys: ['name'] },
  ),
});

const artifactMutation: fc.Arbitrary<(a: tf.io.ModelArtifacts) => tf.io.ModelArtifacts> = fc.oneof(
  // A random topology; weight specs and bytes kept or emptied.
  fc.tuple(fc.array(layer, { minLength: 1, maxLength: 5 }), fc.boolean()).map(([layers, empty]) => (a: tf.io.ModelArtifacts) =>
    reseal({ ...a, modelTopology: { class_name: 'Sequential', config: { name: 'f', layers } }, ...(empty && { weightSpecs: [], weightData: new ArrayBuffer(0) }) }),
  ),
  // Random weight specs.
  fc.array(fc.record({ name: fc.string({ maxLength: 8 }), shape: fc.array(dim, { maxLength: 3 }), dtype: fc.constantFrom('float32', 'int32', 'string') }), { maxLength: 4 }).map((specs) => (a: tf.io.ModelArtifacts) =>
    reseal({ ...a, weightSpecs: specs as tf.io.WeightsManifestEntry[] }),
  ),
  // Flipped, truncated or NaN-filled weight bytes (sealed or not).
  fc.tuple(fc.nat(), fc.integer({ min: 0, max: 255 }), fc.constantFrom('flip', 'truncate', 'nan', 'extend'), fc.boolean()).map(([at, byte, how, sealed]) => (a: tf.io.ModelArtifacts) => {
    const src = new Uint8Array(a.weightData as ArrayBuffer);
    let b = src.slice();
    if (how === 'flip' && b.length > 0) b[at % b.length] = byte;
    if (how === 'truncate') b = b.slice(0, at % (b.length + 1));
    if (how === 'nan') b = new Uint8Array(new Float32Array(b.length >> 2).fill(Number.NaN).buffer);
    if (how === 'extend') b = Uint8Array.from([...b, byte, byte, byte, byte]);
    const out = { ...a, weightData: b.buffer };
    return sealed ? reseal(out) : out;
  }),
  // Any JSON value at any position of the finml part or the topology (sealed or not).
  fc.tuple(fc.nat(), fc.jsonValue({ maxDepth: 2 }), fc.boolean(), fc.boolean()).map(([k, v, inTopology, sealed]) => (a: tf.io.ModelArtifacts) => {
    const copy = structuredClone({ modelTopology: a.modelTopology, userDefinedMetadata: a.userDefinedMetadata }) as { modelTopology: Record<string, unknown>; userDefinedMetadata: { finml: Record<string, unknown> } };
    mutateAt(inTopology ? copy.modelTopology : copy.userDefinedMetadata.finml, k, v);
    const out = { ...a, modelTopology: copy.modelTopology, userDefinedMetadata: copy.userDefinedMetadata as never };
    return sealed ? reseal(out) : out;
  }),
  // Not artifacts at all.
  fc.constantFrom<unknown>(null, 42, 'model', [], {}, { userDefinedMetadata: { finml: { format: 'finml-bundle', version: 2 } } }).map((v) => () => v as tf.io.ModelArtifacts),
);

describe('fuzz: loadBundle / bundleFromArtifacts', () => {
  it('mutated artifacts load or raise a typed error, never a raw error, a hang or a leak', async () => {
    const seen = new Map<string, number>();
    await fc.assert(
      fc.asyncProperty(fc.array(artifactMutation, { minLength: 1, maxLength: 2 }), async (mutations) => {
        const isObj = (v: unknown): boolean => typeof v === 'object' && v !== null && !Array.isArray(v);
        const a = mutations.reduce((acc, m) => (isObj(acc) ? m(acc) : acc), artifacts);
        const before = tf.memory().numTensors;
        const outcome = await typedOrOk(async () => {
          const l = await bundleFromArtifacts(a);
          l.model.dispose();
        });
        seen.set(outcome, (seen.get(outcome) ?? 0) + 1);
        expect(tf.memory().numTensors, 'tensor leak').toBe(before);
      }),
      { numRuns: 600, seed: 42 },
    );
    expect(seen.get('SerializationError') ?? 0).toBeGreaterThan(100);
    // Also through a handler: a load that throws raw becomes a SerializationError.
    expect(await typedOrOk(() => loadBundle({ load: () => Promise.reject(new RangeError('boom')) }))).toBe('SerializationError');
    expect(await typedOrOk(() => loadBundle(memoryBundleStore()))).toBe('SerializationError');
  });
});

describe('fuzz: loadBundle(fileBundleStore) on damaged files', () => {
  it('garbage, truncated or spliced file contents load or raise a typed error', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'finml-fuzz-files-'));
    try {
      const good = join(dir, 'good');
      await saveBundle({ model, metadata: { featureNames: ['a', 'b', 'c'] } }, fileBundleStore(good));
      const files = ['model.json', 'weights.bin', 'bundle.json'] as const;
      const original = Object.fromEntries(await Promise.all(files.map(async (f) => [f, new Uint8Array(await readFile(join(good, f)))] as const))) as Record<(typeof files)[number], Uint8Array>;
      const target = join(dir, 'bad');
      const damage = fc.record({
        file: fc.constantFrom(...files),
        how: fc.constantFrom('random', 'truncate', 'splice', 'json'),
        at: fc.nat(),
        bytes: fc.uint8Array({ maxLength: 40 }),
        json: fc.jsonValue({ maxDepth: 3 }),
      });
      const seen = new Map<string, number>();
      await fc.assert(
        fc.asyncProperty(fc.array(damage, { minLength: 1, maxLength: 2 }), async (ds) => {
          await rm(target, { recursive: true, force: true });
          await saveBundle({ model, metadata: { featureNames: ['a', 'b', 'c'] } }, fileBundleStore(target));
          for (const d of ds) {
            const src = original[d.file];
            const at = src.length === 0 ? 0 : d.at % src.length;
            const out =
              d.how === 'random' ? d.bytes
              : d.how === 'truncate' ? src.slice(0, at)
              : d.how === 'splice' ? Uint8Array.from([...src.slice(0, at), ...d.bytes, ...src.slice(at + d.bytes.length)])
              : new TextEncoder().encode(JSON.stringify(d.json));
            await writeFile(join(target, d.file), out);
          }
          const before = tf.memory().numTensors;
          const outcome = await typedOrOk(async () => (await loadBundle(fileBundleStore(target))).model.dispose());
          seen.set(outcome, (seen.get(outcome) ?? 0) + 1);
          expect(tf.memory().numTensors, 'tensor leak').toBe(before);
        }),
        { numRuns: 80, seed: 99 },
      );
      expect(seen.get('SerializationError') ?? 0).toBeGreaterThan(50);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
