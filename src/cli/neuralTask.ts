/**
 * Regression and multiclass targets of the `finml` command: argument checks and I/O around the
 * {@link tabularModel} preset. `finml train` fits it on the training split and saves it as a
 * library bundle (`saveBundle` through `fileBundleStore(dir)`: `model.json`, `weights.bin`,
 * `bundle.json` with the pipeline and the target scale) plus `explainer.json` (the KernelSHAP
 * background) and `metrics.json`; `finml predict` / `finml explain` load it back with
 * {@link tabularModelFromParts}.
 *
 * @module
 */
import { readFile } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { DataError, FinmlError, InvalidOptionError, SerializationError, describeValue } from '../core/errors';
import { argmaxRows, uniqueSorted } from '../core/_internal/stats';
import type { Column, Table } from '../data/table';
import { tabularPipelineFromJSON, type FittedTabularPipeline } from '../data/tabularPipeline';
import { takeRows } from '../data/takeRows';
import { trainTestSplit } from '../data/trainTestSplit';
import { kernelShapFromJSON, type FittedKernelShap } from '../explain/kernelShap';
import { fileBundleStore, fileBundleStoreWith } from '../node/fileBundleStore';
import { loadBundle, saveBundle } from '../models/neuralBundle';
import { tabularModel, tabularModelFromParts, type TabularModel } from '../presets/tabularModel';
import { tabularTrainingSummary } from '../report/trainingReport';
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

/**
 * `finml train --task regression|multiclass`: split (stratified for multiclass), the
 * {@link tabularModel} preset fitted on the training rows (progress on stderr), held-out metrics
 * (RMSE/MAE/R² or accuracy/macro-F1, see {@link tabularTrainingSummary}), and the model directory
 * (bundle + explainer.json + metrics.json).
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
  const labels = task === 'multiclass' ? Array.from(col.values as ArrayLike<unknown>, String) : null;
  const split = trainTestSplit(raw.nRows, { testSize: o.testSize, seed: o.seed, ...(labels !== null && { stratify: labels }) });
  const train = takeRows(raw, split.train);
  const test = takeRows(raw, split.test);
  const classes = labels === null ? [] : uniqueSorted(Array.from(split.train, (i) => labels[i] as string));
  io.stderr.write(
    `finml: ${raw.nRows} rows (${train.nRows} train, ${test.nRows} test), ${raw.columns.length - 1} input columns, ` +
      `${task} target '${o.target}'${task === 'multiclass' ? ` (${classes.join(' / ')})` : ''}, backend ${o.backend}\n`,
  );
  const spec = tabularModel({ target: o.target, task, hidden: o.hidden ?? [16], epochs: o.epochs, seed: o.seed });
  const model = await spec.fit(train, o.quiet ? {} : networkProgress(o.epochs, io.stderr));
  try {
    const { summary, test: m } = tabularTrainingSummary(model, train, test, { dataName: basename(o.file), seed: o.seed, testSize: o.testSize, backend: o.backend });
    const lines: string[] = [];
    let metrics: Record<string, number>;
    if (m.task === 'regression') {
      // the scale of the network's standardised target is stored with the bundle
      metrics = { rmse: m.rmse, mae: m.mae, r2: m.r2, targetMean: model.targetMean, targetScale: model.targetScale };
      lines.push(`Test (${test.nRows} rows): RMSE ${fmt(m.rmse)}, MAE ${fmt(m.mae)}, R² ${fmt(m.r2)}  (predicting ${o.target})`);
    } else {
      metrics = { accuracy: m.accuracy, macroF1: m.macroF1 };
      lines.push(`Test (${test.nRows} rows): accuracy ${fmt(m.accuracy)}, macro-F1 ${fmt(m.macroF1)}  (${model.classes.length} classes of ${o.target}: ${model.classes.join(', ')})`);
    }
    const t = model.training;
    lines.push(`Network: hidden ${model.params.hidden.join('-')}, ${t.epochs} epochs (${t.stopReason === 'earlyStopping' ? `early stop, best epoch ${(t.bestEpoch ?? 0) + 1}` : 'completed'})`);
    // One atomic save: bundle, explainer.json and metrics.json appear together or not at all.
    await saveBundle(
      { model: model.network, pipeline: model.pipeline.toJSON(), metadata: { featureNames: [...model.inputColumns], target: o.target, metrics, seed: o.seed } },
      fileBundleStoreWith(o.out, {
        extraFiles: [
          { name: EXPLAINER_FILE, data: JSON.stringify((model.explainer as FittedKernelShap).toJSON()) },
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

/** Reads and checks `explainer.json` of a bundle model directory. */
async function readExplainer(dir: string, pipeline: FittedTabularPipeline, corrupt: (detail: string, cause?: unknown) => SerializationError): Promise<FittedKernelShap> {
  let text: string;
  try {
    text = await readFile(join(dir, EXPLAINER_FILE), 'utf8');
  } catch (e) {
    throw corrupt(`${EXPLAINER_FILE} is missing or unreadable`, e);
  }
  let fitted: FittedKernelShap;
  try {
    fitted = kernelShapFromJSON(JSON.parse(text));
  } catch (e) {
    if (e instanceof SyntaxError) throw corrupt(`${EXPLAINER_FILE} is not valid JSON (${e.message})`, e);
    if (e instanceof FinmlError) throw corrupt(`${EXPLAINER_FILE}: ${e.message}`, e);
    throw e;
  }
  if (fitted.nFeaturesIn !== pipeline.nFeaturesOut) throw corrupt(`${EXPLAINER_FILE} has ${fitted.nFeaturesIn} columns but the pipeline ${pipeline.nFeaturesOut}`);
  return fitted;
}

