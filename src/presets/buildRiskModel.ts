/**
 * Credit-risk scoring preset: raw applicant table in, calibrated probability of default, honest
 * validation metrics and reason codes out.
 *
 * @module
 */
import { checkEnvelope, deepFreeze, paramsFromJSON, type EstimatorJSON, type JsonValue } from '../core/estimator';
import { upgradeStoredRiskModel, type StoredRiskModel } from '../io/riskModel';
import { DataError, DisposedError, InvalidOptionError, SerializationError, ShapeError, describeValue } from '../core/errors';
import { denseToArrays, takeDenseRows, type DenseMatrix } from '../core/matrix';
import type { Predictor } from '../core/predictor';
import { float32RowsOf } from '../core/_internal/float32Rows';
import { resolveOptions, rules, type RuleTable } from '../core/options';
import type { Table } from '../data/table';
import type { IndexSplit } from '../data/indexSplit';
import { stratifiedKFold } from '../data/stratifiedKFold';
import { trainTestSplit } from '../data/trainTestSplit';
import { logisticRegression, logisticRegressionFromJSON, type FittedLogisticRegression } from '../models/logisticRegression';
import { tabularPipeline, tabularPipelineFromJSON, type FittedTabularPipeline } from '../data/tabularPipeline';
import { kernelShap, kernelShapFromJSON, type FittedKernelShap } from '../explain/kernelShap';
import { reasonCodes, type ReasonCode } from '../explain/reasonCodes';
import { brierScore } from '../metrics/brierScore';
import { expectedCalibrationError } from '../metrics/expectedCalibrationError';
import { logisticCalibration } from '../metrics/logisticCalibration';
import { ksStatistic } from '../metrics/ksStatistic';
import { logLoss } from '../metrics/logLoss';
import { rocAuc } from '../metrics/rocAuc';
import { trainPackedClassifiers } from './_internal/packedEnsemble';
import { applyPiecewiseLinear, fitPiecewiseLinear, linearScores, pleWidth } from './_internal/piecewiseLinear';
import { solveSpd } from '../core/_internal/linalg';
import { neuralClassifier, neuralModelFromJSON, type FittedNeuralClassifier, type FittedNeuralModel, type NeuralFitOptions } from '../models/neuralModel';
import type { EpochLogs } from '../train/trainModel';

/**
 * Options of {@link buildRiskModel}. Only `target` is required.
 *
 * @category Presets
 */
export interface RiskModelOptions {
  /** The target column, e.g. `'Class'`. */
  readonly target: string;
  /**
   * The target label that means default (encoded 1). With null it is recognised from the labels,
   * case-insensitively: `bad`, `default`, `defaulted`, `defaulter`, `charged off`, `charge off`,
   * `delinquent`, `delinquency`, `written off`, `write off`, `late`, `bad loan`, `bad debt`,
   * `non performing` (spaces, `_`, `-` and `.` alike), and `1` for a 0/1 target. When no label (or
   * both) is recognised, buildRiskModel throws a DataError listing the labels and asking for
   * `positive`: it never guesses.
   * @defaultValue null
   */
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
  /** Adam learning rate. @defaultValue 0.01 */
  readonly learningRate?: number;
  /** Maximum epochs per network. @defaultValue 200 */
  readonly epochs?: number;
  /** Mini-batch size (large batches: few optimizer steps per epoch, fast on every backend). @defaultValue 128 */
  readonly batchSize?: number;
  /** Early-stopping patience (epochs without a better validation loss); best weights are restored. @defaultValue 15 */
  readonly patience?: number;
  /** Seed of folds, weights, dropout, shuffling and the explainer background. @defaultValue 42 */
  readonly seed?: number;
  /**
   * Training rows kept as the SHAP background, chosen deterministically by herding: greedily, so
   * that the means and covariances of the rows' per-column log-odds contributions (under the
   * logistic-regression member) track those of the whole training table. Contributions then stay
   * close to those computed with the whole training table as background (on German credit within
   * about 0.01 log-odds for the linear logit with 100 rows, against 0.25 with 30 k-means centroids).
   * @defaultValue 100
   */
  readonly backgroundSize?: number;
  /**
   * L2 penalty (1/C, as {@link logisticRegression}) of the logistic-regression member, fitted on the
   * same folds and rows as the networks; it is also the baseline that `validation.baseline` reports.
   * @defaultValue 1
   */
  readonly baselineL2?: number;
  /**
   * Piecewise-linear encoding (Gorishniy et al., 2022) of the numeric columns: at most this many
   * quantile bins per column (0: none). The encoded columns feed a logistic GAM member (an L2
   * logistic regression on the columns plus their encodings: additive and piecewise linear in each
   * numeric column), blended with the others by out-of-fold log loss. (Fed to the networks as
   * well, they did not improve them on the bench data: the networks take the plain encoding.)
   * @defaultValue 8
   */
  readonly pleBins?: number;
  /**
   * At most this many piecewise-linear columns in all: with c numeric columns, each gets
   * min(pleBins, ⌊pleMaxColumns / c⌋) bins, and none when that is below 2 (wide tables stay fast).
   * @defaultValue 64
   */
  readonly pleMaxColumns?: number;
  /** L2 penalty (1/C) of the logistic GAM member. @defaultValue 3 */
  readonly gamL2?: number;
  /**
   * `'balanced'`: the networks weight each class inversely to its frequency (useful for rare
   * defaults); the post-hoc calibration, fitted on unweighted out-of-fold scores, keeps the PDs
   * calibrated. null: unweighted. @defaultValue null
   */
  readonly classWeight?: 'balanced' | null;
  /**
   * Protected attributes (e.g. `['Personal', 'Age']`): they never appear in reason codes, and
   * `evaluate` reports per-group AUC, default rate, approval rate at the cut-off and the
   * adverse-impact ratio for each. @defaultValue []
   */
  readonly protected?: readonly string[];
  /** Also leave the protected attributes out of the features (they are still used for the group report). @defaultValue false */
  readonly excludeProtected?: boolean;
}

/**
 * Logs of one epoch of the packed cross-validation networks, reported live by
 * {@link RiskFitOptions.onEnsembleEpochEnd}.
 *
 * @category Presets
 */
export interface RiskEnsembleEpochLogs {
  /** The epoch (0-based). */
  readonly epoch: number;
  /** Per network (fold order), its logs of this epoch; null once it has early-stopped. */
  readonly members: readonly (EpochLogs | null)[];
}

/**
 * Training callbacks of {@link buildRiskModel}: those of a neural fit (see
 * {@link NeuralFitOptions}; `validationData` is not accepted) plus a live ensemble-level epoch
 * callback. The networks train together as one packed network, so the per-network
 * `onEpochEnd` calls are made after the packed training, in network order, each network's before
 * its `onTrainEnd`; `onEnsembleEpochEnd` is called live, after every packed epoch.
 *
 * @category Presets
 */
