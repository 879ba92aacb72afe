/**
 * Regression and multiclass targets of the `finml` command: {@link tabularPipeline} fitted on the
 * training split + one {@link neuralRegressor} / {@link neuralClassifier} (feed-forward network,
 * early stopping on a validation split), saved as a library bundle (`saveBundle` through
 * `fileBundleStore(dir)`: `model.json`, `weights.bin`, `bundle.json`) plus `explainer.json` (the
 * KernelSHAP background summarised from the training rows) and `metrics.json`.
 *
 * @module
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { DataError, FinmlError, InvalidOptionError, SerializationError, describeValue } from '../core/errors';
import type { DenseMatrix } from '../core/matrix';
import type { Predictor } from '../core/predictor';
import type { Column, Table } from '../data/table';
import { tabularPipeline, tabularPipelineFromJSON, type FittedTabularPipeline } from '../data/tabularPipeline';
import { takeRows } from '../data/takeRows';
import { trainTestSplit } from '../data/trainTestSplit';
import { kernelShap, kernelShapFromJSON, type FittedKernelShap } from '../explain/kernelShap';
import { reasonCodes } from '../explain/reasonCodes';
import { accuracy, f1, mae, r2, rmse } from '../metrics/index';
import { fileBundleStore, fileBundleStoreWith } from '../node/fileBundleStore';
import { loadBundle, saveBundle, type BundleMetadata } from '../io/bundle';
import { neuralClassifier, neuralRegressor, type FittedNeuralClassifier, type FittedNeuralModel, type FittedNeuralRegressor, type NeuralParams } from '../models/neuralModel';
import { networkProgress, type ProgressStream } from './progressBar';
import { csvCell } from './safeOutput';

/** What `finml train` fits: `--task auto|binary|multiclass|regression`. @category CLI */
export type CliTask = 'binary' | 'multiclass' | 'regression';

/** The KernelSHAP background file of a bundle model directory. @category CLI */
export const EXPLAINER_FILE = 'explainer.json';

const isMissing = (v: unknown): boolean => v === null || v === undefined || (typeof v === 'number' && !Number.isFinite(v));

/**
 * Chooses the task for a target column. `auto`: a categorical column with 2 labels or a numeric
 * column with at most 2 distinct values is binary, a categorical column with more labels is
 * multiclass, any other numeric column is regression (an integer-coded class column needs
 * `--task multiclass`). An explicit task is checked against the column.
 *
 * @param col - The target column.
 * @param requested - `'auto'` or the task asked for.
 * @param fn - Command name for errors.
 * @returns The task.
 * @throws {DataError} a missing target value, a categorical target for regression, fewer than 3
 * classes for multiclass.
 * @example
 * ```ts
 * resolveTask({ kind: 'numeric', name: 'y', values: [0.5, 1.5, 2.25] }, 'auto', 'finml train'); //=> 'regression'
 * ```
 * @category CLI
 */
export function resolveTask(col: Column, requested: CliTask | 'auto', fn: string): CliTask {
  const values = Array.from(col.values as ArrayLike<unknown>);
  const missing = values.findIndex(isMissing);
  if (missing >= 0) {
    throw new DataError({ fn, arg: '--target', expected: `a value in every row of column '${col.name}'`, got: `a missing value in data row ${missing + 1}` });
  }
  const distinct = new Set(values.map(String)).size;
  if (requested === 'regression' && col.kind !== 'numeric') {
    throw new DataError({ fn, arg: '--task', expected: `a numeric target column for regression`, got: `the categorical column '${col.name}' (use --task multiclass or binary)` });
  }
  if (requested === 'multiclass' && distinct < 3) {
    throw new DataError({ fn, arg: '--task', expected: 'a target with at least 3 distinct labels for multiclass', got: `${distinct} distinct values in '${col.name}' (use --task binary)` });
  }
  if (requested !== 'auto') return requested;
  if (distinct <= 2) return 'binary';
  return col.kind === 'categorical' ? 'multiclass' : 'regression';
}

/** The table with the target column as text labels (numeric class codes become '0', '1', ...); the input is not mutated. */
function labelTarget(table: Table, col: Column): Table {
  if (col.kind === 'categorical') return table;
  const labels = Array.from(col.values as ArrayLike<number>, String);
  return { nRows: table.nRows, columns: table.columns.map((c): Column => (c === col ? { kind: 'categorical', name: c.name, values: labels } : c)) };
}

