/**
 * Credit-risk scoring preset: raw applicant table in, calibrated probability of default, honest
 * validation metrics and reason codes out.
 *
 * @module
 */
import { checkEnvelope, deepFreeze, paramsFromJSON, type EstimatorJSON, type JsonValue } from '../core/estimator';
import { DataError, DisposedError, InvalidOptionError, SerializationError, describeValue } from '../core/errors';
import { denseToArrays, takeRows, type DenseMatrix } from '../core/matrix';
import type { Predictor } from '../core/predictor';
import { resolveOptions, rules, type RuleTable } from '../core/options';
import type { Table } from '../data/table';
import { stratifiedKFold } from '../data/stratifiedKFold';
import { tabularPipeline, tabularPipelineFromJSON, type FittedTabularPipeline } from '../data/tabularPipeline';
import { kernelShap, kernelShapFromJSON, type FittedKernelShap } from '../explain/kernelShap';
import { reasonCodes, type ReasonCode } from '../explain/reasonCodes';
import { accuracy } from '../metrics/accuracy';
import { brierScore } from '../metrics/brierScore';
import { ksStatistic } from '../metrics/ksStatistic';
import { logLoss } from '../metrics/logLoss';
import { rocAuc } from '../metrics/rocAuc';
import { neuralClassifier, neuralModelFromJSON, type FittedNeuralClassifier, type FittedNeuralModel, type NeuralFitOptions } from '../train/neuralModel';

/**
 * Options of {@link buildRiskModel}. Only `target` is required.
 *
 * @category Presets
 */
export interface RiskModelOptions {
  /** The target column, e.g. `'Class'`. */
  readonly target: string;
  /** The target label that means default (encoded 1). @defaultValue null: `'Bad'` if present, else the larger label */
  readonly positive?: string | null;
  /** Columns to ignore (ids, leakage-prone fields). @defaultValue [] */
  readonly drop?: readonly string[];
  /**
   * Networks in the cross-validation ensemble: with k > 1, network i trains on k − 1 stratified folds
   * and early-stops on fold i, and the score is their mean (every row is used for training, and the
   * out-of-fold scores give honest validation metrics). 1 = one network with a 20% validation split.
   * With k > 1, k may not exceed the number of rows of the minority class (DataError), so that every
   * validation fold holds a default and a non-default.
   * @defaultValue 5
   */
  readonly members?: number;
  /** Hidden layer sizes of each network. @defaultValue [8] */
  readonly hidden?: readonly number[];
  /** L2 penalty on the kernels. @defaultValue 0.03 */
  readonly l2?: number;
  /** Dropout rate after each hidden layer. @defaultValue 0.1 */
  readonly dropout?: number;
  /** Adam learning rate. @defaultValue 0.003 */
  readonly learningRate?: number;
  /** Maximum epochs per network. @defaultValue 200 */
  readonly epochs?: number;
  /** @defaultValue 32 */
  readonly batchSize?: number;
  /** Early-stopping patience (epochs without a better validation loss); best weights are restored. @defaultValue 15 */
  readonly patience?: number;
  /** Seed of folds, weights, dropout, shuffling and the explainer background. @defaultValue 42 */
  readonly seed?: number;
  /** Rows kept (k-means centroids of the training data) as the SHAP background. @defaultValue 30 */
  readonly backgroundSize?: number;
}

/**
 * Validated {@link RiskModelOptions}.
 *
 * @category Presets
 */
export type RiskModelParams = Readonly<Required<RiskModelOptions>>;

/**
 * The defaults of {@link RiskModelOptions} (`target` has no default: it is required).
 * @category Presets
 */
export const RISK_MODEL_DEFAULTS: Readonly<Omit<Required<RiskModelOptions>, 'target'>> = Object.freeze({
  positive: null,
  drop: Object.freeze([]) as readonly string[],
  members: 5,
  hidden: Object.freeze([8]) as readonly number[],
  l2: 0.03,
  dropout: 0.1,
  learningRate: 0.003,
  epochs: 200,
  batchSize: 32,
  patience: 15,
  seed: 42,
  backgroundSize: 30,
});

