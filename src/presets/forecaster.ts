/**
 * Forecasting preset: an autoregression AR(p) (order by AIC) plus a network that models what the
 * AR leaves over, blended by a weight chosen on held-out training windows, with leak-free scaling
 * and a walk-forward evaluation against the naive, mean/drift and AR(p) baselines.
 *
 * @module
 */
import * as tf from '@tensorflow/tfjs-core';
import { checkEnvelope, deepFreeze, notFitted, paramsFromJSON, readNumberArray, type EstimatorJSON, type JsonValue } from '../core/estimator';
import { DataError, DisposedError, InvalidOptionError, SerializationError, ShapeError, describeValue } from '../core/errors';
import { isTensor, toDense, toVector, type DenseMatrix, type MatrixLike } from '../core/matrix';
import { resolveOptions, rules, type RuleTable } from '../core/options';
import { walkForwardSplit } from '../data/walkForwardSplit';
import { dieboldMariano, type DieboldMarianoResult } from '../metrics/dieboldMariano';
import type { ModelSpec } from '../models/spec';
import { neuralModelFromJSON, neuralRegressor, resolveNeuralParams, type FittedNeuralRegressor, type NeuralFitOptions, type NeuralTrainParams } from '../models/neuralModel';
import { arAic, arForecastSteps, fitArOrder } from './_internal/autoregression';

/**
 * What a forecaster models for a column: `'logReturn'` log(p_t / p_{t−1}) and `'return'`
 * p_t / p_{t−1} − 1 (strictly positive prices), `'diff'` p_t − p_{t−1} (rates, spreads and other
 * series that can be ≤ 0), `'level'` p_t itself.
 *
 * @category Presets
 */
export type ForecastTarget = 'logReturn' | 'return' | 'diff' | 'level';

const TARGETS: readonly ForecastTarget[] = ['logReturn', 'return', 'diff', 'level'];

/**
 * Parameters of {@link forecaster}.
 *
 * @category Presets
 */
export interface ForecasterParams {
  /** Past steps of every column fed to the network (and the most lags the AR may use). @defaultValue 20 */
  readonly lookback: number;
  /** Steps ahead predicted (one value per step). @defaultValue 1 */
  readonly horizon: number;
  /** Column of the input matrix that is forecast (the other columns are inputs). @defaultValue 0 */
  readonly targetColumn: number;
  /** What is modelled for the target column: {@link ForecastTarget}. @defaultValue 'logReturn' */
  readonly target: ForecastTarget;
  /**
   * Transform of every column for the network's inputs (one per column; the target column's entry
   * must equal `target`). `null`: every column as `target`.
   * @defaultValue null
   */
  readonly inputTransforms: readonly ForecastTarget[] | null;
  /** The residual network. @defaultValue `{ type: 'fnn', hidden: [32], dropout: 0.1 }` */
  readonly model: ModelSpec;
  /** Trainer options (`validationSplit` must stay 0: see `validationFraction`). @defaultValue 30 epochs, batch 128, lr 2e-3, early stopping (patience 4, restore best) */
  readonly train: Partial<NeuralTrainParams>;
  /**
   * Share of the latest training windows held out: the earlier half stops the network early, the
   * later half chooses the blend weight of the network over the AR and runs the selection test.
   * 0: nothing held out (early stopping, if any, watches the training loss) and the network gets
   * weight 1 unchecked (AR + network). @defaultValue 0.2
   */
  readonly validationFraction: number;
  /**
   * One-sided significance level the network must reach on the held-out windows to get a
   * non-zero weight: a Diebold–Mariano test (HAC variance) of the blend's squared errors against
   * the AR's on the selection half of the held-out windows. With fewer than 30 of them the test
   * is not trusted and (unless 1) the network gets weight 0. 1: always use the least-squares
   * weight. @defaultValue 0.05
   */
  readonly selectionAlpha: number;
  /** Largest AR order tried by AIC (at most `lookback`); `null`: min(lookback, 10). @defaultValue null */
  readonly arMaxLag: number | null;
  /** Seed of weights, dropout and shuffling. @defaultValue 0 */
  readonly seed: number;
}

const DEFAULTS: ForecasterParams = deepFreeze({
  lookback: 20,
  horizon: 1,
  targetColumn: 0,
  target: 'logReturn',
  inputTransforms: null,
  model: { type: 'fnn', hidden: [32], dropout: 0.1 },
  train: { epochs: 30, batchSize: 128, learningRate: 2e-3, earlyStopping: { patience: 4, restoreBestWeights: true } },
  validationFraction: 0.2,
  selectionAlpha: 0.05,
  arMaxLag: null,
  seed: 0,
});
const RULES: RuleTable<ForecasterParams> = {
  lookback: rules.int({ min: 1 }),
  horizon: rules.int({ min: 1 }),
  targetColumn: rules.int({ min: 0 }),
  target: rules.oneOf(TARGETS),
  inputTransforms: rules.nullable(
    rules.custom(`a non-empty array of ${TARGETS.map((t) => `'${t}'`).join(' | ')}`, (v) => Array.isArray(v) && v.length > 0 && v.every((x) => TARGETS.includes(x as ForecastTarget))),
  ),
  model: rules.custom('a model spec object', (v) => typeof v === 'object' && v !== null && typeof (v as { type?: unknown }).type === 'string'),
  train: rules.custom(
    'a trainer options object without validationSplit (use validationFraction)',
    (v) => typeof v === 'object' && v !== null && !Array.isArray(v) && [undefined, 0].includes((v as { validationSplit?: unknown }).validationSplit as undefined),
  ),
  validationFraction: rules.custom('a number >= 0 and < 1', (v) => typeof v === 'number' && v >= 0 && v < 1),
  selectionAlpha: rules.custom('a number > 0 and <= 1', (v) => typeof v === 'number' && v > 0 && v <= 1),
  arMaxLag: rules.nullable(rules.int({ min: 0 })),
  seed: rules.custom('a safe integer', (v) => typeof v === 'number' && Number.isSafeInteger(v)),
};
const KIND = 'Forecaster';

/**
 * Input series: rows are time steps, columns are series (a 1-D array is one series).
 *
 * @category Presets
 */
export type PriceInput = MatrixLike | readonly number[] | Float64Array;

/**
 * A forecast from the last rows of a history.
 *
 * @category Presets
 */
export interface Forecast {
  /** Predicted values of the target transform (log returns, returns, differences or levels) for steps 1..horizon. */
  readonly returns: number[];
  /** Predicted values of the target column for steps 1..horizon. */
  readonly prices: number[];
  /** The last known value of the target column the path starts from. */
  readonly lastPrice: number;
}

/**
 * Horizon-ahead forecasts for every window of a series.
 *
 * @category Presets
 */
