/**
 * Private helpers for the SVG plots of src/report/: escaping, number formatting, scales, ticks,
 * axes, and input validation. Pure string building; no DOM.
 *
 * @module
 * @internal
 */
import { DataError, ShapeError, describeValue } from '../../core/errors';

/** Escapes text for XML/HTML content and attribute values (`& < > " '`). */
export function escapeXml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => {
    switch (c) {
      case '&':
        return '&amp;';
      case '<':
        return '&lt;';
      case '>':
        return '&gt;';
      case '"':
        return '&quot;';
      default:
        return '&#39;';
    }
  });
}

/** Formats a coordinate: at most 2 decimals, no trailing zeros, never `-0`. */
export function fmt(n: number): string {
  const r = Math.round(n * 100) / 100;
  return Object.is(r, -0) ? '0' : String(r);
}

/** Formats a data value for labels: up to `digits` significant digits, compact. */
export function fmtValue(n: number, digits = 3): string {
  if (!Number.isFinite(n)) return String(n);
  if (n === 0) return '0';
  const a = Math.abs(n);
  if (a >= 1e5 || a < 1e-3) return n.toExponential(Math.max(0, digits - 1)).replace(/\.?0+e/, 'e');
  return String(Number(n.toPrecision(digits)));
}

/** A linear map from a data domain to a pixel range. */
export interface Scale {
  (v: number): number;
  readonly domain: readonly [number, number];
  readonly range: readonly [number, number];
}

/** Linear scale; a degenerate domain maps everything to the middle of the range. */
export function linearScale(domain: readonly [number, number], range: readonly [number, number]): Scale {
  const [d0, d1] = domain;
  const [r0, r1] = range;
  const span = d1 - d0;
  const f = (v: number): number => (span === 0 ? (r0 + r1) / 2 : r0 + ((v - d0) / span) * (r1 - r0));
  return Object.assign(f, { domain, range });
}

/** "Nice" tick values covering [min, max] (about `count` ticks), Heckbert's method. */
export function niceTicks(min: number, max: number, count = 5): number[] {
  if (!(max > min)) return [min];
  const raw = (max - min) / Math.max(1, count);
  const mag = 10 ** Math.floor(Math.log10(raw));
  const norm = raw / mag;
  const step = (norm < 1.5 ? 1 : norm < 3 ? 2 : norm < 7 ? 5 : 10) * mag;
  const start = Math.ceil(min / step - 1e-9) * step;
  const out: number[] = [];
  for (let i = 0; i < 1000; i++) {
    const v = start + i * step;
    if (v > max + step * 1e-6) break;
    out.push(Math.abs(v) < step * 1e-9 ? 0 : Number(v.toPrecision(12)));
  }
  return out;
}

/** Expands [min, max] to nice tick boundaries (and pads a degenerate interval). */
export function niceDomain(min: number, max: number, count = 5): [number, number] {
  if (!(max > min)) {
    const pad = min === 0 ? 1 : Math.abs(min) * 0.1;
    return [min - pad, max + pad];
  }
  const t = niceTicks(min, max, count);
  const step = t.length > 1 ? (t[1] as number) - (t[0] as number) : max - min;
  return [Number((Math.floor(min / step + 1e-9) * step).toPrecision(12)), Number((Math.ceil(max / step - 1e-9) * step).toPrecision(12))];
}

/** Plot frame: outer size and the inner plotting rectangle. */
export interface Frame {
  readonly width: number;
  readonly height: number;
  readonly left: number;
  readonly top: number;
  readonly right: number;
  readonly bottom: number;
}

/** Builds a frame from outer size and margins. */
export function frame(width: number, height: number, m: { l: number; t: number; r: number; b: number }): Frame {
  return { width, height, left: m.l, top: m.t, right: width - m.r, bottom: height - m.b };
}

/** Wraps a plot body in a standalone, accessible `<svg>` element (`<title>` first, then `<desc>`). */
export function svgDocument(f: Frame, title: string, desc: string, body: readonly string[], cls: string): string {
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" class="finml-plot ${cls}" viewBox="0 0 ${fmt(f.width)} ${fmt(f.height)}" width="${fmt(f.width)}" height="${fmt(f.height)}" role="img" font-family="system-ui, -apple-system, 'Segoe UI', sans-serif" font-size="12">`,
    `<title>${escapeXml(title)}</title>`,
    `<desc>${escapeXml(desc)}</desc>`,
    `<rect x="0" y="0" width="${fmt(f.width)}" height="${fmt(f.height)}" fill="#ffffff"/>`,
    ...body,
    '</svg>',
  ].join('\n');
}

