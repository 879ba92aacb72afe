/**
 * The `finml` command. The CLI is bundled from the current sources (tsup, ~1 s) into a private
 * directory under node_modules/.cache before the tests, so the file runs alone and never tests a
 * stale dist/cli.js; each test spawns `node cli.js` on small CSV files in a temp dir. The commands
 * are also run in-process for the tensor-leak checks.
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRng } from '../../src/core/random';
import { parseCsv } from '../../src/data/parseCsv';
import { takeRows } from '../../src/data/takeRows';
import { trainTestSplit } from '../../src/data/trainTestSplit';
import { fileBundleStore } from '../../src/node/fileBundleStore';
import { loadRiskModel } from '../../src/presets/saveRiskModel';
import { tabularPipelineFromJSON } from '../../src/data/tabularPipeline';
import { loadBundle } from '../../src/models/neuralBundle';
import type { FittedNeuralClassifier } from '../../src/models/neuralModel';
import { createProgressBar, networkProgress, trainingProgress } from '../../src/cli/progressBar';
import { resolveTask } from '../../src/cli/neuralTask';
import { explainCommand, predictCommand, trainCommand, type CliIO } from '../../src/cli/commands';
import { expectNoLeak } from '../helpers/leak';
import { parseXml } from '../helpers/xml';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const BUILD_DIR = join(ROOT, 'node_modules', '.cache', `finml-cli-test-${process.pid}`);
const CLI = join(BUILD_DIR, 'cli.js');

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

/** A numeric 0/1 target: default (1) when x1 + noise > 0. */
function numericTargetCsv(n: number, seed: number): string {
  const rng = createRng(seed);
  const lines = ['x1,x2,default'];
  for (let i = 0; i < n; i++) {
    const x1 = rng.normal();
    const x2 = rng.normal();
    lines.push(`${x1.toFixed(4)},${x2.toFixed(4)},${x1 + 0.3 * rng.normal() > 0 ? 1 : 0}`);
  }
  return `${lines.join('\n')}\n`;
}

/** A numeric target: y = 3·x1 − x2 + 2·[region = a] + noise, with a categorical input. */
function regressionCsv(n: number, seed: number): string {
  const rng = createRng(seed);
  const lines = ['x1,x2,region,y'];
  for (let i = 0; i < n; i++) {
    const x1 = rng.normal();
    const x2 = rng.normal();
    const region = ['a', 'b', 'c'][rng.int(3)] as string;
    lines.push(`${x1.toFixed(4)},${x2.toFixed(4)},${region},${(10 + 3 * x1 - x2 + (region === 'a' ? 2 : 0) + 0.2 * rng.normal()).toFixed(4)}`);
  }
  return `${lines.join('\n')}\n`;
}

/** Three classes of risk grade driven by x1 (low / mid / high), x2 is noise. */
function multiclassCsv(n: number, seed: number): string {
  const rng = createRng(seed);
  const lines = ['x1,x2,Grade'];
  for (let i = 0; i < n; i++) {
    const x1 = rng.normal();
    const x2 = rng.normal();
    const s = x1 + 0.2 * rng.normal();
    lines.push(`${x1.toFixed(4)},${x2.toFixed(4)},${s < -0.5 ? 'low' : s < 0.5 ? 'mid' : 'high'}`);
  }
  return `${lines.join('\n')}\n`;
}

const contributionLines = (stdout: string): string[] => stdout.split('\n').filter((l) => /^\s+[+-]\d/.test(l));

let dir = '';
beforeAll(async () => {
  const b = spawnSync(
    process.execPath,
    [join(ROOT, 'node_modules/tsup/dist/cli-default.js'), '--entry.cli', 'src/cli/main.ts', '--format', 'esm', '--platform', 'node', '--target', 'es2022', '--external', '@tensorflow/*', '--out-dir', BUILD_DIR, '--no-config', '--silent'],
    { cwd: ROOT, encoding: 'utf8', timeout: 120_000 },
  );
  if (b.status !== 0 || !existsSync(CLI)) throw new Error(`building the CLI failed:\n${b.stdout}\n${b.stderr}`);
  dir = await mkdtemp(join(tmpdir(), 'finml-cli-'));
  await writeFile(join(dir, 'train.csv'), creditCsv(240, 1));
  await writeFile(join(dir, 'new.csv'), creditCsv(7, 2));
  await writeFile(join(dir, 'ragged.csv'), 'a,b,Class\n1,2,x\n3,4,y\n5,6\n');
  await writeFile(join(dir, 'numeric.csv'), numericTargetCsv(120, 3));
  await writeFile(join(dir, 'three.csv'), 'x,Class\n1,a\n2,b\n3,c\n4,a\n5,b\n6,c\n');
  await writeFile(join(dir, 'nolabel.csv'), 'x,Class\n1,a\n2,\n3,b\n4,a\n');
  await writeFile(join(dir, 'nocols.csv'), 'Duration,Purpose\n12,car\n');
  await writeFile(join(dir, 'reg.csv'), regressionCsv(200, 4));
  await writeFile(join(dir, 'reg-new.csv'), regressionCsv(6, 5));
  await writeFile(join(dir, 'multi.csv'), multiclassCsv(240, 6));
  await writeFile(join(dir, 'multi-new.csv'), multiclassCsv(6, 7));
});
afterAll(async () => {
  if (dir !== '') await rm(dir, { recursive: true, force: true });
  await rm(BUILD_DIR, { recursive: true, force: true });
});

