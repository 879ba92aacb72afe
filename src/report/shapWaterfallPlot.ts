/**
 * SHAP waterfall for one decision (base value → f(x)) as an SVG string.
 *
 * @module
 */
import { DataError, ShapeError, describeValue } from '../core/errors';
import { resolveOptions, rules } from '../core/options';
import { axes, escapeXml, finiteArray, fmt, fmtValue, frame, linearScale, niceDomain, niceTicks, rowLabel, rowLabels, stringArray, svgDocument, text } from './_internal/svg';

/**
 * The explanation of one prediction.
 *
 * @category Report
 */
export interface ShapWaterfallData {
  /** The expected model output over the background data, E[f(X)]. */
  readonly baseValue: number;
  /** One SHAP value per feature; f(x) = baseValue + sum(shapValues). */
  readonly shapValues: ArrayLike<number>;
  /** Feature names, one per SHAP value. */
  readonly featureNames: readonly string[];
  /** The sample's feature values, shown next to the names (numbers or category labels). */
  readonly featureValues?: readonly (number | string)[];
}

/**
 * Options of {@link shapWaterfallPlot}.
 *
 * @category Report
 */
export interface ShapWaterfallPlotOptions {
  /** Plot title. @defaultValue `'SHAP waterfall'` */
  readonly title?: string;
  /** Outer width in px. @defaultValue 720 */
  readonly width?: number;
  /** Height of one bar row in px. @defaultValue 28 */
  readonly rowHeight?: number;
  /** Number of features shown individually; the rest are summed into one row. @defaultValue 10 */
  readonly maxDisplay?: number;
  /** X axis label. @defaultValue `'model output'` */
  readonly xLabel?: string;
}

const SHAP_WATERFALL_DEFAULTS = { title: 'SHAP waterfall', width: 720, rowHeight: 28, maxDisplay: 10, xLabel: 'model output' } as const satisfies Required<ShapWaterfallPlotOptions>;
const RULES = {
  title: rules.string(),
  width: rules.int({ min: 320, max: 10000 }),
  rowHeight: rules.int({ min: 12, max: 400 }),
  maxDisplay: rules.int({ min: 1 }),
  xLabel: rules.string(),
};

const POS = '#ff0d57';
const NEG = '#1e88e5';

/**
 * Draws a SHAP waterfall for one decision: starting from the base value E[f(X)] at the bottom,
 * each feature's contribution moves the output right (red, raises it) or left (blue, lowers it)
 * until f(x) at the top. Features are sorted by |SHAP| (largest at the top); features beyond
 * `maxDisplay` are summed into one "N other features" row. Pure function, no DOM.
 *
 * @param data - Base value, SHAP values, feature names and (optionally) the sample's values.
 * @param options - Size, title, number of rows.
 * @returns An SVG document string.
 * @throws {DataError} empty or non-finite values.
 * @throws {ShapeError} names or feature values of another length than `shapValues`.
 * @throws {InvalidOptionError} invalid options.
 * @example
 * ```ts
 * import { shapWaterfallPlot } from 'finml';
 * const svg = shapWaterfallPlot({
 *   baseValue: 0.3, shapValues: [0.12, -0.05, 0.02],
 *   featureNames: ['CheckingAccountStatus', 'Duration', 'Age'], featureValues: ['lt.0', 36, 41],
 * });
 * svg.includes('f(x) = 0.39'); //=> true
 * ```
 * @category Report
 */