const DEFAULTS: Required<RiskModelOptions> = { target: '', ...RISK_MODEL_DEFAULTS };
const RULES: RuleTable<Required<RiskModelOptions>> = {
  target: rules.custom('a non-empty column name', (v) => typeof v === 'string' && v.length > 0),
  positive: rules.nullable(rules.string()),
  drop: rules.stringArray(),
  members: rules.int({ min: 1, max: 20 }),
  hidden: rules.intArray({ min: 1 }),
  l2: rules.number({ min: 0 }),
  dropout: rules.custom('a number >= 0 and < 1', (v) => typeof v === 'number' && v >= 0 && v < 1),
  learningRate: rules.number({ min: 0, exclusiveMin: true }),
  epochs: rules.int({ min: 1 }),
  batchSize: rules.int({ min: 1 }),
  patience: rules.int({ min: 0 }),
  seed: rules.int(),
  backgroundSize: rules.int({ min: 1 }),
};
const KIND = 'RiskModel';

/**
 * Discrimination and calibration of probabilities of default against outcomes.
 *
 * @category Presets
 */
export interface RiskMetrics {
  readonly n: number;
  readonly defaultRate: number;
  readonly rocAuc: number;
  readonly gini: number;
  readonly ks: number;
  /** Accuracy at the 0.5 cut-off. */
  readonly accuracy: number;
  readonly brier: number;
  readonly logLoss: number;
}

/**
 * One applicant's explanation.
 *
 * @category Presets
 */
export interface RiskExplanation {
  /** Row index in the explained table. */
  readonly row: number;
  /** Probability of default. */
  readonly pd: number;
  /** Average log-odds of default over the background (the SHAP base value). */
  readonly baseLogOdds: number;
  /** SHAP value (log-odds) of every input column, keyed by column name; they sum to logit(pd) − baseLogOdds. */
  readonly contributions: Readonly<Record<string, number>>;
  /** The `topK` columns pushing most toward default, in plain words. */
  readonly reasons: readonly ReasonCode[];
}

/**
 * A fitted credit-risk model from {@link buildRiskModel}. Owns tensors: `dispose()` it.
 *
 * @category Presets
 */
export interface RiskModel {
  readonly kind: 'RiskModel';
  readonly params: RiskModelParams;
  /** The fitted preprocessing (imputation, scaling, one-hot encoding), fitted on the training table only. */
  readonly pipeline: FittedTabularPipeline;
  /** The networks of the ensemble. */
  readonly members: readonly FittedNeuralClassifier[];
  /** `[nonDefaultLabel, defaultLabel]`. */
  readonly classes: readonly string[];
  /** Out-of-fold metrics on the training table (members > 1), or on the validation split (members = 1). */
  readonly validation: RiskMetrics;
  /** The SHAP explainer (background summarised from the training table). */
  readonly explainer: FittedKernelShap;
  /** Probability of default for every row of `table` (it needs the input columns; the target is not used). */
  score(table: Table): Float64Array;
  /** Predicted labels at `threshold` (default 0.5). */
  predict(table: Table, threshold?: number): string[];
  /** Metrics of the scores against the table's target column. */
  evaluate(table: Table): RiskMetrics;
  /** A {@link Predictor} on the encoded matrix (`pipeline.transformDense(table)`) returning the PD. */
  predictor(): Predictor;
  /** SHAP contributions per input column and reason codes for the given rows (default: all). @throws {InvalidOptionError} a row index outside the table. */
  explain(table: Table, options?: { readonly rows?: readonly number[]; readonly topK?: number }): Promise<RiskExplanation[]>;
  /** Serialises the fitted state to the finml envelope `{ kind, version, params, state }` (JSON values only). Includes the pipeline, every ensemble member's weights and the validation metrics. */
  toJSON(): EstimatorJSON;
  /** Releases every ensemble member's tensors; later use throws DisposedError. */
  dispose(): void;
  /** Same as `dispose()`, for `using` declarations. */
  [Symbol.dispose](): void;
}

