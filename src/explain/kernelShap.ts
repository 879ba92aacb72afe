/**
 * KernelSHAP (Lundberg & Lee 2017): model-agnostic Shapley value explanations of any
 * {@link Predictor}, with exact enumeration for few players, feature groups as players, a logit
 * link, background summaries and batched model calls.
 *
 * @module
 */
import { DataError, InvalidOptionError, SerializationError, describeValue } from '../core/errors';
import { checkEnvelope, deepFreeze, notFitted, type EstimatorJSON } from '../core/estimator';
import { toDense, type DenseMatrix, type MatrixLike } from '../core/matrix';
import { resolveOptions, rules, type RuleTable } from '../core/options';
import type { Predictor } from '../core/predictor';
import { createRng } from '../core/random';
import { streamPredict, type RowSource } from './_internal/explainBatch';
import { coalitionOutputsOf, type CoalitionOutputs } from '../core/_internal/float32Rows';
import { allCoalitions, sampleCoalitions, type CoalitionDesign } from './_internal/explainCoalitions';
import { binom } from './_internal/explainMath';
import { cholesky, choleskySolve } from '../core/_internal/linalg';
import { kmeansSummary } from '../core/_internal/kmeans';
import { isGroupList, resolvePlayers, type Players } from './_internal/explainPlayers';
import type { FeatureGroup } from './groupByPrefix';

/** The link applied to model outputs before attributing them. @category Explain */
export type ShapLink = 'identity' | 'logit';

/** Options of {@link kernelShap}. @category Explain */
export interface KernelShapOptions {
  /**
   * Coalitions evaluated per explained row when sampling (players > `exactMaxPlayers`).
   * `'auto'` uses 2·M + 2048 for M players.
   * @defaultValue 'auto'
   */
  readonly nSamples?: number | 'auto';
  /** Seed of coalition sampling and of the background summary. @defaultValue 0 */
  readonly seed?: number;
  /**
   * `'logit'` explains log-odds (model outputs must be probabilities in [0, 1], clipped to
   * [1e-15, 1 − 1e-15] before the logit); `'identity'` explains the raw output.
   * @defaultValue 'identity'
   */
  readonly link?: ShapLink;
  /** Columns that form one player (e.g. the one-hot columns of a variable, all lags of a series). @defaultValue null */
  readonly groups?: readonly FeatureGroup[] | null;
  /** Column names (names of ungrouped players). @defaultValue null */
  readonly featureNames?: readonly string[] | null;
  /**
   * With at most this many players, all 2^M coalitions are enumerated and the exact Shapley
   * values of the background-expectation game are returned (also when `nSamples` ≥ 2^M − 2).
   * @defaultValue 12
   */
  readonly exactMaxPlayers?: number;
  /**
   * How the background is summarised at fit: `'kmeans'` (seeded k-means, centroids snapped to
   * observed column values, weighted by cluster size), `'sample'` (a seeded random subset) or
   * `'none'` (every row). Cost is linear in the number of background rows.
   * @defaultValue 'kmeans'
   */
  readonly backgroundSummary?: 'kmeans' | 'sample' | 'none';
  /** Number of background rows kept by `'kmeans'` / `'sample'`. @defaultValue 50 */
  readonly backgroundSize?: number;
  /** Maximum rows per predictor call (all masked rows are streamed in chunks). @defaultValue 65536 */
  readonly maxBatchRows?: number;
}

/** Validated parameters of a KernelSHAP explainer. @category Explain */
export type KernelShapParams = Readonly<Required<KernelShapOptions>>;

const KERNEL_SHAP_DEFAULTS = {
  nSamples: 'auto',
  seed: 0,
  link: 'identity',
  groups: null,
  featureNames: null,
  exactMaxPlayers: 12,
  backgroundSummary: 'kmeans',
  backgroundSize: 50,
  maxBatchRows: 65536,
} as const satisfies Required<KernelShapOptions>;

const RULES: RuleTable<Required<KernelShapOptions>> = {
  nSamples: rules.or(rules.oneOf(['auto']), rules.int({ min: 1 })),
  seed: rules.int(),
  link: rules.oneOf(['identity', 'logit']),
  groups: rules.nullable(rules.custom('an array of { name, columns } groups with non-empty integer column lists', isGroupList)),
  featureNames: rules.nullable(rules.stringArray()),
  exactMaxPlayers: rules.int({ min: 0, max: 20 }),
  backgroundSummary: rules.oneOf(['kmeans', 'sample', 'none']),
  backgroundSize: rules.int({ min: 1 }),
  maxBatchRows: rules.int({ min: 1 }),
};

