/**
 * Typed hyperparameter search spaces: `space({ lr: logUniform(1e-4, 1e-1), hidden: choice([[32], [64, 32]]) })`.
 * The type of a sampled parameter object is inferred from the space definition.
 *
 * @module
 */
import { InvalidOptionError, describeValue } from '../core/errors';
import type { Rng } from '../core/random';

/**
 * Options shared by the numeric dimensions.
 *
 * @example
 * ```ts
 * import { uniform } from 'finml';
 * uniform(0, 0.5, { grid: [0, 0.1, 0.3] });
 * ```
 * @category Search
 */
export interface DimensionOptions<T> {
  /**
   * Explicit values to use in {@link gridSearch} (each must lie within the bounds).
   * Required by grid search for continuous dimensions ({@link uniform}, {@link logUniform}).
   * @defaultValue none
   */
  readonly grid?: readonly T[];
}

/**
 * A uniform distribution over the real interval `[low, high]`.
 *
 * @example
 * ```ts
 * import { type UniformDimension, uniform } from 'finml';
 * const d: UniformDimension = uniform(0, 0.5);
 * d.type; //=> 'uniform'
 * ```
 * @category Search
 */
export interface UniformDimension {
  readonly type: 'uniform';
  readonly low: number;
  readonly high: number;
  /** Explicit grid values, if given. */
  readonly grid: readonly number[] | undefined;
}

/**
 * A log-uniform distribution over `[low, high]` (`log(x)` is uniform), `0 < low < high`.
 *
 * @example
 * ```ts
 * import { type LogUniformDimension, logUniform } from 'finml';
 * const d: LogUniformDimension = logUniform(1e-4, 1e-1);
 * d.type; //=> 'logUniform'
 * ```
 * @category Search
 */
export interface LogUniformDimension {
  readonly type: 'logUniform';
  readonly low: number;
  readonly high: number;
  /** Explicit grid values, if given. */
  readonly grid: readonly number[] | undefined;
}

/**
 * A uniform distribution over the integers `low, low + 1, ..., high` (both inclusive).
 *
 * @example
 * ```ts
 * import { type IntUniformDimension, intUniform } from 'finml';
 * const d: IntUniformDimension = intUniform(1, 3);
 * d.type; //=> 'intUniform'
 * ```
 * @category Search
 */
export interface IntUniformDimension {
  readonly type: 'intUniform';
  readonly low: number;
  readonly high: number;
  /** Explicit grid values, if given (else grid search enumerates every integer in range). */
  readonly grid: readonly number[] | undefined;
}

/**
 * A categorical choice among `values` (any values: numbers, strings, arrays, objects).
 *
 * @example
 * ```ts
 * import { type ChoiceDimension, choice } from 'finml';
 * const d: ChoiceDimension<'relu' | 'tanh'> = choice(['relu', 'tanh']);
 * d.values; //=> ['relu', 'tanh']
 * ```
 * @category Search
 */
export interface ChoiceDimension<T> {
  readonly type: 'choice';
  /** The candidate values, in the order given. */
  readonly values: readonly T[];
}

/**
 * The definition object passed to {@link space}: one dimension per parameter name.
 *
 * @example
 * ```ts
 * import { logUniform, choice, type SpaceShape } from 'finml';
 * const shape = { lr: logUniform(1e-4, 1e-1), act: choice(['relu', 'tanh']) } satisfies SpaceShape;
 * ```
 * @category Search
 */
export type SpaceShape = { readonly [name: string]: AnyDimension };

/**
 * Union of all dimension types, regardless of value type.
 *
 * @example
 * ```ts
 * import { type AnyDimension, uniform, choice } from 'finml';
 * const dims: AnyDimension[] = [uniform(0, 1), choice(['a', 'b'])];
 * ```
 * @category Search
 */
export type AnyDimension = UniformDimension | LogUniformDimension | IntUniformDimension | ChoiceDimension<unknown>;

/**
 * The value type produced by one dimension.
 *
 * @example
 * ```ts
 * import { type ValueOf, type ChoiceDimension } from 'finml';
 * type V = ValueOf<ChoiceDimension<'a' | 'b'>>; //=> 'a' | 'b'
 * ```
 * @category Search
 */
export type ValueOf<D> = D extends ChoiceDimension<infer T> ? T : D extends { readonly type: 'uniform' | 'logUniform' | 'intUniform' } ? number : never;

/**
 * The parameter object type sampled from a space definition.
 *
 * @example
 * ```ts
 * import { space, logUniform, choice, type ParamsOf } from 'finml';
 * const s = space({ lr: logUniform(1e-4, 1e-1), act: choice(['relu', 'tanh']) });
 * type P = ParamsOf<typeof s>; //=> { readonly lr: number; readonly act: 'relu' | 'tanh' }
 * ```
 * @category Search
 */
