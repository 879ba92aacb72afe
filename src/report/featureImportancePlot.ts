/**
 * Feature importance (horizontal bars with optional error bars) as an SVG string.
 *
 * @module
 */
import { DataError, describeValue } from '../core/errors';
import { resolveOptions, rules } from '../core/options';
import { PALETTE, axes, escapeXml, fmt, fmtValue, frame, linearScale, niceDomain, niceTicks, rowLabel, rowLabels, svgDocument, text } from './_internal/svg';

/**
 * One feature's importance (e.g. permutation importance mean and standard deviation, or mean |SHAP|).
 *
 * @category Report
 */
export interface FeatureImportanceEntry {
  /** Feature (or feature group) name. */
  readonly feature: string;
  /** Importance, e.g. the mean drop in score when the feature is permuted. */
  readonly importance: number;
  /** Standard deviation over repeats, drawn as an error bar. */
  readonly std?: number;
}

/**
 * Options of {@link featureImportancePlot}.
 *
 * @category Report
 */
export interface FeatureImportancePlotOptions {
  /** Plot title. @defaultValue `'Feature importance'` */
  readonly title?: string;
  /** Outer width in px. @defaultValue 640 */
  readonly width?: number;
  /** Height of one bar row in px. @defaultValue 22 */
  readonly rowHeight?: number;
  /** Maximum number of features shown (largest importance first). @defaultValue 20 */
  readonly maxDisplay?: number;
  /** X axis label. @defaultValue `'importance'` */
  readonly xLabel?: string;
}

const FEATURE_IMPORTANCE_DEFAULTS = { title: 'Feature importance', width: 640, rowHeight: 22, maxDisplay: 20, xLabel: 'importance' } as const satisfies Required<FeatureImportancePlotOptions>;
const RULES = {
  title: rules.string(),
  width: rules.int({ min: 320, max: 10000 }),
  rowHeight: rules.int({ min: 8, max: 400 }),
  maxDisplay: rules.int({ min: 1 }),
  xLabel: rules.string(),
};

/**
 * Draws feature importances as horizontal bars, sorted from the most to the least important,
 * with ±std error bars when given. Negative importances (a feature whose permutation helped)
 * extend to the left of zero. Pure function, no DOM.
 *
 * @param entries - One entry per feature.
 * @param options - Size, title, number of bars.
 * @returns An SVG document string.
 * @throws {DataError} empty list, non-string names or non-finite values.
 * @throws {InvalidOptionError} invalid options.
 * @example
 * ```ts
 * import { featureImportancePlot } from 'finml';
 * const svg = featureImportancePlot([{ feature: 'Duration', importance: 0.04, std: 0.01 }, { feature: 'Age', importance: 0.01 }]);
 * svg.includes('Duration'); //=> true
 * ```
 * @category Report
 */
export function featureImportancePlot(entries: readonly FeatureImportanceEntry[], options?: FeatureImportancePlotOptions): string {
  const fn = 'featureImportancePlot';
  const o = resolveOptions<FeatureImportancePlotOptions>(fn, options, FEATURE_IMPORTANCE_DEFAULTS, RULES) as Required<FeatureImportancePlotOptions>;
  const all = checkImportance(entries, fn, 'entries');
  const rows = [...all].sort((a, b) => b.importance - a.importance).slice(0, o.maxDisplay);
  const lo = Math.min(0, ...rows.map((r) => r.importance - (r.std ?? 0)));
  const hi = Math.max(0, ...rows.map((r) => r.importance + (r.std ?? 0)));
  const xDom = niceDomain(lo, hi);
  const labels = rowLabels(rows.map((r) => r.feature), Math.round(o.width * 0.4));
  const labelW = labels.margin;
  const height = 40 + rows.length * o.rowHeight + 56;
  const f = frame(o.width, height, { l: labelW, t: 40, r: 24, b: 56 });
  const x = linearScale(xDom, [f.left, f.right]);
  const body: string[] = [
    text(12, 24, o.title, 'class="plot-title" font-size="15" font-weight="600" fill="#111827"'),
    ...axes(f, x, linearScale([0, 1], [f.bottom, f.top]), { xTicks: niceTicks(xDom[0], xDom[1]), yTicks: [], xLabel: o.xLabel, yLabel: '' }),
  ];
  const barH = o.rowHeight * 0.65;
  rows.forEach((r, k) => {
    const cy = f.top + (k + 0.5) * o.rowHeight;
    const a = x(Math.min(0, r.importance));
    const b = x(Math.max(0, r.importance));
    body.push(
      `<g class="importance" data-feature="${escapeXml(r.feature)}" data-importance="${fmtValue(r.importance, 6)}">`,
      rowLabel(f.left - 8, cy + 4, r.feature, labels.shown[k] as string, 'fill="#111827"'),
      `<rect x="${fmt(a)}" y="${fmt(cy - barH / 2)}" width="${fmt(Math.max(b - a, 0.5))}" height="${fmt(barH)}" fill="${r.importance >= 0 ? PALETTE[0] : PALETTE[1]}"/>`,
    );
    if (r.std !== undefined && r.std > 0) {
      body.push(`<line class="error-bar" x1="${fmt(x(r.importance - r.std))}" x2="${fmt(x(r.importance + r.std))}" y1="${fmt(cy)}" y2="${fmt(cy)}" stroke="#111827" stroke-width="1.2"/>`);
    }
    body.push('</g>');
  });
  const desc = `Bar chart of ${rows.length} feature importance(s), largest first: ${rows.map((r) => `${r.feature} ${fmtValue(r.importance)}`).join(', ')}.`;
  return svgDocument(f, o.title, desc, body, 'finml-feature-importance');
}

/** Validates feature-importance entries (used by featureImportancePlot and modelReport; not in the barrel). @internal */
export function checkImportance(v: unknown, fn: string, arg: string): readonly FeatureImportanceEntry[] {
  if (!Array.isArray(v) || v.length === 0) throw new DataError({ fn, arg, expected: 'a non-empty array of { feature, importance, std? }', got: describeValue(v) });
  v.forEach((e: unknown, i) => {
    const r = e as Partial<FeatureImportanceEntry> | null;
    if (typeof r !== 'object' || r === null || typeof r.feature !== 'string' || typeof r.importance !== 'number' || !Number.isFinite(r.importance)) {
      throw new DataError({ fn, arg: `${arg}[${i}]`, expected: '{ feature: string, importance: finite number, std?: number >= 0 }', got: describeValue(e) });
    }
    if (r.std !== undefined && (typeof r.std !== 'number' || !(r.std >= 0) || !Number.isFinite(r.std))) {
      throw new DataError({ fn, arg: `${arg}[${i}].std`, expected: 'a finite number >= 0', got: describeValue(r.std) });
    }
  });
  return v as FeatureImportanceEntry[];
}