/** Text element; `text` is escaped. */
export function text(x: number, y: number, s: string, attrs = ''): string {
  return `<text x="${fmt(x)}" y="${fmt(y)}"${attrs === '' ? '' : ` ${attrs}`}>${escapeXml(s)}</text>`;
}

/** Axis lines, ticks, grid and labels of a cartesian plot. */
export function axes(
  f: Frame,
  x: Scale,
  y: Scale,
  o: { xTicks: readonly number[]; yTicks: readonly number[]; xLabel: string; yLabel: string; xFormat?: (v: number) => string; yFormat?: (v: number) => string },
): string[] {
  const xf = o.xFormat ?? ((v: number) => fmtValue(v));
  const yf = o.yFormat ?? ((v: number) => fmtValue(v));
  const out: string[] = ['<g class="grid" stroke="#e5e7eb" stroke-width="1">'];
  for (const t of o.yTicks) out.push(`<line x1="${fmt(f.left)}" x2="${fmt(f.right)}" y1="${fmt(y(t))}" y2="${fmt(y(t))}"/>`);
  out.push('</g>', '<g class="axes" stroke="#374151" stroke-width="1">');
  out.push(`<line x1="${fmt(f.left)}" x2="${fmt(f.right)}" y1="${fmt(f.bottom)}" y2="${fmt(f.bottom)}"/>`);
  out.push(`<line x1="${fmt(f.left)}" x2="${fmt(f.left)}" y1="${fmt(f.top)}" y2="${fmt(f.bottom)}"/>`);
  for (const t of o.xTicks) out.push(`<line x1="${fmt(x(t))}" x2="${fmt(x(t))}" y1="${fmt(f.bottom)}" y2="${fmt(f.bottom + 4)}"/>`);
  for (const t of o.yTicks) out.push(`<line x1="${fmt(f.left - 4)}" x2="${fmt(f.left)}" y1="${fmt(y(t))}" y2="${fmt(y(t))}"/>`);
  out.push('</g>', '<g class="tick-labels" fill="#374151">');
  for (const t of o.xTicks) out.push(text(x(t), f.bottom + 16, xf(t), 'text-anchor="middle"'));
  for (const t of o.yTicks) out.push(text(f.left - 7, y(t) + 4, yf(t), 'text-anchor="end"'));
  out.push('</g>');
  out.push(text((f.left + f.right) / 2, f.bottom + 34, o.xLabel, 'class="axis-label" text-anchor="middle" fill="#111827"'));
  const cy = (f.top + f.bottom) / 2;
  out.push(text(14, cy, o.yLabel, `class="axis-label" text-anchor="middle" fill="#111827" transform="rotate(-90 14 ${fmt(cy)})"`));
  return out;
}

/** Polyline `points` attribute from data pairs. */
export function points(xs: ArrayLike<number>, ys: ArrayLike<number>, x: Scale, y: Scale): string {
  const p: string[] = [];
  for (let i = 0; i < xs.length; i++) p.push(`${fmt(x(xs[i] as number))},${fmt(y(ys[i] as number))}`);
  return p.join(' ');
}

/** Validates a numeric array argument: array-like of finite numbers with at least `minLength` items. */
export function finiteArray(v: unknown, fn: string, arg: string, minLength = 1): readonly number[] {
  const ok = Array.isArray(v) || (ArrayBuffer.isView(v) && !(v instanceof DataView));
  if (!ok) throw new DataError({ fn, arg, expected: 'an array of finite numbers', got: describeValue(v) });
  const a = Array.from(v as ArrayLike<unknown>);
  if (a.length < minLength) throw new DataError({ fn, arg, expected: `at least ${minLength} value(s)`, got: `${a.length} values` });
  for (let i = 0; i < a.length; i++) {
    const x = a[i];
    if (typeof x !== 'number' || !Number.isFinite(x)) {
      throw new DataError({ fn, arg, expected: 'finite numbers only', got: `${describeValue(x)} at index ${i}` });
    }
  }
  return a as number[];
}

/** Validates that two arrays have the same length. */
export function sameLength(a: ArrayLike<unknown>, b: ArrayLike<unknown>, fn: string, argA: string, argB: string): void {
  if (a.length !== b.length) {
    throw new ShapeError({ fn, arg: argB, expected: `the same length as '${argA}' (${a.length})`, got: `length ${b.length}` });
  }
}

