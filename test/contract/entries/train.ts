import { createRng } from '../../../src/core/random';
import {
  neuralClassifier,
  neuralModelFromJSON,
  neuralRegressor,
  type FittedNeuralClassifier,
  type FittedNeuralModel,
  type FittedNeuralRegressor,
  type NeuralEstimator,
} from '../../../src/models/neuralModel';
import { defineCase, type ContractCase } from '../types';

type Rows = number[][];
type Windows = number[][][];

function tabular(): { x: Rows; y: number[] } {
  const rng = createRng(11);
  const x: Rows = [];
  const y: number[] = [];
  for (let i = 0; i < 24; i++) {
    const r = [rng.normal(), rng.normal(), rng.normal()];
    x.push(r);
    y.push((r[0] as number) - (r[2] as number) > 0 ? 1 : 0);
  }
  return { x, y };
}

function windows(): { x: Windows; y: number[] } {
  const rng = createRng(12);
  const x: Windows = [];
  const y: number[] = [];
  for (let i = 0; i < 16; i++) {
    const w = Array.from({ length: 5 }, () => [rng.normal(), rng.normal()]);
    x.push(w);
    y.push(w.reduce((a, s) => a + (s[0] as number), 0) / 5);
  }
  return { x, y };
}

const roundTrip = async <F>(f: F): Promise<F> =>
  (await neuralModelFromJSON(JSON.parse(JSON.stringify((f as unknown as FittedNeuralModel).toJSON())))) as unknown as F;

/** Contract cases for src/train/. */
export const trainCases: ContractCase[] = [
  defineCase<NeuralEstimator<'NeuralClassifier'>, FittedNeuralClassifier, Rows, number[]>({
    name: 'neuralClassifier',
    kind: 'NeuralClassifier',
    make: (seed) => neuralClassifier({ model: { type: 'fnn', hidden: [4] }, train: { epochs: 2, batchSize: 8 }, seed }),
    data: () => {
      const { x, y } = tabular();
      return { x, y, xWrongWidth: x.map((r) => r.slice(0, 2)), xNaN: x.map((r, i) => (i === 3 ? [Number.NaN, 0, 0] : r)), xEmpty: [] };
    },
    // Minibatch training: the seeded shuffle permutes row positions, so a permuted copy trains on other batches.
    tags: { orderDependentFit: true },
    fit: (spec, x, y) => spec.fit(x, y as number[]),
    output: (f, x) => Array.from(f.predictProba(x)),
    outputRows: (f, x) => Array.from(f.predictProba(x), (v) => [v]),
    construct: (p) => neuralClassifier(p as never),
    // Only the model type is checked at construction; nested fields (e.g. hidden: [0]) fail later, at fit (reported gap).
    invalidParams: { model: { type: 'mlp', hidden: [4] }, train: { epochs: -1 }, seed: 0.5 },
    callUnfitted: (spec) => (spec.predictProba as () => never)(),
    roundTrip,
    dispose: (f) => f.dispose(),
  }),
  defineCase<NeuralEstimator<'NeuralRegressor'>, FittedNeuralRegressor, Windows, number[]>({
    name: 'neuralRegressor (gru on windows)',
    kind: 'NeuralRegressor',
    make: (seed) => neuralRegressor({ model: { type: 'rnn', cell: 'gru', units: [3] }, train: { epochs: 2, batchSize: 8 }, seed }),
    data: () => {
      const { x, y } = windows();
      return {
        x,
        y,
        xWrongWidth: x.map((w) => w.map((s) => [...s, 0])),
        xNaN: x.map((w, i) => (i === 2 ? w.map(() => [Number.NaN, 0]) : w)),
        xEmpty: [],
      };
    },
    // Minibatch training: the seeded shuffle permutes row positions, so a permuted copy trains on other batches.
    tags: { orderDependentFit: true },
    fit: (spec, x, y) => spec.fit(x, y as number[]),
    output: (f, x) => Array.from(f.predict(x)),
    outputRows: (f, x) => Array.from(f.predict(x), (v) => [v]),
    construct: (p) => neuralRegressor(p as never),
    invalidParams: { model: { type: 'lstm', units: [3] }, train: { batchSize: 0 }, seed: '1' },
    callUnfitted: (spec) => (spec.predict as () => never)(),
    roundTrip,
    dispose: (f) => f.dispose(),
  }),
];
