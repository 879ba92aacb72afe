export { forecaster, forecasterFromJSON, walkForwardEvaluate, forecastReportTable } from './forecaster';
export { fitAutoregression, type AutoregressionOptions, type AutoregressionFit } from './autoregression';
export type {
  ForecasterParams,
  ForecastTarget,
  ForecasterAr,
  ForecasterState,
  WalkForwardProgress,
  BaselineName,
  PriceInput,
  Forecast,
  SeriesForecast,
  FittedForecaster,
  Forecaster,
  WalkForwardEvaluateOptions,
  ForecastScores,
  WalkForwardFold,
  WalkForwardReport,
} from './forecaster';
export { riskModelFromJSON } from './buildRiskModel';
export { riskModel, buildRiskModel } from './riskModel';
export type { RiskModelSpec } from './riskModel';
export type { RiskModelOptions, RiskModelParams, RiskMetrics, RiskExplanation, RiskModel } from './buildRiskModel';
export type { RiskConfusion, RiskGroupMetrics, RiskValidation, RiskCombiner } from './buildRiskModel';
export type { RiskPiecewiseLinear, RiskFitOptions, RiskEnsembleEpochLogs } from './buildRiskModel';
export { saveRiskModel, loadRiskModel, riskModelToArtifacts, riskModelFromArtifacts, RISK_MODEL_FORMAT } from './saveRiskModel';
export type { RiskModelMetadata, RiskModelArtifactsJSON, RiskModelSaveOptions, LoadedRiskModel } from './saveRiskModel';
export { tabularModel, tabularModelFromJSON, tabularModelFromParts } from './tabularModel';
export type { TabularTask, TabularModelOptions, TabularModelParams, TabularMetrics, TabularExplanation, TabularModel, TabularModelSpec, TabularModelParts } from './tabularModel';
export { scoreCsvStream } from './scoreCsvStream';
export type { ScoreCsvStreamOptions, ScoredBatch } from './scoreCsvStream';
