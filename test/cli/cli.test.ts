/**
 * Spawns the built CLI (`node dist/cli.js`, produced by `npm run build`, which `npm test` runs
 * first) on small CSV files in a temp dir.
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRng } from '../../src/core/random';
import { createProgressBar } from '../../src/cli/progressBar';
import { parseXml } from '../helpers/xml';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const CLI = join(ROOT, 'dist/cli.js');

function cli(args: string[], cwd: string): { code: number; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [CLI, ...args], { cwd, encoding: 'utf8', timeout: 120_000, env: { ...process.env, FORCE_COLOR: '0' } });
  return { code: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
}

/** A small credit-like CSV: numeric + categorical features, a binary text target driven by them. */
function creditCsv(n: number, seed: number): string {
  const rng = createRng(seed);
  const lines = ['"Duration","Amount","Checking","Purpose","Class"'];
  const purposes = ['car', 'furniture', 'education'];
  for (let i = 0; i < n; i++) {
    const duration = 6 + rng.int(42);
    const amount = 500 + rng.int(8000);
    const checking = rng.next() < 0.5 ? 'none' : 'lt.0';
    const purpose = purposes[rng.int(3)] as string;
    const risk = 0.06 * (duration - 24) + (checking === 'lt.0' ? 1.5 : -1.5) + 0.5 * rng.normal();
    lines.push(`${duration},${amount},"${checking}","${purpose}","${risk > 0 ? 'Bad' : 'Good'}"`);
  }
  return `${lines.join('\n')}\n`;
}

