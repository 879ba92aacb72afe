/**
 * Typed errors thrown by finml. Every error names the function and the argument
 * at fault, what was expected and what was received.
 *
 * @module
 */

/**
 * Machine-readable code carried by every {@link FinmlError}.
 *
 * @category Errors
 */
export type FinmlErrorCode =
  | 'NOT_FITTED'
  | 'SHAPE'
  | 'DATA'
  | 'INVALID_OPTION'
  | 'SERIALIZATION'
  | 'DISPOSED'
  | 'BACKEND'
  | 'TRAINING'
  | 'WORKER';

/**
 * Structured details of an error: who complained about which argument, and why.
 *
 * @category Errors
 */
export interface ErrorDetails {
  /** The public function or method that raised the error, e.g. `'standardScaler.fit'`. */
  readonly fn: string;
  /** The argument or option at fault, e.g. `'x'` or `'patience'`. */
  readonly arg?: string;
  /** What was expected, in words. */
  readonly expected?: string;
  /** What was received, already formatted with {@link describeValue}. */
  readonly got?: string;
}

/**
 * Base class of all finml errors.
 *
 * @example
 * ```ts
 * import { standardScaler, FinmlError } from 'finml';
 * try { standardScaler().fit([]); } catch (e) {
 *   if (e instanceof FinmlError) console.log(e.code); //=> 'DATA'
 * }
 * ```
 * @category Errors
 */
export class FinmlError extends Error {
  /** Discriminant for programmatic handling. */
  readonly code: FinmlErrorCode;
  /** Structured details (function, argument, expected, got). */
  readonly details: ErrorDetails;

  constructor(code: FinmlErrorCode, message: string, details: ErrorDetails, options?: { cause?: unknown }) {
    super(message, options);
    this.code = code;
    this.details = details;
    // Literal names: minifiers (Vite, esbuild, terser) rename classes, so `new.target.name` alone
    // would report e.g. 'lo' in a production bundle. Users' own subclasses keep their name.
    this.name = errorName(new.target);
  }
}

function compose(d: ErrorDetails, fallback: string): string {
  const head = d.arg !== undefined ? `The '${d.arg}' argument of ${d.fn}` : `${d.fn}`;
  const expected = d.expected !== undefined ? ` must be ${d.expected}` : ` ${fallback}`;
  const got = d.got !== undefined ? `. Got ${d.got}.` : '.';
  return `${head}${expected}${got}`;
}

/**
 * A transform/predict method was called on an estimator that has not been fitted.
 * @example
 * ```ts
 * import { NotFittedError, standardScaler } from 'finml';
 * const spec = standardScaler();
 * try { (spec.transform as unknown as (x: number[][]) => void)([[1]]); } catch (e) {
 *   e instanceof NotFittedError; //=> true (TypeScript rejects spec.transform(...) at compile time)
 * }
 * ```
 * @category Errors
 */
export class NotFittedError extends FinmlError {
  constructor(fn: string, estimator: string) {
    super(
      'NOT_FITTED',
      `${fn}: this ${estimator} is not fitted yet. Call 'fit' and use the fitted object it returns.`,
      { fn, expected: 'a fitted estimator', got: `an unfitted ${estimator}` },
    );
  }
}

/**
 * An input has the wrong shape (number of columns, rank, mismatched lengths).
 * @example
 * ```ts
 * import { ShapeError, standardScaler } from 'finml';
 * const scaler = standardScaler().fit([[1, 2], [3, 4]]);
 * try { scaler.transform([[1, 2, 3]]); } catch (e) {
 *   e instanceof ShapeError && e.code; //=> 'SHAPE' (2 columns expected, 3 received)
 * }
 * ```
 * @category Errors
 */
export class ShapeError extends FinmlError {
  constructor(details: ErrorDetails & { readonly expected: string; readonly got: string }) {
    super('SHAPE', compose(details, 'has the wrong shape'), details);
  }
}

/**
 * Input data is unusable: empty, contains NaN/Infinity where not allowed, too short a series,
 * a malformed CSV row, a single class where two are needed, ...
 * @example
 * ```ts
 * import { DataError, standardScaler } from 'finml';
 * try { standardScaler().fit([[1], [NaN]]); } catch (e) {
 *   e instanceof DataError && e.details.arg; //=> 'x'
 * }
 * ```
 * @category Errors
 */
export class DataError extends FinmlError {
  constructor(details: ErrorDetails & { readonly expected: string; readonly got: string }, options?: { cause?: unknown }) {
    super('DATA', compose(details, 'is invalid'), details, options);
  }
}

/**
 * An option or parameter is out of its allowed range or of the wrong type.
 * @example
 * ```ts
 * import { InvalidOptionError, kFold } from 'finml';
 * try { kFold(10, { k: 1 }); } catch (e) {
 *   if (e instanceof InvalidOptionError) console.log(e.details.arg); //=> 'k'
 * }
 * ```
 * @category Errors
 */
export class InvalidOptionError extends FinmlError {
  constructor(details: ErrorDetails & { readonly arg: string; readonly expected: string; readonly got: string }) {
    super(
      'INVALID_OPTION',
      `The '${details.arg}' option of ${details.fn} must be ${details.expected}. Got ${details.got}.`,
      details,
    );
  }
}

