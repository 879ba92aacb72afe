import { fileURLToPath } from 'node:url';
import * as tf from '@tensorflow/tfjs-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SerializationError } from '../../src/core/errors';
import { takeRows } from '../../src/data/takeRows';
import { readCsv } from '../../src/node/index';
import { buildRiskModel } from '../../src/presets/riskModel';
import type { RiskModel } from '../../src/presets/buildRiskModel';
import { riskModelFromArtifacts, riskModelToArtifacts } from '../../src/presets/saveRiskModel';

const path = fileURLToPath(new URL('../../data/german_credit.csv', import.meta.url));
let model: RiskModel;

beforeAll(async () => {
  const credit = await readCsv(path);
  const small = takeRows(credit, Array.from({ length: 120 }, (_, i) => i));
  model = await buildRiskModel(small, { target: 'Class', members: 2, hidden: [3], epochs: 1, patience: 1, backgroundSize: 4, seed: 3 });
});

afterAll(() => model.dispose());

describe('risk model content hashes', () => {
  it('are written at save time and catch same-size corruption of weights and JSON', async () => {
    const a = riskModelToArtifacts(model);
    const finml = (a.userDefinedMetadata as { finml: { integrity: { algorithm: string; weights: string } } }).finml;
    expect(finml.integrity.algorithm).toBe('sha256');
    expect(finml.integrity.weights).toMatch(/^[0-9a-f]{64}$/);
    const ok = await riskModelFromArtifacts(a);
    ok.model.dispose();
    const flipped = new Uint8Array((a.weightData as ArrayBuffer).slice(0));
    flipped[3] = (flipped[3] as number) ^ 0x80;
    await expect(riskModelFromArtifacts({ ...a, weightData: flipped.buffer })).rejects.toThrow(/SHA-256/);
    const edited = structuredClone(a.userDefinedMetadata) as { finml: { validation: Record<string, number> } };
    const key = Object.keys(edited.finml.validation)[0] as string;
    edited.finml.validation[key] = 0.99;
    const before = tf.memory().numTensors;
    await expect(riskModelFromArtifacts({ ...a, userDefinedMetadata: edited as never })).rejects.toBeInstanceOf(SerializationError);
    expect(tf.memory().numTensors).toBe(before);
  });
});
