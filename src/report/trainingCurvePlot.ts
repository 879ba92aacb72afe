/**
 * Training curves (loss and validation loss per epoch) as an SVG string.
 *
 * @module
 */
import { DataError, InvalidOptionError, describeValue } from '../core/errors';
import { resolveOptions, rules } from '../core/options';
import { PALETTE, axes, boxesOverlap, finiteArray, fmt, fmtValue, frame, legend, linearScale, niceDomain, niceTicks, points, sameLength, svgDocument, text, textWidth, type Box } from './_internal/svg';

/**
 * The per-epoch values to plot (e.g. from a training history).
 *
 * @category Report
 */
export interface TrainingCurveData {
  /** Training loss per epoch (epoch 1 first). */
  readonly loss: ArrayLike<number>;
  /** Validation loss per epoch, same length as `loss`. */
  readonly valLoss?: ArrayLike<number>;
}

/**
 * Options of {@link trainingCurvePlot}.
 *
 * @category Report
 */
export interface TrainingCurvePlotOptions {
  /** Plot title (also the SVG `<title>`). @defaultValue `'Training curves'` */
  readonly title?: string;
  /** Outer width in px. @defaultValue 640 */
  readonly width?: number;
  /** Outer height in px. @defaultValue 360 */
  readonly height?: number;
  /** Y axis label. @defaultValue `'loss'` */
  readonly yLabel?: string;
  /**
   * Epoch to mark as best, as a 0-based index into `loss`; `'auto'` marks the minimum of `valLoss`
   * (or of `loss` without validation data); `null` marks nothing. @defaultValue `'auto'`
   */
  readonly bestEpoch?: number | 'auto' | null;
}

const TRAINING_CURVE_DEFAULTS = {
  title: 'Training curves',
  width: 640,
  height: 360,
  yLabel: 'loss',
  bestEpoch: 'auto',
} as const satisfies Required<TrainingCurvePlotOptions>;

const RULES = {
  title: rules.string(),
  width: rules.int({ min: 120, max: 10000 }),
  height: rules.int({ min: 100, max: 10000 }),
  yLabel: rules.string(),
  bestEpoch: rules.nullable(rules.or(rules.oneOf(['auto']), rules.int({ min: 0 }))),
};

function argmin(a: readonly number[]): number {
  let k = 0;
  for (let i = 1; i < a.length; i++) if ((a[i] as number) < (a[k] as number)) k = i;
  return k;
}

/**
 * Draws training curves: the training loss and (optionally) the validation loss against the
 * epoch number, with a dashed vertical marker and a dot at the best epoch. Pure function: plain
 * numbers in, a standalone SVG string out (no DOM); all text is escaped and the SVG carries an
 * accessible `<title>` and `<desc>`.
 *
 * @param data - `loss` (and optional `valLoss`) per epoch; finite numbers, at least one epoch.
 * @param options - Size, title, axis label and best-epoch marker.
 * @returns An SVG document string (`<svg xmlns=...>...</svg>`).
 * @throws {DataError} empty or non-finite values.
 * @throws {ShapeError} when `valLoss` and `loss` differ in length.
 * @throws {InvalidOptionError} invalid options, or `bestEpoch` beyond the last epoch.
 * @example
 * ```ts
 * import { trainingCurvePlot } from 'finml';
 * const svg = trainingCurvePlot({ loss: [0.69, 0.52, 0.44, 0.41], valLoss: [0.7, 0.58, 0.55, 0.57] });
 * svg.startsWith('<svg'); //=> true (best epoch 3 is marked)
 * ```
 * @category Report
 */
