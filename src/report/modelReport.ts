/**
 * A self-contained HTML model report (inline SVG plots, no external resources).
 *
 * @module
 */
import { DataError, describeValue } from '../core/errors';
import { resolveOptions, rules } from '../core/options';
import { checkImportance } from './featureImportancePlot';
import { escapeXml, fmtValue } from './_internal/svg';
import { sanitizeSvg } from './_internal/svgSanitize';
import { featureImportancePlot, type FeatureImportanceEntry } from './featureImportancePlot';

/**
 * One figure of a {@link modelReport}: an SVG string (e.g. from {@link rocCurvePlot}) and a heading.
 *
 * @category Report
 */
export interface ReportPlot {
  /** Heading shown above the figure. */
  readonly title: string;
  /** A standalone `<svg>...</svg>` document made of the elements and attributes finml's plots use; anything else is rejected. */
  readonly svg: string;
  /** Text shown under the figure. */
  readonly caption?: string;
}

/**
 * One row of the metrics table of a {@link modelReport}.
 *
 * @category Report
 */
export interface ReportMetric {
  /** Metric name, e.g. `'auc'`. */
  readonly name: string;
  /** Its value; numbers are shown with 4 significant digits. */
  readonly value: number | string;
}

/**
 * One cell of a {@link ReportTable}: a number (4 significant digits), a string, or either with a
 * flag that colours the cell (`'ok'` green, `'warn'` amber, `'alert'` red) and adds the flag word
 * for readers without colour.
 *
 * @category Report
 */
export type ReportCell = number | string | { readonly value: number | string; readonly flag: 'ok' | 'warn' | 'alert' };

/**
 * A table of a {@link ReportSection}.
 *
 * @category Report
 */
export interface ReportTable {
  /** Caption shown above the table. */
  readonly caption?: string;
  /** Column headings. */
  readonly columns: readonly string[];
  /** Rows, each with one cell per column; the first cell is the row heading. */
  readonly rows: readonly (readonly ReportCell[])[];
}

/**
 * A titled section of a {@link modelReport}: paragraphs, a definition list, tables and figures, in that order.
 *
 * @category Report
 */
export interface ReportSection {
  /** Section heading. */
  readonly title: string;
  /** Paragraphs of text. */
  readonly paragraphs?: readonly string[];
  /** Term/description pairs (e.g. a model card's "Intended use"). */
  readonly definitions?: readonly (readonly [string, string])[];
  /** Tables. */
  readonly tables?: readonly ReportTable[];
  /** Figures. */
  readonly plots?: readonly ReportPlot[];
}

/**
 * The period and size of the data a model was trained/evaluated on.
 *
 * @category Report
 */
export interface ReportDataWindow {
  /** First date or index of the data, e.g. `'1991-07-01'`. */
  readonly start?: string;
  /** Last date or index of the data. */
  readonly end?: string;
  /** Number of rows. */
  readonly rows?: number;
  /** Free text, e.g. `'German credit, 70/30 stratified split'`. */
  readonly description?: string;
}

/**
 * Contents of {@link modelReport}; everything but `title` is optional.
 *
 * @category Report
 */
export interface ModelReportOptions {
  /** Report heading and HTML `<title>`. @defaultValue `'Model report'` */
  readonly title?: string;
  /** Metrics by name, or an ordered list of `{ name, value }`; numbers are shown with 4 significant digits. @defaultValue `{}` */
  readonly metrics?: Readonly<Record<string, number | string>> | readonly ReportMetric[];
  /** Figures, in order. @defaultValue `[]` */
  readonly plots?: readonly ReportPlot[];
  /** Data period and size. @defaultValue `null` */
  readonly dataWindow?: ReportDataWindow | null;
  /** Seed used for training. @defaultValue `null` */
  readonly seed?: number | null;
  /** tfjs backend the model ran on, e.g. `'wasm'`. @defaultValue `null` */
  readonly backend?: string | null;
  /** Feature importances: drawn with {@link featureImportancePlot} and listed in a table. @defaultValue `[]` */
  readonly featureImportance?: readonly FeatureImportanceEntry[];
  /** Titled sections (model card, tables, figures), shown after the header and before the metrics table. @defaultValue `[]` */
  readonly sections?: readonly ReportSection[];
  /** Free-text notes (paragraphs). @defaultValue `[]` */
  readonly notes?: string | readonly string[];
  /** Timestamp shown in the header (the report adds none itself, so equal inputs give equal HTML). @defaultValue `null` */
  readonly generatedAt?: string | null;
}

