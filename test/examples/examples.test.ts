/**
 * Runs every example in examples/ as a user would (`tsx examples/<file>.ts` from the repository
 * root), in quick mode (FINML_EXAMPLE_QUICK=1: fewer epochs, folds and trials), and checks the exit
 * code, an empty stderr, the key lines of the output, the numbers in them, and the files written.
 */
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, readdir, rm } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const TSX_CLI = createRequire(import.meta.url).resolve('tsx/cli');

interface Run {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** `node tsx/cli examples/<name>.ts` in the repo root (what `npx tsx examples/<name>.ts` runs). */
function runExample(name: string, env: Readonly<Record<string, string>> = {}): Promise<Run> {
  return new Promise((done, fail) => {
    const child = spawn(process.execPath, [TSX_CLI, join('examples', `${name}.ts`)], {
      cwd: ROOT,
      env: { ...process.env, FORCE_COLOR: '0', FINML_EXAMPLE_QUICK: '1', ...env },
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), 110_000);
    child.on('error', fail);
    child.on('close', (code) => {
      clearTimeout(timer);
      done({ code, stdout, stderr });
    });
  });
}

/** The number after `label` on the first line that contains it. */
function numberAfter(text: string, label: string): number {
  const i = text.indexOf(label);
  if (i < 0) throw new Error(`output has no line with ${JSON.stringify(label)}:\n${text}`);
  const m = /-?\d+(\.\d+)?(e[-+]?\d+)?/i.exec(text.slice(i + label.length));
  if (m === null) throw new Error(`no number after ${JSON.stringify(label)}`);
  return Number(m[0]);
}

function expectClean(r: Run): void {
  expect(r.stderr, r.stderr).toBe('');
  expect(r.code, r.stdout).toBe(0);
  expect(r.stdout).toContain('tensors leaked: 0');
}

describe('examples (quick mode)', () => {
  let out = '';
  beforeAll(async () => {
    out = await mkdtemp(join(tmpdir(), 'finml-examples-'));
  });
  afterAll(async () => {
    if (out !== '') await rm(out, { recursive: true, force: true });
  });

  it('creditRisk (npm run demo): test metrics, comparisons, top features, reason codes, bundle, report', async () => {
    const r = await runExample('creditRisk', { FINML_EXAMPLE_OUT: out });
    expectClean(r);
    const s = r.stdout;
    expect(numberAfter(s, 'test ROC-AUC:')).toBeGreaterThanOrEqual(0.7);
    const ks = numberAfter(s, 'test KS:');
    expect(ks).toBeGreaterThan(0.2);
    expect(ks).toBeLessThanOrEqual(1);
    const acc = numberAfter(s, 'test accuracy:');
    expect(acc).toBeGreaterThan(0.65); // above the 0.70 majority rate minus noise, far above chance
    expect(acc).toBeLessThanOrEqual(1);
    expect(numberAfter(s, 'test Brier:')).toBeLessThan(0.21); // the base-rate forecast scores 0.21
    expect(s).toContain('split: 800 train / 200 test');
    // The confusion matrix covers the 200 test rows: 140 Good, 60 Bad.
    const good = /actual Good\s+(\d+)\s+(\d+)/.exec(s);
    const bad = /actual Bad\s+(\d+)\s+(\d+)/.exec(s);
    expect(Number(good?.[1]) + Number(good?.[2])).toBe(140);
    expect(Number(bad?.[1]) + Number(bad?.[2])).toBe(60);
    // Comparison table: the preset and the logistic baseline are scored on the same test set.
    expect(numberAfter(s, 'CV ensemble)')).toBeGreaterThanOrEqual(0.7);
    expect(numberAfter(s, 'logistic regression, L2 (l2 = 1)')).toBeGreaterThanOrEqual(0.65);
    expect(numberAfter(s, 'risk model test calibration slope:')).toBeGreaterThan(0.5);
    // Top features: five raw column names, the checking account status among them.
    const top = /top features: (.+)/.exec(s)?.[1]?.split(', ') ?? [];
    expect(top).toHaveLength(5);
    const header = (await readFile(join(ROOT, 'data', 'german_credit.csv'), 'utf8')).split('\n')[0] ?? '';
    for (const f of top) expect(header).toContain(`"${f}"`);
    expect(top).toContain('CheckingAccountStatus');
    // Reason codes for one applicant.
    expect(s).toMatch(/reason codes for test applicant #\d+ \(PD 0\.\d+/);
    expect(s).toMatch(/1\. \w+ = .+ raised the default risk by \d\.\d+ \(log-odds\)/);
    // Bundle round trip and report files.
    expect(s).toContain('reloaded predictions identical (max |diff| = 0)');
    for (const f of ['model.json', 'weights.bin', 'bundle.json']) expect(existsSync(join(out, 'bundle', f))).toBe(true);
    const files = await readdir(out);
    for (const f of ['report.html', 'training-curve.svg', 'roc.svg', 'calibration.svg', 'shap-summary.svg', 'shap-waterfall.svg', 'feature-importance.svg']) {
      expect(files).toContain(f);
    }
    const html = await readFile(join(out, 'report.html'), 'utf8');
    expect(html).toContain('<svg');
    expect(html).toContain('CheckingAccountStatus');
    expect(html).not.toContain('<script');
  });

  it('stockForecast: walk-forward table vs naive/drift/AR(p), DM test, T-bill in differences, trading figures', async () => {
    const r = await runExample('stockForecast');
    expectClean(r);
    const s = r.stdout;
    expect(s.match(/^fold \d+: \d+ training windows/gm)).toHaveLength(2);
    // Two comparison tables (DAX and T-bill), each with the model and the three baselines.
    expect(s.match(/^walk-forward: 2 folds, \d+ test forecasts, target logReturn, horizon 1$/gm)).toHaveLength(1);
    expect(s.match(/^walk-forward: 2 folds, \d+ test forecasts, target diff, horizon 1$/gm)).toHaveLength(1);
    for (const label of ['naive (last value)', 'drift (mean change)', 'AR(p), p by AIC', 'Diebold–Mariano vs', 'per fold:']) {
      expect(s.split(label).length - 1, label).toBe(2);
    }
    const dax = s.slice(s.indexOf('target logReturn'));
    const modelRmse = numberAfter(dax, 'forecaster (AR + net)');
    const naiveRmse = numberAfter(dax, 'naive (last value)');
    expect(naiveRmse).toBeGreaterThan(0);
    const skill = numberAfter(s, 'RMSE skill vs naive:');
    expect(skill).toBeCloseTo(1 - modelRmse / naiveRmse, 2);
    expect(Math.abs(skill)).toBeLessThan(0.5); // daily index returns: no model is far from naive
    const p = numberAfter(dax, 'p-value');
    expect(p).toBeGreaterThanOrEqual(0);
    expect(p).toBeLessThanOrEqual(1);
    expect(Number.isFinite(numberAfter(s, 'T-bill skill vs AR(p):'))).toBe(true);
    for (const label of ['forecaster long/short', 'forecaster long-only', 'buy-and-hold DAX']) {
      const line = s.split('\n').find((l) => l.startsWith(label)) ?? '';
      const nums = line.slice(label.length).match(/-?\d+(\.\d+)?/g) ?? [];
      expect(nums, line).toHaveLength(5); // total, Sharpe, Sortino, max DD, turnover
      const dd = Number(nums[3]);
      expect(dd).toBeGreaterThan(0);
      expect(dd).toBeLessThan(100);
    }
  });

  it('ganReturns: quality report of GAN samples vs real NYSE returns and a Gaussian baseline, goals listed', async () => {
    const r = await runExample('ganReturns');
    expectClean(r);
    const s = r.stdout;
    expect(s).toContain('GAN quality report');
    expect(s).toMatch(/Lambert W x Gaussian fit: .*delta 0\.\d+/);
    for (const row of ['mean', 'std', 'skewness', 'excess kurtosis', 'acf(r) lag 1', 'acf(|r|) lags 1..5 mean', 'acf(r^2) lags 1..5 mean']) {
      expect(s).toMatch(new RegExp(`^${row.replace(/[()|^.]/g, '\\$&')}\\s+-?\\d`, 'm'));
    }
    expect(s).toMatch(/KS distance [\d.e-]+ \(p = [\d.e-]+\), n_real = 4000, n_synthetic = 4000/);
    expect(s).toMatch(/discriminative accuracy [\d.]+ on \d+ held-out series/);
    expect(s).toMatch(/AR\(5\) one-step MSE on real test series/);
    // Real NYSE returns are fat-tailed; an i.i.d. Gaussian is not.
    const baseline = s.slice(s.indexOf('Gaussian baseline'));
    const kurt = /excess kurtosis\s+(-?[\d.]+)\s+(-?[\d.]+)\s+(-?[\d.]+)/.exec(baseline);
    expect(Number(kurt?.[1])).toBeGreaterThan(3);
    expect(Math.abs(Number(kurt?.[3]))).toBeLessThan(0.5);
    expect(s.match(/^(met {4}|NOT met) {2}\S/gm)).toHaveLength(4);
  });

  it('hyperparameterSearch: random and TPE trials with CV, best params, test AUC of the best', async () => {
    const r = await runExample('hyperparameterSearch');
    expectClean(r);
    const s = r.stdout;
    expect(s.match(/^ {2}random trial +\d+: CV AUC/gm)).toHaveLength(4);
    expect(s.match(/^ {2}tpe trial +\d+: CV AUC/gm)).toHaveLength(4);
    for (const [name, prefix] of [['random search', 'random'], ['TPE', 'tpe']] as const) {
      const trialScores = [...s.matchAll(new RegExp(`^  ${prefix} trial +\\d+: CV AUC ([\\d.]+)`, 'gm'))].map((m) => Number(m[1]));
      const block = s.slice(s.indexOf(`${name}: best params`));
      expect(numberAfter(block, 'best CV AUC')).toBe(Math.max(...trialScores));
      expect(block).toMatch(/best params hidden \[[\d, ]+\], l2 [\d.e+-]+, dropout [\d.]+, lr [\d.e+-]+/);
      expect(numberAfter(block, 'best CV AUC')).toBeGreaterThan(0.6);
      const testAuc = numberAfter(block, 'test AUC of the refitted best:');
      expect(testAuc).toBeGreaterThan(0.6);
      expect(testAuc).toBeLessThanOrEqual(1);
    }
  });
});
