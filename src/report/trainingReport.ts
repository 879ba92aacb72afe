/**
 * What a training run reports about its model: the HTML report with its model card and the
 * `metrics.json` summary of a risk model ({@link riskTrainingReport}), and the summary of a
 * regression or multiclass model ({@link tabularTrainingSummary}). Used by `finml train`; the
 * functions compute and assemble, the caller writes the files.
 *
 * @module
 */
import type { RiskMetrics, RiskModel, RiskValidation } from '../presets/buildRiskModel';
import type { TabularMetrics, TabularModel } from '../presets/tabularModel';
import type { Table } from '../data/table';
import { riskModelReport } from './riskModelReport';

/**
 * How the model was trained and held out, as the report and summary state it.
 *
 * @category Report
 */
export interface TrainingRun {
  /** The data source as shown in the model card, e.g. the file's base name (no absolute paths). */
  readonly dataName: string;
  /** Seed of the split, the model and the SHAP sample. */
  readonly seed: number;
  /** Held-out share of the rows. */
  readonly testSize: number;
  /** tfjs backend name, or null. */
  readonly backend: string | null;
}

/**
 * Options of {@link riskTrainingReport}: the run, plus what the report explains.
 *
 * @category Report
 */
export interface RiskTrainingRun extends TrainingRun {
  /** Held-out rows explained with KernelSHAP for the SHAP summary and the importances (0: none). */
  readonly shapRows: number;
  /** Columns of the held-out rows reported per group (protected attributes). */
  readonly protectedColumns: readonly string[];
  /** The storage format, as the model card's version line names it (e.g. the model directory's files). */
  readonly format: string;
}

/**
 * The `metrics.json` summary of a risk model's training run.
 *
 * @category Report
 */
export interface RiskTrainingSummary {
  readonly target: string;
  readonly positive: string;
  readonly classes: readonly string[];
  readonly seed: number;
  readonly testSize: number;
  readonly backend: string | null;
  readonly rowsTrain: number;
  readonly rowsTest: number;
  /** Networks in the ensemble. */
  readonly members: number;
  /** Epochs trained by each network. */
  readonly epochs: readonly number[];
  /** Held-out metrics. */
  readonly test: RiskMetrics;
  /** The model's validation metrics (out-of-fold or the validation split). */
  readonly validation: RiskValidation;
  /** Input columns by mean |SHAP| (log-odds) over the explained held-out rows, largest first. */
  readonly topFeatures: readonly { readonly feature: string; readonly meanAbsShap: number }[];
}

/**
 * What {@link riskTrainingReport} returns.
 *
 * @category Report
 */
export interface RiskTrainingReport {
  /** The HTML report (see {@link riskModelReport}). */
  readonly html: string;
  /** The summary to store beside the model. */
  readonly summary: RiskTrainingSummary;
}

/**
 * The report of a risk model's training run: writes the model card (data, intended use,
 * limitations, protected attributes, format) from the run, builds the {@link riskModelReport}
 * (held-out metrics, SHAP summary and mean-|SHAP| importances of `shapRows` held-out rows,
 * per-group metrics, training curves), and the summary of the run (held-out and validation metrics,
 * epochs per network, top features).
 *
 * @param model - The fitted risk model.
 * @param train - The rows it was trained on.
 * @param test - Held-out rows (with the target and any protected columns).
 * @param run - See {@link RiskTrainingRun}.
 * @returns The HTML report and the summary.
 * @throws {DataError} a protected column missing from `test`, or held-out rows with a single outcome.
 * @throws {InvalidOptionError} invalid `shapRows` or `seed`.
 * @example
 * ```ts
 * import { buildRiskModel, riskTrainingReport, takeRows, trainTestSplit } from 'finml';
 * import { readCsv } from 'finml/node';
 * const table = await readCsv('data/german_credit.csv');
 * const split = trainTestSplit(table.nRows, { testSize: 0.2, seed: 1 });
 * const [train, test] = [takeRows(table, split.train), takeRows(table, split.test)];
 * const model = await buildRiskModel(train, { target: 'Class', members: 1, epochs: 5 });
 * const { html, summary } = await riskTrainingReport(model, train, test, {
 *   dataName: 'german_credit.csv', seed: 1, testSize: 0.2, backend: 'cpu', shapRows: 2, protectedColumns: [], format: 'saveRiskModel bundle',
 * });
 * summary.topFeatures[0]?.feature; // the input column with the largest mean |SHAP|
 * model.dispose();
 * ```
 * @category Report
 */