export interface RiskFitOptions extends NeuralFitOptions {
  /** Called after every epoch of the packed training (awaited), with every network's logs of that epoch. */
  readonly onEnsembleEpochEnd?: (logs: RiskEnsembleEpochLogs) => void | Promise<void>;
}

/**
 * Validated {@link RiskModelOptions}.
 *
 * @category Presets
 */
export type RiskModelParams = Readonly<Required<RiskModelOptions>>;

/**
 * The defaults of {@link RiskModelOptions} (`target` has no default: it is required).
 * @internal
 */
export const RISK_MODEL_DEFAULTS: Readonly<Omit<Required<RiskModelOptions>, 'target'>> = Object.freeze({
  positive: null,
  drop: Object.freeze([]) as readonly string[],
  members: 5,
  hidden: Object.freeze([8]) as readonly number[],
  l2: 0.03,
  dropout: 0.1,
  learningRate: 0.01,
  epochs: 200,
  batchSize: 128,
  patience: 15,
  seed: 42,
  backgroundSize: 100,
  baselineL2: 1,
  pleBins: 8,
  pleMaxColumns: 64,
  gamL2: 3,
  classWeight: null,
  protected: Object.freeze([]) as readonly string[],
  excludeProtected: false,
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
  baselineL2: rules.number({ min: 0 }),
  pleBins: rules.custom('0 (no encoding) or an integer from 2 to 64', (v) => v === 0 || (Number.isInteger(v) && (v as number) >= 2 && (v as number) <= 64)),
  pleMaxColumns: rules.int({ min: 2 }),
  gamL2: rules.number({ min: 0, exclusiveMin: true }),
  classWeight: rules.nullable(rules.oneOf(['balanced'])),
  protected: rules.stringArray(),
  excludeProtected: rules.boolean(),
};
const KIND = 'RiskModel';
const EMPTY_PLE: RiskPiecewiseLinear = Object.freeze({ columns: Object.freeze([]), edges: Object.freeze([]) });

/**
 * Counts of the confusion matrix at a cut-off (positive = default predicted: PD ≥ cut-off).
 *
 * @category Presets
 */
export interface RiskConfusion {
  /** Defaults with PD ≥ cut-off (caught). */
  readonly tp: number;
  /** Non-defaults with PD ≥ cut-off (declined good applicants). */
  readonly fp: number;
  /** Non-defaults with PD < cut-off (approved good applicants). */
  readonly tn: number;
  /** Defaults with PD < cut-off (approved bad applicants). */
  readonly fn: number;
}

/**
 * Metrics of one group of a protected attribute (see {@link RiskModelOptions.protected}).
 *
 * @category Presets
 */
export interface RiskGroupMetrics {
  /** The group: a category, or a numeric range `'[lo, hi)'` (quartiles of the training rows). */
  readonly group: string;
  readonly n: number;
  readonly defaultRate: number;
  /** ROC-AUC within the group; null when the group holds a single class. */
  readonly rocAuc: number | null;
  /** Share approved: PD below the cut-off. */
  readonly approvalRate: number;
  /** Approval rate over the highest group approval rate of this attribute (the four-fifths rule flags < 0.8). */
  readonly adverseImpactRatio: number;
}

/**
 * Discrimination and calibration of probabilities of default against outcomes, and the confusion
 * matrix at the model's cut-off (chosen on validation data: no accuracy at a 0.5 cut-off).
 *
 * @category Presets
 */
export interface RiskMetrics {
  readonly n: number;
  readonly defaultRate: number;
  readonly rocAuc: number;
  readonly gini: number;
  readonly ks: number;
  readonly brier: number;
  readonly logLoss: number;
  /** Slope of the logistic recalibration (1 = calibrated; > 1 squeezed, < 1 over-confident); NaN when not defined. */
  readonly calibrationSlope: number;
  /** Calibration-in-the-large intercept (0 = calibrated on average); NaN when not defined. */
  readonly calibrationIntercept: number;
  /** Expected calibration error, 10 equal-width bins. */
  readonly ece: number;
  /** The PD cut-off of `confusion` (the model's cut-off, chosen on the out-of-fold scores by maximal KS). */
  readonly cutoff: number;
  readonly confusion: RiskConfusion;
  /** Per protected attribute, the group metrics at the cut-off (only for `evaluate` with `protected` columns). */
  readonly groups?: Readonly<Record<string, readonly RiskGroupMetrics[]>>;
}

/**
 * What `validation` of a {@link RiskModel} holds: out-of-fold metrics of the preset and of the
 * logistic-regression baseline on the same rows and folds, side by side.
 *
 * @category Presets
 */
export interface RiskValidation extends RiskMetrics {
  /** The L2 logistic regression (`baselineL2`) on the same folds and rows, uncalibrated. */
  readonly baseline: RiskMetrics;
  /** The weight of the networks' log-odds in the blend (0: no networks), chosen by out-of-fold log loss. */
  readonly networkWeight: number;
  /** The weight of the logistic GAM's log-odds in the blend (0: no GAM), chosen with `networkWeight`. */
  readonly gamWeight: number;
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
  /** The `topK` columns pushing most toward default, in plain words (protected attributes never). */
  readonly reasons: readonly ReasonCode[];
}

/**
 * Piecewise-linear encoding of numeric columns: the encoded-matrix columns and each one's quantile
 * bin edges (fitted on the training rows). Bin t of a column holds clip((x − e[t−1]) / (e[t] − e[t−1]), 0, 1).
 *
 * @category Presets
 */
export interface RiskPiecewiseLinear {
  /** Indices of the encoded columns (of `pipeline.transformDense`) that are encoded. */
  readonly columns: readonly number[];
  /** Per encoded column, its strictly increasing bin edges. */
  readonly edges: readonly (readonly number[])[];
}

/**
 * How the members' scores become the PD:
 * `pd = sigmoid(intercept + slope · ((1 − w_nn − w_gam) · z_lr + w_gam · z_gam + w_nn · z_nn))`
 * with z_lr the logistic regression's log-odds, z_gam the logistic GAM's and z_nn the log-odds of
 * the networks' mean probability.
 *
 * @category Presets
 */
export interface RiskCombiner {
  /** Share `w_nn` of the networks' log-odds. */
  readonly networkWeight: number;
  /** Share `w_gam` of the logistic GAM's log-odds. */
  readonly gamWeight: number;
  /** The piecewise-linear encoding of the GAM's extra columns. */
  readonly ple: RiskPiecewiseLinear;
  /** Platt slope fitted on the out-of-fold blend. */
  readonly slope: number;
  /** Platt intercept fitted on the out-of-fold blend. */
  readonly intercept: number;
  /** The PD cut-off chosen on the out-of-fold scores (maximal KS). */
  readonly cutoff: number;
  /** Numeric protected attributes: the quartile edges of the training rows (group boundaries). */
  readonly groupEdges: Readonly<Record<string, readonly number[]>>;
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
  /** The logistic-regression member (fitted on every training row, on the same encoding). */
  readonly baseline: FittedLogisticRegression;
  /** The logistic GAM member: L2 logistic regression (`gamL2`) on the encoded columns plus their piecewise-linear encodings (`combiner.ple`); null when no column is encoded. */
  readonly gam: FittedLogisticRegression | null;
  /** The blend and post-hoc calibration of the members. */
  readonly combiner: RiskCombiner;
  /** `[nonDefaultLabel, defaultLabel]`. */
  readonly classes: readonly string[];
  /** The label modelled as default (`classes[1]`): given as `positive` or recognised from the labels. */
  readonly positive: string;
  /** Out-of-fold metrics of the preset and of the logistic-regression baseline on the training table (members > 1), or on the validation split (members = 1). */
  readonly validation: RiskValidation;
  /** The SHAP explainer (background summarised from the training table). */
  readonly explainer: FittedKernelShap;
  /** Probability of default for every row of `table` (it needs the input columns; the target is not used). */
  score(table: Table): Float64Array;
  /** Predicted labels at `threshold` (default: the model's cut-off, `combiner.cutoff`). */
  predict(table: Table, threshold?: number): string[];
  /** Metrics of the scores against the table's target column, at the model's cut-off; per-group metrics for the protected attributes. */
  evaluate(table: Table): RiskMetrics;
  /** A {@link Predictor} on the encoded matrix (`pipeline.transformDense(table)`) returning the PD. */
  predictor(): Predictor;
  /** SHAP contributions per input column and reason codes for the given rows (default: all). @throws {InvalidOptionError} a row index outside the table. */
  explain(table: Table, options?: { readonly rows?: readonly number[]; readonly topK?: number }): Promise<RiskExplanation[]>;
  /** Serialises the fitted state to the finml envelope `{ kind, version, params, state }` (JSON values only). Includes the pipeline, every ensemble member's weights, the logistic-regression member, the combiner and the validation metrics. */
  toJSON(): EstimatorJSON;
  /** Releases every ensemble member's tensors; later use throws DisposedError. */
  dispose(): void;
  /** Same as `dispose()`, for `using` declarations. */
  [Symbol.dispose](): void;
}

const clampP = (p: number): number => Math.min(Math.max(p, 1e-7), 1 - 1e-7);
const logit = (p: number): number => {
  const q = clampP(p);
  return Math.log(q / (1 - q));
};
const sigmoid = (z: number): number => (z >= 0 ? 1 / (1 + Math.exp(-z)) : Math.exp(z) / (1 + Math.exp(z)));

function confusionAt(y: ArrayLike<number>, p: ArrayLike<number>, cutoff: number): RiskConfusion {
  let tp = 0;
  let fp = 0;
  let tn = 0;
  let fn = 0;
  for (let i = 0; i < y.length; i++) {
    const flag = (p[i] as number) >= cutoff;
    if (y[i] === 1) {
      if (flag) tp++;
      else fn++;
    } else if (flag) fp++;
    else tn++;
  }
  return Object.freeze({ tp, fp, tn, fn });
}

function metrics(y: ArrayLike<number>, p: ArrayLike<number>, cutoff: number): RiskMetrics {
  const yy = Array.from(y);
  const pp = Array.from(p);
  let pos = 0;
  for (const v of yy) pos += v;
  const both = pos > 0 && pos < yy.length;
  const auc = both ? rocAuc(yy, pp) : Number.NaN;
  let cal = { slope: Number.NaN, interceptInTheLarge: Number.NaN };
  if (both) {
    try {
      cal = logisticCalibration(yy, pp);
    } catch (e) {
      if (!(e instanceof DataError)) throw e; // perfectly separating scores: slope undefined
    }
  }
  return Object.freeze({
    n: yy.length,
    defaultRate: pos / yy.length,
    rocAuc: auc,
    gini: 2 * auc - 1,
    ks: both ? ksStatistic(yy, pp).statistic : Number.NaN,
    brier: brierScore(yy, pp),
    logLoss: logLoss(yy, pp),
    calibrationSlope: cal.slope,
    calibrationIntercept: cal.interceptInTheLarge,
    ece: expectedCalibrationError(yy, pp, { nBins: 10 }),
    cutoff,
    confusion: confusionAt(yy, pp, cutoff),
  });
}

/** The PD cut-off with maximal KS (TPR − FPR) on out-of-fold scores: the midpoint to the next lower score. */
function ksCutoff(y: ArrayLike<number>, p: ArrayLike<number>): number {
  const order = Array.from({ length: y.length }, (_, i) => i).sort((a, b) => (p[b] as number) - (p[a] as number));
  let pos = 0;
  for (let i = 0; i < y.length; i++) pos += y[i] as number;
  const neg = y.length - pos;
  let tp = 0;
  let fp = 0;
  let best = -Infinity;
  let cut = 0.5;
  for (let k = 0; k < order.length; k++) {
    const i = order[k] as number;
    if (y[i] === 1) tp++;
    else fp++;
    const next = order[k + 1];
    if (next !== undefined && p[next] === p[i]) continue;
    const ks = tp / pos - fp / neg;
    if (ks > best) {
      best = ks;
      cut = next === undefined ? (p[i] as number) : ((p[i] as number) + (p[next] as number)) / 2;
    }
  }
  return cut;
}

/** Recognised spellings of the default event (normalised: lower case, separators as one space). */
const DEFAULT_LABELS = new Set([
  'bad', 'default', 'defaulted', 'defaulter', 'defaults', 'in default', 'charged off', 'charge off', 'chargedoff', 'chargeoff',
  'delinquent', 'delinquency', 'written off', 'write off', 'writeoff', 'late', 'bad loan', 'bad debt', 'bad credit',
  'non performing', 'nonperforming',
]);
const normaliseLabel = (l: string): string => l.trim().toLowerCase().replace(/[\s_.-]+/g, ' ');

/**
 * The label modelled as default: `positive` when given (checked against the labels), else the one
 * recognised label (see {@link RiskModelOptions.positive}); a numeric 0/1 target gives '1'.
 */
function resolvePositive(data: Table, target: string, positive: string | null, fn: string): { readonly label: string; readonly pipelinePositive: string | null } {
  const col = data.columns.find((c) => c.name === target);
  if (col === undefined) {
    throw new DataError({ fn, arg: 'options.target', expected: `a column of the table (${data.columns.map((c) => JSON.stringify(c.name)).join(', ')})`, got: JSON.stringify(target) });
  }
  if (col.kind === 'numeric') {
    if (positive !== null && positive !== '1') {
      throw new InvalidOptionError({ fn, arg: 'positive', expected: `null or '1' for the numeric 0/1 target ${JSON.stringify(target)} (1 is the default event; make the column categorical to model another label)`, got: JSON.stringify(positive) });
    }
    return { label: '1', pipelinePositive: null };
  }
  const labels = [...new Set(col.values.filter((v): v is string => typeof v === 'string'))].sort();
  const listed = labels.slice(0, 10).map((l) => JSON.stringify(l)).join(', ') + (labels.length > 10 ? ', ...' : '');
  if (labels.length !== 2) return { label: '', pipelinePositive: null }; // not binary: checkBinary reports it
  if (positive !== null) {
    if (!labels.includes(positive)) throw new DataError({ fn, arg: 'positive', expected: `one of the labels of ${JSON.stringify(target)}: ${listed}`, got: JSON.stringify(positive) });
    return { label: positive, pipelinePositive: positive };
  }
  const binary = labels.length === 2 && labels.every((l) => l === '0' || l === '1') ? ['1'] : labels.filter((l) => DEFAULT_LABELS.has(normaliseLabel(l)));
  if (binary.length !== 1) {
    throw new DataError({
      fn,
      arg: 'positive',
      expected:
        `a target label recognised as the default event (bad, default, defaulted, charged off, delinquent, ...; 1 for 0/1), ` +
        `or the option positive naming it, e.g. { positive: ${JSON.stringify(labels[0] ?? 'Bad')} }`,
      got: `${binary.length === 0 ? 'no recognised label' : `several recognised labels (${binary.map((l) => JSON.stringify(l)).join(', ')})`} among ${listed}`,
    });
  }
  const label = binary[0] as string;
  return { label, pipelinePositive: label };
}

/**
 * Log-odds of the networks' mean probability. The rows are checked and rounded to float32 (what
 * the networks compute in) once for all members, and each member's network runs on them through
 * its predictor's float32 entry: the values of `m.predictProba(x)`, which would convert and check
 * the rows again for every member.
 */
function networkLogits(members: readonly FittedNeuralClassifier[], x: DenseMatrix, fn: string): Float64Array {
  const mean = new Float64Array(x.rows);
  let x32: Float32Array | null = null;
  for (const m of members) {
    if (m.isDisposed) throw new DisposedError(fn, 'risk model');
    const entry = float32RowsOf(m.asPredictor());
    let p: ArrayLike<number>;
    if (entry === undefined) p = m.predictProba(x);
    else {
      if (x32 === null) {
        const d = x.data;
        for (let k = 0; k < d.length; k++) {
          const v = d[k] as number;
          // v - v is 0 for a finite value, NaN for NaN and ±Infinity
          if (v - v !== 0) throw new DataError({ fn, arg: 'x', expected: 'finite numbers (no NaN or Infinity)', got: `${describeValue(v)} at row ${Math.floor(k / x.cols)}` });
        }
        x32 = Float32Array.from(d);
      }
      const r = entry(x32, x.rows, x.cols);
      p = r instanceof Promise ? m.predictProba(x) : r; // a network's entry is synchronous
    }
    for (let i = 0; i < mean.length; i++) mean[i] = (mean[i] as number) + (p[i] as number) / members.length;
  }
  return mean.map(logit);
}

/** The logistic regression's share of the blend (0 below rounding). */
const lrWeight = (wGam: number, wNn: number): number => {
  const w = 1 - wNn - wGam;
  return w > 1e-9 ? w : 0;
};

/** The blended log-odds `(1 − w_nn − w_gam) · z_lr + w_gam · z_gam + w_nn · z_nn` (members of weight 0 may be null). */
function blend(zLr: ArrayLike<number> | null, zGam: ArrayLike<number> | null, zNn: ArrayLike<number> | null, wGam: number, wNn: number): Float64Array {
  const wLr = lrWeight(wGam, wNn);
  const out = new Float64Array((zLr ?? zGam ?? zNn ?? []).length);
  for (let i = 0; i < out.length; i++) {
    let z = wLr > 0 ? wLr * ((zLr as ArrayLike<number>)[i] as number) : 0;
    if (wGam > 0) z += wGam * ((zGam as ArrayLike<number>)[i] as number);
    if (wNn > 0) z += wNn * ((zNn as ArrayLike<number>)[i] as number);
    out[i] = z;
  }
  return out;
}

function calibrate(z: ArrayLike<number>, c: Pick<RiskCombiner, 'slope' | 'intercept'>): Float64Array {
  return Float64Array.from(z, (v) => sigmoid(c.intercept + c.slope * v));
}

/**
 * The blend weights (w_gam, w_nn) on a grid of step 1/20 with Platt scaling, by out-of-fold log
 * loss: among the weights within 1e-4 (mean log loss) of the best, the simplest wins (least network
 * weight, then least GAM weight), so a more complex member must earn its place.
 */
function chooseBlend(y: readonly number[], zLr: readonly number[], zGam: readonly number[] | null, zNn: readonly number[]): { gamWeight: number; networkWeight: number; slope: number; intercept: number } {
  const steps = 20;
  const cands: { gamWeight: number; networkWeight: number; slope: number; intercept: number; nll: number }[] = [];
  for (let a = 0; a <= steps; a++) {
    for (let g = 0; g <= (zGam === null ? 0 : steps - a); g++) {
      const wNn = a / steps;
      const wGam = g / steps;
      const fit = platt(y, blend(zLr, zGam, zNn, wGam, wNn));
      cands.push({ gamWeight: wGam, networkWeight: wNn, ...fit });
    }
  }
  const best = Math.min(...cands.map((c) => c.nll));
  const tol = 1e-4 * y.length;
  const pick = cands.filter((c) => c.nll <= best + tol).sort((p, q) => p.networkWeight - q.networkWeight || p.gamWeight - q.gamWeight)[0] as (typeof cands)[number];
  return { gamWeight: pick.gamWeight, networkWeight: pick.networkWeight, slope: pick.slope, intercept: pick.intercept };
}

/** Platt scaling `y ~ a + b·z` by Newton with step halving (tiny ridge on b for stability). */
function platt(y: ArrayLike<number>, z: ArrayLike<number>): { slope: number; intercept: number; nll: number } {
  const nll = (a: number, b: number): number => {
    let s = 0;
    for (let i = 0; i < y.length; i++) {
      const eta = a + b * (z[i] as number);
      s += (eta > 0 ? eta + Math.log1p(Math.exp(-eta)) : Math.log1p(Math.exp(eta))) - (y[i] as number) * eta;
    }
    return s + 1e-6 * b * b;
  };
  let a = 0;
  let b = 1;
  let f = nll(a, b);
  for (let it = 0; it < 100; it++) {
    let ga = 0;
    let gb = -2e-6 * b;
    let haa = 0;
    let hab = 0;
    let hbb = 2e-6;
    for (let i = 0; i < y.length; i++) {
      const zi = z[i] as number;
      const pi = sigmoid(a + b * zi);
      const r = (y[i] as number) - pi;
      const w = Math.max(pi * (1 - pi), 1e-12);
      ga += r;
      gb += r * zi;
      haa += w;
      hab += w * zi;
      hbb += w * zi * zi;
    }
    const det = haa * hbb - hab * hab;
    const da = (hbb * ga - hab * gb) / det;
    const db = (haa * gb - hab * ga) / det;
    if (!Number.isFinite(da) || !Number.isFinite(db)) break;
    let t = 1;
    let fn = nll(a + da, b + db);
    while (!(fn <= f) && t > 1e-8) {
      t /= 2;
      fn = nll(a + t * da, b + t * db);
    }
    if (!(fn <= f)) break;
    a += t * da;
    b += t * db;
    const small = Math.abs(t * da) + Math.abs(t * db) < 1e-10;
    f = fn;
    if (small) break;
  }
  return { slope: b, intercept: a, nll: f };
}

/**
 * Per-group log-odds contributions (n × groups, row-major) of an additive surrogate of the model:
 * a ridge least-squares fit of the model's log-odds `z` on `[x, PLE(x)]` (the piecewise-linear
 * columns belong to their numeric column's group). For the logistic regression alone this is its
 * own linear contributions; with the GAM and the networks in the blend it follows their shape too.
 */
function surrogateContributions(x: DenseMatrix, z: ArrayLike<number>, ple: RiskPiecewiseLinear, groups: readonly { readonly columns: readonly number[] }[]): Float64Array {
  const d = applyPiecewiseLinear(x, ple);
  const n = d.rows;
  const q = d.cols;
  const mu = new Float64Array(q);
  let zMean = 0;
  for (let i = 0; i < n; i++) {
    zMean += (z[i] as number) / n;
    for (let j = 0; j < q; j++) mu[j] = (mu[j] as number) + (d.data[i * q + j] as number) / n;
  }
  const gram = new Float64Array(q * q);
  const rhs = new Float64Array(q);
  const row = new Float64Array(q);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < q; j++) row[j] = (d.data[i * q + j] as number) - (mu[j] as number);
    const zi = (z[i] as number) - zMean;
    for (let a = 0; a < q; a++) {
      const ra = row[a] as number;
      if (ra === 0) continue;
      rhs[a] = (rhs[a] as number) + ra * zi;
      for (let b = a; b < q; b++) gram[a * q + b] = (gram[a * q + b] as number) + ra * (row[b] as number);
    }
  }
  let tr = 0;
  for (let a = 0; a < q; a++) {
    for (let b = 0; b < a; b++) gram[a * q + b] = gram[b * q + a] as number;
    tr += gram[a * q + a] as number;
  }
  const ridge = (1e-3 * tr) / q || 1e-12;
  for (let a = 0; a < q; a++) gram[a * q + a] = (gram[a * q + a] as number) + ridge;
  const beta = solveSpd(gram, rhs, q).x;
  // Column → group; the piecewise-linear columns follow their source column.
  const groupOf = new Int32Array(q).fill(-1);
  groups.forEach((grp, a) => grp.columns.forEach((j) => (groupOf[j] = a)));
  let k = x.cols;
  ple.columns.forEach((j, c) => {
    for (let t = 1; t < (ple.edges[c] as readonly number[]).length; t++) groupOf[k++] = groupOf[j] as number;
  });
  const g = groups.length;
  const contrib = new Float64Array(n * g);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < q; j++) {
      const a = groupOf[j] as number;
      if (a >= 0) contrib[i * g + a] = (contrib[i * g + a] as number) + (beta[j] as number) * (d.data[i * q + j] as number);
    }
  }
  return contrib;
}

