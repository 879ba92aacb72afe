/**
 * The training loop: optimisers, losses, early stopping, LR schedules and class weights.
 *
 * @module finml/train
 */
export { trainModel } from './trainModel';
export type {
  NeuralInput,
  NeuralTarget,
  OptimizerName,
  TrainLoss,
  TrainMetric,
  ValidationData,
  EpochLogs,
  BatchLogs,
  TrainHistory,
  ClassWeightOption,
  TrainOptions,
  TrainResult,
} from './trainModel';
export type { MonitorMode, EarlyStoppingOptions, ReduceLrOnPlateauOptions } from './callbacks';
export type { LossName, MetricName } from './losses';
export { balancedClassWeights } from './classWeights';
