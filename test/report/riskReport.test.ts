import { describe, expect, it } from 'vitest';
import { DataError, InvalidOptionError, ShapeError } from '../../src/core/errors';
import type { Table } from '../../src/data/table';
import { psi } from '../../src/metrics/index';
import { riskReport } from '../../src/report/index';
import { findAll, parseXml, textOf, type XmlElement } from '../helpers/xml';

// 8 held-out rows: 3 bad. Sorted by PD: 0.1 g, 0.2 g, 0.3 g, 0.4 g, 0.6 b, 0.65 g, 0.7 b, 0.9 b.
const Y = [0, 0, 1, 0, 1, 0, 0, 1];
const PD = [0.1, 0.2, 0.7, 0.3, 0.6, 0.65, 0.4, 0.9];

function section(root: XmlElement, heading: string): XmlElement {
  const s = findAll(root, 'section').find((x) => textOf(findAll(x, 'h2')[0] as XmlElement).startsWith(heading));
  if (s === undefined) throw new Error(`no section '${heading}'`);
  return s;
}
/** Table rows as arrays of cell texts (thead excluded). */
function rows(t: XmlElement): string[][] {
  const body = findAll(t, 'tbody')[0] as XmlElement;
  return findAll(body, 'tr').map((r) => r.children.filter((c): c is XmlElement => typeof c !== 'string').map(textOf));
}
function tables(s: XmlElement): XmlElement[] {
  return findAll(s, 'table');
}

