/**
 * The `finml train`, `finml predict` and `finml explain` commands, built on the library:
 * `readCsv` → stratified `trainTestSplit` → {@link buildRiskModel} (pipeline + network ensemble +
 * KernelSHAP) → held-out evaluation → model directory (the risk model as `model.json`,
 * `weights.bin`, `bundle.json`; `metrics.json`, `report.html`).
 *
 * @module
 */
import { createReadStream } from 'node:fs';
import { access } from 'node:fs/promises';
import { basename } from 'node:path';
import { DataError, InvalidOptionError, describeValue } from '../core/errors';
import type { Column, Table } from '../data/table';
import { takeRows } from '../data/takeRows';
import { trainTestSplit } from '../data/trainTestSplit';
import { readCsv } from '../node/readCsv';
import { writeSvg } from '../node/writeSvg';
import { buildRiskModel, type RiskModel, type RiskModelOptions } from '../presets/index';
import { riskTrainingReport, shapWaterfallPlot } from '../report/index';
import { MODEL_DIR_FILES, loadModelDir, modelDirKind, saveModelDir } from './modelDir';
import { explainNeuralRow, loadNeuralModelDir, neuralPredictions, rejectThreshold, resolveTask, trainNeuralTask, type CliTask } from './neuralTask';
import { trainingProgress, type ProgressStream } from './progressBar';
import { checkOutputDir, checkOutputFile, csvCell, openAtomicFile } from './safeOutput';
import { typedCsvBatches } from '../data/_internal/csvBatches';
import { scoreCsvStream } from '../presets/scoreCsvStream';

/**
 * Where a command writes: stdout for results, stderr for progress and messages.
 * @category CLI
 */
export interface CliIO {
  readonly stdout: ProgressStream;
  readonly stderr: ProgressStream;
}

/** Reads the CSV at `path`; its warnings (e.g. stray tokens read as missing in a numeric column) go to stderr. */
async function readData(path: string, fn: string, io: CliIO): Promise<Table> {
  try {
    await access(path);
  } catch {
    throw new DataError({ fn, arg: 'file', expected: 'an existing CSV file', got: `${describeValue(path)} (no such file)` });
  }
  try {
    const table = await readCsv(path);
    for (const w of table.warnings) io.stderr.write(`finml: warning: ${w.message}\n`);
    return table;
  } catch (e) {
    if (e instanceof DataError) {
      throw new DataError({ fn, arg: 'file', expected: 'a well-formed CSV file', got: `${describeValue(path)}, where ${e.message.replace(/\.+$/, '')}` }, { cause: e });
    }
    throw e;
  }
}

function findColumn(table: Table, name: string, fn: string, arg: string): Column {
  const col = table.columns.find((c) => c.name === name);
  if (col === undefined) {
    throw new DataError({ fn, arg, expected: `one of the columns ${table.columns.map((c) => `'${c.name}'`).join(', ')}`, got: describeValue(name) });
  }
  return col;
}

/** The error reported after writing the scorable rows: which rows were left empty and why (first 5). */
function unscoredRows(failed: readonly { readonly row: number; readonly reason: string }[], n: number, fn: string): DataError {
  const shown = failed.slice(0, 5).map((f) => `data row ${f.row}: ${f.reason}`).join('; ');
  return new DataError({
    fn,
    arg: 'file',
    expected: 'rows the model can score (categories seen in training, no missing values)',
    got: `${failed.length} of ${n} rows not scored, their prediction cells left empty (the other rows were written) — ${shown}${failed.length > 5 ? '; …' : ''}`,
  });
}

/** The model's input columns must all be in the file (extra columns are ignored). */
function checkInputColumns(model: RiskModel, table: Table, fn: string): void {
  checkColumns(Object.keys(model.pipeline.featureGroups), table, fn);
}

function checkColumns(needed: readonly string[], table: Table, fn: string): void {
  const have = new Set(table.columns.map((c) => c.name));
  const missing = needed.filter((c) => !have.has(c));
  if (missing.length > 0) {
    throw new DataError({ fn, arg: 'file', expected: `a CSV file with the model's input columns (${needed.map((c) => `'${c}'`).join(', ')})`, got: `a file without ${missing.map((c) => `'${c}'`).join(', ')}` });
  }
}