export interface SeriesForecast {
  /** Time index (row of the input matrix) of the forecast value, `t + horizon`. */
  readonly index: Int32Array;
  /** Last known value at forecast time (the naive forecast). */
  readonly lastPrice: Float64Array;
  /** The model's forecast `horizon` steps ahead. */
  readonly predicted: Float64Array;
  /** The realized value `horizon` steps ahead. */
  readonly actual: Float64Array;
}

/**
 * The linear part of a fitted forecaster: AR(p) on the target transform.
 *
 * @category Presets
 */
export interface ForecasterAr {
  readonly order: number;
  readonly intercept: number;
  readonly coefficients: readonly number[];
}

/**
 * Fitted state of a {@link forecaster}.
 *
 * @category Presets
 */
export interface ForecasterState {
  /** Mean of each transformed column over the training rows (input scaling). */
  readonly mean: readonly number[];
  /** Standard deviation of each transformed column over the training rows (1 for constant columns). */
  readonly std: readonly number[];
  readonly nSeries: number;
  /** AR(p) fitted on all training rows. */
  readonly ar: ForecasterAr;
  /** Mean of the AR residual per step (the network predicts standardized residuals). */
  readonly residualMean: readonly number[];
  /** Standard deviation of the AR residual per step. */
  readonly residualStd: readonly number[];
  /** Weight of the network's residual forecast in [0, 1], chosen on the held-out windows (0 = the AR alone). */
  readonly blend: number;
  /**
   * On the selection half of the held-out windows: mean squared error of the AR alone and of AR +
   * least-squares weight · network (target transform units), the one-sided Diebold–Mariano
   * p-value of that improvement and the number of windows (NaN figures without held-out windows).
   */
  readonly validation: { readonly arMse: number; readonly blendMse: number; readonly pValue: number; readonly windows: number };
}

/**
 * A fitted {@link forecaster}.
 *
 * @category Presets
 */
export interface FittedForecaster {
  readonly kind: 'Forecaster';
  readonly params: Readonly<ForecasterParams>;
  /** Scaling, AR and blend statistics fitted on the training rows only. */
  readonly state: ForecasterState;
  /** The residual network. */
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
  /** Fits scaling statistics, the AR, the network and the blend on all rows of `prices` (`options.validationData` is not accepted). */
  fit(prices: PriceInput, options?: NeuralFitOptions): Promise<FittedForecaster>;
  /** A new spec with the given params replaced (validated like the factory); this spec is unchanged. */
  withParams(patch: Partial<ForecasterParams>): Forecaster;
  /** Not available before `fit`: throws NotFittedError. */
  readonly predict: (...args: never[]) => never;
}

// ---------------------------------------------------------------------------------------------
// Data preparation

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
    if (!Number.isFinite(m.data[k] as number)) {
      throw new DataError({ fn, arg: 'prices', expected: 'finite values', got: `${describeValue(m.data[k])} at row ${Math.floor(k / m.cols)}, column ${k % m.cols}` });
    }
  }
  return m;
}

/** The transform of every column (validated against the matrix width). */
function columnTransforms(p: Readonly<ForecasterParams>, cols: number, fn: string): ForecastTarget[] {
  if (p.targetColumn >= cols) throw new ShapeError({ fn, arg: 'prices', expected: `more than targetColumn = ${p.targetColumn} columns`, got: `${cols} columns` });
  if (p.inputTransforms === null) return new Array<ForecastTarget>(cols).fill(p.target);
  if (p.inputTransforms.length !== cols) {
    throw new ShapeError({ fn, arg: 'prices', expected: `${p.inputTransforms.length} columns (one per inputTransforms entry)`, got: `${cols} columns` });
  }
  return [...p.inputTransforms];
}

/** Transformed matrix: row t holds the transform of step t → t+1 (row t+1 of the input). */
function transformRows(p: DenseMatrix, kinds: readonly ForecastTarget[], fn: string): DenseMatrix {
  const n = p.rows - 1;
  const c = p.cols;
  const out = new Float64Array(n * c);
  for (let j = 0; j < c; j++) {
    const kind = kinds[j] as ForecastTarget;
    if (kind === 'logReturn' || kind === 'return') {
      for (let t = 0; t < p.rows; t++) {
        const v = p.data[t * c + j] as number;
        if (!(v > 0)) {
          throw new DataError({
            fn,
            arg: 'prices',
            expected: `strictly positive values in column ${j} (transform '${kind}'; use 'diff' or 'level' for series that can be <= 0)`,
            got: `${describeValue(v)} at row ${t}`,
          });
        }
      }
    }
    for (let t = 0; t < n; t++) {
      const a = p.data[t * c + j] as number;
      const b = p.data[(t + 1) * c + j] as number;
      out[t * c + j] = kind === 'logReturn' ? Math.log(b / a) : kind === 'return' ? b / a - 1 : kind === 'diff' ? b - a : b;
    }
  }
  return { rows: n, cols: c, data: out };
}

/** Mean and std of each column over the rows [from, to). */
function moments(r: DenseMatrix, from: number, to: number): { mean: number[]; std: number[] } {
  const mean = new Array<number>(r.cols).fill(0);
  const std = new Array<number>(r.cols).fill(0);
  const rows = to - from;
  for (let t = from; t < to; t++) for (let j = 0; j < r.cols; j++) mean[j] = (mean[j] as number) + (r.data[t * r.cols + j] as number) / rows;
  for (let t = from; t < to; t++) for (let j = 0; j < r.cols; j++) std[j] = (std[j] as number) + ((r.data[t * r.cols + j] as number) - (mean[j] as number)) ** 2 / rows;
  return { mean, std: std.map((v) => (v > 0 ? Math.sqrt(v) : 1)) };
}

/** Scaled input windows starting at the given window indices (window s covers transformed rows s..s+L-1). */
function windowInputs(r: DenseMatrix, starts: ArrayLike<number>, lookback: number, mean: readonly number[], std: readonly number[]): Float32Array {
  const f = r.cols;
  const x = new Float32Array(starts.length * lookback * f);
  for (let i = 0; i < starts.length; i++) {
    const s = starts[i] as number;
    for (let t = 0; t < lookback; t++) {
      for (let j = 0; j < f; j++) x[(i * lookback + t) * f + j] = ((r.data[(s + t) * f + j] as number) - (mean[j] as number)) / (std[j] as number);
    }
  }
  return x;
}

/** The target column of the transformed matrix. */
function targetSeries(r: DenseMatrix, col: number): Float64Array {
  const y = new Float64Array(r.rows);
  for (let t = 0; t < r.rows; t++) y[t] = r.data[t * r.cols + col] as number;
  return y;
}

/** AR forecasts (steps 1..h) of every window: window s uses y[s..s+L-1]. Row-major [windows, h]. */
function arWindows(ar: ForecasterAr, y: Float64Array, starts: ArrayLike<number>, lookback: number, h: number): Float64Array {
  const out = new Float64Array(starts.length * h);
  for (let i = 0; i < starts.length; i++) {
    const s = starts[i] as number;
    const f = arForecastSteps(ar.intercept, ar.coefficients, y.subarray(s, s + lookback), h);
    for (let k = 0; k < h; k++) out[i * h + k] = f[k] as number;
  }
  return out;
}