/**
 * A serialized object (JSON envelope, model bundle) is corrupt, of the wrong kind or version.
 * @example
 * ```ts
 * import { SerializationError, standardScalerFromJSON } from 'finml';
 * try { standardScalerFromJSON({ kind: 'MinMaxScaler', version: 1, params: {}, state: {} }); } catch (e) {
 *   e instanceof SerializationError && e.details.arg; //=> 'json.kind'
 * }
 * ```
 * @category Errors
 */
export class SerializationError extends FinmlError {
  constructor(details: ErrorDetails & { readonly expected: string; readonly got: string }, options?: { cause?: unknown }) {
    super('SERIALIZATION', compose(details, 'could not be deserialized'), details, options);
  }
}

/**
 * An object that owns tensors was used after `dispose()`.
 * @example
 * ```ts
 * import { DisposedError, neuralRegressor } from 'finml';
 * const model = await neuralRegressor({ train: { epochs: 1 }, seed: 1 }).fit([[0], [1]], [0, 1]);
 * model.dispose();
 * try { model.predict([[0.5]]); } catch (e) {
 *   e instanceof DisposedError; //=> true
 * }
 * ```
 * @category Errors
 */
export class DisposedError extends FinmlError {
  constructor(fn: string, what: string) {
    super('DISPOSED', `${fn}: this ${what} has been disposed and can no longer be used.`, {
      fn,
      expected: `a live ${what}`,
      got: 'a disposed one',
    });
  }
}

/**
 * A tfjs backend could not be initialised (package not installed, setBackend failed).
 * @example
 * ```ts
 * import { BackendError, useBackend } from 'finml';
 * try { await useBackend('webgl'); } catch (e) {
 *   if (e instanceof BackendError) console.error(e.message); // names the package to install, or the failing switch
 * }
 * ```
 * @category Errors
 */
export class BackendError extends FinmlError {
  constructor(message: string, details: ErrorDetails, options?: { cause?: unknown }) {
    super('BACKEND', message, details, options);
  }
}

/**
 * Training failed: loss became NaN/Infinity, or a callback aborted with an error.
 * @example
 * ```ts
 * import { TrainingError, neuralRegressor } from 'finml';
 * const controller = new AbortController();
 * controller.abort();
 * try {
 *   await neuralRegressor({ seed: 1 }).fit([[0], [1]], [0, 1], { signal: controller.signal });
 * } catch (e) {
 *   e instanceof TrainingError; //=> true (training was aborted)
 * }
 * ```
 * @category Errors
 */
export class TrainingError extends FinmlError {
  constructor(message: string, details: ErrorDetails, options?: { cause?: unknown }) {
    super('TRAINING', message, details, options);
  }
}

/**
 * A parallel task could not complete because of its worker, not because of the task itself: the
 * worker crashed, was terminated, ran out of memory, exceeded the executor's timeout, or the
 * executor was closed while the task was queued or running. (An error thrown by the task's own
 * code is re-thrown as that error, with its class, code and details, exactly as a sequential run
 * would throw it.)
 * @example
 * ```ts
 * import { WorkerError } from 'finml';
 * const e = new WorkerError('pool.run: worker 0 exited with code 1 while running task "x".', { fn: 'pool.run', arg: 'task', expected: 'a worker that finishes the task', got: 'exit code 1' });
 * e.code; //=> 'WORKER'
 * ```
 * @category Errors
 */
export class WorkerError extends FinmlError {
  constructor(message: string, details: ErrorDetails, options?: { cause?: unknown }) {
    super('WORKER', message, details, options);
  }
}

function errorName(ctor: abstract new (...args: never[]) => FinmlError): string {
  if (ctor === FinmlError) return 'FinmlError';
  if (ctor === NotFittedError) return 'NotFittedError';
  if (ctor === ShapeError) return 'ShapeError';
  if (ctor === DataError) return 'DataError';
  if (ctor === InvalidOptionError) return 'InvalidOptionError';
  if (ctor === SerializationError) return 'SerializationError';
  if (ctor === DisposedError) return 'DisposedError';
  if (ctor === BackendError) return 'BackendError';
  if (ctor === TrainingError) return 'TrainingError';
  if (ctor === WorkerError) return 'WorkerError';
  return ctor.name;
}

/**
 * Formats any value for an error message: short, unambiguous, never huge.
 *
 * @param v - Any value.
 * @returns a short description for an error message.
 * @example
 * ```ts
 * import { describeValue } from 'finml/extend';
 * describeValue(-1);        //=> '-1'
 * describeValue('x');       //=> '"x"'
 * describeValue([1, 2, 3]); //=> 'an array of length 3'
 * ```
 * @category Errors
 */
export function describeValue(v: unknown): string {
  if (v === null) return 'null';
  if (v === undefined) return 'undefined';
  if (typeof v === 'number') return Number.isNaN(v) ? 'NaN' : String(v);
  if (typeof v === 'string') return JSON.stringify(v.length > 60 ? `${v.slice(0, 57)}...` : v);
  if (typeof v === 'boolean' || typeof v === 'bigint') return String(v);
  if (typeof v === 'function') return 'a function';
  if (Array.isArray(v)) return `an array of length ${v.length}`;
  if (ArrayBuffer.isView(v)) return `a ${v.constructor.name} of length ${(v as unknown as ArrayLike<number>).length}`;
  if (typeof v === 'object') {
    const shape = (v as { shape?: unknown }).shape;
    if (Array.isArray(shape)) return `a tensor of shape [${shape.join(', ')}]`;
    const ctor = (v as object).constructor;
    return ctor !== undefined && ctor !== Object ? `a ${ctor.name}` : 'an object';
  }
  return typeof v;
}
