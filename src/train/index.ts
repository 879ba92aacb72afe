/**
 * The training loop: optimisers, losses, early stopping, LR schedules and class weights.
 *
 * @module finml/train
 */
export {
  trainModel,
  resolveTrainOptions,
  inferLoss,
  TRAIN_DEFAULTS,
  EARLY_STOPPING_DEFAULTS,
  REDUCE_LR_DEFAULTS,
} from './trainModel';
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
  ResolvedTrainOptions,
} from './trainModel';
export type { LossName, MetricName } from './losses';
export { balancedClassWeights } from './classWeights';