/** AR(p) with p chosen by AIC on y[from, to) (capped so that every order has enough observations). */
function fitArSegment(y: Float64Array, from: number, to: number, maxLag: number): ForecasterAr {
  const seg = y.subarray(from, to);
  const cap = Math.max(0, Math.min(maxLag, Math.floor((seg.length - 2) / 2)));
  let order = 0;
  let best = Infinity;
  for (let p = 0; p <= cap; p++) {
    const f = fitArOrder(seg, p, cap);
    const v = arAic(f.ssr, f.m, p);
    if (v < best) {
      best = v;
      order = p;
    }
  }
  const f = fitArOrder(seg, order, order);
  return Object.freeze({ order, intercept: f.beta[0] as number, coefficients: Object.freeze(Array.from(f.beta.subarray(1))) });
}

/** Value of the target column after the path of transformed values `path` from `last`. */
function pathEnd(last: number, path: ArrayLike<number>, kind: ForecastTarget): number[] {
  const out: number[] = [];
  let v = last;
  for (let k = 0; k < path.length; k++) {
    const r = path[k] as number;
    v = kind === 'logReturn' ? v * Math.exp(r) : kind === 'return' ? v * (1 + r) : kind === 'diff' ? v + r : r;
    out.push(v);
  }
  return out;
}

/** Fewest held-out windows on which the Diebold–Mariano selection test is trusted (normal approximation). */
const MIN_SELECTION_WINDOWS = 30;

const arMaxLagOf = (p: Readonly<ForecasterParams>): number => p.arMaxLag ?? Math.min(p.lookback, 10);

// ---------------------------------------------------------------------------------------------
// The fitted model

/** Runs the network on scaled windows and reads the outputs back. */
function runNetwork(network: FittedNeuralRegressor, x: Float32Array, count: number, lookback: number, cols: number): Float64Array {
  const xt = tf.tensor3d(x, [count, lookback, cols]);
  try {
    const out = network.predict(xt as tf.Tensor);
    try {
      return Float64Array.from(out.dataSync() as ArrayLike<number>);
    } finally {
      out.dispose();
    }
  } finally {
    xt.dispose();
  }
}

/** Predicted transformed values [windows, h] of the fitted model: AR + blend · residual network. */
function predictTransformed(params: Readonly<ForecasterParams>, state: ForecasterState, network: FittedNeuralRegressor, r: DenseMatrix, starts: Int32Array): Float64Array {
  const { lookback: l, horizon: h } = params;
  const y = targetSeries(r, params.targetColumn);
  const out = arWindows(state.ar, y, starts, l, h);
  if (state.blend === 0) return out;
  const z = runNetwork(network, windowInputs(r, starts, l, state.mean, state.std), starts.length, l, r.cols);
  for (let i = 0; i < starts.length; i++) {
    for (let k = 0; k < h; k++) {
      const res = (z[i * h + k] as number) * (state.residualStd[k] as number) + (state.residualMean[k] as number);
      out[i * h + k] = (out[i * h + k] as number) + state.blend * res;
    }
  }
  return out;
}

function seriesForecast(p: DenseMatrix, starts: Int32Array, values: Float64Array, params: Readonly<ForecasterParams>): SeriesForecast {
  const { lookback: l, horizon: h, targetColumn: target } = params;
  const n = starts.length;
  const index = new Int32Array(n);
  const lastPrice = new Float64Array(n);
  const predicted = new Float64Array(n);
  const actual = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const s = starts[i] as number;
    const t0 = s + l; // last known row: transformed rows s..s+l-1 span input rows s..s+l
    const last = p.data[t0 * p.cols + target] as number;
    index[i] = t0 + h;
    lastPrice[i] = last;
    predicted[i] = pathEnd(last, values.subarray(i * h, (i + 1) * h), params.target)[h - 1] as number;
    actual[i] = p.data[(t0 + h) * p.cols + target] as number;
  }
  return Object.freeze({ index, lastPrice, predicted, actual });
}

function makeFitted(params: Readonly<ForecasterParams>, state: ForecasterState, network: FittedNeuralRegressor): FittedForecaster {
  const { lookback: l, horizon: h } = params;
  const read = (prices: PriceInput, fn: string, minRows: number): { m: DenseMatrix; r: DenseMatrix } => {
    if (network.isDisposed) throw new DisposedError(fn, 'forecaster');
    const m = readPrices(prices, fn, minRows);
    if (m.cols !== state.nSeries) throw new ShapeError({ fn, arg: 'prices', expected: `${state.nSeries} series (columns), as seen in fit`, got: `${m.cols}` });
    return { m, r: transformRows(m, columnTransforms(params, m.cols, fn), fn) };
  };
  const fitted: FittedForecaster = {
    kind: KIND,
    params,
    state,
    network,
    predict(history: PriceInput): Forecast {
      const fn = 'Forecaster.predict';
      const { m, r } = read(history, fn, l + 1);
      const start = Int32Array.of(r.rows - l);
      const rets = Array.from(predictTransformed(params, state, network, r, start));
      const lastPrice = m.data[(m.rows - 1) * m.cols + params.targetColumn] as number;
      return Object.freeze({ returns: rets, prices: pathEnd(lastPrice, rets, params.target), lastPrice });
    },
    predictSeries(prices: PriceInput): SeriesForecast {
      const fn = 'Forecaster.predictSeries';
      const { m, r } = read(prices, fn, l + h + 1);
      const starts = Int32Array.from({ length: r.rows - l - h + 1 }, (_, i) => i);
      return seriesForecast(m, starts, predictTransformed(params, state, network, r, starts), params);
    },
    toJSON: (): EstimatorJSON => ({
      kind: KIND,
      version: 2,
      params: params as unknown as JsonValue,
      state: {
        mean: [...state.mean],
        std: [...state.std],
        nSeries: state.nSeries,
        ar: { order: state.ar.order, intercept: state.ar.intercept, coefficients: [...state.ar.coefficients] },
        residualMean: [...state.residualMean],
        residualStd: [...state.residualStd],
        blend: state.blend,
        validation: {
          arMse: Number.isFinite(state.validation.arMse) ? state.validation.arMse : null,
          blendMse: Number.isFinite(state.validation.blendMse) ? state.validation.blendMse : null,
          pValue: Number.isFinite(state.validation.pValue) ? state.validation.pValue : null,
          windows: state.validation.windows,
        },
        network: network.toJSON() as unknown as JsonValue,
      },
    }),
    dispose: () => network.dispose(),
    [Symbol.dispose]: () => network.dispose(),
  };
  return Object.freeze(fitted);
}

/**
 * Fits scaling, the AR, the residual network and the blend on the training windows `trainStarts`
 * (consecutive window indices). Only transformed rows the training windows touch are read.
 */
