import { describe, expect, it } from 'vitest';
import { readFileSync, readdirSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as data from '../../src/data/index';
import { DATA_KINDS } from '../../src/data/registry';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..');

/** Relative imports of a source file, resolved to absolute .ts paths. */
function importsOf(file: string): { rel: string[]; bare: string[] } {
  const src = readFileSync(file, 'utf8');
  const specs = [...src.matchAll(/(?:^|\n)\s*(?:import|export)[^'"]*?from\s+'([^']+)'/g)].map((m) => m[1] as string);
  const rel = specs.filter((s) => s.startsWith('.')).map((s) => {
    const p = resolve(dirname(file), s);
    return p.endsWith('.ts') ? p : `${p}.ts`;
  });
  return { rel, bare: specs.filter((s) => !s.startsWith('.')) };
}

describe('src/data barrel', () => {
  it('re-exports every module of src/data and holds only export lines', () => {
    const dir = join(root, 'src/data');
    const index = readFileSync(join(dir, 'index.ts'), 'utf8');
    const files = readdirSync(dir).filter((f) => f.endsWith('.ts') && f !== 'index.ts' && f !== 'registry.ts');
    const missing = files.filter((f) => !index.includes(`'./${f.replace(/\.ts$/, '')}'`));
    expect(missing).toEqual([]);
    // A leading TSDoc block naming the subpath for typedoc (`@module finml/data`) is the only non-export text allowed.
    const body = index.replace(/^\/\*\*[\s\S]*?\*\/\n/, '');
    expect(body.split('\n').filter((l) => l.trim() !== '' && !l.startsWith('export '))).toEqual([]);
  });

  it('is browser-safe: nothing reachable from src/data/index.ts imports node: modules', () => {
    const seen = new Set<string>();
    const stack = [join(root, 'src/data/index.ts')];
    const nodeImports: string[] = [];
    while (stack.length > 0) {
      const f = stack.pop() as string;
      if (seen.has(f)) continue;
      seen.add(f);
      const { rel, bare } = importsOf(f);
      for (const b of bare) if (b.startsWith('node:') || ['fs', 'path', 'os', 'stream'].includes(b)) nodeImports.push(`${f}: ${b}`);
      stack.push(...rel);
    }
    expect(seen.size).toBeGreaterThan(20);
    expect(nodeImports).toEqual([]);
  });

  it('every registered kind restores through the registry and every factory is exported', () => {
    expect(Object.keys(DATA_KINDS).sort()).toEqual(
      ['CategoricalImputer', 'MinMaxScaler', 'OneHotEncoder', 'OrdinalEncoder', 'Pipeline', 'RobustScaler', 'SimpleImputer', 'StandardScaler', 'TabularPipeline'].sort(),
    );
    for (const name of ['parseCsv', 'parseCsvStream', 'fromRecords', 'fromArrow', 'toArrow', 'tabularPipeline', 'pipeline', 'purgedKFold', 'walkForwardSplit', 'slidingWindows', 'logReturns', 'extractTarget', 'dropna']) {
      expect(typeof (data as Record<string, unknown>)[name]).toBe('function');
    }
  });
});
