/**
 * The trainer, neural estimators, bundles and hyperparameter search.
 *
 * @module finml/train
 */
export * from './search/index';
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
export type { LossName, MetricName } from '../_lib/losses';
export { balancedClassWeights } from './classWeights';
export { neuralClassifier, neuralRegressor, neuralModelFromJSON, NEURAL_DEFAULTS } from './neuralModel';
export type {
  NeuralTrainParams,
  NeuralFitOptions,
  NeuralParams,
  NeuralKind,
  NeuralTrainingSummary,
  LayerWeight,
  FittedNeuralBase,
  FittedNeuralClassifier,
  FittedNeuralRegressor,
  FittedNeuralModel,
  NeuralEstimator,
} from './neuralModel';
export { transferFrom } from './transferFrom';
export type { TransferOptions, TransferEstimator } from './transferFrom';
export { saveBundle, loadBundle, bundleToArtifacts, bundleFromArtifacts, memoryBundleStore, BUNDLE_FORMAT } from './bundle';
export type { Bundle, BundleMetadata, BundleJSON, LoadedBundle, MemoryBundleStore } from './bundle';
export * from './exportLayersModel';