async function fitOn(params: Readonly<ForecasterParams>, r: DenseMatrix, trainStarts: Int32Array, options: NeuralFitOptions | undefined, fn: string): Promise<FittedForecaster> {
  const { lookback: l, horizon: h, targetColumn: tc } = params;
  if (options?.validationData !== undefined) {
    throw new InvalidOptionError({ fn, arg: 'options.validationData', expected: 'undefined (the forecaster holds out its latest training windows: validationFraction)', got: 'validation data' });
  }
  const first = trainStarts[0] as number;
  const last = trainStarts[trainStarts.length - 1] as number;
  const segEnd = last + l + h; // transformed rows [first, segEnd) are the training rows
  const y = targetSeries(r, tc);
  const { mean, std } = moments(r, first, segEnd);
  const maxLag = arMaxLagOf(params);

  // Inner split: the latest windows are held out; a purge of h - 1 windows keeps the targets apart.
  const n = trainStarts.length;
  const nVal = params.validationFraction === 0 ? 0 : Math.max(1, Math.floor(n * params.validationFraction));
  const nSub = n - nVal - (nVal > 0 ? h - 1 : 0);
  if (nSub < 2) {
    throw new DataError({ fn, arg: 'prices', expected: `enough windows for the held-out validation (validationFraction ${params.validationFraction}) and at least 2 training windows`, got: `${n} windows` });
  }
  const sub = trainStarts.subarray(0, nSub);
  const val = trainStarts.subarray(n - nVal);
  const arSub = fitArSegment(y, first, (sub[nSub - 1] as number) + l + h, maxLag);
  const residuals = (starts: Int32Array, ar: ForecasterAr): Float64Array => {
    const a = arWindows(ar, y, starts, l, h);
    for (let i = 0; i < starts.length; i++) {
      for (let k = 0; k < h; k++) a[i * h + k] = (y[(starts[i] as number) + l + k] as number) - (a[i * h + k] as number);
    }
    return a;
  };
  const resSub = residuals(sub, arSub);
  const residualMean = new Array<number>(h).fill(0);
  const residualStd = new Array<number>(h).fill(0);
  for (let i = 0; i < nSub; i++) for (let k = 0; k < h; k++) residualMean[k] = (residualMean[k] as number) + (resSub[i * h + k] as number) / nSub;
  for (let i = 0; i < nSub; i++) for (let k = 0; k < h; k++) residualStd[k] = (residualStd[k] as number) + ((resSub[i * h + k] as number) - (residualMean[k] as number)) ** 2 / nSub;
  for (let k = 0; k < h; k++) residualStd[k] = (residualStd[k] as number) > 0 ? Math.sqrt(residualStd[k] as number) : 1;
  const scaled = (res: Float64Array): Float32Array => Float32Array.from(res, (v, i) => (v - (residualMean[i % h] as number)) / (residualStd[i % h] as number));

  const xt = tf.tensor3d(windowInputs(r, sub, l, mean, std), [nSub, l, r.cols]);
  const yt = tf.tensor2d(scaled(resSub), [nSub, h]);
  // The held-out windows: the earlier half stops the network early, the later half (untouched by
  // training decisions) fixes the blend weight and runs the selection test; h - 1 windows apart.
  const half = nVal >= 2 ? Math.floor(nVal / 2) : 0;
  const es = val.subarray(0, Math.max(0, half - (h - 1)));
  const sel = val.subarray(half);
  const nSel = sel.length;
  const xv = es.length > 0 ? tf.tensor3d(windowInputs(r, es, l, mean, std), [es.length, l, r.cols]) : null;
  const yv = es.length > 0 ? tf.tensor2d(scaled(residuals(es, arSub)), [es.length, h]) : null;
  const resVal = residuals(sel, arSub);
  let network: FittedNeuralRegressor;
  try {
    network = await neuralRegressor({ model: params.model, train: params.train, seed: params.seed }).fit(xt, yt, {
      ...options,
      ...(xv !== null && yv !== null && { validationData: { x: xv, y: yv } }),
    });
  } finally {
    tf.dispose([xt, yt, ...(xv === null ? [] : [xv]), ...(yv === null ? [] : [yv])]);
  }
  try {
    // Blend weight: least squares of the AR residual on the network's residual forecast over the
    // held-out windows, clipped to [0, 1] (0: the AR alone is at least as good there).
    let blend = 0;
    let arMse = Number.NaN;
    let blendMse = Number.NaN;
    let pValue = Number.NaN;
    if (nSel > 0) {
      const z = runNetwork(network, windowInputs(r, sel, l, mean, std), nSel, l, r.cols);
      let num = 0;
      let den = 0;
      let sse = 0;
      for (let i = 0; i < nSel * h; i++) {
        const net = (z[i] as number) * (residualStd[i % h] as number) + (residualMean[i % h] as number);
        const e = resVal[i] as number;
        num += net * e;
        den += net * net;
        sse += e * e;
      }
      const w = den > 0 && Number.isFinite(num / den) ? Math.min(1, Math.max(0, num / den)) : 0;
      arMse = sse / (nSel * h);
      // Errors of the last step only for the test (one forecast per window, as evaluated).
      const eBlend = new Float64Array(nSel);
      const eAr = new Float64Array(nSel);
      let bse = 0;
      for (let i = 0; i < nSel * h; i++) {
        const net = (z[i] as number) * (residualStd[i % h] as number) + (residualMean[i % h] as number);
        const e = (resVal[i] as number) - w * net;
        bse += e * e;
        if (i % h === h - 1) {
          eBlend[(i - h + 1) / h] = e;
          eAr[(i - h + 1) / h] = resVal[i] as number;
        }
      }
      blendMse = bse / (nSel * h);
      if (w > 0 && nSel >= MIN_SELECTION_WINDOWS) {
        const dm = dieboldMariano(eBlend, eAr, { horizon: h });
        pValue = dm.statistic < 0 ? dm.pValue / 2 : 1 - dm.pValue / 2;
      } else {
        pValue = 1;
      }
      blend = params.selectionAlpha >= 1 || pValue < params.selectionAlpha ? w : 0;
    } else {
      blend = 1;
    }
    const ar = fitArSegment(y, first, segEnd, maxLag);
    const state: ForecasterState = deepFreeze({
      mean,
      std,
      nSeries: r.cols,
      ar,
      residualMean,
      residualStd,
      blend,
      validation: { arMse, blendMse, pValue, windows: nSel },
    });
    return makeFitted(params, state, network);
  } catch (e) {
    network.dispose();
    throw e;
  }
}