/** Options of {@link trainNeuralTask} (the parsed `finml train` options that apply). @category CLI */
export interface NeuralTaskOptions {
  readonly file: string;
  readonly target: string;
  readonly out: string;
  readonly epochs: number;
  readonly seed: number;
  readonly testSize: number;
  readonly hidden: readonly number[] | null;
  readonly quiet: boolean;
  readonly backend: string;
}

/** Where the CLI writes. @category CLI */
export interface NeuralTaskIO {
  readonly stdout: ProgressStream;
  readonly stderr: ProgressStream;
}

const fmt = (v: number): string => v.toFixed(4);

/** Network params shared by both tasks: FNN, Adam, early stopping on a shuffled 20% validation split. */
function networkParams(o: NeuralTaskOptions): Partial<NeuralParams> {
  return {
    model: { type: 'fnn', hidden: [...(o.hidden ?? [16])], dropout: 0 },
    train: {
      epochs: o.epochs,
      learningRate: 0.01,
      validationSplit: 0.2,
      validationMode: 'shuffled',
      earlyStopping: { monitor: 'valLoss', patience: 15, restoreBestWeights: true },
    },
    seed: o.seed,
  };
}

function argmaxRows(flat: ArrayLike<number>, k: number): Float64Array {
  const n = flat.length / k;
  const out = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    let best = 0;
    for (let j = 1; j < k; j++) if ((flat[i * k + j] as number) > (flat[i * k + best] as number)) best = j;
    out[i] = best;
  }
  return out;
}

/**
 * `finml train --task regression|multiclass`: split (stratified for multiclass), `tabularPipeline`
 * fitted on the training rows, one network with early stopping, held-out metrics (RMSE/MAE/R² or
 * accuracy/macro-F1), and the model directory (bundle + explainer.json + metrics.json).
 *
 * @param o - Parsed options.
 * @param raw - The CSV table.
 * @param task - `'regression'` or `'multiclass'`.
 * @param io - Output streams.
 * @returns Resolves when the model directory is written.
 * @throws {DataError} bad target values (see {@link resolveTask}), too few rows.
 * @example
 * ```ts
 * await trainNeuralTask({ file: 'prices.csv', target: 'price', out: 'price-model', epochs: 100, seed: 1, testSize: 0.2,
 *   hidden: null, quiet: false, backend: 'cpu' }, table, 'regression', { stdout: process.stdout, stderr: process.stderr });
 * ```
 * @category CLI
 */
