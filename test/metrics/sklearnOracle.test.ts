import { describe, expect, it } from 'vitest';
import fixture from '../fixtures/metrics.json';
import {
  accuracy,
  averagePrecision,
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

const cases = (fixture as unknown as { classification: ClassCase[] }).classification;

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
    it('roc curve (drop_intermediate=False)', () => {
      const r = rocCurve(c.y_true, c.y_score);
      expectClose(r.fpr, c.roc_curve.fpr, 1e-9);
      expectClose(r.tpr, c.roc_curve.tpr, 1e-9);
      expect(r.thresholds[0]).toBe(Number.POSITIVE_INFINITY);
      expectClose(r.thresholds.slice(1), c.roc_curve.thresholds_without_first, 1e-12);
    });
  });
});
