/**
 * A GAN synthesizer for tabular rows, as a finml estimator.
 *
 * @module
 */
import * as tf from '@tensorflow/tfjs-core';
import { DataError, DisposedError, InvalidOptionError, SerializationError, describeValue } from '../core/errors';
import { checkEnvelope, notFitted, paramsFromJSON, readNumberArray } from '../core/estimator';
import type { EstimatorJSON } from '../core/estimator';
import { toDense } from '../core/matrix';
import type { MatrixLike } from '../core/matrix';
import { resolveOptions, rules } from '../core/options';
import type { RuleTable } from '../core/options';
import { createRng } from '../core/random';
import { normalQuantile, quantileForward, quantileInverse, quantileTable } from './_internal/ganQuantile';
import type { QuantileTable } from './_internal/ganQuantile';
import { loadGanWeights, quantileTableToJSON, readQuantileTable, weightsOf } from './_internal/ganState';
import { buildGan } from './buildGan';
import type { Gan } from './buildGan';
import { disposeGan } from './disposeGan';
import { sampleGan } from './sampleGan';
import { trainGan } from './trainGan';
import type { GanHistory } from './trainGan';

/**
 * Parameters of {@link tabularGan}.
 *
 * @category Models
 */
export interface TabularGanParams {
  /** Latent noise dimension. @defaultValue 8 */
  readonly latentDim: number;
  /** Generator hidden sizes. @defaultValue [32, 32] */
  readonly generatorHidden: readonly number[];
  /** Discriminator hidden sizes. @defaultValue [32, 16] */
  readonly discriminatorHidden: readonly number[];
  /** Training epochs. @defaultValue 100 */
  readonly epochs: number;
  /** Batch size. @defaultValue 64 */
  readonly batchSize: number;
  /** Adam learning rate of both networks. @defaultValue 0.001 */
  readonly learningRate: number;
  /** One-sided label smoothing of real examples, in [0, 0.5). @defaultValue 0.1 */
  readonly labelSmoothing: number;
  /**
   * How each column is mapped before training. `'quantile'` (default): through its empirical
   * distribution to normal scores (a quantile transform, as CTGAN's per-column normalisation
   * aims at: the generator only has to produce roughly Gaussian columns, whatever the real
   * marginal — skewed amounts, integer ages, few-valued codes). Ties are dequantized (each
   * distinct value gets its own probability interval) and samples are mapped back by the
   * empirical quantile function, so a column with at most `maxQuantiles` distinct values is
   * sampled on exactly those values (integer-coded categories keep their codes and, up to the
   * generator's error, their frequencies); columns with more distinct values use `maxQuantiles`
   * interpolated quantiles. `'standard'`: z-scores (mean, standard deviation).
   * @defaultValue 'quantile'
   */
  readonly normalization: 'quantile' | 'standard';
  /** Largest number of knots of a column's quantile table. @defaultValue 1000 */
  readonly maxQuantiles: number;
  /**
   * Weight of the per-column moment-matching term of {@link trainGan} (mean, std and log
   * kurtosis of each normalised column; 0 = off). Helps the generator reach the N(0, 1)
   * marginals of the quantile normalisation. @defaultValue 1
   */
  readonly momentWeight: number;
  /**
   * Weight of the marginal-distribution (smoothed CDF) term of {@link trainGan}: pulls every
   * column's synthetic distribution toward the real one at 49 quantile points. @defaultValue 20
   */
  readonly cdfWeight: number;
  /**
   * Rank-calibrate the marginals of each `sample(n)` call (quantile normalisation only): the
   * generated normal scores of every column are replaced by the standard normal quantiles of their
   * ranks, `Φ⁻¹((rank + 0.5) / n)`, before mapping back. Each column then follows the real
   * marginal up to rounding (its frequencies for few-valued columns) while the GAN supplies the
   * dependence between columns (as a copula). Off by default: the samples are then the
   * generator's own. @defaultValue false
   */
  readonly calibrate: boolean;
  /**
   * Indices of categorical columns (default none: every column is numeric). As in CTGAN, each
   * categorical column (its distinct values are the categories, any numbers such as integer codes)
   * is one-hot encoded for the discriminator, the generator emits one logit per category, trained
   * through a Gumbel-softmax (`gumbelTau`) with a category-frequency term (`frequencyWeight`; see
   * {@link TrainGanOptions}), and `sample` draws each row's category from softmax(logits) with the
   * seeded generator. Numeric columns are normalised as set by `normalization`; `calibrate` only
   * applies to them. @defaultValue []
   */
  readonly categorical: readonly number[];
  /** Weight of the category-frequency term of {@link trainGan} (categorical columns). @defaultValue 1000 */
  readonly frequencyWeight: number;
  /** Gumbel-softmax temperature of the categorical columns during training, > 0. @defaultValue 0.2 */
  readonly gumbelTau: number;
  /** Seed of initial weights, batch order and noise; default seed of `sample`. @defaultValue 0 */
  readonly seed: number;
}

