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
  /** Releases tensors owned by the fitted object, if any. */
  dispose?(fitted: F): void;
}

/** Identity helper that keeps each case's own types while storing it in a heterogeneous list. */
export function defineCase<S, F, X, Y>(c: ContractCase<S, F, X, Y>): ContractCase {
  return c as unknown as ContractCase;
}