function metrics(y: readonly number[] | Float64Array, p: readonly number[] | Float64Array): RiskMetrics {
  let pos = 0;
  for (let i = 0; i < y.length; i++) pos += y[i] as number;
  const auc = rocAuc(y, p);
  return Object.freeze({
    n: y.length,
    defaultRate: pos / y.length,
    rocAuc: auc,
    gini: 2 * auc - 1,
    ks: ksStatistic(y, p).statistic,
    accuracy: accuracy(y, p),
    brier: brierScore(y, p),
    logLoss: logLoss(y, p),
  });
}

function meanScore(members: readonly FittedNeuralClassifier[], x: DenseMatrix, fn: string): Float64Array {
  const out = new Float64Array(x.rows);
  for (const m of members) {
    if (m.isDisposed) throw new DisposedError(fn, 'risk model');
    const p = m.predictProba(x);
    for (let i = 0; i < out.length; i++) out[i] = (out[i] as number) + (p[i] as number) / members.length;
  }
  return out;
}

/** A risk model needs a binary target: codes 0/1 with both present. */
function checkBinary(y: Float64Array, pipeline: FittedTabularPipeline, fn: string): void {
  const seen = new Set<number>(y);
  const labels = pipeline.state.targetClasses.length > 0 ? pipeline.state.targetClasses.map((c) => JSON.stringify(c)) : [...seen].sort((a, b) => a - b).map(String);
  if (seen.size !== 2 || !seen.has(0) || !seen.has(1)) {
    throw new DataError({
      fn,
      arg: 'data',
      expected: `a binary target column '${pipeline.params.target ?? ''}' (two classes, or numbers 0/1) in the training rows`,
      got: `${seen.size} distinct value(s): ${labels.slice(0, 10).join(', ')}${labels.length > 10 ? ', ...' : ''}`,
    });
  }
}

/**
 * With k > 1 members, every one of the k stratified validation folds must hold a row of each class
 * (early stopping and the out-of-fold metrics need both): k must not exceed the minority count.
 */
function checkMembers(y: Float64Array, members: number, classes: readonly string[], fn: string): void {
  if (members === 1) return;
  let pos = 0;
  for (let i = 0; i < y.length; i++) pos += y[i] as number;
  const minority = Math.min(pos, y.length - pos);
  if (members <= minority) return;
  const label = classes[pos <= y.length - pos ? 1 : 0] as string;
  throw new DataError({
    fn,
    arg: 'members',
    expected:
      `at most ${minority}, the number of rows of the minority class ${JSON.stringify(label)}, so that each of the ${members} cross-validation ` +
      `folds holds a row of each class (or 1 for a single network with a validation split)`,
    got: String(members),
  });
}

/** Class labels: the pipeline's target classes, or '0'/'1' for a numeric 0/1 target. */
function classLabels(pipeline: FittedTabularPipeline): readonly string[] {
  return Object.freeze(pipeline.state.targetClasses.length === 2 ? [...pipeline.state.targetClasses] : ['0', '1']);
}

function defaultPositive(table: Table, target: string): string | null {
  const col = table.columns.find((c) => c.name === target);
  if (col?.kind === 'categorical' && col.values.includes('Bad')) return 'Bad';
  return null;
}

interface Parts {
  readonly params: RiskModelParams;
  readonly pipeline: FittedTabularPipeline;
  readonly members: readonly FittedNeuralClassifier[];
  readonly validation: RiskMetrics;
  readonly explainer: FittedKernelShap;
}

