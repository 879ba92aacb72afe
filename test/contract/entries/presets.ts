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
/** A rate around zero (AR(1) level) and a spread level: both cross zero. */
const rates: M = [[0.2, -0.5]];
for (let t = 1; t < 60; t++) {
  const p = rates[t - 1] as number[];
  rates.push([0.8 * (p[0] as number) + 0.3 * rng.normal(), 0.5 * (p[1] as number) + 0.4 * rng.normal()]);
}

/** Contract cases for src/presets/. */
export const presetsCases: ContractCase[] = [
  defineCase<Forecaster, FittedForecaster, M, undefined>({
    name: 'forecaster',
    kind: 'Forecaster',
    // Rows are time steps; window starts are the output rows.
    tags: { tolerance: 0, sequential: true },
    // validationFraction 0: the network always has weight 1, so the output depends on the seed
    // (with held-out windows a random walk gives the network weight 0: the AR's seed-free forecasts).
    make: (seed) => forecaster({ lookback: 5, model: { type: 'rnn', cell: 'gru', units: [4] }, train: { epochs: 2, batchSize: 16 }, validationFraction: 0, seed }),
    data: () => ({
      x: prices,
      xWrongWidth: prices.map((r) => [...r, 1]),
      xNaN: prices.map((r, i) => (i === 10 ? [Number.NaN, r[1] as number] : r)),
      xEmpty: [],
    }),
    fit: (s, x) => s.fit(x),
    output: (f, x) => Array.from(f.predictSeries(x).predicted),
    outputRows: (f, x) => {
      const s = f.predictSeries(x);
      return Array.from(s.predicted, (v, i) => [v, s.lastPrice[i] as number, s.actual[i] as number]);
    },
    construct: (p) => forecaster(p as never),
    invalidParams: {
      lookback: 0,
      horizon: 1.5,
      targetColumn: -1,
      target: 'logReturns',
      inputTransforms: ['diff', 'log'],
      model: { type: 'arima' },
      train: { validationSplit: 0.2 },
      validationFraction: 1,
      selectionAlpha: 0,
      arMaxLag: 21,
      seed: 2 ** 60,
    },
    callUnfitted: (s) => (s.predict as unknown as () => unknown)(),
    roundTrip: (f) => forecasterFromJSON(JSON.parse(JSON.stringify(f.toJSON()))),
    dispose: (f) => f.dispose(),
  }),
  // A rate-like series that crosses zero, modelled in differences, with a level input column.
  defineCase<Forecaster, FittedForecaster, M, undefined>({
    name: 'forecaster (diff target, per-column transforms)',
    kind: 'Forecaster',
    tags: { tolerance: 0, sequential: true },
    make: (seed) =>
      forecaster({ lookback: 4, target: 'diff', inputTransforms: ['diff', 'level'], model: { type: 'fnn', hidden: [4] }, train: { epochs: 2, batchSize: 16 }, validationFraction: 0, seed }),
    data: () => ({
      x: rates,
      xWrongWidth: rates.map((r) => [...r, 1]),
      xNaN: rates.map((r, i) => (i === 10 ? [Number.NaN, r[1] as number] : r)),
      xEmpty: [],
    }),
    fit: (s, x) => s.fit(x),
    output: (f, x) => Array.from(f.predictSeries(x).predicted),
    outputRows: (f, x) => {
      const s = f.predictSeries(x);
      return Array.from(s.predicted, (v, i) => [v, s.lastPrice[i] as number, s.actual[i] as number]);
    },
    construct: (p) => forecaster(p as never),
    invalidParams: {
      lookback: -1,
      horizon: 0,
      targetColumn: 0.5,
      target: 'levels',
      inputTransforms: [],
      model: null,
      train: [],
      validationFraction: -0.1,
      selectionAlpha: 1.5,
      arMaxLag: 1.5,
      seed: 'a',
    },
    callUnfitted: (s) => (s.predict as unknown as () => unknown)(),
    roundTrip: (f) => forecasterFromJSON(JSON.parse(JSON.stringify(f.toJSON()))),
    dispose: (f) => f.dispose(),
  }),
];

import { buildRiskModel, riskModel, type RiskModelSpec } from '../../../src/presets/riskModel';
import { riskModelFromJSON, type RiskModel, type RiskModelOptions } from '../../../src/presets/buildRiskModel';
import type { Table } from '../../../src/data/table';

function applicants(n: number, opts: { nan?: boolean } = {}): Table {
  const idx = Array.from({ length: n }, (_, i) => i);
  return {
    nRows: n,
    columns: [
      { kind: 'numeric', name: 'amount', values: Float64Array.from(idx, (i) => (opts.nan === true && i === 3 ? Number.NaN : ((i * 37) % 11) * 100)) },
      { kind: 'numeric', name: 'age', values: Float64Array.from(idx, (i) => 20 + ((i * 13) % 40)) },
      { kind: 'categorical', name: 'housing', values: idx.map((i) => (i % 3 === 0 ? 'rent' : 'own')) },
      { kind: 'categorical', name: 'Class', values: idx.map((i) => (i % 3 === 0 || (i * 37) % 11 > 8 ? 'Bad' : 'Good')) },
    ],
  };
}

