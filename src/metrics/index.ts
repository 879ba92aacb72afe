/**
 * Classification, regression, credit and trading metrics.
 *
 * @module finml/metrics
 */
export type {
  MetricInput,
  SampleWeightOptions,
  ThresholdOptions,
  PrecisionRecallOptions,
  PrecisionRecallAverage,
  PerClassPrecisionRecallOptions,
} from './types';
export { accuracy } from './accuracy';
export { precision } from './precision';
export { recall } from './recall';
export { f1 } from './f1';
export { matthewsCorrcoef } from './matthewsCorrcoef';
export { confusionMatrix, type ConfusionMatrixOptions } from './confusionMatrix';
export { logLoss, type LogLossOptions } from './logLoss';
export { brierScore } from './brierScore';
export { rocCurve, type RocCurve, type RocCurveOptions } from './rocCurve';
export { rocAuc } from './rocAuc';
export { precisionRecallCurve, type PrecisionRecallCurve } from './precisionRecallCurve';
export { averagePrecision } from './averagePrecision';
export { prAuc } from './prAuc';
export { calibrationCurve, type CalibrationCurve, type CalibrationCurveOptions } from './calibrationCurve';
export { mse } from './mse';
export { rmse } from './rmse';
export { mae } from './mae';
export { mape, type MapeOptions } from './mape';
export { r2 } from './r2';
export { ksStatistic, type KsResult } from './ksStatistic';
export { gini } from './gini';
export { psi, psiTable, type PsiOptions, type PsiBin, type PsiTable } from './psi';
export { directionalAccuracy, type DirectionalAccuracyOptions } from './directionalAccuracy';
export { sharpeRatio, type RatioOptions } from './sharpeRatio';
export { sortinoRatio } from './sortinoRatio';
export { maxDrawdown, type MaxDrawdown, type MaxDrawdownOptions } from './maxDrawdown';
export { strategyReturns, type StrategyOptions, type StrategyResult } from './strategyReturns';
export { tradingSummary, type TradingSummary, type TradingSummaryOptions } from './tradingSummary';
export { dieboldMariano, type DieboldMarianoOptions, type DieboldMarianoResult } from './dieboldMariano';
export { logisticCalibration, type LogisticCalibration } from './logisticCalibration';
export { expectedCalibrationError, type ExpectedCalibrationErrorOptions } from './expectedCalibrationError';
