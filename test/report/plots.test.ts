import { describe, expect, it } from 'vitest';
import { DataError, InvalidOptionError, ShapeError } from '../../src/core/errors';
import {
  calibrationPlot,
  featureImportancePlot,
  rocCurvePlot,
  shapSummaryPlot,
  shapWaterfallPlot,
  trainingCurvePlot,
} from '../../src/report/index';
import { checkInsideViewBox, findAll, parsePoints, parseXml, textOf, viewBox, type XmlElement } from '../helpers/xml';

const EVIL = `a<b & "c" 'd'>`;

function parseSvg(svg: string): XmlElement {
  const root = parseXml(svg);
  expect(root.name).toBe('svg');
  expect(root.attrs.xmlns).toBe('http://www.w3.org/2000/svg');
  expect(root.attrs.role).toBe('img');
  // accessible name: <title> is the first child element, followed by <desc>
  const firstEls = root.children.filter((c): c is XmlElement => typeof c !== 'string');
  expect(firstEls[0]?.name).toBe('title');
  expect(firstEls[1]?.name).toBe('desc');
  expect(textOf(firstEls[1] as XmlElement).length).toBeGreaterThan(10);
  checkInsideViewBox(root);
  return root;
}

function byClass(root: XmlElement, cls: string): XmlElement[] {
  return findAll(root).filter((e) => (e.attrs.class ?? '').split(/\s+/).includes(cls));
}

describe('xml helper', () => {
  it('rejects malformed markup (so the checks below can fail)', () => {
    expect(() => parseXml('<svg><g></svg>')).toThrow(/closes/);
    expect(() => parseXml('<svg><text>a < b</text></svg>')).toThrow();
    expect(() => parseXml('<svg><text>a & b</text></svg>')).toThrow(/bare/);
    expect(() => parseXml('<svg a="1" a="2"/>')).toThrow(/duplicate/);
    expect(() => parseXml('<svg a=1/>')).toThrow(/unquoted/);
    expect(() => parseXml('<svg/><svg/>')).toThrow(/after the root/);
    expect(() => checkInsideViewBox(parseXml('<svg viewBox="0 0 10 10"><circle cx="11" cy="1"/></svg>'))).toThrow(/outside/);
  });
});

