import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { DataError, InvalidOptionError, ShapeError } from '../../src/core/errors';
import { expectedCalibrationError, logisticCalibration } from '../../src/metrics/index';

interface Case {
  readonly name: string;
  readonly y: number[];
  readonly p: number[];
  readonly slope: number;
  readonly intercept: number;
  readonly interceptInTheLarge: number;
  readonly ece: Record<string, number>;
}
const fixture = JSON.parse(readFileSync(new URL('../fixtures/calibrationMetrics.json', import.meta.url), 'utf8')) as { cases: Case[] };

describe('logisticCalibration against statsmodels (test/fixtures/calibrationMetrics.py)', () => {
  it.each(fixture.cases.map((c) => [c.name, c] as const))('%s', (_, c) => {
    const r = logisticCalibration(c.y, c.p);
    expect(r.slope).toBeCloseTo(c.slope, 8);
    expect(r.intercept).toBeCloseTo(c.intercept, 8);
    expect(r.interceptInTheLarge).toBeCloseTo(c.interceptInTheLarge, 8);
  });

  it('recovers slope 1 and intercept 0 when the probabilities are the fitted recalibration itself', () => {
    const c = fixture.cases[1] as Case;
    const r = logisticCalibration(c.y, c.p);
    const recal = c.p.map((p) => 1 / (1 + Math.exp(-(r.intercept + r.slope * Math.log(p / (1 - p))))));
    const again = logisticCalibration(c.y, recal);
    expect(again.slope).toBeCloseTo(1, 8);
    expect(again.intercept).toBeCloseTo(0, 8);
  });

  it('rejects bad input with typed errors naming the function', () => {
    expect(() => logisticCalibration([0, 1], [0.2])).toThrow(ShapeError);
    expect(() => logisticCalibration([0, 0], [0.2, 0.3])).toThrow(DataError);
    expect(() => logisticCalibration([0, 2], [0.2, 0.3])).toThrow(/logisticCalibration/);
    expect(() => logisticCalibration([0, 1], [0.2, 1.3])).toThrow(DataError);
    // Perfect separation: no finite slope.
    expect(() => logisticCalibration([0, 0, 1, 1], [0.1, 0.2, 0.8, 0.9])).toThrow(/separate/);
  });

  it('reports slope 0 for a constant score', () => {
    const r = logisticCalibration([0, 0, 0, 1], [0.5, 0.5, 0.5, 0.5]);
    expect(r.slope).toBe(0);
    expect(r.intercept).toBeCloseTo(Math.log(1 / 3), 12);
    expect(r.interceptInTheLarge).toBeCloseTo(Math.log(1 / 3), 10);
  });
});

describe('expectedCalibrationError against scikit-learn calibration_curve', () => {
  const keys = ['uniform5', 'uniform10', 'uniform15', 'quantile5', 'quantile10', 'quantile15'];
  it.each(fixture.cases.map((c) => [c.name, c] as const))('%s', (_, c) => {
    for (const k of keys) {
      const strategy = k.startsWith('uniform') ? 'uniform' : 'quantile';
      const nBins = Number(k.replace(/\D+/, ''));
      expect(expectedCalibrationError(c.y, c.p, { nBins, strategy }), k).toBeCloseTo(c.ece[k] as number, 10);
    }
  });

  it('is 0 for a perfectly calibrated binned score and matches a hand value', () => {
    expect(expectedCalibrationError([0, 1, 0, 1], [0.5, 0.5, 0.5, 0.5])).toBe(0);
    // bins [0,0.5): y mean 0, p mean 0.2 → 0.2; [0.5,1]: y mean 1, p mean 0.8 → 0.2.
    expect(expectedCalibrationError([0, 0, 1, 1], [0.1, 0.3, 0.7, 0.9], { nBins: 2 })).toBeCloseTo(0.2, 12);
  });

  it('validates options and input', () => {
    expect(() => expectedCalibrationError([0, 1], [0.2, 0.4], { nBins: 0 })).toThrow(InvalidOptionError);
    expect(() => expectedCalibrationError([0, 1], [0.2, 0.4], { strategy: 'kmeans' as 'uniform' })).toThrow(InvalidOptionError);
    expect(() => expectedCalibrationError([0, 1], [0.2, Number.NaN])).toThrow(/expectedCalibrationError/);
  });
});
