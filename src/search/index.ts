/**
 * Cross-validation and hyperparameter search (grid, random, Bayesian) on any executor.
 *
 * @module finml/search
 */
export { uniform, logUniform, intUniform, choice, space } from './space';
export type {
  DimensionOptions,
  UniformDimension,
  LogUniformDimension,
  IntUniformDimension,
  ChoiceDimension,
  SpaceShape,
  AnyDimension,
  ValueOf,
  ParamsOf,
  ParamsOfShape,
  SearchSpace,
} from './space';
export { crossValidate } from './crossValidate';
export type { CrossValidationResult, CrossValidateOptions } from './crossValidate';
export * from './searchTypes';
export * from './gridSearch';
export * from './randomSearch';
export * from './bayesSearch';
export { defineScoreTask } from './tasks';
export type { ScoreTaskInput, TaskObjective, NeuralScoreMetric, NeuralScoreData } from './tasks';
