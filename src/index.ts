/**
 * finml: typed deep learning for financial data on TensorFlow.js.
 *
 * Subpath entry points (one per area: `finml/data`, `finml/metrics`, `finml/models`, `finml/gan`, `finml/train`, `finml/search`, `finml/io`, `finml/explain`, `finml/parallel`, `finml/scorecard`, `finml/presets` and `finml/report`,
 * and `finml/node`) expose the same functions grouped by area; `finml` exports
 * everything except the Node-only helpers of `finml/node`. `finml/extend` holds the building
 * blocks for writing your own estimator (option rules, input checks, the JSON envelope); it is
 * not part of `finml`.
 *
 * @packageDocumentation
 * @module finml
 */
export * from './core/index';
export * from './data/index';
export * from './models/index';
export * from './gan/index';
export * from './train/index';
export * from './search/index';
export * from './io/index';
export * from './metrics/index';
export * from './explain/index';
export * from './report/index';
export * from './registry';
export * from './parallel/index';
export * from './presets/index';
export * from './scorecard/index';
