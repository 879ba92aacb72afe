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
export { buildRiskModel, riskModelFromJSON } from './buildRiskModel';
export type { RiskModelOptions, RiskModelParams, RiskMetrics, RiskExplanation, RiskModel } from './buildRiskModel';
export type { RiskConfusion, RiskGroupMetrics, RiskValidation, RiskCombiner } from './buildRiskModel';
export { saveRiskModel, loadRiskModel, riskModelToArtifacts, riskModelFromArtifacts, RISK_MODEL_FORMAT } from './saveRiskModel';
export type { RiskModelMetadata, RiskModelArtifactsJSON, RiskModelSaveOptions, LoadedRiskModel } from './saveRiskModel';
export { scoreCsvStream } from './scoreCsvStream';
export type { ScoreCsvStreamOptions, ScoredBatch } from './scoreCsvStream';