/**
 * The target column as text labels (a numeric 0/1 target becomes `'0'`/`'1'`), checked to be binary
 * with no missing values, and the table with that column replaced (the input is not mutated).
 */
function binaryTarget(table: Table, target: string, fn: string): { table: Table; labels: string[]; distinct: string[] } {
  const col = findColumn(table, target, fn, '--target');
  const labels: string[] = [];
  for (let i = 0; i < table.nRows; i++) {
    const v = col.values[i];
    if (v === null || v === undefined || (typeof v === 'number' && !Number.isFinite(v))) {
      throw new DataError({ fn, arg: '--target', expected: `a label in every row of column '${target}'`, got: `a missing value in data row ${i + 1}` });
    }
    labels.push(String(v));
  }
  const distinct = [...new Set(labels)].sort();
  if (distinct.length !== 2) {
    const shown = distinct.length > 8 ? `${distinct.slice(0, 8).map((l) => `'${l}'`).join(', ')}, ...` : distinct.map((l) => `'${l}'`).join(', ');
    throw new DataError({
      fn,
      arg: '--target',
      expected: 'a binary column (exactly 2 distinct labels, e.g. Good/Bad or 0/1): finml train fits credit-risk (probability of default) models',
      got: `${distinct.length} distinct ${col.kind} values in '${target}'${distinct.length === 0 ? '' : ` (${shown})`}`,
    });
  }
  if (col.kind === 'categorical') return { table, labels, distinct };
  const columns = table.columns.map((c): Column => (c === col ? { kind: 'categorical', name: c.name, values: labels } : c));
  return { table: { nRows: table.nRows, columns }, labels, distinct };
}

/**
 * Options of {@link trainCommand}; `null` leaves the choice to {@link buildRiskModel}.
 * @category CLI
 */
export interface TrainCommandOptions {
  readonly file: string;
  readonly target: string;
  readonly out: string;
  /** Networks in the cross-validation ensemble. */
  readonly members: number;
  /** Maximum epochs per network. */
  readonly epochs: number;
  /** Seed of the split, folds, weights and SHAP sample. */
  readonly seed: number;
  /** Held-out share in (0, 1). */
  readonly testSize: number;
  readonly hidden: readonly number[] | null;
  readonly positive: string | null;
  /** Held-out rows explained with KernelSHAP for the report's SHAP summary and feature importance (0: none). */
  readonly shapRows: number;
  readonly quiet: boolean;
  readonly backend: string;
  /** What to fit; `'auto'` (the default) decides from the target column (see {@link resolveTask}). */
  readonly task?: CliTask | 'auto';
  /** Columns reported per group in the report (protected attributes; binary task). */
  readonly protectedColumns?: readonly string[];
}

const fmt = (v: number): string => v.toFixed(4);

/**
 * `finml train data.csv --target Class`: stratified split, {@link buildRiskModel} on the training
 * rows with a progress bar on stderr, metrics on the held-out rows, and the model directory.
 *
 * @param o - Parsed command-line options.
 * @param io - Output streams.
 * @returns Resolves when the model directory is written.
 * @throws {DataError} missing or malformed file, unknown or non-binary target, unknown --positive.
 * @example
 * ```ts
 * await trainCommand({ file: 'data/german_credit.csv', target: 'Class', out: 'credit-model', members: 5, epochs: 200,
 *   seed: 42, testSize: 0.2, hidden: null, positive: null, shapRows: 40, quiet: false, backend: 'cpu' },
 *   { stdout: process.stdout, stderr: process.stderr });
 * ```
 * @category CLI
 */
