/**
 * Output safety of the `finml` command, run in-process through `main` (same code path as the
 * binary): output paths validated before training, inputs never overwritten, atomic predictions,
 * formula-leading cells neutralised, control characters stripped, unseen categories per row.
 */
import { mkdir, mkdtemp, readFile, readdir, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRng } from '../../src/core/random';
import { main } from '../../src/cli/main';
import { csvCell, terminalSafe } from '../../src/cli/safeOutput';
import type { CliIO } from '../../src/cli/commands';

let dir: string;

function run(args: string[]): Promise<{ code: number; out: string; err: string }> {
  const out: string[] = [];
  const err: string[] = [];
  const io: CliIO = { stdout: { write: (s: string) => out.push(s) }, stderr: { write: (s: string) => err.push(s) } };
  return main(args, io).then((code) => ({ code, out: out.join(''), err: err.join('') }));
}

function csv(n: number, seed: number, labels: readonly [string, string], purposes: readonly string[] = ['car', 'furniture', 'education']): string {
  const rng = createRng(seed);
  const lines = ['Duration,Purpose,Price,Class'];
  for (let i = 0; i < n; i++) {
    const d = 6 + rng.int(42);
    const p = purposes[rng.int(purposes.length)] as string;
    const risk = 0.08 * (d - 24) + 0.5 * rng.normal();
    lines.push(`${d},${p},${(100 + 3 * d + (p === 'car' ? 20 : 0) + rng.normal()).toFixed(2)},"${(risk > 0 ? labels[0] : labels[1]).replace(/"/g, '""')}"`);
  }
  return `${lines.join('\n')}\n`;
}

const FAST = ['--members', '1', '--epochs', '2', '--shap-rows', '0', '--quiet'];
const noStack = (s: string): void => {
  expect(s).not.toMatch(/\n\s+at /);
  expect(s).not.toMatch(/unexpected error/);
};

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'finml-cli-safety-'));
  await writeFile(join(dir, 'train.csv'), csv(80, 1, ['Bad', 'Good']));
});

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('helpers', () => {
  it('csvCell neutralises formula-leading text unless asked to keep it', () => {
    expect(csvCell('=1+1')).toBe("'=1+1");
    expect(csvCell('+SUM(A1)')).toBe("'+SUM(A1)");
    expect(csvCell('-2')).toBe("'-2");
    expect(csvCell('@cmd')).toBe("'@cmd");
    expect(csvCell('\tx')).toBe("'\tx");
    expect(csvCell('=HYPERLINK("http://x","y")')).toBe('"\'=HYPERLINK(""http://x"",""y"")"');
    expect(csvCell('Good')).toBe('Good');
    expect(csvCell('a=b')).toBe('a=b');
    expect(csvCell('=1+1', true)).toBe('=1+1');
  });

  it('terminalSafe strips CSI/OSC/DCS escapes, C0/C1 controls and bidi overrides, keeps text, tabs and newlines', () => {
    expect(terminalSafe('Paid\u001b[2J\u001b]0;pwned\u0007 on time')).toBe('Paid on time');
    expect(terminalSafe('a\u001b]8;;http://x\u001b\\link\u001b]8;;\u001b\\b')).toBe('alinkb');
    expect(terminalSafe('x\u0000\u0008\u007f\u009b31my\u202etxt.exe')).toBe('xytxt.exe');
    expect(terminalSafe('line1\n\tline2\r')).toBe('line1\n\tline2\r');
    expect(terminalSafe('Größe €')).toBe('Größe €');
  });
});