/** buildRiskModel is a function of (data, options): its 'spec' is the frozen options. */
interface RiskSpec {
  readonly params: Readonly<RiskModelOptions>;
}

presetsCases.push(
  defineCase<RiskModelSpec, RiskModel, Table, undefined>({
    name: 'riskModel',
    kind: 'RiskModel',
    // CV folds and members are seeded picks of row positions, so a permuted table trains other members.
    tags: { allowNaN: true, noWidthCheck: true, orderDependentFit: true },
    make: (seed) => riskModel({ target: 'Class', members: 2, epochs: 3, hidden: [4], seed, backgroundSize: 5 }),
    data: () => ({ x: applicants(40), xNaN: applicants(40, { nan: true }), xEmpty: applicants(0) }),
    fit: (s, x) => s.fit(x),
    output: (f, x) => Array.from(f.score(x)),
    outputRows: (f, x) => Array.from(f.score(x), (v) => [v]),
    construct: (p) => riskModel({ target: 'Class', ...p } as RiskModelOptions),
    invalidParams: {
      target: '',
      positive: 3,
      drop: 'id',
      members: 21,
      hidden: [2.5],
      l2: -1,
      dropout: 1,
      learningRate: 0,
      epochs: 0,
      batchSize: 0,
      patience: -1,
      seed: Number.NaN,
      backgroundSize: 0,
      baselineL2: -1,
      classWeight: 'heavy',
      protected: [3],
      excludeProtected: 'yes',
      pleBins: 65,
      pleMaxColumns: 1,
      gamL2: 0,
    },
    callUnfitted: (s) => (s.score as unknown as () => unknown)(),
    roundTrip: (f) => riskModelFromJSON(JSON.parse(JSON.stringify(f.toJSON()))),
    dispose: (f) => f.dispose(),
  }),
  defineCase<RiskSpec, RiskModel, Table, undefined>({
    name: 'buildRiskModel',
    kind: 'RiskModel',
    // CV folds and members are seeded picks of row positions, so a permuted table trains other members.
    tags: { allowNaN: true, noWidthCheck: true, noUnfittedObject: true, orderDependentFit: true },
    make: (seed) => ({ params: Object.freeze({ target: 'Class', members: 2, epochs: 3, hidden: [4], seed, backgroundSize: 5 }) }),
    data: () => ({ x: applicants(40), xNaN: applicants(40, { nan: true }), xEmpty: applicants(0) }),
    fit: (s, x) => buildRiskModel(x, s.params as RiskModelOptions),
    output: (f, x) => Array.from(f.score(x)),
    outputRows: (f, x) => Array.from(f.score(x), (v) => [v]),
    // No spec: options are validated by buildRiskModel itself, before any training.
    construct: (p) => buildRiskModel(applicants(40), { target: 'Class', ...p } as RiskModelOptions),
    invalidParams: { target: '', members: 21, epochs: 0, hidden: [2.5], seed: Number.NaN, backgroundSize: 0 },
    callUnfitted: () => undefined,
    roundTrip: (f) => riskModelFromJSON(JSON.parse(JSON.stringify(f.toJSON()))),
    dispose: (f) => f.dispose(),
  }),
  defineCase<RiskSpec, RiskModel, Table, undefined>({
    name: 'buildRiskModel (protected attribute excluded, balanced class weights)',
    kind: 'RiskModel',
    // CV folds and members are seeded picks of row positions, so a permuted table trains other members.
    tags: { allowNaN: true, noWidthCheck: true, noUnfittedObject: true, orderDependentFit: true },
    make: (seed) => ({ params: Object.freeze({ target: 'Class', members: 2, epochs: 3, hidden: [4], seed, backgroundSize: 5, protected: ['age'], excludeProtected: true, classWeight: 'balanced' as const, baselineL2: 0.5, pleBins: 0 }) }),
    data: () => ({ x: applicants(40), xNaN: applicants(40, { nan: true }), xEmpty: applicants(0) }),
    fit: (s, x) => buildRiskModel(x, s.params as RiskModelOptions),
    output: (f, x) => Array.from(f.score(x)),
    outputRows: (f, x) => Array.from(f.score(x), (v) => [v]),
    // No spec: options are validated by buildRiskModel itself, before any training.
    construct: (p) => buildRiskModel(applicants(40), { target: 'Class', ...p } as RiskModelOptions),
    invalidParams: { target: '', members: 21, epochs: 0, hidden: [2.5], seed: Number.NaN, backgroundSize: 0, baselineL2: -1, classWeight: 'heavy', protected: [3], excludeProtected: 'yes', pleBins: 1 },
    callUnfitted: () => undefined,
    roundTrip: (f) => riskModelFromJSON(JSON.parse(JSON.stringify(f.toJSON()))),
    dispose: (f) => f.dispose(),
  }),
  defineCase<RiskSpec, RiskModel, Table, undefined>({
    name: 'buildRiskModel (piecewise-linear encoding options)',
    kind: 'RiskModel',
    // CV folds and members are seeded picks of row positions, so a permuted table trains other members.
    tags: { allowNaN: true, noWidthCheck: true, noUnfittedObject: true, orderDependentFit: true },
    make: (seed) => ({ params: Object.freeze({ target: 'Class', members: 2, epochs: 3, hidden: [4], seed, backgroundSize: 5, pleBins: 3, pleMaxColumns: 4, gamL2: 0.5 }) }),
    data: () => ({ x: applicants(40), xNaN: applicants(40, { nan: true }), xEmpty: applicants(0) }),
    fit: (s, x) => buildRiskModel(x, s.params as RiskModelOptions),
    output: (f, x) => Array.from(f.score(x)),
    outputRows: (f, x) => Array.from(f.score(x), (v) => [v]),
    construct: (p) => buildRiskModel(applicants(40), { target: 'Class', ...p } as RiskModelOptions),
    invalidParams: { target: '', members: 21, epochs: 0, hidden: [2.5], seed: Number.NaN, backgroundSize: 0, pleBins: 65, pleMaxColumns: 1, gamL2: 0 },
    callUnfitted: () => undefined,
    roundTrip: (f) => riskModelFromJSON(JSON.parse(JSON.stringify(f.toJSON()))),
    dispose: (f) => f.dispose(),
  }),
);