export async function trainNeuralTask(o: NeuralTaskOptions, raw: Table, task: 'regression' | 'multiclass', io: NeuralTaskIO): Promise<void> {
  const col = raw.columns.find((c) => c.name === o.target) as Column;
  const table = task === 'multiclass' ? labelTarget(raw, col) : raw;
  const labels = task === 'multiclass' ? (table.columns.find((c) => c.name === o.target)?.values as readonly string[]) : null;
  const split = trainTestSplit(table.nRows, { testSize: o.testSize, seed: o.seed, ...(labels !== null && { stratify: [...labels] }) });
  const train = takeRows(table, split.train);
  const test = takeRows(table, split.test);
  const pipe = tabularPipeline({ target: o.target }).fit(train);
  const xTrain = pipe.transform(train);
  const yTrain = pipe.transformTarget(train);
  const xTest = pipe.transform(test);
  const yTest = pipe.transformTarget(test);
  const classes = pipe.state.targetClasses;
  io.stderr.write(
    `finml: ${table.nRows} rows (${train.nRows} train, ${test.nRows} test), ${table.columns.length - 1} input columns, ` +
      `${task} target '${o.target}'${task === 'multiclass' ? ` (${classes.join(' / ')})` : ''}, backend ${o.backend}\n`,
  );
  const fitOptions = o.quiet ? {} : networkProgress(o.epochs, io.stderr);
  let model: FittedNeuralModel;
  const metrics: Record<string, number> = {};
  const lines: string[] = [];
  if (task === 'regression') {
    // The network learns the standardised target; the scale is stored with the bundle.
    const mean = yTrain.reduce((a, v) => a + v, 0) / yTrain.length;
    const sd = Math.sqrt(yTrain.reduce((a, v) => a + (v - mean) ** 2, 0) / yTrain.length);
    const scale = sd > 0 ? sd : 1;
    const reg = await neuralRegressor(networkParams(o)).fit(xTrain, Array.from(yTrain, (v) => (v - mean) / scale), fitOptions);
    model = reg;
    const pred = Array.from(reg.predict(xTest), (z) => z * scale + mean);
    Object.assign(metrics, { rmse: rmse(yTest, pred), mae: mae(yTest, pred), r2: r2(yTest, pred), targetMean: mean, targetScale: scale });
    lines.push(`Test (${test.nRows} rows): RMSE ${fmt(metrics.rmse as number)}, MAE ${fmt(metrics.mae as number)}, R² ${fmt(metrics.r2 as number)}  (predicting ${o.target})`);
  } else {
    const clf = await neuralClassifier(networkParams(o)).fit(xTrain, yTrain, fitOptions);
    model = clf;
    const pred = argmaxRows(clf.predictProba(xTest), classes.length);
    Object.assign(metrics, { accuracy: accuracy(yTest, pred, { threshold: null }), macroF1: f1(yTest, pred, { average: 'macro', threshold: null }) });
    lines.push(`Test (${test.nRows} rows): accuracy ${fmt(metrics.accuracy as number)}, macro-F1 ${fmt(metrics.macroF1 as number)}  (${classes.length} classes of ${o.target}: ${classes.join(', ')})`);
  }
  try {
    lines.push(`Network: hidden ${(o.hidden ?? [16]).join('-')}, ${model.training.epochs} epochs (${model.training.stopReason === 'earlyStopping' ? `early stop, best epoch ${(model.training.bestEpoch ?? 0) + 1}` : 'completed'})`);
    const inputs = Object.keys(pipe.featureGroups);
    const explainer = kernelShap({
      groups: inputs.map((name) => ({ name, columns: [...(pipe.featureGroups[name] as readonly number[])] })),
      featureNames: [...pipe.featureNames],
      seed: o.seed,
      backgroundSize: 30,
    }).fit(xTrain);
    const summary = {
      task,
      target: o.target,
      ...(task === 'multiclass' && { classes: [...classes] }),
      seed: o.seed,
      testSize: o.testSize,
      backend: o.backend,
      rowsTrain: train.nRows,
      rowsTest: test.nRows,
      epochs: model.training.epochs,
      test: task === 'regression' ? { rmse: metrics.rmse, mae: metrics.mae, r2: metrics.r2, n: test.nRows } : { accuracy: metrics.accuracy, macroF1: metrics.macroF1, n: test.nRows },
    };
    // One atomic save: bundle, explainer.json and metrics.json appear together or not at all.
    await saveBundle(
      { model, pipeline: pipe.toJSON(), metadata: { featureNames: inputs, target: o.target, metrics, seed: o.seed } },
      fileBundleStoreWith(o.out, {
        extraFiles: [
          { name: EXPLAINER_FILE, data: JSON.stringify(explainer.toJSON()) },
          { name: 'metrics.json', data: `${JSON.stringify(summary, null, 2)}\n` },
        ],
      }),
    );
    lines.push(`Model written to ${o.out}/ (model.json, weights.bin, bundle.json, ${EXPLAINER_FILE}, metrics.json)`);
    io.stdout.write(`${lines.join('\n')}\n`);
  } finally {
    model.dispose();
  }
}

/** A regression or multiclass model directory, loaded. The caller disposes it. @category CLI */
export interface NeuralModelDir {
  readonly task: 'regression' | 'multiclass';
  readonly model: FittedNeuralModel;
  readonly pipeline: FittedTabularPipeline;
  readonly metadata: BundleMetadata;
  readonly target: string;
  /** Class labels by code (multiclass), else empty. */
  readonly classes: readonly string[];
  /** Raw input columns the pipeline needs. */
  readonly inputColumns: readonly string[];
  /** Predicted values (regression, in target units) or row-major `n × K` probabilities (multiclass). */
  predict(table: Table): Float64Array;
  /** A predictor on pipeline-transformed rows: the predicted value, or P(class `k`). */
  predictor(k: number): Predictor;
  /** Like `predict`, on rows already transformed by the pipeline. */
  predictTransformed(x: DenseMatrix): Float64Array;
  /** Reads `explainer.json`. */
  loadExplainer(): Promise<FittedKernelShap>;
  dispose(): void;
}

/**
 * Loads a bundle model directory written by `finml train --task regression|multiclass`.
 *
 * @param dir - Model directory.
 * @param fn - Command name for errors.
 * @returns The loaded model (dispose it).
 * @throws {SerializationError} corrupt or inconsistent bundle files (the cause is named).
 * @example
 * ```ts
 * const m = await loadNeuralModelDir('price-model', 'finml predict');
 * m.predict(table);
 * m.dispose();
 * ```
 * @category CLI
 */
