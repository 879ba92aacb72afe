/**
 * docs/guide.md and README.md must be correct against the real API: their ```ts snippets, read in order as one
 * walkthrough (imports merged, later snippets using earlier variables), are type-checked against
 * src/ with the repository's compiler options ('finml' → src/index.ts, 'finml/node' → src/node/index.ts).
 */
import { describe, expect, it } from 'vitest';
import ts from 'typescript';
import { readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const guide = readFileSync(join(root, 'docs/guide.md'), 'utf8');
const readme = readFileSync(join(root, 'README.md'), 'utf8');

/** The guide's TypeScript snippets, in order. */
function snippets(md: string): string[] {
  return [...md.matchAll(/```ts\n([\s\S]*?)```/g)].map((m) => m[1] as string);
}

/** Merges the snippets into one module: one import statement per module, then the bodies in order. */
function walkthrough(blocks: readonly string[]): string {
  const imports = new Map<string, Set<string>>();
  const bodies: string[] = [];
  for (const block of blocks) {
    // Import statements may span lines: match `import { a, b } from 'm';` across newlines.
    const rest = block.replace(/^import\s*\{([^}]*)\}\s*from\s*'([^']+)';?[ \t]*\n?/gm, (_all, names: string, mod: string) => {
      const set = imports.get(mod) ?? new Set<string>();
      for (const n of names.split(',').map((s) => s.trim()).filter((s) => s !== '')) set.add(n);
      imports.set(mod, set);
      return '';
    });
    bodies.push(rest);
  }
  const head = [...imports].map(([mod, names]) => `import { ${[...names].join(', ')} } from '${mod}';`);
  return `${head.join('\n')}\n${bodies.join('\n')}\nexport {};\n`;
}

function typeCheck(blocks: readonly string[], name: string): string[] {
  const config = ts.getParsedCommandLineOfConfigFile(join(root, 'tsconfig.json'), {}, {
    ...ts.sys,
    onUnRecoverableConfigFileDiagnostic: (d) => {
      throw new Error(ts.flattenDiagnosticMessageText(d.messageText, '\n'));
    },
  });
  if (config === undefined) throw new Error('cannot read tsconfig.json');
  const file = join(root, `test/docs/__${name}__.ts`);
  const source = walkthrough(blocks);
  const options: ts.CompilerOptions = {
    ...config.options,
    noUnusedLocals: false,
    baseUrl: root,
    paths: { finml: ['src/index.ts'], 'finml/node': ['src/node/index.ts'] },
  };
  const host = ts.createCompilerHost(options);
  const getSourceFile = host.getSourceFile.bind(host);
  host.getSourceFile = (name, lang, onError, create) =>
    resolve(name) === file ? ts.createSourceFile(name, source, lang) : getSourceFile(name, lang, onError, create);
  const fileExists = host.fileExists.bind(host);
  host.fileExists = (name) => resolve(name) === file || fileExists(name);
  const program = ts.createProgram([file], options, host);
  const diagnostics = ts.getPreEmitDiagnostics(program).filter((d) => d.file === undefined || resolve(d.file.fileName) === file);
  const lines = source.split('\n');
  const messages = diagnostics.map((d) => {
    const at = d.file !== undefined && d.start !== undefined ? d.file.getLineAndCharacterOfPosition(d.start).line : -1;
    return `${ts.flattenDiagnosticMessageText(d.messageText, '\n')}\n    at: ${at >= 0 ? lines[at]?.trim() : '?'}`;
  });
  return messages;
}

describe('docs/guide.md', () => {
  const blocks = snippets(guide);

  it('has TypeScript snippets for the main workflows', () => {
    expect(blocks.length).toBeGreaterThan(10);
    const text = blocks.join('\n');
    for (const name of ['buildRiskModel', 'riskModelFromJSON', 'forecaster', 'walkForwardEvaluate', 'useBackend', 'kernelShap', 'saveBundle', 'loadBundle', 'tabularPipeline',
      'createTable', 'balancedClassWeights', 'psi', 'streamCsv', 'gridSearch', 'randomSearch', 'bayesSearch',
      'permutationImportance', 'buildModel', 'trainModel', 'transferFrom']) {
      expect(text, name).toContain(name);
    }
  });

  it('type-checks against the library (strict)', () => {
    expect(typeCheck(blocks, 'guide')).toEqual([]);
  });

});

describe('README.md', () => {
  const blocks = snippets(readme);
  it('has the quick-look and backend snippets, and they type-check against the library (strict)', () => {
    expect(blocks.length).toBeGreaterThanOrEqual(2);
    expect(blocks.join('\n')).toContain('buildRiskModel');
    expect(typeCheck(blocks, 'readme')).toEqual([]);
  });
});