/** The explanation of a batch of rows. @category Explain */
export interface ShapExplanation {
  /** `values[row][player]`: contribution of each player, in link space. */
  readonly values: readonly (readonly number[])[];
  /** Link of the background-weighted mean output E[f] (the value with no feature known). */
  readonly baseValue: number;
  /** Link of the model output of each row; `baseValue + Σ values[row] = fx[row]` (to rounding). */
  readonly fx: readonly number[];
  /** Player names (groups and ungrouped columns), ordered by their first column. */
  readonly playerNames: readonly string[];
  /** Columns of each player. */
  readonly playerColumns: readonly (readonly number[])[];
  readonly link: ShapLink;
  /** True when all coalitions were enumerated (exact Shapley values). */
  readonly exact: boolean;
  /** Coalitions evaluated per row (excluding the empty and the full one). */
  readonly nCoalitions: number;
  /** Number of predictor calls made. */
  readonly predictorCalls: number;
}

/** JSON envelope of a fitted KernelSHAP explainer (the summarised background). @category Explain */
export type KernelShapJSON = EstimatorJSON;

/** A KernelSHAP explainer bound to a predictor: what `kernelShap(predictor, background)` returns. @category Explain */
export interface KernelShapExplainer {
  /** The fitted (predictor-free, serialisable) explainer. */
  readonly fitted: FittedKernelShap;
  readonly predictor: Predictor;
  readonly playerNames: readonly string[];
  readonly nFeaturesIn: number;
  /**
   * Explains rows: Shapley values of each player for each row.
   * @throws {ShapeError} wrong width. @throws {DataError} empty/non-finite rows or predictor outputs.
   */
  explain(x: MatrixLike): Promise<ShapExplanation>;
}

/** A fitted KernelSHAP explainer: the summarised background plus the validated params. @category Explain */
export interface FittedKernelShap {
  readonly kind: 'KernelShap';
  readonly params: KernelShapParams;
  readonly nFeaturesIn: number;
  /** Summarised background rows. */
  readonly background: readonly (readonly number[])[];
  /** Weight of each background row (sums to 1). */
  readonly backgroundWeights: readonly number[];
  readonly playerNames: readonly string[];
  readonly playerColumns: readonly (readonly number[])[];
  /** Explains `x` with `predictor` (see {@link KernelShapExplainer.explain}). */
  explain(predictor: Predictor, x: MatrixLike): Promise<ShapExplanation>;
  /** Binds a predictor, giving an explainer with `explain(x)`. */
  withPredictor(predictor: Predictor): KernelShapExplainer;
  /** Serialises params and the summarised background (the predictor is not serialised). */
  toJSON(): KernelShapJSON;
}

/** An unfitted KernelSHAP specification. @category Explain */
export interface KernelShapSpec {
  readonly kind: 'KernelShap';
  readonly params: KernelShapParams;
  /** Summarises the background data. Never mutates or keeps `background`. */
  fit(background: MatrixLike): FittedKernelShap;
  /** A new spec with some params replaced. */
  withParams(patch: KernelShapOptions): KernelShapSpec;
  /** Throws NotFittedError: fit on background data first. */
  readonly explain: (...args: never[]) => never;
}

const KIND = 'KernelShap';
const EPS = 1e-15;

function linkFn(link: ShapLink, fn: string): (p: number) => number {
  if (link === 'identity') return (p) => p;
  return (p) => {
    if (!(p >= -1e-9 && p <= 1 + 1e-9)) {
      throw new DataError({ fn, arg: 'predictor', expected: "probabilities in [0, 1] with link 'logit'", got: describeValue(p) });
    }
    const q = Math.min(1 - EPS, Math.max(EPS, p));
    return Math.log(q / (1 - q));
  };
}

function specOf(params: KernelShapParams): KernelShapSpec {
  return Object.freeze({
    kind: KIND,
    params,
    fit: (background: MatrixLike) => fitKernelShap(params, background),
    withParams: (patch: KernelShapOptions) => kernelShap({ ...params, ...patch }),
    explain: notFitted(KIND, 'explain'),
  });
}

