import { forecaster, forecasterFromJSON, type FittedForecaster, type Forecaster } from '../../../src/presets/forecaster';
import { createRng } from '../../../src/core/random';
import { defineCase, type ContractCase } from '../types';

type M = number[][];
const rng = createRng(11);
const prices: M = [[100, 20]];
for (let t = 1; t < 60; t++) {
  const p = prices[t - 1] as number[];
  prices.push([(p[0] as number) * Math.exp(0.01 * rng.normal()), (p[1] as number) * Math.exp(0.01 * rng.normal())]);
}

/** Contract cases for src/presets/. */
export const presetsCases: ContractCase[] = [
  defineCase<Forecaster, FittedForecaster, M, undefined>({
    name: 'forecaster',
    kind: 'Forecaster',
    tags: { tolerance: 0 },
    make: (seed) => forecaster({ lookback: 5, model: { type: 'rnn', cell: 'gru', units: [4] }, train: { epochs: 2, batchSize: 16 }, seed }),
    data: () => ({
      x: prices,
      xWrongWidth: prices.map((r) => [...r, 1]),
      xNaN: prices.map((r, i) => (i === 10 ? [Number.NaN, r[1] as number] : r)),
      xEmpty: [],
    }),
    fit: (s, x) => s.fit(x),
    output: (f, x) => Array.from(f.predictSeries(x).predicted),
    callUnfitted: (s) => (s.predict as unknown as () => unknown)(),
    roundTrip: (f) => forecasterFromJSON(JSON.parse(JSON.stringify(f.toJSON()))),
    dispose: (f) => f.dispose(),
  }),
];
