/**
 * ROC curves as an SVG string.
 *
 * @module
 */
import { DataError, describeValue } from '../core/errors';
import { resolveOptions, rules } from '../core/options';
import { PALETTE, axes, escapeXml, finiteArray, fmt, fmtValue, frame, legend, linearScale, points, sameLength, svgDocument, text, textWidth } from './_internal/svg';

/**
 * One ROC curve: false- and true-positive rates in [0, 1], e.g. what `rocCurve(yTrue, yScore)` returns.
 *
 * @category Report
 */
export interface RocCurveData {
  /** False-positive rates, non-decreasing. */
  readonly fpr: ArrayLike<number>;
  /** True-positive rates, same length as `fpr`. */
  readonly tpr: ArrayLike<number>;
  /** Area under the curve; computed from the points (trapezoids) when omitted. */
  readonly auc?: number;
  /** Legend label. @defaultValue `'model'` (or `'model N'` for several curves) */
  readonly label?: string;
}

/**
 * Options of {@link rocCurvePlot}.
 *
 * @category Report
 */
export interface RocCurvePlotOptions {
  /** Plot title. @defaultValue `'ROC curve'` */
  readonly title?: string;
  /** Outer width in px. @defaultValue 440 */
  readonly width?: number;
  /** Outer height in px. @defaultValue 420 */
  readonly height?: number;
}

const ROC_DEFAULTS = { title: 'ROC curve', width: 440, height: 420 } as const satisfies Required<RocCurvePlotOptions>;
const RULES = { title: rules.string(), width: rules.int({ min: 160, max: 10000 }), height: rules.int({ min: 160, max: 10000 }) };

/** Trapezoidal area under a polyline given by (x, y) points, x non-decreasing. */
function trapezoid(x: readonly number[], y: readonly number[]): number {
  let a = 0;
  for (let i = 1; i < x.length; i++) a += ((x[i] as number) - (x[i - 1] as number)) * ((y[i] as number) + (y[i - 1] as number)) / 2;
  return a;
}

/**
 * Draws one or several ROC curves (true-positive rate against false-positive rate) with the
 * chance diagonal, and each curve's AUC in the legend. Curves that do not start at (0, 0) or end
 * at (1, 1) are extended to those corners. Pure function, no DOM; text is escaped.
 *
 * @param curves - One curve or a list of curves (e.g. train and test, or two models).
 * @param options - Size and title.
 * @returns An SVG document string.
 * @throws {DataError} empty, non-finite or out-of-[0, 1] rates, or decreasing `fpr`.
 * @throws {ShapeError} `fpr` and `tpr` of different lengths.
 * @throws {InvalidOptionError} invalid options.
 * @example
 * ```ts
 * import { rocCurvePlot } from 'finml';
 * const svg = rocCurvePlot({ fpr: [0, 0.1, 0.4, 1], tpr: [0, 0.6, 0.9, 1], label: 'test' });
 * svg.includes('AUC = 0.825'); //=> true
 * ```
 * @category Report
 */