function makeRiskModel(parts: Parts): RiskModel {
  const { params, pipeline, members, explainer } = parts;
  const classes = classLabels(pipeline);
  const inputColumns = Object.keys(pipeline.featureGroups);
  const score = (table: Table): Float64Array => meanScore(members, pipeline.transformDense(table), 'RiskModel.score');
  const predictor: Predictor = (batch) => meanScore(members, batch, 'RiskModel.predictor');
  const model: RiskModel = {
    kind: KIND,
    params,
    pipeline,
    members,
    classes,
    validation: parts.validation,
    explainer,
    score,
    predict: (table, threshold = 0.5) => Array.from(score(table), (p) => (p >= threshold ? (classes[1] as string) : (classes[0] as string))),
    evaluate: (table) => metrics(pipeline.transformTarget(table), score(table)),
    predictor: () => predictor,
    async explain(table, options = {}) {
      const x = pipeline.transformDense(table);
      const rows = options.rows ?? Array.from({ length: x.rows }, (_, i) => i);
      const bad = rows.findIndex((r) => !Number.isInteger(r) || r < 0 || r >= x.rows);
      if (bad >= 0) {
        throw new InvalidOptionError({
          fn: 'RiskModel.explain',
          arg: 'options.rows',
          expected: `row indices: integers in [0, ${x.rows - 1}]`,
          got: `${describeValue(rows[bad])} at position ${bad}`,
        });
      }
      const sub = takeRows(x, rows);
      const e = await explainer.explain(predictor, denseToArrays(sub));
      return rows.map((r, i) => {
        const values = e.values[i] as readonly number[];
        const display = e.playerNames.map((name) => {
          const col = table.columns.find((c) => c.name === name);
          if (col === undefined) return null;
          const v = col.values[r];
          return v === undefined || v === null || (typeof v === 'number' && Number.isNaN(v)) ? null : v;
        });
        const contributions: Record<string, number> = {};
        e.playerNames.forEach((name, j) => (contributions[name] = values[j] as number));
        return Object.freeze({
          row: r,
          pd: 1 / (1 + Math.exp(-(e.fx[i] as number))),
          baseLogOdds: e.baseValue,
          contributions: Object.freeze(contributions),
          reasons: Object.freeze(
            reasonCodes(values, {
              playerNames: e.playerNames,
              displayValues: display,
              topK: options.topK ?? 4,
              unit: 'log-odds',
            }),
          ),
        });
      });
    },
    toJSON: (): EstimatorJSON => ({
      kind: KIND,
      version: 1,
      params: params as unknown as JsonValue,
      state: {
        pipeline: pipeline.toJSON() as unknown as JsonValue,
        members: members.map((m) => m.toJSON() as unknown as JsonValue),
        validation: parts.validation as unknown as JsonValue,
        explainer: explainer.toJSON() as unknown as JsonValue,
        inputColumns,
      },
    }),
    dispose: () => members.forEach((m) => m.dispose()),
    [Symbol.dispose]: () => members.forEach((m) => m.dispose()),
  };
  return Object.freeze(model);
}

/**
 * Builds a credit-scoring model from a raw applicant table: median/most-frequent imputation,
 * standard scaling, one-hot encoding (unseen categories ignored), then a cross-validation
 * ensemble of small regularized feed-forward networks trained with Adam and early stopping that
 * restores the best weights. Everything is fitted on `data` only — split off your test set first.
 * The result scores new applicants, reports honest out-of-fold metrics, and explains each decision
 * with grouped KernelSHAP (log-odds) and reason codes.
 *
 * @param data - Training applicants, including the target column.
 * @param options - {@link RiskModelOptions}; `target` is required.
 * @param fitOptions - Per-network training callbacks (e.g. `onEpochEnd` for progress) and abort signal.
 * @returns a {@link RiskModel} (dispose it when done).
 * @throws {InvalidOptionError} invalid options. @throws {DataError} missing target column, not two classes, bad values,
 *   `members` > 1 and larger than the number of rows of the minority class.
 * @example
 * ```ts
 * import { buildRiskModel, getColumn, takeTableRows, trainTestSplit } from 'finml';
 * import { readCsv } from 'finml/node';
 * const table = await readCsv('data/german_credit.csv');
 * const labels = getColumn(table, 'Class').values as string[];
 * const split = trainTestSplit(table.nRows, { testSize: 0.3, seed: 1, stratify: labels });
 * const train = takeTableRows(table, split.train);
 * const test = takeTableRows(table, split.test);
 * const model = await buildRiskModel(train, { target: 'Class', positive: 'Bad' });
 * model.validation.rocAuc;        // out-of-fold AUC on the training rows
 * model.evaluate(test).rocAuc;    // held-out AUC, about 0.78
 * const [first] = await model.explain(test, { rows: [0], topK: 3 });
 * first?.reasons.map((r) => r.sentence); // the three strongest reasons toward default
 * model.dispose();
 * ```
 * @category Presets
 */
