/**
 * Forecasting preset for prices: a sequence network over windows of (log) returns, with leak-free
 * scaling and a walk-forward evaluation against the naive last-value forecast.
 *
 * @module
 */
import * as tf from '@tensorflow/tfjs-core';
import { checkEnvelope, deepFreeze, notFitted, paramsFromJSON, readNumberArray, type EstimatorJSON, type JsonValue } from '../core/estimator';
import { DataError, DisposedError, SerializationError, ShapeError, describeValue } from '../core/errors';
import { isTensor, toDense, toVector, type DenseMatrix, type MatrixLike } from '../core/matrix';
import { resolveOptions, rules, type RuleTable } from '../core/options';
import { walkForwardSplit } from '../data/walkForwardSplit';
import type { ModelSpec } from '../models/spec';
import { neuralModelFromJSON, neuralRegressor, resolveNeuralParams, type FittedNeuralRegressor, type NeuralFitOptions, type NeuralTrainParams } from '../train/neuralModel';

/**
 * Parameters of {@link forecaster}.
 *
 * @category Presets
 */
export interface ForecasterParams {
  /** Past returns fed to the network. @defaultValue 20 */
  readonly lookback: number;
  /** Steps ahead predicted (the network outputs one return per step). @defaultValue 1 */
  readonly horizon: number;
  /** Column of the price matrix that is forecast (the other columns are inputs). @defaultValue 0 */
  readonly target: number;
  /** Returns the network works on. @defaultValue 'logReturns' */
  readonly transform: 'logReturns' | 'returns';
  /** The network. @defaultValue `{ type: 'rnn', cell: 'lstm', units: [32] }` */
  readonly model: ModelSpec;
  /** Trainer options. @defaultValue 30 epochs, batch 64, lr 1e-3, 15% validation (last rows), early stopping (patience 5, restore best) */
  readonly train: Partial<NeuralTrainParams>;
  /** Seed of weights, dropout and shuffling. @defaultValue 0 */
  readonly seed: number;
}

const DEFAULTS: ForecasterParams = deepFreeze({
  lookback: 20,
  horizon: 1,
  target: 0,
  transform: 'logReturns',
  model: { type: 'rnn', cell: 'lstm', units: [32] },
  train: { epochs: 30, batchSize: 64, learningRate: 1e-3, validationSplit: 0.15, earlyStopping: { patience: 5, restoreBestWeights: true } },
  seed: 0,
});
const RULES: RuleTable<ForecasterParams> = {
  lookback: rules.int({ min: 1 }),
  horizon: rules.int({ min: 1 }),
  target: rules.int({ min: 0 }),
  transform: rules.oneOf(['logReturns', 'returns']),
  model: rules.custom('a model spec object', (v) => typeof v === 'object' && v !== null && typeof (v as { type?: unknown }).type === 'string'),
  train: rules.custom('a trainer options object', (v) => typeof v === 'object' && v !== null && !Array.isArray(v)),
  seed: rules.custom('a safe integer', (v) => typeof v === 'number' && Number.isSafeInteger(v)),
};
const KIND = 'Forecaster';

/**
 * Prices: rows are time steps, columns are series (a 1-D array is one series).
 *
 * @category Presets
 */
export type PriceInput = MatrixLike | readonly number[] | Float64Array;

/**
 * A forecast from the last rows of a price history.
 *
 * @category Presets
 */
export interface Forecast {
  /** Predicted returns (in `params.transform` units) for steps 1..horizon. */
  readonly returns: number[];
  /** Predicted prices for steps 1..horizon. */
  readonly prices: number[];
  /** The last known price the path starts from. */
  readonly lastPrice: number;
}

/**
 * One-step-ahead (or horizon-ahead) forecasts for every window of a series.
 *
 * @category Presets
 */
