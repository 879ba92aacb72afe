/**
 * Shared cases (cpu and wasm): a training paused before some epoch and resumed — on a rebuilt
 * model, from a structured clone of the checkpoint, as another worker does — ends exactly as one
 * uninterrupted `trainModel` call.
 */
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { expect, it } from 'vitest';
import { createRng } from '../../src/core/random';
import { InvalidOptionError } from '../../src/core/errors';
import { SeededDropout } from '../../src/models/seededDropout';
import { runTraining, trainModel, type TrainOptions, type TrainResult } from '../../src/train/trainModel';
import type { TrainCheckpoint } from '../../src/train/_internal/checkpoint';
import { expectNoLeak } from '../helpers/leak';

type Build = () => tfl.LayersModel;

const init = (seed: number): ReturnType<typeof tfl.initializers.glorotUniform> => tfl.initializers.glorotUniform({ seed });

const denseChain: Build = () =>
  tfl.sequential({
    layers: [
      tfl.layers.dense({ inputShape: [4], units: 8, activation: 'relu', kernelInitializer: init(1), kernelRegularizer: tfl.regularizers.l2({ l2: 1e-3 }) }),
      new SeededDropout({ rate: 0.2, seed: 3 }),
      tfl.layers.dense({ units: 1, activation: 'sigmoid', kernelInitializer: init(2) }),
    ],
  });

// batch norm keeps this model on the tape, and adds non-trainable weights (moving statistics)
const batchNormChain: Build = () =>
  tfl.sequential({
    layers: [
      tfl.layers.dense({ inputShape: [4], units: 6, activation: 'linear', kernelInitializer: init(4) }),
      tfl.layers.batchNormalization(),
      new SeededDropout({ rate: 0.1, seed: 5 }),
      tfl.layers.dense({ units: 1, activation: 'sigmoid', kernelInitializer: init(6) }),
    ],
  });

function problem(n: number): { x: number[][]; y: number[] } {
  const rng = createRng(11);
  const x = Array.from({ length: n }, () => [rng.normal(), rng.normal(), rng.normal(), rng.normal()]);
  const y = x.map((r) => (r[0]! + 0.5 * r[1]! * r[2]! + 0.3 * rng.normal() > 0 ? 1 : 0));
  return { x, y };
}

const weightsOf = (m: tfl.LayersModel): Float32Array[] => m.weights.map((w) => Float32Array.from(w.read().dataSync() as Float32Array));

async function uninterrupted(build: Build, options: Partial<TrainOptions>): Promise<{ result: TrainResult; weights: Float32Array[] }> {
  const { x, y } = problem(96);
  const m = build();
  try {
    const result = await trainModel(m, x, y, options);
    return { result, weights: weightsOf(m) };
  } finally {
    m.dispose();
  }
}

/** Pauses before each epoch in `pauses` in turn, each segment on a new model from a cloned checkpoint. */
async function inSegments(build: Build, options: Partial<TrainOptions>, pauses: readonly number[]): Promise<{ result: TrainResult; weights: Float32Array[] }> {
  const { x, y } = problem(96);
  let cp: TrainCheckpoint | null = null;
  for (const pauseBefore of [...pauses, null]) {
    const m = build();
    try {
      const end = await runTraining(m, x, y, options, { resumeFrom: cp === null ? null : structuredClone(cp), pauseBefore }, 'trainModel');
      if (end.result !== null) return { result: end.result, weights: weightsOf(m) };
      cp = end.checkpoint;
    } finally {
      m.dispose();
    }
  }
  throw new Error('the last segment did not end the training');
}

const CASES: [string, Build, Partial<TrainOptions>][] = [
  ['a dense chain (tape-free step), Adam, dropout, L2, validation, plateau', denseChain, { epochs: 7, batchSize: 16, learningRate: 0.02, validationSplit: 0.25, validationMode: 'shuffled', metrics: ['accuracy'], reduceLrOnPlateau: { patience: 1, factor: 0.5 }, seed: 7 }],
  ['early stopping with the best weights restored', denseChain, { epochs: 12, batchSize: 16, learningRate: 0.05, validationSplit: 0.25, earlyStopping: { patience: 2 }, seed: 8 }],
  ['batch norm on the tape, RMSProp, a schedule', batchNormChain, { epochs: 6, batchSize: 32, optimizer: 'rmsprop', learningRate: 0.01, lrSchedule: (e, lr) => (e === 3 ? lr / 2 : lr), seed: 9 }],
  ['SGD without shuffling, class weights', denseChain, { epochs: 5, batchSize: 24, optimizer: 'sgd', learningRate: 0.1, shuffle: false, classWeight: 'balanced', seed: 10 }],
];