/**
 * Kernel-herding choice of `size` background rows: each row is summarised by its per-group
 * log-odds contributions c_g (`contrib`, n × g) and their pairwise products c_g·c_h (among the 20
 * groups of largest contribution variance); rows are picked greedily (without replacement, first
 * index on ties) so that the running mean of these features stays closest to the mean over all
 * rows, i.e. the sample matches the means and covariances of the contributions, which is what the
 * SHAP values of a near-additive logit depend on.
 */
function herdBackground(contrib: Float64Array, n: number, g: number, size: number): number[] {
  // Pairwise products among the (at most 20) groups whose contributions vary most: the cost stays
  // linear in the number of columns on wide tables.
  const variance = Array.from({ length: g }, (_, a) => {
    let m = 0;
    let q = 0;
    for (let i = 0; i < n; i++) {
      const v = contrib[i * g + a] as number;
      m += v / n;
      q += (v * v) / n;
    }
    return q - m * m;
  });
  const top = Array.from({ length: g }, (_, a) => a)
    .sort((a, b) => (variance[b] as number) - (variance[a] as number) || a - b)
    .slice(0, 20);
  const nf = g + (top.length * (top.length + 1)) / 2;
  const feat = new Float64Array(n * nf);
  for (let i = 0; i < n; i++) {
    let k = i * nf;
    for (let a = 0; a < g; a++) feat[k++] = contrib[i * g + a] as number;
    for (let a = 0; a < top.length; a++) {
      for (let b = a; b < top.length; b++) feat[k++] = (contrib[i * g + (top[a] as number)] as number) * (contrib[i * g + (top[b] as number)] as number);
    }
  }
  const mu = new Float64Array(nf);
  for (let i = 0; i < n; i++) for (let j = 0; j < nf; j++) mu[j] = (mu[j] as number) + (feat[i * nf + j] as number) / n;
  const sum = new Float64Array(nf);
  const used = new Uint8Array(n);
  const pick: number[] = [];
  for (let t = 1; t <= size; t++) {
    let best = -1;
    let bestDist = Infinity;
    for (let i = 0; i < n; i++) {
      if (used[i] === 1) continue;
      let d = 0;
      for (let j = 0; j < nf; j++) {
        const v = ((sum[j] as number) + (feat[i * nf + j] as number)) / t - (mu[j] as number);
        d += v * v;
      }
      if (d < bestDist) {
        bestDist = d;
        best = i;
      }
    }
    used[best] = 1;
    pick.push(best);
    for (let j = 0; j < nf; j++) sum[j] = (sum[j] as number) + (feat[best * nf + j] as number);
  }
  return pick;
}

