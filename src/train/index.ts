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
  MonitorMode,
  EarlyStoppingOptions,
  ReduceLrOnPlateauOptions,
  ValidationData,
  EpochLogs,
  BatchLogs,
  TrainHistory,
  ClassWeightOption,
  TrainOptions,
  TrainResult,
} from './trainModel';
export type { LossName, MetricName } from './losses';
export { balancedClassWeights } from './classWeights';