export function pausedTrainingResumesExactly(): void {
  for (const [what, build, options] of CASES) {
    it(`resumes bit for bit: ${what}`, async () => {
      const whole = await uninterrupted(build, options);
      for (const pauses of [[1], [3], [2, 4]]) {
        const parts = await inSegments(build, options, pauses);
        expect(parts.result, `pauses ${pauses.join(',')}`).toEqual(whole.result);
        parts.weights.forEach((w, i) => expect(Array.from(w), `weight ${i}, pauses ${pauses.join(',')}`).toEqual(Array.from(whole.weights[i] as Float32Array)));
      }
    });
  }

  it('ends normally when training stops before the pause, and leaks nothing', async () => {
    const options: Partial<TrainOptions> = { epochs: 30, batchSize: 16, learningRate: 0.2, validationSplit: 0.25, earlyStopping: { patience: 1 }, seed: 8 };
    const whole = await uninterrupted(denseChain, options);
    expect(whole.result.stopReason).toBe('earlyStopping');
    const { x, y } = problem(96);
    const models: tfl.LayersModel[] = [];
    const fresh = (): tfl.LayersModel => {
      models.push(denseChain());
      return models[models.length - 1] as tfl.LayersModel;
    };
    const drop = (m: tfl.LayersModel): void => {
      models.splice(models.indexOf(m), 1);
      m.dispose();
    };
    for (let i = 0; i < 2; i++) drop(fresh()); // tfjs-layers' first models create lasting state
    try {
      await expectNoLeak(async () => {
        const m = fresh();
        const end = await runTraining(m, x, y, options, { resumeFrom: null, pauseBefore: 29 }, 'trainModel');
        expect(end.checkpoint).toBeNull();
        expect(end.result).toEqual(whole.result);
        const paused = await runTraining(m, x, y, { ...options, earlyStopping: null }, { resumeFrom: null, pauseBefore: 2 }, 'trainModel');
        expect(paused.result).toBeNull();
        expect(paused.checkpoint?.nextEpoch).toBe(2);
        const again = await runTraining(m, x, y, { ...options, earlyStopping: null }, { resumeFrom: paused.checkpoint, pauseBefore: null }, 'trainModel');
        expect(again.result?.epochs).toBe(30);
        drop(m);
      });
    } finally {
      for (const m of models) m.dispose();
    }
  });

  it('refuses a checkpoint of other options, data or model with a typed error', async () => {
    const { x, y } = problem(96);
    const options: Partial<TrainOptions> = { epochs: 4, batchSize: 16, seed: 3 };
    const m = denseChain();
    const other = batchNormChain();
    try {
      const end = await runTraining(m, x, y, options, { resumeFrom: null, pauseBefore: 2 }, 'trainModel');
      const cp = end.checkpoint as TrainCheckpoint;
      const resume = (model: tfl.LayersModel, o: Partial<TrainOptions>, c: unknown, xs = x, ys = y): Promise<unknown> =>
        runTraining(model, xs, ys, o, { resumeFrom: c as TrainCheckpoint, pauseBefore: null }, 'trainModel');
      await expect(resume(m, { ...options, batchSize: 8 }, cp)).rejects.toThrow(/resumeFrom\.fingerprint\.batchSize/);
      await expect(resume(m, { ...options, seed: 4 }, cp)).rejects.toThrow(/resumeFrom\.fingerprint\.seed/);
      await expect(resume(m, options, cp, x.slice(1), y.slice(1))).rejects.toThrow(/resumeFrom\.fingerprint\.nTrain/);
      await expect(resume(other, options, cp)).rejects.toThrow(InvalidOptionError);
      await expect(resume(m, { ...options, optimizer: 'sgd' }, cp)).rejects.toThrow(/fingerprint\.optimizer/);
      await expect(resume(m, options, { ...cp, nextEpoch: 4 })).rejects.toThrow(/resumeFrom\.nextEpoch/);
      await expect(resume(m, options, { format: 'other' })).rejects.toThrow(/resumeFrom.*trainModel.*training checkpoint/);
      expect(tf.memory().numTensors).toBeGreaterThan(0);
    } finally {
      m.dispose();
      other.dispose();
    }
  });
}
