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

/** Options of matrixCase: tags, and how to make the factory with raw options for the validation check. */
interface MatrixCaseOptions {
  readonly allowNaN?: boolean;
  /** Fitted objects have inverseTransform. */
  readonly invertible?: boolean;
  /** ... but it throws (a non-invertible step). */
  readonly inverseThrows?: boolean;
  readonly construct: (p: Readonly<Record<string, unknown>>) => unknown;
  readonly invalidParams: Readonly<Record<string, unknown>>;
}

interface Inverse {
  inverseTransform(x: M): M;
}

function matrixCase<F extends FittedMatrixTransformer<unknown, unknown>>(
  name: string,
  kind: string,
  make: () => MatrixTransformerSpec<unknown, F>,
  fromJSON: (j: unknown) => F,
  o: MatrixCaseOptions,
): ContractCase {
  const allowNaN = o.allowNaN === true;
  return defineCase<MatrixTransformerSpec<unknown, F>, F, M, undefined>({
    name,
    kind,
    // Preprocessing: closed form, no seed.
    tags: { deterministic: true, ...(allowNaN ? { allowNaN: true } : {}), ...(o.inverseThrows === true ? { inverseThrows: true } : {}) },
    make: () => make(),
    data: () => ({ x: allowNaN ? withNaN : x, xWrongWidth: wrong, xNaN: withNaN, xEmpty: [] }),
    fit: (s, xx) => s.fit(xx),
    output: (f, xx) => viaTensor(f, xx),
    outputRows: (f, xx) => f.transform(xx),
    fitTransform: (s, xx) => {
      const t = tf.tensor2d(xx);
      try {
        const out = s.fitTransform(t);
        const v = Array.from(out.dataSync());
        out.dispose();
        return [...s.fitTransform(xx).flat(), ...v];
      } finally {
        t.dispose();
      }
    },
    ...(o.invertible === true
      ? { inverse: (f: F, xx: M) => [(f as unknown as Inverse).inverseTransform(f.transform(xx)).flat(), xx.flat()] as const }
      : {}),
    callUnfitted: (s, xx) => (s.transform as unknown as (a: M) => unknown)(xx),
    roundTrip: (f) => fromJSON(JSON.parse(JSON.stringify(f.toJSON()))),
    construct: o.construct,
    invalidParams: o.invalidParams,
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
/** Missing values in both columns and a most-frequent tie in column 0 ('A' and 'B' twice each): ties go to the smallest string, whatever the row order. */
const catsTie: S = [
  ['B', 'Own'],
  [null, 'Rent'],
  ['A', 'Own'],
  ['B', 'ForFree'],
  ['A', null],
];
const charRows = (m: readonly (readonly (string | null)[])[]): number[][] => m.map((r) => charCodes(r));

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
  matrixCase('standardScaler', 'StandardScaler', () => standardScaler() as never, standardScalerFromJSON as never, {
    invertible: true,
    construct: (p) => standardScaler(p as never),
    invalidParams: { withMean: 'yes', withStd: 1 },
  }),
  matrixCase('minMaxScaler', 'MinMaxScaler', () => minMaxScaler({ featureRange: [-1, 1] }) as never, minMaxScalerFromJSON as never, {
    invertible: true,
    construct: (p) => minMaxScaler(p as never),
    invalidParams: { featureRange: [1, -1], clip: 'no' },
  }),
  matrixCase('robustScaler', 'RobustScaler', () => robustScaler() as never, robustScalerFromJSON as never, {
    invertible: true,
    construct: (p) => robustScaler(p as never),
    invalidParams: { quantileRange: [75, 25], withCentering: 0, withScaling: null },
  }),
  matrixCase('simpleImputer', 'SimpleImputer', () => simpleImputer({ strategy: 'median' }) as never, simpleImputerFromJSON as never, {
    allowNaN: true,
    construct: (p) => simpleImputer(p as never),
    invalidParams: { strategy: 'mode', fillValue: Number.NaN },
  }),
  // The imputer step has no inverse, so the pipeline's inverseTransform must throw.
  matrixCase('pipeline', 'Pipeline', () => pipeline([simpleImputer(), standardScaler()]) as never, pipelineFromJSON as never, {
    allowNaN: true,
    invertible: true,
    inverseThrows: true,
    construct: (p) => pipeline(p.steps as never),
    invalidParams: { steps: [] },
  }),
  defineCase({
    name: 'oneHotEncoder',
    kind: 'OneHotEncoder',
    tags: { deterministic: true },
    make: () => oneHotEncoder({ handleUnknown: 'ignore' }),
    data: () => ({ x: cats, xWrongWidth: catsWrong, xNaN: catsNull, xEmpty: [] as S }),
    fit: (s, xx: S) => s.fit(xx),
    output: (f, xx: S) => f.transform(xx).flat(),
    outputRows: (f, xx: S) => f.transform(xx),
    construct: (p) => oneHotEncoder(p as never),
    invalidParams: { handleUnknown: 'warn', drop: 'if_binary' },
    callUnfitted: (s, xx: S) => (s.transform as unknown as (a: S) => unknown)(xx),
    roundTrip: (f) => oneHotEncoderFromJSON(JSON.parse(JSON.stringify(f.toJSON()))),
  }),
  defineCase({
    name: 'ordinalEncoder',
    kind: 'OrdinalEncoder',
    tags: { deterministic: true },
    make: () => ordinalEncoder({ handleUnknown: 'useEncodedValue', unknownValue: -1 }),
    data: () => ({ x: cats, xWrongWidth: catsWrong, xNaN: catsNull, xEmpty: [] as S }),
    fit: (s, xx: S) => s.fit(xx),
    output: (f, xx: S) => f.transform(xx).flat(),
    outputRows: (f, xx: S) => f.transform(xx),
    inverse: (f, xx: S) => [charCodes(f.inverseTransform(f.transform(xx))), charCodes(xx)] as const,
    construct: (p) => ordinalEncoder(p as never),
    invalidParams: { handleUnknown: 'ignore', unknownValue: 0.5 },
    callUnfitted: (s, xx: S) => (s.transform as unknown as (a: S) => unknown)(xx),
    roundTrip: (f) => ordinalEncoderFromJSON(JSON.parse(JSON.stringify(f.toJSON()))),
  }),
  defineCase({
    name: 'categoricalImputer',
    kind: 'CategoricalImputer',
    tags: { allowNaN: true, deterministic: true },
    make: () => categoricalImputer(),
    data: () => ({ x: catsTie, xWrongWidth: catsWrong, xNaN: catsNull, xEmpty: [] as S }),
    fit: (s, xx: S) => s.fit(xx),
    output: (f, xx: S) => charCodes(f.transform(xx)),
    outputRows: (f, xx: S) => charRows(f.transform(xx)),
    construct: (p) => categoricalImputer(p as never),
    invalidParams: { strategy: 'mean', fillValue: 0 },
    callUnfitted: (s, xx: S) => (s.transform as unknown as (a: S) => unknown)(xx),
    roundTrip: (f) => categoricalImputerFromJSON(JSON.parse(JSON.stringify(f.toJSON()))),
  }),
  defineCase({
    name: 'tabularPipeline',
    kind: 'TabularPipeline',
    // Tables are matched by column name: a missing column is a DataError, not a width ShapeError.
    tags: { allowNaN: true, noWidthCheck: true, deterministic: true },
    make: () => tabularPipeline({ target: 'Class', positive: 'Bad', categorical: { handleUnknown: 'ignore' } }),
    data: () => ({ x: table(), xEmpty: table(0) }),
    fit: (s, t: Table) => s.fit(t),
    output: (f, t: Table) => {
      const m = f.transformTensor(t);
      const v = Array.from(m.dataSync());
      m.dispose();
      return [...f.transform(t).flat(), ...v, ...f.transformTarget(t)];
    },
    outputRows: (f, t: Table) => {
      const y = f.transformTarget(t);
      return f.transform(t).map((r, i) => [...r, y[i] as number]);
    },
    construct: (p) => tabularPipeline({ target: 'Class', ...p } as never),
    invalidParams: { target: 3, positive: ['Bad'], drop: 'Amount', numeric: { scale: 'zscore' }, categorical: { encode: 'target' } },
    callUnfitted: (s, t: Table) => (s.transform as unknown as (a: Table) => unknown)(t),
    roundTrip: (f) => tabularPipelineFromJSON(JSON.parse(JSON.stringify(f.toJSON()))),
  }),
];