/**
 * The distribution table of one column under the quantile normalisation of {@link tabularGan}.
 *
 * @category Models
 */
export interface TabularGanQuantiles {
  /** Knots: the distinct values of the column, or its quantiles when it has more than `maxQuantiles`; increasing. */
  readonly values: readonly number[];
  /** Cumulative probability at each knot (the last one is 1); increasing. */
  readonly cdf: readonly number[];
  /** True when samples are interpolated between knots (compressed columns); false: samples are knots. */
  readonly interpolate: boolean;
}

/**
 * Fitted state of a {@link tabularGan} (besides the network weights).
 *
 * @category Models
 */
export interface TabularGanState {
  /** Column means used to standardize the training rows. */
  readonly mean: readonly number[];
  /** Column standard deviations (population; 1 for constant columns). */
  readonly std: readonly number[];
  /**
   * Per-column distribution tables of the quantile normalisation (null for 'standard'):
   * increasing knots `values`, their cumulative probabilities `cdf`, and whether samples are
   * interpolated between knots (`interpolate`, for columns with more than `maxQuantiles` values).
   */
  readonly quantiles: readonly TabularGanQuantiles[] | null;
  /**
   * Per column: the categories (increasing distinct values) of a categorical column, null for a
   * numeric one. Their one-hot blocks replace the column in the networks' rows, in column order.
   */
  readonly categories: readonly (readonly number[] | null)[];
}

/**
 * A fitted {@link tabularGan}: owns two tfjs models, release them with `dispose()`.
 *
 * @category Models
 */
export interface FittedTabularGan {
  readonly kind: 'TabularGan';
  readonly params: Readonly<TabularGanParams>;
  readonly state: TabularGanState;
  readonly nFeaturesIn: number;
  /** Per-epoch losses of training (empty after `tabularGanFromJSON`). */
  readonly history: GanHistory;
  /** `n` synthetic rows in the original units (seeded; default seed = `params.seed`). */
  sample(n: number, seed?: number): number[][];
  /** The discriminator's probability that each row is real (validates width and values). */
  score(x: MatrixLike): number[];
  /** Serialises params, the column scaling and both networks' weights to the finml envelope. */
  toJSON(): EstimatorJSON;
  /** Disposes both networks; further use throws DisposedError. */
  dispose(): void;
  /** Same as `dispose()`, for `using` declarations. */
  [Symbol.dispose](): void;
}

/**
 * Unfitted {@link tabularGan} spec.
 *
 * @category Models
 */
export interface TabularGan {
  readonly kind: 'TabularGan';
  readonly params: Readonly<TabularGanParams>;
  /** Standardizes the rows, trains the GAN on them; async. */
  fit(x: MatrixLike): Promise<FittedTabularGan>;
  /** A new spec with the given params replaced (validated like the factory); this spec is unchanged. */
  withParams(patch: Partial<TabularGanParams>): TabularGan;
  /** Not available before `fit`: throws NotFittedError. */
  readonly sample: (...args: never[]) => never;
  /** Not available before `fit`: throws NotFittedError. */
  readonly score: (...args: never[]) => never;
}

const KIND = 'TabularGan';

/**
 * Defaults of {@link TabularGanParams}.
 * @internal
 */
export const TABULAR_GAN_DEFAULTS = {
  latentDim: 8,
  generatorHidden: [32, 32],
  discriminatorHidden: [32, 16],
  epochs: 100,
  batchSize: 64,
  learningRate: 1e-3,
  labelSmoothing: 0.1,
  normalization: 'quantile',
  maxQuantiles: 1000,
  momentWeight: 1,
  cdfWeight: 20,
  calibrate: false,
  categorical: [],
  frequencyWeight: 1000,
  gumbelTau: 0.2,
  seed: 0,
} as const satisfies TabularGanParams;

