import { kernelShap, kernelShapFromJSON, type FittedKernelShap, type KernelShapSpec } from '../../../src/explain/kernelShap';
import { predictorFromFunction } from '../../../src/explain/predictorFromFunction';
import { defineCase, type ContractCase } from '../types';

type Rows = number[][];

const rows = (n: number, m: number): Rows =>
  Array.from({ length: n }, (_, i) => Array.from({ length: m }, (_, j) => Math.sin(i * 1.7 + j * 0.9) * (j + 1) + (i % 3)));

/** A fixed nonlinear scorer (with interactions) to explain. */
const score = predictorFromFunction((r) => (r[0] as number) * (r[1] as number) + Math.tanh(r[2] as number) - 0.5 * (r[3] as number) + (r[4] as number) ** 2 / 10);

/** Contract cases for src/explain/. */
export const explainCases: ContractCase[] = [
  defineCase<KernelShapSpec, FittedKernelShap, Rows, undefined>({
    name: 'kernelShap',
    kind: 'KernelShap',
    // Sampled mode (5 players > exactMaxPlayers 2) and k-means background (12 rows > 4).
    make: (seed) => kernelShap({ seed, backgroundSize: 4, exactMaxPlayers: 2, nSamples: 20 }),
    data: () => {
      const x = rows(12, 5);
      return {
        x,
        xWrongWidth: x.map((r) => r.slice(0, 4)),
        xNaN: x.map((r, i) => (i === 3 ? [r[0] as number, Number.NaN, ...r.slice(2)] : r)),
        xEmpty: [],
      };
    },
    // The k-means background summary starts from seeded picks of row positions: a permuted copy of
    // the background can converge to other centroids, so the explanations legitimately change.
    tags: { orderDependentFit: true },
    fit: (spec, x) => spec.fit(x),
    output: async (f, x) => (await f.explain(score, x)).values.flat(),
    outputRows: async (f, x) => {
      const e = await f.explain(score, x);
      return e.values.map((r, i) => [...r, e.fx[i] as number]);
    },
    construct: (p) => kernelShap(p as never),
    invalidParams: {
      nSamples: 0,
      seed: 1.5,
      link: 'probit',
      groups: [{ name: 'g', columns: [] }],
      featureNames: [1, 2],
      exactMaxPlayers: 21,
      backgroundSummary: 'median',
      backgroundSize: 0,
      maxBatchRows: 0,
    },
    callUnfitted: (spec, x) => (spec.explain as unknown as (p: unknown, x: Rows) => unknown)(score, x),
    roundTrip: (f) => kernelShapFromJSON(JSON.parse(JSON.stringify(f.toJSON())) as unknown),
  }),
];
