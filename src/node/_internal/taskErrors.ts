/**
 * Errors across a thread boundary: a task's error is sent from the worker as plain data and
 * re-created in the caller with its class (finml's typed errors, the built-in Error classes),
 * code, details, message and stack, so that `instanceof` checks behave as in-process.
 */
import {
  BackendError,
  DataError,
  DisposedError,
  FinmlError,
  InvalidOptionError,
  NotFittedError,
  SerializationError,
  ShapeError,
  TrainingError,
  WorkerError,
  type ErrorDetails,
  type FinmlErrorCode,
} from '../../core/errors';

/** An error as structured-cloneable data. */
export interface SerializedError {
  readonly name: string;
  readonly message: string;
  readonly stack?: string;
  readonly code?: FinmlErrorCode;
  readonly details?: ErrorDetails;
}

const FINML_CLASSES: Readonly<Record<string, { readonly prototype: FinmlError }>> = {
  FinmlError,
  NotFittedError,
  ShapeError,
  DataError,
  InvalidOptionError,
  SerializationError,
  DisposedError,
  BackendError,
  TrainingError,
  WorkerError,
};

const BUILTIN: Readonly<Record<string, ErrorConstructor>> = {
  Error,
  TypeError,
  RangeError,
  SyntaxError,
  ReferenceError,
  EvalError,
  URIError,
};

/** Converts anything thrown into plain data. */
export function serializeError(e: unknown): SerializedError {
  if (e instanceof FinmlError) {
    return { name: e.name, message: e.message, ...(e.stack !== undefined ? { stack: e.stack } : {}), code: e.code, details: { ...e.details } };
  }
  if (e instanceof Error) {
    return { name: e.name, message: e.message, ...(e.stack !== undefined ? { stack: e.stack } : {}) };
  }
  return { name: 'Error', message: `a non-Error value was thrown: ${String(e)}` };
}

/** Re-creates an error from {@link serializeError}'s data. */
export function deserializeError(s: SerializedError): Error {
  let e: Error;
  if (s.code !== undefined && s.details !== undefined) {
    e = new FinmlError(s.code, s.message, s.details);
    const cls = FINML_CLASSES[s.name];
    Object.setPrototypeOf(e, (cls ?? FinmlError).prototype);
  } else {
    e = new (BUILTIN[s.name] ?? Error)(s.message);
  }
  e.name = s.name;
  if (s.stack !== undefined) e.stack = s.stack;
  return e;
}
