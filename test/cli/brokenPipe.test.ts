/**
 * `finml predict model-dir data.csv | head`: when the reader closes the pipe, the command stops
 * quietly (exit 0, nothing on stderr) instead of printing an EPIPE stack trace. The CLI is bundled
 * from the current sources into a private directory, like test/cli/cli.test.ts.
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRng } from '../../src/core/random';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const BUILD_DIR = join(ROOT, 'node_modules', '.cache', `finml-cli-pipe-test-${process.pid}`);
const CLI = join(BUILD_DIR, 'cli.js');

function csv(n: number, seed: number): string {
  const rng = createRng(seed);
  const lines = ['x1,region,Class'];
  for (let i = 0; i < n; i++) {
    const x1 = rng.normal();
    lines.push(`${x1.toFixed(4)},${['a', 'b'][rng.int(2)] as string},${x1 + 0.5 * rng.normal() > 0 ? 'Bad' : 'Good'}`);
  }
  return `${lines.join('\n')}\n`;
}

/** Runs `node cli.js <args> | head -n 2` in bash; stdout is head's, stderr and the exit code are finml's. */
function pipedToHead(args: readonly string[], cwd: string): { code: number; stdout: string; stderr: string } {
  const quoted = [process.execPath, CLI, ...args].map((a) => `'${a.replace(/'/g, `'\\''`)}'`).join(' ');
  const r = spawnSync('bash', ['-c', `${quoted} 2>finml-stderr.txt | head -n 2; code=\${PIPESTATUS[0]}; cat finml-stderr.txt >&2; exit $code`], { cwd, encoding: 'utf8', timeout: 120_000 });
  return { code: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
}

let dir = '';
beforeAll(async () => {
  const b = spawnSync(
    process.execPath,
    [join(ROOT, 'node_modules/tsup/dist/cli-default.js'), '--entry.cli', 'src/cli/main.ts', '--format', 'esm', '--platform', 'node', '--target', 'es2022', '--external', '@tensorflow/*', '--out-dir', BUILD_DIR, '--no-config', '--silent'],
    { cwd: ROOT, encoding: 'utf8', timeout: 120_000 },
  );
  if (b.status !== 0 || !existsSync(CLI)) throw new Error(`building the CLI failed:\n${b.stdout}\n${b.stderr}`);
  dir = await mkdtemp(join(tmpdir(), 'finml-pipe-'));
  await writeFile(join(dir, 'train.csv'), csv(80, 1));
  await writeFile(join(dir, 'big.csv'), csv(60_000, 2));
});
afterAll(async () => {
  if (dir !== '') await rm(dir, { recursive: true, force: true });
  await rm(BUILD_DIR, { recursive: true, force: true });
});

describe('finml and a closed pipe', () => {
  it('predict | head exits 0 without a stack trace once head has read its lines', () => {
    const t = spawnSync(process.execPath, [CLI, 'train', 'train.csv', '--target', 'Class', '--members', '1', '--epochs', '2', '--shap-rows', '0', '--quiet'], { cwd: dir, encoding: 'utf8', timeout: 120_000 });
    expect(t.status, t.stderr).toBe(0);
    const r = pipedToHead(['predict', 'finml-model', 'big.csv'], dir);
    expect(r.stdout.split('\n').slice(0, 2)).toEqual(['row,p_Bad,predicted_Class', expect.stringMatching(/^1,0\.\d{6},(Bad|Good)$/)]);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
  });
});