const MODEL_REPORT_DEFAULTS = {
  title: 'Model report',
  metrics: {},
  plots: [],
  dataWindow: null,
  seed: null,
  backend: null,
  featureImportance: [],
  sections: [],
  notes: [],
  generatedAt: null,
} as const satisfies Required<ModelReportOptions>;

const isObj = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const isMetricValue = (v: unknown): boolean => typeof v === 'string' || typeof v === 'number';

const isPlot = (e: unknown): boolean => isObj(e) && typeof e.title === 'string' && typeof e.svg === 'string' && (e.caption === undefined || typeof e.caption === 'string');
const isCell = (c: unknown): boolean => isMetricValue(c) || (isObj(c) && isMetricValue(c.value) && (c.flag === 'ok' || c.flag === 'warn' || c.flag === 'alert'));
const isTable = (t: unknown): boolean =>
  isObj(t) &&
  (t.caption === undefined || typeof t.caption === 'string') &&
  Array.isArray(t.columns) &&
  t.columns.every((c: unknown) => typeof c === 'string') &&
  Array.isArray(t.rows) &&
  t.rows.every((r: unknown) => Array.isArray(r) && r.length === (t.columns as unknown[]).length && r.every(isCell));
const isSection = (s: unknown): boolean =>
  isObj(s) &&
  typeof s.title === 'string' &&
  Object.keys(s).every((k) => ['title', 'paragraphs', 'definitions', 'tables', 'plots'].includes(k)) &&
  (s.paragraphs === undefined || (Array.isArray(s.paragraphs) && s.paragraphs.every((p: unknown) => typeof p === 'string'))) &&
  (s.definitions === undefined || (Array.isArray(s.definitions) && s.definitions.every((d: unknown) => Array.isArray(d) && d.length === 2 && typeof d[0] === 'string' && typeof d[1] === 'string'))) &&
  (s.tables === undefined || (Array.isArray(s.tables) && s.tables.every(isTable))) &&
  (s.plots === undefined || (Array.isArray(s.plots) && s.plots.every(isPlot)));

const RULES = {
  title: rules.string(),
  metrics: rules.custom(
    'an object of name → number|string, or an array of { name, value }',
    (v) =>
      (isObj(v) && Object.values(v).every(isMetricValue)) ||
      (Array.isArray(v) && v.every((e: unknown) => isObj(e) && typeof e.name === 'string' && isMetricValue(e.value))),
  ),
  plots: rules.custom('an array of { title: string, svg: string, caption?: string }', (v) => Array.isArray(v) && v.every(isPlot)),
  dataWindow: rules.nullable(
    rules.custom('an object { start?, end?, rows?, description? }', (v) =>
      isObj(v) &&
      Object.keys(v).every((k) => ['start', 'end', 'rows', 'description'].includes(k)) &&
      ['start', 'end', 'description'].every((k) => v[k] === undefined || typeof v[k] === 'string') &&
      (v.rows === undefined || (typeof v.rows === 'number' && Number.isInteger(v.rows) && v.rows >= 0)),
    ),
  ),
  seed: rules.nullable(rules.int()),
  backend: rules.nullable(rules.string()),
  featureImportance: rules.custom('an array of { feature, importance, std? }', (v) => Array.isArray(v)),
  sections: rules.custom('an array of { title, paragraphs?, definitions?, tables?, plots? } (tables: { caption?, columns: string[], rows: cells[][] } with one cell per column)', (v) => Array.isArray(v) && v.every(isSection)),
  notes: rules.or(rules.string(), rules.stringArray()),
  generatedAt: rules.nullable(rules.string()),
};