/** Validates a 2-D array of finite numbers with a fixed number of columns (if given). */
export function finiteMatrix(v: unknown, fn: string, arg: string, cols?: number): readonly (readonly number[])[] {
  if (!Array.isArray(v)) throw new DataError({ fn, arg, expected: 'an array of rows of finite numbers', got: describeValue(v) });
  if (v.length === 0) throw new DataError({ fn, arg, expected: 'at least 1 row', got: '0 rows' });
  const out: number[][] = [];
  const width = cols ?? (Array.isArray(v[0]) || ArrayBuffer.isView(v[0]) ? (v[0] as ArrayLike<unknown>).length : -1);
  for (let i = 0; i < v.length; i++) {
    const r: unknown = v[i];
    if (!(Array.isArray(r) || ArrayBuffer.isView(r)) || (r as ArrayLike<unknown>).length !== width) {
      throw new ShapeError({ fn, arg, expected: `rows of length ${width}`, got: `row ${i} with ${describeValue(r)}` });
    }
    out.push(finiteArray(r, fn, `${arg}[${i}]`, 0) as number[]);
  }
  return out;
}

/** Validates an array of strings of a given length. */
export function stringArray(v: unknown, fn: string, arg: string, length: number): readonly string[] {
  if (!Array.isArray(v) || !v.every((s) => typeof s === 'string')) {
    throw new DataError({ fn, arg, expected: 'an array of strings', got: describeValue(v) });
  }
  if (v.length !== length) throw new ShapeError({ fn, arg, expected: `${length} names`, got: `${v.length} names` });
  return v as string[];
}

/** Blue → purple → red color ramp of shap plots, `t` in [0, 1]. */
export function valueColor(t: number): string {
  const c = Math.min(1, Math.max(0, t));
  // two-segment interpolation: #1e88e5 (low) → #7c3aed (mid) → #ff0d57 (high)
  const lo = [0x1e, 0x88, 0xe5];
  const mid = [0x7c, 0x3a, 0xed];
  const hi = [0xff, 0x0d, 0x57];
  const [a, b, u] = c < 0.5 ? [lo, mid, c * 2] : [mid, hi, (c - 0.5) * 2];
  const ch = (k: number): string => Math.round((a[k] as number) + ((b[k] as number) - (a[k] as number)) * u).toString(16).padStart(2, '0');
  return `#${ch(0)}${ch(1)}${ch(2)}`;
}

/** Series colors (Okabe-Ito, color-blind safe). */
export const PALETTE = ['#0072B2', '#D55E00', '#009E73', '#CC79A7', '#E69F00', '#56B4E9', '#000000'] as const;

/**
 * Estimated advance width of `s` in px at `fontSize`, for layout (no DOM to measure with).
 * Per-character classes calibrated on DejaVu Sans, the widest common fallback of the plots'
 * system-ui font stack, so the estimate errs on the wide side for Helvetica, Segoe UI or Roboto.
 */
