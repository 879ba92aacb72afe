/**
 * Built-in tasks of executors and worker pools, and KernelSHAP over row batches on an executor.
 *
 * @module finml/parallel
 */
export * from './tasks';
export * from './parallelShap';
