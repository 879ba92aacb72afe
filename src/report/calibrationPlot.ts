/**
 * Calibration curve (reliability diagram with bin counts) as an SVG string.
 *
 * @module
 */
import { DataError, describeValue } from '../core/errors';
import { resolveOptions, rules } from '../core/options';
import { PALETTE, axes, finiteArray, fmt, fmtValue, frame, legend, linearScale, niceTicks, points, sameLength, svgDocument, text } from './_internal/svg';

/**
 * Binned calibration data, one entry per bin: exactly what `calibrationCurve(yTrue, yProb)` from
 * the metrics returns (its `binEdges` field sets the width of the count bars).
 *
 * @category Report
 */
export interface CalibrationData {
  /** Mean predicted probability in each bin, in [0, 1]. */
  readonly probPred: ArrayLike<number>;
  /** Observed fraction of positives in each bin, in [0, 1]. */
  readonly probTrue: ArrayLike<number>;
  /** Number of samples in each bin (non-negative integers); empty bins are not drawn. */
  readonly counts: ArrayLike<number>;
  /**
   * Bin edges (as `calibrationCurve` returns them, empty bins included): when given, each count
   * bar spans its bin, so quantile bins of unequal width are drawn without overlap.
   */
  readonly binEdges?: ArrayLike<number>;
}

/**
 * Options of {@link calibrationPlot}.
 *
 * @category Report
 */
export interface CalibrationPlotOptions {
  /** Plot title. @defaultValue `'Calibration'` */
  readonly title?: string;
  /** Outer width in px. @defaultValue 440 */
  readonly width?: number;
  /** Outer height in px (the count histogram takes the lower quarter). @defaultValue 520 */
  readonly height?: number;
  /** Legend label of the model. @defaultValue `'model'` */
  readonly label?: string;
}

const CALIBRATION_DEFAULTS = { title: 'Calibration', width: 440, height: 520, label: 'model' } as const satisfies Required<CalibrationPlotOptions>;
const RULES = { title: rules.string(), width: rules.int({ min: 200, max: 10000 }), height: rules.int({ min: 240, max: 10000 }), label: rules.string() };

/**
 * Draws a reliability diagram: observed fraction of positives against mean predicted probability
 * per bin (a perfectly calibrated model lies on the dashed diagonal), and below it a histogram of
 * the number of samples per bin, each bar labelled with its count. Pure function, no DOM.
 *
 * @param data - Per-bin mean prediction, fraction of positives and count.
 * @param options - Size, title and legend label.
 * @returns An SVG document string.
 * @throws {DataError} empty, non-finite, out-of-[0, 1] values or negative/non-integer counts.
 * @throws {ShapeError} arrays of different lengths.
 * @throws {InvalidOptionError} invalid options.
 * @example
 * ```ts
 * import { calibrationCurve, calibrationPlot } from 'finml';
 * const svg = calibrationPlot(calibrationCurve([0, 0, 1, 0, 1, 1], [0.1, 0.3, 0.4, 0.6, 0.8, 0.9], { nBins: 3 }));
 * svg.includes('<title>Calibration</title>'); //=> true
 * ```
 * @category Report
 */