function fitKernelShap(params: KernelShapParams, background: MatrixLike): FittedKernelShap {
  const fn = 'kernelShap.fit';
  const bg = toDense(background, 'background', fn);
  resolvePlayers(bg.cols, params.groups, params.featureNames, fn);
  const rng = createRng(params.seed);
  const size = params.backgroundSize;
  let summary: DenseMatrix;
  let weights: Float64Array;
  if (params.backgroundSummary === 'kmeans' && bg.rows > size) {
    const km = kmeansSummary(bg, size, rng);
    summary = { rows: km.rows, cols: km.cols, data: km.data };
    weights = km.weights;
  } else if (params.backgroundSummary === 'sample' && bg.rows > size) {
    const idx = rng.sample(bg.rows, size);
    const data = new Float64Array(size * bg.cols);
    idx.forEach((r, i) => data.set(bg.data.subarray(r * bg.cols, (r + 1) * bg.cols), i * bg.cols));
    summary = { rows: size, cols: bg.cols, data };
    weights = new Float64Array(size).fill(1 / size);
  } else {
    summary = { rows: bg.rows, cols: bg.cols, data: Float64Array.from(bg.data) };
    weights = new Float64Array(bg.rows).fill(1 / bg.rows);
  }
  return makeFitted(params, summary, weights);
}

function makeFitted(params: KernelShapParams, bg: DenseMatrix, weights: Float64Array): FittedKernelShap {
  const players = resolvePlayers(bg.cols, params.groups, params.featureNames, 'kernelShap.fit');
  const background: number[][] = [];
  for (let i = 0; i < bg.rows; i++) background.push(Array.from(bg.data.subarray(i * bg.cols, (i + 1) * bg.cols)));
  const backgroundWeights = Array.from(weights);
  const playerNames = [...players.names];
  const playerColumns = players.columns.map((c) => [...c]);
  // coalitions and the least-squares factor, computed on the first explain and reused
  const cache: { prepared?: Prepared } = {};
  const fitted: FittedKernelShap = {
    kind: KIND,
    params,
    nFeaturesIn: bg.cols,
    background,
    backgroundWeights,
    playerNames,
    playerColumns,
    explain: (predictor, x) => explainRows(params, players, bg, weights, predictor, x, cache),
    withPredictor: (predictor) => bindPredictor(fitted, predictor),
    toJSON: () => ({
      kind: KIND,
      version: 1,
      params: JSON.parse(JSON.stringify(params)) as KernelShapJSON['params'],
      state: { nFeaturesIn: bg.cols, background, weights: backgroundWeights },
    }),
  };
  return deepFreeze(fitted);
}

function bindPredictor(fitted: FittedKernelShap, predictor: Predictor): KernelShapExplainer {
  if (typeof predictor !== 'function') {
    throw new InvalidOptionError({ fn: 'kernelShap', arg: 'predictor', expected: 'a Predictor function (batch) => scores', got: describeValue(predictor) });
  }
  return Object.freeze({
    fitted,
    predictor,
    playerNames: fitted.playerNames,
    nFeaturesIn: fitted.nFeaturesIn,
    explain: (x: MatrixLike) => fitted.explain(predictor, x),
  });
}

/**
 * What an explainer computes once and reuses for every `explain` call: the coalitions (seeded
 * from the params, so the same every call), the columns each coalition takes from x, and the
 * Cholesky factor of the least-squares system (which depends on the coalitions only).
 */
interface Prepared {
  readonly exact: boolean;
  readonly design: CoalitionDesign;
  readonly xCols: readonly Int32Array[];
  /** Cholesky factor (null when singular), computed on first use. */
  chol?: Float64Array | null;
}

function prepare(params: KernelShapParams, players: Players): Prepared {
  const m = players.columns.length;
  const budget = params.nSamples === 'auto' ? 2 * m + 2048 : params.nSamples;
  const exact = m <= params.exactMaxPlayers || (m <= 30 && budget >= 2 ** m - 2);
  const design: CoalitionDesign = exact ? allCoalitions(m) : sampleCoalitions(m, budget, createRng(params.seed));
  // Columns taken from x for each coalition.
  const xCols: Int32Array[] = [];
  for (let k = 0; k < design.k; k++) {
    const cs: number[] = [];
    for (let i = 0; i < m; i++) if (design.masks[k * m + i] === 1) cs.push(...(players.columns[i] as readonly number[]));
    xCols.push(Int32Array.from(cs));
  }
  return { exact, design, xCols };
}

