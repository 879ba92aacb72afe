import { describe, expect, it } from 'vitest';
import fixture from '../fixtures/metrics.json';
import {
  accuracy,
  averagePrecision,
  gini,
  ksStatistic,
  mae,
  mape,
  mse,
  prAuc,
  precisionRecallCurve,
  r2,
  rmse,
  brierScore,
  confusionMatrix,
  f1,
  logLoss,
  matthewsCorrcoef,
  precision,
  recall,
  rocAuc,
  rocCurve,
} from '../../src/metrics/index';
import { expectClose } from '../helpers/leak';

interface ClassCase {
  name: string;
  y_true: number[];
  y_score: number[];
  'y_pred_at_0.5': number[];
  roc_auc: number;
  average_precision: number;
  log_loss: number;
  brier: number;
  accuracy: number;
  precision: number;
  recall: number;
  f1: number;
  confusion_matrix: number[][];
  mcc: number;
  ks: number;
  roc_curve: { fpr: number[]; tpr: number[]; thresholds_without_first: number[] };
}

interface RegCase {
  name: string;
  y_true: number[];
  y_pred: number[];
  mse: number;
  rmse: number;
  mae: number;
  mape: number;
  r2: number;
}

const cases = (fixture as unknown as { classification: ClassCase[] }).classification;
const regCases = (fixture as unknown as { regression: RegCase[] }).regression;

function close(a: number, e: number): void {
  expectClose([a], [e], 1e-9);
}

describe('classification metrics equal scikit-learn (test/fixtures/metrics.json)', () => {
  it('has the three oracle cases', () => {
    expect(cases.map((c) => c.name)).toEqual(['basic', 'ties', 'imbalanced']);
  });
  describe.each(cases.map((c) => [c.name, c] as const))('%s', (_n, c) => {
    it('thresholded metrics (scores at 0.5 and the given labels agree)', () => {
      for (const yPred of [c.y_score, c['y_pred_at_0.5']]) {
        close(accuracy(c.y_true, yPred), c.accuracy);
        close(precision(c.y_true, yPred), c.precision);
        close(recall(c.y_true, yPred), c.recall);
        close(f1(c.y_true, yPred), c.f1);
        close(matthewsCorrcoef(c.y_true, yPred), c.mcc);
        expect(confusionMatrix(c.y_true, yPred)).toEqual(c.confusion_matrix);
      }
      expect(confusionMatrix(c.y_true, c['y_pred_at_0.5'], { threshold: null })).toEqual(c.confusion_matrix);
      expect(confusionMatrix(c.y_true, c['y_pred_at_0.5'], { labels: [0, 1] })).toEqual(c.confusion_matrix);
    });
    it('probability metrics', () => {
      close(logLoss(c.y_true, c.y_score), c.log_loss);
      close(brierScore(c.y_true, c.y_score), c.brier);
    });
    it('ranking metrics', () => {
      close(rocAuc(c.y_true, c.y_score), c.roc_auc);
      close(averagePrecision(c.y_true, c.y_score), c.average_precision);
    });
    it('credit metrics: KS equals the oracle, gini = 2 AUC - 1', () => {
      const ks = ksStatistic(c.y_true, c.y_score);
      close(ks.statistic, c.ks);
      close(Math.abs(ks.tpr - ks.fpr), c.ks);
      close(gini(c.y_true, c.y_score), 2 * c.roc_auc - 1);
    });
    it('precision-recall curve reproduces the oracle AP; prAuc is its trapezoidal area', () => {
      const pr = precisionRecallCurve(c.y_true, c.y_score);
      let ap = 0;
      for (let i = 0; i < pr.thresholds.length; i++) ap += ((pr.recall[i] as number) - (pr.recall[i + 1] as number)) * (pr.precision[i] as number);
      close(ap, c.average_precision);
      let area = 0;
      for (let i = 0; i + 1 < pr.recall.length; i++) {
        area += ((pr.recall[i] as number) - (pr.recall[i + 1] as number)) * ((pr.precision[i] as number) + (pr.precision[i + 1] as number)) / 2;
      }
      close(prAuc(c.y_true, c.y_score), area);
      // sklearn's PR thresholds are the ROC thresholds in increasing order.
      expect(pr.thresholds).toEqual([...c.roc_curve.thresholds_without_first].reverse());
    });
    it('roc curve (drop_intermediate=False)', () => {
      const r = rocCurve(c.y_true, c.y_score);
      expectClose(r.fpr, c.roc_curve.fpr, 1e-9);
      expectClose(r.tpr, c.roc_curve.tpr, 1e-9);
      expect(r.thresholds[0]).toBe(Number.POSITIVE_INFINITY);
      expectClose(r.thresholds.slice(1), c.roc_curve.thresholds_without_first, 1e-12);
    });
  });
});

describe('regression metrics equal scikit-learn (test/fixtures/metrics.json)', () => {
  it('has the three oracle cases', () => {
    expect(regCases.map((c) => c.name)).toEqual(['small', 'price_naive_forecast', 'returns_noisy']);
  });
  it.each(regCases.map((c) => [c.name, c] as const))('%s', (_n, c) => {
    close(mse(c.y_true, c.y_pred), c.mse);
    close(rmse(c.y_true, c.y_pred), c.rmse);
    close(mae(c.y_true, c.y_pred), c.mae);
    close(mape(c.y_true, c.y_pred), c.mape);
    close(r2(c.y_true, c.y_pred), c.r2);
  });
});