export function textWidth(s: string, fontSize = 12): number {
  let em = 0;
  for (const ch of s) {
    if (/[il.,:;|!'`]/.test(ch)) em += 0.3;
    else if (/[fjrt()[\]{} \-/]/.test(ch)) em += 0.4;
    else if (/[mwMW%@]/.test(ch)) em += 0.95;
    else if (/[A-Z]/.test(ch)) em += 0.72;
    else if (/[0-9a-z]/.test(ch)) em += 0.62;
    else em += 0.8; // other symbols, non-Latin letters
  }
  return em * fontSize;
}

/** Shortens `s` with a trailing ellipsis so that it fits `maxWidth` px (unchanged when it fits). */
export function truncateText(s: string, maxWidth: number, fontSize = 12): string {
  if (textWidth(s, fontSize) <= maxWidth) return s;
  const chars = [...s];
  while (chars.length > 0 && textWidth(`${chars.join('')}…`, fontSize) > maxWidth) chars.pop();
  return `${chars.join('').trimEnd()}…`;
}

/**
 * Breaks `s` into lines of at most `maxWidth` px, at spaces where possible (long words are cut);
 * `keep` is appended after a space and moved to the next line as a whole rather than split.
 */
export function wrapText(s: string, maxWidth: number, fontSize = 12, keep?: string): string[] {
  const lines: string[] = [];
  let line = '';
  const words = s.split(/\s+/).filter((w) => w !== '');
  if (keep !== undefined && keep !== '') words.push(keep);
  for (const word of words) {
    const next = line === '' ? word : `${line} ${word}`;
    if (textWidth(next, fontSize) <= maxWidth) {
      line = next;
      continue;
    }
    if (line !== '') lines.push(line);
    let rest = word;
    while (textWidth(rest, fontSize) > maxWidth && rest.length > 1) {
      const chars = [...rest];
      let k = chars.length - 1;
      while (k > 1 && textWidth(chars.slice(0, k).join(''), fontSize) > maxWidth) k--;
      lines.push(chars.slice(0, k).join(''));
      rest = chars.slice(k).join('');
    }
    line = rest;
  }
  if (line !== '' || lines.length === 0) lines.push(line);
  return lines;
}

/** An axis-aligned box in SVG coordinates. */
export interface Box {
  readonly x: number;
  readonly y: number;
  readonly width: number;
  readonly height: number;
}

/** True when two boxes overlap (touching edges do not count). */
export function boxesOverlap(a: Box, b: Box): boolean {
  return a.x < b.x + b.width && b.x < a.x + a.width && a.y < b.y + b.height && b.y < a.y + a.height;
}

/** One legend entry: a line sample (stroke colour, optional dash pattern) and its label. */
export interface LegendItem {
  readonly label: string;
  /** Appended to the label after a space and never split across lines (e.g. `'(AUC = 0.812)'`). */
  readonly keep?: string;
  readonly color: string;
  readonly dash?: string;
  readonly strokeWidth?: number;
}

/**
 * Lays out a legend inside `area`, anchored at one of its corners: labels are measured and wrapped
 * so that the box never exceeds the area's width, and a white, slightly transparent background keeps
 * it readable over the data. Returns the SVG elements (a `<g class="legend">`) and the box.
 */
export function legend(items: readonly LegendItem[], area: Box, corner: 'top-left' | 'top-right' | 'bottom-right', fontSize = 12): { svg: string[]; box: Box } {
  const pad = 6;
  const sample = 22;
  const gap = 6;
  const lineH = fontSize + 4;
  const maxText = Math.max(fontSize * 3, area.width - 2 * pad - sample - gap);
  const rows = items.map((it) => ({ it, lines: wrapText(it.label, maxText, fontSize, it.keep) }));
  const textW = Math.max(...rows.flatMap((r) => r.lines.map((l) => textWidth(l, fontSize))));
  const width = Math.min(area.width, 2 * pad + sample + gap + textW);
  const height = 2 * pad + rows.reduce((a, r) => a + r.lines.length * lineH, 0) + (rows.length - 1) * 2;
  const x = corner === 'top-left' ? area.x : area.x + area.width - width;
  const y = corner === 'bottom-right' ? area.y + area.height - height : area.y;
  const svg: string[] = [
    '<g class="legend">',
    `<rect class="legend-box" x="${fmt(x)}" y="${fmt(y)}" width="${fmt(width)}" height="${fmt(height)}" fill="#ffffff" fill-opacity="0.85" stroke="#e5e7eb" rx="3"/>`,
  ];
  let cy = y + pad;
  for (const { it, lines } of rows) {
    const mid = cy + lineH / 2;
    svg.push(`<line x1="${fmt(x + pad)}" x2="${fmt(x + pad + sample)}" y1="${fmt(mid)}" y2="${fmt(mid)}" stroke="${it.color}" stroke-width="${it.strokeWidth ?? 2}"${it.dash === undefined ? '' : ` stroke-dasharray="${it.dash}"`}/>`);
    lines.forEach((l, k) => svg.push(text(x + pad + sample + gap, mid + fontSize * 0.35 + k * lineH, l, 'fill="#111827"')));
    cy += lines.length * lineH + 2;
  }
  svg.push('</g>');
  return { svg, box: { x, y, width, height } };
}

/**
 * Left margin for a column of right-aligned row labels (feature names): wide enough for the widest
 * label plus `pad`, at most `maxWidth`; labels that do not fit are shortened with an ellipsis.
 */
export function rowLabels(labels: readonly string[], maxWidth: number, pad = 16, fontSize = 12): { margin: number; shown: string[] } {
  const widest = Math.max(0, ...labels.map((l) => textWidth(l, fontSize)));
  const margin = Math.min(maxWidth, Math.ceil(widest + pad));
  return { margin, shown: labels.map((l) => truncateText(l, margin - pad, fontSize)) };
}

/** Right-aligned row label at (x, y); a shortened label carries the full text in a `<title>` tooltip. */
export function rowLabel(x: number, y: number, full: string, shown: string, attrs: string): string {
  const el = text(x, y, shown, `text-anchor="end" ${attrs}`);
  return shown === full ? el : el.replace('</text>', `<title>${escapeXml(full)}</title></text>`);
}
