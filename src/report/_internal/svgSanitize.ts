/**
 * Whitelist SVG sanitizer of the HTML report: parses an SVG string as strict XML (no comments,
 * CDATA, processing instructions or DTDs; only the five XML entities and numeric character
 * references), accepts only the elements and attributes finml's plots use (with attribute values
 * checked by kind: numbers, colours, transforms, plain text), and re-serializes the parsed tree
 * with every text and attribute value escaped. The result is script-free by construction: no
 * element or attribute outside the whitelist can reach the output, whatever the input text.
 *
 * @module
 * @internal
 */
import { DataError } from '../../core/errors';
import { escapeXml } from './svg';

/** Elements a finml plot may contain (SVG namespace, no scripting, no links, no external references). */
const ELEMENTS = new Set(['svg', 'g', 'title', 'desc', 'rect', 'line', 'polyline', 'polygon', 'path', 'circle', 'ellipse', 'text', 'tspan']);
/** Elements whose children may be text. */
const TEXT_ELEMENTS = new Set(['title', 'desc', 'text', 'tspan']);

type AttrKind = 'number' | 'numbers' | 'length' | 'paint' | 'text' | 'token' | 'transform' | 'path' | 'xmlns';

const NUMBER = '[-+]?(?:\\d+\\.?\\d*|\\.\\d+)(?:[eE][-+]?\\d+)?';
const RE: Record<AttrKind, RegExp> = {
  number: new RegExp(`^\\s*${NUMBER}\\s*$`),
  numbers: new RegExp(`^\\s*(?:${NUMBER}(?:\\s*,\\s*|\\s+)?)*\\s*$`),
  length: new RegExp(`^\\s*${NUMBER}(?:px|%|em)?\\s*$`),
  // colours and 'none' only: no url(...) paint servers, so no external or internal references
  paint: /^\s*(?:none|currentColor|#[0-9a-fA-F]{3,8}|[a-zA-Z]{1,30}|rgba?\(\s*[\d.\s,%]+\))\s*$/,
  // free text (shown or used as an identifier, never a URL or code): any characters are escaped on output
  text: /^[^]*$/,
  token: /^[A-Za-z0-9][A-Za-z0-9-]*$/,
  transform: new RegExp(`^\\s*(?:(?:translate|rotate|scale|matrix|skewX|skewY)\\s*\\(\\s*(?:${NUMBER}(?:\\s*,\\s*|\\s+)?)*\\)\\s*)*$`),
  path: /^[MmLlHhVvCcSsQqTtAaZz\d\s.,eE+-]*$/,
  xmlns: /^http:\/\/www\.w3\.org\/2000\/svg$/,
};

/** Attributes a finml plot may carry, by value kind; `data-*` attributes are free text. */
const ATTRIBUTES: Readonly<Record<string, AttrKind>> = {
  xmlns: 'xmlns',
  class: 'text',
  role: 'token',
  'aria-label': 'text',
  viewBox: 'numbers',
  width: 'length',
  height: 'length',
  x: 'length',
  y: 'length',
  x1: 'length',
  y1: 'length',
  x2: 'length',
  y2: 'length',
  cx: 'length',
  cy: 'length',
  r: 'length',
  rx: 'length',
  ry: 'length',
  dx: 'length',
  dy: 'length',
  points: 'numbers',
  d: 'path',
  transform: 'transform',
  fill: 'paint',
  stroke: 'paint',
  'fill-opacity': 'number',
  'stroke-opacity': 'number',
  opacity: 'number',
  'stroke-width': 'length',
  'stroke-dasharray': 'numbers',
  'stroke-linecap': 'token',
  'stroke-linejoin': 'token',
  'font-family': 'text',
  'font-size': 'length',
  'font-weight': 'token',
  'font-style': 'token',
  'text-anchor': 'token',
  'dominant-baseline': 'token',
};

function attributeKind(name: string): AttrKind | undefined {
  if (Object.prototype.hasOwnProperty.call(ATTRIBUTES, name)) return ATTRIBUTES[name];
  return /^data-[a-z0-9][a-z0-9-]*$/.test(name) ? 'text' : undefined;
}

interface SvgNode {
  readonly name: string;
  readonly attrs: [string, string][];
  readonly children: (SvgNode | string)[];
}

const NAME = /[A-Za-z_][A-Za-z0-9_.:-]*/y;

/** Decodes the five XML entities and numeric character references; anything else is an error. */
function decodeEntities(s: string, fail: (what: string) => never): string {
  return s.replace(/&([^;&\s]{0,12});?/g, (m, body: string) => {
    if (!m.endsWith(';')) fail(`an unterminated entity reference ${JSON.stringify(m)}`);
    switch (body) {
      case 'amp':
        return '&';
      case 'lt':
        return '<';
      case 'gt':
        return '>';
      case 'quot':
        return '"';
      case 'apos':
        return "'";
    }
    const n = /^#x([0-9a-fA-F]{1,6})$/.exec(body) ?? /^#(\d{1,7})$/.exec(body);
    if (n === null) return fail(`an unknown entity reference ${JSON.stringify(m)}`);
    const code = body.startsWith('#x') ? parseInt(n[1] as string, 16) : parseInt(n[1] as string, 10);
    if (code === 0 || code > 0x10ffff || (code >= 0xd800 && code <= 0xdfff)) fail(`an invalid character reference ${JSON.stringify(m)}`);
    return String.fromCodePoint(code);
  });
}

function parse(svg: string, fail: (what: string) => never): SvgNode {
  let i = 0;
  const n = svg.length;
  const skipWs = (): void => {
    while (i < n && /\s/.test(svg[i] as string)) i++;
  };
  const readName = (): string => {
    NAME.lastIndex = i;
    const m = NAME.exec(svg);
    if (m === null) return fail(`a malformed tag at offset ${i}`);
    i += m[0].length;
    return m[0];
  };
  const stack: SvgNode[] = [];
  let root: SvgNode | null = null;
  skipWs();
  while (i < n) {
    const lt = svg.indexOf('<', i);
    const textEnd = lt === -1 ? n : lt;
    if (textEnd > i) {
      const raw = svg.slice(i, textEnd);
      const top = stack[stack.length - 1];
      if (top === undefined) {
        if (raw.trim() !== '') fail('text outside the <svg> element');
      } else {
        const t = decodeEntities(raw, fail);
        if (t.trim() !== '') {
          if (!TEXT_ELEMENTS.has(top.name)) fail(`text directly inside <${top.name}>`);
          top.children.push(t);
        } else if (TEXT_ELEMENTS.has(top.name)) top.children.push(t);
      }
      i = textEnd;
      continue;
    }
    // at '<'
    const next = svg[i + 1];
    if (next === '!' || next === '?') fail(`a comment, CDATA section, DOCTYPE or processing instruction at offset ${i}`);
    if (next === '/') {
      i += 2;
      const name = readName();
      skipWs();
      if (svg[i] !== '>') fail(`a malformed end tag </${name}`);
      i++;
      const top = stack.pop();
      if (top === undefined || top.name !== name) fail(`an end tag </${name}> that closes nothing open`);
      continue;
    }
    i++;
    const name = readName();
    if (!ELEMENTS.has(name)) fail(`the element <${name}> (allowed: ${[...ELEMENTS].join(', ')})`);
    if (stack.length === 0 && root !== null) fail('content after the closing </svg>');
    if (stack.length === 0 && name !== 'svg') fail(`a root element <${name}> instead of <svg>`);
    const node: SvgNode = { name, attrs: [], children: [] };
    const seen = new Set<string>();
    for (;;) {
      const before = i;
      skipWs();
      if (svg.startsWith('/>', i)) {
        i += 2;
        (stack[stack.length - 1]?.children ?? []).push(node);
        if (stack.length === 0) root = node;
        break;
      }
      if (svg[i] === '>') {
        i++;
        (stack[stack.length - 1]?.children ?? []).push(node);
        if (stack.length === 0) root = node;
        stack.push(node);
        break;
      }
      if (i >= n) fail(`an unterminated tag <${name}`);
      if (i === before) fail(`attributes of <${name}> not separated by white space`);
      const attr = readName();
      skipWs();
      if (svg[i] !== '=') fail(`an attribute ${attr} of <${name}> without a quoted value`);
      i++;
      skipWs();
      const q = svg[i];
      if (q !== '"' && q !== "'") fail(`an attribute ${attr} of <${name}> without a quoted value`);
      const end = svg.indexOf(q, i + 1);
      if (end === -1) fail(`an unterminated attribute value of ${attr} in <${name}>`);
      const rawValue = svg.slice(i + 1, end);
      if (rawValue.includes('<')) fail(`a '<' in the value of ${attr} in <${name}>`);
      i = end + 1;
      const kind = attributeKind(attr);
      if (kind === undefined) fail(`the attribute ${attr} on <${name}> (not one the plots use)`);
      if (seen.has(attr)) fail(`a repeated attribute ${attr} on <${name}>`);
      seen.add(attr);
      const value = decodeEntities(rawValue, fail);
      if (!RE[kind].test(value)) fail(`the value ${JSON.stringify(value.slice(0, 80))} of ${attr} on <${name}> (expected ${kind === 'paint' ? 'a colour or none' : `a ${kind}`})`);
      node.attrs.push([attr, value]);
    }
  }
  if (stack.length > 0) fail(`an unclosed <${(stack[stack.length - 1] as SvgNode).name}>`);
  if (root === null) fail('no <svg> element');
  return root;
}

function serialize(node: SvgNode, out: string[]): void {
  out.push(`<${node.name}`);
  for (const [k, v] of node.attrs) out.push(` ${k}="${escapeXml(v)}"`);
  if (node.children.length === 0) {
    out.push('/>');
    return;
  }
  out.push('>');
  for (const c of node.children) {
    if (typeof c === 'string') out.push(escapeXml(c));
    else serialize(c, out);
  }
  out.push(`</${node.name}>`);
}

/**
 * Parses `svg` against the whitelist and returns it re-serialized (every text and attribute value
 * escaped). The root gets `xmlns` if it lacks one.
 *
 * @throws {DataError} anything outside the whitelist or malformed XML, naming what was found.
 */
export function sanitizeSvg(svg: string, fn: string, arg: string): string {
  const fail = (what: string): never => {
    throw new DataError({ fn, arg, expected: "a standalone SVG '<svg ...>...</svg>' made only of the elements and attributes finml's plots use (e.g. from rocCurvePlot)", got: `an SVG with ${what}` });
  };
  const root = parse(svg, fail);
  if (!root.attrs.some(([k]) => k === 'xmlns')) root.attrs.unshift(['xmlns', 'http://www.w3.org/2000/svg']);
  const out: string[] = [];
  serialize(root, out);
  return out.join('');
}