export async function loadNeuralModelDir(dir: string, fn: string): Promise<NeuralModelDir> {
  const corrupt = (detail: string, cause?: unknown): SerializationError =>
    new SerializationError(
      { fn, arg: 'model-dir', expected: 'a model directory (model.json, weights.bin, bundle.json) written by `finml train`', got: `${describeValue(dir)}, where ${detail.replace(/\.+$/, '')}` },
      cause === undefined ? undefined : { cause },
    );
  let loaded;
  try {
    loaded = await loadBundle(fileBundleStore(dir));
  } catch (e) {
    if (e instanceof FinmlError) throw corrupt(e.message, e);
    throw e;
  }
  const model = loaded.model;
  try {
    if (loaded.pipeline === null) throw corrupt('bundle.json has no pipeline');
    let pipeline: FittedTabularPipeline;
    try {
      pipeline = tabularPipelineFromJSON(loaded.pipeline);
    } catch (e) {
      if (e instanceof FinmlError) throw corrupt(e.message, e);
      throw e;
    }
    const target = pipeline.params.target;
    if (target === null) throw corrupt('the pipeline has no target column');
    const task = model.kind === 'NeuralRegressor' ? 'regression' : 'multiclass';
    const classes = pipeline.state.targetClasses;
    if (task === 'multiclass' && (model as FittedNeuralClassifier).classes.length !== classes.length) {
      throw corrupt(`the network has ${(model as FittedNeuralClassifier).classes.length} classes but the pipeline ${classes.length}`);
    }
    const mean = loaded.metadata.metrics.targetMean ?? 0;
    const scale = loaded.metadata.metrics.targetScale ?? 1;
    if (task === 'regression' && (loaded.metadata.metrics.targetMean === undefined || loaded.metadata.metrics.targetScale === undefined)) {
      throw corrupt('bundle.json metadata lacks the target scale (targetMean, targetScale)');
    }
    const raw = (x: DenseMatrix | number[][]): Float64Array => {
      if (task === 'regression') return Float64Array.from((model as FittedNeuralRegressor).predict(x), (z) => z * scale + mean);
      return (model as FittedNeuralClassifier).predictProba(x);
    };
    const K = classes.length;
    return Object.freeze({
      task,
      model,
      pipeline,
      metadata: loaded.metadata,
      target,
      classes,
      inputColumns: Object.keys(pipeline.featureGroups),
      predict: (table: Table) => raw(pipeline.transformDense(table)),
      predictTransformed: (x: DenseMatrix) => raw(x),
      predictor: (k: number): Predictor => (batch: DenseMatrix) => {
        const p = raw(batch);
        if (task === 'regression') return p;
        return Float64Array.from({ length: batch.rows }, (_, i) => p[i * K + k] as number);
      },
      loadExplainer: async (): Promise<FittedKernelShap> => {
        const path = join(dir, EXPLAINER_FILE);
        let text: string;
        try {
          text = await readFile(path, 'utf8');
        } catch (e) {
          throw corrupt(`${EXPLAINER_FILE} is missing or unreadable`, e);
        }
        try {
          const fitted = kernelShapFromJSON(JSON.parse(text));
          if (fitted.nFeaturesIn !== pipeline.nFeaturesOut) throw corrupt(`${EXPLAINER_FILE} has ${fitted.nFeaturesIn} columns but the pipeline ${pipeline.nFeaturesOut}`);
          return fitted;
        } catch (e) {
          if (e instanceof SyntaxError) throw corrupt(`${EXPLAINER_FILE} is not valid JSON (${e.message})`, e);
          if (e instanceof FinmlError && !(e instanceof SerializationError && e.message.includes('model-dir'))) throw corrupt(`${EXPLAINER_FILE}: ${e.message}`, e);
          throw e;
        }
      },
      dispose: () => model.dispose(),
    });
  } catch (e) {
    model.dispose();
    throw e;
  }
}

/** A row that could not be scored, with the pipeline's reason (e.g. an unseen category). */
interface RowFailure {
  readonly row: number;
  readonly reason: string;
}

/**
 * Transforms a table with the pipeline, row by row where needed: bisection isolates the rows the
 * pipeline rejects (DataError, e.g. an unseen category) so the other rows are still scored.
 */
