/**
 * The report is script-free by construction: SVGs are parsed and rebuilt from a whitelist, all text
 * is escaped, and the page carries a Content-Security-Policy. (The browser side, payloads opened in
 * headless Chromium, is test/browser/reportSecurity.test.ts.)
 */
import { describe, expect, it } from 'vitest';
import { DataError } from '../../src/core/errors';
import { sanitizeSvg } from '../../src/report/_internal/svgSanitize';
import {
  calibrationPlot,
  featureImportancePlot,
  modelReport,
  rocCurvePlot,
  shapSummaryPlot,
  shapWaterfallPlot,
  trainingCurvePlot,
} from '../../src/report/index';
import { findAll, parseXml, textOf, type XmlElement } from '../helpers/xml';

const O = 'http://127.0.0.1:9/leak';
/** The payloads of issue #13, as SVG fragments. */
export const SVG_PAYLOADS: readonly string[] = [
  `<svg><svg/onload=document.title='PWNED'></svg>`,
  `<svg xmlns="http://www.w3.org/2000/svg"><rect width="1" height="1"/></svg><img src="x"/onerror=document.title='PWNED'>`,
  `<svg></svg><img src="x"/onerror=document.title='PWNED'></svg>`,
  `<svg xmlns="http://www.w3.org/2000/svg"><style>@import url('${O}/style');</style></svg>`,
  `<svg xmlns="http://www.w3.org/2000/svg"><image href="${O}/image" width="10" height="10"/></svg>`,
  `<svg xmlns="http://www.w3.org/2000/svg"><meta http-equiv="refresh" content="0;url=${O}/refresh"/></svg>`,
  `<svg xmlns="http://www.w3.org/2000/svg"><a href="&#106;avascript:document.title='PWNED'"><text x="1" y="1">x</text></a></svg>`,
  `<svg xmlns="http://www.w3.org/2000/svg"><text x="1" y="1" onclick="document.title='PWNED'">x</text></svg>`,
  `<svg xmlns="http://www.w3.org/2000/svg" onload="document.title='PWNED'"/>`,
  `<svg xmlns="http://www.w3.org/2000/svg"><rect width="1" height="1" fill="url(${O}/fill#x)"/></svg>`,
  `<svg xmlns="http://www.w3.org/2000/svg"><rect width="1" height="1" style="fill:url(${O}/style-attr)"/></svg>`,
  `<svg xmlns="http://www.w3.org/2000/svg"><foreignObject><div>x</div></foreignObject></svg>`,
  `<svg xmlns="http://www.w3.org/2000/svg"><script>document.title='PWNED'</script></svg>`,
  `<svg xmlns="http://www.w3.org/2000/svg"><!-- --><script>1</script></svg>`,
  `<svg xmlns="http://www.w3.org/2000/svg"><![CDATA[<script>1</script>]]></svg>`,
  `<!DOCTYPE svg [<!ENTITY x SYSTEM "${O}/dtd">]><svg>&x;</svg>`,
  `<svg xmlns="http://www.w3.org/2000/svg"><text x="1" y="1">&x;</text></svg>`,
  `<svg xmlns="http://www.w3.org/2000/svg"><use href="#a"/></svg>`,
  `<svg xmlns="http://www.w3.org/2000/svg"><animate attributeName="href" to="javascript:alert(1)"/></svg>`,
  `<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink"><rect xlink:href="${O}"/></svg>`,
  `<svg xmlns="http://evil.example/ns"/>`,
  `<svg xmlns="http://www.w3.org/2000/svg"><rect width="1" height="1" transform="translate(1,1) url(x)"/></svg>`,
  `<svg xmlns="http://www.w3.org/2000/svg"><rect width="1" height="1"/>`,
  `<svg xmlns="http://www.w3.org/2000/svg"></g></svg>`,
  `<svg xmlns="http://www.w3.org/2000/svg"><g>loose text</g></svg>`,
  `<svg xmlns="http://www.w3.org/2000/svg"><rect width="1" width="2"/></svg>`,
  `<svg xmlns="http://www.w3.org/2000/svg"><rect width=1/></svg>`,
];

const NAMES = ['Paid onTime=yes', 'a onload=x', 'x" onmouseover="y', "</text><script>alert(1)</script>", 'javascript:alert(1)', '&#106;avascript:x', '<meta http-equiv=refresh>'];