export async function trainCommand(o: TrainCommandOptions, io: CliIO): Promise<void> {
  const fn = 'finml train';
  await checkOutputDir(o.out, [o.file], fn); // before any work: a bad --out must not cost a training run
  const raw = await readData(o.file, fn, io);
  const task = resolveTask(findColumn(raw, o.target, fn, '--target'), o.task ?? 'auto', fn);
  if (task !== 'binary') {
    if (o.positive !== null) throw new InvalidOptionError({ fn, arg: '--positive', expected: 'no --positive for a regression or multiclass target (it names the modelled label of a binary target)', got: describeValue(o.positive) });
    await trainNeuralTask(o, raw, task, io);
    return;
  }
  const { table, labels, distinct } = binaryTarget(raw, o.target, fn);
  if (o.positive !== null && !distinct.includes(o.positive)) {
    throw new DataError({ fn, arg: '--positive', expected: `one of the labels ${distinct.map((l) => `'${l}'`).join(', ')}`, got: describeValue(o.positive) });
  }
  for (const c of o.protectedColumns ?? []) findColumn(table, c, fn, '--protected'); // checked before training
  const split = trainTestSplit(table.nRows, { testSize: o.testSize, seed: o.seed, stratify: labels });
  const train = takeRows(table, split.train);
  const test = takeRows(table, split.test);
  io.stderr.write(`finml: ${table.nRows} rows (${train.nRows} train, ${test.nRows} test), ${table.columns.length - 1} input columns, target '${o.target}' (${distinct.join(' / ')}), backend ${o.backend}\n`);

  const options: RiskModelOptions = {
    target: o.target,
    members: o.members,
    epochs: o.epochs,
    seed: o.seed,
    ...(o.positive !== null && { positive: o.positive }),
    ...(o.hidden !== null && { hidden: o.hidden }),
  };
  const model = await buildRiskModel(train, options, o.quiet ? {} : trainingProgress(o.members, o.epochs, io.stderr));
  try {
    const positive = model.classes[1] as string;
    const validationWhat = model.members.length > 1 ? 'out-of-fold scores of the training rows' : 'the 20% validation split of the training rows';
    // the report names the data file by its base name only: no absolute paths in the page
    const { html, summary } = await riskTrainingReport(model, train, test, {
      dataName: basename(o.file),
      seed: o.seed,
      testSize: o.testSize,
      backend: o.backend,
      shapRows: o.shapRows,
      protectedColumns: o.protectedColumns ?? [],
      format: `finml model directory format (${MODEL_DIR_FILES.model}, ${MODEL_DIR_FILES.bundle})`,
    });
    const testMetrics = summary.test;
    const importance = summary.topFeatures;
    // One atomic save: the model files, metrics.json and report.html appear together or not at all.
    await saveModelDir(o.out, model, [
      { name: MODEL_DIR_FILES.metrics, data: `${JSON.stringify(summary, null, 2)}\n` },
      { name: MODEL_DIR_FILES.report, data: html },
    ]);

    const lines = [
      `Trained ${model.members.length} network(s) on ${train.nRows} rows; P(${o.target} = ${positive}).`,
      `Test (${test.nRows} rows): AUC ${fmt(testMetrics.rocAuc)}, KS ${fmt(testMetrics.ks)}, Brier ${fmt(testMetrics.brier)}, calibration slope ${fmt(testMetrics.calibrationSlope)}; at the cut-off PD ${fmt(testMetrics.cutoff)}: ${testMetrics.confusion.tp} of ${testMetrics.confusion.tp + testMetrics.confusion.fn} ${positive} declined, ${testMetrics.confusion.fp} others declined`,
      `Validation (${model.validation.n} rows, ${validationWhat}): AUC ${fmt(model.validation.rocAuc)}, KS ${fmt(model.validation.ks)}; logistic regression AUC ${fmt(model.validation.baseline.rocAuc)}`,
    ];
    if (importance.length > 0) {
      lines.push(`Top features (mean |SHAP|, log-odds, ${Math.min(o.shapRows, test.nRows)} test rows):`);
      for (const e of importance.slice(0, 5)) lines.push(`  ${e.meanAbsShap.toFixed(3)}  ${e.feature}`);
    }
    lines.push(`Saved to ${o.out}/ (${MODEL_DIR_FILES.model}, ${MODEL_DIR_FILES.weights}, ${MODEL_DIR_FILES.bundle}, ${MODEL_DIR_FILES.metrics}, ${MODEL_DIR_FILES.report})`);
    io.stdout.write(`${lines.join('\n')}\n`);
  } finally {
    model.dispose();
  }
}

/**
 * Options of {@link predictCommand}.
 * @category CLI
 */