export function shapWaterfallPlot(data: ShapWaterfallData, options?: ShapWaterfallPlotOptions): string {
  const fn = 'shapWaterfallPlot';
  const o = resolveOptions<ShapWaterfallPlotOptions>(fn, options, SHAP_WATERFALL_DEFAULTS, RULES) as Required<ShapWaterfallPlotOptions>;
  if (typeof data !== 'object' || data === null) {
    throw new DataError({ fn, arg: 'data', expected: 'an object { baseValue, shapValues, featureNames }', got: describeValue(data) });
  }
  if (typeof data.baseValue !== 'number' || !Number.isFinite(data.baseValue)) {
    throw new DataError({ fn, arg: 'data.baseValue', expected: 'a finite number', got: describeValue(data.baseValue) });
  }
  const base = data.baseValue;
  const phi = finiteArray(data.shapValues, fn, 'data.shapValues');
  const p = phi.length;
  const names = stringArray(data.featureNames, fn, 'data.featureNames', p);
  const values = data.featureValues;
  if (values !== undefined) {
    if (!Array.isArray(values) || !values.every((v) => typeof v === 'string' || (typeof v === 'number' && !Number.isNaN(v)))) {
      throw new DataError({ fn, arg: 'data.featureValues', expected: 'an array of numbers or strings', got: describeValue(values) });
    }
    if (values.length !== p) throw new ShapeError({ fn, arg: 'data.featureValues', expected: `${p} values (one per feature)`, got: `${values.length} values` });
  }
  const fx = base + phi.reduce((a, b) => a + b, 0);

  const sorted = phi.map((_, j) => j).sort((a, b) => Math.abs(phi[b] as number) - Math.abs(phi[a] as number) || a - b);
  const shown = sorted.length > o.maxDisplay ? sorted.slice(0, o.maxDisplay - 1) : sorted;
  const rest = sorted.slice(shown.length);
  interface Row {
    label: string;
    value: number;
    feature: string;
  }
  const rows: Row[] = shown.map((j) => {
    const v = values?.[j];
    const shownValue = v === undefined ? '' : typeof v === 'number' ? ` = ${fmtValue(v)}` : ` = ${v}`;
    return { label: `${names[j]}${shownValue}`, value: phi[j] as number, feature: names[j] as string };
  });
  if (rest.length > 0) rows.push({ label: `${rest.length} other features`, value: rest.reduce((a, j) => a + (phi[j] as number), 0), feature: '' });

  // cumulative positions from the bottom row (last) upward
  const starts = new Array<number>(rows.length);
  let cum = base;
  for (let k = rows.length - 1; k >= 0; k--) {
    starts[k] = cum;
    cum += (rows[k] as Row).value;
  }
  const ends = rows.map((r, k) => (starts[k] as number) + r.value);
  const xs = [base, fx, ...starts, ...ends];
  const xDom = niceDomain(Math.min(...xs), Math.max(...xs));
  const labels = rowLabels(rows.map((r) => r.label), Math.round(o.width * 0.4));
  const labelW = labels.margin;
  const height = 40 + 26 + rows.length * o.rowHeight + 70;
  const f = frame(o.width, height, { l: labelW, t: 66, r: 24, b: 70 });
  const x = linearScale(xDom, [f.left, f.right]);
  const body: string[] = [
    text(12, 24, o.title, 'class="plot-title" font-size="15" font-weight="600" fill="#111827"'),
    ...axes(f, x, linearScale([0, 1], [f.bottom, f.top]), { xTicks: niceTicks(xDom[0], xDom[1]), yTicks: [], xLabel: o.xLabel, yLabel: '' }),
    `<g class="fx"><line x1="${fmt(x(fx))}" x2="${fmt(x(fx))}" y1="${fmt(f.top - 8)}" y2="${fmt(f.top)}" stroke="#374151"/>`,
    text(x(fx), f.top - 12, `f(x) = ${fmtValue(fx)}`, 'text-anchor="middle" font-weight="600" fill="#111827"'),
    '</g>',
    `<g class="base"><line x1="${fmt(x(base))}" x2="${fmt(x(base))}" y1="${fmt(f.top)}" y2="${fmt(f.bottom)}" stroke="#9ca3af" stroke-dasharray="3 3"/>`,
    text(x(base), f.bottom + 52, `E[f(X)] = ${fmtValue(base)}`, 'text-anchor="middle" fill="#374151"'),
    '</g>',
  ];
  const barH = o.rowHeight * 0.7;
  rows.forEach((r, k) => {
    const cy = f.top + (k + 0.5) * o.rowHeight;
    const a = x(starts[k] as number);
    const b = x(ends[k] as number);
    const lx = Math.min(a, b);
    const w = Math.max(Math.abs(b - a), 1);
    const color = r.value >= 0 ? POS : NEG;
    const sign = r.value >= 0 ? '+' : '\u2212';
    const valueText = `${sign}${fmtValue(Math.abs(r.value))}`;
    const inside = w > 7 * valueText.length + 8;
    const tx = inside ? lx + w / 2 : r.value >= 0 ? lx + w + 4 : lx - 4;
    const anchor = inside ? 'middle' : r.value >= 0 ? 'start' : 'end';
    body.push(
      `<g class="contribution" data-feature="${escapeXml(r.feature)}" data-shap="${fmtValue(r.value, 6)}">`,
      rowLabel(f.left - 8, cy + 4, r.label, labels.shown[k] as string, 'fill="#111827"'),
      `<rect x="${fmt(lx)}" y="${fmt(cy - barH / 2)}" width="${fmt(w)}" height="${fmt(barH)}" fill="${color}"/>`,
      text(Math.min(Math.max(tx, f.left + 2), f.right - 2), cy + 4, valueText, `text-anchor="${anchor}" font-size="11" fill="${inside ? '#ffffff' : color}"`),
      '</g>',
    );
    if (k > 0) {
      const px = x(starts[k - 1] as number);
      body.push(`<line class="connector" x1="${fmt(px)}" x2="${fmt(px)}" y1="${fmt(cy - o.rowHeight + barH / 2)}" y2="${fmt(cy - barH / 2)}" stroke="#9ca3af" stroke-width="1"/>`);
    }
  });
  const desc =
    `Waterfall of one prediction: from the base value ${fmtValue(base)} to f(x) = ${fmtValue(fx)}. ` +
    rows.map((r) => `${r.label}: ${r.value >= 0 ? '+' : '-'}${fmtValue(Math.abs(r.value))}`).join('; ') +
    '.';
  return svgDocument(f, o.title, desc, body, 'finml-shap-waterfall');
}