export interface SeriesForecast {
  /** Time index (row of the price matrix) of the forecast price, `t + horizon`. */
  readonly index: Int32Array;
  /** Last known price at forecast time (the naive forecast). */
  readonly lastPrice: Float64Array;
  /** The model's price forecast `horizon` steps ahead. */
  readonly predicted: Float64Array;
  /** The realized price `horizon` steps ahead. */
  readonly actual: Float64Array;
}

/**
 * A fitted {@link forecaster}.
 *
 * @category Presets
 */
export interface FittedForecaster {
  readonly kind: 'Forecaster';
  readonly params: Readonly<ForecasterParams>;
  /** Return-scaling statistics fitted on the training rows only. */
  readonly state: { readonly mean: readonly number[]; readonly std: readonly number[]; readonly nSeries: number };
  /** The underlying network. */
  readonly network: FittedNeuralRegressor;
  /** Forecast from the last `lookback + 1` rows of `history`. */
  predict(history: PriceInput): Forecast;
  /** Forecasts for every complete window of `prices` (for evaluation). */
  predictSeries(prices: PriceInput): SeriesForecast;
  /** Serialises the fitted state to the finml envelope `{ kind, version, params, state }` (JSON values only). Includes the network weights. */
  toJSON(): EstimatorJSON;
  /** Releases the network's tensors; later use throws DisposedError. */
  dispose(): void;
  /** Same as `dispose()`, for `using` declarations. */
  [Symbol.dispose](): void;
}

/**
 * Unfitted {@link forecaster} spec.
 *
 * @category Presets
 */
export interface Forecaster {
  readonly kind: 'Forecaster';
  readonly params: Readonly<ForecasterParams>;
  /** Fits scaling statistics and the network on all rows of `prices`. */
  fit(prices: PriceInput, options?: NeuralFitOptions): Promise<FittedForecaster>;
  /** A new spec with the given params replaced (validated like the factory); this spec is unchanged. */
  withParams(patch: Partial<ForecasterParams>): Forecaster;
  /** Not available before `fit`: throws NotFittedError. */
  readonly predict: (...args: never[]) => never;
}

function readPrices(prices: PriceInput, fn: string, minRows: number): DenseMatrix {
  const m =
    isTensor(prices) || (Array.isArray(prices) && prices.length > 0 && Array.isArray(prices[0]))
      ? toDense(prices as MatrixLike, 'prices', fn)
      : (() => {
          const v = toVector(prices as readonly number[], 'prices', fn);
          return { rows: v.length, cols: 1, data: v };
        })();
  if (m.rows < minRows) throw new DataError({ fn, arg: 'prices', expected: `at least ${minRows} rows (lookback + horizon + 1)`, got: `${m.rows} rows` });
  for (let k = 0; k < m.data.length; k++) {
    if (!((m.data[k] as number) > 0)) {
      throw new DataError({ fn, arg: 'prices', expected: 'strictly positive prices', got: `${describeValue(m.data[k])} at row ${Math.floor(k / m.cols)}` });
    }
  }
  return m;
}

/** The target column must exist in the price matrix. */
function checkTarget(p: Readonly<ForecasterParams>, m: DenseMatrix, fn: string): void {
  if (p.target >= m.cols) throw new ShapeError({ fn, arg: 'prices', expected: `more than target = ${p.target} columns`, got: `${m.cols} columns` });
}

function toReturns(p: DenseMatrix, transform: ForecasterParams['transform']): DenseMatrix {
  const n = p.rows - 1;
  const out = new Float64Array(n * p.cols);
  for (let t = 0; t < n; t++) {
    for (let j = 0; j < p.cols; j++) {
      const a = p.data[t * p.cols + j] as number;
      const b = p.data[(t + 1) * p.cols + j] as number;
      out[t * p.cols + j] = transform === 'logReturns' ? Math.log(b / a) : b / a - 1;
    }
  }
  return { rows: n, cols: p.cols, data: out };
}

