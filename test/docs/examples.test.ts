/**
 * Every TSDoc `@example` in src/ (except src/cli and the private `_internal/` folders) is a self-contained,
 * correct program: each ```ts block is type-checked on its own as a module, strictly, against src/
 * ('finml' → src/index.ts, 'finml/node' → src/node/index.ts, 'finml/<area>' → src/<area>/index.ts).
 * The cheap ones (pure functions: core, data, metrics, report, explain helpers) are also run, and
 * each `expr; //=> value` line is asserted (numbers compared to 1e-9 relative; `0.666…` or `0.666...`
 * means "starts with these digits"; a trailing `(comment)` after the value is ignored).
 */
import { describe, expect, it } from 'vitest';
import ts from 'typescript';
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const SKIP_DIRS = new Set(['cli', '_internal']);
const AREAS = ['core', 'data', 'models', 'gan', 'train', 'search', 'io', 'metrics', 'explain', 'parallel', 'scorecard', 'presets', 'report', 'extend'];

/** Examples under these folders of src/ are run (the rest train networks and are only type-checked). */
const RUN_DIRS = ['src/core/', 'src/data/', 'src/metrics/', 'src/report/', 'src/explain/groupByPrefix', 'src/explain/predictorFromFunction', 'src/explain/reasonCodes'];

interface Example {
  /** `src/<file>.ts:<line of the opening fence>` */
  readonly where: string;
  readonly code: string;
}

function sourceFiles(dir: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir).sort()) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) {
      if (!SKIP_DIRS.has(name)) out.push(...sourceFiles(p));
    } else if (name.endsWith('.ts')) out.push(p);
  }
  return out;
}

/** The ```ts blocks that follow an `@example` tag in the TSDoc comments of `file`. */
function examplesOf(file: string): Example[] {
  const text = readFileSync(file, 'utf8');
  const out: Example[] = [];
  for (const m of text.matchAll(/\/\*\*[\s\S]*?\*\//g)) {
    const startLine = text.slice(0, m.index).split('\n').length;
    const lines = m[0].split('\n').map((l) => l.replace(/^\s*\/?\*+\/?\s?/, '').replace(/\s*\*\/$/, ''));
    let inExample = false;
    for (let i = 0; i < lines.length; i++) {
      const l = lines[i] as string;
      if (/^@example\b/.test(l)) inExample = true;
      else if (/^@\w+/.test(l)) inExample = false;
      else if (inExample && /^```(ts|typescript)\s*$/.test(l.trim())) {
        const body: string[] = [];
        let j = i + 1;
        while (j < lines.length && !/^```\s*$/.test((lines[j] as string).trim())) body.push(lines[j++] as string);
        out.push({ where: `${relative(root, file)}:${startLine + i}`, code: body.join('\n') });
        i = j;
      }
    }
  }
  return out;
}

const examples = sourceFiles(join(root, 'src')).flatMap(examplesOf);

describe('TSDoc @example blocks', () => {
  it('are found', () => {
    expect(examples.length).toBeGreaterThan(150);
  });

  it('type-check one by one against src (strict)', () => {
    const config = ts.getParsedCommandLineOfConfigFile(join(root, 'tsconfig.json'), {}, {
      ...ts.sys,
      onUnRecoverableConfigFileDiagnostic: (d) => {
        throw new Error(ts.flattenDiagnosticMessageText(d.messageText, '\n'));
      },
    });
    if (config === undefined) throw new Error('cannot read tsconfig.json');
    const paths: Record<string, string[]> = { finml: ['src/index.ts'], 'finml/node': ['src/node/index.ts'] };
    for (const a of AREAS) paths[`finml/${a}`] = [`src/${a}/index.ts`];
    const options: ts.CompilerOptions = { ...config.options, noUnusedLocals: false, noUnusedParameters: false, baseUrl: root, paths };
    const virtual = new Map<string, { ex: Example; source: string }>();
    examples.forEach((ex, k) => virtual.set(join(root, `test/docs/__example_${k}__.ts`), { ex, source: `${ex.code}\nexport {};\n` }));
    const host = ts.createCompilerHost(options);
    const getSourceFile = host.getSourceFile.bind(host);
    host.getSourceFile = (name, lang, onError, create) => {
      const v = virtual.get(resolve(name));
      return v !== undefined ? ts.createSourceFile(name, v.source, lang) : getSourceFile(name, lang, onError, create);
    };
    const fileExists = host.fileExists.bind(host);
    host.fileExists = (name) => virtual.has(resolve(name)) || fileExists(name);
    const program = ts.createProgram([...virtual.keys()], options, host);
    const messages: string[] = [];
    for (const d of ts.getPreEmitDiagnostics(program)) {
      const v = d.file === undefined ? undefined : virtual.get(resolve(d.file.fileName));
      if (d.file !== undefined && v === undefined) continue;
      const line = d.file !== undefined && d.start !== undefined ? d.file.getLineAndCharacterOfPosition(d.start).line : -1;
      const at = v === undefined ? '?' : `${v.ex.where} +${line + 1}: ${v.source.split('\n')[line]?.trim() ?? ''}`;
      messages.push(`${at}\n    ${ts.flattenDiagnosticMessageText(d.messageText, '\n    ')}`);
    }
    expect(messages).toEqual([]);
  });
});