describe('trainingCurvePlot', () => {
  const loss = [0.7, 0.55, 0.47, 0.43, 0.41, 0.4];
  const valLoss = [0.71, 0.6, 0.54, 0.52, 0.53, 0.56];

  it('draws one polyline per series with one point per epoch, inside the viewBox', () => {
    const root = parseSvg(trainingCurvePlot({ loss, valLoss }));
    const lines = findAll(root, 'polyline');
    expect(lines).toHaveLength(2);
    for (const l of lines) expect(parsePoints(l.attrs.points as string)).toHaveLength(6);
    const [vbx, , vbw] = viewBox(root);
    expect(vbx).toBe(0);
    expect(vbw).toBe(640);
  });

  it('maps epochs left to right and lower loss lower on screen (larger y)', () => {
    const root = parseSvg(trainingCurvePlot({ loss, valLoss }));
    const train = parsePoints(findAll(root, 'polyline').find((l) => l.attrs['data-series'] === 'training')?.attrs.points as string);
    for (let i = 1; i < train.length; i++) {
      expect((train[i] as [number, number])[0]).toBeGreaterThan((train[i - 1] as [number, number])[0]);
      // loss decreases monotonically → y (screen, downward) increases
      expect((train[i] as [number, number])[1]).toBeGreaterThan((train[i - 1] as [number, number])[1]);
    }
  });

  it('marks the epoch with the lowest validation loss (auto), a given one, or none', () => {
    const auto = parseSvg(trainingCurvePlot({ loss, valLoss }));
    const g = byClass(auto, 'best-epoch');
    expect(g).toHaveLength(1);
    expect(g[0]?.attrs['data-epoch']).toBe('4');
    expect(textOf(g[0] as XmlElement)).toContain('best epoch 4');
    // the marker sits on the 4th validation point
    const val = parsePoints(findAll(auto, 'polyline').find((l) => l.attrs['data-series'] === 'validation')?.attrs.points as string);
    const dot = findAll(g[0] as XmlElement, 'circle')[0] as XmlElement;
    expect(Number(dot.attrs.cx)).toBeCloseTo((val[3] as [number, number])[0], 1);
    expect(Number(dot.attrs.cy)).toBeCloseTo((val[3] as [number, number])[1], 1);

    expect(byClass(parseSvg(trainingCurvePlot({ loss, valLoss }, { bestEpoch: 0 })), 'best-epoch')[0]?.attrs['data-epoch']).toBe('1');
    expect(byClass(parseSvg(trainingCurvePlot({ loss, valLoss }, { bestEpoch: null })), 'best-epoch')).toHaveLength(0);
    // without validation data: minimum of the training loss (last epoch)
    expect(byClass(parseSvg(trainingCurvePlot({ loss })), 'best-epoch')[0]?.attrs['data-epoch']).toBe('6');
  });

  it('escapes the title and labels', () => {
    const svg = trainingCurvePlot({ loss }, { title: EVIL, yLabel: EVIL });
    expect(svg).not.toContain(EVIL);
    const root = parseSvg(svg);
    expect(textOf(findAll(root, 'title')[0] as XmlElement)).toBe(EVIL);
    expect(findAll(root, 'text').some((t) => textOf(t) === EVIL)).toBe(true);
  });

  it('handles a single epoch and constant losses', () => {
    const root = parseSvg(trainingCurvePlot({ loss: [0.5], valLoss: [0.5] }));
    expect(parsePoints(findAll(root, 'polyline')[0]?.attrs.points as string)).toHaveLength(1);
  });

  it('rejects bad input with typed errors', () => {
    expect(() => trainingCurvePlot({ loss: [] })).toThrow(DataError);
    expect(() => trainingCurvePlot({ loss: [0.1, Number.NaN] })).toThrow(DataError);
    expect(() => trainingCurvePlot({ loss: [0.1, 0.2], valLoss: [0.3] })).toThrow(ShapeError);
    expect(() => trainingCurvePlot({ loss: [0.1, 0.2] }, { bestEpoch: 2 })).toThrow(InvalidOptionError);
    expect(() => trainingCurvePlot({ loss: [0.1] }, { width: -5 })).toThrow(InvalidOptionError);
    expect(() => trainingCurvePlot({ loss: [0.1] }, { colour: 'red' } as never)).toThrow(/colour/);
  });

  it('does not mutate its input', () => {
    const data = { loss: [...loss], valLoss: [...valLoss] };
    trainingCurvePlot(data);
    expect(data).toEqual({ loss, valLoss });
  });
});