/** Quartile edges (training rows, missing values skipped) of numeric protected attributes. */
function groupEdges(data: Table, columns: readonly string[]): Record<string, number[]> {
  const out: Record<string, number[]> = {};
  for (const name of columns) {
    const col = data.columns.find((c) => c.name === name);
    if (col?.kind !== 'numeric') continue;
    const v = (col.values as ArrayLike<number>);
    const sorted = Float64Array.from(Array.from(v).filter((x) => !Number.isNaN(x))).sort();
    const q = (f: number): number => sorted[Math.min(sorted.length - 1, Math.floor(f * sorted.length))] as number;
    out[name] = [...new Set([q(0.25), q(0.5), q(0.75)])];
  }
  return out;
}

function groupLabels(table: Table, name: string, edges: Readonly<Record<string, readonly number[]>>, fn: string): string[] {
  const col = table.columns.find((c) => c.name === name);
  if (col === undefined) {
    throw new DataError({ fn, arg: 'table', expected: `the protected column ${JSON.stringify(name)} (for the per-group metrics)`, got: 'a table without it' });
  }
  const e = edges[name];
  if (col.kind === 'numeric' && e !== undefined) {
    const fmtE = (x: number): string => String(Number(x.toPrecision(6)));
    return Array.from(col.values as ArrayLike<number>, (x) => {
      if (Number.isNaN(x)) return 'missing';
      let k = 0;
      while (k < e.length && x >= (e[k] as number)) k++;
      const lo = k === 0 ? '-inf' : fmtE(e[k - 1] as number);
      const hi = k === e.length ? 'inf' : fmtE(e[k] as number);
      return `[${lo}, ${hi})`;
    });
  }
  return Array.from(col.values as ArrayLike<unknown>, (x) => (x === null || x === undefined || (typeof x === 'number' && Number.isNaN(x)) ? 'missing' : String(x)));
}