// ---------------------------------------------------------------------------------------------
// Running the cheap examples

/** A number written with a trailing ellipsis: the actual value must start with these digits. */
class Truncated {
  constructor(readonly digits: string) {}
}

/**
 * Parses the text after `//=>` as a JS value: the longest prefix (cut at a space) that is a JS
 * expression, so a trailing remark is ignored; `Float64Array [1, 2]` means an array-like `[1, 2]`.
 */
function expectedValue(raw: string): unknown {
  const s = raw.trim().replace(/\b(?:Float64|Float32|Int32|Uint8)Array\s*\[/g, '[');
  const src = (t: string): string => t.replace(/(-?\d+\.\d+)(?:…|\.\.\.)/g, '__t("$1")');
  const cuts = [s.length, ...[...s.matchAll(/\s+/g)].map((m) => m.index).reverse()];
  for (const cut of cuts) {
    const head = s.slice(0, cut).trim();
    if (head === '') continue;
    try {
      return new Function('__t', `"use strict"; return (${src(head)});`)((d: string) => new Truncated(d));
    } catch {
      // try a shorter prefix
    }
  }
  throw new Error(`cannot read the expected value '//=> ${raw.trim()}'`);
}

/** Compares actual with expected (numbers to 1e-9 relative, NaN equals NaN, typed arrays as arrays). */
function matches(actual: unknown, expected: unknown): boolean {
  if (expected instanceof Truncated) {
    if (typeof actual !== 'number') return false;
    const d = expected.digits.split('.')[1]?.length ?? 0;
    return Math.abs(actual - Number(expected.digits)) < 10 ** -d;
  }
  if (typeof expected === 'number') {
    if (typeof actual !== 'number') return false;
    if (Number.isNaN(expected)) return Number.isNaN(actual);
    if (!Number.isFinite(expected)) return actual === expected;
    return Math.abs(actual - expected) <= 1e-9 * Math.max(1, Math.abs(expected));
  }
  if (Array.isArray(expected)) {
    const a = ArrayBuffer.isView(actual) ? Array.from(actual as unknown as ArrayLike<unknown>) : actual;
    return Array.isArray(a) && a.length === expected.length && expected.every((e, i) => matches(a[i], e));
  }
  if (typeof expected === 'object' && expected !== null) {
    if (typeof actual !== 'object' || actual === null) return false;
    const ek = Object.keys(expected);
    const ak = Object.keys(actual).filter((k) => (actual as Record<string, unknown>)[k] !== undefined);
    return ek.length === ak.length && ek.every((k) => matches((actual as Record<string, unknown>)[k], (expected as Record<string, unknown>)[k]));
  }
  return Object.is(actual, expected);
}

const AsyncFunction = Object.getPrototypeOf(async () => {}).constructor as new (...args: string[]) => (...a: unknown[]) => Promise<void>;

/** Turns an example into the body of an async function: imports become destructurings, `//=>` lines checks. */
function runnable(code: string): { js: string; expected: unknown[] } {
  const expected: unknown[] = [];
  let body = code.replace(/^import\s*(type\s*)?\{([^}]*)\}\s*from\s*'([^']+)';?/gm, (_all, typeOnly: string | undefined, names: string, mod: string) => {
    if (typeOnly !== undefined) return '';
    const values = names
      .split(',')
      .map((n) => n.trim())
      .filter((n) => n !== '' && !n.startsWith('type '))
      .map((n) => n.replace(/\s+as\s+/, ': '));
    return `const { ${values.join(', ')} } = __modules[${JSON.stringify(mod)}];`;
  });
  body = body.replace(/^import\s*\*\s*as\s*(\w+)\s*from\s*'([^']+)';?/gm, (_all, name: string, mod: string) => `const ${name} = __modules[${JSON.stringify(mod)}];`);
  const lines = body.split('\n');
  const check = (stmt: string, value: string): string => {
    const k = expected.length;
    expected.push(expectedValue(value));
    if (/console\.log\(/.test(stmt)) return stmt.replace(/console\.log\(/, `__check(${k}, `);
    const decl = /^(?:const|let)\s+(\w+)\s*(?::[^=]+)?=/.exec(stmt);
    if (decl !== null) return `${stmt}; __check(${k}, ${decl[1]});`;
    return `__check(${k}, (${stmt}));`;
  };
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i] as string;
    const own = /^\s*\/\/=>(.*)$/.exec(line);
    if (own !== null) {
      // `//=> value` on its own line refers to the statement on the line above
      const prev = /^(\s*)(.*?);\s*$/.exec(lines[i - 1] ?? '');
      if (prev === null) throw new Error(`'//=>' line without a one-line statement above it: ${line.trim()}`);
      lines[i - 1] = `${prev[1]}${check(prev[2] as string, own[1] as string)}`;
      lines[i] = '';
      continue;
    }
    const m = /^(\s*)(.*?);?\s*\/\/=>(.*)$/.exec(line);
    if (m !== null) {
      lines[i] = `${m[1]}${check(m[2] as string, m[3] as string)}`;
      continue;
    }
    const t = /^(\s*)(.*?);\s*\/\/ throws (\w+)/.exec(line);
    if (t !== null) lines[i] = `${t[1]}__throws(() => (${t[2]}), ${JSON.stringify(t[3])});`;
  }
  body = lines.join('\n');
  const js = ts.transpileModule(body, { compilerOptions: { target: ts.ScriptTarget.ES2022, module: ts.ModuleKind.ESNext, verbatimModuleSyntax: false } }).outputText;
  return { js: js.replace(/^export \{\};?\s*$/m, ''), expected };
}