/** Mean and std of each column over the return rows [from, to). */
function moments(r: DenseMatrix, from: number, to: number): { mean: number[]; std: number[] } {
  const mean = new Array<number>(r.cols).fill(0);
  const std = new Array<number>(r.cols).fill(0);
  const rows = to - from;
  for (let t = from; t < to; t++) for (let j = 0; j < r.cols; j++) mean[j] = (mean[j] as number) + (r.data[t * r.cols + j] as number) / rows;
  for (let t = from; t < to; t++) for (let j = 0; j < r.cols; j++) std[j] = (std[j] as number) + ((r.data[t * r.cols + j] as number) - (mean[j] as number)) ** 2 / rows;
  return { mean, std: std.map((v) => (v > 0 ? Math.sqrt(v) : 1)) };
}

/** Windows of scaled returns starting at the given window indices (window s covers returns s..s+L-1). */
function windows(r: DenseMatrix, starts: ArrayLike<number>, p: Readonly<ForecasterParams>, mean: readonly number[], std: readonly number[], withTargets: boolean): { x: Float32Array; y: Float32Array } {
  const { lookback: l, horizon: h, target } = p;
  const f = r.cols;
  const x = new Float32Array(starts.length * l * f);
  const y = new Float32Array(withTargets ? starts.length * h : 0);
  for (let i = 0; i < starts.length; i++) {
    const s = starts[i] as number;
    for (let t = 0; t < l; t++) {
      for (let j = 0; j < f; j++) x[(i * l + t) * f + j] = ((r.data[(s + t) * f + j] as number) - (mean[j] as number)) / (std[j] as number);
    }
    if (withTargets) {
      for (let k = 0; k < h; k++) y[i * h + k] = ((r.data[(s + l + k) * f + target] as number) - (mean[target] as number)) / (std[target] as number);
    }
  }
  return { x, y };
}

function compound(last: number, rets: readonly number[], transform: ForecasterParams['transform']): number[] {
  const out: number[] = [];
  let p = last;
  for (const r of rets) {
    p = transform === 'logReturns' ? p * Math.exp(r) : p * (1 + r);
    out.push(p);
  }
  return out;
}

interface ForecasterState {
  readonly mean: readonly number[];
  readonly std: readonly number[];
  readonly nSeries: number;
}

/** Runs the network on a window tensor and reads the outputs back (the tensor is not disposed). */
function runNetwork(network: FittedNeuralRegressor, xt: tf.Tensor3D): Float64Array {
  const out = network.predict(xt as tf.Tensor);
  try {
    return Float64Array.from(out.dataSync() as ArrayLike<number>);
  } finally {
    out.dispose();
  }
}

