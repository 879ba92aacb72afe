import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { explainDecision } from '../../src/explain/explainDecision';
import { groupByPrefix } from '../../src/explain/groupByPrefix';
import { kernelShap } from '../../src/explain/kernelShap';
import { permutationImportance } from '../../src/explain/permutationImportance';
import { predictorFromFunction } from '../../src/explain/predictorFromFunction';
import { expectClose } from '../helpers/leak';

/** German credit (one-hot layout): 61 features, target Bad = 1; numeric columns standardised. */
function load(): { names: string[]; x: number[][]; y: number[] } {
  const lines = readFileSync(new URL('../../data/german_credit_dummies.csv', import.meta.url), 'utf8').trim().split('\n');
  const header = (lines[0] as string).split(',').map((h) => h.replace(/"/g, ''));
  const classAt = header.indexOf('Class');
  const names = header.filter((_, j) => j !== classAt);
  const x: number[][] = [];
  const y: number[] = [];
  for (const line of lines.slice(1)) {
    const cells = line.split(',');
    y.push(cells[classAt] === '"Bad"' ? 1 : 0);
    x.push(cells.filter((_, j) => j !== classAt).map(Number));
  }
  for (let j = 0; j < 7; j++) {
    const col = x.map((r) => r[j] as number);
    const mean = col.reduce((a, b) => a + b, 0) / col.length;
    const sd = Math.sqrt(col.reduce((a, b) => a + (b - mean) ** 2, 0) / col.length);
    for (const r of x) r[j] = ((r[j] as number) - mean) / sd;
  }
  return { names, x, y };
}

/** Full-batch gradient descent logistic regression (float64), enough for a sensible model. */
function fitLogistic(x: number[][], y: number[], iters = 300, lr = 0.5, l2 = 1e-3): { w: number[]; b: number } {
  const m = (x[0] as number[]).length;
  const w = new Array<number>(m).fill(0);
  let b = 0;
  for (let it = 0; it < iters; it++) {
    const gw = new Array<number>(m).fill(0);
    let gb = 0;
    x.forEach((r, i) => {
      let z = b;
      for (let j = 0; j < m; j++) z += (w[j] as number) * (r[j] as number);
      const e = 1 / (1 + Math.exp(-z)) - (y[i] as number);
      gb += e;
      for (let j = 0; j < m; j++) gw[j] = (gw[j] as number) + e * (r[j] as number);
    });
    for (let j = 0; j < m; j++) w[j] = (w[j] as number) - lr * ((gw[j] as number) / x.length + l2 * (w[j] as number));
    b -= (lr * gb) / x.length;
  }
  return { w, b };
}

describe('explainers on German credit (real data, one-hot groups)', () => {
  const { names, x, y } = load();
  const train = x.slice(0, 800);
  const test = x.slice(800);
  const { w, b } = fitLogistic(train, y.slice(0, 800));
  const logOdds = (r: ArrayLike<number>): number => w.reduce((s, wj, j) => s + wj * (r[j] as number), b);
  const groups = groupByPrefix(names);

  it('groups the 61 columns into the 20 original attributes', () => {
    expect(groups.length).toBe(20);
    expect(groups.find((g) => g.name === 'CheckingAccountStatus')?.columns.length).toBe(4);
  });

  it('sampled KernelSHAP with a k-means background gives exact group attributions for the log-odds', async () => {
    const explainer = kernelShap(predictorFromFunction(logOdds), train, { groups, backgroundSize: 30, seed: 1, nSamples: 300 });
    const bg = explainer.fitted.background;
    const bw = explainer.fitted.backgroundWeights;
    const mean = names.map((_, j) => bg.reduce((s, r, i) => s + (r[j] as number) * (bw[i] as number), 0));
    const rows = test.slice(0, 3);
    const e = await explainer.explain(rows);
    expect(e.exact).toBe(false);
    expect(e.playerNames).toEqual(groups.map((g) => g.name));
    rows.forEach((r, i) => {
      const expected = groups.map((g) => g.columns.reduce((s, j) => s + (w[j] as number) * ((r[j] as number) - (mean[j] as number)), 0));
      expectClose(e.values[i] as number[], expected, 1e-8);
    });
  });

  it('explains a scored applicant in log-odds with readable reasons, and ranks checking status high', async () => {
    const p = predictorFromFunction((r) => 1 / (1 + Math.exp(-logOdds(r))));
    const explainer = kernelShap(p, train, { groups, featureNames: names, link: 'logit', backgroundSize: 20, seed: 2, nSamples: 400 });
    // The riskiest test applicant.
    const risk = test.map(logOdds);
    const who = risk.indexOf(Math.max(...risk));
    const applicant = test[who] as number[];
    const d = await explainDecision(explainer, applicant, { topK: 3 });
    expect(Math.abs(d.baseValue + d.values.reduce((a, v) => a + v, 0) - d.fx)).toBeLessThan(1e-9);
    expect(d.fx).toBeCloseTo(logOdds(applicant), 9);
    expect(d.reasons.length).toBe(3);
    for (const r of d.reasons) {
      expect(r.sentence).toMatch(/^[A-Za-z]+ = \S.* raised the default risk by \d+\.\d\d \(log-odds\)$/);
      expect(r.contribution).toBeGreaterThan(0);
    }
    expect(d.reasons[0]?.contribution).toBeGreaterThanOrEqual(d.reasons[1]?.contribution ?? 0);
    const checking = d.reasons.find((r) => r.name === 'CheckingAccountStatus');
    expect(checking).toBeDefined();
    const level = names.find((n, j) => n.startsWith('CheckingAccountStatus.') && applicant[j] === 1);
    expect(`CheckingAccountStatus.${checking?.value ?? ''}`).toBe(level);
    // Permutation importance on held-out data (log-loss, grouped): checking status is a top-3 driver.
    const logLoss = (t: Float64Array, q: Float64Array): number => -t.reduce((s, v, i) => s + v * Math.log(q[i] as number) + (1 - v) * Math.log(1 - (q[i] as number)), 0) / t.length;
    const pi = await permutationImportance(p, test, y.slice(800), { metric: logLoss, greaterIsBetter: false, groups, featureNames: names, nRepeats: 3, seed: 3 });
    const ranked = pi.names.map((n, i) => [n, pi.importancesMean[i] as number] as const).sort((a, c) => c[1] - a[1]);
    expect(ranked.slice(0, 3).map((r) => r[0])).toContain('CheckingAccountStatus');
  });
});