/**
 * Loads a bundle model directory written by `finml train --task regression|multiclass` as a
 * {@link TabularModel} (see {@link tabularModelFromParts}); with `explainer: true` also reads
 * `explainer.json` (needed by `explain` only).
 *
 * @param dir - Model directory.
 * @param fn - Command name for errors.
 * @param options - `explainer`: also load the SHAP explainer (default false).
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
export async function loadNeuralModelDir(dir: string, fn: string, options: { readonly explainer?: boolean } = {}): Promise<TabularModel> {
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
  const network = loaded.model;
  try {
    if (loaded.pipeline === null) throw corrupt('bundle.json has no pipeline');
    let pipeline: FittedTabularPipeline;
    try {
      pipeline = tabularPipelineFromJSON(loaded.pipeline);
    } catch (e) {
      if (e instanceof FinmlError) throw corrupt(e.message, e);
      throw e;
    }
    if (pipeline.params.target === null) throw corrupt('the pipeline has no target column');
    const { targetMean, targetScale } = loaded.metadata.metrics;
    if (network.kind === 'NeuralRegressor' && (targetMean === undefined || targetScale === undefined)) {
      throw corrupt('bundle.json metadata lacks the target scale (targetMean, targetScale)');
    }
    const explainer = options.explainer === true ? await readExplainer(dir, pipeline, corrupt) : null;
    try {
      return tabularModelFromParts({ pipeline, network, explainer, ...(targetMean !== undefined && { targetMean }), ...(targetScale !== undefined && { targetScale }) });
    } catch (e) {
      if (e instanceof FinmlError) throw corrupt(e.message.replace(/^tabularModelFromParts: /, ''), e);
      throw e;
    }
  } catch (e) {
    network.dispose();
    throw e;
  }
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
 * @param m - The loaded model (see {@link loadNeuralModelDir}).
 * @param table - Rows to score.
 * @param keepFormulas - Write formula-leading labels unchanged (default: prefixed with `'`).
 * @returns The CSV and the rows that could not be scored.
 * @example
 * ```ts
 * neuralPredictions(m, table).failed; //=> [{ row: 3, reason: "... 'spaceship' ..." }]
 * ```
 * @category CLI
 */
