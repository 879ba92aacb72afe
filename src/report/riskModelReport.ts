/**
 * {@link riskReport} for a fitted {@link RiskModel}: scores the training and held-out rows,
 * explains a seeded sample of held-out rows with the model's KernelSHAP, and assembles the report
 * (used by `finml train`).
 *
 * @module
 */
import { DataError, describeValue } from '../core/errors';
import { resolveOptions, rules } from '../core/options';
import { createRng } from '../core/random';
import type { Column, Table } from '../data/table';
import type { RiskMetrics, RiskModel } from '../presets/buildRiskModel';
import { riskReport, type ModelCard, type RiskReportGroup } from './riskReport';
import type { ReportMetric, ReportPlot } from './modelReport';
import { trainingCurvePlot } from './trainingCurvePlot';

/**
 * Options of {@link riskModelReport}.
 *
 * @category Report
 */
export interface RiskModelReportOptions {
  /** Report heading. @defaultValue `'Credit risk model report'` */
  readonly title?: string;
  /** PD cut-off of the decision tables (PD ≥ cut-off: declined). @defaultValue 0.5 */
  readonly cutoff?: number;
  /** Held-out rows explained with KernelSHAP (a seeded sample; 0: no SHAP section). @defaultValue 40 */
  readonly shapRows?: number;
  /** Seed of the SHAP sample, shown in the model card. @defaultValue 0 */
  readonly seed?: number;
  /** Columns of the held-out table to report per-group metrics for (protected attributes); they need not be model inputs. @defaultValue `[]` */
  readonly protectedColumns?: readonly string[];
  /** Model card; `method` defaults to a description of the fitted model. @defaultValue `{}` */
  readonly modelCard?: ModelCard;
  /** tfjs backend shown in the model card. @defaultValue `null` */
  readonly backend?: string | null;
  /** Number of score bands. @defaultValue 10 */
  readonly bands?: number;
  /** Further metrics (the model's validation metrics are added automatically). @defaultValue `[]` */
  readonly metrics?: readonly ReportMetric[];
  /** Further notes. @defaultValue `[]` */
  readonly notes?: readonly string[];
}

/**
 * The report and the SHAP importances it shows.
 *
 * @category Report
 */
export interface RiskModelReport {
  /** The HTML document. */
  readonly html: string;
  /** Mean |SHAP| (log-odds) per input column over the explained rows, largest first (empty with `shapRows: 0`). */
  readonly importance: readonly { readonly feature: string; readonly meanAbsShap: number }[];
  /** The held-out metrics of the model (`model.evaluate(test)`). */
  readonly test: RiskMetrics;
}

const DEFAULTS = {
  title: 'Credit risk model report',
  cutoff: 0.5,
  shapRows: 40,
  seed: 0,
  protectedColumns: [],
  modelCard: {},
  backend: null,
  bands: 10,
  metrics: [],
  notes: [],
} as const satisfies Required<RiskModelReportOptions>;

const RULES = {
  title: rules.string(),
  cutoff: rules.number({ min: 0, max: 1 }),
  shapRows: rules.int({ min: 0 }),
  seed: rules.int(),
  protectedColumns: rules.stringArray(),
  modelCard: rules.custom('a ModelCard object', (v) => typeof v === 'object' && v !== null && !Array.isArray(v)),
  backend: rules.nullable(rules.string()),
  bands: rules.int({ min: 2, max: 100 }),
  metrics: rules.custom('an array of { name, value }', (v) => Array.isArray(v)),
  notes: rules.stringArray(),
};

function pick(table: Table, names: readonly string[]): Table {
  const byName = new Map(table.columns.map((c) => [c.name, c]));
  return { nRows: table.nRows, columns: names.map((n) => byName.get(n) as Column) };
}

/**
 * Builds the {@link riskReport} of a fitted {@link RiskModel} on its training rows and held-out
 * rows: held-out PDs and outcomes, score PSI (training vs held-out PDs) and input PSI of every
 * model input column, a SHAP summary of a seeded sample of held-out rows coloured by feature value
 * (numeric inputs; categorical ones grey), per-group metrics for `protectedColumns`, training
 * curves of the ensemble members, and the validation metrics. No file paths are written unless
 * the caller puts them into the model card.
 *
 * @param model - A fitted risk model (from `buildRiskModel`).
 * @param train - The rows it was trained on (with the target column).
 * @param test - Held-out rows (with the target column and any protected columns).
 * @param options - See {@link RiskModelReportOptions}.
 * @returns The report HTML, the SHAP importances and the held-out metrics.
 * @throws {DataError} a protected column missing from `test`, or held-out rows with a single outcome.
 * @throws {InvalidOptionError} unknown or invalid options.
 * @example
 * ```ts
 * import { buildRiskModel, riskModelReport, takeRows, trainTestSplit } from 'finml';
 * import { readCsv } from 'finml/node';
 * const table = await readCsv('data/german_credit.csv');
 * const split = trainTestSplit(table.nRows, { testSize: 0.3, seed: 1 });
 * const [train, test] = [takeRows(table, split.train), takeRows(table, split.test)];
 * const model = await buildRiskModel(train, { target: 'Class', members: 1, epochs: 20 });
 * const { html } = await riskModelReport(model, train, test, { shapRows: 10, protectedColumns: ['Personal'] });
 * model.dispose();
 * ```
 * @category Report
 */
