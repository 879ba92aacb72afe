/**
 * The `finml train`, `finml predict` and `finml explain` commands.
 *
 * @module
 */
import { access, mkdir, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { DataError, describeValue } from '../core/errors';
import type { Table } from '../data/table';
import { extractTarget } from '../data/extractTarget';
import { takeTableRows } from '../data/takeTableRows';
import { trainTestSplit } from '../data/trainTestSplit';
import { kernelShap } from '../explain/kernelShap';
import { accuracy, brierScore, calibrationCurve, logLoss, rocAuc, rocCurve } from '../metrics/index';
import { readCsv } from '../node/readCsv';
import { calibrationPlot, modelReport, rocCurvePlot, shapWaterfallPlot, trainingCurvePlot } from '../report/index';
import { neuralClassifier } from '../train/index';
import { createRng } from '../core/random';
import { createProgressBar, type ProgressStream } from './progressBar';
import { loadModelDir, saveModelDir } from './modelDir';
import { fitTabularPreprocessor } from './tabularPreprocessor';

/** Where a command writes: stdout for data, stderr for progress and messages. */
export interface CliIO {
  readonly stdout: ProgressStream;
  readonly stderr: ProgressStream;
}

async function readData(path: string, fn: string): Promise<Table> {
  try {
    await access(path);
  } catch {
    throw new DataError({ fn, arg: 'file', expected: 'an existing CSV file', got: `${describeValue(path)} (no such file)` });
  }
  try {
    return await readCsv(path);
  } catch (e) {
    if (e instanceof DataError) {
      throw new DataError({ fn, arg: 'file', expected: 'a well-formed CSV file', got: `${describeValue(path)}, where ${e.message.replace(/\.+$/, '')}` }, { cause: e });
    }
    throw e;
  }
}

function checkColumn(table: Table, name: string, fn: string, arg: string): void {
  if (!table.columns.some((c) => c.name === name)) {
    throw new DataError({ fn, arg, expected: `one of the columns ${table.columns.map((c) => `'${c.name}'`).join(', ')}`, got: describeValue(name) });
  }
}

function csvField(s: string): string {
  return /[",\n\r]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

/** Options of `finml train`. */
export interface TrainCommandOptions {
  readonly file: string;
  readonly target: string;
  readonly out: string;
  readonly epochs: number;
  readonly seed: number;
  readonly testSize: number;
  readonly hidden: readonly number[];
  readonly positive: string | null;
  readonly quiet: boolean;
  readonly backend: string;
}

/** `finml train data.csv --target Class`: fits preprocessing + an FNN, evaluates on a held-out split, writes the model dir. */
export async function trainCommand(o: TrainCommandOptions, io: CliIO): Promise<void> {
  const fn = 'finml train';
  const table = await readData(o.file, fn);
  checkColumn(table, o.target, fn, '--target');
  const col = table.columns.find((c) => c.name === o.target);
  const labels = new Set<string>();
  for (let i = 0; i < table.nRows; i++) {
    const v = col?.kind === 'numeric' ? col.values[i] : col?.values[i];
    if (v !== null && v !== undefined && !(typeof v === 'number' && Number.isNaN(v))) labels.add(String(v));
  }
  if (labels.size < 2) throw new DataError({ fn, arg: '--target', expected: 'a column with at least 2 distinct labels', got: `${labels.size} label(s) in '${o.target}'` });
  const task = labels.size === 2 ? 'binary' : 'multiclass';
  if (o.positive !== null && !labels.has(o.positive)) {
    throw new DataError({ fn, arg: '--positive', expected: `one of the labels ${[...labels].map((l) => `'${l}'`).join(', ')}`, got: describeValue(o.positive) });
  }
  const { y, classes, features } = extractTarget(table, o.target, task === 'binary' && o.positive !== null ? { task, positive: o.positive } : { task });
  const split = trainTestSplit(table.nRows, { testSize: o.testSize, seed: o.seed, stratify: Array.from(y) });
  const trainT = takeTableRows(features, split.train);
  const testT = takeTableRows(features, split.test);
  const yTrain = Array.from(split.train, (i) => y[i] as number);
  const yTest = Array.from(split.test, (i) => y[i] as number);
  const pre = fitTabularPreprocessor(trainT, fn);
  const xTrain = pre.transform(trainT);
  const xTest = pre.transform(testT);
  io.stderr.write(`finml: ${table.nRows} rows, ${features.columns.length} feature columns (${pre.outputNames.length} after encoding), target '${o.target}' (${classes.join(' / ')}), backend ${o.backend}\n`);

  const spec = neuralClassifier({
    model: { type: 'fnn', hidden: [...o.hidden], dropout: 0.1 },
    train: { epochs: o.epochs, batchSize: 32, learningRate: 0.003, validationSplit: 0.2, validationMode: 'shuffled', earlyStopping: { patience: 8, restoreBestWeights: true } },
    seed: o.seed,
  });
  const bar = o.quiet ? null : createProgressBar(o.epochs, 'training', io.stderr);
  const fitted = await spec.fit(xTrain, yTrain, {
    onEpochEnd: (l) => bar?.update(l.epoch + 1, `loss ${l.loss.toFixed(4)}${l.valLoss === undefined ? '' : ` val_loss ${l.valLoss.toFixed(4)}`}`),
  });
  try {
    bar?.finish(fitted.training.stopReason === 'earlyStopping' ? `(early stop, best epoch ${(fitted.training.bestEpoch ?? 0) + 1})` : '');
    const proba = fitted.predictProba(xTest);
    const metrics: Record<string, number> = {};
    const plots: { title: string; svg: string }[] = [
      { title: 'Training curves', svg: trainingCurvePlot({ loss: fitted.history.loss, ...(fitted.history.valLoss.length > 0 && { valLoss: fitted.history.valLoss }) }) },
    ];
    if (task === 'binary') {
      const p = Array.from(proba);
      metrics.auc = rocAuc(yTest, p);
      metrics.accuracy = accuracy(yTest, p.map((v) => (v >= 0.5 ? 1 : 0)));
      metrics.logLoss = logLoss(yTest, p);
      metrics.brier = brierScore(yTest, p);
      plots.push({ title: 'ROC curve (test split)', svg: rocCurvePlot({ ...rocCurve(yTest, p), label: 'test' }) });
      plots.push({ title: 'Calibration (test split)', svg: calibrationPlot(calibrationCurve(yTest, p, { nBins: 10 })) });
    } else {
      const k = classes.length;
      const pred = yTest.map((_, i) => {
        let best = 0;
        for (let c = 1; c < k; c++) if ((proba[i * k + c] as number) > (proba[i * k + best] as number)) best = c;
        return best;
      });
      metrics.accuracy = accuracy(yTest, pred);
    }
    const rng = createRng(o.seed);
    const bgIdx = rng.sample(xTrain.length, Math.min(100, xTrain.length));
    const background = Array.from(bgIdx, (i) => xTrain[i] as number[]);
    await saveModelDir(o.out, { target: o.target, classes, seed: o.seed, preprocessor: pre, model: fitted, background });
    const summary = { rowsTrain: xTrain.length, rowsTest: xTest.length, epochs: fitted.training.epochs, stopReason: fitted.training.stopReason, ...metrics };
    await writeFile(join(o.out, 'metrics.json'), `${JSON.stringify(summary, null, 2)}\n`, 'utf8');
    const html = modelReport({
      title: `finml model: ${o.target}`,
      metrics: { ...metrics, 'training rows': xTrain.length, 'test rows': xTest.length, epochs: fitted.training.epochs },
      plots,
      dataWindow: { description: o.file, rows: table.nRows },
      seed: o.seed,
      backend: o.backend,
      notes: [`Network: FNN ${o.hidden.join('-')}, dropout 0.1, early stopping on a 20% validation split of the training rows. Test split: ${Math.round(o.testSize * 100)}% (stratified).`],
    });
    await writeFile(join(o.out, 'report.html'), html, 'utf8');
    const shown = Object.entries(metrics).map(([k, v]) => `${k} ${v.toFixed(4)}`).join(', ');
    io.stdout.write(`Trained on ${xTrain.length} rows; test (${xTest.length} rows): ${shown}\nSaved to ${o.out}/ (model.json, metrics.json, report.html)\n`);
  } finally {
    fitted.dispose();
  }
}

/** Options of `finml predict`. */
export interface PredictCommandOptions {
  readonly modelDir: string;
  readonly file: string;
  readonly out: string | null;
}

/** `finml predict model-dir data.csv [--out preds.csv]`: class probabilities and predicted labels as CSV. */
export async function predictCommand(o: PredictCommandOptions, io: CliIO): Promise<void> {
  const fn = 'finml predict';
  const m = await loadModelDir(o.modelDir, fn);
  try {
    const table = await readData(o.file, fn);
    const x = m.preprocessor.transform(table);
    const rows = m.model.predictProbaRows(x);
    const header = ['row', ...m.classes.map((c) => `p_${c}`), `predicted_${m.target}`].map(csvField).join(',');
    const lines = rows.map((p, i) => {
      let best = 0;
      for (let c = 1; c < p.length; c++) if ((p[c] as number) > (p[best] as number)) best = c;
      return [String(i + 1), ...p.map((v) => v.toFixed(6)), csvField(m.classes[best] as string)].join(',');
    });
    const text = `${header}\n${lines.join('\n')}\n`;
    if (o.out === null) io.stdout.write(text);
    else {
      await mkdir(dirname(o.out), { recursive: true });
      await writeFile(o.out, text, 'utf8');
      io.stderr.write(`finml: wrote ${rows.length} predictions to ${o.out}\n`);
    }
  } finally {
    m.model.dispose();
  }
}

/** Options of `finml explain`. */
export interface ExplainCommandOptions {
  readonly modelDir: string;
  readonly file: string;
  /** 1-based data row (the first row after the header is 1). */
  readonly row: number;
  readonly top: number;
  readonly svg: string | null;
}

/** `finml explain model-dir data.csv --row 3`: KernelSHAP contributions of each input column to one prediction. */
export async function explainCommand(o: ExplainCommandOptions, io: CliIO): Promise<void> {
  const fn = 'finml explain';
  const m = await loadModelDir(o.modelDir, fn);
  try {
    if (m.classes.length !== 2) throw new DataError({ fn, arg: 'model-dir', expected: 'a binary classifier', got: `a model with ${m.classes.length} classes` });
    const table = await readData(o.file, fn);
    if (o.row > table.nRows) throw new DataError({ fn, arg: '--row', expected: `a data row between 1 and ${table.nRows}`, got: String(o.row) });
    const one = takeTableRows(table, [o.row - 1]);
    const x = m.preprocessor.transform(one)[0] as number[];
    const explainer = kernelShap(m.model.asPredictor(), m.background as number[][], {
      link: 'logit',
      groups: m.preprocessor.groups,
      backgroundSummary: 'kmeans',
      backgroundSize: 30,
      seed: m.seed,
    });
    const e = await explainer.explain([x]);
    const values = e.values[0] as readonly number[];
    const fx = e.fx[0] as number;
    const p = 1 / (1 + Math.exp(-fx));
    const positive = m.classes[1] as string;
    const rawValue = (name: string): string | number => {
      const c = one.columns.find((cc) => cc.name === name);
      const v = c?.values[0];
      return v === null || v === undefined ? 'missing' : typeof v === 'number' ? v : v;
    };
    const order = values.map((_, j) => j).sort((a, b) => Math.abs(values[b] as number) - Math.abs(values[a] as number));
    const out: string[] = [
      `Row ${o.row}: P(${m.target} = ${positive}) = ${p.toFixed(4)}  (log-odds ${fx.toFixed(3)}; base ${e.baseValue.toFixed(3)})`,
      `Top contributions (log-odds toward ${positive}${e.exact ? ', exact Shapley values' : ''}):`,
    ];
    for (const j of order.slice(0, o.top)) {
      const name = e.playerNames[j] as string;
      const v = values[j] as number;
      out.push(`  ${v >= 0 ? '+' : '-'}${Math.abs(v).toFixed(3)}  ${name} = ${rawValue(name)}`);
    }
    io.stdout.write(`${out.join('\n')}\n`);
    if (o.svg !== null) {
      const svg = shapWaterfallPlot(
        { baseValue: e.baseValue, shapValues: values, featureNames: e.playerNames, featureValues: e.playerNames.map(rawValue) },
        { title: `Row ${o.row}: log-odds of ${m.target} = ${positive}`, xLabel: `log-odds of ${positive}` },
      );
      await mkdir(dirname(o.svg), { recursive: true });
      await writeFile(o.svg, `<?xml version="1.0" encoding="UTF-8"?>\n${svg}\n`, 'utf8');
      io.stderr.write(`finml: wrote ${o.svg}\n`);
    }
  } finally {
    m.model.dispose();
  }
}