const toRun = examples.filter((ex) => RUN_DIRS.some((d) => ex.where.startsWith(d)));

describe('runnable TSDoc @examples', async () => {
  const modules: Record<string, unknown> = {
    finml: await import('../../src/index'),
    'finml/node': await import('../../src/node/index'),
    '@tensorflow/tfjs-core': tf,
    '@tensorflow/tfjs-layers': tfl,
    'node:fs': await import('node:fs'),
    'apache-arrow': await import('apache-arrow'),
  };
  for (const a of AREAS) modules[`finml/${a}`] = await import(`../../src/${a}/index.ts`);

  it('covers the pure areas', () => {
    expect(toRun.length).toBeGreaterThan(60);
  });

  it.each(toRun.map((ex) => [ex.where, ex] as const))('%s', async (_where, ex) => {
    const { js, expected } = runnable(ex.code);
    const results: { k: number; actual: unknown }[] = [];
    const silent = { log: () => {}, info: () => {}, warn: () => {}, error: () => {}, table: () => {} };
    const before = tf.memory().numTensors;
    const throws = (f: () => unknown, name: string): void => {
      try {
        f();
      } catch (e) {
        expect(e instanceof Error ? e.name : e, `${ex.where}: '// throws ${name}'`).toBe(name);
        return;
      }
      throw new Error(`${ex.where}: expected the statement to throw ${name}`);
    };
    await new AsyncFunction('__modules', '__check', '__throws', 'console', js)(modules, (k: number, actual: unknown) => results.push({ k, actual }), throws, silent);
    expect(results.map((r) => r.k), 'every //=> line was reached').toEqual(expected.map((_, k) => k));
    for (const r of results) {
      expect(matches(r.actual, expected[r.k]), `${ex.where}: got ${JSON.stringify(r.actual, (_k, v: unknown) => (ArrayBuffer.isView(v) ? Array.from(v as unknown as ArrayLike<number>) : v))}, expected ${String(JSON.stringify(expected[r.k]))}`).toBe(true);
    }
    expect(tf.memory().numTensors - before, 'tensors left behind (dispose them in the example)').toBe(0);
  });
});