function transformRows(pipeline: FittedTabularPipeline, table: Table): { readonly ok: number[]; readonly x: DenseMatrix; readonly failed: RowFailure[] } {
  const ok: number[] = [];
  const failed: RowFailure[] = [];
  const blocks: DenseMatrix[] = [];
  const visit = (rows: number[]): void => {
    if (rows.length === 0) return;
    try {
      blocks.push(pipeline.transformDense(rows.length === table.nRows ? table : takeRows(table, rows)));
      ok.push(...rows);
    } catch (e) {
      if (!(e instanceof DataError)) throw e;
      if (rows.length === 1) {
        failed.push({ row: rows[0] as number, reason: e.message.replace(/,? (?:at )?row 0\b/, '').replace(/\.+$/, '') });
        return;
      }
      const mid = rows.length >> 1;
      visit(rows.slice(0, mid));
      visit(rows.slice(mid));
    }
  };
  visit(Array.from({ length: table.nRows }, (_, i) => i));
  const cols = pipeline.nFeaturesOut;
  const data = new Float64Array(ok.length * cols);
  let off = 0;
  for (const b of blocks) {
    data.set(b.data, off);
    off += b.data.length;
  }
  return { ok, x: { rows: ok.length, cols, data }, failed };
}

/** What {@link neuralPredictions} returns. @category CLI */
export interface NeuralPredictions {
  /** The CSV text (a header line, then one line per input row). */
  readonly csv: string;
  /** Rows (1-based) left unscored (empty prediction cells) and why, e.g. an unseen category. */
  readonly failed: readonly { readonly row: number; readonly reason: string }[];
}

/**
 * The prediction CSV of a bundle model, scored per row: a row the pipeline rejects (an unseen
 * category, a missing value) gets empty prediction cells and is listed in `failed` with the
 * reason (column and value); the other rows are scored as usual.
 *
 * @param m - The loaded model directory.
 * @param table - Rows to score.
 * @param keepFormulas - Write formula-leading labels unchanged (default: prefixed with `'`).
 * @returns The CSV and the rows that could not be scored.
 * @example
 * ```ts
 * neuralPredictions(m, table).failed; //=> [{ row: 3, reason: "... 'spaceship' ..." }]
 * ```
 * @category CLI
 */
export function neuralPredictions(m: NeuralModelDir, table: Table, keepFormulas = false): NeuralPredictions {
  const { ok, x, failed } = transformRows(m.pipeline, table);
  const scored = ok.length === 0 ? new Float64Array(0) : m.predictTransformed(x);
  const K = m.task === 'regression' ? 1 : m.classes.length;
  const at = new Int32Array(table.nRows).fill(-1);
  ok.forEach((r, j) => {
    at[r] = j;
  });
  const cell = (c: string): string => csvCell(c, keepFormulas);
  let header: string;
  const lines: string[] = [];
  if (m.task === 'regression') {
    header = `row,${cell(`predicted_${m.target}`)}`;
    for (let i = 0; i < table.nRows; i++) lines.push(at[i] === -1 ? `${i + 1},` : `${i + 1},${(scored[at[i] as number] as number).toFixed(6)}`);
  } else {
    header = ['row', ...m.classes.map((c) => `p_${c}`), `predicted_${m.target}`].map(cell).join(',');
    const best = argmaxRows(scored, K);
    for (let i = 0; i < table.nRows; i++) {
      const j = at[i] as number;
      lines.push(
        j === -1
          ? [String(i + 1), ...Array.from({ length: K + 1 }, () => '')].join(',')
          : [String(i + 1), ...Array.from({ length: K }, (_, k) => (scored[j * K + k] as number).toFixed(6)), cell(m.classes[best[j] as number] as string)].join(','),
      );
    }
  }
  return { csv: `${header}\n${lines.join('\n')}\n`, failed: failed.sort((a, b) => a.row - b.row).map((f) => ({ row: f.row + 1, reason: f.reason })) };
}

/**
 * The prediction CSV of a bundle model: `row,predicted_<target>` (regression) or
 * `row,p_<class1>,…,p_<classK>,predicted_<target>` (multiclass); rows that cannot be scored have
 * empty cells (see {@link neuralPredictions}, which also says which rows and why).
 *
 * @param m - The loaded model directory.
 * @param table - Rows to score.
 * @param keepFormulas - Write formula-leading labels unchanged (default: prefixed with `'`).
 * @returns CSV text with a header line.
 * @example
 * ```ts
 * neuralPredictionsCsv(m, table); //=> 'row,predicted_price\n1,101.250000\n'
 * ```
 * @category CLI
 */
export function neuralPredictionsCsv(m: NeuralModelDir, table: Table, keepFormulas = false): string {
  return neuralPredictions(m, table, keepFormulas).csv;
}

