/**
 * Permutation importance, KernelSHAP, reason codes and predictors.
 *
 * @module finml/explain
 */
export * from './layersModelPredictor';
export * from './predictorFromFunction';
export * from './groupByPrefix';
export * from './permutationImportance';
export * from './kernelShap';
export * from './reasonCodes';
export * from './explainDecision';
