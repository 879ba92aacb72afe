import * as tf from '@tensorflow/tfjs-core';
import type { ContractCase } from '../types';
import { defineCase } from '../types';
import { createTable } from '../../../src/data/createTable';
import type { Table } from '../../../src/data/table';
import { standardScaler, standardScalerFromJSON } from '../../../src/data/standardScaler';
import { minMaxScaler, minMaxScalerFromJSON } from '../../../src/data/minMaxScaler';
import { robustScaler, robustScalerFromJSON } from '../../../src/data/robustScaler';
import { simpleImputer, simpleImputerFromJSON } from '../../../src/data/simpleImputer';
import { categoricalImputer, categoricalImputerFromJSON } from '../../../src/data/categoricalImputer';
import { oneHotEncoder, oneHotEncoderFromJSON } from '../../../src/data/oneHotEncoder';
import { ordinalEncoder, ordinalEncoderFromJSON } from '../../../src/data/ordinalEncoder';
import { pipeline, pipelineFromJSON } from '../../../src/data/pipeline';
import { tabularPipeline, tabularPipelineFromJSON } from '../../../src/data/tabularPipeline';
import type { FittedMatrixTransformer, MatrixTransformerSpec } from '../../../src/data/transformer';

type M = number[][];
type S = (string | null)[][];

const x: M = [
  [1.5, 20, -3],
  [2.5, 22, 0],
  [0.5, 19, 4],
  [3.5, 25, 1],
  [2, 21, 2],
  [1, 30, -1],
];
const wrong = x.map((r) => r.slice(0, 2));
const withNaN = x.map((r, i) => (i === 2 ? [Number.NaN, r[1] as number, r[2] as number] : r));

/** Runs a matrix transform on a tensor too, so that the leak check covers the tensor path. */
function viaTensor(f: FittedMatrixTransformer<unknown, unknown>, xx: M): number[] {
  const t = tf.tensor2d(xx);
  try {
    const out = f.transform(t);
    const v = Array.from(out.dataSync());
    out.dispose();
    return [...f.transform(xx).flat(), ...v];
  } finally {
    t.dispose();
  }
}

function matrixCase<F extends FittedMatrixTransformer<unknown, unknown>>(
  name: string,
  kind: string,
  make: () => MatrixTransformerSpec<unknown, F>,
  fromJSON: (j: unknown) => F,
  allowNaN = false,
): ContractCase {
  return defineCase<MatrixTransformerSpec<unknown, F>, F, M, undefined>({
    name,
    kind,
    ...(allowNaN ? { tags: { allowNaN: true } } : {}),
    make: () => make(),
    data: () => ({ x: allowNaN ? withNaN : x, xWrongWidth: wrong, xNaN: withNaN, xEmpty: [] }),
    fit: (s, xx) => s.fit(xx),
    output: (f, xx) => viaTensor(f, xx),
    callUnfitted: (s, xx) => (s.transform as unknown as (a: M) => unknown)(xx),
    roundTrip: (f) => fromJSON(JSON.parse(JSON.stringify(f.toJSON()))),
  });
}

const cats: S = [
  ['NewCar', 'Own'],
  ['Education', 'Rent'],
  ['NewCar', 'Own'],
  ['Business', 'ForFree'],
  ['Radio', 'Own'],
];
const catsNull: S = cats.map((r, i) => (i === 1 ? [null, r[1] as string] : r));
const catsWrong: S = cats.map((r) => [...r, 'x']);

const table = (n = 6): Table =>
  createTable({
    Duration: [6, 48, 12, 42, 24, 36].slice(0, n),
    Amount: [1169, 5951, Number.NaN, 7882, 4870, 9055].slice(0, n),
    Purpose: ['Radio', 'Radio', 'Education', null, 'NewCar', 'Education'].slice(0, n),
    Class: ['Good', 'Bad', 'Good', 'Good', 'Bad', 'Good'].slice(0, n),
  });