export function calibrationPlot(data: CalibrationData, options?: CalibrationPlotOptions): string {
  const fn = 'calibrationPlot';
  const o = resolveOptions<CalibrationPlotOptions>(fn, options, CALIBRATION_DEFAULTS, RULES) as Required<CalibrationPlotOptions>;
  if (typeof data !== 'object' || data === null) {
    throw new DataError({ fn, arg: 'data', expected: 'an object { probPred, probTrue, counts }', got: describeValue(data) });
  }
  const mp = finiteArray(data.probPred, fn, 'data.probPred');
  const fp = finiteArray(data.probTrue, fn, 'data.probTrue');
  const counts = finiteArray(data.counts, fn, 'data.counts');
  sameLength(mp, fp, fn, 'data.probPred', 'data.probTrue');
  sameLength(mp, counts, fn, 'data.probPred', 'data.counts');
  for (let i = 0; i < mp.length; i++) {
    const [a, b, c] = [mp[i] as number, fp[i] as number, counts[i] as number];
    if (a < 0 || a > 1) throw new DataError({ fn, arg: 'data.probPred', expected: 'probabilities in [0, 1]', got: `${a} at index ${i}` });
    if (b < 0 || b > 1) throw new DataError({ fn, arg: 'data.probTrue', expected: 'fractions in [0, 1]', got: `${b} at index ${i}` });
    if (c < 0 || !Number.isInteger(c)) throw new DataError({ fn, arg: 'data.counts', expected: 'non-negative integers', got: `${c} at index ${i}` });
  }
  const keep = mp.map((_, i) => i).filter((i) => (counts[i] as number) > 0);
  if (keep.length === 0) throw new DataError({ fn, arg: 'data.counts', expected: 'at least one non-empty bin', got: 'all counts 0' });
  const kx = keep.map((i) => mp[i] as number);
  const ky = keep.map((i) => fp[i] as number);
  const kc = keep.map((i) => counts[i] as number);

  const histH = Math.round((o.height - 84) * 0.25);
  const f = frame(o.width, o.height - histH - 30, { l: 58, t: 36, r: 16, b: 40 });
  const h = frame(o.width, o.height, { l: 58, t: o.height - histH - 46, r: 16, b: 46 });
  const x = linearScale([0, 1], [f.left, f.right]);
  const y = linearScale([0, 1], [f.bottom, f.top]);
  const ticks = [0, 0.2, 0.4, 0.6, 0.8, 1];
  const body: string[] = [
    text(f.left, 22, o.title, 'class="plot-title" font-size="15" font-weight="600" fill="#111827"'),
    ...axes(f, x, y, { xTicks: ticks, yTicks: ticks, xLabel: '', yLabel: 'fraction of positives' }),
    `<line class="perfect" x1="${fmt(x(0))}" y1="${fmt(y(0))}" x2="${fmt(x(1))}" y2="${fmt(y(1))}" stroke="#9ca3af" stroke-width="1" stroke-dasharray="5 4"/>`,
    `<polyline class="calibration" fill="none" stroke="${PALETTE[0]}" stroke-width="2" points="${points(kx, ky, x, y)}"/>`,
    '<g class="bins">',
    ...kx.map((v, k) => `<circle cx="${fmt(x(v))}" cy="${fmt(y(ky[k] as number))}" r="4" fill="${PALETTE[0]}" data-count="${kc[k]}"><title>${fmtValue(v)} predicted, ${fmtValue(ky[k] as number)} observed, n = ${kc[k]}</title></circle>`),
    '</g>',
    ...legend(
      [{ label: o.label, color: PALETTE[0] }, { label: 'perfectly calibrated', color: '#9ca3af', dash: '5 4', strokeWidth: 1 }],
      { x: f.left + 6, y: f.top + 4, width: f.right - f.left - 12, height: f.bottom - f.top - 8 },
      'top-left',
    ).svg,
  ];
  // count histogram
  const maxCount = Math.max(...kc);
  const cy = linearScale([0, maxCount], [h.bottom, h.top + 14]);
  const hx = linearScale([0, 1], [h.left, h.right]);
  const barW = Math.max(2, ((h.right - h.left) / Math.max(mp.length, 1)) * 0.7);
  body.push(
    ...axes(h, hx, cy, { xTicks: ticks, yTicks: niceTicks(0, maxCount, 2).filter((t) => Number.isInteger(t)), xLabel: 'mean predicted probability', yLabel: 'count' }),
    '<g class="counts">',
  );
  const edges = data.binEdges === undefined ? null : finiteArray(data.binEdges, fn, 'data.binEdges', 2);
  kx.forEach((v, k) => {
    const c = kc[k] as number;
    let bx = Math.min(Math.max(hx(v) - barW / 2, h.left), h.right - barW);
    let w = barW;
    if (edges !== null) {
      // the bin holding the bin's mean prediction: (e[b], e[b + 1]]
      let b = 0;
      while (b < edges.length - 2 && v > (edges[b + 1] as number)) b++;
      const x0 = hx(Math.max(0, Math.min(1, edges[b] as number)));
      const x1 = hx(Math.max(0, Math.min(1, edges[b + 1] as number)));
      w = Math.max(1, x1 - x0 - 1);
      bx = x0 + 0.5;
    }
    body.push(`<rect class="count-bar" x="${fmt(bx)}" y="${fmt(cy(c))}" width="${fmt(w)}" height="${fmt(h.bottom - cy(c))}" fill="${PALETTE[5]}" data-count="${c}"><title>n = ${c}</title></rect>`);
    if (w >= 16 || edges === null) body.push(text(bx + w / 2, cy(c) - 3, String(c), 'text-anchor="middle" font-size="10" fill="#374151"'));
  });
  body.push('</g>');
  const total = kc.reduce((a, b) => a + b, 0);
  const ece = kx.reduce((a, v, k) => a + ((kc[k] as number) / total) * Math.abs(v - (ky[k] as number)), 0);
  const desc = `Reliability diagram over ${kx.length} non-empty bin(s) and ${total} samples; expected calibration error ${fmtValue(ece)}. A histogram below shows the number of samples per bin.`;
  return svgDocument(frame(o.width, o.height, { l: 0, t: 0, r: 0, b: 0 }), o.title, desc, body, 'finml-calibration');
}
