/**
 * Model specs and builders: linear, logistic, FNN, CNN, RNN and GAN networks.
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
export { buildLinear, LINEAR_DEFAULTS } from './buildLinear';
export { buildLogistic, LOGISTIC_DEFAULTS } from './buildLogistic';
export { buildFnn, FNN_DEFAULTS } from './buildFnn';
export { buildCnn, CNN_DEFAULTS } from './buildCnn';
export { buildRnn, RNN_DEFAULTS } from './buildRnn';
export { defaultLoss } from './defaultLoss';
export type { DefaultLossName } from './defaultLoss';
export { disposeModel } from './disposeModel';
export { PortableConv1D, portableConv1d, conv1dOutputLength } from './portableConv1d';
export type { PortableConv1dOptions } from './portableConv1d';
export type { PortableConv1DArgs, Conv1DPadding, Shape } from './portableConv1d';
export { SeededDropout, maskSeed } from './seededDropout';
export type { SeededDropoutArgs } from './seededDropout';
export { registerFinmlLayers } from './registerFinmlLayers';
export { linearRegression, linearRegressionFromJSON } from './linearRegression';
export type { LinearRegressionParams, LinearState, FittedLinearRegression, LinearRegression } from './linearRegression';
export { logisticRegression, logisticRegressionFromJSON } from './logisticRegression';
export type { LogisticRegressionParams, LogisticState, FittedLogisticRegression, LogisticRegression } from './logisticRegression';
export { buildGan, resolveGanSpec, GAN_DEFAULTS } from './buildGan';
export type { Gan, GanSpec, ResolvedGanSpec, GanActivation, GanGeneratorOptions, GanDiscriminatorOptions } from './buildGan';
export { trainGan, bceWithLogits, TRAIN_GAN_DEFAULTS } from './trainGan';
export type { TrainGanOptions, GanHistory, GanEpochLogs, GanData, GanCategoricalBlock } from './trainGan';
export { sampleGan } from './sampleGan';
export { disposeGan } from './disposeGan';
export { ganQualityReport, returnStats, ksTwoSample } from './ganQualityReport';
export { lambertW, fitLambertW, lambertWGaussianize, lambertWHeavyTail } from './ganLambertW';
export type { LambertWParams, FitLambertWOptions } from './ganLambertW';
export { fitReturnsGan, RETURNS_GAN_DEFAULTS } from './ganReturns';
export type { ReturnsGan, ReturnsGanOptions } from './ganReturns';
export type { GanQualityReport, GanQualityReportOptions, ReturnStats, ReturnSeries } from './ganQualityReport';
export { tabularGan, tabularGanFromJSON, TABULAR_GAN_DEFAULTS } from './tabularGan';
export type { TabularGan, FittedTabularGan, TabularGanParams, TabularGanState, TabularGanQuantiles } from './tabularGan';
export { MODELS_KINDS } from './registry';
