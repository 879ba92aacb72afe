/**
 * The layer rule check (`npm run lint:deps`: dependency-cruiser with .dependency-cruiser.cjs) can fail,
 * and src/ passes it. The failing case is a small fixture tree written to a temporary directory and
 * cruised with the project's own config: an import that goes up a floor (core → data), an import
 * cycle inside one area, an import of a folder missing from the layer list, and a lower layer
 * reaching into a higher area's `_internal/`. Each must be reported under its rule name; the legal
 * imports of the same tree (data → core, data/_internal within data) must not be.
 */
import { describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const depcruise = join(root, 'node_modules/dependency-cruiser/bin/dependency-cruise.mjs');
const config = join(root, '.dependency-cruiser.cjs');

interface Violation {
  readonly from: string;
  readonly to: string;
  readonly rule: { readonly name: string; readonly severity: string };
}
interface CruiseResult {
  readonly summary: { readonly violations: readonly Violation[]; readonly error: number; readonly totalCruised: number };
}

/** Runs the depcruise CLI (as `npm run lint:deps` does) in `cwd`, with JSON output; exit code ignored. */
function cruise(cwd: string, extraArgs: readonly string[] = []): CruiseResult {
  let out: string;
  try {
    out = execFileSync(process.execPath, [depcruise, 'src', '--config', config, '--output-type', 'json', ...extraArgs], {
      cwd,
      encoding: 'utf8',
      maxBuffer: 64 * 1024 * 1024,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
  } catch (e) {
    // depcruise exits non-zero when it finds errors; the report is still on stdout.
    out = String((e as { stdout?: unknown }).stdout ?? '');
    if (out === '') throw e;
  }
  return JSON.parse(out) as CruiseResult;
}

function write(dir: string, file: string, text: string): void {
  const p = join(dir, file);
  mkdirSync(dirname(p), { recursive: true });
  writeFileSync(p, text);
}

describe('dependency rules (.dependency-cruiser.cjs)', () => {
  it('reports an upward import, a cycle, an unknown area and a reach into a higher _internal/', () => {
    const dir = mkdtempSync(join(tmpdir(), 'finml-depcruise-'));
    try {
      write(dir, 'tsconfig.json', JSON.stringify({ compilerOptions: { module: 'ESNext', moduleResolution: 'Bundler', strict: true } }));
      // Legal: data imports core, and its own _internal.
      write(dir, 'src/core/errors.ts', 'export const E = 1;\n');
      write(dir, 'src/data/_internal/helper.ts', "import { E } from '../../core/errors';\nexport const h = E + 1;\n");
      write(dir, 'src/data/table.ts', "import { h } from './_internal/helper';\nexport const t = h;\n");
      // Upward: core (lowest layer) imports data.
      write(dir, 'src/core/matrix.ts', "import { t } from '../data/table';\nexport const m = t;\n");
      // Cycle inside metrics.
      write(dir, 'src/metrics/a.ts', "import { b } from './b';\nexport const a = (): number => b() + 1;\n");
      write(dir, 'src/metrics/b.ts', "import { a } from './a';\nexport const b = (): number => (a.length > 0 ? 0 : 1);\n");
      // A folder that is not in LAYERS.
      write(dir, 'src/misc/thing.ts', 'export const thing = 1;\n');
      write(dir, 'src/data/usesMisc.ts', "import { thing } from '../misc/thing';\nexport const u = thing;\n");
      // metrics (below train) reaches into train's private folder.
      write(dir, 'src/train/_internal/loop.ts', 'export const loop = 1;\n');
      write(dir, 'src/metrics/usesLoop.ts', "import { loop } from '../train/_internal/loop';\nexport const l = loop;\n");

      const result = cruise(dir);
      expect(result.summary.totalCruised).toBeGreaterThanOrEqual(10);
      const found = result.summary.violations.map((v) => `${v.rule.name}: ${v.from} -> ${v.to}`);
      // A cycle is reported once, from whichever of its modules is cruised first.
      const cycles = found.filter((f) => f.startsWith('no-circular: '));
      expect(cycles).toHaveLength(1);
      expect(['no-circular: src/metrics/a.ts -> src/metrics/b.ts', 'no-circular: src/metrics/b.ts -> src/metrics/a.ts']).toContain(cycles[0]);
      // The other three, and nothing else: the legal imports are not reported.
      expect(found.filter((f) => !f.startsWith('no-circular: ')).sort()).toEqual([
        'layer-core-not-above: src/core/matrix.ts -> src/data/table.ts',
        'layer-metrics-not-above: src/metrics/usesLoop.ts -> src/train/_internal/loop.ts',
        'no-unknown-area: src/data/usesMisc.ts -> src/misc/thing.ts',
      ]);
      expect(result.summary.violations.every((v) => v.rule.severity === 'error')).toBe(true);
      expect(result.summary.error).toBe(4);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('src/ passes (as in `npm run lint:deps`)', () => {
    const result = cruise(root, []);
    expect(result.summary.totalCruised).toBeGreaterThan(150);
    expect(result.summary.violations.filter((v) => v.rule.severity === 'error').map((v) => `${v.rule.name}: ${v.from} -> ${v.to}`)).toEqual([]);
  });
});