async function explainRows(
  params: KernelShapParams,
  players: Players,
  bg: DenseMatrix,
  bgWeights: Float64Array,
  predictor: Predictor,
  x: MatrixLike,
  cache: { prepared?: Prepared },
): Promise<ShapExplanation> {
  const fn = 'kernelShap.explain';
  if (typeof predictor !== 'function') {
    throw new InvalidOptionError({ fn, arg: 'predictor', expected: 'a Predictor function (batch) => scores', got: describeValue(predictor) });
  }
  const xm = toDense(x, 'x', fn, { cols: bg.cols });
  const m = players.columns.length;
  const cols = bg.cols;
  const R = xm.rows;
  const B = bg.rows;
  const prep = (cache.prepared ??= prepare(params, players));
  const { exact, design, xCols } = prep;
  const K = design.k;
  const link = linkFn(params.link, fn);
  const per = K * B;
  let baseRaw = 0;
  const fxRaw = new Float64Array(R);
  const ev = new Float64Array(R * K);
  // Masked rows: float64, or float32 (from float32 copies of x and the background) for
  // predictors with a float32 entry.
  const makeFill =
    <T extends Float64Array | Float32Array>(bd: T, xd: T) =>
    (start: number, count: number, out: T): void => {
      let t = 0;
      while (t < count) {
        const g = start + t;
        const o = t * cols;
        if (g < B) {
          out.set(bd.subarray(g * cols, (g + 1) * cols), o);
          t++;
        } else if (g < B + R) {
          const r = g - B;
          out.set(xd.subarray(r * cols, (r + 1) * cols), o);
          t++;
        } else {
          // A run of rows of one (row, coalition) block: the background rows b0.. in one copy,
          // then x's columns of the coalition written over each of them.
          const h = g - B - R;
          const r = Math.floor(h / per);
          const rem = h - r * per;
          const k = Math.floor(rem / B);
          const b0 = rem - k * B;
          const nb = Math.min(B - b0, count - t);
          out.set(bd.subarray(b0 * cols, (b0 + nb) * cols), o);
          const xo = r * cols;
          const xc = xCols[k] as Int32Array;
          const end = o + nb * cols;
          for (let i = 0; i < xc.length; i++) {
            const c = xc[i] as number;
            const v = xd[xo + c] as number;
            for (let p = o + c; p < end; p += cols) out[p] = v;
          }
          t += nb;
        }
      }
    };
  // Dense networks compute the masked rows' outputs from the first layer's linearity (no rows
  // built): then only the background and explained rows are streamed.
  const coalitions = K > 0 ? coalitionOutputsOf(predictor) : undefined;
  const fill64 = makeFill(bg.data, xm.data);
  let fill32: ((start: number, count: number, out: Float32Array) => void) | null = null;
  const src: RowSource = {
    total: B + R + (coalitions === undefined ? R * per : 0),
    cols,
    fill: fill64,
    fill32(start, count, out) {
      const f = (fill32 ??= makeFill<Float32Array>(Float32Array.from(bg.data), Float32Array.from(xm.data)));
      f(start, count, out);
    },
  };
  const checkProb = params.link === 'logit';
  let calls = await streamPredict(predictor, src, params.maxBatchRows, fn, (start, p) => {
    const n = p.length;
    if (checkProb) {
      for (let t = 0; t < n; t++) {
        const v = p[t] as number;
        if (!(v >= -1e-9 && v <= 1 + 1e-9)) link(v); // throws the DataError
      }
    }
    let t = 0;
    for (; t < n && start + t < B + R; t++) {
      const g = start + t;
      const v = p[t] as number;
      if (g < B) baseRaw += (bgWeights[g] as number) * v;
      else fxRaw[g - B] = v;
    }
    // the rest in runs of one (row, coalition) block: Σ_b w_b f(row b of the block)
    while (t < n) {
      const h = start + t - B - R;
      const rk = Math.floor(h / B);
      const b0 = h - rk * B;
      const nb = Math.min(B - b0, n - t);
      let acc = ev[rk] as number;
      for (let b = 0; b < nb; b++) acc += (bgWeights[b0 + b] as number) * (p[t + b] as number);
      ev[rk] = acc;
      t += nb;
    }
  });
  if (coalitions !== undefined) calls += await coalitionValues(coalitions, { xm, bg, xCols, K, bgWeights, checkProb, link }, ev);
  const base = link(baseRaw);
  const fx = Array.from(fxRaw, link);
  const vals = new Float64Array(R * K);
  for (let i = 0; i < R * K; i++) vals[i] = link(ev[i] as number);
  const values: number[][] = [];
  if (m === 1) {
    for (let r = 0; r < R; r++) values.push([(fx[r] as number) - base]);
  } else if (exact) {
    // Exact Shapley values from all 2^m coalition values.
    const size = 2 ** m;
    const full = size - 1;
    const coef = new Float64Array(m);
    for (let s = 0; s < m; s++) coef[s] = 1 / (m * binom(m - 1, s));
    const pop = new Uint8Array(size);
    for (let b = 1; b < size; b++) pop[b] = (pop[b >> 1] as number) + (b & 1);
    const v = new Float64Array(size);
    for (let r = 0; r < R; r++) {
      v[0] = base;
      v[full] = fx[r] as number;
      for (let k = 0; k < K; k++) v[k + 1] = vals[r * K + k] as number;
      const phi = new Array<number>(m).fill(0);
      for (let i = 0; i < m; i++) {
        const bit = 1 << i;
        let acc = 0;
        for (let b = 0; b < size; b++) {
          if ((b & bit) !== 0) continue;
          acc += (coef[pop[b] as number] as number) * ((v[b | bit] as number) - (v[b] as number));
        }
        phi[i] = acc;
      }
      values.push(phi);
    }
  } else {
    // Weighted least squares with the efficiency constraint: the last player is eliminated.
    const n = m - 1;
    const masks = design.masks;
    const w = design.weights;
    if (prep.chol === undefined) {
      const A = new Float64Array(n * n);
      for (let k = 0; k < K; k++) {
        const zl = masks[k * m + n] as number;
        const wk = w[k] as number;
        for (let i = 0; i < n; i++) {
          const ai = (masks[k * m + i] as number) - zl;
          if (ai === 0) continue;
          for (let j = 0; j <= i; j++) {
            const aj = (masks[k * m + j] as number) - zl;
            if (aj !== 0) A[i * n + j] = (A[i * n + j] as number) + wk * ai * aj;
          }
        }
      }
      for (let i = 0; i < n; i++) for (let j = 0; j < i; j++) A[j * n + i] = A[i * n + j] as number;
      prep.chol = cholesky(A, n);
    }
    const L = prep.chol;
    if (L === null) {
      const sampled = 2 * m + 2048;
      const exactCount = m <= 30 ? 2 ** m - 2 : Infinity;
      const hint =
        exactCount < sampled
          ? `: exact enumeration needs only ${exactCount} coalitions for ${m} players, so set nSamples >= ${exactCount} (or exactMaxPlayers >= ${m}) for exact values`
          : ` (try at least ${sampled})`;
      throw new InvalidOptionError({ fn: 'kernelShap', arg: 'nSamples', expected: `enough coalitions to identify all ${m} players${hint}`, got: describeValue(params.nSamples) });
    }
    const rhs = new Float64Array(n);
    for (let r = 0; r < R; r++) {
      const delta = (fx[r] as number) - base;
      rhs.fill(0);
      for (let k = 0; k < K; k++) {
        const zl = masks[k * m + n] as number;
        const yk = (w[k] as number) * ((vals[r * K + k] as number) - base - zl * delta);
        for (let i = 0; i < n; i++) {
          const ai = (masks[k * m + i] as number) - zl;
          if (ai !== 0) rhs[i] = (rhs[i] as number) + ai * yk;
        }
      }
      const sol = choleskySolve(L, n, rhs);
      const phi = Array.from(sol);
      phi.push(delta - phi.reduce((a, b) => a + b, 0));
      values.push(phi);
    }
  }
  return deepFreeze({
    values,
    baseValue: base,
    fx,
    playerNames: [...players.names],
    playerColumns: players.columns.map((c) => [...c]),
    link: params.link,
    exact,
    nCoalitions: K,
    predictorCalls: calls,
  });
}

