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