describe('finml train output paths', () => {
  it('rejects a bad --out before reading or training, with a typed message and no stack trace', async () => {
    await writeFile(join(dir, 'afile'), 'x');
    await mkdir(join(dir, 'busy'));
    await writeFile(join(dir, 'busy', 'thesis.tex'), 'mine');
    await symlink(join(dir, 'busy'), join(dir, 'link'));
    const cases: [string, RegExp][] = [
      [join(dir, 'afile', 'model'), /not a directory/],
      [join(dir, 'afile'), /existing file/],
      [join(dir, 'train.csv'), /input file itself/],
      [join(dir, 'busy'), /thesis\.tex/],
      [join(dir, 'link'), /symbolic link/],
    ];
    for (const [out, msg] of cases) {
      const r = await run(['train', join(dir, 'train.csv'), '--target', 'Class', '--out', out, ...FAST]);
      expect(r.code, out).toBe(2);
      expect(r.err, out).toMatch(/^finml: The '--out' option of finml train/);
      expect(r.err, out).toMatch(msg);
      expect(r.err, out).not.toMatch(/rows \(/); // nothing was read or trained
      noStack(r.err);
    }
    expect(await readFile(join(dir, 'busy', 'thesis.tex'), 'utf8')).toBe('mine');
    expect(await readFile(join(dir, 'afile'), 'utf8')).toBe('x');
  });
});

describe('finml predict', () => {
  const model = (): string => join(dir, 'm-formula');

  beforeAll(async () => {
    await writeFile(join(dir, 'formula.csv'), csv(80, 2, ['=HYPERLINK("http://evil","x")', '@SUM(1+1)']));
    const r = await run(['train', join(dir, 'formula.csv'), '--target', 'Class', '--positive', '@SUM(1+1)', '--out', model(), ...FAST]);
    expect(r.code, r.err).toBe(0);
    expect((await readdir(model())).sort()).toEqual(['bundle.json', 'metrics.json', 'model.json', 'report.html', 'weights.bin']);
  });

  it('refuses to overwrite its input or write into a directory or the model dir', async () => {
    const input = join(dir, 'formula.csv');
    const before = await readFile(input, 'utf8');
    for (const [out, msg] of [
      [input, /overwrite the input/],
      [dir, /existing directory/],
      [join(model(), 'model.json'), /overwrite the input/],
      [join(dir, 'afile', 'p.csv'), /not a directory/],
    ] as [string, RegExp][]) {
      const r = await run(['predict', model(), input, '--out', out]);
      expect(r.code, out).toBe(2);
      expect(r.err, out).toMatch(msg);
      noStack(r.err);
    }
    expect(await readFile(input, 'utf8')).toBe(before);
    const linked = join(dir, 'formula-link.csv');
    await symlink(input, linked);
    const r = await run(['predict', model(), linked, '--out', input]);
    expect(r.code).toBe(2);
    expect(await readFile(input, 'utf8')).toBe(before);
  });

  it('writes predictions atomically with formula-leading labels neutralised (or kept on request)', async () => {
    const out = join(dir, 'preds', 'p.csv');
    const r = await run(['predict', model(), join(dir, 'formula.csv'), '--out', out]);
    expect(r.code, r.err).toBe(0);
    const text = await readFile(out, 'utf8');
    const cells = text.trim().split('\n').slice(1).map((l) => l.replace(/^\d+,[0-9.]+,/, ''));
    expect(cells.length).toBe(80);
    for (const c of cells) expect(c === '"\'=HYPERLINK(""http://evil"",""x"")"' || c === "'@SUM(1+1)", c).toBe(true);
    expect(text.split('\n')[0]).toMatch(/^row,"?p_/);
    expect(await readdir(join(dir, 'preds'))).toEqual(['p.csv']);
    const kept = await run(['predict', model(), join(dir, 'formula.csv'), '--out', out, '--keep-formulas']);
    expect(kept.code).toBe(0);
    expect(await readFile(out, 'utf8')).toMatch(/\n1,[0-9.]+,("=HYPERLINK|@SUM)/);
  });

  it('strips escape sequences from names and labels it prints', async () => {
    await writeFile(join(dir, 'esc.csv'), csv(60, 4, ['Bad\u001b]0;pwned\u0007', 'Good\u001b[2J']).replace('Duration', 'Dur\u001b[31mation'));
    const r = await run(['train', join(dir, 'esc.csv'), '--target', 'Class', '--positive', 'Bad\u001b]0;pwned\u0007', '--out', join(dir, 'm-esc'), '--members', '1', '--epochs', '2', '--shap-rows', '5']);
    expect(r.code, r.err).toBe(0);
    expect(r.err + r.out).not.toMatch(/[\u001b\u0007]/);
    expect(r.err).toMatch(/Bad0;pwned|Bad/);
    const p = await run(['predict', join(dir, 'm-esc'), join(dir, 'esc.csv')]);
    expect(p.out).not.toMatch(/[\u001b\u0007]/);
    const bad = await run(['train', join(dir, 'esc.csv'), '--target', 'No\u001b[2JSuch', '--out', join(dir, 'm-x'), ...FAST]);
    expect(bad.code).toBe(1);
    expect(bad.err).not.toMatch(/\u001b/);
  });

  it('scores regression and multiclass rows per row: an unseen category empties that row only and is reported', async () => {
    const reg = join(dir, 'm-reg');
    const r = await run(['train', join(dir, 'train.csv'), '--target', 'Price', '--task', 'regression', '--out', reg, '--epochs', '2', '--quiet']);
    expect(r.code, r.err).toBe(0);
    const lines = (await readFile(join(dir, 'train.csv'), 'utf8')).trim().split('\n').slice(0, 6);
    lines[2] = (lines[2] as string).replace(/,(car|furniture|education),/, ',spaceship,');
    lines[4] = (lines[4] as string).replace(/,(car|furniture|education),/, ',submarine,');
    await writeFile(join(dir, 'unseen.csv'), `${lines.join('\n')}\n`);
    const out = join(dir, 'unseen-preds.csv');
    const p = await run(['predict', reg, join(dir, 'unseen.csv'), '--out', out]);
    expect(p.code).toBe(1);
    expect(p.err).toMatch(/2 of 5 rows not scored/);
    expect(p.err).toMatch(/data row 2:.*spaceship/);
    expect(p.err).toMatch(/data row 4:.*submarine/);
    noStack(p.err);
    const rows = (await readFile(out, 'utf8')).trim().split('\n');
    expect(rows[0]).toBe('row,predicted_Price');
    expect(rows.slice(1).map((l) => l.split(',')[1] === '')).toEqual([false, true, false, true, false]);

    const multi = join(dir, 'm-multi');
    const m = await run(['train', join(dir, 'train.csv'), '--target', 'Purpose', '--task', 'multiclass', '--out', multi, '--epochs', '2', '--quiet']);
    expect(m.code, m.err).toBe(0);
    const t2 = (await readFile(join(dir, 'train.csv'), 'utf8')).trim().split('\n').slice(0, 4);
    t2[1] = (t2[1] as string).replace(/,"(Bad|Good)"$/, ',"Unknown"');
    await writeFile(join(dir, 'unseen2.csv'), `${t2.join('\n')}\n`);
    const q = await run(['predict', multi, join(dir, 'unseen2.csv')]);
    expect(q.code).toBe(1);
    expect(q.err).toMatch(/1 of 3 rows not scored.*data row 1:.*Unknown/);
    expect(q.out.trim().split('\n')[1]).toBe('1,,,,');
    expect(q.out.trim().split('\n')[2]).toMatch(/^2,[0-9.]+,[0-9.]+,[0-9.]+,\w+$/);
  });
});

describe('finml train reports CSV warnings', () => {
  it('prints stray tokens read as missing in a numeric column, and trains', async () => {
    const text = csv(80, 3, ['Bad', 'Good']).split('\n');
    text[5] = text[5]!.replace(/^\d+,/, 'n/a,');
    await writeFile(join(dir, 'stray.csv'), text.join('\n'));
    const r = await run(['train', join(dir, 'stray.csv'), '--target', 'Class', '--out', join(dir, 'm-stray'), ...FAST]);
    expect(r.code, r.err).toBe(0);
    expect(r.err).toMatch(/finml: warning: .*Duration.*n\/a/);
    noStack(r.err);
  });
});
