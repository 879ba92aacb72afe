/**
 * Cross-validation and hyperparameter search (grid, random, Bayesian) on any executor.
 *
 * @module finml/search
 */
export * from './space';
export * from './crossValidate';
export * from './searchTypes';
export * from './gridSearch';
export * from './randomSearch';
export * from './bayesSearch';
export * from './tasks';
