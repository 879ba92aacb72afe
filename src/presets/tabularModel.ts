/**
 * Regression and multiclass preset on raw tables: {@link tabularPipeline} (imputation, scaling,
 * one-hot encoding) fitted on the training table, one feed-forward network (a
 * {@link neuralRegressor} on the standardised target, or a softmax {@link neuralClassifier}) with
 * early stopping on a validation split, and a KernelSHAP explainer with one player per input column.
 * Spec → `fit` → frozen fitted {@link TabularModel} with `predict`, `evaluate`, `explain` and
 * `toJSON` / {@link tabularModelFromJSON}. Binary targets belong to {@link riskModel}.
 *
 * @module
 */
import { argmaxRows } from '../core/_internal/stats';
import { checkEnvelope, deepFreeze, notFitted, paramsFromJSON, type EstimatorJSON, type JsonValue } from '../core/estimator';
import { DataError, DisposedError, InvalidOptionError, SerializationError, describeValue } from '../core/errors';
import { denseToArrays, type DenseMatrix } from '../core/matrix';
import { resolveOptions, rules, type RuleTable } from '../core/options';
import type { Predictor } from '../core/predictor';
import type { Column, Table } from '../data/table';
import { tabularPipeline, tabularPipelineFromJSON, type FittedTabularPipeline } from '../data/tabularPipeline';
import { takeRows } from '../data/takeRows';
import { kernelShap, kernelShapFromJSON, type FittedKernelShap } from '../explain/kernelShap';
import { reasonCodes, type ReasonCode } from '../explain/reasonCodes';
import { accuracy } from '../metrics/accuracy';
import { f1 } from '../metrics/f1';
import { mae } from '../metrics/mae';
import { r2 } from '../metrics/r2';
import { rmse } from '../metrics/rmse';
import {
  neuralClassifier,
  neuralModelFromJSON,
  neuralRegressor,
  type FittedNeuralClassifier,
  type FittedNeuralModel,
  type FittedNeuralRegressor,
  type NeuralFitOptions,
  type NeuralParams,
  type NeuralTrainingSummary,
} from '../models/neuralModel';

const KIND = 'TabularModel';
const VERSION = 1;

/**
 * What a {@link tabularModel} predicts: a numeric target (`'regression'`), a target with 3 or more
 * labels (`'multiclass'`), or `'auto'`: a categorical target is multiclass, a numeric one regression
 * (integer-coded classes need `'multiclass'`).
 *
 * @category Presets
 */
export type TabularTask = 'auto' | 'regression' | 'multiclass';

/**
 * Options of {@link tabularModel}. Only `target` is required.
 *
 * @category Presets
 */
export interface TabularModelOptions {
  /** The target column. */
  readonly target: string;
  /** What to predict (see {@link TabularTask}); resolved at fit (the fitted params hold the task used). @defaultValue 'auto' */
  readonly task?: TabularTask;
  /** Columns to ignore (ids, leakage-prone fields). @defaultValue [] */
  readonly drop?: readonly string[];
  /** Hidden layer sizes of the network. @defaultValue [16] */
  readonly hidden?: readonly number[];
  /** Maximum epochs (early stopping on the validation loss, best weights restored). @defaultValue 200 */
  readonly epochs?: number;
  /** Adam learning rate. @defaultValue 0.01 */
  readonly learningRate?: number;
  /** Early-stopping patience in epochs. @defaultValue 15 */
  readonly patience?: number;
  /** Share of the training rows (seeded, shuffled) held out for early stopping, in (0, 1). @defaultValue 0.2 */
  readonly validationSplit?: number;
  /** Training rows summarised (k-means) into the KernelSHAP background. @defaultValue 30 */
  readonly backgroundSize?: number;
  /** Seed of the weights, the validation split and the SHAP background. @defaultValue 42 */
  readonly seed?: number;
}

/**
 * Validated {@link TabularModelOptions}.
 *
 * @category Presets
 */
export type TabularModelParams = Readonly<Required<TabularModelOptions>>;

const DEFAULTS: Required<TabularModelOptions> = {
  target: '',
  task: 'auto',
  drop: [],
  hidden: [16],
  epochs: 200,
  learningRate: 0.01,
  patience: 15,
  validationSplit: 0.2,
  backgroundSize: 30,
  seed: 42,
};