export function trainingCurvePlot(data: TrainingCurveData, options?: TrainingCurvePlotOptions): string {
  const fn = 'trainingCurvePlot';
  const o = resolveOptions<TrainingCurvePlotOptions>(fn, options, TRAINING_CURVE_DEFAULTS, RULES) as Required<TrainingCurvePlotOptions>;
  if (typeof data !== 'object' || data === null) {
    throw new DataError({ fn, arg: 'data', expected: 'an object { loss, valLoss? }', got: describeValue(data) });
  }
  const loss = finiteArray(data.loss, fn, 'data.loss');
  const val = data.valLoss === undefined ? undefined : finiteArray(data.valLoss, fn, 'data.valLoss');
  if (val !== undefined) sameLength(loss, val, fn, 'data.loss', 'data.valLoss');
  const n = loss.length;
  const best = o.bestEpoch === 'auto' ? argmin(val ?? loss) : o.bestEpoch;
  if (best !== null && best >= n) {
    throw new InvalidOptionError({ fn, arg: 'bestEpoch', expected: `an epoch index < ${n} (the number of epochs)`, got: describeValue(best) });
  }

  const f = frame(o.width, o.height, { l: 64, t: 36, r: 20, b: 48 });
  const epochs = Array.from({ length: n }, (_, i) => i + 1);
  const all = val === undefined ? loss : [...loss, ...val];
  const yDom = niceDomain(Math.min(...all), Math.max(...all));
  const xDom: [number, number] = n === 1 ? [0.5, 1.5] : [1, n];
  const x = linearScale(xDom, [f.left, f.right]);
  const y = linearScale(yDom, [f.bottom, f.top]);
  const xTicks = niceTicks(xDom[0], xDom[1], Math.min(8, n)).filter((t) => Number.isInteger(t) && t >= 1 && t <= n);
  const body: string[] = [
    text(f.left, 22, o.title, 'class="plot-title" font-size="15" font-weight="600" fill="#111827"'),
    ...axes(f, x, y, { xTicks, yTicks: niceTicks(yDom[0], yDom[1]), xLabel: 'epoch', yLabel: o.yLabel, xFormat: (v) => String(v) }),
  ];
  const series: { name: string; values: readonly number[]; color: string; dash: string }[] = [
    { name: 'training', values: loss, color: PALETTE[0], dash: '' },
  ];
  if (val !== undefined) series.push({ name: 'validation', values: val, color: PALETTE[1], dash: ' stroke-dasharray="6 3"' });
  for (const s of series) {
    body.push(
      `<polyline class="series series-${s.name}" data-series="${s.name}" fill="none" stroke="${s.color}" stroke-width="2"${s.dash} points="${points(epochs, s.values, x, y)}"/>`,
    );
  }
  const lg = legend(
    series.map((s) => ({ label: `${s.name} ${o.yLabel}`, color: s.color, ...(s.dash === '' ? {} : { dash: '6 3' }) })),
    { x: f.left + 8, y: f.top + 2, width: f.right - f.left - 12, height: f.bottom - f.top - 4 },
    'top-right',
  );
  if (best !== null) {
    const bx = x(best + 1);
    const by = y((val ?? loss)[best] as number);
    // The label goes beside the marker line, on the right if it fits, at the top or, when that
    // would overlap the legend, just below it (or at the bottom of the plot as a last resort).
    const label = `best epoch ${best + 1}`;
    const lw = textWidth(label, 11);
    const side = bx + 6 + lw <= f.right ? 'start' : 'end';
    const lx = side === 'start' ? bx + 6 : Math.max(f.left + lw, bx - 6);
    const boxAt = (ty: number): Box => ({ x: side === 'start' ? lx : lx - lw, y: ty - 10, width: lw, height: 13 });
    const candidates = [f.top + 12, lg.box.y + lg.box.height + 14, f.bottom - 8];
    const ty = candidates.find((c) => c <= f.bottom - 4 && !boxesOverlap(boxAt(c), lg.box)) ?? (candidates[0] as number);
    body.push(
      `<g class="best-epoch" data-epoch="${best + 1}">`,
      `<line x1="${fmt(bx)}" x2="${fmt(bx)}" y1="${fmt(f.top)}" y2="${fmt(f.bottom)}" stroke="#6b7280" stroke-width="1" stroke-dasharray="3 3"/>`,
      `<circle cx="${fmt(bx)}" cy="${fmt(by)}" r="4.5" fill="${val === undefined ? PALETTE[0] : PALETTE[1]}" stroke="#ffffff" stroke-width="1.5"/>`,
      text(lx, ty, label, `class="best-epoch-label" text-anchor="${side}" fill="#374151" font-size="11"`),
      '</g>',
    );
  }
  body.push(...lg.svg);
  const last = (a: readonly number[]): string => fmtValue(a[a.length - 1] as number);
  const desc =
    `Line chart of ${o.yLabel} over ${n} epoch(s). Final training ${o.yLabel} ${last(loss)}` +
    (val !== undefined ? `, final validation ${o.yLabel} ${last(val)}` : '') +
    (best !== null ? `. Best epoch ${best + 1} with ${o.yLabel} ${fmtValue((val ?? loss)[best] as number)}.` : '.');
  return svgDocument(f, o.title, desc, body, 'finml-training-curves');
}
