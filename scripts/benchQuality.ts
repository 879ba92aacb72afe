/**
 * `npm run bench:quality`: is buildRiskModel worth its place? Repeated stratified 80/20 splits
 * (default 10 per data set) of data/german_credit.csv and data/credit_data.csv (missing values,
 * lower-case labels); on every split the preset and the library's L2 logistic regression
 * (`logisticRegression({ l2: 1 })`, the preset's `baselineL2`) are fitted on the same training rows
 * and the same preprocessing (the preset's fitted tabular pipeline), and scored on the same test
 * rows: AUC, log loss, Brier, calibration slope and intercept (logistic recalibration), ECE
 * (10 equal-width bins) and fit seconds. Paired differences (preset − logistic regression) of AUC
 * and log loss get a 95% t interval over the splits. Backend: wasm (BACKEND=cpu to change).
 *
 * Speed: German credit (all 1000 rows) and a synthetic 10 000-row table with 120 encoded columns
 * (100 numeric + two 10-level categoricals), fit seconds of the preset (goal: ≤ 2 s and ≤ 20 s on
 * wasm, 2 cores) and of the logistic regression.
 *
 * Usage: npm run bench:quality [-- --splits 10 --data german_credit,credit_data --speed yes|no|only]
 * Prints a table on stderr and the JSON on stdout; the JSON also goes to out/benchQuality.json.
 * The Python side (scikit-learn, xgboost) is not run here.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { useBackend, type BackendName } from '../src/core/backend';
import { getColumn } from '../src/data/getColumn';
import { takeRows } from '../src/data/takeRows';
import { trainTestSplit } from '../src/data/trainTestSplit';
import { tabularPipeline } from '../src/data/tabularPipeline';
import { brierScore } from '../src/metrics/brierScore';
import { expectedCalibrationError } from '../src/metrics/expectedCalibrationError';
import { logisticCalibration } from '../src/metrics/logisticCalibration';
import { logLoss } from '../src/metrics/logLoss';
import { rocAuc } from '../src/metrics/rocAuc';
import { logisticRegression } from '../src/models/logisticRegression';
import { readCsv } from '../src/node/index';
import { createRng } from '../src/core/random';
import type { Table } from '../src/data/table';
import { buildRiskModel } from '../src/presets/buildRiskModel';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const DATA: Record<string, { file: string; target: string }> = {
  german_credit: { file: 'data/german_credit.csv', target: 'Class' },
  credit_data: { file: 'data/credit_data.csv', target: 'Status' },
};

interface Scores {
  auc: number;
  logLoss: number;
  brier: number;
  calSlope: number;
  calIntercept: number;
  ece: number;
  fitSeconds: number;
}

function scores(y: Float64Array, pIn: ArrayLike<number>, fitSeconds: number): Scores {
  const p = Float64Array.from(pIn);
  const c = logisticCalibration(y, p);
  return {
    auc: rocAuc(y, p),
    logLoss: logLoss(y, p),
    brier: brierScore(y, p),
    calSlope: c.slope,
    calIntercept: c.interceptInTheLarge,
    ece: expectedCalibrationError(y, p, { nBins: 10 }),
    fitSeconds,
  };
}

const mean = (a: readonly number[]): number => a.reduce((s, v) => s + v, 0) / a.length;
const sd = (a: readonly number[]): number => {
  const m = mean(a);
  return Math.sqrt(a.reduce((s, v) => s + (v - m) ** 2, 0) / (a.length - 1));
};
/** Two-sided 97.5% quantile of Student's t (df 1..30; normal beyond). */
const T975 = [12.706, 4.303, 3.182, 2.776, 2.571, 2.447, 2.365, 2.306, 2.262, 2.228, 2.201, 2.179, 2.16, 2.145, 2.131, 2.12, 2.11, 2.101, 2.093, 2.086, 2.08, 2.074, 2.069, 2.064, 2.06, 2.056, 2.052, 2.048, 2.045, 2.042];
function pairedInterval(d: readonly number[]): { mean: number; lo: number; hi: number } {
  const m = mean(d);
  const half = (T975[d.length - 2] ?? 1.96) * (sd(d) / Math.sqrt(d.length));
  return { mean: m, lo: m - half, hi: m + half };
}