const RULES: RuleTable<TabularGanParams> = {
  latentDim: rules.int({ min: 1 }),
  generatorHidden: rules.intArray({ min: 1 }),
  discriminatorHidden: rules.intArray({ min: 1 }),
  epochs: rules.int({ min: 1 }),
  batchSize: rules.int({ min: 1 }),
  learningRate: rules.number({ min: 0, exclusiveMin: true }),
  labelSmoothing: rules.custom('a number in [0, 0.5)', (v) => typeof v === 'number' && v >= 0 && v < 0.5),
  normalization: rules.oneOf(['quantile', 'standard']),
  maxQuantiles: rules.int({ min: 2 }),
  momentWeight: rules.number({ min: 0 }),
  cdfWeight: rules.number({ min: 0 }),
  calibrate: rules.boolean(),
  categorical: rules.custom(
    'an array of distinct column indices (integers >= 0)',
    (v) => Array.isArray(v) && v.every((j: unknown) => Number.isInteger(j) && (j as number) >= 0) && new Set(v).size === v.length,
  ),
  frequencyWeight: rules.number({ min: 0 }),
  gumbelTau: rules.number({ min: 0, exclusiveMin: true }),
  seed: rules.custom('a safe integer', (v) => typeof v === 'number' && Number.isSafeInteger(v)),
};

function resolve(fn: string, p: Partial<TabularGanParams>): Readonly<TabularGanParams> {
  const r = resolveOptions(fn, p, TABULAR_GAN_DEFAULTS as unknown as TabularGanParams, RULES);
  return Object.freeze({
    ...r,
    generatorHidden: Object.freeze([...r.generatorHidden]),
    discriminatorHidden: Object.freeze([...r.discriminatorHidden]),
    categorical: Object.freeze([...r.categorical]),
  });
}

function ganFor(params: Readonly<TabularGanParams>, features: number): Gan {
  return buildGan({
    kind: 'tabular',
    features,
    latentDim: params.latentDim,
    generator: { hidden: params.generatorHidden },
    discriminator: { hidden: params.discriminatorHidden },
    seed: params.seed,
  });
}

/** Offset of each column in the networks' rows (one-hot blocks for categorical columns) and the row width. */
function layoutOf(categories: readonly (readonly number[] | null)[]): { offsets: number[]; width: number } {
  const offsets: number[] = [];
  let width = 0;
  for (const c of categories) {
    offsets.push(width);
    width += c === null ? 1 : c.length;
  }
  return { offsets, width };
}

/** In place: the values of the given slots replaced by the normal quantiles of their ranks (ties by position). */
function calibrateColumns(v: Float32Array, n: number, p: number, slots: readonly number[]): void {
  const idx = new Array<number>(n);
  for (const j of slots) {
    for (let i = 0; i < n; i++) idx[i] = i;
    idx.sort((a, b) => (v[a * p + j] as number) - (v[b * p + j] as number) || a - b);
    idx.forEach((i, rank) => {
      v[i * p + j] = normalQuantile((rank + 0.5) / n);
    });
  }
}

/** Index of the category drawn from softmax(logits) of `v[o .. o + k)` with the uniform `u`. */
function drawCategory(v: Float32Array, o: number, k: number, u: number): number {
  let max = -Infinity;
  for (let c = 0; c < k; c++) max = Math.max(max, v[o + c] as number);
  let total = 0;
  for (let c = 0; c < k; c++) total += Math.exp((v[o + c] as number) - max);
  let acc = 0;
  for (let c = 0; c < k - 1; c++) {
    acc += Math.exp((v[o + c] as number) - max) / total;
    if (u < acc) return c;
  }
  return k - 1;
}

