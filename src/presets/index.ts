export { forecaster, forecasterFromJSON, walkForwardEvaluate } from './forecaster';
export type {
  ForecasterParams,
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
