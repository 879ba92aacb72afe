/**
 * SHAP summary (beeswarm-like dot plot) as an SVG string.
 *
 * @module
 */
import { DataError, ShapeError, describeValue } from '../core/errors';
import { resolveOptions, rules } from '../core/options';
import { axes, escapeXml, finiteMatrix, fmt, fmtValue, frame, linearScale, niceDomain, niceTicks, rowLabel, rowLabels, stringArray, svgDocument, text, valueColor } from './_internal/svg';

/**
 * SHAP values of many rows, with the matching feature values for colouring.
 *
 * @category Report
 */
export interface ShapSummaryData {
  /** SHAP values, one row per explained sample and one column per feature. */
  readonly shapValues: readonly (readonly number[])[];
  /**
   * The explained samples' feature values (same shape), used to colour the dots (blue low, red
   * high, scaled per feature between its 5th and 95th percentiles); `null` (a missing value or a
   * categorical feature) draws a grey dot. Optional: without it every dot is grey.
   */
  readonly featureValues?: readonly (readonly (number | null)[])[];
  /** Feature names, one per column. */
  readonly featureNames: readonly string[];
}

/**
 * Options of {@link shapSummaryPlot}.
 *
 * @category Report
 */
export interface ShapSummaryPlotOptions {
  /** Plot title. @defaultValue `'SHAP summary'` */
  readonly title?: string;
  /** Outer width in px. @defaultValue 720 */
  readonly width?: number;
  /** Height of one feature row in px (the SVG height follows from the number of rows). @defaultValue 34 */
  readonly rowHeight?: number;
  /** Maximum number of features shown (those with the largest mean |SHAP|). @defaultValue 15 */
  readonly maxDisplay?: number;
  /** Dot radius in px. @defaultValue 2.5 */
  readonly dotRadius?: number;
  /** X axis label. @defaultValue `'SHAP value (impact on model output)'` */
  readonly xLabel?: string;
}

const SHAP_SUMMARY_DEFAULTS = {
  title: 'SHAP summary',
  width: 720,
  rowHeight: 34,
  maxDisplay: 15,
  dotRadius: 2.5,
  xLabel: 'SHAP value (impact on model output)',
} as const satisfies Required<ShapSummaryPlotOptions>;

const RULES = {
  title: rules.string(),
  width: rules.int({ min: 320, max: 10000 }),
  rowHeight: rules.int({ min: 8, max: 400 }),
  maxDisplay: rules.int({ min: 1 }),
  dotRadius: rules.number({ min: 0.5, max: 20 }),
  xLabel: rules.string(),
};

function quantile(sorted: readonly number[], q: number): number {
  const pos = (sorted.length - 1) * q;
  const lo = Math.floor(pos);
  const hi = Math.ceil(pos);
  return (sorted[lo] as number) + ((sorted[hi] as number) - (sorted[lo] as number)) * (pos - lo);
}

/**
 * Vertical offsets (in units of dot spacing) that stack dots falling in the same horizontal bin:
 * 0, +1, -1, +2, -2, ... in input order, which gives the beeswarm look deterministically.
 */
function swarmOffsets(px: readonly number[], binWidth: number): number[] {
  const used = new Map<number, number>();
  return px.map((p) => {
    const b = Math.round(p / binWidth);
    const k = used.get(b) ?? 0;
    used.set(b, k + 1);
    return k === 0 ? 0 : k % 2 === 1 ? (k + 1) / 2 : -k / 2;
  });
}