function makeFitted(params: Readonly<TabularGanParams>, state: TabularGanState, gan: Gan, history: GanHistory): FittedTabularGan {
  const p = state.mean.length;
  const cats = state.categories;
  const { offsets, width } = layoutOf(cats);
  const numericSlots = offsets.filter((_, j) => cats[j] === null);
  let disposed = false;
  const live = (method: string): void => {
    if (disposed) throw new DisposedError(`${KIND}.${method}`, KIND);
  };
  const tables = state.quantiles;
  const decode = (j: number, z: number): number =>
    tables === null ? z * (state.std[j] as number) + (state.mean[j] as number) : quantileInverse(tables[j] as QuantileTable, z);
  // scoring: a knot maps to the middle of its probability interval (no randomness)
  const encode = (j: number, x: number): number =>
    tables === null ? (x - (state.mean[j] as number)) / (state.std[j] as number) : quantileForward(tables[j] as QuantileTable, x, null);
  const dispose = (): void => {
    if (disposed) return;
    disposed = true;
    disposeGan(gan);
  };
  return Object.freeze({
    kind: KIND,
    params,
    state,
    nFeaturesIn: p,
    history,
    sample(n: number, seed: number = params.seed): number[][] {
      live('sample');
      const t = sampleGan(gan.generator, n, seed);
      const v = Float32Array.from(t.dataSync());
      t.dispose();
      if (params.calibrate && tables !== null) calibrateColumns(v, n, width, numericSlots);
      // categories: drawn from softmax(logits), row by row, with their own seeded stream
      const draw = cats.some((c) => c !== null) ? createRng(seed + 104729) : null;
      const out: number[][] = [];
      for (let i = 0; i < n; i++) {
        const row = new Array<number>(p);
        for (let j = 0; j < p; j++) {
          const c = cats[j] ?? null;
          const o = i * width + (offsets[j] as number);
          row[j] = c === null || draw === null ? decode(j, v[o] as number) : (c[drawCategory(v, o, c.length, draw.next())] as number);
        }
        out.push(row);
      }
      return out;
    },
    score(x: MatrixLike): number[] {
      live('score');
      const m = toDense(x, 'x', `${KIND}.score`, { cols: p });
      const z = new Float32Array(m.rows * width);
      for (let i = 0; i < m.rows; i++) {
        for (let j = 0; j < p; j++) {
          const x = m.data[i * p + j] as number;
          const c = cats[j] ?? null;
          if (c === null) {
            z[i * width + (offsets[j] as number)] = encode(j, x);
          } else {
            const k = c.indexOf(x);
            if (k < 0) throw new DataError({ fn: `${KIND}.score`, arg: `x[${i}][${j}]`, expected: `one of the categories [${c.join(', ')}] of column ${j}`, got: String(x) });
            z[i * width + (offsets[j] as number) + k] = 1;
          }
        }
      }
      return tf.tidy(() => Array.from(tf.sigmoid(gan.discriminator.predict(tf.tensor2d(z, [m.rows, width]), { batchSize: 4096 }) as tf.Tensor).dataSync()));
    },
    toJSON(): EstimatorJSON {
      live('toJSON');
      return {
        kind: KIND,
        version: 3,
        params: { ...params, generatorHidden: [...params.generatorHidden], discriminatorHidden: [...params.discriminatorHidden], categorical: [...params.categorical] },
        state: {
          mean: [...state.mean],
          std: [...state.std],
          quantiles: tables === null ? null : tables.map(quantileTableToJSON),
          categories: cats.map((c) => (c === null ? null : [...c])),
          generator: weightsOf(gan.generator),
          discriminator: weightsOf(gan.discriminator),
        },
      };
    },
    dispose,
    [Symbol.dispose]: dispose,
  });
}

/**
 * A GAN synthesizer of tabular rows: normalises the columns (quantile transform to normal scores
 * by default, or z-scores; see {@link TabularGanParams}), trains {@link buildGan} /
 * {@link trainGan} on them, and samples synthetic rows back in the original units. Every
 * random choice is seeded. The fitted object owns tfjs models: call `dispose()` when done.
 *
 * @param params - {@link TabularGanParams}.
 * @returns A frozen spec; `fit(x)` is async.
 * @throws {InvalidOptionError} for invalid params.
 * @example
 * ```ts
 * import { createRng, tabularGan, ganQualityReport } from 'finml';
 * const rng = createRng(1);
 * const rows = Array.from({ length: 200 }, () => [1000 + 300 * rng.normal(), 30 + 8 * rng.normal()]); // amount, age
 * const synth = await tabularGan({ epochs: 200, seed: 1 }).fit(rows);
 * const fake = synth.sample(1000);            // number[][] in the units of `rows`
 * ganQualityReport(rows.map((r) => r[0] ?? 0), fake.map((r) => r[0] ?? 0)).ks.statistic; // small when the marginals match
 * synth.dispose();
 * ```
 * @category Models
 */