function groupMetrics(labels: readonly string[], y: ArrayLike<number>, p: ArrayLike<number>, cutoff: number): RiskGroupMetrics[] {
  const idx = new Map<string, number[]>();
  labels.forEach((g, i) => (idx.get(g) ?? idx.set(g, []).get(g))?.push(i));
  const rows = [...idx.entries()]
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([group, ii]) => {
      const yy = ii.map((i) => y[i] as number);
      const pp = ii.map((i) => p[i] as number);
      const pos = yy.reduce((s, v) => s + v, 0);
      return {
        group,
        n: ii.length,
        defaultRate: pos / ii.length,
        rocAuc: pos > 0 && pos < ii.length ? rocAuc(yy, pp) : null,
        approvalRate: pp.filter((v) => v < cutoff).length / ii.length,
      };
    });
  const top = Math.max(...rows.map((r) => r.approvalRate));
  return rows.map((r) => Object.freeze({ ...r, adverseImpactRatio: top > 0 ? r.approvalRate / top : Number.NaN }));
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
  let pos = 0;
  for (let i = 0; i < y.length; i++) pos += y[i] as number;
  const minority = Math.min(pos, y.length - pos);
  const need = members === 1 ? 2 : members;
  if (need <= minority) return;
  const label = classes[pos <= y.length - pos ? 1 : 0] as string;
  throw new DataError({
    fn,
    arg: 'members',
    expected:
      `at most ${minority}, the number of rows of the minority class ${JSON.stringify(label)}, so that each of the ${need} cross-validation ` +
      `folds (members = 1: both parts of the 80/20 split) holds a row of each class`,
    got: String(members),
  });
}