export type ParamsOf<S> = S extends SearchSpace<infer D> ? ParamsOfShape<D> : S extends SpaceShape ? ParamsOfShape<S> : never;

/**
 * {@link ParamsOf} for a raw space definition.
 *
 * @example
 * ```ts
 * import { type ParamsOfShape, type LogUniformDimension } from 'finml';
 * type P = ParamsOfShape<{ lr: LogUniformDimension }>; //=> { readonly lr: number }
 * ```
 * @category Search
 */
export type ParamsOfShape<D extends SpaceShape> = { readonly [K in keyof D]: ValueOf<D[K]> };

/**
 * A validated, frozen search space.
 *
 * @example
 * ```ts
 * import { type SearchSpace, type IntUniformDimension, space, intUniform } from 'finml';
 * const s: SearchSpace<{ k: IntUniformDimension }> = space({ k: intUniform(1, 2) });
 * s.gridSize; //=> 2
 * ```
 * @category Search
 */
export interface SearchSpace<D extends SpaceShape> {
  readonly kind: 'SearchSpace';
  /** The dimensions, by parameter name. */
  readonly dims: Readonly<D>;
  /** Parameter names in definition order. */
  readonly names: readonly (keyof D & string)[];
  /** Draws one parameter object (uniformly from every dimension's prior) using `rng`. */
  sample(rng: Rng): ParamsOfShape<D>;
  /**
   * Every combination of the dimensions' grid values (the cartesian product, last dimension varying fastest).
   * @throws {InvalidOptionError} when a continuous dimension has no explicit `grid` values.
   */
  grid(fn?: string): ParamsOfShape<D>[];
  /** Number of points in {@link SearchSpace.grid} (`Infinity` when a continuous dimension has no grid). */
  readonly gridSize: number;
}

/** Integer ranges larger than this need explicit `grid` values for grid search. */
const MAX_INT_GRID = 10_000;

function bad(fn: string, arg: string, expected: string, got: unknown): never {
  throw new InvalidOptionError({ fn, arg, expected, got: describeValue(got) });
}

function isFiniteNumber(v: unknown): v is number {
  return typeof v === 'number' && Number.isFinite(v);
}

function checkGrid(
  fn: string,
  opts: DimensionOptions<number> | undefined,
  ok: (v: number) => boolean,
  expected: string,
): readonly number[] | undefined {
  if (opts === undefined) return undefined;
  if (typeof opts !== 'object' || opts === null || Array.isArray(opts)) bad(fn, 'options', 'an options object', opts);
  for (const k of Object.keys(opts)) {
    if (k !== 'grid') bad(fn, k, "a known option (one of 'grid')", `'${k}'`);
  }
  if (opts.grid === undefined) return undefined;
  const g = opts.grid;
  if (!Array.isArray(g) || g.length === 0) bad(fn, 'grid', `a non-empty array of ${expected}`, g);
  g.forEach((v, i) => {
    if (!ok(v)) bad(fn, `grid[${i}]`, expected, v);
  });
  return Object.freeze(g.slice());
}

/**
 * A real-valued dimension, uniform over `[low, high]`.
 *
 * @param low - Lower bound (finite).
 * @param high - Upper bound (finite, > low).
 * @param options - `grid`: explicit values for grid search.
 * @returns A frozen dimension.
 * @throws {InvalidOptionError} for non-finite or inverted bounds, or grid values out of bounds.
 * @example
 * ```ts
 * import { space, uniform } from 'finml';
 * const s = space({ dropout: uniform(0, 0.5, { grid: [0, 0.25, 0.5] }) });
 * s.grid(); //=> [{ dropout: 0 }, { dropout: 0.25 }, { dropout: 0.5 }]
 * ```
 * @category Search
 */
export function uniform(low: number, high: number, options?: DimensionOptions<number>): UniformDimension {
  const fn = 'uniform';
  if (!isFiniteNumber(low)) bad(fn, 'low', 'a finite number', low);
  if (!isFiniteNumber(high) || !(high > low)) bad(fn, 'high', `a finite number > low (${low})`, high);
  const grid = checkGrid(fn, options, (v) => isFiniteNumber(v) && v >= low && v <= high, `numbers in [${low}, ${high}]`);
  return Object.freeze({ type: 'uniform', low, high, grid });
}

