/**
 * Built-in tasks of executors and worker pools, and KernelSHAP over row batches, batched
 * prediction and permutation importance on an executor.
 *
 * @module finml/parallel
 */
export * from './tasks';
export { explainRowsWith } from './parallelShap';
export type { ShapRowsPayload, ExplainRowsWithOptions } from './parallelShap';
export * from './webWorkerPool';
export { predictRowsWith } from './parallelPredict';
export type { Float32Rows, PredictRowsPayload, PredictRowsResult, PredictRowsWithOptions } from './parallelPredict';
export { permutationImportanceWith } from './parallelImportance';
export type { PermutationImportanceWithOptions } from './parallelImportance';