function makeFitted(params: Readonly<ForecasterParams>, state: ForecasterState, network: FittedNeuralRegressor): FittedForecaster {
  const { lookback: l, horizon: h } = params;
  const check = (fn: string): void => {
    if (network.isDisposed) throw new DisposedError(fn, 'forecaster');
  };
  const read = (prices: PriceInput, fn: string, minRows: number): DenseMatrix => {
    check(fn);
    const m = readPrices(prices, fn, minRows);
    if (m.cols !== state.nSeries) throw new ShapeError({ fn, arg: 'prices', expected: `${state.nSeries} series (columns), as seen in fit`, got: `${m.cols}` });
    return m;
  };
  const predictReturns = (r: DenseMatrix, starts: Int32Array): Float64Array => {
    const { x } = windows(r, starts, params, state.mean, state.std, false);
    const xt = tf.tensor3d(x, [starts.length, l, r.cols]);
    try {
      const z = runNetwork(network, xt);
      const out = new Float64Array(z.length);
      const m = state.mean[params.target] as number;
      const s = state.std[params.target] as number;
      for (let i = 0; i < z.length; i++) out[i] = (z[i] as number) * s + m;
      return out;
    } finally {
      xt.dispose();
    }
  };
  const fitted: FittedForecaster = {
    kind: KIND,
    params,
    state,
    network,
    predict(history: PriceInput): Forecast {
      const fn = 'Forecaster.predict';
      const p = read(history, fn, l + 1);
      const tail: DenseMatrix = { rows: l + 1, cols: p.cols, data: p.data.slice((p.rows - l - 1) * p.cols) };
      const rets = Array.from(predictReturns(toReturns(tail, params.transform), Int32Array.of(0)));
      const lastPrice = p.data[(p.rows - 1) * p.cols + params.target] as number;
      return Object.freeze({ returns: rets, prices: compound(lastPrice, rets, params.transform), lastPrice });
    },
    predictSeries(prices: PriceInput): SeriesForecast {
      const fn = 'Forecaster.predictSeries';
      const p = read(prices, fn, l + h + 1);
      const r = toReturns(p, params.transform);
      const count = r.rows - l - h + 1;
      const starts = Int32Array.from({ length: count }, (_, i) => i);
      return seriesForecast(p, starts, predictReturns(r, starts), params);
    },
    toJSON: (): EstimatorJSON => ({
      kind: KIND,
      version: 1,
      params: params as unknown as JsonValue,
      state: { mean: [...state.mean], std: [...state.std], nSeries: state.nSeries, network: network.toJSON() as unknown as JsonValue },
    }),
    dispose: () => network.dispose(),
    [Symbol.dispose]: () => network.dispose(),
  };
  return Object.freeze(fitted);
}

function seriesForecast(p: DenseMatrix, starts: Int32Array, rets: Float64Array, params: Readonly<ForecasterParams>): SeriesForecast {
  const { lookback: l, horizon: h, target } = params;
  const n = starts.length;
  const index = new Int32Array(n);
  const lastPrice = new Float64Array(n);
  const predicted = new Float64Array(n);
  const actual = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const s = starts[i] as number;
    const t0 = s + l; // last known price row: returns s..s+l-1 span prices s..s+l
    const last = p.data[t0 * p.cols + target] as number;
    const path = compound(last, Array.from(rets.subarray(i * h, (i + 1) * h)), params.transform);
    index[i] = t0 + h;
    lastPrice[i] = last;
    predicted[i] = path[h - 1] as number;
    actual[i] = p.data[(t0 + h) * p.cols + target] as number;
  }
  return Object.freeze({ index, lastPrice, predicted, actual });
}

async function fitOn(
  params: Readonly<ForecasterParams>,
  r: DenseMatrix,
  trainStarts: Int32Array,
  options: NeuralFitOptions | undefined,
): Promise<FittedForecaster> {
  // Statistics from the returns the training windows touch (inputs and targets), nothing earlier or later.
  const first = trainStarts[0] as number;
  const last = trainStarts[trainStarts.length - 1] as number;
  const { mean, std } = moments(r, first, last + params.lookback + params.horizon);
  const { x, y } = windows(r, trainStarts, params, mean, std, true);
  const xt = tf.tensor3d(x, [trainStarts.length, params.lookback, r.cols]);
  const yt = tf.tensor2d(y, [trainStarts.length, params.horizon]);
  try {
    const network = await neuralRegressor({ model: params.model, train: params.train, seed: params.seed }).fit(xt, yt, options);
    return makeFitted(params, Object.freeze({ mean: Object.freeze(mean), std: Object.freeze(std), nSeries: r.cols }), network);
  } finally {
    tf.dispose([xt, yt]);
  }
}