const RULES: RuleTable<Required<TabularModelOptions>> = {
  target: rules.custom('a non-empty column name', (v) => typeof v === 'string' && v.length > 0),
  task: rules.oneOf(['auto', 'regression', 'multiclass']),
  drop: rules.stringArray(),
  hidden: rules.intArray({ min: 1, nonEmpty: true }),
  epochs: rules.int({ min: 1 }),
  learningRate: rules.number({ min: 0, exclusiveMin: true }),
  patience: rules.int({ min: 0 }),
  validationSplit: rules.custom('a number > 0 and < 1', (v) => typeof v === 'number' && v > 0 && v < 1),
  backgroundSize: rules.int({ min: 1 }),
  seed: rules.int(),
};

const resolveParams = (fn: string, options: Partial<TabularModelOptions> | undefined): TabularModelParams =>
  deepFreeze(structuredClone(resolveOptions(fn, options, DEFAULTS, RULES) as Required<TabularModelOptions>));

/**
 * Held-out metrics of a {@link TabularModel} (`evaluate`): RMSE, MAE and R² of a regression, or
 * accuracy and macro-F1 of the arg-max class of a multiclass model.
 *
 * @category Presets
 */
export type TabularMetrics =
  | { readonly task: 'regression'; readonly n: number; readonly rmse: number; readonly mae: number; readonly r2: number }
  | { readonly task: 'multiclass'; readonly n: number; readonly accuracy: number; readonly macroF1: number };

/**
 * One row explained by {@link TabularModel.explain}: KernelSHAP values (identity link) of the
 * predicted value (regression) or of the predicted class's probability (multiclass), one player per
 * input column, and reason codes saying which columns raised or lowered it.
 *
 * @category Presets
 */
export interface TabularExplanation {
  /** The row index in the explained table. */
  readonly row: number;
  /** What is explained: the target name (regression) or `P(<target> = <label>)`. */
  readonly what: string;
  /** The predicted class (multiclass), else null. */
  readonly label: string | null;
  /** The explained output: the prediction (regression) or the predicted class's probability. */
  readonly value: number;
  /** The mean output over the SHAP background; `baseValue + Σ values = value`. */
  readonly baseValue: number;
  /** Input columns (the SHAP players), in model order. */
  readonly names: readonly string[];
  /** SHAP value of each input column (same order as `names`). */
  readonly values: readonly number[];
  /** Up to `topK` reasons, strongest first: positive contributions say "raised", negative ones "lowered". */
  readonly reasons: readonly ReasonCode[];
}

/**
 * A fitted {@link tabularModel}. Owns the network's tensors: `dispose()` it.
 *
 * @category Presets
 */
export interface TabularModel {
  readonly kind: 'TabularModel';
  /** The options used, with `task` resolved. */
  readonly params: TabularModelParams;
  readonly task: 'regression' | 'multiclass';
  readonly target: string;
  /** Class labels by code (multiclass, sorted), else empty. */
  readonly classes: readonly string[];
  /** Raw input columns the model needs. */
  readonly inputColumns: readonly string[];
  /** The preprocessing, fitted on the training table. */
  readonly pipeline: FittedTabularPipeline;
  /** The network (on the pipeline's encoded columns; a regressor predicts the standardised target). */
  readonly network: FittedNeuralModel;
  /** Regression: the training target's mean and standard deviation (the network learns `(y − mean) / scale`); multiclass: 0 and 1. */
  readonly targetMean: number;
  readonly targetScale: number;
  /** The KernelSHAP explainer (background summarised from the training rows), or null when assembled without one ({@link tabularModelFromParts}). */
  readonly explainer: FittedKernelShap | null;
  /** How the network's training went. */
  readonly training: NeuralTrainingSummary;
  /** Predicted values (regression, in target units) or row-major `n × K` class probabilities (multiclass). @throws {DataError} missing input columns or values the pipeline rejects. */
  predict(table: Table): Float64Array;
  /** Predicted labels: the most probable class (multiclass) or the predicted value as text (regression). */
  predictLabels(table: Table): string[];
  /**
   * Like `predict`, but a row the pipeline rejects (an unseen category, a missing value in a column
   * without imputation) does not stop the others: its outputs are NaN and it is listed in `failed`
   * (0-based rows, ascending) with the reason. Rows are isolated by bisection, so a table with few
   * bad rows costs few extra passes.
   */
  predictEach(table: Table): { readonly predictions: Float64Array; readonly failed: readonly { readonly row: number; readonly reason: string }[] };
  /** Like `predict`, on rows already encoded by `pipeline.transformDense`. */
  predictTransformed(x: DenseMatrix): Float64Array;
  /** A {@link Predictor} on encoded rows: the predicted value (regression) or P(`classes[k]`) (multiclass). */
  predictor(k?: number): Predictor;
  /** Metrics against the table's target column. */
  evaluate(table: Table): TabularMetrics;
  /** Explains rows (default: all) with KernelSHAP and reason codes; `topK` reasons per row (default 4). @throws {InvalidOptionError} a row outside the table. @throws {DataError} a model without an explainer. */
  explain(table: Table, options?: { readonly rows?: readonly number[]; readonly topK?: number }): Promise<TabularExplanation[]>;
  /** The finml envelope `{ kind, version, params, state }` (pipeline, network weights, target scale, explainer). */
  toJSON(): EstimatorJSON;
  /** Releases the network's tensors; later use throws DisposedError. */
  dispose(): void;
  /** Same as `dispose()`, for `using` declarations. */
  [Symbol.dispose](): void;
}

