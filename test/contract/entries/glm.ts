import {
  linearRegression,
  linearRegressionFromJSON,
  type FittedLinearRegression,
  type LinearRegression,
} from '../../../src/models/linearRegression';
import {
  logisticRegression,
  logisticRegressionFromJSON,
  type FittedLogisticRegression,
  type LogisticRegression,
} from '../../../src/models/logisticRegression';
import { defineCase, type ContractCase } from '../types';

type M = number[][];
const x: M = [
  [0.1, 1.2], [0.9, -0.4], [1.7, 0.3], [2.2, 1.9], [-0.5, 0.8], [1.1, -1.3], [0.4, 0.2], [2.8, -0.7],
];
const yReg = [1.3, 0.2, 2.1, 4.0, 0.1, -0.4, 0.7, 2.2];
const yCls = [0, 0, 1, 1, 0, 1, 0, 1];
const common = {
  xWrongWidth: x.map((r) => [...r, 1]),
  xNaN: x.map((r, i) => (i === 2 ? [r[0] as number, Number.NaN] : r)),
  xEmpty: [] as M,
};
const json = <T>(f: { toJSON(): unknown }, from: (j: unknown) => T): T => from(JSON.parse(JSON.stringify(f.toJSON())));

/** Contract cases for the closed-form GLMs of src/models/. */
export const glmCases: ContractCase[] = [
  defineCase<LinearRegression, FittedLinearRegression, M, number[]>({
    name: 'linearRegression',
    kind: 'LinearRegression',
    // Normal-equation sums in another row order differ in the last bits.
    tags: { deterministic: true, orderTolerance: 1e-12 },
    make: () => linearRegression({ l2: 0.1 }),
    data: () => ({ x, y: yReg, ...common }),
    fit: (s, xx, yy) => s.fit(xx, yy as number[]),
    output: (f, xx) => f.predict(xx),
    outputRows: (f, xx) => f.predict(xx).map((v) => [v]),
    construct: (p) => linearRegression(p as never),
    invalidParams: { l2: -0.1, fitIntercept: 'yes' },
    callUnfitted: (s, xx) => (s.predict as unknown as (a: M) => unknown)(xx),
    roundTrip: (f) => json(f, linearRegressionFromJSON),
  }),
  defineCase<LogisticRegression, FittedLogisticRegression, M, number[]>({
    name: 'logisticRegression',
    kind: 'LogisticRegression',
    tags: { deterministic: true },
    make: () => logisticRegression({ l2: 0.5 }),
    data: () => ({ x, y: yCls, ...common }),
    fit: (s, xx, yy) => s.fit(xx, yy as number[]),
    output: (f, xx) => f.predictProba(xx),
    outputRows: (f, xx) => f.predictProba(xx).map((v) => [v]),
    construct: (p) => logisticRegression(p as never),
    invalidParams: { l2: Number.POSITIVE_INFINITY, fitIntercept: 1, maxIter: 0, tol: 0 },
    callUnfitted: (s, xx) => (s.predictProba as unknown as (a: M) => unknown)(xx),
    roundTrip: (f) => json(f, logisticRegressionFromJSON),
  }),
];