export async function buildRiskModel(data: Table, options: RiskModelOptions, fitOptions: NeuralFitOptions = {}): Promise<RiskModel> {
  const fn = 'buildRiskModel';
  const given = resolveOptions(fn, options, DEFAULTS, RULES);
  const params: RiskModelParams = deepFreeze({ ...structuredClone(given), positive: given.positive ?? defaultPositive(data, given.target) });
  const pipeline = tabularPipeline({
    target: params.target,
    positive: params.positive,
    drop: params.drop,
    numeric: { impute: 'median', scale: 'standard' },
    categorical: { impute: 'most_frequent', encode: 'onehot', handleUnknown: 'ignore' },
  }).fit(data);
  const x = pipeline.transformDense(data);
  const y = pipeline.transformTarget(data);
  checkBinary(y, pipeline, fn);
  checkMembers(y, params.members, classLabels(pipeline), fn);
  const spec = (k: number) =>
    neuralClassifier({
      model: { type: 'fnn', hidden: [...params.hidden], l2: params.l2, dropout: params.dropout },
      train: {
        epochs: params.epochs,
        batchSize: params.batchSize,
        learningRate: params.learningRate,
        ...(params.members === 1 ? { validationSplit: 0.2, validationMode: 'shuffled' as const } : {}),
        earlyStopping: { monitor: 'valLoss', patience: params.patience, restoreBestWeights: true },
      },
      seed: params.seed + k,
    });
  const members: FittedNeuralClassifier[] = [];
  const oofY: number[] = [];
  const oofP: number[] = [];
  try {
    if (params.members === 1) {
      const m = await spec(0).fit(x, y, fitOptions);
      members.push(m);
    } else {
      const folds = stratifiedKFold(y, { k: params.members, shuffle: true, seed: params.seed });
      for (let k = 0; k < folds.length; k++) {
        const f = folds[k] as { train: Int32Array; test: Int32Array };
        const xv = takeRows(x, f.test);
        const yv = Array.from(f.test, (i) => y[i] as number);
        const m = await spec(k).fit(takeRows(x, f.train), Array.from(f.train, (i) => y[i] as number), { ...fitOptions, validationData: { x: xv, y: yv } });
        members.push(m);
        const p = m.predictProba(xv);
        oofY.push(...yv);
        oofP.push(...p);
      }
    }
    const validation =
      params.members === 1 ? metrics(y, members[0]?.predictProba(x) ?? new Float64Array(0)) : metrics(oofY, oofP);
    const groups = Object.entries(pipeline.featureGroups).map(([name, columns]) => ({ name, columns: [...columns] }));
    const explainer = kernelShap({ link: 'logit', groups, backgroundSummary: 'kmeans', backgroundSize: Math.min(params.backgroundSize, x.rows), seed: params.seed }).fit(denseToArrays(x));
    return makeRiskModel({ params, pipeline, members, validation, explainer });
  } catch (e) {
    members.forEach((m) => m.dispose());
    throw e;
  }
}