describe('rocCurvePlot', () => {
  it('draws the curve through every point plus the diagonal, with the AUC in the legend', () => {
    const fpr = [0, 0.1, 0.4, 1];
    const tpr = [0, 0.6, 0.9, 1];
    const root = parseSvg(rocCurvePlot({ fpr, tpr, label: 'test' }));
    const curves = findAll(root, 'polyline');
    expect(curves).toHaveLength(1);
    const pts = parsePoints(curves[0]?.attrs.points as string);
    expect(pts).toHaveLength(4);
    const diag = byClass(root, 'chance')[0] as XmlElement;
    // (0,0) of the curve is the diagonal's start, (1,1) its end
    expect(pts[0]).toEqual([Number(diag.attrs.x1), Number(diag.attrs.y1)]);
    expect(pts[3]).toEqual([Number(diag.attrs.x2), Number(diag.attrs.y2)]);
    // trapezoid AUC: 0.1*0.3 + 0.3*0.75 + 0.6*0.95 = 0.825
    const legend = textOf(byClass(root, 'legend')[0] as XmlElement);
    expect(legend).toContain('test (AUC = 0.825)');
    expect(legend).toContain('chance (AUC = 0.500)');
  });

  it('uses a given AUC, extends curves to the corners, and draws several curves', () => {
    const root = parseSvg(
      rocCurvePlot([
        { fpr: [0.2, 0.5], tpr: [0.5, 0.9], auc: 0.77, label: 'train' },
        { fpr: [0, 1], tpr: [0, 1] },
      ]),
    );
    const curves = findAll(root, 'polyline');
    expect(curves).toHaveLength(2);
    expect(parsePoints(curves[0]?.attrs.points as string)).toHaveLength(4);
    const legend = textOf(byClass(root, 'legend')[0] as XmlElement);
    expect(legend).toContain('train (AUC = 0.770)');
    expect(legend).toContain('model 2 (AUC = 0.500)');
  });

  it('escapes labels', () => {
    const svg = rocCurvePlot({ fpr: [0, 1], tpr: [0, 1], label: EVIL }, { title: EVIL });
    expect(svg).not.toContain(EVIL);
    const root = parseSvg(svg);
    expect(findAll(root, 'polyline')[0]?.attrs['data-label']).toBe(EVIL);
  });

  it('rejects bad curves', () => {
    expect(() => rocCurvePlot([])).toThrow(DataError);
    expect(() => rocCurvePlot({ fpr: [0, 1.2], tpr: [0, 1] })).toThrow(DataError);
    expect(() => rocCurvePlot({ fpr: [0, 0.5, 0.4], tpr: [0, 0.5, 1] })).toThrow(/non-decreasing/);
    expect(() => rocCurvePlot({ fpr: [0, 1], tpr: [0] })).toThrow(ShapeError);
    expect(() => rocCurvePlot({ fpr: [0, 1], tpr: [0, 1], auc: 2 })).toThrow(DataError);
  });
});

describe('calibrationPlot', () => {
  const data = { probPred: [0.05, 0.3, 0.5, 0.7, 0.92], probTrue: [0.02, 0.35, 0.45, 0.8, 0.9], counts: [120, 40, 0, 30, 60] };

  it('draws one marker and one count bar per non-empty bin, labelled with counts', () => {
    const root = parseSvg(calibrationPlot(data));
    const line = byClass(root, 'calibration')[0] as XmlElement;
    expect(parsePoints(line.attrs.points as string)).toHaveLength(4);
    const dots = findAll(byClass(root, 'bins')[0] as XmlElement, 'circle');
    expect(dots.map((d) => d.attrs['data-count'])).toEqual(['120', '40', '30', '60']);
    const bars = byClass(root, 'count-bar');
    expect(bars.map((b) => b.attrs['data-count'])).toEqual(['120', '40', '30', '60']);
    // bar heights proportional to counts
    const h = bars.map((b) => Number(b.attrs.height));
    expect((h[0] as number) / (h[3] as number)).toBeCloseTo(2, 1);
    const labels = findAll(byClass(root, 'counts')[0] as XmlElement, 'text').map(textOf);
    expect(labels).toEqual(['120', '40', '30', '60']);
    expect(byClass(root, 'perfect')).toHaveLength(1);
  });

  it('places a perfectly calibrated bin on the diagonal', () => {
    const root = parseSvg(calibrationPlot({ probPred: [0.4], probTrue: [0.4], counts: [10] }));
    const d = byClass(root, 'perfect')[0] as XmlElement;
    const [[px, py]] = parsePoints(byClass(root, 'calibration')[0]?.attrs.points as string) as [[number, number]];
    const [x1, y1, x2, y2] = ['x1', 'y1', 'x2', 'y2'].map((k) => Number(d.attrs[k])) as [number, number, number, number];
    // the point is collinear with the diagonal's ends
    expect((px - x1) * (y2 - y1) - (py - y1) * (x2 - x1)).toBeCloseTo(0, 0);
  });

  it('rejects bad bins', () => {
    expect(() => calibrationPlot({ ...data, counts: [1, 2, 3] })).toThrow(ShapeError);
    expect(() => calibrationPlot({ ...data, counts: [1, 2, 3, 4, 2.5] })).toThrow(/integers/);
    expect(() => calibrationPlot({ ...data, probPred: [0.05, 0.3, 0.5, 0.7, 1.2] })).toThrow(DataError);
    expect(() => calibrationPlot({ probPred: [0.5], probTrue: [0.5], counts: [0] })).toThrow(/non-empty bin/);
  });
});