/**
 * Draws a SHAP summary plot: one row per feature (sorted by mean |SHAP|, largest at the top), one
 * dot per explained sample at its SHAP value, stacked vertically where dots pile up (beeswarm),
 * coloured by the sample's feature value from low (blue) to high (red), each feature scaled to
 * its own 5th-95th percentile range. A colour bar explains the colours. Pure function, no DOM.
 *
 * @param data - SHAP values (rows x features), optional feature values of the same shape, names.
 * @param options - Size, title, number of features shown, dot radius.
 * @returns An SVG document string.
 * @throws {DataError} empty or non-finite values.
 * @throws {ShapeError} ragged rows, `featureValues` of another shape, or a wrong number of names.
 * @throws {InvalidOptionError} invalid options.
 * @example
 * ```ts
 * import { shapSummaryPlot } from 'finml';
 * const svg = shapSummaryPlot({
 *   shapValues: [[0.2, -0.01], [-0.15, 0.02], [0.3, 0]],
 *   featureValues: [[5000, 1], [800, 0], [9000, 1]],
 *   featureNames: ['Amount', 'Telephone'],
 * });
 * svg.indexOf('Amount') < svg.indexOf('Telephone'); //=> true (sorted by mean |SHAP|)
 * ```
 * @category Report
 */
