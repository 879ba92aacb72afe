import { describe, expect, it } from 'vitest';
import { InvalidOptionError, ShapeError, DataError } from '../../src/core/errors';
import { explainDecision } from '../../src/explain/explainDecision';
import { groupByPrefix } from '../../src/explain/groupByPrefix';
import { kernelShap } from '../../src/explain/kernelShap';
import { predictorFromFunction } from '../../src/explain/predictorFromFunction';
import { reasonCodes } from '../../src/explain/reasonCodes';

const sigmoid = (z: number): number => 1 / (1 + Math.exp(-z));

describe('reasonCodes', () => {
  it('returns the top-k features pushing toward default, strongest first, with sentences', () => {
    const r = reasonCodes([0.4, -0.9, 0.1, 0.25], { playerNames: ['Duration', 'Age', 'Amount', 'Housing'], x: [48, 35, 9000, 1], unit: 'log-odds', topK: 2 });
    expect(r.map((c) => c.name)).toEqual(['Duration', 'Housing']);
    expect(r.map((c) => c.rank)).toEqual([1, 2]);
    expect(r[0]?.sentence).toBe('Duration = 48 raised the default risk by 0.40 (log-odds)');
    expect(r[1]?.contribution).toBe(0.25);
    expect(r[1]?.player).toBe(3);
  });

  it('never lists features that lowered the risk, and flips the sign for lower-is-riskier scores', () => {
    expect(reasonCodes([-0.1, -0.2], { topK: 5 })).toEqual([]);
    const r = reasonCodes([-0.1, 0.3, -0.5], { playerNames: ['a', 'b', 'c'], direction: 'lower-is-riskier', topK: 5 });
    expect(r.map((c) => [c.name, c.contribution, c.shapValue])).toEqual([
      ['c', 0.5, -0.5],
      ['a', 0.1, -0.1],
    ]);
    expect(r[0]?.sentence).toBe('c raised the default risk by 0.50');
    expect(reasonCodes([0.05, 0.2], { minContribution: 0.1 }).map((c) => c.player)).toEqual([1]);
  });

  it('describes a one-hot group by its active level', () => {
    const featureNames = ['Duration', 'CheckingAccountStatus.lt.0', 'CheckingAccountStatus.0.to.200', 'CheckingAccountStatus.none'];
    const groups = groupByPrefix(featureNames).filter((g) => g.columns.length > 1);
    const r = reasonCodes([0.05, 0.12], { featureNames, groups, x: [12, 1, 0, 0], unit: 'log-odds' });
    expect(r[0]?.sentence).toBe('CheckingAccountStatus = lt.0 raised the default risk by 0.12 (log-odds)');
    expect(r[1]?.sentence).toBe('Duration = 12 raised the default risk by 0.05 (log-odds)');
  });

  it('accepts display values and a custom describe function', () => {
    const r = reasonCodes([0.3], { playerNames: ['Purpose'], displayValues: ['a new car'], describe: (c) => `${c.name} (${c.value ?? ''}): +${c.contribution.toFixed(1)}` });
    expect(r[0]?.value).toBe('a new car');
    expect(r[0]?.sentence).toBe('Purpose (a new car): +0.3');
  });

  it('validates its inputs', () => {
    expect(() => reasonCodes([0.1, 0.2], { playerNames: ['a'] })).toThrow(ShapeError);
    expect(() => reasonCodes([0.1, Number.NaN])).toThrow(DataError);
    expect(() => reasonCodes([0.1], { topK: 0 })).toThrow(InvalidOptionError);
    expect(() => reasonCodes([0.1, 0.2], { x: [1, 2, 3] })).toThrow(ShapeError);
    expect(() => reasonCodes([0.1], { direction: 'up' as 'higher-is-riskier' })).toThrow(InvalidOptionError);
  });
});

describe('explainDecision', () => {
  it('explains one applicant with KernelSHAP and reason codes in log-odds', async () => {
    // Log-odds = 0.8·Duration − 1.2·[Checking=none] + 0.9·[Checking=lt.0] − 0.5·Savings.
    const featureNames = ['Duration', 'CheckingAccountStatus.lt.0', 'CheckingAccountStatus.none', 'Savings'];
    const z = (r: ArrayLike<number>): number => 0.8 * (r[0] as number) + 0.9 * (r[1] as number) - 1.2 * (r[2] as number) - 0.5 * (r[3] as number);
    const p = predictorFromFunction((r) => sigmoid(z(r)));
    const background = [[0, 0, 1, 0]];
    const groups = groupByPrefix(featureNames).filter((g) => g.columns.length > 1);
    const explainer = kernelShap(p, background, { link: 'logit', groups, featureNames });
    const applicant = [1.5, 1, 0, 2];
    const d = await explainDecision(explainer, applicant, { topK: 3 });
    expect(d.score).toBeCloseTo(sigmoid(z(applicant)), 12);
    expect(d.fx).toBeCloseTo(z(applicant), 10);
    expect(d.baseValue).toBeCloseTo(z(background[0] as number[]), 10);
    // One background row and a logistic model: values are exactly the log-odds differences.
    expect(d.playerNames).toEqual(['Duration', 'CheckingAccountStatus', 'Savings']);
    expect(d.values[0]).toBeCloseTo(1.2, 9);
    expect(d.values[1]).toBeCloseTo(0.9 + 1.2, 9);
    expect(d.values[2]).toBeCloseTo(-1, 9);
    expect(d.reasons.map((r) => r.sentence)).toEqual([
      'CheckingAccountStatus = lt.0 raised the default risk by 2.10 (log-odds)',
      'Duration = 1.50 raised the default risk by 1.20 (log-odds)',
    ]);
  });
});