export function tabularGan(params: Partial<TabularGanParams> = {}): TabularGan {
  const p = resolve('tabularGan', params);
  return Object.freeze({
    kind: KIND,
    params: p,
    sample: notFitted(KIND, 'sample'),
    score: notFitted(KIND, 'score'),
    withParams: (patch: Partial<TabularGanParams>) => tabularGan({ ...p, ...patch }),
    async fit(x: MatrixLike): Promise<FittedTabularGan> {
      const fn = `${KIND}.fit`;
      const m = toDense(x, 'x', fn);
      const cols = m.cols;
      const mean = new Array<number>(cols).fill(0);
      const std = new Array<number>(cols).fill(0);
      for (let i = 0; i < m.rows; i++) for (let j = 0; j < cols; j++) mean[j] = (mean[j] as number) + (m.data[i * cols + j] as number) / m.rows;
      for (let i = 0; i < m.rows; i++) for (let j = 0; j < cols; j++) std[j] = (std[j] as number) + ((m.data[i * cols + j] as number) - (mean[j] as number)) ** 2 / m.rows;
      for (let j = 0; j < cols; j++) std[j] = (std[j] as number) > 0 ? Math.sqrt(std[j] as number) : 1;
      let quantiles: QuantileTable[] | null = null;
      if (p.normalization === 'quantile') {
        quantiles = [];
        for (let j = 0; j < cols; j++) {
          const col = new Float64Array(m.rows);
          for (let i = 0; i < m.rows; i++) col[i] = m.data[i * cols + j] as number;
          quantiles.push(quantileTable(col, p.maxQuantiles));
        }
      }
      const categories: (readonly number[] | null)[] = new Array<readonly number[] | null>(cols).fill(null);
      for (const j of p.categorical) {
        if (j >= cols) throw new InvalidOptionError({ fn, arg: 'categorical', expected: `column indices below ${cols}`, got: `[${p.categorical.join(', ')}]` });
        const distinct = new Set<number>();
        for (let i = 0; i < m.rows; i++) distinct.add(m.data[i * cols + j] as number);
        if (distinct.size < 2) throw new DataError({ fn, arg: `x (column ${j})`, expected: 'a categorical column with at least 2 distinct values', got: `${distinct.size} distinct value` });
        categories[j] = Object.freeze([...distinct].sort((a, b) => a - b));
      }
      const { offsets, width } = layoutOf(categories);
      const dequantize = createRng(p.seed + 7919);
      const rows: number[][] = [];
      for (let i = 0; i < m.rows; i++) {
        const r = new Array<number>(width).fill(0);
        for (let j = 0; j < cols; j++) {
          const x = m.data[i * cols + j] as number;
          const c = categories[j] ?? null;
          if (c !== null) r[(offsets[j] as number) + c.indexOf(x)] = 1;
          else r[offsets[j] as number] = quantiles === null ? (x - (mean[j] as number)) / (std[j] as number) : quantileForward(quantiles[j] as QuantileTable, x, dequantize);
        }
        rows.push(r);
      }
      const gan = ganFor(p, width);
      let history: GanHistory;
      try {
        history = await trainGan(gan, rows, {
          epochs: p.epochs,
          batchSize: p.batchSize,
          learningRate: p.learningRate,
          labelSmoothing: p.labelSmoothing,
          momentWeight: p.momentWeight,
          cdfWeight: p.cdfWeight,
          categorical: categories.flatMap((c, j) => (c === null ? [] : [{ start: offsets[j] as number, size: c.length }])),
          frequencyWeight: p.frequencyWeight,
          gumbelTau: p.gumbelTau,
          seed: p.seed,
        });
      } catch (e) {
        disposeGan(gan);
        throw e;
      }
      const state = { mean: Object.freeze(mean), std: Object.freeze(std), quantiles: quantiles === null ? null : Object.freeze(quantiles), categories: Object.freeze(categories) };
      return makeFitted(p, Object.freeze(state), gan, history);
    },
  });
}