const charCodes = (v: unknown): number[] => Array.from(JSON.stringify(v), (c) => c.charCodeAt(0));

/** Contract cases for src/data/. */
export const dataCases: ContractCase[] = [
  matrixCase('standardScaler', 'StandardScaler', () => standardScaler() as never, standardScalerFromJSON as never),
  matrixCase('minMaxScaler', 'MinMaxScaler', () => minMaxScaler({ featureRange: [-1, 1] }) as never, minMaxScalerFromJSON as never),
  matrixCase('robustScaler', 'RobustScaler', () => robustScaler() as never, robustScalerFromJSON as never),
  matrixCase('simpleImputer', 'SimpleImputer', () => simpleImputer({ strategy: 'median' }) as never, simpleImputerFromJSON as never, true),
  matrixCase('pipeline', 'Pipeline', () => pipeline([simpleImputer(), standardScaler()]) as never, pipelineFromJSON as never, true),
  defineCase({
    name: 'oneHotEncoder',
    kind: 'OneHotEncoder',
    make: () => oneHotEncoder({ handleUnknown: 'ignore' }),
    data: () => ({ x: cats, xWrongWidth: catsWrong, xNaN: catsNull, xEmpty: [] as S }),
    fit: (s, xx: S) => s.fit(xx),
    output: (f, xx: S) => f.transform(xx).flat(),
    callUnfitted: (s, xx: S) => (s.transform as unknown as (a: S) => unknown)(xx),
    roundTrip: (f) => oneHotEncoderFromJSON(JSON.parse(JSON.stringify(f.toJSON()))),
  }),
  defineCase({
    name: 'ordinalEncoder',
    kind: 'OrdinalEncoder',
    make: () => ordinalEncoder({ handleUnknown: 'useEncodedValue', unknownValue: -1 }),
    data: () => ({ x: cats, xWrongWidth: catsWrong, xNaN: catsNull, xEmpty: [] as S }),
    fit: (s, xx: S) => s.fit(xx),
    output: (f, xx: S) => f.transform(xx).flat(),
    callUnfitted: (s, xx: S) => (s.transform as unknown as (a: S) => unknown)(xx),
    roundTrip: (f) => ordinalEncoderFromJSON(JSON.parse(JSON.stringify(f.toJSON()))),
  }),
  defineCase({
    name: 'categoricalImputer',
    kind: 'CategoricalImputer',
    tags: { allowNaN: true },
    make: () => categoricalImputer(),
    data: () => ({ x: catsNull, xWrongWidth: catsWrong, xNaN: catsNull, xEmpty: [] as S }),
    fit: (s, xx: S) => s.fit(xx),
    output: (f, xx: S) => charCodes(f.transform(xx)),
    callUnfitted: (s, xx: S) => (s.transform as unknown as (a: S) => unknown)(xx),
    roundTrip: (f) => categoricalImputerFromJSON(JSON.parse(JSON.stringify(f.toJSON()))),
  }),
  defineCase({
    name: 'tabularPipeline',
    kind: 'TabularPipeline',
    // Tables are matched by column name: a missing column is a DataError, not a width ShapeError.
    tags: { allowNaN: true, noWidthCheck: true },
    make: () => tabularPipeline({ target: 'Class', positive: 'Bad', categorical: { handleUnknown: 'ignore' } }),
    data: () => ({ x: table(), xEmpty: table(0) }),
    fit: (s, t: Table) => s.fit(t),
    output: (f, t: Table) => {
      const m = f.transformTensor(t);
      const v = Array.from(m.dataSync());
      m.dispose();
      return [...f.transform(t).flat(), ...v, ...f.transformTarget(t)];
    },
    callUnfitted: (s, t: Table) => (s.transform as unknown as (a: Table) => unknown)(t),
    roundTrip: (f) => tabularPipelineFromJSON(JSON.parse(JSON.stringify(f.toJSON()))),
  }),
];