describe('shapSummaryPlot', () => {
  // 3 features: A has the largest impact, C the smallest
  const shapValues = [
    [0.5, -0.1, 0.0],
    [-0.4, 0.2, 0.01],
    [0.3, -0.05, -0.02],
    [-0.6, 0.1, 0.0],
  ];
  const featureValues = [
    [10, 1, 0],
    [2, 0, 1],
    [8, 1, 0],
    [1, 0, 1],
  ];
  const featureNames = ['C_small', 'B_mid', 'A_big'].reverse(); // ['A_big', 'B_mid', 'C_small'] in column order

  it('sorts features by mean |SHAP| and draws one dot per sample per shown feature', () => {
    const root = parseSvg(shapSummaryPlot({ shapValues, featureValues, featureNames }));
    const rows = byClass(root, 'feature-row');
    expect(rows.map((r) => r.attrs['data-feature'])).toEqual(['A_big', 'B_mid', 'C_small']);
    expect(Number(rows[0]?.attrs['data-mean-abs-shap'])).toBeCloseTo(0.45, 6);
    for (const r of rows) expect(findAll(r, 'circle')).toHaveLength(4);
    // rows go down the page in that order
    const ys = rows.map((r) => Number(findAll(r, 'circle')[0]?.attrs.cy));
    expect(ys[0]).toBeLessThan(ys[1] as number);
  });

  it('places dots at their SHAP value on the x axis and colours by feature value', () => {
    const root = parseSvg(shapSummaryPlot({ shapValues, featureValues, featureNames }));
    const dots = findAll(byClass(root, 'feature-row')[0] as XmlElement, 'circle');
    const cx = dots.map((d) => Number(d.attrs.cx));
    // order of x matches order of SHAP values of feature A: 0.5, -0.4, 0.3, -0.6
    expect(cx[0]).toBeGreaterThan(cx[2] as number);
    expect(cx[2]).toBeGreaterThan(cx[1] as number);
    expect(cx[1]).toBeGreaterThan(cx[3] as number);
    // high feature value (10) is red-ish, low (1) blue-ish
    const red = (c: string): number => parseInt(c.slice(1, 3), 16);
    expect(red(dots[0]?.attrs.fill as string)).toBeGreaterThan(red(dots[3]?.attrs.fill as string));
    expect(byClass(root, 'colorbar')).toHaveLength(1);
  });

  it('stacks coincident dots (beeswarm) instead of overplotting them', () => {
    const same = Array.from({ length: 9 }, () => [0.2]);
    const root = parseSvg(shapSummaryPlot({ shapValues: same, featureNames: ['x'] }));
    const cys = findAll(root, 'circle').map((c) => Number(c.attrs.cy));
    expect(new Set(cys).size).toBe(9);
  });

  it('limits to maxDisplay features and escapes names', () => {
    const root = parseSvg(shapSummaryPlot({ shapValues, featureValues, featureNames: [EVIL, 'B_mid', 'C_small'] }, { maxDisplay: 2 }));
    const rows = byClass(root, 'feature-row');
    expect(rows).toHaveLength(2);
    expect(rows[0]?.attrs['data-feature']).toBe(EVIL);
    expect(findAll(root, 'circle')).toHaveLength(8);
  });

  it('rejects shape mismatches', () => {
    expect(() => shapSummaryPlot({ shapValues, featureNames: ['a', 'b'] })).toThrow(ShapeError);
    expect(() => shapSummaryPlot({ shapValues, featureValues: featureValues.slice(1), featureNames })).toThrow(ShapeError);
    expect(() => shapSummaryPlot({ shapValues: [[0.1, 0.2], [0.3]], featureNames: ['a', 'b'] })).toThrow(ShapeError);
    expect(() => shapSummaryPlot({ shapValues: [], featureNames: [] })).toThrow(DataError);
    expect(() => shapSummaryPlot({ shapValues: [[Number.POSITIVE_INFINITY]], featureNames: ['a'] })).toThrow(DataError);
  });
});