function resolveParams(fn: string, given: Partial<ForecasterParams>): ForecasterParams {
  const p = deepFreeze(structuredClone(resolveOptions(fn, given, DEFAULTS, RULES)) as ForecasterParams);
  if (p.arMaxLag !== null && p.arMaxLag > p.lookback) {
    throw new InvalidOptionError({ fn, arg: 'arMaxLag', expected: `null or an integer <= lookback (${p.lookback})`, got: describeValue(p.arMaxLag) });
  }
  if (p.inputTransforms !== null && p.targetColumn < p.inputTransforms.length && p.inputTransforms[p.targetColumn] !== p.target) {
    throw new InvalidOptionError({
      fn,
      arg: 'inputTransforms',
      expected: `'${p.target}' (the target) at targetColumn ${p.targetColumn}`,
      got: describeValue(p.inputTransforms[p.targetColumn]),
    });
  }
  return p;
}

/**
 * A forecaster for one column of a multivariate series: an autoregression AR(p) of the target
 * transform (p by AIC, least squares) plus a network (a small MLP by default; any
 * {@link ModelSpec}) that predicts what the AR leaves over from the last `lookback` transformed
 * values of every column. The latest `validationFraction` of the training windows are held out:
 * the earlier half stops the network early; the later half fixes the blend weight `w ∈ [0, 1]`
 * of the network (forecast = AR + w · network) by least squares, so that on them the forecaster
 * is never worse than the AR alone, and the network keeps its weight only if that improvement
 * passes a one-sided Diebold–Mariano test at `selectionAlpha` (otherwise w = 0 and the forecasts
 * are exactly the AR's).
 * All statistics come from the training rows only. Evaluate it with {@link walkForwardEvaluate}.
 *
 * @param params - {@link ForecasterParams}.
 * @returns a frozen spec; `await spec.fit(prices)` gives a {@link FittedForecaster}.
 * @throws {InvalidOptionError} invalid params.
 * @example
 * ```ts
 * import { forecaster } from 'finml';
 * const prices = Array.from({ length: 200 }, (_, t) => 100 * Math.exp(0.02 * Math.sin(t / 3) + 0.001 * t));
 * const fc = await forecaster({ lookback: 20, train: { epochs: 10 }, seed: 1 }).fit(prices);
 * const f = fc.predict(prices);   // from the last lookback + 1 prices
 * f.prices.length;                //=> 1 (horizon 1: the next price)
 * f.lastPrice === prices[199];    //=> true
 * fc.state.ar.order >= 0;         //=> true
 * fc.dispose();
 * ```
 * @category Presets
 */
export function forecaster(params: Partial<ForecasterParams> = {}): Forecaster {
  const p = resolveParams('forecaster', params);
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
      const r = transformRows(m, columnTransforms(p, m.cols, fn), fn);
      const count = r.rows - p.lookback - p.horizon + 1;
      return fitOn(p, r, Int32Array.from({ length: count }, (_, i) => i), options, fn);
    },
  }) as Forecaster;
}

function readAr(v: unknown, fn: string, lookback: number): ForecasterAr {
  const o = v as { order?: unknown; intercept?: unknown } | null;
  if (typeof o !== 'object' || o === null || typeof o.order !== 'number' || !Number.isInteger(o.order) || o.order < 0 || o.order > lookback) {
    throw new SerializationError({ fn, arg: 'state.ar', expected: `an AR object with an integer order in [0, ${lookback}]`, got: describeValue(v) });
  }
  if (typeof o.intercept !== 'number' || !Number.isFinite(o.intercept)) throw new SerializationError({ fn, arg: 'state.ar.intercept', expected: 'a finite number', got: describeValue(o.intercept) });
  const coefficients = readNumberArray(o, 'coefficients', fn, { length: o.order });
  return { order: o.order, intercept: o.intercept, coefficients };
}

/**
 * Restores a fitted {@link forecaster} (async: the network is rebuilt). Version-1 envelopes (the
 * network-only forecaster with `transform`/`target` column params) load as AR order 0 with
 * intercept 0 and blend 1, which predicts exactly as before.
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
  const env = checkEnvelope(json, KIND, [1, 2], fn);
  let rawParams = env.params;
  if (env.version === 1 && typeof rawParams === 'object' && rawParams !== null && !Array.isArray(rawParams)) {
    // v1: { target: column, transform: 'logReturns' | 'returns', ... } and validationSplit inside train
    const { target, transform, train, ...rest } = rawParams as Record<string, JsonValue>;
    const t = transform === 'returns' ? 'return' : transform === 'logReturns' || transform === undefined ? 'logReturn' : transform;
    const { validationSplit: _vs, ...trainRest } = (typeof train === 'object' && train !== null && !Array.isArray(train) ? train : {}) as Record<string, JsonValue>;
    rawParams = { ...rest, targetColumn: target ?? 0, target: t, train: trainRest } as JsonValue;
  }
  const params = paramsFromJSON<ForecasterParams>(fn, rawParams, (q) => resolveParams(fn, q));
  const st = env.state as Record<string, unknown>;
  const nSeries = st.nSeries;
  if (typeof nSeries !== 'number' || !Number.isInteger(nSeries) || nSeries < 1) {
    throw new SerializationError({ fn, arg: 'state.nSeries', expected: 'a positive integer', got: describeValue(nSeries) });
  }
  if (params.targetColumn >= nSeries) {
    throw new SerializationError({ fn, arg: `params.${env.version === 1 ? 'target' : 'targetColumn'}`, expected: `a column index below state.nSeries = ${nSeries}`, got: describeValue(params.targetColumn) });
  }
  if (params.inputTransforms !== null && params.inputTransforms.length !== nSeries) {
    throw new SerializationError({ fn, arg: 'params.inputTransforms', expected: `${nSeries} entries (state.nSeries)`, got: `${params.inputTransforms.length}` });
  }
  const mean = readNumberArray(st, 'mean', fn, { length: nSeries });
  const std = readNumberArray(st, 'std', fn, { length: nSeries });
  const h = params.horizon;
  let state: ForecasterState;
  if (env.version === 1) {
    const tc = params.targetColumn;
    state = {
      mean,
      std,
      nSeries,
      ar: { order: 0, intercept: 0, coefficients: [] },
      residualMean: new Array<number>(h).fill(mean[tc] as number),
      residualStd: new Array<number>(h).fill(std[tc] as number),
      blend: 1,
      validation: { arMse: Number.NaN, blendMse: Number.NaN, pValue: Number.NaN, windows: 0 },
    };
  } else {
    const blend = st.blend;
    if (typeof blend !== 'number' || !(blend >= 0 && blend <= 1)) throw new SerializationError({ fn, arg: 'state.blend', expected: 'a number in [0, 1]', got: describeValue(blend) });
    const v = st.validation as { arMse?: unknown; blendMse?: unknown; pValue?: unknown; windows?: unknown } | null;
    const num = (x: unknown): number => (typeof x === 'number' ? x : Number.NaN);
    if (typeof v !== 'object' || v === null || typeof v.windows !== 'number' || !Number.isInteger(v.windows) || v.windows < 0) {
      throw new SerializationError({ fn, arg: 'state.validation', expected: 'an object with an integer windows >= 0', got: describeValue(v) });
    }
    state = {
      mean,
      std,
      nSeries,
      ar: readAr(st.ar, fn, params.lookback),
      residualMean: readNumberArray(st, 'residualMean', fn, { length: h }),
      residualStd: readNumberArray(st, 'residualStd', fn, { length: h }),
      blend,
      validation: { arMse: num(v.arMse), blendMse: num(v.blendMse), pValue: num(v.pValue), windows: v.windows },
    };
  }
  const net = await neuralModelFromJSON(st.network);
  if (net.kind !== 'NeuralRegressor') {
    net.dispose();
    throw new SerializationError({ fn, arg: 'state.network', expected: 'a NeuralRegressor envelope', got: net.kind });
  }
  if (net.outputUnits !== h || net.nFeaturesIn !== params.lookback * nSeries) {
    net.dispose();
    throw new SerializationError({ fn, arg: 'state.network', expected: `a network with ${params.lookback * nSeries} inputs and ${h} outputs`, got: `${net.nFeaturesIn} inputs and ${net.outputUnits} outputs` });
  }
  return makeFitted(params, deepFreeze(state), net);
}

// ---------------------------------------------------------------------------------------------
// Walk-forward evaluation

/**
 * Progress of {@link walkForwardEvaluate}: reported after every epoch of every fold's network.
 *
 * @category Presets
 */
