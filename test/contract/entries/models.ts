import { tabularGan, tabularGanFromJSON } from '../../../src/gan/tabularGan';
import type { FittedTabularGan, TabularGan } from '../../../src/gan/tabularGan';
import { defineCase } from '../types';
import type { ContractCase } from '../types';

type M = number[][];
const x: M = [
  [0.1, 1.2], [0.9, -0.4], [1.7, 0.3], [2.2, 1.9], [-0.5, 0.8], [1.1, -1.3], [0.4, 0.2], [2.8, -0.7],
  [0.6, 0.9], [1.4, -0.2], [0.2, 0.5], [1.9, 1.1],
];

/** Contract cases for src/models/. */
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
];