/**
 * An unfitted {@link tabularModel}: frozen, validated options and `fit`.
 *
 * @category Presets
 */
export interface TabularModelSpec {
  readonly kind: 'TabularModel';
  readonly params: TabularModelParams;
  /** Fits the pipeline, the network and the explainer on `data` (training rows with the target); `fitOptions` are the network's training callbacks (`validationData` is not accepted). */
  fit(data: Table, fitOptions?: NeuralFitOptions): Promise<TabularModel>;
  /** A new spec with the given options replaced (validated like the factory); this spec is unchanged. */
  withParams(patch: Partial<TabularModelOptions>): TabularModelSpec;
  /** Not available before `fit`: throws NotFittedError. */
  readonly predict: (...args: never[]) => never;
  /** Not available before `fit`: throws NotFittedError. */
  readonly explain: (...args: never[]) => never;
  /** Not available before `fit`: throws NotFittedError. */
  readonly evaluate: (...args: never[]) => never;
}

const isMissing = (v: unknown): boolean => v === null || v === undefined || (typeof v === 'number' && !Number.isFinite(v));

function targetColumn(table: Table, target: string, fn: string): Column {
  const col = table.columns.find((c) => c.name === target);
  if (col === undefined) {
    throw new DataError({ fn, arg: 'target', expected: `one of the columns ${table.columns.map((c) => `'${c.name}'`).join(', ')}`, got: describeValue(target) });
  }
  return col;
}

/** The task for the target column (see {@link TabularTask}); checks the column fits it. */
function resolveTask(col: Column, task: TabularTask, fn: string): 'regression' | 'multiclass' {
  const values = Array.from(col.values as ArrayLike<unknown>);
  const missing = values.findIndex(isMissing);
  if (missing >= 0) throw new DataError({ fn, arg: 'target', expected: `a value in every row of column '${col.name}'`, got: `a missing value in row ${missing}` });
  const resolved = task === 'auto' ? (col.kind === 'categorical' ? 'multiclass' : 'regression') : task;
  if (resolved === 'regression' && col.kind !== 'numeric') {
    throw new DataError({ fn, arg: 'task', expected: 'a numeric target column for regression', got: `the categorical column '${col.name}' (use task 'multiclass')` });
  }
  const distinct = new Set(values.map(String)).size;
  if (resolved === 'multiclass' && distinct < 3) {
    throw new DataError({ fn, arg: 'task', expected: 'a target with at least 3 distinct labels for multiclass (binary targets: riskModel)', got: `${distinct} distinct values in '${col.name}'` });
  }
  return resolved;
}

/** The table with a numeric multiclass target as text labels ('0', '1', ...); the input is not mutated. */
function labelTarget(table: Table, target: string): Table {
  const col = table.columns.find((c) => c.name === target);
  if (col === undefined || col.kind === 'categorical') return table;
  const labels = Array.from(col.values as ArrayLike<number>, (v): string | null => (isMissing(v) ? null : String(v)));
  return { nRows: table.nRows, columns: table.columns.map((c): Column => (c === col ? { kind: 'categorical', name: c.name, values: labels } : c)) };
}

