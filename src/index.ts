/**
 * finml: typed deep learning for financial data on TensorFlow.js.
 *
 * Subpath entry points (`finml/data`, `finml/models`, `finml/train`, `finml/metrics`,
 * `finml/explain`, `finml/node`) expose the same functions grouped by area; `finml` exports
 * everything except the Node-only helpers of `finml/node`.
 *
 * @packageDocumentation
 * @module finml
 */
export * from './core/index';
export * from './data/index';
export * from './models/index';
export * from './train/index';
export * from './metrics/index';
export * from './explain/index';
export * from './report/index';
export * from './registry';
export * from './tasks';
export * from './presets/index';
export * from './scorecard/index';