function checkSvg(svg: string, fn: string, arg: string): string {
  const s = svg.trim();
  if (!/^<svg[\s>/]/.test(s)) {
    throw new DataError({ fn, arg, expected: "a standalone SVG string '<svg ...>...</svg>' (e.g. from rocCurvePlot)", got: describeValue(svg) });
  }
  return sanitizeSvg(s, fn, arg);
}

/**
 * Content-Security-Policy of every report: no scripts (inline or remote, including event handlers
 * and `javascript:` URLs), no remote loads of any kind (styles, images, fonts, frames, objects),
 * no base URL or form targets; only the inline stylesheet and `data:` images are allowed.
 */
const REPORT_CSP = "default-src 'none'; script-src 'none'; object-src 'none'; style-src 'unsafe-inline'; img-src data:; font-src 'none'; connect-src 'none'; media-src 'none'; frame-src 'none'; child-src 'none'; worker-src 'none'; manifest-src 'none'; base-uri 'none'; form-action 'none'";

const CSS = [
  ':root{color-scheme:light}',
  'body{font-family:system-ui,-apple-system,"Segoe UI",sans-serif;color:#111827;background:#f9fafb;margin:0;padding:24px;line-height:1.45}',
  'main{max-width:960px;margin:0 auto;background:#fff;padding:24px 32px;border:1px solid #e5e7eb;border-radius:8px}',
  'h1{font-size:1.6rem;margin:0 0 .5rem}h2{font-size:1.15rem;margin:1.8rem 0 .6rem;border-bottom:1px solid #e5e7eb;padding-bottom:.2rem}',
  'dl.meta{display:grid;grid-template-columns:max-content 1fr;gap:.2rem 1rem;margin:0;color:#374151}dl.meta dt{font-weight:600}dl.meta dd{margin:0}',
  'table{border-collapse:collapse;min-width:50%}th,td{padding:.3rem .8rem;border-bottom:1px solid #e5e7eb;text-align:left}td.num{text-align:right;font-variant-numeric:tabular-nums}',
  'figure{margin:1rem 0}figure svg{max-width:100%;height:auto}figcaption{color:#4b5563;font-size:.9rem}',
  'td.flag-ok{background:#dcfce7}td.flag-warn{background:#fef3c7}td.flag-alert{background:#fee2e2;font-weight:600}',
  'table caption{text-align:left;font-weight:600;padding:.4rem 0;color:#374151}section.report-section table{margin:.6rem 0 1rem}',
  '.notes p{margin:.4rem 0}footer{margin-top:2rem;color:#6b7280;font-size:.8rem}',
  '@media print{body{background:#fff;padding:0}main{border:none}}',
].join('\n');

function cell(c: ReportCell): string {
  if (typeof c === 'object') {
    const v = typeof c.value === 'number' && Number.isFinite(c.value) ? fmtValue(c.value, 4) : String(c.value);
    return `<td class="${typeof c.value === 'number' ? 'num ' : ''}flag-${c.flag}">${escapeXml(v)} <small>(${c.flag})</small></td>`;
  }
  const v = c;
  return typeof v === 'number' ? `<td class="num">${escapeXml(Number.isFinite(v) ? fmtValue(v, 4) : String(v))}</td>` : `<td>${escapeXml(v)}</td>`;
}