export function neuralPredictions(m: TabularModel, table: Table, keepFormulas = false): NeuralPredictions {
  const { predictions: scored, failed } = m.predictEach(table);
  const K = m.task === 'regression' ? 1 : m.classes.length;
  const bad = new Set(failed.map((f) => f.row));
  const cell = (c: string): string => csvCell(c, keepFormulas);
  let header: string;
  const lines: string[] = [];
  if (m.task === 'regression') {
    header = `row,${cell(`predicted_${m.target}`)}`;
    for (let i = 0; i < table.nRows; i++) lines.push(bad.has(i) ? `${i + 1},` : `${i + 1},${(scored[i] as number).toFixed(6)}`);
  } else {
    header = ['row', ...m.classes.map((c) => `p_${c}`), `predicted_${m.target}`].map(cell).join(',');
    const best = argmaxRows(scored, K);
    for (let i = 0; i < table.nRows; i++) {
      lines.push(
        bad.has(i)
          ? [String(i + 1), ...Array.from({ length: K + 1 }, () => '')].join(',')
          : [String(i + 1), ...Array.from({ length: K }, (_, k) => (scored[i * K + k] as number).toFixed(6)), cell(m.classes[best[i] as number] as string)].join(','),
      );
    }
  }
  return { csv: `${header}\n${lines.join('\n')}\n`, failed: failed.map((f) => ({ row: f.row + 1, reason: f.reason })) };
}

/**
 * The prediction CSV of a bundle model: `row,predicted_<target>` (regression) or
 * `row,p_<class1>,…,p_<classK>,predicted_<target>` (multiclass); rows that cannot be scored have
 * empty cells (see {@link neuralPredictions}, which also says which rows and why).
 *
 * @param m - The loaded model (see {@link loadNeuralModelDir}).
 * @param table - Rows to score.
 * @param keepFormulas - Write formula-leading labels unchanged (default: prefixed with `'`).
 * @returns CSV text with a header line.
 * @example
 * ```ts
 * neuralPredictionsCsv(m, table); //=> 'row,predicted_price\n1,101.250000\n'
 * ```
 * @category CLI
 */
export function neuralPredictionsCsv(m: TabularModel, table: Table, keepFormulas = false): string {
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
 * @param m - The loaded model (see {@link loadNeuralModelDir}).
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
export async function explainNeuralRow(m: TabularModel, table: Table, row: number, top: number, rawValue: (name: string) => string | number): Promise<NeuralRowExplanation> {
  if (!Number.isInteger(row) || row < 0 || row >= table.nRows) {
    throw new DataError({ fn: 'explainNeuralRow', arg: 'row', expected: `a row between 0 and ${table.nRows - 1}`, got: describeValue(row) });
  }
  const [e] = await m.explain(table, { rows: [row], topK: top });
  if (e === undefined) throw new DataError({ fn: 'explainNeuralRow', arg: 'row', expected: 'an explained row', got: 'none' });
  const { names, values, what } = e;
  const head = m.task === 'multiclass' ? `Row ${row + 1}: predicted ${m.target} = ${e.label as string}, ${what} = ` : `Row ${row + 1}: predicted ${m.target} = `;
  const lines: string[] = [`${head}${e.value.toFixed(4)}  (base ${e.baseValue.toFixed(4)})`, `Top contributions (SHAP, ${what}):`];
  const order = names.map((_, j) => j).sort((a, b) => Math.abs(values[b] as number) - Math.abs(values[a] as number));
  for (const j of order.slice(0, top)) {
    const v = values[j] as number;
    lines.push(`  ${v >= 0 ? '+' : '-'}${Math.abs(v).toFixed(3)}  ${names[j] as string} = ${rawValue(names[j] as string)}`);
  }
  lines.push(e.reasons.length === 0 ? 'Reason codes: none (every contribution is 0)' : 'Reason codes:');
  for (const r of e.reasons) lines.push(`  ${r.rank}. ${r.sentence}`);
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
