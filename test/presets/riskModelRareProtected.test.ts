import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { createRng } from '../../src/core/random';
import { getColumn } from '../../src/data/getColumn';
import type { Table } from '../../src/data/table';
import { takeRows } from '../../src/data/takeRows';
import { trainTestSplit } from '../../src/data/trainTestSplit';
import { readCsv } from '../../src/node/index';
import { buildRiskModel } from '../../src/presets/riskModel';

/** Applicants with a known PD: logit = −3.6 + 1.2·a − 0.8·b + 0.6·[region = 'north'] (about 5% defaults). */
function simulate(n: number, seed: number): { table: Table; pd: Float64Array } {
  const rng = createRng(seed);
  const a = new Float64Array(n);
  const b = new Float64Array(n);
  const region: string[] = [];
  const status: string[] = [];
  const pd = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    a[i] = rng.normal();
    b[i] = rng.normal();
    region.push(rng.next() < 0.3 ? 'north' : 'south');
    const z = -3.6 + 1.2 * (a[i] as number) - 0.8 * (b[i] as number) + (region[i] === 'north' ? 0.6 : 0);
    pd[i] = 1 / (1 + Math.exp(-z));
    status.push(rng.next() < (pd[i] as number) ? 'Defaulted' : 'Current');
  }
  return {
    table: {
      nRows: n,
      columns: [
        { kind: 'numeric', name: 'a', values: a },
        { kind: 'numeric', name: 'b', values: b },
        { kind: 'categorical', name: 'region', values: region },
        { kind: 'categorical', name: 'status', values: status },
      ],
    },
    pd,
  };
}

describe('buildRiskModel with rare defaults (about 5%)', () => {
  it('ranks and calibrates: PDs track the true PDs, no accuracy at 0.5, confusion at the validation cut-off', async () => {
    const { table, pd } = simulate(2500, 7);
    const labels = getColumn(table, 'status').values as string[];
    const rate = labels.filter((l) => l === 'Defaulted').length / labels.length;
    expect(rate).toBeGreaterThan(0.03);
    expect(rate).toBeLessThan(0.08);
    const split = trainTestSplit(table.nRows, { testSize: 0.3, seed: 1, stratify: labels });
    const train = takeRows(table, split.train);
    const test = takeRows(table, split.test);
    const truePd = Array.from(split.test, (i) => pd[i] as number);
    for (const classWeight of [null, 'balanced'] as const) {
      const m = await buildRiskModel(train, { target: 'status', members: 3, epochs: 40, classWeight, seed: 3 });
      try {
        expect(m.positive).toBe('Defaulted');
        const p = m.score(test);
        // Calibrated in the large and not squeezed: mean PD near the true mean, top decile near the truth.
        const mean = (v: ArrayLike<number>): number => Array.from(v).reduce((s, x) => s + x, 0) / v.length;
        expect(Math.abs(mean(p) - mean(truePd))).toBeLessThan(0.012);
        const order = Array.from(p.keys()).sort((i, j) => (p[j] as number) - (p[i] as number)).slice(0, Math.round(p.length / 10));
        const topPred = mean(order.map((i) => p[i] as number));
        const topTrue = mean(order.map((i) => truePd[i] as number));
        expect(Math.abs(topPred - topTrue) / topTrue).toBeLessThan(0.35);
        const ev = m.evaluate(test);
        expect(ev.rocAuc).toBeGreaterThan(0.75);
        expect(ev).not.toHaveProperty('accuracy');
        expect(ev.ks).toBeGreaterThan(0.3);
        expect(ev.gini).toBeCloseTo(2 * ev.rocAuc - 1, 12);
        // The cut-off comes from validation (far below 0.5 for a 5% rate) and catches defaults.
        expect(ev.cutoff).toBe(m.combiner.cutoff);
        expect(ev.cutoff).toBeLessThan(0.2);
        expect(ev.confusion.tp).toBeGreaterThan(ev.confusion.fn);
      } finally {
        m.dispose();
      }
    }
  });
});

describe('buildRiskModel with protected attributes', () => {
  const path = fileURLToPath(new URL('../../data/german_credit.csv', import.meta.url));
  it('keeps protected columns out of reason codes; evaluate reports per-group metrics; they can be excluded', async () => {
    const credit = await readCsv(path);
    const split = trainTestSplit(credit.nRows, { testSize: 0.25, seed: 5, stratify: getColumn(credit, 'Class').values as string[] });
    const train = takeRows(credit, split.train);
    const test = takeRows(credit, split.test);
    const m = await buildRiskModel(train, { target: 'Class', members: 2, epochs: 15, protected: ['Personal', 'Age'], backgroundSize: 20 });
    try {
      expect(Object.keys(m.pipeline.featureGroups)).toContain('Age');
      const ex = await m.explain(test, { rows: [0, 1, 2, 3, 4, 5], topK: 20 });
      for (const e of ex) {
        expect(e.reasons.map((r) => r.name)).not.toContain('Personal');
        expect(e.reasons.map((r) => r.name)).not.toContain('Age');
        expect(e.contributions).toHaveProperty('Age'); // still a feature: its contribution is reported
      }
      const ev = m.evaluate(test);
      const personal = ev.groups?.Personal ?? [];
      expect(personal.map((g) => g.group)).toEqual(['Female.NotSingle', 'Male.Divorced.Seperated', 'Male.Married.Widowed', 'Male.Single']);
      expect(personal.reduce((s, g) => s + g.n, 0)).toBe(250);
      expect(Math.max(...personal.map((g) => g.adverseImpactRatio))).toBe(1);
      const p = m.score(test);
      const y = m.pipeline.transformTarget(test);
      const personalCol = getColumn(test, 'Personal').values as string[];
      for (const g of personal) {
        const idx = personalCol.flatMap((v, i) => (v === g.group ? [i] : []));
        expect(g.approvalRate).toBeCloseTo(idx.filter((i) => (p[i] as number) < ev.cutoff).length / idx.length, 12);
        expect(g.defaultRate).toBeCloseTo(idx.filter((i) => y[i] === 1).length / idx.length, 12);
      }
      const age = ev.groups?.Age ?? [];
      expect(age).toHaveLength(4); // quartiles of the training ages
      expect(age.reduce((s, g) => s + g.n, 0)).toBe(250);
    } finally {
      m.dispose();
    }
    const ex = await buildRiskModel(train, { target: 'Class', members: 2, epochs: 5, protected: ['Personal', 'Age'], excludeProtected: true, backgroundSize: 10 });
    try {
      expect(Object.keys(ex.pipeline.featureGroups)).not.toContain('Age');
      expect(Object.keys(ex.pipeline.featureGroups)).not.toContain('Personal');
      expect(ex.evaluate(test).groups?.Age).toHaveLength(4);
    } finally {
      ex.dispose();
    }
  });
});
