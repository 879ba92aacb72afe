/**
 * The package as a user gets it: `npm pack`, unpacked into a consumer project's node_modules,
 * imported through the exports map from ESM, CommonJS and TypeScript (NodeNext resolution).
 * Needs `npm run build` first (the README's test command builds before running vitest).
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('../..', import.meta.url));
let dir = '';

function run(cmd: string, args: string[]): string {
  return execFileSync(cmd, args, { cwd: dir, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
}

describe('the packed npm package', () => {
  beforeAll(() => {
    if (!existsSync(join(root, 'dist', 'index.js'))) throw new Error('dist/ is missing: run `npm run build` first (npm test does)');
    mkdirSync(join(root, '.tmp'), { recursive: true });
    // --ignore-scripts below: dist/ is already built (prepack would rebuild it while other tests use it).
    // Inside the repo so that the consumer resolves the tfjs peer dependencies from the repo's node_modules.
    dir = mkdtempSync(join(root, '.tmp', 'consumer-'));
    const packed = execFileSync('npm', ['pack', '--silent', '--ignore-scripts', '--pack-destination', dir], { cwd: root, encoding: 'utf8' }).trim().split('\n').pop() ?? '';
    const pkgDir = join(dir, 'node_modules', 'finml');
    mkdirSync(pkgDir, { recursive: true });
    execFileSync('tar', ['-xzf', join(dir, packed), '-C', pkgDir, '--strip-components=1']);
  });
  afterAll(() => {
    if (dir !== '') rmSync(dir, { recursive: true, force: true });
  });

  it('ships dist (ESM, CJS, types), the data and the README, and no sources or tests', () => {
    const files = readdirSync(join(dir, 'node_modules', 'finml'));
    expect(files.sort()).toEqual(['README.md', 'data', 'dist', 'package.json']);
    const dist = readdirSync(join(dir, 'node_modules', 'finml', 'dist'));
    for (const e of ['index', 'data', 'models', 'train', 'metrics', 'explain', 'node']) {
      expect(dist).toContain(`${e}.js`);
      expect(dist).toContain(`${e}.cjs`);
      expect(dist).toContain(`${e}.d.ts`);
      expect(dist).toContain(`${e}.d.cts`);
    }
  });

  it('works from ESM and CommonJS through the exports map', () => {
    writeFileSync(
      join(dir, 'esm.mjs'),
      `import { useBackend, standardScaler, rocAuc } from 'finml';
import { kFold } from 'finml/data';
import { readCsv } from 'finml/node';
await useBackend('cpu');
const s = standardScaler().fit([[1], [3]]);
const t = await readCsv(new URL('./node_modules/finml/data/german_credit.csv', import.meta.url));
console.log(JSON.stringify({ x: s.transform([[5]]), auc: rocAuc([0, 1, 1], [0.1, 0.9, 0.4]), folds: kFold(6, { k: 3 }).length, rows: t.nRows }));
`,
    );
    expect(JSON.parse(run('node', ['esm.mjs']))).toEqual({ x: [[3]], auc: 1, folds: 3, rows: 1000 });
    writeFileSync(
      join(dir, 'cjs.cjs'),
      `const { standardScaler, createRng } = require('finml');
const { gini } = require('finml/metrics');
console.log(JSON.stringify({ x: standardScaler().fit([[1], [3]]).transform([[1]]), r: typeof createRng(1).next(), g: gini([0, 1], [0.2, 0.8]) }));
`,
    );
    expect(JSON.parse(run('node', ['cjs.cjs']))).toEqual({ x: [[-1]], r: 'number', g: 1 });
  });

  it('runs a worker pool from the package (ESM and CommonJS), warmed up, with built-in and user tasks', () => {
    writeFileSync(join(dir, 'tasks.mjs'), `export const tasks = { twice: (p) => 2 * p };\n`);
    const body = `
  await useBackend('cpu');
  const n = 40, c = 2;
  const x = { rows: n, cols: c, data: Float64Array.from({ length: n * c }, (_, i) => Math.sin(i)) };
  const y = Float64Array.from({ length: n }, (_, i) => (Math.sin(3 * i) > 0 ? 1 : 0));
  const data = { x, y, estimator: 'NeuralClassifier', params: { model: { type: 'fnn', hidden: [3] }, train: { epochs: 1 }, seed: 1 }, metric: 'rocAuc' };
  const pool = createWorkerPool({ workers: 2, tasks: TASKS });
  try {
    await pool.warmUp({ jit: true });
    const par = await crossValidate({ task: 'finml.scoreNeural', data }, kFold(n, { k: 2 }), { executor: pool });
    const seq = await crossValidate({ task: 'finml.scoreNeural', data }, kFold(n, { k: 2 }));
    console.log(JSON.stringify({ same: JSON.stringify(par) === JSON.stringify(seq), twice: await pool.run('twice', 21) }));
  } finally {
    await pool.close();
  }`;
    writeFileSync(
      join(dir, 'pool.mjs'),
      `import { crossValidate, kFold, useBackend } from 'finml';\nimport { createWorkerPool } from 'finml/node';\nconst TASKS = new URL('./tasks.mjs', import.meta.url);\n${body}\n`,
    );
    expect(JSON.parse(run('node', ['pool.mjs']).trim().split('\n').pop() ?? '')).toEqual({ same: true, twice: 42 });
    writeFileSync(
      join(dir, 'pool.cjs'),
      `const { crossValidate, kFold, useBackend } = require('finml');\nconst { createWorkerPool } = require('finml/node');\nconst TASKS = require('node:path').join(__dirname, 'tasks.mjs');\n(async () => {${body}\n})();\n`,
    );
    expect(JSON.parse(run('node', ['pool.cjs']).trim().split('\n').pop() ?? '')).toEqual({ same: true, twice: 42 });
  });

  it('type-checks a consumer with NodeNext module resolution', () => {
    writeFileSync(
      join(dir, 'consumer.ts'),
      `import { buildRiskModel, type RiskModel, standardScaler, InvalidOptionError } from 'finml';
import { fileBundleStore } from 'finml/node';
const scaled: number[][] = standardScaler().fit([[1], [3]]).transform([[2]]);
export async function f(t: Parameters<typeof buildRiskModel>[0]): Promise<RiskModel> { return buildRiskModel(t, { target: 'Class' }); }
export const e = new InvalidOptionError({ fn: 'f', arg: 'a', expected: 'b', got: 'c' });
export const store: unknown = fileBundleStore;
export { scaled };
`,
    );
    writeFileSync(join(dir, 'package.json'), JSON.stringify({ name: 'consumer', private: true, type: 'module' }));
    writeFileSync(
      join(dir, 'tsconfig.json'),
      JSON.stringify({ compilerOptions: { module: 'NodeNext', moduleResolution: 'NodeNext', target: 'ES2022', strict: true, noEmit: true, skipLibCheck: true, types: ['node'], typeRoots: [join(root, 'node_modules', '@types')] }, files: ['consumer.ts'] }),
    );
    const tsc = join(root, 'node_modules', 'typescript', 'bin', 'tsc');
    // tfjs's own declaration files do not pass a strict lib check, so (like most users) skip it;
    // the consumer file itself is checked against finml's types resolved through the exports map.
    expect(() => run('node', [tsc, '-p', 'tsconfig.json'])).not.toThrow();
    writeFileSync(join(dir, 'consumer.ts'), `import { standardScaler } from 'finml';\nexport const bad: string = standardScaler().fit([[1]]).transform([[1]]);\n`);
    let out = '';
    try {
      run('node', [tsc, '-p', 'tsconfig.json']);
    } catch (e) {
      out = String((e as { stdout?: unknown }).stdout);
    }
    expect(out).toMatch(/consumer\.ts.*TS2322/);
  });
});