describe('shapWaterfallPlot', () => {
  it('goes from the base value to f(x) = base + sum(shap), largest contribution on top', () => {
    const base = 0.3;
    const phi = [0.12, -0.05, 0.02, -0.2];
    const root = parseSvg(shapWaterfallPlot({ baseValue: base, shapValues: phi, featureNames: ['a', 'b', 'c', 'd'], featureValues: [1, 'x', 3.5, 0] }));
    const bars = byClass(root, 'contribution');
    expect(bars.map((b) => b.attrs['data-feature'])).toEqual(['d', 'a', 'b', 'c']);
    expect(textOf(byClass(root, 'fx')[0] as XmlElement).trim()).toBe('f(x) = 0.19');
    expect(textOf(byClass(root, 'base')[0] as XmlElement).trim()).toBe('E[f(X)] = 0.3');
    // the bars chain: the bottom bar starts at the base line, each bar starts where the one below ends,
    // and the top bar ends at f(x)
    const rects = bars.map((b) => findAll(b, 'rect')[0] as XmlElement);
    const baseX = Number(findAll(byClass(root, 'base')[0] as XmlElement, 'line')[0]?.attrs.x1);
    const fxX = Number(findAll(byClass(root, 'fx')[0] as XmlElement, 'line')[0]?.attrs.x1);
    const span = (r: XmlElement): [number, number] => [Number(r.attrs.x), Number(r.attrs.x) + Number(r.attrs.width)];
    const signed = bars.map((b) => Number(b.attrs['data-shap']));
    const startEnd = rects.map((r, k) => {
      const [l, rr] = span(r);
      return (signed[k] as number) >= 0 ? [l, rr] : [rr, l];
    }) as [number, number][];
    expect((startEnd[3] as [number, number])[0]).toBeCloseTo(baseX, 1);
    for (let k = 0; k < 3; k++) expect((startEnd[k] as [number, number])[0]).toBeCloseTo((startEnd[k + 1] as [number, number])[1], 1);
    expect((startEnd[0] as [number, number])[1]).toBeCloseTo(fxX, 1);
    // colours: positive red, negative blue
    expect(rects[1]?.attrs.fill).toBe('#ff0d57');
    expect(rects[0]?.attrs.fill).toBe('#1e88e5');
    // feature values appear in the labels
    expect(findAll(root, 'text').map(textOf)).toContain('b = x');
  });

  it('sums the features beyond maxDisplay into one row', () => {
    const phi = [0.5, 0.01, 0.02, -0.03, 0.04];
    const root = parseSvg(shapWaterfallPlot({ baseValue: 0, shapValues: phi, featureNames: ['a', 'b', 'c', 'd', 'e'] }, { maxDisplay: 3 }));
    const bars = byClass(root, 'contribution');
    expect(bars).toHaveLength(3);
    expect(findAll(bars[2] as XmlElement, 'text').map(textOf)).toContain('3 other features');
    expect(Number(bars[2]?.attrs['data-shap'])).toBeCloseTo(0.01 + 0.02 - 0.03, 9);
  });

  it('escapes names and category values, and rejects bad input', () => {
    const svg = shapWaterfallPlot({ baseValue: 0, shapValues: [1], featureNames: [EVIL], featureValues: [EVIL] });
    expect(svg).not.toContain(EVIL);
    parseSvg(svg);
    expect(() => shapWaterfallPlot({ baseValue: Number.NaN, shapValues: [1], featureNames: ['a'] })).toThrow(DataError);
    expect(() => shapWaterfallPlot({ baseValue: 0, shapValues: [1, 2], featureNames: ['a'] })).toThrow(ShapeError);
    expect(() => shapWaterfallPlot({ baseValue: 0, shapValues: [1], featureNames: ['a'], featureValues: [1, 2] })).toThrow(ShapeError);
  });
});