/**
 * KernelSHAP explainer. Two forms:
 *
 * - `kernelShap(options)` returns a spec following the estimator contract; `spec.fit(background)`
 *   summarises the background and returns a frozen, serialisable {@link FittedKernelShap}
 *   (`fitted.explain(predictor, x)`, `fitted.withPredictor(predictor)`, `toJSON()`).
 * - `kernelShap(predictor, background, options)` does both and binds the predictor, returning a
 *   {@link KernelShapExplainer} with `explain(x)`.
 *
 * The game explained is v(S) = link(E_b[f(x_S, b_rest)]) over the (weighted) background rows b, with
 * feature groups as players. With at most `exactMaxPlayers` players all 2^M coalitions are
 * evaluated and exact Shapley values returned; otherwise coalitions are drawn with the Shapley
 * kernel (small subset sizes enumerated when the budget allows, complements paired) and the values
 * solved by weighted least squares under the efficiency constraint, so that
 * `baseValue + Σ values = fx` in link space in both cases. For each `explain` call, all coalition ×
 * background rows of all rows go through the predictor in chunks of `maxBatchRows` rows. The same
 * seeded coalitions are used for every row, so a row's values do not depend on the other rows.
 *
 * @param options - See {@link KernelShapOptions}.
 * @returns a {@link KernelShapSpec}; its `fit(background)` returns a {@link FittedKernelShap}.
 * @throws {InvalidOptionError} for invalid options.
 * @example
 * ```ts
 * import { kernelShap, predictorFromFunction } from 'finml';
 * const f = predictorFromFunction((r) => 2 * r[0]! + r[1]! * r[2]!);
 * const fitted = kernelShap({ featureNames: ['a', 'b', 'c'] }).fit([[0, 0, 0], [2, 2, 2]]);
 * const e = await fitted.explain(f, [[1, 1, 3]]);
 * e.values[0]; //=> [0, -0.5, 1.5]
 * JSON.stringify(fitted.toJSON()); // the background summary and params, without the predictor
 * ```
 * @category Explain
 */
