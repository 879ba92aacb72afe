/**
 * The shared estimator contract (like scikit-learn's estimator checks). Every estimator in finml
 * registers a ContractCase in test/contract/entries/<area>.ts; test/contract/contract.test.ts runs
 * every check over every case, on cpu and on wasm.
 */

/** Tags change which checks apply; exceptions are tags, never ad-hoc skips. */
export interface ContractTags {
  /** The estimator accepts NaN (missing values) at fit/transform (imputers). */
  readonly allowNaN?: boolean;
  /** The estimator has no numeric-width input (e.g. works on tables); skip the wrong-width check. */
  readonly noWidthCheck?: boolean;
  /** Built by a function of (data, options) (a preset): no unfitted object exists, so the NotFittedError check does not apply. */
  readonly noUnfittedObject?: boolean;
  /** Outputs are compared with this absolute tolerance instead of exact equality (float32 models). */
  readonly tolerance?: number;
  /**
   * Closed-form estimator without a `seed` param: the seed-sensitivity check asserts instead that
   * its params have no `seed` and that specs made with different seeds give identical outputs.
   * Every case without this tag must change its output when the seed changes.
   */
  readonly deterministic?: boolean;
  /**
   * Fitting on a row-permuted copy of the training data legitimately changes the fit, so the
   * row-order invariance check asserts nothing for it. Use only with the reason at the case:
   * minibatch training (the seeded shuffle is a permutation of row *positions*, so a permuted copy
   * gets different batches and a different SGD path), or a seeded initialisation that picks rows by
   * position (k-means++ background, CV folds).
   */
  readonly orderDependentFit?: boolean;
  /**
   * The fit sums over rows (normal equations), so a permuted copy gives the same result up to
   * floating-point rounding of the reordered sums, not bit for bit: the row-order check compares
   * with this relative tolerance instead of exact equality.
   */
  readonly orderTolerance?: number;
  /**
   * Rows are time steps (a price series): permuting them is meaningless, so the row-order check does
   * not apply, and the row-subset check uses a contiguous suffix of the rows; `outputRows` must
   * return one row per window start, so that output row j of the suffix starting at a matches output
   * row a + j of the full series.
   */
  readonly sequential?: boolean;
  /**
   * The fitted object has `inverseTransform`, but this configuration cannot invert (a step is not
   * invertible, e.g. an imputer in a pipeline): the inverse check asserts that `case.inverse` throws
   * InvalidOptionError instead of comparing.
   */
  readonly inverseThrows?: boolean;
}

/** Test data for one case. */
export interface ContractData<X, Y> {
  readonly x: X;
  readonly y?: Y;
  /** Same as x but with one column too few/many: must give ShapeError at output time. */
  readonly xWrongWidth?: X;
  /** x with a NaN in it: DataError at fit unless tags.allowNaN. */
  readonly xNaN?: X;
  /** An empty x (0 rows): DataError at fit. */
  readonly xEmpty: X;
}

/** One estimator under contract. */
export interface ContractCase<S = unknown, F = unknown, X = unknown, Y = unknown> {
  /** Public factory name, e.g. 'standardScaler'. */
  readonly name: string;
  /** The envelope kind of its fitted objects, e.g. 'StandardScaler'. */
  readonly kind: string;
  readonly tags?: ContractTags;
  /** A spec with default-ish params and the given seed (if it has one). */
  make(seed: number): S;
  data(): ContractData<X, Y>;
  fit(spec: S, x: X, y: Y | undefined): F | Promise<F>;
  /** The fitted object's main output, flattened to numbers. */
  output(fitted: F, x: X): number[] | Promise<number[]>;
  /** Calls the output method on the unfitted spec (must throw NotFittedError). */
  callUnfitted(spec: S, x: X): unknown;
  /** Serialises and restores (toJSON → JSON text → fromJSON, or save → load). */
  roundTrip(fitted: F): F | Promise<F>;
  /**
   * The main output by row: one number[] per input row (per window start for `sequential` cases).
   * Used by the row-subset (batch independence) and row-order checks.
   */
  outputRows(fitted: F, x: X): number[][] | Promise<number[][]>;
  /** Releases tensors owned by the fitted object, if any (required when the fitted object has `dispose`). */
  dispose?(fitted: F): void;
  /** `spec.fitTransform(x)` in the same form as `output` (required when the spec has `fitTransform`). */
  fitTransform?(spec: S, x: X, y: Y | undefined): number[] | Promise<number[]>;
  /**
   * `[inverseTransform(transform(x)), x]`, both flattened to numbers (required when the fitted object
   * has `inverseTransform`); they must agree to 1e-9 relative.
   */
  inverse?(fitted: F, x: X): readonly [number[], number[]];
  /**
   * Calls the public factory (or, for a preset, the building function on valid tiny data) with
   * exactly these options; must throw/reject with InvalidOptionError for every entry of `invalidParams`.
   */
  construct?(params: Readonly<Record<string, unknown>>): unknown;
  /**
   * One real invalid value per option: the keys must cover every key of the spec's `params`
   * (so a new option cannot go unvalidated), and `construct({ [key]: value })` must throw
   * InvalidOptionError whose message names `key`.
   */
  readonly invalidParams?: Readonly<Record<string, unknown>>;
}

/** Identity helper that keeps each case's own types while storing it in a heterogeneous list. */
export function defineCase<S, F, X, Y>(c: ContractCase<S, F, X, Y>): ContractCase {
  return c as unknown as ContractCase;
}
