/**
 * Docs meta-test: barrels are complete and hold only export lines, every export line resolves, and
 * every public export (of `finml` and `finml/node`) carries the TSDoc the API reference needs:
 * a summary and an allowed `@category`; functions and classes also a `@example` and a `@param`
 * for each parameter. (`npm run docs:check` additionally runs typedoc with warnings as errors.)
 */
import { describe, expect, it } from 'vitest';
import ts from 'typescript';
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const src = join(root, 'src');
const ENTRIES = ['src/index.ts', 'src/node/index.ts', 'src/extend/index.ts'];
const CATEGORIES = new Set([
  'Core', 'Backends', 'Errors', 'Data', 'Splits', 'Time series', 'Models', 'Training', 'Search',
  'Metrics', 'Explain', 'Presets', 'Report', 'Node',
]);
/** Folders under src/ that are not public areas. */
const NOT_AREAS = new Set(['_internal', 'cli']);

const config = ts.getParsedCommandLineOfConfigFile(join(root, 'tsconfig.json'), {}, {
  ...ts.sys,
  onUnRecoverableConfigFileDiagnostic: (d) => {
    throw new Error(ts.flattenDiagnosticMessageText(d.messageText, '\n'));
  },
});
if (config === undefined) throw new Error('cannot read tsconfig.json');

function areaBarrels(): string[] {
  const out: string[] = [];
  const walk = (dir: string): void => {
    for (const name of readdirSync(dir)) {
      const p = join(dir, name);
      if (!statSync(p).isDirectory() || NOT_AREAS.has(name)) continue;
      out.push(join(p, 'index.ts'));
      walk(p);
    }
  };
  walk(src);
  return out.sort();
}

const barrels = areaBarrels();
const program = ts.createProgram([...ENTRIES.map((e) => join(root, e)), ...barrels], config.options);
const checker = program.getTypeChecker();

function moduleSymbol(file: string): ts.Symbol {
  const sf = program.getSourceFile(file);
  if (sf === undefined) throw new Error(`${file} is not in the program`);
  const sym = checker.getSymbolAtLocation(sf);
  if (sym === undefined) throw new Error(`${file} is not a module`);
  return sym;
}

function resolveAlias(sym: ts.Symbol): ts.Symbol {
  return sym.flags & ts.SymbolFlags.Alias ? checker.getAliasedSymbol(sym) : sym;
}

const rel = (f: string): string => relative(root, f);

describe('barrels', () => {
  it('every public area has a barrel', () => {
    expect(barrels.map(rel)).toEqual(expect.arrayContaining(['src/core/index.ts', 'src/data/index.ts', 'src/metrics/index.ts', 'src/node/index.ts']));
    for (const b of barrels) expect(() => statSync(b), rel(b)).not.toThrow();
  });

  it('barrels hold only export lines', () => {
    const bad: string[] = [];
    for (const b of barrels) {
      const sf = program.getSourceFile(b);
      if (sf === undefined) throw new Error(`${rel(b)} missing from the program`);
      for (const st of sf.statements) {
        if (!ts.isExportDeclaration(st)) bad.push(`${rel(b)}: ${st.getText(sf).split('\n')[0]}`);
      }
    }
    expect(bad).toEqual([]);
  });

  it('every module of an area is re-exported from its barrel or from finml/extend (registries excepted)', () => {
    const missing: string[] = [];
    const extendText = readFileSync(join(src, 'extend/index.ts'), 'utf8');
    for (const b of barrels) {
      const dir = dirname(b);
      const area = relative(src, dir);
      const text = readFileSync(b, 'utf8') + extendText.replaceAll(`'../${area}/`, "'./");
      for (const name of readdirSync(dir)) {
        const p = join(dir, name);
        const isDir = statSync(p).isDirectory();
        if (isDir ? NOT_AREAS.has(name) : !name.endsWith('.ts') || name === 'index.ts' || name === 'registry.ts') continue;
        const spec = isDir ? `'./${name}/index'` : `'./${name.replace(/\.ts$/, '')}'`;
        if (!text.includes(spec)) missing.push(`${rel(b)} lacks ${spec}`);
      }
    }
    expect(missing).toEqual([]);
  });

  it('src/index.ts re-exports every area barrel except node and extend', () => {
    const text = readFileSync(join(src, 'index.ts'), 'utf8');
    const areas = barrels.map((b) => relative(src, dirname(b))).filter((a) => !a.includes('/') && a !== 'node' && a !== 'extend');
    expect(areas.filter((a) => !text.includes(`export * from './${a}/index'`))).toEqual([]);
  });

  it('every export line of every barrel resolves to a declaration', () => {
    const unresolved: string[] = [];
    for (const b of [...barrels, ...ENTRIES.map((e) => join(root, e))]) {
      const exports = checker.getExportsOfModule(moduleSymbol(b));
      expect(exports.length, rel(b)).toBeGreaterThan(0);
      for (const sym of exports) {
        const target = resolveAlias(sym);
        if ((target.declarations ?? []).length === 0) unresolved.push(`${rel(b)}: ${sym.name}`);
      }
    }
    expect(unresolved).toEqual([]);
  });

  it('every public export of an area module is reachable from finml or finml/node', () => {
    const publicDecls = new Set<ts.Declaration>();
    for (const e of ENTRIES) {
      for (const sym of checker.getExportsOfModule(moduleSymbol(join(root, e)))) {
        for (const d of resolveAlias(sym).declarations ?? []) publicDecls.add(d);
      }
    }
    const unreachable: string[] = [];
    for (const b of barrels) {
      for (const sym of checker.getExportsOfModule(moduleSymbol(b))) {
        const decls = resolveAlias(sym).declarations ?? [];
        if (!decls.some((d) => publicDecls.has(d))) unreachable.push(`${rel(b)}: ${sym.name}`);
      }
    }
    expect(unreachable).toEqual([]);
  });

  it('finml/extend and finml share no name (extend is not part of the root entry)', () => {
    const rootNames = new Set(checker.getExportsOfModule(moduleSymbol(join(src, 'index.ts'))).map((x) => x.name));
    const extendNames = checker.getExportsOfModule(moduleSymbol(join(src, 'extend/index.ts'))).map((x) => x.name);
    expect(extendNames.length).toBeGreaterThan(10);
    expect(extendNames.filter((n) => rootNames.has(n))).toEqual([]);
  });

  // The API rule (docs/CONTRIBUTING.md, "Public API"): a module outside `_internal/` exports either
  // public API (its area barrel or finml/extend re-exports it) or a helper for its area's siblings
  // tagged `@internal`; nothing tagged `@internal` reaches a barrel.
  it('every export of a public module is in a barrel or tagged @internal, and no barrel exports an @internal name', () => {
    const isInternal = (d: ts.Declaration): boolean => ts.getJSDocTags(d).some((t) => t.tagName.text === 'internal');
    const exported = new Set<ts.Declaration>();
    const leaked: string[] = [];
    for (const b of [...barrels, ...ENTRIES.map((e) => join(root, e))]) {
      for (const sym of checker.getExportsOfModule(moduleSymbol(b))) {
        for (const d of resolveAlias(sym).declarations ?? []) {
          exported.add(d);
          if (isInternal(d)) leaked.push(`${rel(b)}: ${sym.name}`);
        }
      }
    }
    const stray: string[] = [];
    for (const b of barrels) {
      const dir = dirname(b);
      for (const name of readdirSync(dir)) {
        if (!name.endsWith('.ts') || name === 'index.ts' || name === 'registry.ts') continue;
        const file = join(dir, name);
        if (program.getSourceFile(file) === undefined) continue;
        for (const sym of checker.getExportsOfModule(moduleSymbol(file))) {
          const decls = resolveAlias(sym).declarations ?? [];
          if (!decls.some((d) => exported.has(d) || isInternal(d))) stray.push(`${rel(file)}: ${sym.name}`);
        }
      }
    }
    expect(leaked).toEqual([]);
    expect(stray).toEqual([]);
  });
});