function readTables(state: unknown, cols: number, fn: string): readonly QuantileTable[] {
  const v = typeof state === 'object' && state !== null ? (state as Record<string, unknown>).quantiles : undefined;
  if (!Array.isArray(v) || v.length !== cols) {
    throw new SerializationError({ fn, arg: 'state.quantiles', expected: `an array of ${cols} quantile tables`, got: describeValue(v) });
  }
  return Object.freeze(v.map((t: unknown, j) => readQuantileTable(t, `state.quantiles[${j}]`, fn)));
}

function readCategories(state: unknown, categorical: readonly number[], cols: number, fn: string): readonly (readonly number[] | null)[] {
  const v = typeof state === 'object' && state !== null ? (state as Record<string, unknown>).categories : undefined;
  if (!Array.isArray(v) || v.length !== cols) {
    throw new SerializationError({ fn, arg: 'state.categories', expected: `an array of ${cols} entries`, got: describeValue(v) });
  }
  return Object.freeze(
    v.map((c: unknown, j) => {
      if (!categorical.includes(j)) {
        if (c !== null) throw new SerializationError({ fn, arg: `state.categories[${j}]`, expected: 'null (numeric column)', got: describeValue(c) });
        return null;
      }
      const values = readNumberArray(v, String(j), fn);
      if (values.length < 2 || !values.every((x, i) => i === 0 || x > (values[i - 1] as number))) {
        throw new SerializationError({ fn, arg: `state.categories[${j}]`, expected: 'at least 2 increasing categories', got: describeValue(c) });
      }
      return Object.freeze([...values]);
    }),
  );
}

/**
 * Restores a fitted {@link tabularGan} from its `toJSON()` envelope (rebuilds the networks and
 * loads their weights). The result owns tfjs models: `dispose()` it.
 *
 * @param json - The envelope (parsed JSON).
 * @throws {SerializationError} for a malformed envelope or weights of the wrong size.
 * @example
 * ```ts
 * import { tabularGan, tabularGanFromJSON } from 'finml';
 * const synth = await tabularGan({ epochs: 2, seed: 1 }).fit([[1, 2], [2, 3], [3, 5], [4, 4]]);
 * const back = tabularGanFromJSON(JSON.parse(JSON.stringify(synth.toJSON())));
 * synth.dispose();
 * ```
 * @category Models
 */
export function tabularGanFromJSON(json: unknown): FittedTabularGan {
  const fn = 'tabularGanFromJSON';
  const env = checkEnvelope(json, KIND, [1, 2, 3], fn);
  // version 1 envelopes predate the quantile normalisation (they were standardized), versions 1-2 the categorical columns
  const legacy: Partial<TabularGanParams> = env.version === 1 ? { normalization: 'standard', categorical: [] } : env.version === 2 ? { categorical: [] } : {};
  const params = paramsFromJSON<TabularGanParams>(fn, env.params, (q) => resolve(fn, { ...q, ...legacy }));
  const mean = readNumberArray(env.state, 'mean', fn);
  const std = readNumberArray(env.state, 'std', fn, { length: mean.length });
  if (mean.length === 0 || std.some((s) => s <= 0)) {
    throw new SerializationError({ fn, arg: 'state.std', expected: 'positive scales, at least one column', got: `[${std.join(', ')}]` });
  }
  const quantiles = env.version === 1 || params.normalization === 'standard' ? null : readTables(env.state, mean.length, fn);
  const categories = env.version < 3 ? Object.freeze(new Array<null>(mean.length).fill(null)) : readCategories(env.state, params.categorical, mean.length, fn);
  let gan: Gan;
  try {
    gan = ganFor(params, layoutOf(categories).width);
  } catch (cause) {
    if (cause instanceof InvalidOptionError) throw new SerializationError({ fn, arg: 'json.params', expected: 'buildable GAN params', got: cause.message }, { cause });
    throw cause;
  }
  try {
    loadGanWeights(gan, env.state, fn);
  } catch (e) {
    disposeGan(gan);
    throw e;
  }
  const empty: GanHistory = Object.freeze({ dLoss: Object.freeze([]), gLoss: Object.freeze([]) });
  return makeFitted(params, Object.freeze({ mean: Object.freeze([...mean]), std: Object.freeze([...std]), quantiles, categories }), gan, empty);
}