/**
 * Restores a {@link RiskModel} from its `toJSON()` envelope (async: networks are rebuilt).
 * @param json - A parsed `RiskModel.toJSON()` envelope.
 * @returns the risk model (owns tensors: call `dispose()` when done).
 * @throws {SerializationError} malformed envelope.
 * @example
 * ```ts
 * import { buildRiskModel, riskModelFromJSON } from 'finml';
 * import { readCsv } from 'finml/node';
 * const table = await readCsv('data/german_credit.csv');
 * const model = await buildRiskModel(table, { target: 'Class', members: 2, epochs: 5 });
 * const back = await riskModelFromJSON(JSON.parse(JSON.stringify(model.toJSON())));
 * back.score(table)[0] === model.score(table)[0]; //=> true
 * model.dispose();
 * back.dispose();
 * ```
 * @category Presets
 */
export async function riskModelFromJSON(json: unknown): Promise<RiskModel> {
  const fn = 'riskModelFromJSON';
  const env = checkEnvelope(json, KIND, [1], fn);
  const st = env.state as Record<string, unknown>;
  return restoreRiskModel({ params: env.params, pipeline: st.pipeline, explainer: st.explainer, validation: st.validation, members: st.members }, fn, 'state.', (mj) => neuralModelFromJSON(mj));
}

/** The untrusted pieces of a stored risk model. @internal */
export interface StoredRiskModel {
  readonly params: unknown;
  readonly pipeline: unknown;
  readonly explainer: unknown;
  readonly validation: unknown;
  readonly members: unknown;
}

/**
 * Validates the stored pieces (everything cheap first, no tensors), then restores the members one
 * by one with `restoreMember`, disposing those already restored when one fails. Shared by
 * {@link riskModelFromJSON} and the IOHandler form (saveRiskModel.ts). @internal
 */
export async function restoreRiskModel(
  stored: StoredRiskModel,
  fn: string,
  prefix: string,
  restoreMember: (member: unknown, index: number) => Promise<FittedNeuralModel>,
): Promise<RiskModel> {
  const params = paramsFromJSON<Required<RiskModelOptions>>(fn, stored.params, (q) => resolveOptions(fn, q, DEFAULTS, RULES));
  const list = stored.members;
  if (!Array.isArray(list) || list.length === 0) {
    throw new SerializationError({ fn, arg: `${prefix}members`, expected: 'a non-empty array of NeuralClassifier envelopes', got: describeValue(list) });
  }
  const v = stored.validation as Record<string, unknown> | undefined;
  const keys: (keyof RiskMetrics)[] = ['n', 'defaultRate', 'rocAuc', 'gini', 'ks', 'accuracy', 'brier', 'logLoss'];
  if (v === undefined || v === null || typeof v !== 'object' || !keys.every((k) => typeof v[k] === 'number')) {
    throw new SerializationError({ fn, arg: `${prefix}validation`, expected: `an object with numbers ${keys.join(', ')}`, got: describeValue(v) });
  }
  const pipeline = tabularPipelineFromJSON(stored.pipeline);
  const explainer = kernelShapFromJSON(stored.explainer);
  const members: FittedNeuralClassifier[] = [];
  try {
    for (let i = 0; i < list.length; i++) {
      const m = await restoreMember(list[i] as unknown, i);
      if (m.kind !== 'NeuralClassifier') {
        m.dispose();
        throw new SerializationError({ fn, arg: `${prefix}members`, expected: 'NeuralClassifier envelopes', got: m.kind });
      }
      members.push(m);
      if (m.nFeaturesIn !== pipeline.nFeaturesOut || m.classes.length !== 2) {
        throw new SerializationError({
          fn,
          arg: `${prefix}members[${i}]`,
          expected: `a binary classifier on the pipeline's ${pipeline.nFeaturesOut} encoded features`,
          got: `${m.nFeaturesIn} input features and ${m.classes.length} classes`,
        });
      }
    }
  } catch (e) {
    members.forEach((m) => m.dispose());
    throw e;
  }
  const validation = Object.freeze(Object.fromEntries(keys.map((k) => [k, v[k] as number])) as unknown as RiskMetrics);
  return makeRiskModel({ params: deepFreeze(structuredClone(params)), pipeline, members, validation, explainer });
}