export async function riskModelReport(model: RiskModel, train: Table, test: Table, options?: RiskModelReportOptions): Promise<RiskModelReport> {
  const fn = 'riskModelReport';
  const o = resolveOptions<RiskModelReportOptions>(fn, options, DEFAULTS, RULES) as Required<RiskModelReportOptions>;
  for (const c of o.protectedColumns) {
    if (!test.columns.some((x) => x.name === c)) throw new DataError({ fn, arg: 'options.protectedColumns', expected: `columns of the held-out table (${test.columns.map((x) => `'${x.name}'`).join(', ')})`, got: describeValue(c) });
  }
  const positive = model.classes[1] as string;
  const inputs = Object.keys(model.pipeline.featureGroups);
  const yTest = model.pipeline.transformTarget(test);
  const pTest = model.score(test);
  const pTrain = model.score(train);
  const testMetrics = model.evaluate(test);

  let shap: { values: number[][]; featureValues: (number | null)[][]; featureNames: string[]; unit: string } | undefined;
  let importance: { feature: string; meanAbsShap: number }[] = [];
  if (o.shapRows > 0) {
    const rows = Array.from(createRng(o.seed).sample(test.nRows, Math.min(o.shapRows, test.nRows))).sort((a, b) => a - b);
    const ex = await model.explain(test, { rows });
    const names = Object.keys(ex[0]?.contributions ?? {});
    const values = ex.map((e) => names.map((n) => e.contributions[n] as number));
    const cols = names.map((n) => test.columns.find((c) => c.name === n));
    const featureValues = rows.map((r) => cols.map((c) => (c !== undefined && c.kind === 'numeric' && !Number.isNaN(c.values[r] as number) ? (c.values[r] as number) : null)));
    shap = { values, featureValues, featureNames: names, unit: `log-odds of ${positive}` };
    importance = names
      .map((feature, j) => ({ feature, meanAbsShap: values.reduce((a, r) => a + Math.abs(r[j] as number), 0) / Math.max(1, values.length) }))
      .sort((a, b) => b.meanAbsShap - a.meanAbsShap);
  }

  const groups: RiskReportGroup[] = o.protectedColumns.map((name) => {
    const c = test.columns.find((x) => x.name === name) as Column;
    return { name, values: c.kind === 'numeric' ? Array.from(c.values, (v) => (Number.isNaN(v) ? null : String(v))) : c.values };
  });
  const v = model.validation;
  const validationWhat = model.members.length > 1 ? 'out-of-fold scores of the training rows' : 'the validation split of the training rows';
  const metrics: ReportMetric[] = [
    { name: 'Validation AUC', value: v.rocAuc },
    { name: 'Validation KS', value: v.ks },
    { name: 'Validation Brier score', value: v.brier },
    { name: 'Validation rows', value: v.n },
    ...o.metrics,
  ];
  const plots: ReportPlot[] = model.members.map((m, k) => ({
    title: `Training curves, network ${k + 1} of ${model.members.length}`,
    svg: trainingCurvePlot({ loss: m.history.loss, ...(m.history.valLoss.length > 0 && { valLoss: m.history.valLoss }) }),
  }));
  const method =
    o.modelCard.method ??
    `buildRiskModel: median/most-frequent imputation, standard scaling and one-hot encoding fitted on the ${train.nRows} training rows; an ensemble of ${model.members.length} feed-forward network(s) (hidden ${model.params.hidden.join('-')}, L2 ${model.params.l2}, dropout ${model.params.dropout}) trained with Adam and early stopping (patience ${model.params.patience}); held-out metrics on ${test.nRows} rows, validation metrics on ${validationWhat}.`;
  const html = riskReport(
    {
      yTrue: yTest,
      pd: pTest,
      trainPd: pTrain,
      trainInputs: pick(train, inputs),
      testInputs: pick(test, inputs),
      ...(shap !== undefined && { shap }),
      groups,
    },
    {
      title: o.title,
      positive,
      cutoff: o.cutoff,
      bands: o.bands,
      modelCard: { ...o.modelCard, method },
      seed: o.seed,
      backend: o.backend,
      metrics,
      plots,
      notes: o.notes,
    },
  );
  return { html, importance, test: testMetrics };
}
