export * from './errors';
export * from './options';
export * from './random';
export * from './matrix';
export * from './estimator';
export * from './backend';
export * from './predictor';
export * from './memory';
export { ensureChainedOps } from './chainedOps';
