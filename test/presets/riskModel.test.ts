import { describe, expect, it } from 'vitest';
import { DataError, InvalidOptionError, NotFittedError } from '../../src/core/errors';
import type { Table } from '../../src/data/table';
import { buildRiskModel, riskModel } from '../../src/presets/riskModel';
import { RISK_MODEL_DEFAULTS } from '../../src/presets/buildRiskModel';
import { expectNoLeak } from '../helpers/leak';

/** 60 applicants: the default rate rises with the amount and with renting. */
function applicants(n = 60): Table {
  const idx = Array.from({ length: n }, (_, i) => i);
  return {
    nRows: n,
    columns: [
      { kind: 'numeric', name: 'amount', values: Float64Array.from(idx, (i) => ((i * 37) % 11) * 100) },
      { kind: 'categorical', name: 'housing', values: idx.map((i) => (i % 3 === 0 ? 'rent' : 'own')) },
      { kind: 'categorical', name: 'Class', values: idx.map((i) => (i % 3 === 0 || (i * 37) % 11 > 7 ? 'Bad' : 'Good')) },
    ],
  };
}

describe('riskModel (spec -> fit)', () => {
  it('validates and freezes the options at construction, before any data', () => {
    const spec = riskModel({ target: 'Class', members: 2 });
    expect(spec.kind).toBe('RiskModel');
    expect(spec.params).toEqual({ ...RISK_MODEL_DEFAULTS, target: 'Class', members: 2 });
    expect(Object.isFrozen(spec)).toBe(true);
    expect(Object.isFrozen(spec.params.hidden)).toBe(true);
    expect(() => riskModel({ target: 'Class', members: 0 })).toThrow(InvalidOptionError);
    expect(() => riskModel({ target: 'Class', members: 0 })).toThrow(/members/);
    expect(() => riskModel({ target: '' })).toThrow(/target/);
    const other = spec.withParams({ epochs: 7 });
    expect(other.params.epochs).toBe(7);
    expect(spec.params.epochs).toBe(RISK_MODEL_DEFAULTS.epochs);
    expect(() => (spec.score as unknown as () => unknown)()).toThrow(NotFittedError);
    expect(() => (spec.explain as unknown as () => unknown)()).toThrow(NotFittedError);
  });

  it('buildRiskModel(data, options) is riskModel(options).fit(data): identical scores, params and validation', async () => {
    const options = { target: 'Class', members: 2, epochs: 4, hidden: [4], seed: 3, backgroundSize: 5 } as const;
    const data = applicants();
    await expectNoLeak(async () => {
      const a = await riskModel(options).fit(data);
      const b = await buildRiskModel(data, options);
      try {
        expect(Array.from(a.score(data))).toEqual(Array.from(b.score(data)));
        expect(a.params).toEqual(b.params);
        expect(a.params.positive).toBe('Bad'); // recognised at fit; the spec keeps null
        expect(a.validation).toEqual(b.validation);
        expect(a.combiner).toEqual(b.combiner);
        expect(a.explainer.toJSON()).toEqual(b.explainer.toJSON());
      } finally {
        a.dispose();
        b.dispose();
      }
    });
  });

  it('fit does not mutate the spec and names RiskModel.fit in data errors; buildRiskModel keeps its name', async () => {
    const spec = riskModel({ target: 'Class', members: 2, epochs: 1, protected: ['age'] });
    const before = JSON.stringify(spec.params);
    const e = await spec.fit(applicants()).catch((err: unknown) => err);
    expect(e).toBeInstanceOf(DataError);
    expect((e as DataError).details).toMatchObject({ fn: 'RiskModel.fit', arg: 'options.protected' });
    const e2 = await buildRiskModel(applicants(), { target: 'Class', members: 2, epochs: 1, protected: ['age'] }).catch((err: unknown) => err);
    expect((e2 as DataError).details).toMatchObject({ fn: 'buildRiskModel', arg: 'options.protected' });
    expect(JSON.stringify(spec.params)).toBe(before);
    const e3 = await buildRiskModel(applicants(), { target: 'Class', epochs: 0 }).catch((err: unknown) => err);
    expect(e3).toBeInstanceOf(InvalidOptionError);
    expect((e3 as InvalidOptionError).details).toMatchObject({ fn: 'buildRiskModel' });
  });
});