/**
 * A price forecaster: a sequence network (LSTM by default; any {@link ModelSpec}) predicting the
 * next `horizon` returns of the `target` series from the last `lookback` returns of every series.
 * Returns are standardized with statistics of the training rows only. Evaluate it honestly with
 * {@link walkForwardEvaluate}.
 *
 * @param params - {@link ForecasterParams}.
 * @throws {InvalidOptionError} invalid params.
 * @example
 * ```ts
 * import { forecaster } from 'finml';
 * const prices = Array.from({ length: 200 }, (_, t) => 100 * Math.exp(0.02 * Math.sin(t / 3) + 0.001 * t));
 * const fc = await forecaster({ lookback: 20, train: { epochs: 10 }, seed: 1 }).fit(prices);
 * const f = fc.predict(prices);   // from the last lookback + 1 prices
 * f.prices.length;                //=> 1 (horizon 1: the next price)
 * f.lastPrice === prices[199];    //=> true
 * fc.dispose();
 * ```
 * @category Presets
 */
export function forecaster(params: Partial<ForecasterParams> = {}): Forecaster {
  const p = deepFreeze(structuredClone(resolveOptions('forecaster', params, DEFAULTS, RULES)) as ForecasterParams);
  // Validate the network's model type and trainer options now, not at fit (specs are validated eagerly).
  resolveNeuralParams('forecaster', { model: p.model, train: p.train, seed: p.seed });
  return Object.freeze({
    kind: KIND,
    params: p,
    predict: notFitted(KIND, 'predict'),
    withParams: (patch: Partial<ForecasterParams>) => forecaster({ ...p, ...patch }),
    async fit(prices: PriceInput, options?: NeuralFitOptions): Promise<FittedForecaster> {
      const fn = 'Forecaster.fit';
      const m = readPrices(prices, fn, p.lookback + p.horizon + 2);
      checkTarget(p, m, fn);
      const r = toReturns(m, p.transform);
      const count = r.rows - p.lookback - p.horizon + 1;
      return fitOn(p, r, Int32Array.from({ length: count }, (_, i) => i), options);
    },
  }) as Forecaster;
}

/**
 * Restores a fitted {@link forecaster} (async: the network is rebuilt).
 * @param json - A parsed `FittedForecaster.toJSON()` envelope.
 * @returns the fitted forecaster (owns tensors: call `dispose()` when done).
 * @throws {SerializationError} malformed envelope.
 * @example
 * ```ts
 * import { forecaster, forecasterFromJSON } from 'finml';
 * const prices = Array.from({ length: 120 }, (_, t) => 100 * Math.exp(0.02 * Math.sin(t / 3) + 0.001 * t));
 * const fc = await forecaster({ lookback: 10, train: { epochs: 2 }, seed: 1 }).fit(prices);
 * const back = await forecasterFromJSON(JSON.parse(JSON.stringify(fc.toJSON())));
 * back.predict(prices).prices[0] === fc.predict(prices).prices[0]; //=> true
 * fc.dispose();
 * back.dispose();
 * ```
 * @category Presets
 */
export async function forecasterFromJSON(json: unknown): Promise<FittedForecaster> {
  const fn = 'forecasterFromJSON';
  const env = checkEnvelope(json, KIND, [1], fn);
  const params = paramsFromJSON<ForecasterParams>(fn, env.params, (q) => resolveOptions(fn, q, DEFAULTS, RULES));
  const nSeries = (env.state as { nSeries?: unknown }).nSeries;
  if (typeof nSeries !== 'number' || !Number.isInteger(nSeries) || nSeries < 1) {
    throw new SerializationError({ fn, arg: 'state.nSeries', expected: 'a positive integer', got: describeValue(nSeries) });
  }
  if (params.target >= nSeries) {
    throw new SerializationError({ fn, arg: 'params.target', expected: `a column index below state.nSeries = ${nSeries}`, got: describeValue(params.target) });
  }
  const mean = readNumberArray(env.state, 'mean', fn, { length: nSeries });
  const std = readNumberArray(env.state, 'std', fn, { length: nSeries });
  const net = await neuralModelFromJSON((env.state as { network?: unknown }).network);
  if (net.kind !== 'NeuralRegressor') {
    net.dispose();
    throw new SerializationError({ fn, arg: 'state.network', expected: 'a NeuralRegressor envelope', got: net.kind });
  }
  return makeFitted(deepFreeze(structuredClone(params) as ForecasterParams), Object.freeze({ mean: Object.freeze([...mean]), std: Object.freeze([...std]), nSeries }), net);
}

