/**
 * A small strict XML parser for tests: checks well-formedness (balanced tags, quoted attributes,
 * no duplicate attributes, only the five predefined entities or numeric character references,
 * no raw `<` or `&` in text or attribute values, a single root element) and returns the tree.
 * Used to check the SVG plots and the (XHTML-compatible) HTML report.
 */

/** A parsed element. */
export interface XmlElement {
  readonly name: string;
  readonly attrs: Readonly<Record<string, string>>;
  readonly children: readonly XmlNode[];
}

/** A child node: element or decoded text. */
export type XmlNode = XmlElement | string;

const NAME = /^[A-Za-z_:][-A-Za-z0-9_:.]*/;
const ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };

function decode(s: string, where: string): string {
  return s.replace(/&([^;&\s]*);?/g, (m, body: string) => {
    if (!m.endsWith(';')) throw new Error(`bare '&' in ${where}: ${JSON.stringify(s.slice(0, 80))}`);
    if (body in ENTITIES) return ENTITIES[body] as string;
    const num = /^#(\d+)$/.exec(body) ?? /^#x([0-9a-fA-F]+)$/.exec(body);
    if (num !== null) return String.fromCodePoint(parseInt(num[1] as string, body.startsWith('#x') ? 16 : 10));
    throw new Error(`unknown entity &${body}; in ${where}`);
  });
}

/** Parses `src` (optionally preceded by an XML declaration, comments and a DOCTYPE). Throws on malformed input. */
export function parseXml(src: string): XmlElement {
  let i = 0;
  const fail = (msg: string): never => {
    const line = src.slice(0, i).split('\n').length;
    throw new Error(`XML error at line ${line}: ${msg}`);
  };
  const skipMisc = (): void => {
    for (;;) {
      while (i < src.length && /\s/.test(src[i] as string)) i++;
      if (src.startsWith('<?', i)) {
        const e = src.indexOf('?>', i);
        if (e < 0) fail('unterminated processing instruction');
        i = e + 2;
      } else if (src.startsWith('<!--', i)) {
        const e = src.indexOf('-->', i);
        if (e < 0) fail('unterminated comment');
        i = e + 3;
      } else if (/^<!DOCTYPE/i.test(src.slice(i, i + 9))) {
        const e = src.indexOf('>', i);
        if (e < 0) fail('unterminated DOCTYPE');
        i = e + 1;
      } else return;
    }
  };
  const parseElement = (): XmlElement => {
    if (src[i] !== '<') fail(`expected '<', got ${JSON.stringify(src.slice(i, i + 20))}`);
    i++;
    const nm = NAME.exec(src.slice(i));
    if (nm === null) return fail('bad element name');
    const name = nm[0];
    i += name.length;
    const attrs: Record<string, string> = {};
    for (;;) {
      const ws = /^\s*/.exec(src.slice(i))?.[0].length ?? 0;
      i += ws;
      if (src.startsWith('/>', i)) {
        i += 2;
        return { name, attrs, children: [] };
      }
      if (src[i] === '>') {
        i++;
        break;
      }
      if (ws === 0) fail(`expected whitespace before attribute in <${name}>`);
      const an = NAME.exec(src.slice(i));
      if (an === null) return fail(`bad attribute name in <${name}>: ${JSON.stringify(src.slice(i, i + 20))}`);
      i += an[0].length;
      if (src[i] !== '=') fail(`attribute ${an[0]} of <${name}> has no value`);
      i++;
      const q = src[i];
      if (q !== '"' && q !== "'") fail(`unquoted attribute ${an[0]} of <${name}>`);
      const end = src.indexOf(q as string, i + 1);
      if (end < 0) fail('unterminated attribute value');
      const raw = src.slice(i + 1, end);
      if (raw.includes('<')) fail(`'<' in attribute ${an[0]} of <${name}>`);
      if (an[0] in attrs) fail(`duplicate attribute ${an[0]} in <${name}>`);
      attrs[an[0]] = decode(raw, `attribute ${an[0]} of <${name}>`);
      i = end + 1;
    }
    const children: XmlNode[] = [];
    for (;;) {
      if (i >= src.length) fail(`unclosed <${name}>`);
      if (src.startsWith('</', i)) {
        const e = src.indexOf('>', i);
        const close = src.slice(i + 2, e).trim();
        if (close !== name) fail(`</${close}> closes <${name}>`);
        i = e + 1;
        return { name, attrs, children };
      }
      if (src.startsWith('<!--', i)) {
        const e = src.indexOf('-->', i);
        if (e < 0) fail('unterminated comment');
        i = e + 3;
      } else if (src.startsWith('<![CDATA[', i)) {
        const e = src.indexOf(']]>', i);
        if (e < 0) fail('unterminated CDATA');
        children.push(src.slice(i + 9, e));
        i = e + 3;
      } else if (src[i] === '<') {
        children.push(parseElement());
      } else {
        const e = src.indexOf('<', i);
        const raw = src.slice(i, e < 0 ? src.length : e);
        children.push(decode(raw, `text of <${name}>`));
        i += raw.length;
      }
    }
  };
  skipMisc();
  const root = parseElement();
  skipMisc();
  if (i < src.length) fail(`content after the root element: ${JSON.stringify(src.slice(i, i + 40))}`);
  return root;
}