export function kernelShap(options?: KernelShapOptions): KernelShapSpec;
/**
 * KernelSHAP explainer bound to a predictor: fits the background and binds `predictor` in one
 * step (see the first form for the method).
 *
 * @param predictor - The model to explain: a batch of rows to one score per row.
 * @param background - Reference data, e.g. a sample of training rows; never mutated or kept.
 * @param options - See {@link KernelShapOptions}.
 * @returns a {@link KernelShapExplainer} with `explain(x)`.
 * @throws {InvalidOptionError} for invalid options or overlapping groups.
 * @throws {ShapeError} for group columns / featureNames not matching the background width.
 * @throws {DataError} for empty or non-finite background data.
 * @example
 * ```ts
 * import { kernelShap, predictorFromFunction } from 'finml';
 * const f = predictorFromFunction((r) => 2 * r[0]! + r[1]! * r[2]!);
 * const explainer = kernelShap(f, [[0, 0, 0], [2, 2, 2]], { featureNames: ['a', 'b', 'c'] });
 * const e = await explainer.explain([[1, 1, 3]]);
 * e.values[0]; //=> [0, -0.5, 1.5] (a is at its background mean; b·c split between b and c)
 * e.baseValue; //=> 4, and 4 + 0 - 0.5 + 1.5 = e.fx[0] = 5
 * ```
 * @category Explain
 */
export function kernelShap(predictor: Predictor, background: MatrixLike, options?: KernelShapOptions): KernelShapExplainer;
export function kernelShap(
  predictorOrOptions?: Predictor | KernelShapOptions,
  background?: MatrixLike,
  options?: KernelShapOptions,
): KernelShapSpec | KernelShapExplainer {
  if (typeof predictorOrOptions === 'function') {
    const params = resolveOptions('kernelShap', options, KERNEL_SHAP_DEFAULTS, RULES);
    const fitted = fitKernelShap(params, background as MatrixLike);
    return bindPredictor(fitted, predictorOrOptions);
  }
  const params = resolveOptions('kernelShap', predictorOrOptions, KERNEL_SHAP_DEFAULTS, RULES);
  return specOf(params);
}

/**
 * Restores a fitted KernelSHAP explainer from its `toJSON()` envelope (the predictor is not
 * serialised: pass it to `explain` or `withPredictor`).
 *
 * @param json - A parsed `FittedKernelShap.toJSON()` value.
 * @returns the fitted explainer.
 * @throws {SerializationError} for a malformed envelope, params or state.
 * @example
 * ```ts
 * import { kernelShap, kernelShapFromJSON } from 'finml';
 * const fitted = kernelShap({ backgroundSummary: 'none' }).fit([[0, 1], [1, 0]]);
 * const back = kernelShapFromJSON(JSON.parse(JSON.stringify(fitted.toJSON())));
 * back.background; //=> [[0, 1], [1, 0]]
 * ```
 * @category Explain
 */
