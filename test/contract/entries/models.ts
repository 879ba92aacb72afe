import { tabularGan, tabularGanFromJSON } from '../../../src/gan/tabularGan';
import type { FittedTabularGan, TabularGan } from '../../../src/gan/tabularGan';
import { returnsGan, returnsGanFromJSON } from '../../../src/gan/ganReturns';
import type { FittedReturnsGan, ReturnsGan } from '../../../src/gan/ganReturns';
import { defineCase } from '../types';
import type { ContractCase } from '../types';

type M = number[][];
const x: M = [
  [0.1, 1.2], [0.9, -0.4], [1.7, 0.3], [2.2, 1.9], [-0.5, 0.8], [1.1, -1.3], [0.4, 0.2], [2.8, -0.7],
  [0.6, 0.9], [1.4, -0.2], [0.2, 0.5], [1.9, 1.1],
];

/** Daily-like returns with volatility bursts (a closed form, no randomness). */
const returns: number[] = Array.from({ length: 48 }, (_, t) => 0.01 * Math.sin(1.7 * t) * (1 + (t % 12 < 3 ? 2 : 0)) + 0.002 * Math.cos(0.3 * t));

/** Contract cases for src/models/ and src/gan/. */
export const modelsCases: ContractCase[] = [
  defineCase<TabularGan, FittedTabularGan, M, undefined>({
    name: 'tabularGan',
    kind: 'TabularGan',
    make: (seed) => tabularGan({ epochs: 2, batchSize: 6, latentDim: 2, generatorHidden: [4], discriminatorHidden: [4], seed }),
    data: () => ({
      x,
      xWrongWidth: x.map((r) => [...r, 1]),
      xNaN: x.map((r, i) => (i === 3 ? [Number.NaN, r[1] as number] : r)),
      xEmpty: [] as M,
    }),
    // Minibatch training: the seeded shuffle permutes row positions, so a permuted copy trains on other batches.
    tags: { orderDependentFit: true },
    fit: (s, xx) => s.fit(xx),
    output: (f, xx) => [...f.score(xx), ...f.sample(3).flat()],
    outputRows: (f, xx) => f.score(xx).map((v) => [v]),
    construct: (p) => tabularGan(p as never),
    invalidParams: {
      latentDim: 0,
      generatorHidden: [4, 0],
      discriminatorHidden: [0],
      epochs: 0,
      batchSize: 2.5,
      learningRate: 0,
      labelSmoothing: 0.5,
      normalization: 'minmax',
      maxQuantiles: 1,
      momentWeight: -1,
      cdfWeight: -1,
      calibrate: 'yes',
      categorical: [-1],
      frequencyWeight: -1,
      gumbelTau: 0,
      seed: Number.NaN,
    },
    callUnfitted: (s, xx) => (s.score as unknown as (a: M) => unknown)(xx),
    roundTrip: (f) => tabularGanFromJSON(JSON.parse(JSON.stringify(f.toJSON()))),
    dispose: (f) => f.dispose(),
  }),
  defineCase<ReturnsGan, FittedReturnsGan, number[], undefined>({
    name: 'returnsGan',
    kind: 'ReturnsGan',
    make: (seed) => returnsGan({ seqLength: 6, stride: 2, epochs: 2, batchSize: 8, latentDim: 2, generatorHidden: [4], discriminatorHidden: [4], acfLags: 2, seed }),
    data: () => ({
      x: returns,
      xNaN: returns.map((v, i) => (i === 5 ? Number.NaN : v)),
      xEmpty: [] as number[],
    }),
    // A return series: rows are time steps (score gives one value per window start); it has no width.
    tags: { sequential: true, noWidthCheck: true },
    fit: (s, xx) => s.fit(xx),
    output: (f, xx) => [...f.score(xx), ...f.sample(3).flat()],
    outputRows: (f, xx) => f.score(xx).map((v) => [v]),
    construct: (p) => returnsGan(p as never),
    invalidParams: {
      seqLength: 1,
      stride: 0,
      marginal: 'uniform',
      calibrate: 1,
      generator: 'gru',
      latentDim: 0,
      generatorHidden: [0],
      discriminatorHidden: [2.5],
      epochs: 0,
      batchSize: -1,
      learningRate: 0,
      momentWeight: -1,
      acfWeight: Number.NaN,
      acfLags: 0,
      seed: 0.5,
    },
    callUnfitted: (s, xx) => (s.score as unknown as (a: number[]) => unknown)(xx),
    roundTrip: (f) => returnsGanFromJSON(JSON.parse(JSON.stringify(f.toJSON()))),
    dispose: (f) => f.dispose(),
  }),
];