/** All descendant elements (depth first) named `name` (or all when undefined). */
export function findAll(el: XmlElement, name?: string): XmlElement[] {
  const out: XmlElement[] = [];
  const walk = (e: XmlElement): void => {
    for (const c of e.children) {
      if (typeof c === 'string') continue;
      if (name === undefined || c.name === name) out.push(c);
      walk(c);
    }
  };
  walk(el);
  return out;
}

/** Concatenated text content of an element. */
export function textOf(el: XmlElement): string {
  return el.children.map((c) => (typeof c === 'string' ? c : textOf(c))).join('');
}

/** Parses a polyline/polygon `points` attribute. */
export function parsePoints(s: string): [number, number][] {
  return s
    .trim()
    .split(/\s+/)
    .filter((p) => p.length > 0)
    .map((p) => {
      const [a, b] = p.split(',').map(Number);
      return [a as number, b as number];
    });
}

/** The viewBox of an SVG root as [minX, minY, width, height]. */
export function viewBox(svg: XmlElement): [number, number, number, number] {
  const v = (svg.attrs.viewBox ?? '').split(/[\s,]+/).map(Number);
  if (v.length !== 4 || v.some((x) => !Number.isFinite(x))) throw new Error(`bad viewBox ${svg.attrs.viewBox}`);
  return v as [number, number, number, number];
}

/**
 * Every coordinate in the SVG (x, y, x1..y2, cx, cy, width/height extents, polyline points)
 * as numbers, for "inside the viewBox" checks. Elements inside a transformed group are skipped.
 */
export function allCoordinates(svg: XmlElement): { x: number[]; y: number[] } {
  const xs: number[] = [];
  const ys: number[] = [];
  const walk = (e: XmlElement, transformed: boolean): void => {
    const t = transformed || e.attrs.transform !== undefined;
    if (!t) {
      const num = (k: string): number | undefined => (e.attrs[k] === undefined ? undefined : Number(e.attrs[k]));
      for (const k of ['x', 'x1', 'x2', 'cx']) if (num(k) !== undefined) xs.push(num(k) as number);
      for (const k of ['y', 'y1', 'y2', 'cy']) if (num(k) !== undefined) ys.push(num(k) as number);
      if (e.name === 'rect') {
        xs.push((num('x') ?? 0) + (num('width') ?? 0));
        ys.push((num('y') ?? 0) + (num('height') ?? 0));
      }
      if (e.attrs.points !== undefined) {
        for (const [a, b] of parsePoints(e.attrs.points)) {
          xs.push(a);
          ys.push(b);
        }
      }
    }
    for (const c of e.children) if (typeof c !== 'string') walk(c, t);
  };
  walk(svg, false);
  return { x: xs, y: ys };
}

/** Asserts-style helper: throws unless every coordinate lies in the viewBox. */
export function checkInsideViewBox(svg: XmlElement): void {
  const [mx, my, w, h] = viewBox(svg);
  const { x, y } = allCoordinates(svg);
  for (const v of x) if (!(Number.isFinite(v) && v >= mx && v <= mx + w)) throw new Error(`x coordinate ${v} outside viewBox [${mx}, ${mx + w}]`);
  for (const v of y) if (!(Number.isFinite(v) && v >= my && v <= my + h)) throw new Error(`y coordinate ${v} outside viewBox [${my}, ${my + h}]`);
}