describe('finml CLI (node dist/cli.js)', () => {
  let dir = '';
  beforeAll(async () => {
    if (!existsSync(CLI)) throw new Error(`${CLI} is missing: run 'npm run build' first (npm test does).`);
    dir = await mkdtemp(join(tmpdir(), 'finml-cli-'));
    await writeFile(join(dir, 'train.csv'), creditCsv(240, 1));
    await writeFile(join(dir, 'new.csv'), creditCsv(7, 2));
    await writeFile(join(dir, 'ragged.csv'), 'a,b,Class\n1,2,x\n3,4,y\n5,6\n');
  });
  afterAll(async () => {
    if (dir !== '') await rm(dir, { recursive: true, force: true });
  });

  it('--help prints usage and exits 0; no command exits 2', () => {
    const h = cli(['--help'], dir);
    expect(h.code).toBe(0);
    expect(h.stdout).toContain('finml train <data.csv> --target <column>');
    expect(h.stdout).toContain('finml explain <model-dir> <data.csv> --row <n>');
    expect(cli(['train', '--help'], dir).code).toBe(0);
    expect(cli([], dir).code).toBe(2);
  });

  it('train → predict → explain round trip', () => {
    const t = cli(['train', 'train.csv', '--target', 'Class', '--out', 'model', '--epochs', '25', '--seed', '3'], dir);
    expect(t.stderr).not.toContain('error');
    expect(t.code).toBe(0);
    expect(t.stdout).toMatch(/test \(48 rows\): auc 0\.\d{4}/);
    // progress on stderr (not a TTY here: one plain line per epoch)
    expect(t.stderr).toMatch(/^training 1\/25 loss \d\.\d{4} val_loss \d\.\d{4}$/m);
    expect(t.stdout).not.toContain('training 1/');
    for (const f of ['model.json', 'metrics.json', 'report.html']) expect(existsSync(join(dir, 'model', f))).toBe(true);

    const p = cli(['predict', 'model', 'new.csv'], dir);
    expect(p.code).toBe(0);
    const lines = p.stdout.trim().split('\n');
    expect(lines[0]).toBe('row,p_Bad,p_Good,predicted_Class');
    expect(lines).toHaveLength(8);
    for (const l of lines.slice(1)) {
      const [, a, b, label] = l.split(',');
      expect(Number(a) + Number(b)).toBeCloseTo(1, 5);
      expect(label).toBe(Number(b) > Number(a) ? 'Good' : 'Bad');
    }
    const po = cli(['predict', 'model', 'new.csv', '--out', 'out/preds.csv'], dir);
    expect(po.code).toBe(0);
    expect(po.stdout).toBe('');

    const e = cli(['explain', 'model', 'new.csv', '--row', '3', '--svg', 'w.svg'], dir);
    expect(e.code).toBe(0);
    expect(e.stdout).toMatch(/^Row 3: P\(Class = Good\) = 0\.\d{4}/);
    // one line per input column (4 features), each naming the column and its raw value
    const contrib = e.stdout.split('\n').filter((l) => /^\s+[+-]\d/.test(l));
    expect(contrib).toHaveLength(4);
    expect(contrib.some((l) => /Checking = (none|lt\.0)/.test(l))).toBe(true);
  });

  it('the explanation is additive and the predictions match between predict and explain', async () => {
    const p = cli(['predict', 'model', 'new.csv'], dir).stdout.trim().split('\n')[3] as string;
    const pGood = Number(p.split(',')[2]);
    const e = cli(['explain', 'model', 'new.csv', '--row', '3'], dir).stdout;
    const m = /P\(Class = Good\) = ([\d.]+)\s+\(log-odds ([-\d.]+); base ([-\d.]+)\)/.exec(e);
    expect(m).not.toBeNull();
    expect(Number(m?.[1])).toBeCloseTo(pGood, 3);
    const sum = e
      .split('\n')
      .filter((l) => /^\s+[+-]\d/.test(l))
      .reduce((a, l) => a + Number(l.trim().split(/\s+/)[0]), 0);
    expect(Number(m?.[3]) + sum).toBeCloseTo(Number(m?.[2]), 1);
    const svg = await readFile(join(dir, 'w.svg'), 'utf8');
    expect(parseXml(svg).name).toBe('svg');
    const html = await readFile(join(dir, 'model', 'report.html'), 'utf8');
    expect(parseXml(html).name).toBe('html');
  });

  it('clear errors and non-zero exit codes on bad input', () => {
    const missing = cli(['train', 'nope.csv', '--target', 'Class'], dir);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain('nope.csv');
    expect(missing.stderr).toContain('no such file');

    const ragged = cli(['train', 'ragged.csv', '--target', 'Class'], dir);
    expect(ragged.code).toBe(1);
    expect(ragged.stderr).toContain('ragged.csv');
    expect(ragged.stderr).toMatch(/line 4/);

    const target = cli(['train', 'train.csv', '--target', 'Klass'], dir);
    expect(target.code).toBe(1);
    expect(target.stderr).toContain('"Klass"');
    expect(target.stderr).toContain("'Class'");

    expect(cli(['train', 'train.csv'], dir).code).toBe(2);
    expect(cli(['train', 'train.csv', '--target', 'Class', '--epochs', 'many'], dir).code).toBe(2);
    expect(cli(['train', 'train.csv', '--target', 'Class', '--bogus'], dir).code).toBe(2);
    expect(cli(['fly'], dir).code).toBe(2);
    const noModel = cli(['predict', 'no-model', 'new.csv'], dir);
    expect(noModel.code).toBe(1);
    expect(noModel.stderr).toContain('model.json');
    expect(cli(['explain', 'model', 'new.csv', '--row', '99'], dir).code).toBe(1);
  });
});

describe('createProgressBar', () => {
  it('redraws one line on a TTY and prints plain lines otherwise', () => {
    const out: string[] = [];
    const tty = createProgressBar(4, 'training', { isTTY: true, columns: 80, write: (s: string) => out.push(s) });
    tty.update(1, 'loss 0.5');
    tty.update(4, 'loss 0.1');
    tty.finish();
    expect(out[0]?.startsWith('\rtraining [')).toBe(true);
    expect(out[1]).toContain('4/4 loss 0.1');
    expect(out[1]).toContain('#'.repeat(10));
    expect(out[2]).toBe('\n');
    const plain: string[] = [];
    const p = createProgressBar(2, 'training', { write: (s: string) => plain.push(s) });
    p.update(1, 'x');
    p.finish('done');
    expect(plain).toEqual(['training 1/2 x\n', 'training done\n']);
  });
});