function networkParams(p: TabularModelParams): Partial<NeuralParams> {
  return {
    model: { type: 'fnn', hidden: [...p.hidden], dropout: 0 },
    train: {
      epochs: p.epochs,
      learningRate: p.learningRate,
      validationSplit: p.validationSplit,
      validationMode: 'shuffled',
      earlyStopping: { monitor: 'valLoss', patience: p.patience, restoreBestWeights: true },
    },
    seed: p.seed,
  };
}

/**
 * Encodes the rows the pipeline accepts, isolating rejected rows (DataError) by bisection: the
 * encoded rows in order (`ok` are their indices) and the rejected rows with the reason.
 */
function encodeEach(encode: (t: Table) => DenseMatrix, cols: number, table: Table): { ok: number[]; x: DenseMatrix; failed: { row: number; reason: string }[] } {
  const ok: number[] = [];
  const failed: { row: number; reason: string }[] = [];
  const blocks: DenseMatrix[] = [];
  const visit = (rows: number[]): void => {
    if (rows.length === 0) return;
    try {
      blocks.push(encode(rows.length === table.nRows ? table : takeRows(table, rows)));
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
  const data = new Float64Array(ok.length * cols);
  let off = 0;
  for (const b of blocks) {
    data.set(b.data, off);
    off += b.data.length;
  }
  return { ok, x: { rows: ok.length, cols, data }, failed: failed.sort((a, b) => a.row - b.row) };
}

interface Parts {
  readonly params: TabularModelParams;
  readonly pipeline: FittedTabularPipeline;
  readonly network: FittedNeuralModel;
  readonly targetMean: number;
  readonly targetScale: number;
  readonly explainer: FittedKernelShap | null;
}

const display = (v: unknown): string | number => (isMissing(v) ? 'missing' : (v as string | number));

function makeTabularModel(parts: Parts): TabularModel {
  const { params, pipeline, network, targetMean, targetScale, explainer } = parts;
  const task = params.task as 'regression' | 'multiclass';
  const classes = task === 'multiclass' ? Object.freeze([...pipeline.state.targetClasses]) : Object.freeze([] as string[]);
  const K = classes.length;
  const inputColumns = Object.freeze(Object.keys(pipeline.featureGroups));
  let disposed = false;
  const alive = (fn: string): void => {
    if (disposed) throw new DisposedError(fn, 'TabularModel');
  };
  const raw = (x: DenseMatrix, fn: string): Float64Array => {
    alive(fn);
    if (task === 'regression') return Float64Array.from((network as FittedNeuralRegressor).predict(x), (z) => z * targetScale + targetMean);
    return (network as FittedNeuralClassifier).predictProba(x);
  };
  const encode = (table: Table): DenseMatrix => pipeline.transformDense(task === 'multiclass' ? labelTarget(table, params.target) : table);
  const predict = (table: Table): Float64Array => raw(encode(table), 'TabularModel.predict');
  const predictor = (k = 0): Predictor => {
    if (task === 'multiclass' && !(Number.isInteger(k) && k >= 0 && k < K)) {
      throw new InvalidOptionError({ fn: 'TabularModel.predictor', arg: 'k', expected: `a class index in [0, ${K - 1}]`, got: describeValue(k) });
    }
    return (batch: DenseMatrix) => {
      const p = raw(batch, 'TabularModel.predictor');
      if (task === 'regression') return p;
      return Float64Array.from({ length: batch.rows }, (_, i) => p[i * K + k] as number);
    };
  };
  const model: TabularModel = {
    kind: KIND,
    params,
    task,
    target: params.target,
    classes,
    inputColumns,
    pipeline,
    network,
    targetMean,
    targetScale,
    explainer,
    training: network.training,
    predict,
    predictLabels: (table) => {
      const p = predict(table);
      if (task === 'regression') return Array.from(p, String);
      return Array.from(argmaxRows(p, K), (j) => classes[j] as string);
    },
    predictEach: (table) => {
      const fn = 'TabularModel.predictEach';
      alive(fn);
      const { ok, x, failed } = encodeEach(encode, pipeline.nFeaturesOut, table);
      const width = task === 'regression' ? 1 : K;
      const scored = ok.length === 0 ? new Float64Array(0) : raw(x, fn);
      const predictions = new Float64Array(table.nRows * width).fill(Number.NaN);
      ok.forEach((r, j) => predictions.set(scored.subarray(j * width, (j + 1) * width), r * width));
      return Object.freeze({ predictions, failed: Object.freeze(failed.map((f) => Object.freeze(f))) });
    },
    predictTransformed: (x) => raw(x, 'TabularModel.predictTransformed'),
    predictor,
    evaluate: (table) => {
      const fn = 'TabularModel.evaluate';
      targetColumn(table, params.target, fn);
      const t = task === 'multiclass' ? labelTarget(table, params.target) : table;
      const y = pipeline.transformTarget(t);
      const p = raw(pipeline.transformDense(t), fn);
      if (task === 'regression') return Object.freeze({ task, n: y.length, rmse: rmse(y, p), mae: mae(y, p), r2: r2(y, p) });
      const pred = Float64Array.from(argmaxRows(p, K));
      return Object.freeze({ task, n: y.length, accuracy: accuracy(y, pred, { threshold: null }), macroF1: f1(y, pred, { average: 'macro', threshold: null }) });
    },
    async explain(table, options = {}) {
      const fn = 'TabularModel.explain';
      alive(fn);
      if (explainer === null) {
        throw new DataError({ fn, arg: 'this', expected: 'a model with its KernelSHAP explainer (fitted, restored from JSON, or assembled with parts.explainer)', got: 'a model assembled without an explainer' });
      }
      const rows = options.rows ?? Array.from({ length: table.nRows }, (_, i) => i);
      const bad = rows.findIndex((r) => !Number.isInteger(r) || r < 0 || r >= table.nRows);
      if (bad >= 0) {
        throw new InvalidOptionError({ fn, arg: 'options.rows', expected: `row indices: integers in [0, ${table.nRows - 1}]`, got: `${describeValue(rows[bad])} at position ${bad}` });
      }
      const topK = options.topK ?? 4;
      if (!Number.isInteger(topK) || topK < 0) throw new InvalidOptionError({ fn, arg: 'options.topK', expected: 'an integer >= 0', got: describeValue(topK) });
      const out: TabularExplanation[] = [];
      for (const r of rows) {
        // One row at a time: each explanation depends on its row only.
        const x = encode(takeRows(table, [r]));
        let k = 0;
        let what = params.target;
        let label: string | null = null;
        if (task === 'multiclass') {
          k = argmaxRows(raw(x, fn), K)[0] as number;
          label = classes[k] as string;
          what = `P(${params.target} = ${label})`;
        }
        const e = await explainer.explain(predictor(k), denseToArrays(x));
        const values = [...(e.values[0] as readonly number[])];
        const names = [...e.playerNames];
        const displayValues = names.map((name) => display(table.columns.find((c) => c.name === name)?.values[r]));
        const common = { playerNames: names, displayValues, topK, outcome: task === 'regression' ? 'the prediction' : what, digits: task === 'regression' ? 2 : 3 };
        const raised = reasonCodes(values, common);
        const lowered = reasonCodes(values, { ...common, direction: 'lower-is-riskier', describe: (rc) => rc.sentence.replace(/ raised /, ' lowered ') });
        const reasons = [...raised, ...lowered]
          .sort((a, b) => b.contribution - a.contribution || a.player - b.player)
          .slice(0, topK)
          .map((rc, i) => Object.freeze({ ...rc, rank: i + 1 }));
        out.push(Object.freeze({ row: r, what, label, value: e.fx[0] as number, baseValue: e.baseValue, names: Object.freeze(names), values: Object.freeze(values), reasons: Object.freeze(reasons) }));
      }
      return out;
    },
    toJSON: (): EstimatorJSON => {
      alive('TabularModel.toJSON');
      return {
        kind: KIND,
        version: VERSION,
        params: params as unknown as JsonValue,
        state: {
          pipeline: pipeline.toJSON() as unknown as JsonValue,
          network: network.toJSON() as unknown as JsonValue,
          targetMean,
          targetScale,
          explainer: explainer === null ? null : (explainer.toJSON() as unknown as JsonValue),
        },
      };
    },
    dispose: () => {
      disposed = true;
      network.dispose();
    },
    [Symbol.dispose]: () => model.dispose(),
  };
  return Object.freeze(model);
}

async function fitTabularModel(data: Table, params: TabularModelParams, fitOptions: NeuralFitOptions, fn: string): Promise<TabularModel> {
  if (fitOptions.validationData !== undefined) {
    throw new InvalidOptionError({ fn, arg: 'fitOptions.validationData', expected: `undefined (the network early-stops on a ${params.validationSplit} validation split)`, got: describeValue(fitOptions.validationData) });
  }
  if (data.nRows === 0) throw new DataError({ fn, arg: 'data', expected: 'a table with at least one row', got: 'an empty table' });
  const task = resolveTask(targetColumn(data, params.target, fn), params.task, fn);
  const fitted: TabularModelParams = deepFreeze({ ...structuredClone(params), task });
  const table = task === 'multiclass' ? labelTarget(data, params.target) : data;
  const pipeline = tabularPipeline({ target: params.target, drop: [...params.drop] }).fit(table);
  const x = pipeline.transform(table);
  const y = pipeline.transformTarget(table);
  let network: FittedNeuralModel;
  let targetMean = 0;
  let targetScale = 1;
  if (task === 'regression') {
    // The network learns the standardised target; predictions are scaled back.
    targetMean = y.reduce((a, v) => a + v, 0) / y.length;
    const sd = Math.sqrt(y.reduce((a, v) => a + (v - targetMean) ** 2, 0) / y.length);
    targetScale = sd > 0 ? sd : 1;
    network = await neuralRegressor(networkParams(fitted)).fit(x, Array.from(y, (v) => (v - targetMean) / targetScale), fitOptions);
  } else {
    network = await neuralClassifier(networkParams(fitted)).fit(x, y, fitOptions);
  }
  try {
    const explainer = kernelShap({
      groups: Object.entries(pipeline.featureGroups).map(([name, columns]) => ({ name, columns: [...columns] })),
      featureNames: [...pipeline.featureNames],
      seed: params.seed,
      backgroundSize: params.backgroundSize,
    }).fit(x);
    return makeTabularModel({ params: fitted, pipeline, network, targetMean, targetScale, explainer });
  } catch (e) {
    network.dispose();
    throw e;
  }
}

/**
 * The regression / multiclass preset as a spec: validates and freezes the options now; `fit(table)`
 * fits {@link tabularPipeline} on the table, one feed-forward network (Adam, early stopping on a
 * seeded, shuffled validation split, best weights restored) — a regressor on the standardised
 * target or a softmax classifier — and a KernelSHAP explainer (background: k-means summary of the
 * training rows, one player per input column). Fit on training rows only and evaluate on held-out
 * rows with `evaluate`.
 *
 * @param options - {@link TabularModelOptions}; `target` is required.
 * @returns a frozen {@link TabularModelSpec}.
 * @throws {InvalidOptionError} unknown or invalid options (named). `fit` throws {@link DataError} for a
 * missing target column or value, a target that does not fit the task (a categorical target for
 * regression, fewer than 3 labels for multiclass), or bad input values.
 * @example
 * ```ts
 * import { tabularModel, takeRows, trainTestSplit } from 'finml';
 * import { readCsv } from 'finml/node';
 * const table = await readCsv('data/german_credit.csv');
 * const split = trainTestSplit(table.nRows, { testSize: 0.2, seed: 1 });
 * const train = takeRows(table, split.train);
 * const test = takeRows(table, split.test);
 * const model = await tabularModel({ target: 'Amount', drop: ['Class'], epochs: 50 }).fit(train);
 * model.task; //=> 'regression'
 * model.evaluate(test); // { task: 'regression', n: 200, rmse, mae, r2 }
 * const [why] = await model.explain(test, { rows: [0], topK: 3 });
 * why?.reasons.map((r) => r.sentence); // e.g. 'Duration = 48 raised the prediction by 1520.31'
 * model.dispose();
 * ```
 * @category Presets
 */
export function tabularModel(options: TabularModelOptions): TabularModelSpec {
  const params = resolveParams('tabularModel', options);
  return Object.freeze({
    kind: KIND,
    params,
    fit: (data: Table, fitOptions: NeuralFitOptions = {}) => fitTabularModel(data, params, fitOptions, 'TabularModel.fit'),
    withParams: (patch: Partial<TabularModelOptions>) => tabularModel({ ...params, ...patch }),
    predict: notFitted(KIND, 'predict'),
    explain: notFitted(KIND, 'explain'),
    evaluate: notFitted(KIND, 'evaluate'),
  });
}

/**
 * The parts of a {@link TabularModel} kept in storage formats other than its `toJSON()` envelope
 * (e.g. the `finml train` bundle directory): see {@link tabularModelFromParts}.
 *
 * @category Presets
 */
export interface TabularModelParts {
  /** The fitted pipeline (with its target column). */
  readonly pipeline: FittedTabularPipeline;
  /** A NeuralRegressor (on the standardised target) or a NeuralClassifier with one class per pipeline target class. */
  readonly network: FittedNeuralModel;
  /** Regression: the target scale the network was trained on (required). Ignored for multiclass. */
  readonly targetMean?: number;
  readonly targetScale?: number;
  /** The explainer; omitted or null: a model that predicts and evaluates but cannot explain. */
  readonly explainer?: FittedKernelShap | null;
}

function checkParts(parts: TabularModelParts, fn: string, prefix: string): { task: 'regression' | 'multiclass'; targetMean: number; targetScale: number } {
  const { pipeline, network } = parts;
  const target = pipeline.params.target;
  if (target === null) throw new SerializationError({ fn, arg: `${prefix}pipeline`, expected: 'a pipeline fitted with a target column', got: 'a pipeline without target' });
  if (network.nFeaturesIn !== pipeline.nFeaturesOut) {
    throw new SerializationError({ fn, arg: `${prefix}network`, expected: `a network on the pipeline's ${pipeline.nFeaturesOut} encoded columns`, got: `${network.nFeaturesIn} input columns` });
  }
  const task = network.kind === 'NeuralRegressor' ? 'regression' : 'multiclass';
  const nClasses = pipeline.state.targetClasses.length;
  if (task === 'multiclass' && (network as FittedNeuralClassifier).classes.length !== nClasses) {
    throw new SerializationError({ fn, arg: `${prefix}network`, expected: `a classifier with the pipeline's ${nClasses} classes`, got: `${(network as FittedNeuralClassifier).classes.length} classes` });
  }
  const explainer = parts.explainer ?? null;
  if (explainer !== null && explainer.nFeaturesIn !== pipeline.nFeaturesOut) {
    throw new SerializationError({ fn, arg: `${prefix}explainer`, expected: `an explainer on the pipeline's ${pipeline.nFeaturesOut} encoded columns`, got: `${explainer.nFeaturesIn} columns` });
  }
  if (task === 'multiclass') return { task, targetMean: 0, targetScale: 1 };
  const { targetMean, targetScale } = parts;
  if (typeof targetMean !== 'number' || !Number.isFinite(targetMean) || typeof targetScale !== 'number' || !Number.isFinite(targetScale) || targetScale <= 0) {
    throw new SerializationError({ fn, arg: `${prefix}targetMean/targetScale`, expected: 'the target scale of a regression: a finite mean and a scale > 0', got: `${describeValue(targetMean)} and ${describeValue(targetScale)}` });
  }
  return { task, targetMean, targetScale };
}

/**
 * Assembles a {@link TabularModel} from its parts (how the `finml train` model directory stores it:
 * a network bundle with the pipeline, the target scale in its metadata, the explainer in its own
 * file). The params are read from the parts: target and dropped columns from the pipeline, the
 * task from the network's kind, the network options from its params, `backgroundSize` from the
 * explainer (the default without one). The model takes ownership of `network` (its `dispose()`
 * disposes it).
 *
 * @param parts - See {@link TabularModelParts}.
 * @returns the model (owns the network's tensors).
 * @throws {SerializationError} parts that do not fit together (widths, classes, a missing or invalid target scale).
 * @example
 * ```ts
 * import { tabularModel, tabularModelFromParts } from 'finml';
 * import { readCsv } from 'finml/node';
 * const table = await readCsv('data/german_credit.csv');
 * const fitted = await tabularModel({ target: 'Amount', drop: ['Class'], epochs: 5 }).fit(table);
 * const again = tabularModelFromParts({ pipeline: fitted.pipeline, network: fitted.network, targetMean: fitted.targetMean, targetScale: fitted.targetScale });
 * again.predict(table)[0] === fitted.predict(table)[0]; //=> true
 * again.dispose(); // also disposes fitted.network
 * ```
 * @category Presets
 */
export function tabularModelFromParts(parts: TabularModelParts): TabularModel {
  const fn = 'tabularModelFromParts';
  const { task, targetMean, targetScale } = checkParts(parts, fn, 'parts.');
  const np = parts.network.params;
  const train = np.train;
  const es = train.earlyStopping;
  const explainer = parts.explainer ?? null;
  const params = resolveParams(fn, {
    target: parts.pipeline.params.target as string,
    task,
    drop: [...parts.pipeline.params.drop],
    ...(np.model.type === 'fnn' && np.model.hidden !== undefined && { hidden: [...np.model.hidden] }),
    ...(train.epochs !== undefined && { epochs: train.epochs }),
    ...(train.learningRate !== undefined && { learningRate: train.learningRate }),
    ...(es !== undefined && es !== null && es.patience !== undefined && { patience: es.patience }),
    ...(train.validationSplit !== undefined && train.validationSplit > 0 && { validationSplit: train.validationSplit }),
    ...(explainer !== null && { backgroundSize: explainer.params.backgroundSize }),
    seed: np.seed,
  });
  return makeTabularModel({ params, pipeline: parts.pipeline, network: parts.network, targetMean, targetScale, explainer });
}

/**
 * Restores a {@link TabularModel} from its `toJSON()` envelope (async: the network is rebuilt).
 *
 * @param json - A parsed `TabularModel.toJSON()` envelope.
 * @returns the model (owns tensors: call `dispose()` when done).
 * @throws {SerializationError} malformed envelope or parts that do not fit together.
 * @example
 * ```ts
 * import { tabularModel, tabularModelFromJSON } from 'finml';
 * import { readCsv } from 'finml/node';
 * const table = await readCsv('data/german_credit.csv');
 * const model = await tabularModel({ target: 'Amount', drop: ['Class'], epochs: 5 }).fit(table);
 * const back = await tabularModelFromJSON(JSON.parse(JSON.stringify(model.toJSON())));
 * back.predict(table)[0] === model.predict(table)[0]; //=> true
 * model.dispose();
 * back.dispose();
 * ```
 * @category Presets
 */
export async function tabularModelFromJSON(json: unknown): Promise<TabularModel> {
  const fn = 'tabularModelFromJSON';
  const env = checkEnvelope(json, KIND, [VERSION], fn);
  const params = paramsFromJSON<Required<TabularModelOptions>>(fn, env.params, (q) => resolveParams(fn, q));
  if (params.task === 'auto') throw new SerializationError({ fn, arg: 'params.task', expected: "'regression' or 'multiclass' (the task used at fit)", got: "'auto'" });
  const st = env.state as Record<string, unknown>;
  if (typeof st !== 'object' || st === null) throw new SerializationError({ fn, arg: 'state', expected: 'an object', got: describeValue(st) });
  const pipeline = tabularPipelineFromJSON(st.pipeline);
  const explainer = st.explainer === null ? null : kernelShapFromJSON(st.explainer);
  const network = await neuralModelFromJSON(st.network);
  try {
    const parts = { pipeline, network, explainer, targetMean: st.targetMean as number, targetScale: st.targetScale as number };
    const { task, targetMean, targetScale } = checkParts(parts, fn, 'state.');
    if (task !== params.task) throw new SerializationError({ fn, arg: 'state.network', expected: `a network for ${params.task}`, got: `a ${network.kind}` });
    if (pipeline.params.target !== params.target) throw new SerializationError({ fn, arg: 'state.pipeline', expected: `a pipeline with target '${params.target}'`, got: describeValue(pipeline.params.target) });
    return makeTabularModel({ params: deepFreeze(structuredClone(params)), pipeline, network, targetMean, targetScale, explainer });
  } catch (e) {
    network.dispose();
    throw e;
  }
}