interface DocFacts {
  readonly name: string;
  readonly file: string;
  readonly summary: boolean;
  readonly tags: ReadonlyMap<string, readonly string[]>;
  readonly callable: boolean;
  readonly params: readonly string[];
  readonly documentedParams: ReadonlySet<string>;
}

function tagText(tag: ts.JSDocTag): string {
  const c = tag.comment;
  if (c === undefined) return '';
  return (typeof c === 'string' ? c : c.map((p) => p.text).join('')).trim();
}

function docFacts(name: string, sym: ts.Symbol): DocFacts {
  const decls = resolveAlias(sym).declarations ?? [];
  const tags = new Map<string, string[]>();
  let summary = false;
  const params: string[] = [];
  const documentedParams = new Set<string>();
  let callable = false;
  for (const d of decls) {
    for (const j of ts.getJSDocCommentsAndTags(d)) {
      if (ts.isJSDoc(j) && j.comment !== undefined && String(typeof j.comment === 'string' ? j.comment : j.comment.map((p) => p.text).join('')).trim() !== '') summary = true;
    }
    for (const t of ts.getJSDocTags(d)) {
      const list = tags.get(t.tagName.text) ?? [];
      list.push(tagText(t));
      tags.set(t.tagName.text, list);
      if (ts.isJSDocParameterTag(t)) documentedParams.add(t.name.getText());
    }
    if (ts.isFunctionDeclaration(d) || ts.isClassDeclaration(d)) callable = true;
    // Overloads: the parameters of documented signatures must be documented; the implementation signature is not public.
    if (ts.isFunctionDeclaration(d) && (d.body === undefined || decls.length === 1)) {
      for (const p of d.parameters) if (ts.isIdentifier(p.name)) params.push(p.name.text);
    }
  }
  const first = decls[0];
  return { name, file: first === undefined ? '?' : rel(first.getSourceFile().fileName), summary, tags, callable, params, documentedParams };
}

describe('TSDoc on every public export', () => {
  const facts: DocFacts[] = [];
  for (const e of ENTRIES) {
    for (const sym of checker.getExportsOfModule(moduleSymbol(join(root, e)))) facts.push(docFacts(`${e === 'src/index.ts' ? 'finml' : 'finml/node'}.${sym.name}`, sym));
  }

  it('finds the public API', () => {
    expect(facts.length).toBeGreaterThan(300);
  });

  it('has a summary', () => {
    expect(facts.filter((f) => !f.summary).map((f) => `${f.file} ${f.name}`)).toEqual([]);
  });

  it('has exactly one allowed @category', () => {
    const bad = facts.filter((f) => {
      const cats = new Set(f.tags.get('category') ?? []);
      return cats.size !== 1 || ![...cats].every((c) => CATEGORIES.has(c));
    });
    expect(bad.map((f) => `${f.file} ${f.name}: ${JSON.stringify(f.tags.get('category') ?? [])}`)).toEqual([]);
  });

  it('functions and classes have a code @example', () => {
    const bad = facts.filter((f) => f.callable && !(f.tags.get('example') ?? []).some((x) => x.includes('```')));
    expect(bad.map((f) => `${f.file} ${f.name}`)).toEqual([]);
  });

  it('functions document every parameter with @param', () => {
    const bad = facts.filter((f) => f.params.some((p) => !f.documentedParams.has(p)));
    expect(bad.map((f) => `${f.file} ${f.name}: ${f.params.filter((p) => !f.documentedParams.has(p)).join(', ')}`)).toEqual([]);
  });
});
