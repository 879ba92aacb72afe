/**
 * `npm run bench:quality`: is buildRiskModel worth its place? Repeated stratified 80/20 splits
 * (default 10 per data set) of data/german_credit.csv, data/credit_data.csv (missing values,
 * lower-case labels) and two seeded synthetic loan tables generated here (never committed, not
 * tuned to): `synthetic_highcard` (7 900 rows, 5% defaults, categoricals of 50 and 35 levels,
 * non-linear risk) and `synthetic_small` (1 300 rows, 20% defaults). On every split the preset and
 * the library's L2 logistic regression (`logisticRegression({ l2: 1 })`, the preset's `baselineL2`)
 * are fitted on the same training rows and the same preprocessing (the preset's fitted tabular
 * pipeline), and scored on the same test rows: AUC, log loss, Brier, calibration slope and
 * intercept (logistic recalibration), ECE (10 equal-width bins) and fit seconds. Paired
 * differences (preset − other) of AUC and log loss get a 95% t interval over the splits.
 * When /usr/bin/python3 has scikit-learn and xgboost, scripts/benchQuality.py fits
 * `LogisticRegression(C = 1/l2)` and `XGBClassifier()` (defaults) on the same encoded rows in the
 * same run; otherwise the bench says so and skips them. Backend: wasm (BACKEND=cpu to change).
 *
 * SHAP fidelity: on 3 German-credit splits, the whole preset's contributions for 4 test rows with
 * its default background against those with the whole training table as background (same
 * coalitions, nSamples 400); goal: within 0.02 log-odds.
 *
 * Speed: German credit (all 1000 rows) and a synthetic 10 000-row table with 120 encoded columns
 * (100 numeric + two 10-level categoricals), fit seconds of the preset (goal: ≤ 2 s and ≤ 20 s on
 * wasm, 2 cores) and of the logistic regression.
 *
 * Usage: npm run bench:quality [-- --help] (options: --splits, --data, --speed, --shap, --python).
 * Prints a table on stderr and the JSON on stdout; the JSON also goes to out/benchQuality.json.
 */
import { spawnSync } from 'node:child_process';
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
import { buildRiskModel } from '../src/presets/riskModel';
import { kernelShap } from '../src/explain/kernelShap';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const DATA: Record<string, { file?: string; make?: () => Table; target: string }> = {
  german_credit: { file: 'data/german_credit.csv', target: 'Class' },
  credit_data: { file: 'data/credit_data.csv', target: 'Status' },
  // Generated here (seeded), not committed: for checking on data no model was tuned to.
  synthetic_highcard: { make: () => loansLike(7900, 0.05, 7), target: 'loan_status' },
  synthetic_small: { make: () => loansLike(1300, 0.2, 8), target: 'loan_status' },
};

/**
 * Lending-Club-like loans (seeded): two high-cardinality categoricals (50 states, 35 purposes, with
 * Zipf-like frequencies and random effects), skewed numerics with missing values, non-linear risk in
 * utilisation and debt-to-income, one interaction, and a target 'Charged Off' / 'Fully Paid' whose
 * rate is `rate` (intercept set by bisection).
 */