export function kernelShapFromJSON(json: unknown): FittedKernelShap {
  const fn = 'kernelShapFromJSON';
  const env = checkEnvelope(json, KIND, [1], fn);
  let params: KernelShapParams;
  try {
    params = resolveOptions(fn, env.params as Partial<Required<KernelShapOptions>>, KERNEL_SHAP_DEFAULTS, RULES);
  } catch (cause) {
    throw new SerializationError({ fn, arg: 'json.params', expected: 'valid kernelShap params', got: cause instanceof Error ? cause.message : describeValue(cause) }, { cause });
  }
  const st = env.state as Record<string, unknown> | null;
  const nf = typeof st === 'object' && st !== null ? st.nFeaturesIn : undefined;
  if (typeof nf !== 'number' || !Number.isInteger(nf) || nf < 1) {
    throw new SerializationError({ fn, arg: 'json.state.nFeaturesIn', expected: 'an integer >= 1', got: describeValue(nf) });
  }
  const rows = (st as Record<string, unknown>).background;
  const w = (st as Record<string, unknown>).weights;
  if (!Array.isArray(rows) || rows.length === 0 || !rows.every((r) => Array.isArray(r) && r.length === nf && r.every((v) => typeof v === 'number' && Number.isFinite(v)))) {
    throw new SerializationError({ fn, arg: 'json.state.background', expected: `a non-empty array of rows of ${nf} finite numbers`, got: describeValue(rows) });
  }
  if (!Array.isArray(w) || w.length !== rows.length || !w.every((v) => typeof v === 'number' && Number.isFinite(v) && v > 0)) {
    throw new SerializationError({ fn, arg: 'json.state.weights', expected: `${rows.length} positive weights`, got: describeValue(w) });
  }
  const data = new Float64Array(rows.length * nf);
  (rows as number[][]).forEach((r, i) => data.set(r, i * nf));
  try {
    return makeFitted(params, { rows: rows.length, cols: nf, data }, Float64Array.from(w as number[]));
  } catch (cause) {
    throw new SerializationError({ fn, arg: 'json.params', expected: 'groups/featureNames matching the background width', got: cause instanceof Error ? cause.message : describeValue(cause) }, { cause });
  }
}

/** What {@link coalitionValues} needs from an explain call. */
interface CoalitionInputs {
  readonly xm: DenseMatrix;
  readonly bg: DenseMatrix;
  readonly xCols: readonly Int32Array[];
  readonly K: number;
  readonly bgWeights: ArrayLike<number>;
  readonly checkProb: boolean;
  readonly link: (v: number) => number;
}

/**
 * Adds `Σ_b w_b f(masked row (r, k, b))` into `ev[r * K + k]` for every explained row r and
 * coalition k, from a predictor's coalition entry (one call per row); returns the number of calls.
 */
async function coalitionValues(outputs: CoalitionOutputs, c: CoalitionInputs, ev: Float64Array): Promise<number> {
  const { xm, bg, xCols, K, bgWeights } = c;
  const cols = bg.cols;
  const B = bg.rows;
  const masks = new Float32Array(K * cols);
  xCols.forEach((xc, k) => {
    for (let i = 0; i < xc.length; i++) masks[k * cols + (xc[i] as number)] = 1;
  });
  const bg32 = Float32Array.from(bg.data);
  const x32 = Float32Array.from(xm.data);
  for (let r = 0; r < xm.rows; r++) {
    const p = await outputs(x32.subarray(r * cols, (r + 1) * cols), bg32, B, masks, K);
    for (let k = 0; k < K; k++) {
      let acc = ev[r * K + k] as number;
      for (let b = 0; b < B; b++) {
        const v = p[k * B + b] as number;
        if (!Number.isFinite(v)) {
          throw new DataError({ fn: 'kernelShap', arg: 'predictor', expected: 'finite numeric outputs', got: `${describeValue(v)} for coalition ${k} of row ${r}` });
        }
        if (c.checkProb && !(v >= -1e-9 && v <= 1 + 1e-9)) c.link(v); // throws the DataError
        acc += (bgWeights[b] as number) * v;
      }
      ev[r * K + k] = acc;
    }
  }
  return xm.rows;
}