/** Class labels: the pipeline's target classes, or '0'/'1' for a numeric 0/1 target. */
function classLabels(pipeline: FittedTabularPipeline): readonly string[] {
  return Object.freeze(pipeline.state.targetClasses.length === 2 ? [...pipeline.state.targetClasses] : ['0', '1']);
}

interface Parts {
  readonly params: RiskModelParams;
  readonly pipeline: FittedTabularPipeline;
  readonly members: readonly FittedNeuralClassifier[];
  readonly baseline: FittedLogisticRegression;
  readonly gam: FittedLogisticRegression | null;
  readonly combiner: RiskCombiner;
  readonly validation: RiskValidation;
  readonly explainer: FittedKernelShap;
}

function makeRiskModel(parts: Parts): RiskModel {
  const { params, pipeline, members, explainer, baseline, gam, combiner } = parts;
  const classes = classLabels(pipeline);
  const inputColumns = Object.keys(pipeline.featureGroups);
  const hidden = new Set(params.protected);
  const pdOf = (x: DenseMatrix, fn: string): Float64Array => {
    if (members.some((m) => m.isDisposed)) throw new DisposedError(fn, 'risk model');
    if (x.cols !== pipeline.nFeaturesOut) throw new ShapeError({ fn, arg: 'x', expected: `${pipeline.nFeaturesOut} encoded columns (pipeline.transformDense)`, got: `${x.cols} columns` });
    const { networkWeight: wNn, gamWeight: wGam } = combiner;
    // Members of weight 0 are not evaluated.
    const zNn = wNn > 0 ? networkLogits(members, x, fn) : null;
    const zGam = wGam > 0 && gam !== null ? linearScores(x, gam.state.coef, gam.state.intercept, combiner.ple) : null;
    const zLr = lrWeight(wGam, wNn) > 0 ? linearScores(x, baseline.state.coef, baseline.state.intercept, EMPTY_PLE) : null;
    return calibrate(blend(zLr, zGam, zNn, wGam, wNn), combiner);
  };
  const score = (table: Table): Float64Array => pdOf(pipeline.transformDense(table), 'RiskModel.score');
  const predictor: Predictor = (batch) => pdOf(batch, 'RiskModel.predictor');
  const model: RiskModel = {
    kind: KIND,
    params,
    pipeline,
    members,
    baseline,
    gam,
    combiner,
    classes,
    positive: classes[1] as string,
    validation: parts.validation,
    explainer,
    score,
    predict: (table, threshold = combiner.cutoff) => Array.from(score(table), (p) => (p >= threshold ? (classes[1] as string) : (classes[0] as string))),
    evaluate: (table) => {
      const y = pipeline.transformTarget(table);
      const p = score(table);
      const base = metrics(y, p, combiner.cutoff);
      if (params.protected.length === 0) return base;
      const groups: Record<string, readonly RiskGroupMetrics[]> = {};
      for (const name of params.protected) groups[name] = Object.freeze(groupMetrics(groupLabels(table, name, combiner.groupEdges, 'RiskModel.evaluate'), y, p, combiner.cutoff));
      return Object.freeze({ ...base, groups: Object.freeze(groups) });
    },
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
      const sub = takeDenseRows(x, rows);
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
        // Protected attributes never become reasons: their contributions are zeroed for the ranking only.
        const ranked = values.map((v, j) => (hidden.has(e.playerNames[j] as string) ? 0 : v));
        return Object.freeze({
          row: r,
          pd: 1 / (1 + Math.exp(-(e.fx[i] as number))),
          baseLogOdds: e.baseValue,
          contributions: Object.freeze(contributions),
          reasons: Object.freeze(
            reasonCodes(ranked, {
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
      version: RISK_MODEL_VERSION,
      params: params as unknown as JsonValue,
      state: {
        pipeline: pipeline.toJSON() as unknown as JsonValue,
        members: members.map((m) => m.toJSON() as unknown as JsonValue),
        baseline: baseline.toJSON() as unknown as JsonValue,
        gam: gam === null ? null : (gam.toJSON() as unknown as JsonValue),
        combiner: combiner as unknown as JsonValue,
        positive: classes[1] as string,
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
 * Fits the credit-scoring preset (the body of `RiskModelSpec.fit` and {@link buildRiskModel}, see
 * src/presets/riskModel.ts); `fn` names the caller in errors. @internal
 */
export async function fitRiskModel(data: Table, options: RiskModelOptions, fitOptions: RiskFitOptions = {}, fn = 'buildRiskModel'): Promise<RiskModel> {
  const given = resolveOptions(fn, options, DEFAULTS, RULES);
  for (const name of given.protected) {
    if (name === given.target || !data.columns.some((c) => c.name === name)) {
      throw new DataError({ fn, arg: 'options.protected', expected: 'input columns of the table (not the target)', got: JSON.stringify(name) });
    }
  }
  if (fitOptions.validationData !== undefined) {
    throw new InvalidOptionError({ fn, arg: 'fitOptions.validationData', expected: 'undefined (each network early-stops on its own cross-validation fold)', got: describeValue(fitOptions.validationData) });
  }
  const pos = resolvePositive(data, given.target, given.positive, fn);
  const params: RiskModelParams = deepFreeze({ ...structuredClone(given), positive: pos.pipelinePositive });
  const pipeline = tabularPipeline({
    target: params.target,
    positive: params.positive,
    drop: params.excludeProtected ? [...new Set([...params.drop, ...params.protected])] : params.drop,
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
        earlyStopping: { monitor: 'valLoss', patience: params.patience, restoreBestWeights: true },
        ...(params.classWeight !== null && { classWeight: params.classWeight }),
      },
      seed: params.seed + k,
    });
  // The same folds for the networks and the logistic regression; members = 1: one stratified 80/20 split.
  const folds: readonly IndexSplit[] =
    params.members === 1 ? [trainTestSplit(x.rows, { testSize: 0.2, seed: params.seed, stratify: Array.from(y) })] : stratifiedKFold(y, { k: params.members, shuffle: true, seed: params.seed });
  const lrSpec = logisticRegression({ l2: params.baselineL2 });
  const gamSpec = logisticRegression({ l2: params.gamL2 });
  // Piecewise-linear encoding of the numeric columns (the first columns of the encoded matrix).
  const ple: RiskPiecewiseLinear =
    params.pleBins === 0 ? EMPTY_PLE : fitPiecewiseLinear(x, pipeline.state.numericColumns.map((_, j) => j), params.pleBins, params.pleMaxColumns);
  const xp = applyPiecewiseLinear(x, ple);
  const hasGam = pleWidth(ple) > 0;
  const members: FittedNeuralClassifier[] = [];
  const oofY: number[] = [];
  const oofLr: number[] = [];
  const oofGam: number[] = [];
  const oofNn: number[] = [];
  try {
    // The k networks train together as one packed network (each on its own folds, early-stopped on its own).
    members.push(
      ...(await trainPackedClassifiers(
        x,
        y,
        folds,
        folds.map((_, k) => spec(k).params),
        { hidden: params.hidden, l2: params.l2, dropout: params.dropout, learningRate: params.learningRate, epochs: params.epochs, batchSize: params.batchSize, patience: params.patience, classWeight: params.classWeight },
        fitOptions,
        fitOptions.onEnsembleEpochEnd,
      )),
    );
    for (let k = 0; k < folds.length; k++) {
      const f = folds[k] as IndexSplit;
      const m = members[k] as FittedNeuralClassifier;
      const yt = Array.from(f.train, (i) => y[i] as number);
      const yv = Array.from(f.test, (i) => y[i] as number);
      oofY.push(...yv);
      oofNn.push(...Array.from(m.predictProba(takeDenseRows(x, f.test)), logit));
      oofLr.push(...lrSpec.fit(denseToArrays(takeDenseRows(x, f.train)), yt).decisionFunction(denseToArrays(takeDenseRows(x, f.test))));
      if (hasGam) oofGam.push(...gamSpec.fit(denseToArrays(takeDenseRows(xp, f.train)), yt).decisionFunction(denseToArrays(takeDenseRows(xp, f.test))));
    }
    const baseline = lrSpec.fit(denseToArrays(x), y);
    const gam = hasGam ? gamSpec.fit(denseToArrays(xp), y) : null;
    // Blend weights by out-of-fold log loss after Platt scaling (both 0: the logistic regression alone).
    const best = chooseBlend(oofY, oofLr, hasGam ? oofGam : null, oofNn);
    const pOof = calibrate(blend(oofLr, oofGam, oofNn, best.gamWeight, best.networkWeight), best);
    const cutoff = ksCutoff(oofY, pOof);
    const pLr = oofLr.map(sigmoid);
    const validation: RiskValidation = Object.freeze({
      ...metrics(oofY, pOof, cutoff),
      baseline: metrics(oofY, pLr, ksCutoff(oofY, pLr)),
      networkWeight: best.networkWeight,
      gamWeight: best.gamWeight,
    });
    const combiner: RiskCombiner = deepFreeze({
      networkWeight: best.networkWeight,
      gamWeight: best.gamWeight,
      ple,
      slope: best.slope,
      intercept: best.intercept,
      cutoff,
      groupEdges: groupEdges(data, params.protected),
    });
    const groups = Object.entries(pipeline.featureGroups).map(([name, columns]) => ({ name, columns: [...columns] }));
    // Background rows matching the whole training table under an additive surrogate of the final score.
    const zModel = blend(
      linearScores(x, baseline.state.coef, baseline.state.intercept, EMPTY_PLE),
      gam === null ? null : linearScores(x, gam.state.coef, gam.state.intercept, ple),
      best.networkWeight > 0 ? networkLogits(members, x, fn) : null,
      best.gamWeight,
      best.networkWeight,
    );
    const contrib = surrogateContributions(x, zModel, ple, groups);
    const background = takeDenseRows(x, herdBackground(contrib, x.rows, groups.length, Math.min(params.backgroundSize, x.rows)));
    const explainer = kernelShap({ link: 'logit', groups, backgroundSummary: 'none', seed: params.seed }).fit(denseToArrays(background));
    return makeRiskModel({ params, pipeline, members, baseline, gam, combiner, validation, explainer });
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
  const env = checkEnvelope(json, KIND, [2, RISK_MODEL_VERSION], fn);
  const st = env.state as Record<string, unknown>;
  const stored: StoredRiskModel = { params: env.params, pipeline: st.pipeline, explainer: st.explainer, validation: st.validation, members: st.members, baseline: st.baseline, gam: st.gam, combiner: st.combiner, positive: st.positive };
  return riskModelFromParts(
    env.version === 2 ? upgradeStoredRiskModel(stored) : stored,
    fn,
    'state.',
    (mj) => neuralModelFromJSON(mj),
  );
}

/** Version of the RiskModel envelope (2: logistic-regression member, combiner, calibration metrics; 3: logistic GAM member, piecewise-linear encoding). Version 2 still loads. */
const RISK_MODEL_VERSION = 3;

const METRIC_KEYS = ['n', 'defaultRate', 'rocAuc', 'gini', 'ks', 'brier', 'logLoss', 'calibrationSlope', 'calibrationIntercept', 'ece', 'cutoff'] as const;

/** JSON turns NaN into null: metrics read back null as NaN. */
function readMetrics(v: unknown, fn: string, arg: string): RiskMetrics {
  const r = v as Record<string, unknown> | null | undefined;
  const num = (x: unknown): boolean => typeof x === 'number' || x === null;
  const c = (r?.confusion ?? null) as Record<string, unknown> | null;
  if (r === null || r === undefined || typeof r !== 'object' || !METRIC_KEYS.every((k) => num(r[k])) || c === null || typeof c !== 'object' || !['tp', 'fp', 'tn', 'fn'].every((k) => Number.isInteger(c[k]))) {
    throw new SerializationError({ fn, arg, expected: `an object with numbers ${METRIC_KEYS.join(', ')} and confusion { tp, fp, tn, fn }`, got: describeValue(v) });
  }
  const out: Record<string, unknown> = Object.fromEntries(METRIC_KEYS.map((k) => [k, r[k] === null ? Number.NaN : r[k]]));
  out.confusion = Object.freeze({ tp: c.tp, fp: c.fp, tn: c.tn, fn: c.fn });
  return Object.freeze(out) as unknown as RiskMetrics;
}

function readValidation(v: unknown, fn: string, arg: string): RiskValidation {
  const r = v as Record<string, unknown> | null | undefined;
  const m = readMetrics(v, fn, arg);
  const w = r?.networkWeight;
  if (typeof w !== 'number' || !(w >= 0 && w <= 1)) throw new SerializationError({ fn, arg: `${arg}.networkWeight`, expected: 'a number in [0, 1]', got: describeValue(w) });
  const g = r?.gamWeight;
  if (typeof g !== 'number' || !(g >= 0 && g <= 1 - w + 1e-9)) throw new SerializationError({ fn, arg: `${arg}.gamWeight`, expected: `a number in [0, 1 − networkWeight]`, got: describeValue(g) });
  return Object.freeze({ ...m, baseline: readMetrics(r?.baseline, fn, `${arg}.baseline`), networkWeight: w, gamWeight: g });
}

function readCombiner(v: unknown, fn: string, arg: string): RiskCombiner {
  const r = v as Record<string, unknown> | null | undefined;
  const finite = (x: unknown): boolean => typeof x === 'number' && Number.isFinite(x);
  const edges = r?.groupEdges as Record<string, unknown> | null | undefined;
  const okEdges = edges !== null && typeof edges === 'object' && Object.values(edges).every((e) => Array.isArray(e) && e.every(finite));
  const ple = r?.ple as Record<string, unknown> | null | undefined;
  const okPle =
    ple !== null &&
    typeof ple === 'object' &&
    Array.isArray(ple.columns) &&
    Array.isArray(ple.edges) &&
    ple.columns.length === ple.edges.length &&
    ple.columns.every((j) => Number.isInteger(j) && (j as number) >= 0) &&
    ple.edges.every((e) => Array.isArray(e) && e.length >= 2 && e.every(finite) && e.every((x, t) => t === 0 || (x as number) > (e[t - 1] as number)));
  const w = r?.networkWeight;
  const g = r?.gamWeight;
  const okWeights = finite(w) && finite(g) && (w as number) >= 0 && (g as number) >= 0 && (w as number) + (g as number) <= 1 + 1e-9;
  if (r === null || r === undefined || typeof r !== 'object' || !okWeights || !finite(r.slope) || !finite(r.intercept) || !finite(r.cutoff) || !okEdges || !okPle) {
    throw new SerializationError({
      fn,
      arg,
      expected: '{ networkWeight, gamWeight (>= 0, sum <= 1), ple { columns, edges (increasing) }, slope, intercept, cutoff, groupEdges } with finite numbers',
      got: describeValue(v),
    });
  }
  return deepFreeze({
    networkWeight: w as number,
    gamWeight: g as number,
    ple: { columns: [...(ple.columns as number[])], edges: (ple.edges as number[][]).map((e) => [...e]) },
    slope: r.slope as number,
    intercept: r.intercept as number,
    cutoff: r.cutoff as number,
    groupEdges: structuredClone(edges) as Record<string, number[]>,
  });
}


/**
 * Validates the stored pieces (everything cheap first, no tensors), then restores the members one
 * by one with `restoreMember`, disposing those already restored when one fails. Shared by
 * {@link riskModelFromJSON} and the IOHandler form (saveRiskModel.ts). @internal
 */
export async function riskModelFromParts(
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
  const validation = readValidation(stored.validation, fn, `${prefix}validation`);
  const combiner = readCombiner(stored.combiner, fn, `${prefix}combiner`);
  let baseline: FittedLogisticRegression;
  try {
    baseline = logisticRegressionFromJSON(stored.baseline);
  } catch (e) {
    throw new SerializationError({ fn, arg: `${prefix}baseline`, expected: 'a LogisticRegression envelope', got: e instanceof Error ? e.message : describeValue(stored.baseline) }, { cause: e });
  }
  let gam: FittedLogisticRegression | null = null;
  if (stored.gam !== null) {
    try {
      gam = logisticRegressionFromJSON(stored.gam);
    } catch (e) {
      throw new SerializationError({ fn, arg: `${prefix}gam`, expected: 'null or a LogisticRegression envelope', got: e instanceof Error ? e.message : describeValue(stored.gam) }, { cause: e });
    }
  }
  const pipeline = tabularPipelineFromJSON(stored.pipeline);
  const p = pipeline.nFeaturesOut;
  const pWide = p + combiner.ple.edges.reduce((s, e) => s + e.length - 1, 0);
  if (combiner.ple.columns.some((j) => j >= p) || (gam === null ? combiner.gamWeight !== 0 || combiner.ple.columns.length > 0 : gam.nFeaturesIn !== pWide)) {
    throw new SerializationError({
      fn,
      arg: `${prefix}gam`,
      expected: `a logistic regression on the pipeline's ${p} encoded features plus the ${pWide - p} piecewise-linear columns of combiner.ple (encoding columns < ${p}), or null with gamWeight 0 and no encoding`,
      got: gam === null ? `null with gamWeight ${combiner.gamWeight} and ${combiner.ple.columns.length} encoded columns` : `${gam.nFeaturesIn} features`,
    });
  }
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
      if (m.nFeaturesIn !== p || m.classes.length !== 2) {
        throw new SerializationError({
          fn,
          arg: `${prefix}members[${i}]`,
          expected: `a binary classifier on the pipeline's ${p} encoded features`,
          got: `${m.nFeaturesIn} input features and ${m.classes.length} classes`,
        });
      }
    }
  } catch (e) {
    members.forEach((m) => m.dispose());
    throw e;
  }
  if (baseline.nFeaturesIn !== pipeline.nFeaturesOut) {
    members.forEach((m) => m.dispose());
    throw new SerializationError({ fn, arg: `${prefix}baseline`, expected: `a logistic regression on the pipeline's ${pipeline.nFeaturesOut} encoded features`, got: `${baseline.nFeaturesIn} features` });
  }
  const model = makeRiskModel({ params: deepFreeze(structuredClone(params)), pipeline, members, baseline, gam, combiner, validation, explainer });
  if (stored.positive !== undefined && stored.positive !== model.positive) {
    model.dispose();
    throw new SerializationError({ fn, arg: `${prefix}positive`, expected: `the pipeline's default label ${JSON.stringify(model.positive)}`, got: describeValue(stored.positive) });
  }
  return model;
}

/**
 * Validates {@link RiskModelOptions} with the preset's defaults and rules (the spec's params). @internal
 */
export function resolveRiskModelOptions(fn: string, options: RiskModelOptions): Required<RiskModelOptions> {
  return resolveOptions(fn, options, DEFAULTS, RULES);
}