describe('riskReport', () => {
  it('computes the cut-off, gains/lift and discrimination tables by hand', () => {
    const root = parseXml(riskReport({ yTrue: Y, pd: PD }, { cutoff: 0.5, bands: 4, calibrationBins: 2, positive: 'Bad' }));
    // AUC: 14 of the 15 bad-good pairs ordered
    const disc = rows(tables(section(root, 'Discrimination'))[0] as XmlElement);
    expect(disc[0]).toEqual(['AUC', '0.9333']);
    expect(disc.find((r) => r[0] === 'Observed Bad rate')).toEqual(['Observed Bad rate', '0.375']);
    expect(disc.some((r) => /accuracy/i.test(r[0] as string))).toBe(false);
    // cut-off 0.5: declined = {0.6 b, 0.65 g, 0.7 b, 0.9 b}
    const [cm, rates] = tables(section(root, 'Decision at PD cut-off 0.5')) as [XmlElement, XmlElement];
    expect(rows(cm)).toEqual([
      ['Bad', '3', '0', '3'],
      ['not Bad', '1', '4', '5'],
      ['Total', '4', '4', '8'],
    ]);
    expect(rows(rates)).toEqual([
      ['Approval rate', '50.0%'],
      ['Bad rate among approved', '0.0%'],
      ['Bad rate among declined', '75.0%'],
      ['Share of Bad declined (recall)', '100.0%'],
      ['Share of declined that are Bad (precision)', '75.0%'],
    ]);
    // quantile edges 0.275, 0.5, 0.6625: bands {0.7, 0.9}, {0.6, 0.65}, {0.3, 0.4}, {0.1, 0.2}, riskiest first
    expect(rows(tables(section(root, 'Score bands'))[0] as XmlElement)).toEqual([
      ['1', '0.7 – 0.9', '2', '2', '100.0%', '25.0%', '66.7%', '2.667', '2.667'],
      ['2', '0.6 – 0.65', '2', '1', '50.0%', '50.0%', '100.0%', '1.333', '2'],
      ['3', '0.3 – 0.4', '2', '0', '0.0%', '75.0%', '100.0%', '0', '1.333'],
      ['4', '0.1 – 0.2', '2', '0', '0.0%', '100.0%', '100.0%', '0', '1'],
    ]);
    // calibration in quantile bins: 4 rows each (edge at the median 0.5)
    const cal = rows(tables(section(root, 'Calibration'))[0] as XmlElement);
    expect(cal.map((r) => r[1])).toEqual(['4', '4']);
    expect(cal[1]?.[3]).toBe('0.75');
    // model card shows gaps explicitly
    expect(textOf(section(root, 'Model card'))).toContain('Intended usenot stated');
  });

  it('puts low-default-rate scores into equally filled calibration bins', () => {
    // 2000 rows, 5% bad, PDs mostly below 0.1: equal-width bins would hold nearly all rows in one bin
    const n = 2000;
    const pd = Array.from({ length: n }, (_, i) => 0.005 + (0.1 * i) / n);
    const y = pd.map((_, i) => (i % 20 === 0 ? 1 : 0));
    const cal = rows(tables(section(parseXml(riskReport({ yTrue: y, pd })), 'Calibration'))[0] as XmlElement);
    expect(cal).toHaveLength(10);
    for (const r of cal) expect(Number(r[1])).toBe(200);
  });

  it('flags the PSI of the score and of each input, numeric and categorical, missing as a bin', () => {
    const trainInputs: Table = {
      nRows: 5,
      columns: [
        { kind: 'numeric', name: 'Paid onTime=yes', values: Float64Array.from([1, 2, 3, 4, Number.NaN]) },
        { kind: 'categorical', name: 'Purpose', values: ['a', 'a', 'b', null, 'a'] },
      ],
    };
    const testInputs: Table = {
      nRows: 4,
      columns: [
        { kind: 'numeric', name: 'Paid onTime=yes', values: Float64Array.from([1, 1, Number.NaN, Number.NaN]) },
        { kind: 'categorical', name: 'Purpose', values: ['a', 'b', 'b', 'c'] },
      ],
    };
    const trainPd = [0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8];
    const root = parseXml(riskReport({ yTrue: Y, pd: PD, trainPd, trainInputs, testInputs }, { psiBins: 2 }));
    const t = rows(tables(section(root, 'Population stability'))[0] as XmlElement);
    const term = (a: number, e: number): number => (a - e) * Math.log(a / e);
    // numeric: cut at the median 2.5 of the present training values; shares (≤2.5, >2.5, missing)
    const numeric = term(0.5, 0.4) + term(1e-4, 0.4) + term(0.5, 0.2);
    // categorical: a, b, missing, c  with training shares .6 .2 .2 0 and held-out .25 .5 0 .25
    const categorical = term(0.25, 0.6) + term(0.5, 0.2) + term(1e-4, 0.2) + term(0.25, 1e-4);
    const score = psi(trainPd, PD, { bins: 2 });
    const f4 = (x: number): string => String(Number(x.toPrecision(4)));
    expect(t[0]?.slice(0, 2)).toEqual(['Score (PD)', f4(score)]);
    expect(t[1]).toEqual(['Paid onTime=yes', f4(numeric), 'major shift (alert)', '3', '+30.0 pp']);
    expect(t[2]).toEqual(['Purpose', f4(categorical), 'major shift (alert)', '4', '-20.0 pp']);
    // flags by the usual thresholds
    const same = parseXml(riskReport({ yTrue: Y, pd: PD, trainPd: PD }));
    expect(rows(tables(section(same, 'Population stability'))[0] as XmlElement)[0]?.[2]).toBe('stable (ok)');
  });

  it('reports per-group metrics, the SHAP summary in colour, and further metrics and figures', () => {
    const sex = ['f', 'm', 'f', 'm', 'f', 'm', 'f', null];
    const html = riskReport(
      {
        yTrue: Y,
        pd: PD,
        groups: [{ name: 'sex', values: sex }],
        shap: { values: [[0.2, -0.1], [-0.3, 0.4], [0.1, 0.1]], featureValues: [[1, null], [5, null], [3, null]], featureNames: ['Amount', 'Purpose'], unit: 'log-odds of Bad' },
      },
      { metrics: [{ name: 'Validation AUC', value: 0.8 }], notes: ['n1'], seed: 7, modelCard: { limitations: ['L1', 'L2'], version: '1.2.3' } },
    );
    const root = parseXml(html);
    const g = rows(tables(section(root, 'Per-group metrics: sex'))[0] as XmlElement);
    // f: rows 0,2,4,6 → y 0,1,1,0, pd .1,.7,.6,.4: AUC 1; m: rows 1,3,5 → all good; unknown: row 7
    expect(g[0]).toEqual(['(unknown)', '1', '12.5%', '100.0%', '0.9', '– (one outcome only)', '0.0%', '–']);
    expect(g[1]).toEqual(['f', '4', '50.0%', '50.0%', '0.45', '1', '50.0%', '0.0%']);
    expect(g[2]?.[5]).toBe('– (one outcome only)');
    const shap = section(root, 'Explanations');
    const dots = findAll(shap, 'circle').map((c) => c.attrs.fill);
    expect(new Set(dots).size).toBeGreaterThan(2); // coloured by value, grey for the categorical
    expect(dots).toContain('#9ca3af');
    expect(textOf(section(root, 'Discrimination'))).toContain('Validation AUC');
    const card = textOf(section(root, 'Model card'));
    for (const s of ['1.2.3', 'L1', 'L2', 'Seed7']) expect(card).toContain(s);
    expect(riskReport({ yTrue: Y, pd: PD })).toBe(riskReport({ yTrue: Y, pd: PD }));
  });

  it('validates its input with typed errors', () => {
    expect(() => riskReport({ yTrue: [0, 2], pd: [0.1, 0.2] })).toThrow(DataError);
    expect(() => riskReport({ yTrue: [0, 1], pd: [0.1, 1.5] })).toThrow(DataError);
    expect(() => riskReport({ yTrue: [0, 1], pd: [0.1, Number.NaN] })).toThrow(DataError);
    expect(() => riskReport({ yTrue: [0, 0], pd: [0.1, 0.2] })).toThrow(/both outcomes/);
    expect(() => riskReport({ yTrue: [0, 1], pd: [0.1] })).toThrow(ShapeError);
    expect(() => riskReport({ yTrue: Y, pd: PD, groups: [{ name: 'g', values: ['a'] }] })).toThrow(ShapeError);
    expect(() => riskReport({ yTrue: Y, pd: PD, trainInputs: { nRows: 0, columns: [] } })).toThrow(/both data.trainInputs/);
    expect(() => riskReport({ yTrue: Y, pd: PD }, { cutoff: 2 })).toThrow(InvalidOptionError);
    expect(() => riskReport({ yTrue: Y, pd: PD }, { bandz: 3 } as never)).toThrow(InvalidOptionError);
  });
});