export interface WalkForwardProgress {
  /** 0-based fold index. */
  readonly fold: number;
  readonly folds: number;
  /** 1-based epoch just finished in this fold. */
  readonly epoch: number;
  /** Maximum epochs per fold (early stopping may end a fold sooner). */
  readonly epochs: number;
  readonly loss: number;
  readonly valLoss: number | null;
  /** Milliseconds since the evaluation started. */
  readonly elapsedMs: number;
  /**
   * Estimated milliseconds left: elapsed time per (training window × epoch) so far, times the work
   * left (remaining epochs of this fold and of later folds, scaled by the share of the maximum
   * epochs the finished folds ran).
   */
  readonly etaMs: number;
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
  /** Called after every epoch of every fold, with elapsed time and ETA. */
  readonly onProgress?: ((progress: WalkForwardProgress) => void | Promise<void>) | null;
}

/**
 * Error statistics of one forecast (model or baseline), on the scale of the target column.
 *
 * @category Presets
 */
export interface ForecastScores {
  readonly rmse: number;
  readonly mae: number;
  /**
   * Share of forecasts whose direction (up/down vs the last value) matches the realized one,
   * over the forecasts whose realized move is not zero. A forecast of no move (the naive
   * forecast) counts as the "always up" call: its accuracy is the share of up moves.
   */
  readonly directionalAccuracy: number;
  /** Share of "up" calls over the same forecasts (a forecast of no move counts as up). */
  readonly upShare: number;
  /** Forecasts scored (RMSE/MAE). */
  readonly n: number;
  /** Forecasts with a non-zero realized move (directional figures). */
  readonly nMoves: number;
}

/**
 * The classical baselines {@link walkForwardEvaluate} fits on every fold.
 *
 * @category Presets
 */
export type BaselineName = 'naive' | 'mean' | 'ar';

/**
 * One walk-forward fold.
 *
 * @category Presets
 */
export interface WalkForwardFold {
  readonly fold: number;
  readonly trainWindows: number;
  /** First and last forecast rows of the test fold. */
  readonly testFrom: number;
  readonly testTo: number;
  readonly model: ForecastScores;
  /** Last value ("tomorrow = today"). */
  readonly naive: ForecastScores;
  /** Mean of the target transform over the training rows (drift for returns and differences, the mean level for levels). */
  readonly mean: ForecastScores;
  /** AR(p) with p by AIC on the training rows. */
  readonly ar: ForecastScores;
  /** The AR order chosen on this fold's training rows. */
  readonly arOrder: number;
  /** Blend weight of the network over the AR chosen on the held-out training windows. */
  readonly blend: number;
  /** `1 − rmse(model) / rmse(best baseline of this fold)`. */
  readonly skill: number;
  readonly epochs: number;
  /** Milliseconds this fold took. */
  readonly elapsedMs: number;
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
  readonly mean: ForecastScores;
  readonly ar: ForecastScores;
  /** The baseline with the smallest pooled RMSE. */
  readonly best: BaselineName;
  /** `1 − rmse(model) / rmse(best baseline)`: positive when the model beats every baseline. */
  readonly skill: number;
  /** `1 − rmse(model) / rmse(baseline)` for every baseline. */
  readonly skills: Readonly<Record<BaselineName, number>>;
  /** `1 − rmse(model) / rmse(naive)` (same as `skills.naive`). */
  readonly rmseSkill: number;
  /** Diebold–Mariano test of the model against the best baseline (squared errors, HAC variance); negative statistic = the model is more accurate. */
  readonly dm: DieboldMarianoResult & { readonly baseline: BaselineName };
  /** All out-of-sample forecasts of the model, in time order. */
  readonly forecasts: SeriesForecast;
  /** The baselines' forecasts of the same rows. */
  readonly baselineForecasts: Readonly<Record<BaselineName, Float64Array>>;
  /** Description of the target: transform, horizon. */
  readonly target: ForecastTarget;
  readonly horizon: number;
  /** Milliseconds the whole evaluation took. */
  readonly elapsedMs: number;
}

function scoreOf(actual: Float64Array, last: Float64Array, predicted: Float64Array): ForecastScores {
  let se = 0;
  let ae = 0;
  let hit = 0;
  let up = 0;
  let moves = 0;
  const n = actual.length;
  for (let i = 0; i < n; i++) {
    const a = actual[i] as number;
    const p = predicted[i] as number;
    const l = last[i] as number;
    se += (a - p) ** 2;
    ae += Math.abs(a - p);
    const move = Math.sign(a - l);
    if (move === 0) continue;
    moves++;
    const call = p - l < 0 ? -1 : 1; // no move = the "up" call
    if (call === 1) up++;
    if (call === move) hit++;
  }
  return Object.freeze({ rmse: Math.sqrt(se / n), mae: ae / n, directionalAccuracy: moves > 0 ? hit / moves : Number.NaN, upShare: moves > 0 ? up / moves : Number.NaN, n, nMoves: moves });
}

const BASELINES: readonly BaselineName[] = ['naive', 'mean', 'ar'];

function bestOf(s: Record<BaselineName, ForecastScores>): BaselineName {
  let best: BaselineName = 'naive';
  for (const b of BASELINES) if (s[b].rmse < s[best].rmse) best = b;
  return best;
}