export interface PredictCommandOptions {
  readonly modelDir: string;
  readonly file: string;
  readonly out: string | null;
  /** Cut-off on the probability for the predicted label; null: the model's default (a risk model's validated cut-off). */
  readonly threshold: number | null;
  /** Write formula-leading labels (`=`, `+`, `-`, `@`) unchanged instead of prefixing `'` (default false). */
  readonly keepFormulas?: boolean;
  /** Columns copied to the output after `row`, as text exactly as in the file (`--id`). */
  readonly ids?: readonly string[];
  /** Columns to ignore (`--drop`): must be in the file, must not be model inputs. */
  readonly drop?: readonly string[];
  /** Rows read and scored at a time (memory is proportional to it, not to the file). @defaultValue 10000 */
  readonly batchSize?: number;
}

/** An error of the streamed CSV, in the command's words: the file (and line) or the option at fault. */
function predictStreamError(e: unknown, file: string, fn: string): unknown {
  if (!(e instanceof DataError || e instanceof InvalidOptionError) || e.details.fn === fn && e.details.arg?.startsWith('--') === true) return e;
  const arg = e.details.arg === 'drop' ? '--drop' : e.details.arg === 'idColumns' ? '--id' : null;
  if (arg !== null) {
    const details = { fn, arg, expected: e.details.expected ?? '', got: e.details.got ?? '' };
    return e instanceof InvalidOptionError ? new InvalidOptionError(details) : new DataError(details, { cause: e });
  }
  if (e instanceof InvalidOptionError) return e;
  return new DataError({ fn, arg: 'file', expected: 'a well-formed CSV file with the model\'s input columns', got: `${describeValue(file)}, where ${e.message.replace(/\.+$/, '')}` }, { cause: e });
}

/**
 * `finml predict model-dir data.csv [--out preds.csv] [--id col] [--drop col,...]`: one CSV row
 * per input row with the id columns, the probability of the positive label (`p_<label>`, the PD)
 * and the predicted label (bundle models: class probabilities or the predicted value). The file
 * is read, scored and written in batches ({@link scoreCsvStream}): memory does not grow with the
 * file. With `out`, the file appears complete or not at all; on stdout, rows are written batch by
 * batch and an error stops the output (exit code 1).
 *
 * @param o - Parsed command-line options.
 * @param io - Output streams (the CSV goes to stdout unless `out` is set).
 * @returns Resolves when the predictions are written.
 * @throws {DataError} missing model dir or CSV file, a CSV without the model's input or id columns, malformed rows (with their line).
 * @throws {InvalidOptionError} `--drop` naming an absent, input or id column; an id column named like an output column.
 * @throws {SerializationError} corrupt or truncated model files.
 * @example
 * ```ts
 * await predictCommand({ modelDir: 'credit-model', file: 'new.csv', out: null, threshold: null, ids: ['id'] }, { stdout: process.stdout, stderr: process.stderr });
 * // row,id,p_Bad,predicted_Class
 * // 1,A-1001,0.254113,Good
 * ```
 * @category CLI
 */