describe('finml CLI (spawned)', () => {
  it('--help prints usage and exits 0, per command too; no command exits 2', () => {
    const h = cli(['--help'], dir);
    expect(h.code).toBe(0);
    expect(h.stdout).toContain('finml train <data.csv> --target <column>');
    expect(h.stdout).toContain('finml explain <model-dir> <data.csv> --row <n>');
    const t = cli(['train', '--help'], dir);
    expect(t.code).toBe(0);
    expect(t.stdout).toMatch(/^Usage: finml train/);
    expect(t.stdout).toContain('--members <n>');
    expect(t.stdout).toContain('model.json, weights.bin, bundle.json');
    const p = cli(['predict', '-h'], dir);
    expect(p.stdout).toMatch(/^Usage: finml predict/);
    expect(p.stdout).toContain('--threshold');
    expect(p.stdout).not.toContain('--members');
    expect(cli(['explain', '--help'], dir).stdout).toMatch(/^Usage: finml explain[\s\S]*--svg/);
    const none = cli([], dir);
    expect(none.code).toBe(2);
  });

  it('train: buildRiskModel on the stratified training split, metrics on the held-out rows, model dir', async () => {
    const t = cli(['train', 'train.csv', '--target', 'Class', '--out', 'model', '--members', '2', '--epochs', '25', '--seed', '3', '--shap-rows', '12'], dir);
    expect(t.stderr).not.toContain('error');
    expect(t.code).toBe(0);
    const m = /^Test \(48 rows\): AUC ([01]\.\d{4}), KS ([01]\.\d{4}), Brier ([01]\.\d{4}), calibration slope (-?\d+\.\d{4}|NaN); at the cut-off PD ([01]\.\d{4}): \d+ of \d+ Bad declined/m.exec(t.stdout);
    expect(m, t.stdout).not.toBeNull();
    // The synthetic target is mostly determined by Checking and Duration.
    expect(Number(m?.[1])).toBeGreaterThan(0.8);
    expect(t.stdout).toContain('P(Class = Bad)');
    expect(t.stdout).toMatch(/^Validation \(192 rows, out-of-fold scores of the training rows\): AUC [01]\.\d{4}/m);
    const top = t.stdout.split('Top features')[1]?.split('\n').slice(1, 3).map((l) => l.trim().split(/\s+/)[1]) ?? [];
    expect(top).toContain('Checking');
    // progress on stderr, not a TTY here: one plain line per epoch and network, then how it stopped
    expect(t.stderr).toMatch(/^member 1\/2 1\/25 loss \d\.\d{4} val_loss \d\.\d{4}$/m);
    expect(t.stderr).toMatch(/^member 2\/2 1\/25 loss/m);
    expect(t.stdout).not.toContain('member 1/2');
    for (const f of ['model.json', 'weights.bin', 'bundle.json', 'metrics.json', 'report.html']) expect(existsSync(join(dir, 'model', f))).toBe(true);

    // metrics.json holds the printed numbers, and they are the held-out metrics of the saved model:
    // redo the stratified split and evaluate the reloaded model on the test rows.
    const metrics = JSON.parse(await readFile(join(dir, 'model', 'metrics.json'), 'utf8')) as {
      rowsTrain: number;
      rowsTest: number;
      members: number;
      positive: string;
      epochs: number[];
      test: { rocAuc: number; ks: number; brier: number; confusion: { tp: number; fp: number; tn: number; fn: number }; n: number };
      topFeatures: { feature: string; meanAbsShap: number }[];
    };
    expect(metrics).toMatchObject({ rowsTrain: 192, rowsTest: 48, members: 2, positive: 'Bad' });
    expect(metrics.epochs).toHaveLength(2);
    expect(metrics.test.rocAuc.toFixed(4)).toBe(m?.[1]);
    expect(metrics.topFeatures.map((f) => f.feature).sort()).toEqual(['Amount', 'Checking', 'Duration', 'Purpose']);
    const table = parseCsv(await readFile(join(dir, 'train.csv'), 'utf8'));
    const labels = table.columns.find((c) => c.name === 'Class')?.values as string[];
    const split = trainTestSplit(table.nRows, { testSize: 0.2, seed: 3, stratify: labels });
    const { model } = await loadRiskModel(fileBundleStore(join(dir, 'model')));
    try {
      expect(model.members).toHaveLength(2);
      expect(model.params).toMatchObject({ target: 'Class', positive: 'Bad', epochs: 25, seed: 3, members: 2 });
      const test = model.evaluate(takeRows(table, split.test));
      expect(test.n).toBe(48);
      expect(test.rocAuc).toBeCloseTo(metrics.test.rocAuc, 10);
      expect(test.ks).toBeCloseTo(metrics.test.ks, 10);
      expect(test.brier).toBeCloseTo(metrics.test.brier, 10);
      expect(test.confusion).toEqual(metrics.test.confusion);
      expect(metrics.positive).toBe('Bad');
    } finally {
      model.dispose();
    }

    const html = await readFile(join(dir, 'model', 'report.html'), 'utf8');
    expect(parseXml(html).name).toBe('html');
    for (const s of ['Model card', 'ROC curve', 'Calibration (quantile bins of the PD)', 'Decision at PD cut-off 0.5', 'Score bands (gains and lift)', 'Population stability (PSI)', 'Training curves, network 2 of 2', 'SHAP values of 12 explained held-out rows', 'train.csv: 240 rows']) expect(html).toContain(s);
    expect(html).not.toContain(dir);
    expect(html).toContain('Content-Security-Policy');
  });

  it('predict: the PD column and label agree with the reloaded model; --threshold and --out', async () => {
    const p = cli(['predict', 'model', 'new.csv'], dir);
    expect(p.code).toBe(0);
    const lines = p.stdout.trim().split('\n');
    expect(lines[0]).toBe('row,p_Bad,predicted_Class');
    expect(lines).toHaveLength(8);
    const { model } = await loadRiskModel(fileBundleStore(join(dir, 'model')));
    try {
      const pd = model.score(parseCsv(await readFile(join(dir, 'new.csv'), 'utf8')));
      lines.slice(1).forEach((l, i) => {
        const [row, pBad, label] = l.split(',');
        expect(row).toBe(String(i + 1));
        expect(Number(pBad)).toBeCloseTo(pd[i] as number, 6);
        expect(label).toBe(Number(pBad) >= 0.5 ? 'Bad' : 'Good');
      });
    } finally {
      model.dispose();
    }
    const all = cli(['predict', 'model', 'new.csv', '--threshold', '0'], dir);
    expect(all.stdout.trim().split('\n').slice(1).every((l) => l.endsWith(',Bad'))).toBe(true);
    const po = cli(['predict', 'model', 'new.csv', '--out', 'out/preds.csv'], dir);
    expect(po.code).toBe(0);
    expect(po.stdout).toBe('');
    expect(await readFile(join(dir, 'out', 'preds.csv'), 'utf8')).toBe(p.stdout);
  });

  it('predict --id passes columns through verbatim, --drop ignores columns, scores unchanged; --version', async () => {
    const plain = cli(['predict', 'model', 'new.csv'], dir).stdout.trim().split('\n');
    const base = (await readFile(join(dir, 'new.csv'), 'utf8')).trim().split('\n');
    const refs = base.slice(1).map((_, i) => (i === 2 ? '=1+1' : i === 3 ? '' : String(i).padStart(5, '0')));
    // 'note' is numeric in the first rows and text later: dropped (or unused) columns never fail a batch.
    const rows = base.slice(1).map((l, i) => `${refs[i]},${l},${i < 4 ? String(i) : 'late text'}`);
    await writeFile(join(dir, 'ids.csv'), `"ref",${base[0]},note\n${rows.join('\n')}\n`);
    const p = cli(['predict', 'model', 'ids.csv', '--id', 'ref', '--drop', 'note,Class'], dir);
    expect(p.stderr).toBe('');
    expect(p.code).toBe(0);
    const lines = p.stdout.trim().split('\n');
    expect(lines[0]).toBe('row,ref,p_Bad,predicted_Class');
    expect(lines.map((l) => l.split(',')[1])).toEqual(['ref', '00000', '00001', "'=1+1", '', '00004', '00005', '00006']);
    // Same scores and labels as without the extra columns.
    expect(lines.map((l) => l.split(',').filter((_, j) => j !== 1).join(','))).toEqual(plain);
    // Two id columns (repeated option; a model input may be passed through too).
    const two = cli(['predict', 'model', 'ids.csv', '--id', 'ref', '--id', 'Purpose'], dir);
    expect(two.stdout.split('\n')[0]).toBe('row,ref,Purpose,p_Bad,predicted_Class');
    // --out: the same bytes, atomically.
    const po = cli(['predict', 'model', 'ids.csv', '--id', 'ref', '--out', 'out/ids.csv'], dir);
    expect(po.code).toBe(0);
    expect(await readFile(join(dir, 'out', 'ids.csv'), 'utf8')).toBe(p.stdout);

    for (const [args, code, msg] of [
      [['--drop', 'Amount'], 2, /--drop.*'Amount', one of the model's input columns/],
      [['--drop', 'nope'], 2, /--drop.*columns of the CSV header/],
      [['--id', 'nope'], 1, /--id.*'nope', not in the header/],
      [['--id', 'ref', '--drop', 'ref'], 2, /both --id and --drop/],
      [['--id', 'ref,'], 2, /--id needs column names/],
      [['--id', 'row'], 2, /columns other than 'row'/],
      [['--id', 'p_Bad'], 1, /output columns/],
    ] as const) {
      const r = cli(['predict', 'model', 'ids.csv', ...args], dir);
      expect(r.code, args.join(' ')).toBe(code);
      expect(r.stderr, args.join(' ')).toMatch(msg);
      expect(r.stdout, args.join(' ')).toBe('');
    }
    expect(cli(['train', 'train.csv', '--target', 'Class', '--id', 'x'], dir).code).toBe(2);

    const v = cli(['--version'], dir);
    expect(v.code).toBe(0);
    expect(v.stdout).toBe(`${(JSON.parse(await readFile(join(ROOT, 'package.json'), 'utf8')) as { version: string }).version}\n`);
    expect(v.stdout).toMatch(/^\d+\.\d+\.\d+/);
    expect(cli(['--version', 'x'], dir).code).toBe(2);
    expect(cli(['--help'], dir).stdout).toContain('finml --version');
  });

  it('predict streams at constant memory: 200k rows score under a 48 MB heap cap', async () => {
    // Reading the whole file first (finml 0.1.0's predict) runs out of memory under this cap on
    // the same file (measured: V8 "heap out of memory" at 32 and 48 MB); streaming finishes.
    const n = 200_000;
    const rng = createRng(11);
    const parts: string[] = ['id,Duration,Amount,Checking,Purpose\n'];
    for (let i = 0; i < n; i += 10_000) {
      const block: string[] = [];
      for (let k = i; k < i + 10_000; k++) block.push(`A${k},${6 + rng.int(42)},${500 + rng.int(8000)},${rng.next() < 0.5 ? 'none' : 'lt.0'},${['car', 'furniture', 'education'][rng.int(3)] as string}`);
      parts.push(`${block.join('\n')}\n`);
    }
    await writeFile(join(dir, 'big.csv'), parts.join(''));
    const r = spawnSync(process.execPath, ['--max-old-space-size=48', CLI, 'predict', 'model', 'big.csv', '--id', 'id', '--out', 'big-preds.csv'], { cwd: dir, encoding: 'utf8', timeout: 300_000 });
    expect(r.stderr).toBe(`finml: wrote ${n} predictions to big-preds.csv\n`);
    expect(r.status).toBe(0);
    const out = await readFile(join(dir, 'big-preds.csv'), 'utf8');
    const lines = out.trim().split('\n');
    expect(lines).toHaveLength(n + 1);
    expect(lines[0]).toBe('row,id,p_Bad,predicted_Class');
    expect(lines[n]).toMatch(new RegExp(`^${n},A${n - 1},0\\.\\d{6},(Good|Bad)$`));
    await rm(join(dir, 'big.csv'));
  });

  it('explain: additive SHAP contributions, reason codes, same probability as predict, waterfall SVG', async () => {
    const p = cli(['predict', 'model', 'new.csv'], dir).stdout.trim().split('\n')[3] as string;
    const pBad = Number(p.split(',')[1]);
    const e = cli(['explain', 'model', 'new.csv', '--row', '3', '--svg', 'w.svg'], dir);
    expect(e.code).toBe(0);
    const m = /^Row 3: P\(Class = Bad\) = ([\d.]+)\s+\(log-odds ([-\d.]+); base ([-\d.]+)\)/.exec(e.stdout);
    expect(m, e.stdout).not.toBeNull();
    expect(Number(m?.[1])).toBeCloseTo(pBad, 3);
    // one line per input column (4 features), each naming the column and its raw value
    const contrib = contributionLines(e.stdout);
    expect(contrib).toHaveLength(4);
    expect(contrib.some((l) => /Checking = (none|lt\.0)$/.test(l))).toBe(true);
    const values = contrib.map((l) => Number(l.trim().split(/\s+/)[0]));
    expect(values.map(Math.abs)).toEqual([...values.map(Math.abs)].sort((a, b) => b - a));
    expect(Number(m?.[3]) + values.reduce((a, v) => a + v, 0)).toBeCloseTo(Number(m?.[2]), 2);
    // reason codes: exactly the positive contributions, strongest first
    const reasons = e.stdout.split('\n').filter((l) => /^\s+\d+\. /.test(l));
    expect(reasons).toHaveLength(values.filter((v) => v > 0).length);
    if (reasons.length > 0) expect(reasons[0]).toMatch(/^\s+1\. \w+ = .+ raised the default risk by \d\.\d\d \(log-odds\)$/);
    const svg = await readFile(join(dir, 'w.svg'), 'utf8');
    expect(parseXml(svg).name).toBe('svg');
    // --top limits the lines
    const t2 = cli(['explain', 'model', 'new.csv', '--row', '3', '--top', '2'], dir);
    expect(contributionLines(t2.stdout)).toHaveLength(2);
  });

  it('a numeric 0/1 target is modelled as labels "0"/"1" (positive "1")', () => {
    const t = cli(['train', 'numeric.csv', '--target', 'default', '--out', 'nmodel', '--members', '1', '--epochs', '10', '--shap-rows', '0'], dir);
    expect(t.stderr).not.toContain('error');
    expect(t.code).toBe(0);
    expect(t.stdout).toContain('P(default = 1)');
    expect(t.stdout).not.toContain('Top features');
    const p = cli(['predict', 'nmodel', 'numeric.csv'], dir);
    expect(p.code).toBe(0);
    expect(p.stdout.split('\n')[0]).toBe('row,p_1,predicted_default');
    expect(p.stdout.trim().split('\n')).toHaveLength(121);
  });

  it('clear errors and exit codes on bad input', async () => {
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

    const three = cli(['train', 'three.csv', '--target', 'Class', '--task', 'binary'], dir);
    expect(three.code).toBe(1);
    expect(three.stderr).toContain("binary column");
    expect(three.stderr).toContain("3 distinct categorical values in 'Class' ('a', 'b', 'c')");

    const nolabel = cli(['train', 'nolabel.csv', '--target', 'Class'], dir);
    expect(nolabel.code).toBe(1);
    expect(nolabel.stderr).toContain('a missing value in data row 2');

    const positive = cli(['train', 'train.csv', '--target', 'Class', '--positive', 'Ugly'], dir);
    expect(positive.code).toBe(1);
    expect(positive.stderr).toContain("one of the labels 'Bad', 'Good'");

    for (const args of [
      ['train', 'train.csv'],
      ['train', 'train.csv', '--target', 'Class', '--epochs', 'many'],
      ['train', 'train.csv', '--target', 'Class', '--members', '0'],
      ['train', 'train.csv', '--target', 'Class', '--members', '21'],
      ['train', 'train.csv', '--target', 'Class', '--test-size', '1.5'],
      ['train', 'train.csv', '--target', 'Class', '--bogus'],
      ['train', 'train.csv', '--target', 'Class', '--row', '2'],
      ['train', 'train.csv', '--target', 'Class', '--backend', 'gpu'],
      ['predict', 'model', 'new.csv', '--threshold', '2'],
      ['predict', 'model'],
      ['explain', 'model', 'new.csv'],
      ['fly'],
    ]) {
      const r = cli(args, dir);
      expect(r.code, args.join(' ')).toBe(2);
      expect(r.stderr, args.join(' ')).toMatch(/Run 'finml (train |predict |explain )?--help' for usage/);
    }

    const noModel = cli(['predict', 'no-model', 'new.csv'], dir);
    expect(noModel.code).toBe(1);
    expect(noModel.stderr).toContain('bundle.json');
    expect(noModel.stderr).toContain('ENOENT');

    // A truncated weights.bin in a model dir of the current format is named.
    await mkdir(join(dir, 'truncated'), { recursive: true });
    for (const f of ['model.json', 'bundle.json']) await writeFile(join(dir, 'truncated', f), await readFile(join(dir, 'model', f)));
    const weights = await readFile(join(dir, 'model', 'weights.bin'));
    await writeFile(join(dir, 'truncated', 'weights.bin'), weights.subarray(0, weights.byteLength - 8));
    const truncated = cli(['predict', 'truncated', 'new.csv'], dir);
    expect(truncated.code).toBe(1);
    expect(truncated.stderr).toMatch(/weights\.bin.*truncated/);

    // Model dirs of the previous format (one riskModel.json envelope) are still read.
    const { model: saved } = await loadRiskModel(fileBundleStore(join(dir, 'model')));
    await mkdir(join(dir, 'json-model'), { recursive: true });
    await writeFile(join(dir, 'json-model', 'riskModel.json'), JSON.stringify(saved.toJSON()));
    saved.dispose();
    const viaJson = cli(['predict', 'json-model', 'new.csv'], dir);
    expect(viaJson.code).toBe(0);
    expect(viaJson.stdout).toBe(cli(['predict', 'model', 'new.csv'], dir).stdout);

    await mkdir(join(dir, 'corrupt'), { recursive: true });
    await writeFile(join(dir, 'corrupt', 'riskModel.json'), JSON.stringify({ kind: 'RiskModel', version: 1, params: {}, state: {} }));
    const corrupt = cli(['explain', 'corrupt', 'new.csv', '--row', '1'], dir);
    expect(corrupt.code).toBe(1);
    expect(corrupt.stderr).toContain('corrupt/riskModel.json');
    expect(corrupt.stderr).toContain('riskModelFromJSON');
    await writeFile(join(dir, 'corrupt', 'riskModel.json'), '{"kind": "RiskMod');
    expect(cli(['predict', 'corrupt', 'new.csv'], dir).stderr).toContain('not valid JSON');

    await mkdir(join(dir, 'legacy'), { recursive: true });
    await writeFile(join(dir, 'legacy', 'model.json'), '{"format":"finml-cli-model","version":1}');
    const legacy = cli(['predict', 'legacy', 'new.csv'], dir);
    expect(legacy.code).toBe(1);
    expect(legacy.stderr).toContain('older finml');

    const cols = cli(['predict', 'model', 'nocols.csv'], dir);
    expect(cols.code).toBe(1);
    expect(cols.stderr).toContain("'Amount', 'Checking'");

    const row = cli(['explain', 'model', 'new.csv', '--row', '99'], dir);
    expect(row.code).toBe(1);
    expect(row.stderr).toContain('between 1 and 7');
  });
});

describe('finml CLI: regression and multiclass targets (spawned)', () => {
  it('regression: tabularPipeline + neuralRegressor, held-out RMSE/MAE/R², bundle dir; predict and explain agree with the reloaded bundle', async () => {
    const t = cli(['train', 'reg.csv', '--target', 'y', '--out', 'reg-model', '--epochs', '40', '--seed', '2'], dir);
    expect(t.stderr).not.toContain('error');
    expect(t.code).toBe(0);
    const m = /^Test \(40 rows\): RMSE ([\d.]+), MAE ([\d.]+), R² ([-\d.]+)/m.exec(t.stdout);
    expect(m, t.stdout).not.toBeNull();
    expect(Number(m?.[3])).toBeGreaterThan(0.8);
    // single-network progress: one plain line per epoch (stderr is not a TTY here)
    expect(t.stderr).toMatch(/^training 1\/40 loss \d+\.\d{4} val_loss \d+\.\d{4}$/m);
    expect(t.stderr).toContain('regression target');
    for (const f of ['model.json', 'weights.bin', 'bundle.json', 'explainer.json', 'metrics.json']) expect(existsSync(join(dir, 'reg-model', f))).toBe(true);

    // Recompute the held-out metrics from the reloaded bundle on the same (unstratified) split.
    const table = parseCsv(await readFile(join(dir, 'reg.csv'), 'utf8'));
    const split = trainTestSplit(table.nRows, { testSize: 0.2, seed: 2 });
    const test = takeRows(table, split.test);
    const b = await loadBundle(fileBundleStore(join(dir, 'reg-model')));
    let fresh: number[];
    try {
      expect(b.model.kind).toBe('NeuralRegressor');
      const pipe = tabularPipelineFromJSON(b.pipeline);
      expect(Object.keys(pipe.featureGroups).sort()).toEqual(['region', 'x1', 'x2']);
      const { targetMean, targetScale } = b.metadata.metrics as { targetMean: number; targetScale: number };
      const pred = Array.from(b.model.predict(pipe.transform(test)), (z) => z * targetScale + targetMean);
      const y = Array.from(pipe.transformTarget(test));
      const rmse = Math.sqrt(y.reduce((a, v, i) => a + (v - (pred[i] as number)) ** 2, 0) / y.length);
      expect(rmse.toFixed(4)).toBe(m?.[1]);
      const metrics = JSON.parse(await readFile(join(dir, 'reg-model', 'metrics.json'), 'utf8')) as { task: string; rowsTrain: number; test: { rmse: number } };
      expect(metrics).toMatchObject({ task: 'regression', rowsTrain: 160 });
      expect(metrics.test.rmse).toBeCloseTo(rmse, 10);
      const newTable = parseCsv(await readFile(join(dir, 'reg-new.csv'), 'utf8'));
      fresh = Array.from(b.model.predict(pipe.transform(newTable)), (z) => z * targetScale + targetMean);
    } finally {
      b.model.dispose();
    }

    const p = cli(['predict', 'reg-model', 'reg-new.csv'], dir);
    expect(p.code).toBe(0);
    const lines = p.stdout.trim().split('\n');
    expect(lines[0]).toBe('row,predicted_y');
    expect(lines).toHaveLength(7);
    lines.slice(1).forEach((l, i) => expect(Number(l.split(',')[1])).toBeCloseTo(fresh[i] as number, 5));
    // Bundle models stream too: --id columns after row (the region passed through), --drop, same values.
    const withId = cli(['predict', 'reg-model', 'reg-new.csv', '--id', 'region', '--drop', 'y'], dir);
    expect(withId.code, withId.stderr).toBe(0);
    const idLines = withId.stdout.trim().split('\n');
    expect(idLines[0]).toBe('row,region,predicted_y');
    const regions = (await readFile(join(dir, 'reg-new.csv'), 'utf8')).trim().split('\n').slice(1).map((l) => l.split(',')[2]);
    expect(idLines.slice(1).map((l) => l.split(',')[1])).toEqual(regions);
    expect(idLines.map((l) => l.split(',').filter((_, j) => j !== 1).join(','))).toEqual(lines);

    const e = cli(['explain', 'reg-model', 'reg-new.csv', '--row', '2', '--svg', 'reg.svg'], dir);
    expect(e.code, e.stderr).toBe(0);
    const h = /^Row 2: predicted y = ([-\d.]+)\s+\(base ([-\d.]+)\)/.exec(e.stdout);
    expect(h, e.stdout).not.toBeNull();
    expect(Number(h?.[1])).toBeCloseTo(fresh[1] as number, 3);
    const contrib = contributionLines(e.stdout);
    expect(contrib).toHaveLength(3); // one player per input column (region's one-hot columns grouped)
    expect(contrib.some((l) => /region = [abc]$/.test(l))).toBe(true);
    const values = contrib.map((l) => Number(l.trim().split(/\s+/)[0]));
    expect(Number(h?.[2]) + values.reduce((a, v) => a + v, 0)).toBeCloseTo(Number(h?.[1]), 2);
    // x1 has the largest effect (slope 3 on a unit-variance input) unless the row's x1 is near its mean
    const reasons = e.stdout.split('\n').filter((l) => /^\s+\d+\. /.test(l));
    expect(reasons.length).toBe(values.filter((v) => v !== 0).length);
    for (const r of reasons) expect(r).toMatch(/^\s+\d+\. (x1|x2|region) = \S+ (raised|lowered) the prediction by \d+\.\d\d$/);
    const x1 = values[contrib.findIndex((l) => / x1 = /.test(l))] as number;
    expect(reasons.some((r) => r.includes(`x1 = `) && r.includes(x1 > 0 ? 'raised' : 'lowered'))).toBe(true);
    expect(parseXml(await readFile(join(dir, 'reg.svg'), 'utf8')).name).toBe('svg');
  });

  it('multiclass: softmax network, accuracy and macro-F1, one probability column per class, explains the predicted class', async () => {
    const t = cli(['train', 'multi.csv', '--target', 'Grade', '--out', 'multi-model', '--epochs', '40', '--seed', '1', '--quiet'], dir);
    expect(t.stderr).not.toContain('error');
    expect(t.code).toBe(0);
    expect(t.stderr).not.toMatch(/^training /m); // --quiet
    const m = /^Test \(48 rows\): accuracy ([\d.]+), macro-F1 ([\d.]+)\s+\(3 classes of Grade: high, low, mid\)/m.exec(t.stdout);
    expect(m, t.stdout).not.toBeNull();
    expect(Number(m?.[1])).toBeGreaterThan(0.7);

    const b = await loadBundle(fileBundleStore(join(dir, 'multi-model')));
    let proba: Float64Array;
    try {
      expect(b.model.kind).toBe('NeuralClassifier');
      const pipe = tabularPipelineFromJSON(b.pipeline);
      proba = (b.model as FittedNeuralClassifier).predictProba(pipe.transform(parseCsv(await readFile(join(dir, 'multi-new.csv'), 'utf8'))));
    } finally {
      b.model.dispose();
    }
    const p = cli(['predict', 'multi-model', 'multi-new.csv'], dir);
    expect(p.code).toBe(0);
    const lines = p.stdout.trim().split('\n');
    expect(lines[0]).toBe('row,p_high,p_low,p_mid,predicted_Grade');
    expect(lines).toHaveLength(7);
    const classes = ['high', 'low', 'mid'];
    lines.slice(1).forEach((l, i) => {
      const f = l.split(',');
      const ps = f.slice(1, 4).map(Number);
      ps.forEach((v, j) => expect(v).toBeCloseTo(proba[i * 3 + j] as number, 5));
      expect(ps.reduce((a, v) => a + v, 0)).toBeCloseTo(1, 5);
      expect(f[4]).toBe(classes[ps.indexOf(Math.max(...ps))]);
    });

    const row3 = (lines[3] as string).split(',');
    const e = cli(['explain', 'multi-model', 'multi-new.csv', '--row', '3'], dir);
    expect(e.code, e.stderr).toBe(0);
    const h = /^Row 3: predicted Grade = (\w+), P\(Grade = (\w+)\) = ([\d.]+)\s+\(base ([\d.]+)\)/.exec(e.stdout);
    expect(h, e.stdout).not.toBeNull();
    expect(h?.[1]).toBe(row3[4]);
    expect(h?.[2]).toBe(row3[4]);
    expect(Number(h?.[3])).toBeCloseTo(Math.max(...row3.slice(1, 4).map(Number)), 3);
    const values = contributionLines(e.stdout).map((l) => Number(l.trim().split(/\s+/)[0]));
    expect(values).toHaveLength(2);
    expect(Number(h?.[4]) + values.reduce((a, v) => a + v, 0)).toBeCloseTo(Number(h?.[3]), 2);
    expect(e.stdout).toMatch(/\d\. x[12] = \S+ (raised|lowered) P\(Grade = \w+\) by \d\.\d{3}/);
  });

  it('--task checks, and clear errors for bundle dirs', async () => {
    const reg = cli(['train', 'multi.csv', '--target', 'Grade', '--task', 'regression'], dir);
    expect(reg.code).toBe(1);
    expect(reg.stderr).toContain("the categorical column 'Grade'");
    const two = cli(['train', 'numeric.csv', '--target', 'default', '--task', 'multiclass'], dir);
    expect(two.code).toBe(1);
    expect(two.stderr).toContain('at least 3 distinct labels');
    for (const args of [
      ['train', 'reg.csv', '--target', 'y', '--task', 'ordinal'],
      ['train', 'reg.csv', '--target', 'y', '--positive', 'x'],
      ['predict', 'reg-model', 'reg-new.csv', '--threshold', '0.3'],
    ]) {
      const r = cli(args, dir);
      expect(r.code, `${args.join(' ')}\n${r.stderr}`).toBe(2);
      expect(r.stderr).toMatch(/Run 'finml (train|predict) --help' for usage/);
    }
    expect(cli(['train', '--help'], dir).stdout).toContain('--task <task>');
    expect(cli(['predict', 'reg-model', 'multi-new.csv'], dir).stderr).toContain("'region'");

    // a bundle dir without its explainer, or with a truncated weights.bin
    await mkdir(join(dir, 'reg-broken'), { recursive: true });
    for (const f of ['model.json', 'bundle.json']) await writeFile(join(dir, 'reg-broken', f), await readFile(join(dir, 'reg-model', f)));
    const w = await readFile(join(dir, 'reg-model', 'weights.bin'));
    await writeFile(join(dir, 'reg-broken', 'weights.bin'), w);
    expect(cli(['predict', 'reg-broken', 'reg-new.csv'], dir).code).toBe(0);
    const noExplainer = cli(['explain', 'reg-broken', 'reg-new.csv', '--row', '1'], dir);
    expect(noExplainer.code).toBe(1);
    expect(noExplainer.stderr).toContain('explainer.json is missing');
    await writeFile(join(dir, 'reg-broken', 'weights.bin'), w.subarray(0, w.byteLength - 8));
    const truncated = cli(['predict', 'reg-broken', 'reg-new.csv'], dir);
    expect(truncated.code).toBe(1);
    expect(truncated.stderr).toMatch(/weights\.bin.*truncated/);
  });
});

describe('CLI commands in-process', () => {
  it('train, predict and explain leave no tensors behind (also when they throw)', async () => {
    const sink: string[] = [];
    const io: CliIO = { stdout: { write: (s: string) => sink.push(s) }, stderr: { write: (s: string) => sink.push(s) } };
    const out = join(dir, 'leak-model');
    await expectNoLeak(async () => {
      await trainCommand({ file: join(dir, 'train.csv'), target: 'Class', out, members: 2, epochs: 3, seed: 1, testSize: 0.25, hidden: [4], positive: null, shapRows: 2, quiet: true, backend: 'cpu' }, io);
      await predictCommand({ modelDir: out, file: join(dir, 'new.csv'), out: null, threshold: null }, io);
      await explainCommand({ modelDir: out, file: join(dir, 'new.csv'), row: 1, top: 3, svg: null }, io);
      await expect(explainCommand({ modelDir: out, file: join(dir, 'new.csv'), row: 50, top: 3, svg: null }, io)).rejects.toThrow(/between 1 and 7/);
      await expect(predictCommand({ modelDir: out, file: join(dir, 'nocols.csv'), out: null, threshold: null }, io)).rejects.toThrow(/Amount/);
    });
    expect(sink.join('')).toContain('Test (60 rows)');
  });

  it('regression and multiclass train, predict and explain leave no tensors behind', async () => {
    const io: CliIO = { stdout: { write: () => true }, stderr: { write: () => true } };
    for (const [file, target, newFile, task] of [['reg.csv', 'y', 'reg-new.csv', 'regression'], ['multi.csv', 'Grade', 'multi-new.csv', 'auto']] as const) {
      const out = join(dir, `leak-${task}`);
      await expectNoLeak(async () => {
        await trainCommand({ file: join(dir, file), target, out, members: 1, epochs: 3, seed: 1, testSize: 0.25, hidden: [4], positive: null, shapRows: 0, quiet: true, backend: 'cpu', task }, io);
        await predictCommand({ modelDir: out, file: join(dir, newFile), out: null, threshold: null }, io);
        await explainCommand({ modelDir: out, file: join(dir, newFile), row: 1, top: 3, svg: null }, io);
        await expect(explainCommand({ modelDir: out, file: join(dir, newFile), row: 50, top: 3, svg: null }, io)).rejects.toThrow(/between 1 and 6/);
      });
    }
  });
});

describe('progress', () => {
  it('createProgressBar redraws one line on a TTY and prints plain lines otherwise', () => {
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

  it('trainingProgress starts one bar per network and ends it with how training stopped', () => {
    const plain: string[] = [];
    const p = trainingProgress(2, 10, { write: (s: string) => plain.push(s) });
    p.onEpochEnd({ epoch: 0, loss: 0.7, valLoss: 0.69 });
    p.onEpochEnd({ epoch: 1, loss: 0.6 });
    p.onTrainEnd({ epochs: 2, stopReason: 'earlyStopping', bestEpoch: 0 });
    p.onEpochEnd({ epoch: 0, loss: 0.5 });
    p.onTrainEnd({ epochs: 10, stopReason: 'completed', bestEpoch: null });
    expect(plain).toEqual([
      'member 1/2 1/10 loss 0.7000 val_loss 0.6900\n',
      'member 1/2 2/10 loss 0.6000\n',
      'member 1/2 (early stop, best epoch 1)\n',
      'member 2/2 1/10 loss 0.5000\n',
    ]);
    const tty: string[] = [];
    const t = trainingProgress(1, 4, { isTTY: true, columns: 80, write: (s: string) => tty.push(s) });
    t.onEpochEnd({ epoch: 3, loss: 0.25 });
    t.onTrainEnd({ epochs: 4, stopReason: 'completed', bestEpoch: null });
    expect(tty[0]).toMatch(/^\rmember 1\/1 \[#+\] 4\/4 loss 0\.2500$/);
    expect(tty[1]).toBe('\n');
    // the final status is drawn into the bar line, which still fits the terminal
    const narrow: string[] = [];
    const n = trainingProgress(1, 200, { isTTY: true, columns: 100, write: (s: string) => narrow.push(s) });
    n.onEpochEnd({ epoch: 82, loss: 0.5698, valLoss: 0.578 });
    n.onTrainEnd({ epochs: 83, stopReason: 'earlyStopping', bestEpoch: 67 });
    expect(narrow[1]).toMatch(/^\rmember 1\/1 \[#+-+\] 83\/200 loss 0\.5698 val_loss 0\.5780 \(early stop, best epoch 68\)\n$/);
    for (const s of narrow) expect(s.replace(/^\r/, '').replace(/\n$/, '').length).toBeLessThanOrEqual(100);
  });

  it('trainingProgress follows networks trained together live, then ignores the per-network replay', () => {
    const plain: string[] = [];
    const p = trainingProgress(2, 10, { write: (s: string) => plain.push(s) });
    p.onEnsembleEpochEnd({ epoch: 0, members: [{ epoch: 0, loss: 0.7, valLoss: 0.69 }, { epoch: 0, loss: 0.6, valLoss: 0.65 }] });
    p.onEnsembleEpochEnd({ epoch: 1, members: [null, { epoch: 1, loss: 0.5, valLoss: 0.61 }] });
    p.onEpochEnd({ epoch: 0, loss: 0.7, valLoss: 0.69 });
    p.onTrainEnd({ epochs: 1, stopReason: 'earlyStopping', bestEpoch: 0 });
    p.onEpochEnd({ epoch: 0, loss: 0.6, valLoss: 0.65 });
    p.onEpochEnd({ epoch: 1, loss: 0.5, valLoss: 0.61 });
    p.onTrainEnd({ epochs: 10, stopReason: 'completed', bestEpoch: 9 });
    expect(plain).toEqual([
      'member 1/2 1/10 loss 0.7000 val_loss 0.6900\n',
      'member 2/2 1/10 loss 0.6000 val_loss 0.6500\n',
      'member 2/2 2/10 loss 0.5000 val_loss 0.6100\n',
      'member 1/2 (early stop, best epoch 1)\n',
      'member 2/2 (10 epochs)\n',
    ]);
    const tty: string[] = [];
    const t = trainingProgress(2, 4, { isTTY: true, columns: 80, write: (s: string) => tty.push(s) });
    t.onEnsembleEpochEnd({ epoch: 0, members: [{ epoch: 0, loss: 0.7, valLoss: 0.6 }, { epoch: 0, loss: 0.6, valLoss: 0.4 }] });
    t.onEnsembleEpochEnd({ epoch: 1, members: [null, { epoch: 1, loss: 0.5, valLoss: 0.3 }] });
    t.onEpochEnd({ epoch: 0, loss: 0.7, valLoss: 0.6 });
    t.onTrainEnd({ epochs: 1, stopReason: 'earlyStopping', bestEpoch: 0 });
    t.onTrainEnd({ epochs: 2, stopReason: 'completed', bestEpoch: 1 });
    expect(tty[0]).toMatch(/^\rnetworks \[#+-+\] 1\/4 2\/2 training val_loss 0\.5000$/);
    expect(tty[1]).toMatch(/^\rnetworks \[#+-+\] 2\/4 1\/2 training val_loss 0\.3000/);
    expect(tty.slice(2)).toEqual(['\n', 'member 1/2 (early stop, best epoch 1)\n', 'member 2/2 (2 epochs)\n']);
  });

  it('networkProgress draws one "training" bar for a single network', () => {
    const plain: string[] = [];
    const p = networkProgress(5, { write: (s: string) => plain.push(s) });
    p.onEpochEnd({ epoch: 0, loss: 1.5, valLoss: 1.25 });
    p.onEpochEnd({ epoch: 1, loss: 1 });
    p.onTrainEnd({ epochs: 2, stopReason: 'earlyStopping', bestEpoch: 0 });
    expect(plain).toEqual(['training 1/5 loss 1.5000 val_loss 1.2500\n', 'training 2/5 loss 1.0000\n', 'training (early stop, best epoch 1)\n']);
    const tty: string[] = [];
    const t = networkProgress(2, { isTTY: true, columns: 80, write: (s: string) => tty.push(s) });
    t.onEpochEnd({ epoch: 1, loss: 0.5 });
    t.onTrainEnd({ epochs: 2, stopReason: 'completed', bestEpoch: null });
    expect(tty).toEqual([expect.stringMatching(/^\rtraining \[#+\] 2\/2 loss 0\.5000$/), '\n']);
  });
});

describe('resolveTask', () => {
  const fn = 'finml train';
  it('auto: 2 labels or values -> binary, more categorical labels -> multiclass, other numeric -> regression', () => {
    expect(resolveTask({ kind: 'categorical', name: 'c', values: ['a', 'b', 'a'] }, 'auto', fn)).toBe('binary');
    expect(resolveTask({ kind: 'numeric', name: 'n', values: new Float64Array([0, 1, 1]) }, 'auto', fn)).toBe('binary');
    expect(resolveTask({ kind: 'categorical', name: 'c', values: ['a', 'b', 'c'] }, 'auto', fn)).toBe('multiclass');
    // integer-coded levels stay numeric under auto; --task multiclass models them as classes
    expect(resolveTask({ kind: 'numeric', name: 'n', values: new Float64Array([1, 2, 3, 2]) }, 'auto', fn)).toBe('regression');
    expect(resolveTask({ kind: 'numeric', name: 'n', values: new Float64Array([1, 2, 3, 2]) }, 'multiclass', fn)).toBe('multiclass');
    expect(resolveTask({ kind: 'categorical', name: 'c', values: ['a', 'b', 'c'] }, 'binary', fn)).toBe('binary');
  });
  it('rejects missing targets and tasks that do not fit the column', () => {
    expect(() => resolveTask({ kind: 'numeric', name: 'n', values: new Float64Array([1, NaN, 3]) }, 'auto', fn)).toThrow(/missing value in data row 2/);
    expect(() => resolveTask({ kind: 'categorical', name: 'c', values: ['a', null, 'b'] }, 'regression', fn)).toThrow(/missing value in data row 2/);
    expect(() => resolveTask({ kind: 'categorical', name: 'c', values: ['a', 'b', 'c'] }, 'regression', fn)).toThrow(/categorical column 'c'/);
    expect(() => resolveTask({ kind: 'categorical', name: 'c', values: ['a', 'b'] }, 'multiclass', fn)).toThrow(/at least 3 distinct/);
  });
});