/**
 * Walk-forward evaluation of a {@link forecaster} spec against the classical baselines on exactly
 * the same folds and training rows: the naive last-value forecast, the mean/drift forecast (mean
 * of the target transform over the training rows) and an AR(p) by least squares with p chosen by
 * AIC on the training rows. For each fold a fresh model is fitted on the windows before the fold
 * (statistics of those rows only, and a gap of at least `horizon − 1` windows so that no training
 * target overlaps a test target), then forecasts every window of the fold. The report gives
 * per-fold and pooled RMSE/MAE/directional accuracy (with the share of "up" calls; zero moves
 * excluded) of the model and every baseline, the model's skill against the best baseline and a
 * Diebold–Mariano test (HAC variance) against it. {@link forecastReportTable} prints it.
 *
 * @param spec - An unfitted {@link forecaster} spec; a fresh copy is fitted for every fold.
 * @param prices - The history (oldest first; rows are time steps, columns are series).
 * @param options - Folds, test size, gap, training-size cap, per-fold and per-epoch callbacks: {@link WalkForwardEvaluateOptions}.
 * @returns the {@link WalkForwardReport}.
 * @throws {DataError} too short a series for the folds, non-finite values, non-positive prices under `logReturn`/`return`. @throws {ShapeError} no such target column. @throws {InvalidOptionError} invalid options.
 * @example
 * ```ts
 * import { forecaster, walkForwardEvaluate } from 'finml';
 * const prices = Array.from({ length: 300 }, (_, t) => 100 * Math.exp(0.02 * Math.sin(t / 3) + 0.001 * t));
 * const report = await walkForwardEvaluate(forecaster({ lookback: 10, train: { epochs: 5 }, seed: 1 }), prices, { nSplits: 3 });
 * report.folds.length;           //=> 3
 * [report.model.rmse, report.ar.rmse, report.naive.rmse]; // pooled RMSE of the model, the AR and the naive forecast
 * report.skill;                  // > 0 when the model beats the best baseline
 * report.dm.pValue;              // Diebold–Mariano p-value against the best baseline
 * ```
 * @category Presets
 */
export async function walkForwardEvaluate(spec: Forecaster, prices: PriceInput, options: WalkForwardEvaluateOptions = {}): Promise<WalkForwardReport> {
  const fn = 'walkForwardEvaluate';
  const t0 = performance.now();
  const defaults: Required<WalkForwardEvaluateOptions> = { nSplits: 5, testSize: null, gap: 0, maxTrainSize: null, onFold: null, onProgress: null };
  const o = resolveOptions<Required<WalkForwardEvaluateOptions>>(fn, options, defaults, {
    nSplits: rules.int({ min: 1 }),
    testSize: rules.nullable(rules.int({ min: 1 })),
    gap: rules.int({ min: 0 }),
    maxTrainSize: rules.nullable(rules.int({ min: 1 })),
    onFold: rules.nullable(rules.func()),
    onProgress: rules.nullable(rules.func()),
  });
  const p = spec.params;
  const { lookback: l, horizon: h, targetColumn: tc } = p;
  const m = readPrices(prices, fn, l + h + 2);
  const r = transformRows(m, columnTransforms(p, m.cols, fn), fn);
  const y = targetSeries(r, tc);
  const count = r.rows - l - h + 1;
  const splits = walkForwardSplit(count, { nSplits: o.nSplits, testSize: o.testSize, gap: o.gap + h - 1, maxTrainSize: o.maxTrainSize });
  const maxEpochs = typeof p.train.epochs === 'number' ? p.train.epochs : 20;
  const work = splits.map((s) => s.train.length);
  let doneWork = 0;
  let epochShare = 1;
  let finishedEpochs = 0;
  let finishedMax = 0;

  const folds: WalkForwardFold[] = [];
  const parts: { f: SeriesForecast; base: Record<BaselineName, Float64Array> }[] = [];
  for (let k = 0; k < splits.length; k++) {
    const tf0 = performance.now();
    const s = splits[k] as { train: Int32Array; test: Int32Array };
    const nTrain = s.train.length;
    const foldWorkBefore = doneWork;
    const onEpochEnd =
      o.onProgress === null
        ? undefined
        : async (logs: { epoch: number; loss: number; valLoss?: number }): Promise<void> => {
            const done = foldWorkBefore + nTrain * (logs.epoch + 1);
            let left = nTrain * Math.max(0, maxEpochs - logs.epoch - 1) * epochShare;
            for (let j = k + 1; j < splits.length; j++) left += (work[j] as number) * maxEpochs * epochShare;
            const elapsedMs = performance.now() - t0;
            await (o.onProgress as (q: WalkForwardProgress) => void | Promise<void>)(
              Object.freeze({ fold: k, folds: splits.length, epoch: logs.epoch + 1, epochs: maxEpochs, loss: logs.loss, valLoss: logs.valLoss ?? null, elapsedMs, etaMs: (elapsedMs / done) * left }),
            );
          };
    const fitted = await fitOn(p, r, s.train, onEpochEnd === undefined ? undefined : { onEpochEnd }, fn);
    try {
      const f = seriesForecast(m, s.test, predictTransformed(p, fitted.state, fitted.network, r, s.test), p);
      // Baselines on the same training rows [first, segEnd) of the target transform.
      const first = s.train[0] as number;
      const segEnd = (s.train[nTrain - 1] as number) + l + h;
      let mu = 0;
      for (let t = first; t < segEnd; t++) mu += (y[t] as number) / (segEnd - first);
      const ar = fitArSegment(y, first, segEnd, arMaxLagOf(p));
      const arPaths = arWindows(ar, y, s.test, l, h);
      const muPath = new Array<number>(h).fill(mu);
      const base: Record<BaselineName, Float64Array> = {
        naive: Float64Array.from(f.lastPrice),
        mean: Float64Array.from(f.lastPrice, (last) => pathEnd(last, muPath, p.target)[h - 1] as number),
        ar: Float64Array.from(f.lastPrice, (last, i) => pathEnd(last, arPaths.subarray(i * h, (i + 1) * h), p.target)[h - 1] as number),
      };
      parts.push({ f, base });
      const sc = {
        naive: scoreOf(f.actual, f.lastPrice, base.naive),
        mean: scoreOf(f.actual, f.lastPrice, base.mean),
        ar: scoreOf(f.actual, f.lastPrice, base.ar),
      };
      const model = scoreOf(f.actual, f.lastPrice, f.predicted);
      const epochs = fitted.network.training.epochs;
      const fold: WalkForwardFold = Object.freeze({
        fold: k,
        trainWindows: nTrain,
        testFrom: f.index[0] as number,
        testTo: f.index[f.index.length - 1] as number,
        model,
        ...sc,
        arOrder: ar.order,
        blend: fitted.state.blend,
        skill: 1 - model.rmse / sc[bestOf(sc)].rmse,
        epochs,
        elapsedMs: performance.now() - tf0,
      });
      folds.push(fold);
      doneWork += nTrain * epochs;
      finishedEpochs += epochs;
      finishedMax += maxEpochs;
      epochShare = finishedEpochs / finishedMax;
      if (o.onFold !== null) await o.onFold(fold);
    } finally {
      fitted.dispose();
    }
  }
  const cat = (get: (x: (typeof parts)[number]) => ArrayLike<number>): Float64Array => {
    const out = new Float64Array(parts.reduce((a, x) => a + get(x).length, 0));
    let at = 0;
    for (const x of parts) {
      out.set(get(x) as Float64Array, at);
      at += get(x).length;
    }
    return out;
  };
  const forecasts: SeriesForecast = Object.freeze({
    index: Int32Array.from(cat((x) => x.f.index)),
    lastPrice: cat((x) => x.f.lastPrice),
    predicted: cat((x) => x.f.predicted),
    actual: cat((x) => x.f.actual),
  });
  const baselineForecasts = Object.freeze({ naive: cat((x) => x.base.naive), mean: cat((x) => x.base.mean), ar: cat((x) => x.base.ar) });
  const model = scoreOf(forecasts.actual, forecasts.lastPrice, forecasts.predicted);
  const sc = {
    naive: scoreOf(forecasts.actual, forecasts.lastPrice, baselineForecasts.naive),
    mean: scoreOf(forecasts.actual, forecasts.lastPrice, baselineForecasts.mean),
    ar: scoreOf(forecasts.actual, forecasts.lastPrice, baselineForecasts.ar),
  };
  const best = bestOf(sc);
  const skills = Object.freeze({ naive: 1 - model.rmse / sc.naive.rmse, mean: 1 - model.rmse / sc.mean.rmse, ar: 1 - model.rmse / sc.ar.rmse });
  const err = (pred: Float64Array): Float64Array => Float64Array.from(forecasts.actual, (a, i) => a - (pred[i] as number));
  const dm =
    forecasts.actual.length >= 2
      ? dieboldMariano(err(forecasts.predicted), err(baselineForecasts[best]), { horizon: h })
      : { statistic: 0, pValue: 1, meanDifference: 0, lags: 0, n: forecasts.actual.length };
  return Object.freeze({
    folds: Object.freeze(folds),
    model,
    ...sc,
    best,
    skill: skills[best],
    skills,
    rmseSkill: skills.naive,
    dm: Object.freeze({ ...dm, baseline: best }),
    forecasts,
    baselineForecasts,
    target: p.target,
    horizon: h,
    elapsedMs: performance.now() - t0,
  });
}

