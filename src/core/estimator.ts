/**
 * The estimator contract shared by every learnable object in finml.
 *
 * - A factory (`standardScaler(params)`) validates and freezes its params eagerly and returns a
 *   *spec*: an {@link Estimator}. Specs hold no data and are immutable; `withParams` makes a new one.
 * - `fit(x, y?)` never mutates its inputs or the spec, keeps no reference to `x`/`y`, and returns a
 *   new, frozen *fitted* object (sync for preprocessing, a Promise for neural models).
 * - Fitted objects serialise with `toJSON()` to an {@link EstimatorJSON} envelope
 *   `{ kind, version, params, state }`; the matching `fromJSON` checks kind and version and throws
 *   {@link SerializationError} on anything else.
 * - Calling an output method (`transform`, `predict`) on a spec is a type error; plain-JS callers
 *   get a {@link NotFittedError}.
 *
 * @module
 */
import { NotFittedError, SerializationError, describeValue } from './errors';

/**
 * Any JSON value.
 *
 * @category Core
 */
export type JsonValue = null | boolean | number | string | readonly JsonValue[] | { readonly [k: string]: JsonValue };

/**
 * The one serialization envelope of finml.
 *
 * @category Core
 */
export interface EstimatorJSON<P extends JsonValue = JsonValue, S extends JsonValue = JsonValue> {
  /** String literal identifying the estimator, e.g. `'StandardScaler'`. */
  readonly kind: string;
  /** Format version of `state`. */
  readonly version: number;
  /** The spec's parameters. */
  readonly params: P;
  /** The fitted state. */
  readonly state: S;
}

/**
 * An unfitted estimator specification.
 *
 * @category Core
 */
export interface Estimator<P> {
  /** String literal identifying the estimator. */
  readonly kind: string;
  /** The validated, frozen parameters. */
  readonly params: Readonly<P>;
}

/**
 * Anything that can be serialised to the finml envelope.
 *
 * @category Core
 */
export interface Serializable {
  /** Returns the finml envelope `{ kind, version, params, state }` (JSON values only). */
  toJSON(): EstimatorJSON;
}

/**
 * Throws {@link NotFittedError}; used as the body of output methods on unfitted specs so that
 * plain-JS callers get a clear error (TypeScript callers get a compile error via `never`).
 *
 * @param kind - The estimator kind, e.g. `'StandardScaler'`.
 * @param method - The method name, e.g. `'transform'`.
 * @returns a function that always throws NotFittedError.
 * @example
 * ```ts
 * import { notFitted } from 'finml/extend';
 * const transform = notFitted('MyScaler', 'transform');
 * transform(); // throws NotFittedError: MyScaler.transform: this MyScaler is not fitted yet. ...
 * ```
 * @category Core
 */
export function notFitted(kind: string, method: string): (...args: never[]) => never {
  return () => {
    throw new NotFittedError(`${kind}.${method}`, kind);
  };
}

/**
 * Validates a JSON envelope: object shape, kind and version, and the presence of `params` and `state`.
 *
 * @param json - The parsed JSON (any value).
 * @param kind - The expected `kind`.
 * @param versions - The supported `version` numbers.
 * @param fn - The calling public function for error messages.
 * @returns `json`, typed as an {@link EstimatorJSON}.
 * @throws {SerializationError} when `json` is not an envelope of `kind` at a supported version.
 * @example
 * ```ts
 * import { checkEnvelope } from 'finml/extend';
 * checkEnvelope({ kind: 'MyScaler', version: 1, params: {}, state: {} }, 'MyScaler', [1], 'myScalerFromJSON').kind; //=> 'MyScaler'
 * checkEnvelope({ kind: 'Other', version: 1, params: {}, state: {} }, 'MyScaler', [1], 'myScalerFromJSON'); // throws SerializationError
 * ```
 * @category Core
 */
export function checkEnvelope(
  json: unknown,
  kind: string,
  versions: readonly number[],
  fn: string,
): EstimatorJSON {
  if (typeof json !== 'object' || json === null || Array.isArray(json)) {
    throw new SerializationError({ fn, arg: 'json', expected: `a ${kind} JSON envelope object`, got: describeValue(json) });
  }
  const j = json as Record<string, unknown>;
  if (j.kind !== kind) {
    throw new SerializationError({ fn, arg: 'json.kind', expected: JSON.stringify(kind), got: describeValue(j.kind) });
  }
  if (typeof j.version !== 'number' || !versions.includes(j.version)) {
    throw new SerializationError({
      fn,
      arg: 'json.version',
      expected: `one of ${versions.join(', ')}`,
      got: describeValue(j.version),
    });
  }
  if (!('params' in j) || !('state' in j)) {
    throw new SerializationError({ fn, arg: 'json', expected: "an object with 'params' and 'state'", got: `keys ${Object.keys(j).join(', ')}` });
  }
  return j as unknown as EstimatorJSON;
}