export function shapSummaryPlot(data: ShapSummaryData, options?: ShapSummaryPlotOptions): string {
  const fn = 'shapSummaryPlot';
  const o = resolveOptions<ShapSummaryPlotOptions>(fn, options, SHAP_SUMMARY_DEFAULTS, RULES) as Required<ShapSummaryPlotOptions>;
  if (typeof data !== 'object' || data === null) {
    throw new DataError({ fn, arg: 'data', expected: 'an object { shapValues, featureValues?, featureNames }', got: describeValue(data) });
  }
  const shap = finiteMatrix(data.shapValues, fn, 'data.shapValues');
  const p = (shap[0] as readonly number[]).length;
  if (p === 0) throw new DataError({ fn, arg: 'data.shapValues', expected: 'at least 1 feature column', got: '0 columns' });
  const n = shap.length;
  const names = stringArray(data.featureNames, fn, 'data.featureNames', p);
  let fv: readonly (readonly number[])[] | undefined;
  if (data.featureValues !== undefined) {
    // null (missing or categorical) becomes NaN internally and is drawn grey; NaN/Infinity given as numbers are errors
    const withNull = data.featureValues;
    if (Array.isArray(withNull)) {
      withNull.forEach((r, i) => {
        if (Array.isArray(r)) r.forEach((v, j) => {
          if (typeof v === 'number' && !Number.isFinite(v)) throw new DataError({ fn, arg: `data.featureValues[${i}]`, expected: 'finite numbers or null', got: `${v} at index ${j}` });
        });
      });
    }
    const swapped = Array.isArray(withNull) ? withNull.map((r) => (Array.isArray(r) ? r.map((v) => (v === null ? 0 : v)) : r)) : withNull;
    fv = finiteMatrix(swapped, fn, 'data.featureValues', p).map((r, i) => r.map((v, j) => ((withNull[i] as readonly (number | null)[])[j] === null ? Number.NaN : v)));
    if (fv.length !== n) throw new ShapeError({ fn, arg: 'data.featureValues', expected: `${n} rows (as data.shapValues)`, got: `${fv.length} rows` });
  }

  const meanAbs = Array.from({ length: p }, (_, j) => shap.reduce((a, r) => a + Math.abs(r[j] as number), 0) / n);
  const order = meanAbs
    .map((m, j) => ({ m, j }))
    .sort((a, b) => b.m - a.m || a.j - b.j)
    .slice(0, o.maxDisplay)
    .map((e) => e.j);

  let lo = Infinity;
  let hi = -Infinity;
  for (const r of shap) for (const j of order) {
    lo = Math.min(lo, r[j] as number);
    hi = Math.max(hi, r[j] as number);
  }
  const xDom = niceDomain(Math.min(lo, 0), Math.max(hi, 0));
  const labels = rowLabels(order.map((j) => names[j] as string), Math.round(o.width * 0.35));
  const labelW = labels.margin;
  const height = 56 + 52 + order.length * o.rowHeight;
  const f = frame(o.width, height, { l: labelW, t: 40, r: 76, b: 52 });
  const x = linearScale(xDom, [f.left, f.right]);
  const rowY = (k: number): number => f.top + (k + 0.5) * o.rowHeight;
  const body: string[] = [
    text(12, 24, o.title, 'class="plot-title" font-size="15" font-weight="600" fill="#111827"'),
    ...axes(f, x, linearScale([0, 1], [f.bottom, f.top]), { xTicks: niceTicks(xDom[0], xDom[1]), yTicks: [], xLabel: o.xLabel, yLabel: '' }),
    `<line class="zero" x1="${fmt(x(0))}" x2="${fmt(x(0))}" y1="${fmt(f.top)}" y2="${fmt(f.bottom)}" stroke="#9ca3af" stroke-width="1"/>`,
  ];
  const spacing = o.dotRadius * 1.6;
  const maxOff = o.rowHeight * 0.42;
  order.forEach((j, k) => {
    const name = names[j] as string;
    const cy = rowY(k);
    body.push(rowLabel(f.left - 8, cy + 4, name, labels.shown[k] as string, 'class="feature-name" fill="#111827"'));
    let colors: string[];
    if (fv === undefined) colors = shap.map(() => '#6b7280');
    else {
      const col = fv.map((r) => r[j] as number);
      const sorted = col.filter((v) => !Number.isNaN(v)).sort((a, b) => a - b);
      if (sorted.length === 0) sorted.push(0);
      let vmin = quantile(sorted, 0.05);
      let vmax = quantile(sorted, 0.95);
      if (vmax <= vmin) {
        vmin = sorted[0] as number;
        vmax = sorted[sorted.length - 1] as number;
      }
      colors = col.map((v) => (Number.isNaN(v) ? '#9ca3af' : vmax > vmin ? valueColor(Math.min(1, Math.max(0, (v - vmin) / (vmax - vmin)))) : valueColor(0.5)));
    }
    const px = shap.map((r) => x(r[j] as number));
    const offs = swarmOffsets(px, o.dotRadius * 2);
    const widest = Math.max(1, ...offs.map(Math.abs));
    const scale = Math.min(spacing, maxOff / widest);
    body.push(`<g class="feature-row" data-feature="${escapeXml(name)}" data-mean-abs-shap="${fmtValue(meanAbs[j] as number, 6)}">`);
    px.forEach((cx, i) => {
      body.push(`<circle cx="${fmt(cx)}" cy="${fmt(cy + (offs[i] as number) * scale)}" r="${fmt(o.dotRadius)}" fill="${colors[i]}" fill-opacity="0.85"/>`);
    });
    body.push('</g>');
  });
  if (fv !== undefined) {
    const bx = f.right + 24;
    const steps = 24;
    const top = f.top + 8;
    const bh = Math.max(40, f.bottom - f.top - 16);
    body.push('<g class="colorbar">');
    for (let s = 0; s < steps; s++) {
      body.push(`<rect x="${fmt(bx)}" y="${fmt(top + (bh * s) / steps)}" width="10" height="${fmt(bh / steps + 0.5)}" fill="${valueColor(1 - s / (steps - 1))}"/>`);
    }
    body.push(
      text(bx + 5, top - 4, 'high', 'text-anchor="middle" font-size="10" fill="#374151"'),
      text(bx + 5, top + bh + 12, 'low', 'text-anchor="middle" font-size="10" fill="#374151"'),
      text(bx + 24, top + bh / 2, 'feature value', `text-anchor="middle" font-size="10" fill="#374151" transform="rotate(-90 ${fmt(bx + 24)} ${fmt(top + bh / 2)})"`),
      '</g>',
    );
  }
  const hidden = p - order.length;
  const desc =
    `SHAP summary of ${n} sample(s) over ${order.length} feature(s)${hidden > 0 ? ` (${hidden} with smaller impact not shown)` : ''}, sorted by mean absolute SHAP value: ` +
    order.map((j) => `${names[j]} ${fmtValue(meanAbs[j] as number)}`).join(', ') +
    '.';
  return svgDocument(f, o.title, desc, body, 'finml-shap-summary');
}
