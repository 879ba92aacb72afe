export {
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
} from './errors';
export type { FinmlErrorCode, ErrorDetails } from './errors';
export * from './random';
export { denseToArrays } from './matrix';
export type { MatrixLike, VectorLike, DenseMatrix } from './matrix';
export type { JsonValue, EstimatorJSON, Estimator, Serializable } from './estimator';
export { useBackend, currentBackend, BACKEND_PACKAGES } from './backend';
export type { BackendName, UseBackendOptions, BackendInfo } from './backend';
export * from './predictor';
export { tensorCount } from './memory';
export { sequentialExecutor, runTasks } from './executor';
export type { Executor, TaskFn, TaskRegistry, TaskCall, RunTaskOptions } from './executor';
