/**
 * Sliding windows over a multivariate series, for sequence models (CNN/RNN).
 *
 * @module
 */
import * as tf from '@tensorflow/tfjs-core';
import { type RuleTable, resolveOptions, rules } from '../core/options';
import { DataError, InvalidOptionError, ShapeError, describeValue } from '../core/errors';
import { type DenseMatrix, type MatrixLike, isTensor, toDense, toVector } from '../core/matrix';

/**
 * Options of {@link slidingWindows}.
 * @category Time series
 */
export interface SlidingWindowsOptions {
  /** Past rows per input window. @defaultValue 10 */
  readonly lookback?: number;
  /** Future rows predicted per window. @defaultValue 1 */
  readonly horizon?: number;
  /** Rows between the starts of consecutive windows. @defaultValue 1 */
  readonly stride?: number;
  /** Column indices used as targets. @defaultValue null (every column) */
  readonly targetColumns?: readonly number[] | null;
}

/**
 * Windows produced by {@link slidingWindows}.
 * @category Time series
 */
export interface Windows {
  /** Inputs, row-major `[count, lookback, nFeatures]`. */
  readonly x: Float32Array;
  /** Targets, row-major `[count, horizon * nTargets]` (time-major: step 0 targets, step 1 targets, ...). */
  readonly y: Float32Array;
  /** Number of windows: ⌊(n − lookback − horizon) / stride⌋ + 1. */
  readonly count: number;
  readonly lookback: number;
  readonly horizon: number;
  readonly nFeatures: number;
  readonly nTargets: number;
  /** Row of the series where each window starts (its first target row is start + lookback). */
  readonly starts: Int32Array;
  readonly xShape: readonly [number, number, number];
  readonly yShape: readonly [number, number];
}

const SLIDING_WINDOWS_DEFAULTS = { lookback: 10, horizon: 1, stride: 1, targetColumns: null } as const satisfies Required<SlidingWindowsOptions>;
const RULES: RuleTable<Required<SlidingWindowsOptions>> = {
  lookback: rules.int({ min: 1 }),
  horizon: rules.int({ min: 1 }),
  stride: rules.int({ min: 1 }),
  targetColumns: rules.nullable(rules.intArray({ min: 0, nonEmpty: true })),
};

function toSeries(series: MatrixLike | readonly number[] | Float64Array, fn: string): DenseMatrix {
  const oneD = (Array.isArray(series) && (series.length === 0 || typeof series[0] === 'number')) || series instanceof Float64Array || (isTensor(series) && series.rank === 1);
  if (oneD) {
    const v = toVector(series as readonly number[], 'series', fn);
    return { rows: v.length, cols: 1, data: v };
  }
  return toDense(series as MatrixLike, 'series', fn);
}

/**
 * Cuts a time-ordered series (rows = time steps) into overlapping windows: window i uses rows
 * [s, s + lookback) as input and rows [s + lookback, s + lookback + horizon) of the target columns
 * as output, with s = i * stride.
 *
 * @param series - Rows of features, a 1-D series, or a tensor (not disposed).
 * @param options - {@link SlidingWindowsOptions}.
 * @returns Flat Float32Array windows plus their shapes (see {@link windowsToTensors}).
 * @throws {DataError} a series shorter than lookback + horizon, NaN/Infinity.
 * @throws {InvalidOptionError} invalid options or a target column out of range.
 * @example
 * ```ts
 * import { slidingWindows } from 'finml';
 * const w = slidingWindows([1, 2, 3, 4, 5], { lookback: 2, horizon: 1 });
 * w.count; //=> 3
 * Array.from(w.x); //=> [1, 2, 2, 3, 3, 4]
 * Array.from(w.y); //=> [3, 4, 5]
 * ```
 * @category Time series
 */
export function slidingWindows(series: MatrixLike | readonly number[] | Float64Array, options?: SlidingWindowsOptions): Windows {
  const fn = 'slidingWindows';
  const o = resolveOptions<Required<SlidingWindowsOptions>>(fn, options, SLIDING_WINDOWS_DEFAULTS, RULES);
  const m = toSeries(series, fn);
  const f = m.cols;
  const targets = o.targetColumns ?? Array.from({ length: f }, (_, j) => j);
  for (const t of targets) {
    if (t >= f) throw new InvalidOptionError({ fn, arg: 'targetColumns', expected: `column indices < ${f}`, got: String(t) });
  }
  const n = m.rows;
  if (n < o.lookback + o.horizon) {
    throw new DataError({ fn, arg: 'series', expected: `at least lookback + horizon = ${o.lookback + o.horizon} rows`, got: `${n} rows` });
  }
  const count = Math.floor((n - o.lookback - o.horizon) / o.stride) + 1;
  const nt = targets.length;
  const x = new Float32Array(count * o.lookback * f);
  const y = new Float32Array(count * o.horizon * nt);
  const starts = new Int32Array(count);
  for (let i = 0; i < count; i++) {
    const s = i * o.stride;
    starts[i] = s;
    x.set(m.data.subarray(s * f, (s + o.lookback) * f), i * o.lookback * f);
    for (let h = 0; h < o.horizon; h++) {
      const r = s + o.lookback + h;
      for (let k = 0; k < nt; k++) y[(i * o.horizon + h) * nt + k] = m.data[r * f + (targets[k] as number)] as number;
    }
  }
  return Object.freeze({
    x,
    y,
    count,
    lookback: o.lookback,
    horizon: o.horizon,
    nFeatures: f,
    nTargets: nt,
    starts,
    xShape: Object.freeze([count, o.lookback, f] as [number, number, number]),
    yShape: Object.freeze([count, o.horizon * nt] as [number, number]),
  });
}

/**
 * Turns {@link Windows} into tensors `x: [count, lookback, nFeatures]`, `y: [count, horizon * nTargets]`.
 * The returned tensors belong to the caller (dispose them).
 *
 * @param w - Output of {@link slidingWindows}.
 * @returns `{ x, y }` float32 tensors.
 * @throws {ShapeError} inconsistent window arrays.
 * @example
 * ```ts
 * import { windowsToTensors, slidingWindows } from 'finml';
 * import * as tf from '@tensorflow/tfjs-core';
 * // 100 days of 4 features (e.g. four index returns); predict the next day's 4 values
 * const prices = Array.from({ length: 100 }, (_, t) => [t, 2 * t, Math.sin(t), Math.cos(t)]);
 * const { x, y } = windowsToTensors(slidingWindows(prices, { lookback: 20 }));
 * x.shape; //=> [80, 20, 4]
 * tf.dispose([x, y]);
 * ```
 * @category Time series
 */
export function windowsToTensors(w: Windows): { readonly x: tf.Tensor3D; readonly y: tf.Tensor2D } {
  const [c, l, f] = w.xShape;
  const [c2, t] = w.yShape;
  if (w.x.length !== c * l * f || w.y.length !== c2 * t || c !== c2) {
    throw new ShapeError({ fn: 'windowsToTensors', arg: 'w', expected: 'x and y arrays matching xShape and yShape', got: describeValue(w) });
  }
  return { x: tf.tensor3d(w.x, [c, l, f], 'float32'), y: tf.tensor2d(w.y, [c, t], 'float32') };
}