function loansLike(n: number, rate: number, seed: number): Table {
  const rng = createRng(seed);
  const levels = (k: number, prefix: string, sd: number): { names: string[]; cum: number[]; effect: number[] } => {
    const w = Array.from({ length: k }, (_, i) => 1 / (i + 1) ** 0.9);
    const tot = w.reduce((a, b) => a + b, 0);
    let c = 0;
    return { names: w.map((_, i) => `${prefix}${String(i).padStart(2, '0')}`), cum: w.map((v) => (c += v / tot)), effect: w.map(() => sd * rng.normal()) };
  };
  const draw = (l: { cum: number[] }): number => {
    const u = rng.next();
    const i = l.cum.findIndex((c) => u <= c);
    return i < 0 ? l.cum.length - 1 : i;
  };
  const state = levels(50, 'S', 0.35);
  const purpose = levels(35, 'P', 0.5);
  const cols = { income: new Float64Array(n), dti: new Float64Array(n), util: new Float64Array(n), amount: new Float64Array(n), emp: new Float64Array(n), inq: new Float64Array(n), age: new Float64Array(n), noise1: new Float64Array(n), noise2: new Float64Array(n) };
  const st: string[] = [];
  const pu: string[] = [];
  const z = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const income = Math.exp(10.9 + 0.5 * rng.normal());
    const dti = Math.max(0, 18 + 8 * rng.normal());
    const util = Math.min(1.2, Math.max(0, 0.5 + 0.28 * rng.normal()));
    const amount = Math.round(Math.exp(9.2 + 0.6 * rng.normal() + 0.3 * Math.log(income / 50000)));
    const emp = Math.floor(rng.next() * 11);
    const inq = Math.floor(-Math.log(1 - rng.next()) * 1.2);
    const age = 21 + Math.floor(rng.next() * 50);
    const s = draw(state);
    const p = draw(purpose);
    z[i] =
      -0.6 * Math.log(income / 60000) + 0.05 * Math.max(0, dti - 25) + 1.6 * (util - 0.5) ** 2 + 0.8 * Math.max(0, util - 0.9) +
      0.25 * Math.log(amount / 10000) * (1 + (util > 0.8 ? 1 : 0)) - 0.03 * emp + 0.18 * inq - 0.012 * (age - 40) +
      (state.effect[s] as number) + (purpose.effect[p] as number);
    cols.income[i] = rng.next() < 0.03 ? Number.NaN : income;
    cols.dti[i] = dti;
    cols.util[i] = util;
    cols.amount[i] = amount;
    cols.emp[i] = rng.next() < 0.08 ? Number.NaN : emp;
    cols.inq[i] = inq;
    cols.age[i] = age;
    cols.noise1[i] = rng.normal();
    cols.noise2[i] = Math.exp(rng.normal());
    st.push(state.names[s] as string);
    pu.push(purpose.names[p] as string);
  }
  let lo = -10;
  let hi = 10;
  for (let it = 0; it < 60; it++) {
    const mid = (lo + hi) / 2;
    const m = z.reduce((a, v) => a + 1 / (1 + Math.exp(-(v + mid))), 0) / n;
    if (m < rate) lo = mid;
    else hi = mid;
  }
  const y = Array.from(z, (v) => (rng.next() < 1 / (1 + Math.exp(-(v + lo))) ? 'Charged Off' : 'Fully Paid'));
  return {
    nRows: n,
    columns: [
      ...Object.entries(cols).map(([name, values]) => ({ kind: 'numeric' as const, name, values })),
      { kind: 'categorical' as const, name: 'addr_state', values: st },
      { kind: 'categorical' as const, name: 'purpose', values: pu },
      { kind: 'categorical' as const, name: 'loan_status', values: y },
    ],
  };
}

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

interface SplitRow {
  split: number;
  defaultRate: number;
  preset: Scores;
  logistic: Scores;
  sklearnLogistic?: Scores;
  xgboost?: Scores;
  networkWeight: number;
  gamWeight: number;
}
const LABEL = { preset: 'preset', logistic: 'finml logistic', sklearnLogistic: 'sklearn logistic', xgboost: 'xgboost' } as const;
const PYTHON = '/usr/bin/python3';
const HELP = `npm run bench:quality [-- options]
  --splits N          stratified 80/20 splits per data set (default 10)
  --data a,b          data sets: ${Object.keys(DATA).join(', ')} (default all)
  --speed yes|no|only fit-time checks (German credit, 10k x 120 synthetic) (default yes)
  --shap yes|no       SHAP fidelity of the whole preset on German credit (default yes)
  --python yes|no     also run scikit-learn LogisticRegression and xgboost defaults on the same
                      encoded rows with ${PYTHON} (skipped with a note when not installed) (default yes)
  BACKEND=cpu         backend (default wasm)
Table on stderr, JSON on stdout and in out/benchQuality.json.
`;

function pythonStatus(want: string): { run: boolean; note: string; versions?: Record<string, string> } {
  if (want === 'no') return { run: false, note: '--python no' };
  const r = spawnSync(PYTHON, ['-c', 'import sklearn, xgboost'], { encoding: 'utf8' });
  if (r.error !== undefined || r.status !== 0) return { run: false, note: `${PYTHON} with scikit-learn and xgboost is not available (${r.error?.message ?? r.stderr.trim().split('\n').pop() ?? ''})` };
  return { run: true, note: '' };
}

