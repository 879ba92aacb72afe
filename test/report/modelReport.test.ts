import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DataError, InvalidOptionError } from '../../src/core/errors';
import { writeReport, writeSvg } from '../../src/node/index';
import { modelReport, rocCurvePlot, trainingCurvePlot } from '../../src/report/index';
import { findAll, parseXml, textOf, type XmlElement } from '../helpers/xml';

const EVIL = `<script>alert("x")</script> & 'q'`;

describe('modelReport', () => {
  const roc = rocCurvePlot({ fpr: [0, 0.2, 1], tpr: [0, 0.7, 1] });
  const curves = trainingCurvePlot({ loss: [0.7, 0.5, 0.45], valLoss: [0.7, 0.55, 0.56] });

  it('is a self-contained, well-formed document with every section', () => {
    const html = modelReport({
      title: 'Credit model',
      metrics: { auc: 0.7912345, brier: 0.171, split: 'stratified 70/30' },
      plots: [
        { title: 'ROC (test)', svg: roc, caption: 'Test set, 300 applicants' },
        { title: 'Training', svg: curves },
      ],
      dataWindow: { start: '1991-07-01', end: '1998-08-01', rows: 1860, description: 'EU stock markets' },
      seed: 42,
      backend: 'wasm',
      featureImportance: [
        { feature: 'Duration', importance: 0.03, std: 0.01 },
        { feature: 'CheckingAccountStatus', importance: 0.06, std: 0.02 },
      ],
      notes: ['Trained for 3 epochs.', 'Second paragraph.'],
    });
    expect(html.startsWith('<!DOCTYPE html>')).toBe(true);
    const root = parseXml(html);
    expect(root.name).toBe('html');
    expect(textOf(findAll(root, 'title')[0] as XmlElement)).toBe('Credit model');
    // no external resources, no scripts
    expect(findAll(root, 'script')).toHaveLength(0);
    expect(findAll(root, 'link')).toHaveLength(0);
    expect(html).not.toMatch(/\b(src|href)=/);
    // metrics table: 3 rows, 4 significant digits
    const metricsRows = findAll(findAll(root, 'section').find((s) => s.attrs.class === 'metrics') as XmlElement, 'tr');
    expect(metricsRows).toHaveLength(4);
    expect(textOf(metricsRows[1] as XmlElement)).toBe('auc0.7912');
    expect(textOf(metricsRows[3] as XmlElement)).toBe('splitstratified 70/30');
    // inline SVGs: two plots + the feature importance chart
    const svgs = findAll(root, 'svg');
    expect(svgs).toHaveLength(3);
    expect(findAll(root, 'figcaption').map(textOf)).toEqual(['Test set, 300 applicants']);
    const meta = textOf(findAll(root, 'dl')[0] as XmlElement);
    for (const s of ['wasm', '42', '1991-07-01 to 1998-08-01', '1860', 'EU stock markets']) expect(meta).toContain(s);
    // importance table sorted, largest first
    const fi = findAll(root, 'section').find((s) => s.attrs.class === 'feature-importance') as XmlElement;
    expect(findAll(fi, 'th').filter((t) => t.attrs.scope === 'row').map(textOf)).toEqual(['CheckingAccountStatus', 'Duration']);
    expect(findAll(findAll(root, 'section').find((s) => s.attrs.class === 'notes') as XmlElement, 'p')).toHaveLength(2);
  });

  it('escapes all user text', () => {
    const html = modelReport({
      title: EVIL,
      metrics: [{ name: EVIL, value: EVIL }],
      plots: [{ title: EVIL, svg: roc, caption: EVIL }],
      backend: EVIL,
      dataWindow: { description: EVIL },
      featureImportance: [{ feature: EVIL, importance: 1 }],
      notes: EVIL,
      generatedAt: EVIL,
    });
    expect(html).not.toContain('<script');
    const root = parseXml(html);
    expect(findAll(root, 'script')).toHaveLength(0);
    expect(textOf(findAll(root, 'h1')[0] as XmlElement)).toBe(EVIL);
    expect(findAll(root, 'p').map(textOf)).toContain(EVIL);
  });

  it('is deterministic and minimal with only a title', () => {
    expect(modelReport({ title: 'x' })).toBe(modelReport({ title: 'x' }));
    const root = parseXml(modelReport({ title: 'x' }));
    expect(findAll(root, 'section')).toHaveLength(0);
  });

  it('rejects unsafe or non-SVG plots and bad options', () => {
    expect(() => modelReport({ plots: [{ title: 'p', svg: '<svg><script>1</script></svg>' }] })).toThrow(DataError);
    expect(() => modelReport({ plots: [{ title: 'p', svg: '<svg onload="x()"></svg>' }] })).toThrow(DataError);
    expect(() => modelReport({ plots: [{ title: 'p', svg: '<div></div>' }] })).toThrow(DataError);
    expect(() => modelReport({ seed: 1.5 })).toThrow(InvalidOptionError);
    expect(() => modelReport({ metrics: { auc: {} as unknown as number } })).toThrow(InvalidOptionError);
    expect(() => modelReport({ dataWindow: { rows: -1 } })).toThrow(InvalidOptionError);
    expect(() => modelReport({ featureImportance: [{ feature: 'a', importance: Number.NaN }] })).toThrow(DataError);
    expect(() => modelReport({ titel: 'x' } as never)).toThrow(/titel/);
  });
});

describe('writeSvg / writeReport (finml/node)', () => {
  it('write files (creating directories) and validate their input', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'finml-report-'));
    try {
      const svg = rocCurvePlot({ fpr: [0, 1], tpr: [0, 1] });
      await writeSvg(join(dir, 'a', 'roc.svg'), svg);
      const back = await readFile(join(dir, 'a', 'roc.svg'), 'utf8');
      expect(back.startsWith('<?xml version="1.0" encoding="UTF-8"?>\n<svg')).toBe(true);
      expect(parseXml(back).name).toBe('svg');
      const html = modelReport({ title: 'r' });
      await writeReport(join(dir, 'b', 'report.html'), html);
      expect(await readFile(join(dir, 'b', 'report.html'), 'utf8')).toBe(html);
      await expect(writeSvg(join(dir, 'x.svg'), '<html></html>')).rejects.toThrow(DataError);
      await expect(writeReport(join(dir, 'x.html'), svg)).rejects.toThrow(DataError);
      await expect(writeSvg('', svg)).rejects.toThrow(DataError);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