/** 100 numeric columns and two 10-level categoricals (120 encoded columns), about 20% defaults. */
function synthetic(n: number): Table {
  const rng = createRng(99);
  const cols: Table['columns'][number][] = [];
  const z = new Float64Array(n).fill(-1.6);
  for (let j = 0; j < 100; j++) {
    const v = Float64Array.from({ length: n }, () => rng.normal());
    const w = j < 10 ? 0.4 / (1 + j) : 0;
    v.forEach((x, i) => (z[i] = (z[i] as number) + w * x + (j === 0 ? 0.2 * x * x : 0)));
    cols.push({ kind: 'numeric', name: `x${j}`, values: v });
  }
  for (const c of ['region', 'channel']) {
    const v = Array.from({ length: n }, () => `${c}${Math.floor(rng.next() * 10)}`);
    v.forEach((s, i) => (z[i] = (z[i] as number) + (s.endsWith('3') ? 0.5 : 0)));
    cols.push({ kind: 'categorical', name: c, values: v });
  }
  cols.push({ kind: 'categorical', name: 'y', values: Array.from(z, (v) => (rng.next() < 1 / (1 + Math.exp(-v)) ? 'bad' : 'good')) });
  return { nRows: n, columns: cols };
}

async function timeFit(table: Table, target: string): Promise<{ encodedColumns: number; presetSeconds: number; logisticSeconds: number }> {
  const t0 = performance.now();
  const model = await buildRiskModel(table, { target });
  const presetSeconds = (performance.now() - t0) / 1000;
  const encodedColumns = model.pipeline.nFeaturesOut;
  model.dispose();
  const t1 = performance.now();
  const pipe = tabularPipeline({ target, positive: model.positive, numeric: { impute: 'median', scale: 'standard' }, categorical: { impute: 'most_frequent', encode: 'onehot', handleUnknown: 'ignore' } }).fit(table);
  logisticRegression({ l2: 1 }).fit(pipe.transform(table), pipe.transformTarget(table));
  return { encodedColumns, presetSeconds, logisticSeconds: (performance.now() - t1) / 1000 };
}

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const arg = (name: string, def: string): string => {
    const i = args.indexOf(`--${name}`);
    return i >= 0 ? (args[i + 1] ?? def) : def;
  };
  const nSplits = Number(arg('splits', '10'));
  const sets = arg('data', Object.keys(DATA).join(',')).split(',');
  const backend = (process.env.BACKEND ?? 'wasm') as BackendName;
  const speed = arg('speed', 'yes');
  await useBackend(backend);
  const results: Record<string, unknown> = {};
  const lines: string[] = [];
  for (const name of speed === 'only' ? [] : sets) {
    const d = DATA[name];
    if (d === undefined) throw new Error(`unknown data set ${name}`);
    const table = await readCsv(join(root, d.file));
    const labels = Array.from(getColumn(table, d.target).values as ArrayLike<unknown>, String);
    const rows: { split: number; preset: Scores; logistic: Scores; networkWeight: number }[] = [];
    for (let s = 0; s < nSplits; s++) {
      const split = trainTestSplit(table.nRows, { testSize: 0.2, seed: 1000 + s, stratify: labels });
      const train = takeRows(table, split.train);
      const test = takeRows(table, split.test);
      const t0 = performance.now();
      const model = await buildRiskModel(train, { target: d.target, seed: s });
      const presetSeconds = (performance.now() - t0) / 1000;
      try {
        const y = model.pipeline.transformTarget(test);
        const preset = scores(y, model.score(test), presetSeconds);
        // The baseline on the same preprocessing and rows, timed on its own (pipeline + fit).
        const t1 = performance.now();
        const pipe = tabularPipeline(model.pipeline.params).fit(train);
        const lr = logisticRegression({ l2: model.params.baselineL2 }).fit(pipe.transform(train), pipe.transformTarget(train));
        const lrSeconds = (performance.now() - t1) / 1000;
        const logistic = scores(y, lr.predictProba(pipe.transform(test)), lrSeconds);
        rows.push({ split: s, preset, logistic, networkWeight: model.validation.networkWeight });
        process.stderr.write(
          `${name} split ${s}: preset AUC ${preset.auc.toFixed(4)} LL ${preset.logLoss.toFixed(4)} slope ${preset.calSlope.toFixed(2)} ${presetSeconds.toFixed(1)} s | LR AUC ${logistic.auc.toFixed(4)} LL ${logistic.logLoss.toFixed(4)} slope ${logistic.calSlope.toFixed(2)} | w ${model.validation.networkWeight}\n`,
        );
      } finally {
        model.dispose();
      }
    }
    const summary = (k: 'preset' | 'logistic'): Record<string, number> =>
      Object.fromEntries((Object.keys(rows[0]?.[k] ?? {}) as (keyof Scores)[]).map((m) => [m, mean(rows.map((r) => r[k][m]))]));
    const aucDiff = pairedInterval(rows.map((r) => r.preset.auc - r.logistic.auc));
    const llDiff = pairedInterval(rows.map((r) => r.preset.logLoss - r.logistic.logLoss));
    const ps = summary('preset');
    const ls = summary('logistic');
    results[name] = { rows: table.nRows, splits: nSplits, mean: { preset: ps, logistic: ls }, pairedDifference95: { auc: aucDiff, logLoss: llDiff }, perSplit: rows };
    const f = (v: number | undefined, dg = 4): string => (v ?? Number.NaN).toFixed(dg).padStart(8);
    lines.push(`\n${name} (${table.nRows} rows, ${nSplits} stratified 80/20 splits, backend ${backend}): means`);
    lines.push('model       AUC   logLoss     Brier  calSlope  calInter       ECE    fit s');
    for (const [k, v] of [['preset', ps], ['logistic', ls]] as const) {
      lines.push(`${k.padEnd(8)}${f(v.auc)}  ${f(v.logLoss)}  ${f(v.brier)}  ${f(v.calSlope, 3)}  ${f(v.calIntercept, 3)}  ${f(v.ece)} ${f(v.fitSeconds, 2)}`);
    }
    lines.push(`preset − logistic, paired 95% interval: AUC ${aucDiff.mean.toFixed(4)} [${aucDiff.lo.toFixed(4)}, ${aucDiff.hi.toFixed(4)}], log loss ${llDiff.mean.toFixed(4)} [${llDiff.lo.toFixed(4)}, ${llDiff.hi.toFixed(4)}]`);
  }
  if (speed !== 'no') {
    const timing: Record<string, { rows: number; encodedColumns: number; presetSeconds: number; logisticSeconds: number; goalSeconds: number }> = {};
    const german = await readCsv(join(root, 'data/german_credit.csv'));
    timing.german_credit = { rows: german.nRows, ...(await timeFit(german, 'Class')), goalSeconds: 2 };
    timing.synthetic_10k_x_120 = { rows: 10000, ...(await timeFit(synthetic(10000), 'y')), goalSeconds: 20 };
    results.speed = timing;
    lines.push(`\nfit seconds (backend ${backend}):`);
    for (const [k, v] of Object.entries(timing)) lines.push(`${k.padEnd(22)} ${v.rows} rows x ${v.encodedColumns} encoded columns: preset ${v.presetSeconds.toFixed(1)} s (goal ${v.goalSeconds} s), logistic regression ${v.logisticSeconds.toFixed(2)} s`);
  }
  process.stderr.write(`${lines.join('\n')}\n`);
  const report = { date: new Date().toISOString(), node: process.version, cpus: cpus().length, backend, baseline: 'logisticRegression({ l2: 1 }) on the preset pipeline', python: 'not run (scikit-learn/xgboost comparisons are not part of this bench)', results };
  const json = `${JSON.stringify(report, null, 2)}\n`;
  mkdirSync(join(root, 'out'), { recursive: true });
  writeFileSync(join(root, 'out', 'benchQuality.json'), json);
  process.stdout.write(json);
}

main().catch((e: unknown) => {
  process.stderr.write(`${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
  process.exit(1);
});
