/**
 * The credit-scoring preset as an estimator spec: `riskModel(options)` validates and freezes the
 * options, `fit(table)` trains and returns a {@link RiskModel}; {@link buildRiskModel} is the
 * one-call shortcut `riskModel(options).fit(table)`.
 *
 * @module
 */
import { deepFreeze, notFitted } from '../core/estimator';
import type { Table } from '../data/table';
import { fitRiskModel, resolveRiskModelOptions, type RiskFitOptions, type RiskModel, type RiskModelOptions, type RiskModelParams } from './buildRiskModel';

const KIND = 'RiskModel';

/**
 * An unfitted credit-scoring preset (from {@link riskModel}): frozen, validated options and `fit`.
 *
 * @category Presets
 */
export interface RiskModelSpec {
  readonly kind: 'RiskModel';
  /** The validated options (`positive` may still be null: it is recognised from the labels at fit). */
  readonly params: RiskModelParams;
  /**
   * Fits the preset on a training table (see {@link buildRiskModel} for what is fitted); `fitOptions` are
   * {@link RiskFitOptions}: the live ensemble progress, per-network training callbacks, `lrSchedule` and an abort signal (`validationData` is not accepted).
   */
  fit(data: Table, fitOptions?: RiskFitOptions): Promise<RiskModel>;
  /** A new spec with the given options replaced (validated like the factory); this spec is unchanged. */
  withParams(patch: Partial<RiskModelOptions>): RiskModelSpec;
  /** Not available before `fit`: throws NotFittedError. */
  readonly score: (...args: never[]) => never;
  /** Not available before `fit`: throws NotFittedError. */
  readonly predict: (...args: never[]) => never;
  /** Not available before `fit`: throws NotFittedError. */
  readonly evaluate: (...args: never[]) => never;
  /** Not available before `fit`: throws NotFittedError. */
  readonly explain: (...args: never[]) => never;
}

function makeSpec(options: RiskModelOptions, fn: string, fitFn: string): RiskModelSpec {
  const params: RiskModelParams = deepFreeze(structuredClone(resolveRiskModelOptions(fn, options)));
  return Object.freeze({
    kind: KIND,
    params,
    fit: (data: Table, fitOptions: RiskFitOptions = {}) => fitRiskModel(data, params, fitOptions, fitFn),
    withParams: (patch: Partial<RiskModelOptions>) => riskModel({ ...params, ...patch }),
    score: notFitted(KIND, 'score'),
    predict: notFitted(KIND, 'predict'),
    evaluate: notFitted(KIND, 'evaluate'),
    explain: notFitted(KIND, 'explain'),
  });
}

/**
 * The credit-scoring preset as a spec: validates and freezes the options now (before any data is
 * read); `fit(table)` trains the model described at {@link buildRiskModel} (pipeline, cross-validation
 * network ensemble and logistic-regression member, calibration, KernelSHAP) and returns a
 * {@link RiskModel}. `buildRiskModel(table, options)` is the same as `riskModel(options).fit(table)`.
 *
 * @param options - {@link RiskModelOptions}; `target` is required.
 * @returns a frozen {@link RiskModelSpec}.
 * @throws {InvalidOptionError} unknown or invalid options (named).
 * @example
 * ```ts
 * import { riskModel } from 'finml';
 * const spec = riskModel({ target: 'Class', members: 3, epochs: 50 });
 * spec.params.members; //=> 3
 * spec.withParams({ members: 1 }).params.members; //=> 1
 * ```
 * @category Presets
 */
export function riskModel(options: RiskModelOptions): RiskModelSpec {
  return makeSpec(options, 'riskModel', 'RiskModel.fit');
}

/**
 * Builds a credit-scoring model from a raw applicant table in one call: `riskModel(options).fit(data)`.
 * Median/most-frequent imputation,
 * standard scaling, one-hot encoding (unseen categories ignored), then, on the same stratified
 * folds, a cross-validation ensemble of small regularized feed-forward networks (Adam, early
 * stopping on the held-out fold, best weights restored; trained together as one packed network),
 * an L2 logistic regression and a logistic GAM (the regression on the columns plus a piecewise-linear
 * encoding of the numeric ones). Their out-of-fold log-odds are blended with the weights that
 * minimise the out-of-fold log loss after Platt scaling (the simplest blend among near-ties; the
 * logistic regression alone is a candidate, so out of fold the preset is never worse than it), and
 * the Platt scaling fitted on those out-of-fold scores calibrates the PDs. The cut-off
 * of `predict` and of the confusion matrices is the out-of-fold KS-maximising PD. Everything is
 * fitted on `data` only — split off your test set first. The result scores new applicants, reports
 * honest out-of-fold metrics for itself and for the logistic regression side by side, and explains
 * each decision with grouped KernelSHAP (log-odds) and reason codes.
 *
 * @param data - Training applicants, including the target column.
 * @param options - {@link RiskModelOptions}; `target` is required.
 * @param fitOptions - {@link RiskFitOptions}: the live `onEnsembleEpochEnd` (progress of every network, each epoch), per-network
 *   callbacks (`onEpochEnd`, `onBatchEnd`, `onTrainEnd`), `lrSchedule` and abort signal. `validationData` is not accepted (each
 *   network validates on its own fold).
 * @returns a {@link RiskModel} (dispose it when done).
 * @throws {InvalidOptionError} invalid options, or `fitOptions.validationData` given. @throws {DataError} missing target column, not two classes, bad values,
 *   no recognisable default label without `positive` (the message lists the labels), unknown protected columns,
 *   `members` larger than the number of rows of the minority class.
 * @example
 * ```ts
 * import { buildRiskModel, getColumn, takeRows, trainTestSplit } from 'finml';
 * import { readCsv } from 'finml/node';
 * const table = await readCsv('data/german_credit.csv');
 * const labels = getColumn(table, 'Class').values as string[];
 * const split = trainTestSplit(table.nRows, { testSize: 0.3, seed: 1, stratify: labels });
 * const train = takeRows(table, split.train);
 * const test = takeRows(table, split.test);
 * const model = await buildRiskModel(train, { target: 'Class' }); // 'Bad' is recognised as the default
 * model.positive; //=> 'Bad'
 * model.validation.rocAuc;          // out-of-fold AUC on the training rows
 * model.validation.baseline.rocAuc; // the logistic regression's, same rows and folds
 * model.evaluate(test).calibrationSlope; // held-out calibration slope, near 1
 * const [first] = await model.explain(test, { rows: [0], topK: 3 });
 * first?.reasons.map((r) => r.sentence); // the three strongest reasons toward default
 * model.dispose();
 * ```
 * @category Presets
 */
export async function buildRiskModel(data: Table, options: RiskModelOptions, fitOptions: RiskFitOptions = {}): Promise<RiskModel> {
  return makeSpec(options, 'buildRiskModel', 'buildRiskModel').fit(data, fitOptions);
}