export function rocCurvePlot(curves: RocCurveData | readonly RocCurveData[], options?: RocCurvePlotOptions): string {
  const fn = 'rocCurvePlot';
  const o = resolveOptions<RocCurvePlotOptions>(fn, options, ROC_DEFAULTS, RULES) as Required<RocCurvePlotOptions>;
  const list: readonly RocCurveData[] = Array.isArray(curves) ? curves : [curves as RocCurveData];
  if (list.length === 0) throw new DataError({ fn, arg: 'curves', expected: 'at least one curve', got: 'an empty array' });
  const prepared = list.map((c, k) => {
    const arg = list.length === 1 ? 'curve' : `curves[${k}]`;
    if (typeof c !== 'object' || c === null) throw new DataError({ fn, arg, expected: 'an object { fpr, tpr }', got: describeValue(c) });
    const fpr = [...finiteArray(c.fpr, fn, `${arg}.fpr`)];
    const tpr = [...finiteArray(c.tpr, fn, `${arg}.tpr`)];
    sameLength(fpr, tpr, fn, `${arg}.fpr`, `${arg}.tpr`);
    for (let i = 0; i < fpr.length; i++) {
      const f = fpr[i] as number;
      const t = tpr[i] as number;
      if (f < 0 || f > 1 || t < 0 || t > 1) throw new DataError({ fn, arg, expected: 'rates in [0, 1]', got: `(${f}, ${t}) at index ${i}` });
      if (i > 0 && f < (fpr[i - 1] as number)) throw new DataError({ fn, arg: `${arg}.fpr`, expected: 'non-decreasing false-positive rates', got: `${f} after ${fpr[i - 1]} at index ${i}` });
    }
    if (fpr[0] !== 0 || tpr[0] !== 0) {
      fpr.unshift(0);
      tpr.unshift(0);
    }
    if (fpr[fpr.length - 1] !== 1 || tpr[tpr.length - 1] !== 1) {
      fpr.push(1);
      tpr.push(1);
    }
    if (c.auc !== undefined && (typeof c.auc !== 'number' || !(c.auc >= 0 && c.auc <= 1))) {
      throw new DataError({ fn, arg: `${arg}.auc`, expected: 'a number in [0, 1]', got: describeValue(c.auc) });
    }
    const auc = c.auc ?? trapezoid(fpr, tpr);
    const label = typeof c.label === 'string' ? c.label : list.length === 1 ? 'model' : `model ${k + 1}`;
    return { fpr, tpr, auc, label };
  });

  // Legend: in the lower-right corner of the plotting area (below the chance diagonal, where the
  // curves of useful models do not go) when its labels are short; otherwise below the x axis label,
  // full width, with the labels wrapped, and the plotting area shrinks to make room.
  const items = [
    ...prepared.map((c, k) => ({ label: c.label, keep: `(AUC = ${c.auc.toFixed(3)})`, color: PALETTE[k % PALETTE.length] as string })),
    { label: 'chance', keep: '(AUC = 0.500)', color: '#9ca3af', dash: '5 4', strokeWidth: 1 },
  ];
  const plotW = o.width - 58 - 16;
  const inside = Math.max(...items.map((it) => textWidth(`${it.label} ${it.keep}`))) + 46 <= plotW * 0.62;
  const below = inside ? undefined : legend(items, { x: 58, y: 0, width: plotW, height: o.height }, 'top-left');
  const f = frame(o.width, o.height, { l: 58, t: 36, r: 16, b: 48 + (below === undefined ? 0 : below.box.height + 4) });
  const x = linearScale([0, 1], [f.left, f.right]);
  const y = linearScale([0, 1], [f.bottom, f.top]);
  const ticks = [0, 0.2, 0.4, 0.6, 0.8, 1];
  const body: string[] = [
    text(f.left, 22, o.title, 'class="plot-title" font-size="15" font-weight="600" fill="#111827"'),
    ...axes(f, x, y, { xTicks: ticks, yTicks: ticks, xLabel: 'false positive rate', yLabel: 'true positive rate' }),
    `<line class="chance" x1="${fmt(x(0))}" y1="${fmt(y(0))}" x2="${fmt(x(1))}" y2="${fmt(y(1))}" stroke="#9ca3af" stroke-width="1" stroke-dasharray="5 4"/>`,
  ];
  prepared.forEach((c, k) => {
    const color = PALETTE[k % PALETTE.length] as string;
    body.push(`<polyline class="roc" data-label="${escapeXml(c.label)}" fill="none" stroke="${color}" stroke-width="2" points="${points(c.fpr, c.tpr, x, y)}"/>`);
  });
  const lg = inside
    ? legend(items, { x: f.left + 6, y: f.top + 6, width: f.right - f.left - 12, height: f.bottom - f.top - 12 }, 'bottom-right')
    : legend(items, { x: f.left, y: f.bottom + 44, width: plotW, height: o.height }, 'top-left');
  body.push(...lg.svg);
  const desc = `ROC curve${prepared.length > 1 ? 's' : ''}: ${prepared.map((c) => `${c.label} AUC ${fmtValue(c.auc)}`).join('; ')}. The dashed diagonal is a random classifier.`;
  return svgDocument(f, o.title, desc, body, 'finml-roc');
}