/**
 * Options of {@link walkForwardEvaluate}.
 *
 * @category Presets
 */
export interface WalkForwardEvaluateOptions {
  /** Number of walk-forward folds. @defaultValue 5 */
  readonly nSplits?: number;
  /** Windows per test fold. @defaultValue null (⌊windows / (nSplits + 1)⌋) */
  readonly testSize?: number | null;
  /** Extra windows skipped between train and test (at least `horizon − 1` are always skipped). @defaultValue 0 */
  readonly gap?: number;
  /** Cap on training windows (sliding instead of expanding). @defaultValue null */
  readonly maxTrainSize?: number | null;
  /** Called after each fold. */
  readonly onFold?: ((fold: WalkForwardFold) => void | Promise<void>) | null;
}

/**
 * Error statistics of one forecast (model or naive).
 *
 * @category Presets
 */
export interface ForecastScores {
  readonly rmse: number;
  readonly mae: number;
  /** Fraction of forecasts whose direction (up/down vs last price) matches the realized one; naive: fraction of up moves (the "always up" call). */
  readonly directionalAccuracy: number;
}

/**
 * One walk-forward fold.
 *
 * @category Presets
 */
export interface WalkForwardFold {
  readonly fold: number;
  readonly trainWindows: number;
  /** First and last forecast price rows of the test fold. */
  readonly testFrom: number;
  readonly testTo: number;
  readonly model: ForecastScores;
  readonly naive: ForecastScores;
  readonly epochs: number;
}

/**
 * Result of {@link walkForwardEvaluate}.
 *
 * @category Presets
 */
export interface WalkForwardReport {
  readonly folds: readonly WalkForwardFold[];
  /** Pooled over all test forecasts. */
  readonly model: ForecastScores;
  readonly naive: ForecastScores;
  /** `1 − rmse(model) / rmse(naive)`: positive when the model beats the naive forecast. */
  readonly rmseSkill: number;
  /** All out-of-sample forecasts, in time order. */
  readonly forecasts: SeriesForecast;
}

function scores(f: SeriesForecast): { model: ForecastScores; naive: ForecastScores } {
  let se = 0;
  let ae = 0;
  let hit = 0;
  let seN = 0;
  let aeN = 0;
  let up = 0;
  const n = f.actual.length;
  for (let i = 0; i < n; i++) {
    const a = f.actual[i] as number;
    const p = f.predicted[i] as number;
    const l = f.lastPrice[i] as number;
    se += (a - p) ** 2;
    ae += Math.abs(a - p);
    seN += (a - l) ** 2;
    aeN += Math.abs(a - l);
    if (Math.sign(p - l) === Math.sign(a - l)) hit++;
    if (a > l) up++;
  }
  return {
    model: { rmse: Math.sqrt(se / n), mae: ae / n, directionalAccuracy: hit / n },
    naive: { rmse: Math.sqrt(seN / n), mae: aeN / n, directionalAccuracy: up / n },
  };
}

/**
 * Walk-forward evaluation of a {@link forecaster} spec on a price history, against the naive
 * last-value forecast. For each fold a fresh model is fitted on the windows before the fold (with
 * return-scaling statistics of those rows only, and a gap of at least `horizon − 1` windows so no
 * training target overlaps a test target), then forecasts every window of the fold.
 *
 * @param spec - An unfitted {@link forecaster} spec; a fresh copy is fitted for every fold.
 * @param prices - The price history (oldest first).
 * @param options - Folds, test size, gap, training-size cap and a per-fold callback: {@link WalkForwardEvaluateOptions}.
 * @returns per-fold and pooled RMSE/MAE/directional accuracy for the model and the naive forecast.
 * @throws {DataError} too short a series for the folds. @throws {InvalidOptionError} invalid options.
 * @example
 * ```ts
 * import { forecaster, walkForwardEvaluate } from 'finml';
 * const prices = Array.from({ length: 300 }, (_, t) => 100 * Math.exp(0.02 * Math.sin(t / 3) + 0.001 * t));
 * const report = await walkForwardEvaluate(forecaster({ lookback: 10, train: { epochs: 5 }, seed: 1 }), prices, { nSplits: 3 });
 * report.folds.length;           //=> 3
 * [report.model.rmse, report.naive.rmse]; // pooled RMSE of the model and of the naive forecast
 * report.rmseSkill;              // > 0 when the model beats "tomorrow = today"
 * ```
 * @category Presets
 */