/**
 * A positive real dimension whose logarithm is uniform over `[log(low), log(high)]`: the usual
 * prior for learning rates and penalties.
 *
 * @param low - Lower bound (> 0).
 * @param high - Upper bound (> low, finite).
 * @param options - `grid`: explicit values for grid search.
 * @returns A frozen dimension.
 * @throws {InvalidOptionError} for `low <= 0`, non-finite or inverted bounds, or grid values out of bounds.
 * @example
 * ```ts
 * import { space, logUniform, createRng } from 'finml';
 * const s = space({ lr: logUniform(1e-4, 1e-1) });
 * s.sample(createRng(1)).lr; // a number in [1e-4, 1e-1]
 * ```
 * @category Search
 */
export function logUniform(low: number, high: number, options?: DimensionOptions<number>): LogUniformDimension {
  const fn = 'logUniform';
  if (!isFiniteNumber(low) || !(low > 0)) bad(fn, 'low', 'a finite number > 0', low);
  if (!isFiniteNumber(high) || !(high > low)) bad(fn, 'high', `a finite number > low (${low})`, high);
  const grid = checkGrid(fn, options, (v) => isFiniteNumber(v) && v >= low && v <= high, `numbers in [${low}, ${high}]`);
  return Object.freeze({ type: 'logUniform', low, high, grid });
}

/**
 * An integer dimension, uniform over `low, low + 1, ..., high` (both inclusive).
 * Grid search enumerates every integer in range unless `grid` is given.
 *
 * @param low - Lower bound (integer).
 * @param high - Upper bound (integer, >= low).
 * @param options - `grid`: explicit values for grid search.
 * @returns A frozen dimension.
 * @throws {InvalidOptionError} for non-integer or inverted bounds, or grid values out of bounds.
 * @example
 * ```ts
 * import { space, intUniform } from 'finml';
 * space({ layers: intUniform(1, 3) }).grid(); //=> [{ layers: 1 }, { layers: 2 }, { layers: 3 }]
 * ```
 * @category Search
 */
export function intUniform(low: number, high: number, options?: DimensionOptions<number>): IntUniformDimension {
  const fn = 'intUniform';
  if (!Number.isSafeInteger(low)) bad(fn, 'low', 'a safe integer', low);
  if (!Number.isSafeInteger(high) || high < low) bad(fn, 'high', `a safe integer >= low (${low})`, high);
  const grid = checkGrid(fn, options, (v) => Number.isInteger(v) && v >= low && v <= high, `integers in [${low}, ${high}]`);
  return Object.freeze({ type: 'intUniform', low, high, grid });
}

/**
 * A categorical dimension: one of `values`, each equally likely a priori. Literal types are kept,
 * so `choice(['relu', 'tanh'])` yields `'relu' | 'tanh'`.
 *
 * @param values - The candidates (non-empty; compared by identity, so each must be distinct).
 * @returns A frozen dimension (the `values` array is copied; the values themselves are not touched).
 * @throws {InvalidOptionError} when `values` is not a non-empty array or holds duplicates.
 * @example
 * ```ts
 * import { space, choice } from 'finml';
 * const s = space({ hidden: choice([[32], [64, 32]]), act: choice(['relu', 'tanh']) });
 * s.gridSize; //=> 4
 * ```
 * @category Search
 */
export function choice<const T>(values: readonly T[]): ChoiceDimension<T> {
  const fn = 'choice';
  if (!Array.isArray(values) || values.length === 0) bad(fn, 'values', 'a non-empty array', values);
  const seen = new Set<unknown>();
  values.forEach((v, i) => {
    const key = typeof v === 'number' && Number.isNaN(v) ? 'NaN' : v;
    if (seen.has(key)) bad(fn, `values[${i}]`, 'a value distinct from the previous ones', v);
    seen.add(key);
  });
  return Object.freeze({ type: 'choice', values: Object.freeze(values.slice()) });
}

function gridValues(fn: string, name: string, d: AnyDimension): readonly unknown[] {
  switch (d.type) {
    case 'choice':
      return d.values;
    case 'intUniform': {
      if (d.grid !== undefined) return d.grid;
      const n = d.high - d.low + 1;
      if (n > MAX_INT_GRID) {
        bad(fn, `space.${name}`, `an intUniform with at most ${MAX_INT_GRID} values or explicit grid values (intUniform(low, high, { grid: [...] }))`, `${n} values`);
      }
      return Array.from({ length: n }, (_, i) => d.low + i);
    }
    case 'uniform':
    case 'logUniform':
      if (d.grid === undefined) {
        bad(
          fn,
          `space.${name}`,
          `a dimension with explicit grid values for grid search (${d.type}(${d.low}, ${d.high}, { grid: [...] }))`,
          `a continuous ${d.type}(${d.low}, ${d.high}) without grid values`,
        );
      }
      return d.grid;
  }
}

