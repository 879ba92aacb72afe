/**
 * Estimators (linear and logistic regression, neural classifiers and regressors, transfer
 * learning) and the network specs and builders they use: linear, logistic, FNN, CNN, RNN.
 *
 * @module finml/models
 */
export type {
  RegularizationOptions,
  TaskKind,
  OutputHead,
  LinearSpec,
  LogisticSpec,
  HiddenActivation,
  FnnSpec,
  CnnSpec,
  RnnSpec,
  ModelSpec,
  BuildOptions,
} from './spec';
export { buildModel, validateModelSpec } from './buildModel';
export { buildLinear } from './buildLinear';
export { buildLogistic } from './buildLogistic';
export { buildFnn } from './buildFnn';
export { buildCnn } from './buildCnn';
export { buildRnn } from './buildRnn';
export { defaultLoss } from './defaultLoss';
export type { DefaultLossName } from './defaultLoss';
export { disposeModel } from './disposeModel';
export { PortableConv1D, portableConv1d } from './portableConv1d';
export type { PortableConv1dOptions } from './portableConv1d';
export type { PortableConv1DArgs, Conv1DPadding, Shape } from './portableConv1d';
export { SeededDropout } from './seededDropout';
export type { SeededDropoutArgs } from './seededDropout';
export { registerFinmlLayers } from './registerFinmlLayers';
export { linearRegression, linearRegressionFromJSON } from './linearRegression';
export type { LinearRegressionParams, LinearState, FittedLinearRegression, LinearRegression } from './linearRegression';
export { logisticRegression, logisticRegressionFromJSON } from './logisticRegression';
export type { LogisticRegressionParams, LogisticState, FittedLogisticRegression, LogisticRegression } from './logisticRegression';
export { neuralClassifier, neuralRegressor, neuralModelFromJSON, neuralModelFromParts } from './neuralModel';
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
export { saveBundle, loadBundle, bundleToArtifacts, bundleFromArtifacts } from './neuralBundle';
export type { Bundle, LoadedBundle } from './neuralBundle';
export * from './exportLayersModel';
export type { TransferOptions, TransferEstimator } from './transferFrom';