/** What {@link explainNeuralRow} returns. @category CLI */
export interface NeuralRowExplanation {
  /** Printed lines. */
  readonly lines: readonly string[];
  readonly baseValue: number;
  readonly names: readonly string[];
  readonly values: readonly number[];
  /** What was explained, e.g. `price` or `P(Class = b)`. */
  readonly what: string;
}

/**
 * Explains one row of a bundle model with KernelSHAP (identity link, one player per input column):
 * the predicted value (regression) or the predicted class's probability (multiclass), with
 * reason codes saying which columns raised or lowered it.
 *
 * @param m - The loaded model directory.
 * @param table - Data (the row is taken from it).
 * @param row - 0-based row index.
 * @param top - Contributions and reason codes shown.
 * @param rawValue - The raw (untransformed) value of a column in the row, for display.
 * @returns The printed lines and the SHAP values.
 * @throws {DataError} a row outside the table.
 * @example
 * ```ts
 * const e = await explainNeuralRow(m, table, 2, 5, (name) => 'value');
 * e.lines[0]; //=> 'Row 3: predicted price = 101.2500  (base 98.1000)'
 * ```
 * @category CLI
 */
export async function explainNeuralRow(m: NeuralModelDir, table: Table, row: number, top: number, rawValue: (name: string) => string | number): Promise<NeuralRowExplanation> {
  if (!Number.isInteger(row) || row < 0 || row >= table.nRows) {
    throw new DataError({ fn: 'explainNeuralRow', arg: 'row', expected: `a row between 0 and ${table.nRows - 1}`, got: describeValue(row) });
  }
  const x = m.pipeline.transform(takeRows(table, [row]));
  let k = 0;
  let head: string;
  let what: string;
  if (m.task === 'multiclass') {
    const p = m.predict(takeRows(table, [row]));
    k = argmaxRows(p, m.classes.length)[0] as number;
    what = `P(${m.target} = ${m.classes[k] as string})`;
    head = `Row ${row + 1}: predicted ${m.target} = ${m.classes[k] as string}, ${what} = `;
  } else {
    what = m.target;
    head = `Row ${row + 1}: predicted ${m.target} = `;
  }
  const fitted = await m.loadExplainer();
  const e = await fitted.explain(m.predictor(k), x);
  const values = e.values[0] as readonly number[];
  const names = e.playerNames;
  const fx = e.fx[0] as number;
  const lines: string[] = [`${head}${fx.toFixed(4)}  (base ${e.baseValue.toFixed(4)})`, `Top contributions (SHAP, ${what}):`];
  const order = names.map((_, j) => j).sort((a, b) => Math.abs(values[b] as number) - Math.abs(values[a] as number));
  for (const j of order.slice(0, top)) {
    const v = values[j] as number;
    lines.push(`  ${v >= 0 ? '+' : '-'}${Math.abs(v).toFixed(3)}  ${names[j] as string} = ${rawValue(names[j] as string)}`);
  }
  const common = { playerNames: [...names], displayValues: names.map(rawValue), topK: top, outcome: m.task === 'regression' ? 'the prediction' : `${what}`, digits: m.task === 'regression' ? 2 : 3 };
  const raised = reasonCodes(values, common);
  const lowered = reasonCodes(values, { ...common, direction: 'lower-is-riskier', describe: (r) => r.sentence.replace(/ raised /, ' lowered ') });
  const reasons = [...raised, ...lowered].sort((a, b) => b.contribution - a.contribution || a.player - b.player).slice(0, top);
  lines.push(reasons.length === 0 ? 'Reason codes: none (every contribution is 0)' : 'Reason codes:');
  reasons.forEach((r, i) => lines.push(`  ${i + 1}. ${r.sentence}`));
  return { lines, baseValue: e.baseValue, names, values, what };
}

/**
 * Rejects `--threshold` for a regression or multiclass model (it only applies to binary risk models).
 *
 * @param threshold - The parsed `--threshold`, or null.
 * @param fn - Command name for errors.
 * @throws {InvalidOptionError} when a threshold was given.
 * @example
 * ```ts
 * rejectThreshold(null, 'finml predict'); // ok
 * ```
 * @category CLI
 */
export function rejectThreshold(threshold: number | null, fn: string): void {
  if (threshold !== null) throw new InvalidOptionError({ fn, arg: '--threshold', expected: 'no --threshold for a regression or multiclass model (it applies to binary risk models)', got: String(threshold) });
}