function gridCount(d: AnyDimension): number {
  switch (d.type) {
    case 'choice':
      return d.values.length;
    case 'intUniform':
      return d.grid !== undefined ? d.grid.length : d.high - d.low + 1 > MAX_INT_GRID ? Infinity : d.high - d.low + 1;
    default:
      return d.grid !== undefined ? d.grid.length : Infinity;
  }
}

/**
 * Draws one value of a dimension from its prior (uniform, log-uniform, uniform integer, or a uniform choice).
 *
 * @param d - The dimension.
 * @param rng - A seeded generator from {@link createRng}.
 * @returns The sampled value.
 * @internal
 */
export function sampleDimension(d: AnyDimension, rng: Rng): unknown {
  switch (d.type) {
    case 'uniform':
      return d.low + (d.high - d.low) * rng.next();
    case 'logUniform': {
      const v = Math.exp(Math.log(d.low) + (Math.log(d.high) - Math.log(d.low)) * rng.next());
      return Math.min(d.high, Math.max(d.low, v));
    }
    case 'intUniform':
      return d.low + rng.int(d.high - d.low + 1);
    case 'choice':
      return d.values[rng.int(d.values.length)];
  }
}

function isDimension(v: unknown): v is AnyDimension {
  if (typeof v !== 'object' || v === null) return false;
  const t = (v as { type?: unknown }).type;
  return t === 'uniform' || t === 'logUniform' || t === 'intUniform' || t === 'choice';
}

/**
 * Builds a typed, frozen search space from named dimensions ({@link uniform}, {@link logUniform},
 * {@link intUniform}, {@link choice}). The parameter objects it yields are typed: see {@link ParamsOf}.
 *
 * @param dims - One dimension per hyperparameter name (at least one).
 * @returns A frozen {@link SearchSpace} with `sample(rng)`, `grid()` and `gridSize`.
 * @throws {InvalidOptionError} when `dims` is empty or a value is not a dimension.
 * @example
 * ```ts
 * import { space, logUniform, choice, uniform, intUniform, createRng } from 'finml';
 * const s = space({
 *   lr: logUniform(1e-4, 1e-1),
 *   hidden: choice([[32], [64, 32]]),
 *   dropout: uniform(0, 0.5),
 *   layers: intUniform(1, 3),
 * });
 * const p = s.sample(createRng(0)); // p: { lr: number; hidden: readonly [32] | readonly [64, 32]; dropout: number; layers: number }
 * ```
 * @category Search
 */
export function space<const D extends SpaceShape>(dims: D): SearchSpace<D> {
  const fn = 'space';
  if (typeof dims !== 'object' || dims === null || Array.isArray(dims)) bad(fn, 'dims', 'an object of dimensions', dims);
  const names = Object.keys(dims) as (keyof D & string)[];
  if (names.length === 0) bad(fn, 'dims', 'at least one dimension', 'an empty object');
  for (const n of names) {
    const d: unknown = dims[n];
    if (!isDimension(d)) {
      bad(fn, n, 'a dimension (uniform, logUniform, intUniform or choice)', d);
    }
  }
  const frozenDims = Object.freeze({ ...dims });
  const gridSize = names.reduce((acc, n) => acc * gridCount(dims[n] as AnyDimension), 1);
  const s: SearchSpace<D> = {
    kind: 'SearchSpace',
    dims: frozenDims,
    names: Object.freeze(names.slice()),
    gridSize,
    sample(rng: Rng): ParamsOfShape<D> {
      const out: Record<string, unknown> = {};
      for (const n of names) out[n] = sampleDimension(dims[n] as AnyDimension, rng);
      return Object.freeze(out) as ParamsOfShape<D>;
    },
    grid(caller = 'SearchSpace.grid'): ParamsOfShape<D>[] {
      const axes = names.map((n) => gridValues(caller, n, dims[n] as AnyDimension));
      const out: ParamsOfShape<D>[] = [];
      const idx = new Array<number>(axes.length).fill(0);
      for (;;) {
        const p: Record<string, unknown> = {};
        names.forEach((n, j) => {
          p[n] = (axes[j] as readonly unknown[])[idx[j] as number];
        });
        out.push(Object.freeze(p) as ParamsOfShape<D>);
        let j = axes.length - 1;
        while (j >= 0) {
          idx[j] = (idx[j] as number) + 1;
          if ((idx[j] as number) < (axes[j] as readonly unknown[]).length) break;
          idx[j] = 0;
          j--;
        }
        if (j < 0) return out;
      }
    },
  };
  return Object.freeze(s);
}
