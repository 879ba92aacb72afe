/**
 * Node-only helpers: CSV files, bundle directories, writing plots and reports.
 *
 * @module finml/node
 */
export { readCsv } from './readCsv';
export { streamCsv } from './streamCsv';
export * from './writeSvg';
export * from './writeReport';
export { fileBundleStore, BUNDLE_FILES } from './fileBundleStore';
export type { FileBundleStore } from './fileBundleStore';
export { createWorkerPool } from './workerPool';
export type { WorkerPool, WorkerPoolOptions } from './workerPool';