function allPlots(names: readonly string[]): string[] {
  return [
    calibrationPlot({ probPred: [0.1, 0.5], probTrue: [0.2, 0.4], counts: [3, 4] }, { title: names[0] as string, label: names[1] as string }),
    rocCurvePlot({ fpr: [0, 0.5, 1], tpr: [0, 0.7, 1], label: names[2] as string }),
    shapSummaryPlot({ shapValues: [names.map((_, j) => j - 2), names.map((_, j) => 1 - j)], featureValues: [names.map((_, j) => j), names.map((_, j) => -j)], featureNames: names }),
    shapWaterfallPlot({ baseValue: 0.1, shapValues: names.map((_, j) => (j % 2 === 0 ? 0.1 * j : -0.2)), featureNames: names }),
    trainingCurvePlot({ loss: [1, 0.5], valLoss: [1.1, 0.6] }, { title: names[3] as string }),
    featureImportancePlot(names.map((feature, j) => ({ feature, importance: j + 1, std: 0.1 }))),
  ];
}

describe('sanitizeSvg (whitelist SVG rebuild)', () => {
  it('keeps every finml plot, whatever its text says, and is idempotent', () => {
    for (const svg of allPlots(NAMES)) {
      const clean = sanitizeSvg(svg, 'f', 'svg');
      expect(sanitizeSvg(clean, 'f', 'svg')).toBe(clean);
      const root = parseXml(clean);
      expect(root.name).toBe('svg');
      // same element structure and text as the input
      const before = parseXml(svg);
      expect(findAll(root).map((e) => e.name)).toEqual(findAll(before).map((e) => e.name));
      expect(textOf(root).replace(/\s+/g, '')).toBe(textOf(before).replace(/\s+/g, ''));
    }
  });

  it('accepts column names and categories as text (no pattern on attribute spacing)', () => {
    const svg = shapSummaryPlot({ shapValues: [[0.1, -0.2]], featureNames: ['Paid onTime=yes', 'Purpose=javascript:x'] });
    const html = modelReport({ title: 'Paid onTime=yes', plots: [{ title: 'Paid onTime=yes', svg }], featureImportance: [{ feature: 'Paid onTime=yes', importance: 1 }] });
    const root = parseXml(html);
    expect(textOf(root)).toContain('Paid onTime=yes');
    expect(textOf(root)).toContain('Purpose=javascript:x');
  });

  it('rejects every payload with a DataError naming what it found', () => {
    for (const p of SVG_PAYLOADS) {
      expect(() => sanitizeSvg(p, 'f', 'svg'), p).toThrow(DataError);
      expect(() => modelReport({ plots: [{ title: 't', svg: p }] }), p).toThrow(DataError);
    }
    expect(() => sanitizeSvg(SVG_PAYLOADS[0] as string, 'f', 'svg')).toThrow(/not separated by white space/);
    expect(() => sanitizeSvg(SVG_PAYLOADS[4] as string, 'f', 'svg')).toThrow(/element <image>/);
    expect(() => sanitizeSvg(SVG_PAYLOADS[9] as string, 'f', 'svg')).toThrow(/value .* of fill/);
  });

  it('decodes and re-escapes entities, so encoded markup stays text', () => {
    const s = sanitizeSvg('<svg><text x="1" y="2">&lt;script&gt;&#106;&#x61;</text></svg>', 'f', 'svg');
    expect(s).toBe('<svg xmlns="http://www.w3.org/2000/svg"><text x="1" y="2">&lt;script&gt;ja</text></svg>');
    expect(sanitizeSvg('<svg><g data-feature="&quot;&gt;&lt;script&gt;"/></svg>', 'f', 'svg')).toBe('<svg xmlns="http://www.w3.org/2000/svg"><g data-feature="&quot;&gt;&lt;script&gt;"/></svg>');
  });
});

describe('modelReport page policy', () => {
  it('carries a Content-Security-Policy meta forbidding scripts and remote loads, first in <head>', () => {
    const html = modelReport({ plots: [{ title: 'r', svg: rocCurvePlot({ fpr: [0, 1], tpr: [0, 1] }) }] });
    const head = findAll(parseXml(html), 'head')[0] as XmlElement;
    const metas = findAll(head, 'meta');
    const csp = metas.find((m) => m.attrs['http-equiv'] === 'Content-Security-Policy');
    expect(csp).toBeDefined();
    expect(metas.indexOf(csp as XmlElement)).toBeLessThanOrEqual(1);
    const policy = (csp as XmlElement).attrs.content as string;
    const dirs = new Map(policy.split(';').map((d) => d.trim().split(/\s+/)).map(([k, ...v]) => [k as string, v.join(' ')]));
    expect(dirs.get('default-src')).toBe("'none'");
    expect(dirs.get('script-src')).toBe("'none'");
    expect(dirs.get('img-src')).toBe('data:');
    expect(dirs.get('style-src')).toBe("'unsafe-inline'");
    expect(dirs.get('base-uri')).toBe("'none'");
    expect(html).not.toMatch(/\b(src|href)=/);
  });
});