/**
 * Builds a self-contained HTML model report: header (backend, seed, data window), a metrics
 * table, the given SVG figures inlined, a feature-importance chart and table, and notes. The
 * HTML has no scripts and no external resources (it opens offline, prints cleanly) and is also
 * well-formed XML. Script-free by construction: all text is escaped, and each SVG is parsed as
 * strict XML and rebuilt from a whitelist of the elements and attributes finml's plots use (attribute
 * values checked by kind: numbers, colours, transforms, text), so no script, event handler, link,
 * stylesheet or external reference can get in, whatever a column name or category says. The page
 * also carries a Content-Security-Policy meta that forbids scripts and every remote load.
 * Deterministic: equal inputs give an identical string.
 *
 * @param options - Report contents (see {@link ModelReportOptions}).
 * @returns A complete HTML document string (`<!DOCTYPE html>...`). Write it to a file with `writeReport` from `finml/node`.
 * @throws {InvalidOptionError} unknown keys or wrongly typed fields.
 * @throws {DataError} a plot that is not a standalone SVG made of whitelisted elements and attributes
 *   (e.g. one with `<script>`, `<style>`, `<image>`, `<foreignObject>`, `on*` or `href` attributes,
 *   `url(...)` paints, comments or DTDs), or malformed feature importances.
 * @example
 * ```ts
 * import { modelReport, rocCurvePlot } from 'finml';
 * const html = modelReport({
 *   title: 'Credit risk model', metrics: { auc: 0.79, brier: 0.17 }, seed: 42, backend: 'cpu',
 *   plots: [{ title: 'ROC (test)', svg: rocCurvePlot({ fpr: [0, 0.3, 1], tpr: [0, 0.8, 1] }) }],
 * });
 * html.startsWith('<!DOCTYPE html>'); //=> true
 * ```
 * @category Report
 */