export async function predictCommand(o: PredictCommandOptions, io: CliIO): Promise<void> {
  const fn = 'finml predict';
  const keep = o.keepFormulas === true;
  const ids = o.ids ?? [];
  const drop = o.drop ?? [];
  const batchSize = o.batchSize ?? 10000;
  const cell = (c: string): string => csvCell(c, keep);
  if (ids.includes('row')) throw new InvalidOptionError({ fn, arg: '--id', expected: "columns other than 'row' (the output's row number column)", got: "'row'" });
  if (o.out !== null) await checkOutputFile(o.out, [o.file, o.modelDir], fn, '--out');
  const bundle = (await modelDirKind(o.modelDir)) === 'bundle';
  if (bundle) rejectThreshold(o.threshold, fn);
  try {
    await access(o.file);
  } catch {
    throw new DataError({ fn, arg: 'file', expected: 'an existing CSV file', got: `${describeValue(o.file)} (no such file)` });
  }
  const m = bundle ? await loadNeuralModelDir(o.modelDir, fn) : null;
  const model = m === null ? await loadModelDir(o.modelDir, fn) : null;
  const stream = createReadStream(o.file);
  const sink = o.out === null ? null : await openAtomicFile(o.out);
  const write = async (text: string): Promise<void> => {
    if (sink !== null) await sink.write(text);
    else if (io.stdout.write(text) === false && io.stdout.once !== undefined) {
      const once = io.stdout.once.bind(io.stdout);
      await new Promise<void>((done) => once('drain', done));
    }
  };
  let rows = 0;
  const failed: { row: number; reason: string }[] = [];
  try {
    const idCells = (t: Table, i: number): string => ids.map((name) => `,${cell((t.columns.find((c) => c.name === name)?.values[i] as string | null) ?? '')}`).join('');
    if (model !== null) {
      const options = { idColumns: ids, drop, batchSize, ...(o.threshold !== null && { threshold: o.threshold }) };
      for await (const { firstRow, table } of scoreCsvStream(model, stream, options)) {
        if (firstRow === 0) await write(`${['row', ...ids, `p_${model.classes[1] as string}`, `predicted_${model.params.target}`].map(cell).join(',')}\n`);
        const pd = table.columns[ids.length]?.values as Float64Array;
        const labels = table.columns[ids.length + 1]?.values as readonly string[];
        let text = '';
        for (let i = 0; i < table.nRows; i++) text += `${firstRow + i + 1}${idCells(table, i)},${(pd[i] as number).toFixed(6)},${cell(labels[i] as string)}\n`;
        await write(text);
        rows += table.nRows;
      }
      if (rows === 0) await write(`${['row', ...ids, `p_${model.classes[1] as string}`, `predicted_${model.params.target}`].map(cell).join(',')}\n`);
    } else if (m !== null) {
      const { numericColumns, categoricalColumns } = m.pipeline.state;
      const plan = { numeric: numericColumns, categorical: categoricalColumns, ids, drop, batchSize, delimiter: ',', missing: ['', 'NA', 'NaN', 'null'] };
      let headerDone = false;
      for await (const batch of typedCsvBatches(stream, plan, fn)) {
        const { csv, failed: bad } = neuralPredictions(m, batch, keep);
        const lines = csv.split('\n');
        const head = lines[0] as string;
        if (!headerDone) {
          await write(`row${ids.map((c) => `,${cell(c)}`).join('')}${head.slice('row'.length)}\n`);
          headerDone = true;
        }
        let text = '';
        for (let i = 0; i < batch.nRows; i++) {
          const l = lines[i + 1] as string;
          text += `${rows + i + 1}${idCells(batch, i)}${l.slice(l.indexOf(','))}\n`;
        }
        for (const f of bad) failed.push({ row: rows + f.row, reason: f.reason });
        await write(text);
        rows += batch.nRows;
      }
    }
    if (sink !== null) {
      await sink.commit();
      io.stderr.write(`finml: wrote ${rows - failed.length} predictions to ${o.out as string}\n`);
    }
  } catch (e) {
    await sink?.abort();
    throw predictStreamError(e, o.file, fn);
  } finally {
    stream.destroy();
    m?.dispose();
    model?.dispose();
  }
  if (failed.length > 0) throw unscoredRows(failed, rows, fn);
}

/**
 * Options of {@link explainCommand}.
 * @category CLI
 */
export interface ExplainCommandOptions {
  readonly modelDir: string;
  readonly file: string;
  /** 1-based data row (the first row after the header is 1). */
  readonly row: number;
  /** Contributions and reason codes shown. */
  readonly top: number;
  readonly svg: string | null;
}

/**
 * `finml explain model-dir data.csv --row 3`: the probability, the SHAP contribution (log-odds)
 * of the `top` most influential input columns, reason codes, and optionally a waterfall SVG.
 *
 * @param o - Parsed command-line options.
 * @param io - Output streams.
 * @returns Resolves when the explanation is printed (and the SVG written).
 * @throws {DataError} missing files, a row outside the file, missing input columns.
 * @throws {SerializationError} corrupt or truncated model files.
 * @example
 * ```ts
 * await explainCommand({ modelDir: 'credit-model', file: 'new.csv', row: 3, top: 5, svg: 'row3.svg' }, { stdout: process.stdout, stderr: process.stderr });
 * // Row 3: P(Class = Bad) = 0.5487  (log-odds 0.195; base -0.943)
 * ```
 * @category CLI
 */