describe('featureImportancePlot', () => {
  it('sorts bars by importance with error bars, negative bars left of zero', () => {
    const root = parseSvg(
      featureImportancePlot([
        { feature: 'Age', importance: 0.01, std: 0.005 },
        { feature: 'Duration', importance: 0.04, std: 0.01 },
        { feature: 'Noise', importance: -0.002 },
      ]),
    );
    const rows = byClass(root, 'importance');
    expect(rows.map((r) => r.attrs['data-feature'])).toEqual(['Duration', 'Age', 'Noise']);
    expect(byClass(root, 'error-bar')).toHaveLength(2);
    const w = rows.map((r) => Number(findAll(r, 'rect')[0]?.attrs.width));
    expect((w[0] as number) / (w[1] as number)).toBeCloseTo(4, 1);
    const x = rows.map((r) => Number(findAll(r, 'rect')[0]?.attrs.x));
    expect(x[2]).toBeLessThan(x[0] as number);
  });

  it('rejects malformed entries', () => {
    expect(() => featureImportancePlot([])).toThrow(DataError);
    expect(() => featureImportancePlot([{ feature: 'a', importance: Number.NaN }])).toThrow(DataError);
    expect(() => featureImportancePlot([{ feature: 'a', importance: 1, std: -1 }])).toThrow(DataError);
  });
});

describe('svg helpers', () => {
  it('nice ticks cover the domain ends without float drift', async () => {
    const { niceTicks, niceDomain, escapeXml } = await import('../../src/report/_internal/svg');
    expect(niceTicks(0.15, 0.4)).toEqual([0.15, 0.2, 0.25, 0.3, 0.35, 0.4]);
    expect(niceTicks(0, 1)).toEqual([0, 0.2, 0.4, 0.6, 0.8, 1]);
    expect(niceDomain(0.174, 0.358)).toEqual([0.15, 0.4]);
    expect(escapeXml(`<a href="x">&'</a>`)).toBe('&lt;a href=&quot;x&quot;&gt;&amp;&#39;&lt;/a&gt;');
  });
});

describe('plots accept the metrics outputs directly', () => {
  it('rocCurve → rocCurvePlot (AUC matches rocAuc), calibrationCurve → calibrationPlot', async () => {
    const { rocCurve, rocAuc, calibrationCurve } = await import('../../src/metrics/index');
    const y = [0, 0, 1, 1, 0, 1, 0, 1, 1, 0];
    const p = [0.1, 0.4, 0.35, 0.8, 0.2, 0.7, 0.6, 0.9, 0.55, 0.3];
    const root = parseSvg(rocCurvePlot({ ...rocCurve(y, p), label: 'm' }));
    expect(textOf(byClass(root, 'legend')[0] as XmlElement)).toContain(`m (AUC = ${rocAuc(y, p).toFixed(3)})`);
    const cal = calibrationCurve(y, p, { nBins: 4 });
    const c = parseSvg(calibrationPlot(cal));
    expect(byClass(c, 'count-bar').map((b) => Number(b.attrs['data-count']))).toEqual(cal.counts);
  });
});

// Layout: text extents are estimated independently of the library, at a generous 0.62 em per
// character (wider than the real average of the sans-serif fonts used), so these checks are strict.
const EM = 0.62;
function textBox(t: XmlElement): { x: number; y: number; width: number; height: number } {
  const size = Number(t.attrs['font-size'] ?? 12);
  // own text only (a shortened label carries its full text in a child <title> tooltip)
  const s = t.children.filter((c): c is string => typeof c === 'string').join('');
  const w = [...s].length * size * EM * 0.85;
  const anchor = t.attrs['text-anchor'] ?? 'start';
  const x0 = Number(t.attrs.x) - (anchor === 'end' ? w : anchor === 'middle' ? w / 2 : 0);
  return { x: x0, y: Number(t.attrs.y) - size, width: w, height: size * 1.25 };
}
const overlap = (a: ReturnType<typeof textBox>, b: ReturnType<typeof textBox>): boolean =>
  a.x < b.x + b.width && b.x < a.x + a.width && a.y < b.y + b.height && b.y < a.y + a.height;
function legendTexts(root: XmlElement): XmlElement[] {
  return findAll(byClass(root, 'legend')[0] as XmlElement, 'text');
}