export function modelReport(options: ModelReportOptions): string {
  const fn = 'modelReport';
  const o = resolveOptions<ModelReportOptions>(fn, options, MODEL_REPORT_DEFAULTS, RULES) as Required<ModelReportOptions>;
  const plots = o.plots.map((p, i) => ({ ...p, svg: checkSvg(p.svg, fn, `plots[${i}].svg`) }));
  const sections = o.sections.map((sec, k) => ({ ...sec, plots: (sec.plots ?? []).map((p, i) => ({ ...p, svg: checkSvg(p.svg, fn, `sections[${k}].plots[${i}].svg`) })) }));
  const importance = o.featureImportance.length > 0 ? checkImportance(o.featureImportance, fn, 'featureImportance') : [];
  const metrics: { name: string; value: number | string }[] = Array.isArray(o.metrics)
    ? (o.metrics as readonly { name: string; value: number | string }[]).map((m) => ({ name: m.name, value: m.value }))
    : Object.entries(o.metrics as Record<string, number | string>).map(([name, value]) => ({ name, value }));
  const notes = typeof o.notes === 'string' ? [o.notes] : o.notes;

  const meta: [string, string][] = [];
  if (o.backend !== null) meta.push(['Backend', o.backend]);
  if (o.seed !== null) meta.push(['Seed', String(o.seed)]);
  const w = o.dataWindow;
  if (w !== null) {
    if (w.description !== undefined) meta.push(['Data', w.description]);
    if (w.start !== undefined || w.end !== undefined) meta.push(['Data window', `${w.start ?? '…'} to ${w.end ?? '…'}`]);
    if (w.rows !== undefined) meta.push(['Rows', String(w.rows)]);
  }
  if (o.generatedAt !== null) meta.push(['Generated', o.generatedAt]);

  const out: string[] = [
    '<!DOCTYPE html>',
    '<html lang="en">',
    '<head>',
    '<meta charset="utf-8"/>',
    `<meta http-equiv="Content-Security-Policy" content="${REPORT_CSP}"/>`,
    '<meta name="viewport" content="width=device-width, initial-scale=1"/>',
    '<meta name="generator" content="finml"/>',
    `<title>${escapeXml(o.title)}</title>`,
    `<style>${CSS}</style>`,
    '</head>',
    '<body>',
    '<main>',
    '<header>',
    `<h1>${escapeXml(o.title)}</h1>`,
  ];
  if (meta.length > 0) {
    out.push('<dl class="meta">', ...meta.map(([k, v]) => `<dt>${escapeXml(k)}</dt><dd>${escapeXml(v)}</dd>`), '</dl>');
  }
  out.push('</header>');
  for (const sec of sections) {
    out.push('<section class="report-section">', `<h2>${escapeXml(sec.title)}</h2>`);
    for (const p of sec.paragraphs ?? []) out.push(`<p>${escapeXml(p)}</p>`);
    if (sec.definitions !== undefined && sec.definitions.length > 0) {
      out.push('<dl class="meta">', ...sec.definitions.map(([k, v]) => `<dt>${escapeXml(k)}</dt><dd>${escapeXml(v)}</dd>`), '</dl>');
    }
    for (const t of sec.tables ?? []) {
      out.push('<table>');
      if (t.caption !== undefined) out.push(`<caption>${escapeXml(t.caption)}</caption>`);
      out.push(`<thead><tr>${t.columns.map((c) => `<th scope="col">${escapeXml(c)}</th>`).join('')}</tr></thead>`, '<tbody>');
      for (const r of t.rows) {
        const [head, ...rest] = r;
        const h = typeof head === 'object' ? String(head.value) : typeof head === 'number' ? fmtValue(head, 4) : (head as string);
        out.push(`<tr><th scope="row">${escapeXml(h)}</th>${rest.map(cell).join('')}</tr>`);
      }
      out.push('</tbody>', '</table>');
    }
    for (const p of sec.plots) {
      out.push('<figure>', `<h3>${escapeXml(p.title)}</h3>`, p.svg);
      if (p.caption !== undefined) out.push(`<figcaption>${escapeXml(p.caption)}</figcaption>`);
      out.push('</figure>');
    }
    out.push('</section>');
  }
  if (metrics.length > 0) {
    out.push(
      '<section class="metrics">',
      '<h2>Metrics</h2>',
      '<table>',
      '<thead><tr><th scope="col">Metric</th><th scope="col">Value</th></tr></thead>',
      '<tbody>',
      ...metrics.map((m) => `<tr><th scope="row">${escapeXml(m.name)}</th>${cell(m.value)}</tr>`),
      '</tbody>',
      '</table>',
      '</section>',
    );
  }
  if (plots.length > 0) {
    out.push('<section class="plots">', '<h2>Plots</h2>');
    for (const p of plots) {
      out.push('<figure>', `<h3>${escapeXml(p.title)}</h3>`, p.svg);
      if (p.caption !== undefined) out.push(`<figcaption>${escapeXml(p.caption)}</figcaption>`);
      out.push('</figure>');
    }
    out.push('</section>');
  }
  if (importance.length > 0) {
    const sorted = [...importance].sort((a, b) => b.importance - a.importance);
    const hasStd = sorted.some((e) => e.std !== undefined);
    out.push(
      '<section class="feature-importance">',
      '<h2>Feature importance</h2>',
      '<figure>',
      sanitizeSvg(featureImportancePlot(sorted), fn, 'featureImportance'),
      '</figure>',
      '<table>',
      `<thead><tr><th scope="col">Feature</th><th scope="col">Importance</th>${hasStd ? '<th scope="col">Std</th>' : ''}</tr></thead>`,
      '<tbody>',
      ...sorted.map((e) => `<tr><th scope="row">${escapeXml(e.feature)}</th>${cell(e.importance)}${hasStd ? (e.std === undefined ? '<td></td>' : cell(e.std)) : ''}</tr>`),
      '</tbody>',
      '</table>',
      '</section>',
    );
  }
  if (notes.length > 0) {
    out.push('<section class="notes">', '<h2>Notes</h2>', ...notes.map((n) => `<p>${escapeXml(n)}</p>`), '</section>');
  }
  out.push('<footer>Generated by finml. Self-contained: no scripts, no external resources.</footer>', '</main>', '</body>', '</html>', '');
  return out.join('\n');
}