import { tabularModel, tabularModelFromJSON, type TabularModel, type TabularModelOptions, type TabularModelSpec } from '../../../src/presets/tabularModel';

/** y = 3·x1 − x2 + 2·[region = a] + noise; grade: three levels of x1 (as text labels). */
function tabular(n: number, opts: { nan?: boolean } = {}): Table {
  const r = createRng(5);
  const x1 = Float64Array.from({ length: n }, () => r.normal());
  const x2 = Float64Array.from({ length: n }, () => r.normal());
  const region = Array.from({ length: n }, (_, i) => ['a', 'b', 'c'][i % 3] as string);
  return {
    nRows: n,
    columns: [
      { kind: 'numeric', name: 'x1', values: opts.nan === true ? x1.map((v, i) => (i === 4 ? Number.NaN : v)) : x1 },
      { kind: 'numeric', name: 'x2', values: x2 },
      { kind: 'categorical', name: 'region', values: region },
      { kind: 'numeric', name: 'y', values: x1.map((v, i) => 10 + 3 * v - (x2[i] as number) + (region[i] === 'a' ? 2 : 0) + 0.2 * r.normal()) },
      { kind: 'categorical', name: 'grade', values: Array.from(x1, (v) => (v < -0.5 ? 'low' : v < 0.5 ? 'mid' : 'high')) },
    ],
  };
}

const tabularInvalid = {
  target: 3,
  task: 'ordinal',
  drop: 'id',
  hidden: [],
  epochs: 0,
  learningRate: 0,
  patience: -1,
  validationSplit: 1,
  backgroundSize: 0,
  seed: 0.5,
};

for (const [task, target, drop] of [['regression', 'y', 'grade'], ['multiclass', 'grade', 'y']] as const) {
  presetsCases.push(
    defineCase<TabularModelSpec, TabularModel, Table, undefined>({
      name: `tabularModel (${task})`,
      kind: 'TabularModel',
      // Minibatch training on a seeded split of row positions: a permuted table trains another network.
      tags: { allowNaN: true, noWidthCheck: true, orderDependentFit: true },
      make: (seed) => tabularModel({ target, task, drop: [drop], hidden: [4], epochs: 3, backgroundSize: 5, seed }),
      data: () => ({ x: tabular(36), xNaN: tabular(36, { nan: true }), xEmpty: tabular(0) }),
      fit: (s, x) => s.fit(x),
      output: (f, x) => Array.from(f.predict(x)),
      outputRows: (f, x) => {
        const p = f.predict(x);
        const k = f.task === 'regression' ? 1 : f.classes.length;
        return Array.from({ length: x.nRows }, (_, i) => Array.from(p.subarray(i * k, (i + 1) * k)));
      },
      construct: (p) => tabularModel({ target, ...p } as TabularModelOptions),
      invalidParams: tabularInvalid,
      callUnfitted: (s) => (s.predict as unknown as () => unknown)(),
      roundTrip: (f) => tabularModelFromJSON(JSON.parse(JSON.stringify(f.toJSON()))),
      dispose: (f) => f.dispose(),
    }),
  );
}