describe('plot layout', () => {
  const LONG = 'buildRiskModel (5-net CV ensemble)';

  it('rocCurvePlot: a long legend label stays inside the viewBox and off the axes labels', () => {
    for (const width of [440, 320]) {
      const root = parseSvg(rocCurvePlot([{ fpr: [0, 0.2, 1], tpr: [0, 0.7, 1], label: LONG }, { fpr: [0, 0.3, 1], tpr: [0, 0.6, 1], label: 'logistic regression (unregularized, all dummies)' }], { width }));
      const [, , vbw, vbh] = viewBox(root);
      const texts = legendTexts(root);
      expect(texts.map(textOf).join(' ')).toContain('(AUC = ');
      for (const t of texts) {
        const b = textBox(t);
        expect(b.x, textOf(t)).toBeGreaterThanOrEqual(0);
        expect(b.x + b.width, `${textOf(t)} at width ${width}`).toBeLessThanOrEqual(vbw);
        expect(b.y + b.height).toBeLessThanOrEqual(vbh);
      }
      const others = findAll(root, 'text').filter((t) => !texts.includes(t) && t.attrs.transform === undefined);
      for (const t of texts) for (const o of others) expect(overlap(textBox(t), textBox(o)), `${textOf(t)} / ${textOf(o)}`).toBe(false);
    }
  });

  it('rocCurvePlot: short labels stay in the lower-right corner of the plot', () => {
    const root = parseSvg(rocCurvePlot({ fpr: [0, 0.2, 1], tpr: [0, 0.7, 1], label: 'test' }));
    const box = byClass(root, 'legend-box')[0] as XmlElement;
    expect(Number(box.attrs.x)).toBeGreaterThan(440 / 2);
    expect(Number(box.attrs.y) + Number(box.attrs.height)).toBeLessThanOrEqual(420 - 48);
  });

  it('trainingCurvePlot: the best-epoch label never overlaps the legend', () => {
    const loss = Array.from({ length: 30 }, (_, i) => 0.7 * Math.exp(-i / 8) + 0.3);
    for (const bestEpoch of [0, 14, 24, 27, 29]) {
      for (const yLabel of ['loss', 'binary cross-entropy']) {
        const root = parseSvg(trainingCurvePlot({ loss, valLoss: loss.map((v) => v + 0.02) }, { bestEpoch, yLabel }));
        const label = findAll(byClass(root, 'best-epoch')[0] as XmlElement, 'text')[0] as XmlElement;
        const lb = textBox(label);
        const [, , vbw] = viewBox(root);
        expect(lb.x).toBeGreaterThanOrEqual(0);
        expect(lb.x + lb.width).toBeLessThanOrEqual(vbw);
        for (const t of legendTexts(root)) expect(overlap(lb, textBox(t)), `epoch ${bestEpoch + 1}, ${yLabel}: ${textOf(t)}`).toBe(false);
      }
    }
  });

  it('long feature names are shortened with an ellipsis (full name in a tooltip), never cut by the left edge', () => {
    const name = 'checking_account_status_no_checking_account_and_more';
    const svgs = [
      shapSummaryPlot({ shapValues: [[0.1, -0.2], [0.3, 0.1]], featureNames: [name, 'age'] }),
      featureImportancePlot([{ feature: name, importance: 0.05 }, { feature: 'age', importance: 0.01 }]),
      shapWaterfallPlot({ baseValue: 0.3, shapValues: [0.1, -0.05], featureNames: [name, 'age'] }),
    ];
    for (const svg of svgs) {
      const root = parseSvg(svg);
      const t = findAll(root, 'text').find((e) => textOf(e).includes('checking_account')) as XmlElement;
      expect(findAll(t, 'title')[0] && textOf(findAll(t, 'title')[0] as XmlElement)).toContain(name);
      const shown = t.children.find((c) => typeof c === 'string') as string;
      expect(shown.endsWith('…')).toBe(true);
      expect(textBox(t).x).toBeGreaterThanOrEqual(0);
    }
  });
});