/**
 * The comparison table of a {@link walkForwardEvaluate} report as plain text: pooled RMSE, MAE,
 * skill, directional accuracy and share of up calls of the model and every baseline, the
 * Diebold–Mariano test against the best baseline, and one line per fold.
 *
 * @param report - A {@link WalkForwardReport}.
 * @param options - `digits` of RMSE/MAE (default 4) and a `label` for the model row (default 'forecaster').
 * @returns the table (lines joined by `\n`, no trailing newline).
 * @throws never (pure formatting).
 * @example
 * ```ts
 * import { forecaster, forecastReportTable, walkForwardEvaluate } from 'finml';
 * const prices = Array.from({ length: 300 }, (_, t) => 100 * Math.exp(0.02 * Math.sin(t / 3) + 0.001 * t));
 * const report = await walkForwardEvaluate(forecaster({ lookback: 10, train: { epochs: 3 }, seed: 1 }), prices, { nSplits: 2 });
 * console.log(forecastReportTable(report));
 * ```
 * @category Presets
 */
export function forecastReportTable(report: WalkForwardReport, options: { readonly digits?: number; readonly label?: string } = {}): string {
  const d = options.digits ?? 4;
  const label = options.label ?? 'forecaster';
  const num = (v: number, w: number, dd = d): string => (Number.isFinite(v) ? v.toFixed(dd) : String(v)).padStart(w);
  const pct = (v: number, w: number): string => (Number.isFinite(v) ? `${(100 * v).toFixed(1)}%` : 'n/a').padStart(w);
  const orders = report.folds.map((f) => f.arOrder).join(',');
  const names: Record<BaselineName, string> = { naive: 'naive (last value)', mean: report.target === 'level' ? 'mean level' : 'drift (mean change)', ar: `AR(p), p by AIC [${orders}]` };
  const w0 = Math.max(label.length, ...BASELINES.map((b) => names[b].length)) + 2;
  const lines: string[] = [];
  const n = report.forecasts.actual.length;
  lines.push(`walk-forward: ${report.folds.length} folds, ${n} test forecasts, target ${report.target}, horizon ${report.horizon}`);
  lines.push(`${'forecast'.padEnd(w0)}${'RMSE'.padStart(12)}${'MAE'.padStart(12)}${'skill vs best'.padStart(15)}${'direction'.padStart(11)}${'up calls'.padStart(10)}`);
  const row = (name: string, s: ForecastScores, skill: number): string =>
    `${name.padEnd(w0)}${num(s.rmse, 12)}${num(s.mae, 12)}${num(skill, 15)}${pct(s.directionalAccuracy, 11)}${pct(s.upShare, 10)}`;
  const bestRmse = report[report.best].rmse;
  lines.push(row(label, report.model, report.skill));
  for (const b of BASELINES) lines.push(row(`${names[b]}${b === report.best ? ' *' : ''}`, report[b], 1 - report[b].rmse / bestRmse));
  lines.push(`* best baseline; skill = 1 − RMSE / RMSE(best baseline); direction excludes ${report.model.n - report.model.nMoves} zero moves; "no change" counts as an up call`);
  lines.push(
    `Diebold–Mariano vs ${report.best}: statistic ${num(report.dm.statistic, 0, 3)}, p-value ${num(report.dm.pValue, 0, 4)} (HAC, ${report.dm.lags} lags; negative = ${label} more accurate)`,
  );
  lines.push('per fold:');
  lines.push(`${'fold'.padEnd(6)}${'train'.padStart(7)}${'test rows'.padStart(14)}${'model RMSE'.padStart(12)}${'naive'.padStart(12)}${'mean'.padStart(12)}${'AR'.padStart(12)}${'p'.padStart(4)}${'blend'.padStart(7)}${'skill'.padStart(9)}${'direction'.padStart(11)}${'epochs'.padStart(8)}${'time'.padStart(8)}`);
  for (const f of report.folds) {
    lines.push(
      `${String(f.fold + 1).padEnd(6)}${String(f.trainWindows).padStart(7)}${`${f.testFrom}-${f.testTo}`.padStart(14)}${num(f.model.rmse, 12)}${num(f.naive.rmse, 12)}${num(f.mean.rmse, 12)}${num(f.ar.rmse, 12)}` +
        `${String(f.arOrder).padStart(4)}${num(f.blend, 7, 2)}${num(f.skill, 9)}${pct(f.model.directionalAccuracy, 11)}${String(f.epochs).padStart(8)}${`${(f.elapsedMs / 1000).toFixed(1)}s`.padStart(8)}`,
    );
  }
  return lines.join('\n');
}