export async function explainCommand(o: ExplainCommandOptions, io: CliIO): Promise<void> {
  const fn = 'finml explain';
  if (o.svg !== null) await checkOutputFile(o.svg, [o.file, o.modelDir], fn, '--svg');
  if ((await modelDirKind(o.modelDir)) === 'bundle') {
    const m = await loadNeuralModelDir(o.modelDir, fn, { explainer: true });
    try {
      const table = await readData(o.file, fn, io);
      checkColumns(m.inputColumns, table, fn);
      if (o.row > table.nRows) throw new DataError({ fn, arg: '--row', expected: `a data row between 1 and ${table.nRows}`, got: String(o.row) });
      const rawValue = (name: string): string | number => {
        const v = table.columns.find((c) => c.name === name)?.values[o.row - 1];
        return v === null || v === undefined || (typeof v === 'number' && Number.isNaN(v)) ? 'missing' : v;
      };
      const e = await explainNeuralRow(m, table, o.row - 1, o.top, rawValue);
      io.stdout.write(`${e.lines.join('\n')}\n`);
      if (o.svg !== null) {
        const svg = shapWaterfallPlot(
          { baseValue: e.baseValue, shapValues: [...e.values], featureNames: [...e.names], featureValues: e.names.map(rawValue) },
          { title: `Row ${o.row}: ${e.what}`, xLabel: e.what, maxDisplay: Math.max(o.top, 1) },
        );
        await writeSvg(o.svg, svg);
        io.stderr.write(`finml: wrote ${o.svg}\n`);
      }
    } finally {
      m.dispose();
    }
    return;
  }
  const model = await loadModelDir(o.modelDir, fn);
  try {
    const table = await readData(o.file, fn, io);
    checkInputColumns(model, table, fn);
    if (o.row > table.nRows) throw new DataError({ fn, arg: '--row', expected: `a data row between 1 and ${table.nRows}`, got: String(o.row) });
    const [e] = await model.explain(table, { rows: [o.row - 1], topK: o.top });
    if (e === undefined) throw new DataError({ fn, arg: '--row', expected: 'an explained row', got: 'none' });
    const positive = model.classes[1] as string;
    const names = Object.keys(e.contributions);
    const values = names.map((n) => e.contributions[n] as number);
    const rawValue = (name: string): string | number => {
      const v = table.columns.find((c) => c.name === name)?.values[o.row - 1];
      return v === null || v === undefined || (typeof v === 'number' && Number.isNaN(v)) ? 'missing' : v;
    };
    const logOdds = Math.log(e.pd / (1 - e.pd));
    const order = names.map((_, j) => j).sort((a, b) => Math.abs(values[b] as number) - Math.abs(values[a] as number));
    const out: string[] = [
      `Row ${o.row}: P(${model.params.target} = ${positive}) = ${e.pd.toFixed(4)}  (log-odds ${logOdds.toFixed(3)}; base ${e.baseLogOdds.toFixed(3)})`,
      `Top contributions (SHAP, log-odds toward ${positive}):`,
    ];
    for (const j of order.slice(0, o.top)) {
      const name = names[j] as string;
      const v = values[j] as number;
      out.push(`  ${v >= 0 ? '+' : '-'}${Math.abs(v).toFixed(3)}  ${name} = ${rawValue(name)}`);
    }
    out.push(e.reasons.length === 0 ? `Reason codes: none (no input column raised P(${positive}))` : 'Reason codes:');
    for (const r of e.reasons) out.push(`  ${r.rank}. ${r.sentence}`);
    io.stdout.write(`${out.join('\n')}\n`);
    if (o.svg !== null) {
      const svg = shapWaterfallPlot(
        { baseValue: e.baseLogOdds, shapValues: values, featureNames: names, featureValues: names.map(rawValue) },
        { title: `Row ${o.row}: log-odds of ${model.params.target} = ${positive}`, xLabel: `log-odds of ${positive}`, maxDisplay: Math.max(o.top, 1) },
      );
      await writeSvg(o.svg, svg);
      io.stderr.write(`finml: wrote ${o.svg}\n`);
    }
  } finally {
    model.dispose();
  }
}