export async function riskTrainingReport(model: RiskModel, train: Table, test: Table, run: RiskTrainingRun): Promise<RiskTrainingReport> {
  const target = model.params.target;
  const positive = model.positive;
  const nRows = train.nRows + test.nRows;
  const protectedColumns = run.protectedColumns;
  const report = await riskModelReport(model, train, test, {
    title: `finml risk model: P(${target} = ${positive})`,
    shapRows: run.shapRows,
    seed: run.seed,
    backend: run.backend,
    protectedColumns,
    modelCard: {
      data: `${run.dataName}: ${nRows} rows, ${train.nRows} training and ${test.nRows} held-out rows (stratified split, seed ${run.seed}); target '${target}', modelled outcome '${positive}'.`,
      intendedUse: `Ranking applications by the probability that '${target}' is '${positive}' (PD), for decisions on a population like the one in the training file.`,
      limitations: [
        'Validated on a random held-out split of the same file only: no out-of-time or out-of-population validation.',
        'PDs are calibrated to the default rate of the training file; recalibrate if the population or the default rate changes.',
        `Protected attributes: ${protectedColumns.length > 0 ? `per-group metrics below for ${protectedColumns.join(', ')}` : 'none examined (no protected columns given)'}; input columns may act as proxies for them.`,
        'SHAP values explain the model, not causes in the data.',
      ],
      version: `${run.format}, seed ${run.seed}`,
    },
  });
  const summary: RiskTrainingSummary = {
    target,
    positive,
    classes: [...model.classes],
    seed: run.seed,
    testSize: run.testSize,
    backend: run.backend,
    rowsTrain: train.nRows,
    rowsTest: test.nRows,
    members: model.members.length,
    epochs: model.members.map((m) => m.training.epochs),
    test: report.test,
    validation: model.validation,
    topFeatures: report.importance.map((e) => ({ feature: e.feature, meanAbsShap: e.meanAbsShap })),
  };
  return { html: report.html, summary };
}

/**
 * The `metrics.json` summary of a regression or multiclass model's training run.
 *
 * @category Report
 */
export interface TabularTrainingSummary {
  readonly task: 'regression' | 'multiclass';
  readonly target: string;
  /** Class labels (multiclass only). */
  readonly classes?: readonly string[];
  readonly seed: number;
  readonly testSize: number;
  readonly backend: string | null;
  readonly rowsTrain: number;
  readonly rowsTest: number;
  /** Epochs the network trained. */
  readonly epochs: number;
  /** Held-out metrics: `{ rmse, mae, r2, n }` or `{ accuracy, macroF1, n }`. */
  readonly test: Readonly<Record<string, number>>;
}

/**
 * The summary of a {@link TabularModel}'s training run: its held-out metrics (`model.evaluate(test)`),
 * the row counts and how the network trained.
 *
 * @param model - The fitted model.
 * @param train - The rows it was trained on.
 * @param test - Held-out rows with the target column.
 * @param run - See {@link TrainingRun}.
 * @returns The summary and the held-out metrics it holds.
 * @throws {DataError} held-out rows without the target column or with values the model rejects.
 * @example
 * ```ts
 * import { tabularModel, tabularTrainingSummary, takeRows, trainTestSplit } from 'finml';
 * import { readCsv } from 'finml/node';
 * const table = await readCsv('data/german_credit.csv');
 * const split = trainTestSplit(table.nRows, { testSize: 0.2, seed: 1 });
 * const [train, test] = [takeRows(table, split.train), takeRows(table, split.test)];
 * const model = await tabularModel({ target: 'Amount', drop: ['Class'], epochs: 3 }).fit(train);
 * const { summary } = tabularTrainingSummary(model, train, test, { dataName: 'german_credit.csv', seed: 1, testSize: 0.2, backend: 'cpu' });
 * summary.rowsTest; //=> 200
 * model.dispose();
 * ```
 * @category Report
 */
export function tabularTrainingSummary(model: TabularModel, train: Table, test: Table, run: TrainingRun): { readonly summary: TabularTrainingSummary; readonly test: TabularMetrics } {
  const m = model.evaluate(test);
  const metrics = m.task === 'regression' ? { rmse: m.rmse, mae: m.mae, r2: m.r2, n: m.n } : { accuracy: m.accuracy, macroF1: m.macroF1, n: m.n };
  const summary: TabularTrainingSummary = {
    task: model.task,
    target: model.target,
    ...(model.task === 'multiclass' && { classes: [...model.classes] }),
    seed: run.seed,
    testSize: run.testSize,
    backend: run.backend,
    rowsTrain: train.nRows,
    rowsTest: test.nRows,
    epochs: model.training.epochs,
    test: metrics,
  };
  return { summary, test: m };
}