/**
 * Reads a numeric array field of a deserialised state, checking its type and length.
 *
 * @param state - The envelope's `state` (any value).
 * @param field - The field to read.
 * @param fn - The calling public function for error messages.
 * @param opts - A required `length`; `allowNaN` to accept NaN entries.
 * @returns the array (not copied).
 * @throws {SerializationError} when the field is missing, not an array of finite numbers, or of the wrong length.
 * @example
 * ```ts
 * import { readNumberArray } from 'finml/extend';
 * readNumberArray({ mean: [1, 2] }, 'mean', 'myScalerFromJSON', { length: 2 }); //=> [1, 2]
 * readNumberArray({ mean: 'x' }, 'mean', 'myScalerFromJSON'); // throws SerializationError
 * ```
 * @category Core
 */
export function readNumberArray(
  state: unknown,
  field: string,
  fn: string,
  opts: { readonly length?: number; readonly allowNaN?: boolean } = {},
): number[] {
  const v = typeof state === 'object' && state !== null ? (state as Record<string, unknown>)[field] : undefined;
  if (!Array.isArray(v) || !v.every((x) => typeof x === 'number' && (Number.isFinite(x) || opts.allowNaN === true))) {
    throw new SerializationError({ fn, arg: `state.${field}`, expected: 'an array of finite numbers', got: describeValue(v) });
  }
  if (opts.length !== undefined && v.length !== opts.length) {
    throw new SerializationError({ fn, arg: `state.${field}`, expected: `length ${opts.length}`, got: `length ${v.length}` });
  }
  return v as number[];
}

/**
 * Deep-freezes plain data (objects and arrays; typed arrays are left as they are) and returns its input.
 *
 * @param o - The value to freeze in place.
 * @returns `o`, now frozen.
 * @example
 * ```ts
 * import { deepFreeze } from 'finml/extend';
 * const p = deepFreeze({ a: { b: [1, 2] } });
 * Object.isFrozen(p.a.b); //=> true
 * ```
 * @category Core
 */
export function deepFreeze<T>(o: T): T {
  if (typeof o === 'object' && o !== null && !ArrayBuffer.isView(o) && !Object.isFrozen(o)) {
    Object.freeze(o);
    for (const v of Object.values(o as object)) deepFreeze(v);
  }
  return o;
}

/**
 * Validates the `params` of a deserialised envelope with the estimator's own rule table,
 * turning any invalid value into a {@link SerializationError}.
 *
 * @param fn - The calling public function for error messages.
 * @param params - The envelope's `params` (any value).
 * @param resolve - Validates and completes params, e.g. `(p) => resolveOptions(fn, p, DEFAULTS, RULES)`.
 * @returns the validated, frozen params.
 * @throws {SerializationError} when `params` is not an object or fails validation (the cause is kept).
 * @example
 * ```ts
 * import { paramsFromJSON, resolveOptions, rules } from 'finml/extend';
 * const resolve = (p: Partial<{ k: number }>) => resolveOptions('myFromJSON', p, { k: 1 }, { k: rules.int({ min: 1 }) });
 * paramsFromJSON('myFromJSON', { k: 3 }, resolve); //=> { k: 3 }
 * paramsFromJSON('myFromJSON', { k: -1 }, resolve); // throws SerializationError
 * ```
 * @category Core
 */
export function paramsFromJSON<T extends object>(
  fn: string,
  params: unknown,
  resolve: (p: Partial<T>) => Readonly<T>,
): Readonly<T> {
  if (typeof params !== 'object' || params === null || Array.isArray(params)) {
    throw new SerializationError({ fn, arg: 'json.params', expected: 'a params object', got: describeValue(params) });
  }
  try {
    return resolve(params as Partial<T>);
  } catch (cause) {
    throw new SerializationError(
      { fn, arg: 'json.params', expected: 'valid parameters', got: cause instanceof Error ? cause.message : String(cause) },
      { cause },
    );
  }
}