function runPython(splits: readonly { xTrain: number[][]; yTrain: number[]; xTest: number[][] }[], l2: number): { versions: Record<string, string>; splits: { logistic: number[]; xgboost: number[]; logisticSeconds: number; xgboostSeconds: number }[] } {
  const r = spawnSync(PYTHON, [join(root, 'scripts', 'benchQuality.py')], { input: JSON.stringify({ l2, splits }), encoding: 'utf8', maxBuffer: 1 << 30 });
  if (r.status !== 0) throw new Error(`benchQuality.py failed: ${r.stderr}`);
  return JSON.parse(r.stdout) as ReturnType<typeof runPython>;
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
  if (args.includes('--help')) {
    process.stdout.write(HELP);
    return;
  }
  const python = pythonStatus(arg('python', 'yes'));
  if (!python.run) process.stderr.write(`Python side (scikit-learn, xgboost) not run: ${python.note}\n`);
  await useBackend(backend);
  const results: Record<string, unknown> = {};
  const lines: string[] = [];
  for (const name of speed === 'only' ? [] : sets) {
    const d = DATA[name];
    if (d === undefined) throw new Error(`unknown data set ${name}`);
    const table = d.make !== undefined ? d.make() : await readCsv(join(root, d.file as string));
    const labels = Array.from(getColumn(table, d.target).values as ArrayLike<unknown>, String);
    const rows: SplitRow[] = [];
    const pyIn: { xTrain: number[][]; yTrain: number[]; xTest: number[][] }[] = [];
    const testY: Float64Array[] = [];
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
        if (python.run) {
          pyIn.push({ xTrain: pipe.transform(train), yTrain: Array.from(pipe.transformTarget(train)), xTest: pipe.transform(test) });
          testY.push(y);
        }
        rows.push({ split: s, defaultRate: mean(Array.from(y)), preset, logistic, networkWeight: model.validation.networkWeight, gamWeight: model.validation.gamWeight });
        process.stderr.write(
          `${name} split ${s}: preset AUC ${preset.auc.toFixed(4)} LL ${preset.logLoss.toFixed(4)} slope ${preset.calSlope.toFixed(2)} ${presetSeconds.toFixed(1)} s | LR AUC ${logistic.auc.toFixed(4)} LL ${logistic.logLoss.toFixed(4)} slope ${logistic.calSlope.toFixed(2)} | w_nn ${model.validation.networkWeight} w_gam ${model.validation.gamWeight}\n`,
        );
      } finally {
        model.dispose();
      }
    }
    if (python.run && pyIn.length > 0) {
      const py = runPython(pyIn, 1);
      py.splits.forEach((r, i) => {
        const row = rows[i] as SplitRow;
        row.sklearnLogistic = scores(testY[i] as Float64Array, r.logistic, r.logisticSeconds);
        row.xgboost = scores(testY[i] as Float64Array, r.xgboost, r.xgboostSeconds);
      });
      python.versions = py.versions;
    }
    const models = (['preset', 'logistic', 'sklearnLogistic', 'xgboost'] as const).filter((k) => rows.every((r) => r[k] !== undefined));
    const summary = (k: (typeof models)[number]): Record<string, number> =>
      Object.fromEntries((Object.keys(rows[0]?.[k] ?? {}) as (keyof Scores)[]).map((m) => [m, mean(rows.map((r) => (r[k] as Scores)[m]))]));
    const diff = (k: (typeof models)[number], m: 'auc' | 'logLoss'): { mean: number; lo: number; hi: number } => pairedInterval(rows.map((r) => r.preset[m] - (r[k] as Scores)[m]));
    const means = Object.fromEntries(models.map((k) => [k, summary(k)]));
    const paired = Object.fromEntries(models.filter((k) => k !== 'preset').map((k) => [k, { auc: diff(k, 'auc'), logLoss: diff(k, 'logLoss') }]));
    const weights = { networkWeight: mean(rows.map((r) => r.networkWeight)), gamWeight: mean(rows.map((r) => r.gamWeight)) };
    results[name] = { rows: table.nRows, defaultRate: mean(Array.from(rows, (r) => r.defaultRate)), splits: nSplits, mean: means, meanBlendWeights: weights, pairedDifference95: paired, perSplit: rows };
    const f = (v: number | undefined, dg = 4): string => (v ?? Number.NaN).toFixed(dg).padStart(8);
    lines.push(`\n${name} (${table.nRows} rows, ${nSplits} stratified 80/20 splits, backend ${backend}): means`);
    lines.push('model                AUC   logLoss     Brier  calSlope  calInter       ECE    fit s');
    for (const k of models) {
      const v = means[k] as Record<string, number>;
      lines.push(`${LABEL[k].padEnd(17)}${f(v.auc)}  ${f(v.logLoss)}  ${f(v.brier)}  ${f(v.calSlope, 3)}  ${f(v.calIntercept, 3)}  ${f(v.ece)} ${f(v.fitSeconds, 2)}`);
    }
    for (const [k, d] of Object.entries(paired)) {
      lines.push(`preset − ${LABEL[k as keyof typeof LABEL]}, paired 95% interval: AUC ${d.auc.mean.toFixed(4)} [${d.auc.lo.toFixed(4)}, ${d.auc.hi.toFixed(4)}], log loss ${d.logLoss.mean.toFixed(4)} [${d.logLoss.lo.toFixed(4)}, ${d.logLoss.hi.toFixed(4)}]`);
    }
    lines.push(`mean blend weights: networks ${weights.networkWeight.toFixed(2)}, GAM ${weights.gamWeight.toFixed(2)}`);
  }
  const shap = arg('shap', 'yes');
  if (shap !== 'no' && speed !== 'only') {
    // SHAP fidelity of the whole preset: its default (herded, 100-row) background against the whole
    // training table as background, same coalitions (nSamples 400, seeded), 4 test rows per split.
    const german = await readCsv(join(root, 'data/german_credit.csv'));
    const labels = Array.from(getColumn(german, 'Class').values as ArrayLike<unknown>, String);
    const gaps: { split: number; maxAbsGap: number; networkWeight: number; gamWeight: number; fullBackgroundSeconds: number }[] = [];
    for (let s = 0; s < 3; s++) {
      const split = trainTestSplit(german.nRows, { testSize: 0.2, seed: 1000 + s, stratify: labels });
      const train = takeRows(german, split.train);
      const model = await buildRiskModel(train, { target: 'Class', seed: s });
      try {
        const groups = Object.entries(model.pipeline.featureGroups).map(([n, columns]) => ({ name: n, columns: [...columns] }));
        const rows = model.pipeline.transform(takeRows(german, split.test.slice(0, 4)));
        const params = { link: 'logit', groups, backgroundSummary: 'none', seed: 3, nSamples: 400 } as const;
        const t0 = performance.now();
        const full = await kernelShap(params).fit(model.pipeline.transform(train)).explain(model.predictor(), rows);
        const fullBackgroundSeconds = (performance.now() - t0) / 1000;
        const herded = await kernelShap(params).fit(model.explainer.background).explain(model.predictor(), rows);
        const maxAbsGap = Math.max(...herded.values.flatMap((r, i) => r.map((v, j) => Math.abs(v - (full.values[i]?.[j] as number)))));
        gaps.push({ split: s, maxAbsGap, networkWeight: model.combiner.networkWeight, gamWeight: model.combiner.gamWeight, fullBackgroundSeconds });
        process.stderr.write(`shap fidelity split ${s}: max |herded − full| ${maxAbsGap.toFixed(4)} log-odds (w_nn ${model.combiner.networkWeight}, w_gam ${model.combiner.gamWeight})\n`);
      } finally {
        model.dispose();
      }
    }
    results.shapFidelity = { data: 'german_credit', background: 'default (100 herded rows) vs the whole training table', nSamples: 400, rowsPerSplit: 4, goal: 0.02, splits: gaps };
    lines.push(`\nSHAP fidelity (German credit, whole preset, 3 splits x 4 rows x 20 columns): max |herded − full background| ${Math.max(...gaps.map((g) => g.maxAbsGap)).toFixed(4)} log-odds (goal < 0.02)`);
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
  const report = { date: new Date().toISOString(), node: process.version, cpus: cpus().length, backend, baseline: 'logisticRegression({ l2: 1 }) on the preset pipeline', python: python.run ? { ran: true, interpreter: PYTHON, ...python.versions, models: 'sklearn LogisticRegression(C = 1/l2) and XGBClassifier() defaults on the same encoded rows' } : { ran: false, reason: python.note }, results };
  const json = `${JSON.stringify(report, null, 2)}\n`;
  mkdirSync(join(root, 'out'), { recursive: true });
  writeFileSync(join(root, 'out', 'benchQuality.json'), json);
  process.stdout.write(json);
}

main().catch((e: unknown) => {
  process.stderr.write(`${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
  process.exit(1);
});