export async function walkForwardEvaluate(spec: Forecaster, prices: PriceInput, options: WalkForwardEvaluateOptions = {}): Promise<WalkForwardReport> {
  const fn = 'walkForwardEvaluate';
  const defaults: Required<WalkForwardEvaluateOptions> = { nSplits: 5, testSize: null, gap: 0, maxTrainSize: null, onFold: null };
  const o = resolveOptions<Required<WalkForwardEvaluateOptions>>(fn, options, defaults, {
    nSplits: rules.int({ min: 1 }),
    testSize: rules.nullable(rules.int({ min: 1 })),
    gap: rules.int({ min: 0 }),
    maxTrainSize: rules.nullable(rules.int({ min: 1 })),
    onFold: rules.nullable(rules.func()),
  });
  const p = spec.params;
  const m = readPrices(prices, fn, p.lookback + p.horizon + 2);
  checkTarget(p, m, fn);
  const r = toReturns(m, p.transform);
  const count = r.rows - p.lookback - p.horizon + 1;
  const splits = walkForwardSplit(count, { nSplits: o.nSplits, testSize: o.testSize, gap: o.gap + p.horizon - 1, maxTrainSize: o.maxTrainSize });
  const folds: WalkForwardFold[] = [];
  const parts: SeriesForecast[] = [];
  for (let k = 0; k < splits.length; k++) {
    const s = splits[k] as { train: Int32Array; test: Int32Array };
    const fitted = await fitOn(p, r, s.train, undefined);
    try {
      const { x } = windows(r, s.test, p, fitted.state.mean, fitted.state.std, false);
      const xt = tf.tensor3d(x, [s.test.length, p.lookback, r.cols]);
      let z: Float64Array;
      try {
        z = runNetwork(fitted.network, xt);
      } finally {
        xt.dispose();
      }
      const mt = fitted.state.mean[p.target] as number;
      const st = fitted.state.std[p.target] as number;
      const f = seriesForecast(m, s.test, z.map((v) => v * st + mt), p);
      parts.push(f);
      const sc = scores(f);
      const fold: WalkForwardFold = Object.freeze({
        fold: k,
        trainWindows: s.train.length,
        testFrom: f.index[0] as number,
        testTo: f.index[f.index.length - 1] as number,
        model: sc.model,
        naive: sc.naive,
        epochs: fitted.network.training.epochs,
      });
      folds.push(fold);
      if (o.onFold !== null) await o.onFold(fold);
    } finally {
      fitted.dispose();
    }
  }
  const cat = (key: 'lastPrice' | 'predicted' | 'actual'): Float64Array => Float64Array.from(parts.flatMap((f) => Array.from(f[key])));
  const forecasts: SeriesForecast = Object.freeze({
    index: Int32Array.from(parts.flatMap((f) => Array.from(f.index))),
    lastPrice: cat('lastPrice'),
    predicted: cat('predicted'),
    actual: cat('actual'),
  });
  const pooled = scores(forecasts);
  return Object.freeze({ folds: Object.freeze(folds), model: pooled.model, naive: pooled.naive, rmseSkill: 1 - pooled.model.rmse / pooled.naive.rmse, forecasts });
}
