/**
 * Column transformer from a typed Table to a model-ready numeric matrix, fitted on training rows only.
 *
 * @module
 */
import * as tf from '@tensorflow/tfjs-core';
import { type RuleTable, resolveOptions, rules } from '../core/options';
import { DataError, InvalidOptionError, SerializationError, describeValue } from '../core/errors';
import { type DenseMatrix, denseToArrays } from '../core/matrix';
import { type EstimatorJSON, type JsonValue, checkEnvelope, notFitted } from '../core/estimator';
import { checkTable, findColumn, freezeTable } from './_internal/tableChecks';
import { stateObject } from './_internal/categorical';
import { uniqueSorted } from '../core/_internal/stats';
import { type FittedCategoricalImputer, categoricalImputer, categoricalImputerFromJSON } from './categoricalImputer';
import { type FittedOneHotEncoder, oneHotEncoder, oneHotEncoderFromJSON } from './oneHotEncoder';
import { type FittedOrdinalEncoder, ordinalEncoder, ordinalEncoderFromJSON } from './ordinalEncoder';
import { type FittedSimpleImputer, simpleImputer, simpleImputerFromJSON } from './simpleImputer';
import { standardScaler, standardScalerFromJSON } from './standardScaler';
import { minMaxScaler, minMaxScalerFromJSON } from './minMaxScaler';
import { robustScaler, robustScalerFromJSON } from './robustScaler';
import type { AnyFittedMatrixTransformer } from './pipeline';
import type { Column, Table } from './table';

/**
 * Treatment of numeric columns.
 * @category Data
 */
export interface NumericPreprocessing {
  /** Imputation of NaN, or null to reject NaN. @defaultValue 'median' */
  readonly impute?: 'mean' | 'median' | 'most_frequent' | 'constant' | null;
  /** Fill value of the 'constant' imputation. @defaultValue 0 */
  readonly fillValue?: number;
  /** Scaling, or null for none. @defaultValue 'standard' */
  readonly scale?: 'standard' | 'minmax' | 'robust' | null;
}

/**
 * Treatment of categorical (string) columns.
 * @category Data
 */
export interface CategoricalPreprocessing {
  /** Imputation of null, or null to treat missing values as unknown categories. @defaultValue 'most_frequent' */
  readonly impute?: 'most_frequent' | 'constant' | null;
  /** Fill value of the 'constant' imputation. @defaultValue 'missing' */
  readonly fillValue?: string;
  /** One-hot or ordinal codes. @defaultValue 'onehot' */
  readonly encode?: 'onehot' | 'ordinal';
  /** Unseen categories at transform: DataError, or ignore (all-zero one-hot / code -1). @defaultValue 'error' */
  readonly handleUnknown?: 'error' | 'ignore';
  /** One-hot only: drop the first category of each column. @defaultValue null */
  readonly drop?: 'first' | null;
}

/**
 * Options of {@link tabularPipeline}.
 * @category Data
 */
export interface TabularPipelineOptions {
  /** Target column: excluded from the features; encoded by `transformTarget`. @defaultValue null */
  readonly target?: string | null;
  /** Categorical target: the label encoded as 1 (binary). @defaultValue null (the larger sorted label) */
  readonly positive?: string | null;
  /** Columns ignored entirely (ids, leaky columns). @defaultValue [] */
  readonly drop?: readonly string[];
  /** {@link NumericPreprocessing}. @defaultValue {} */
  readonly numeric?: NumericPreprocessing;
  /** {@link CategoricalPreprocessing}. @defaultValue {} */
  readonly categorical?: CategoricalPreprocessing;
}

/**
 * Fully resolved options.
 * @category Data
 */
export interface TabularPipelineParams {
  readonly target: string | null;
  readonly positive: string | null;
  readonly drop: readonly string[];
  readonly numeric: Readonly<Required<NumericPreprocessing>>;
  readonly categorical: Readonly<Required<CategoricalPreprocessing>>;
}

/**
 * Fitted state of a tabular pipeline.
 * @category Data
 */
export interface TabularPipelineState {
  readonly numericColumns: readonly string[];
  readonly categoricalColumns: readonly string[];
  readonly numericImputer: FittedSimpleImputer | null;
  readonly scaler: AnyFittedMatrixTransformer | null;
  readonly categoricalImputer: FittedCategoricalImputer | null;
  readonly encoder: FittedOneHotEncoder | FittedOrdinalEncoder | null;
  /** Target classes by code for a categorical target (empty for a numeric target or none). */
  readonly targetClasses: readonly string[];
  /** Kind of the target column at fit, or null without target. */
  readonly targetKind: 'numeric' | 'categorical' | null;
}

/**
 * A fitted tabular pipeline.
 * @category Data
 */
export interface FittedTabularPipeline {
  readonly kind: 'TabularPipeline';
  readonly params: TabularPipelineParams;
  readonly state: TabularPipelineState;
  /** Number of output columns. */
  readonly nFeaturesOut: number;
  /** Output column names: numeric columns, then encoded columns such as `Purpose=NewCar`. */
  readonly featureNames: readonly string[];
  /** Original column name → indices of its output columns (for grouped SHAP / reason codes). */
  readonly featureGroups: Readonly<Record<string, readonly number[]>>;
  /**
   * Transforms any Table holding the fitted columns (extra columns are ignored) with the statistics
   * learned at fit. @throws {DataError} missing column, changed column kind, NaN without imputation,
   * unseen category with handleUnknown 'error'.
   */
  transform(table: Table): number[][];
  /** `transform` as a {@link DenseMatrix}. */
  transformDense(table: Table): DenseMatrix;
  /** `transform` as a new float32 `tf.Tensor2D` owned by the caller. */
  transformTensor(table: Table): tf.Tensor2D;
  /** Encodes the target column: class codes (positive = 1) or the numbers. @throws {DataError} no target, unseen label, missing values. */
  transformTarget(table: Table): Float64Array;
  /** Serialises the fitted state to the finml envelope `{ kind, version, params, state }` (JSON values only). */
  toJSON(): EstimatorJSON;
}

/**
 * An unfitted tabular pipeline spec.
 * @category Data
 */
export interface TabularPipelineSpec {
  readonly kind: 'TabularPipeline';
  readonly params: TabularPipelineParams;
  /** Learns every statistic from `table` only (train rows). @throws {DataError} */
  fit(table: Table): FittedTabularPipeline;
  /** A new spec with the given params replaced (validated like the factory); this spec is unchanged. */
  withParams(patch: TabularPipelineOptions): TabularPipelineSpec;
  /** Not available before `fit`: throws NotFittedError. */
  readonly transform: (...args: never[]) => never;
}

const TABULAR_PIPELINE_DEFAULTS = { target: null, positive: null, drop: [], numeric: {}, categorical: {} } as const satisfies Required<TabularPipelineOptions>;
const isPlainObject = (v: unknown): boolean => typeof v === 'object' && v !== null && !Array.isArray(v);
const RULES: RuleTable<Required<TabularPipelineOptions>> = {
  target: rules.nullable(rules.string()),
  positive: rules.nullable(rules.string()),
  drop: rules.stringArray(),
  numeric: rules.custom('an object of numeric preprocessing options', isPlainObject),
  categorical: rules.custom('an object of categorical preprocessing options', isPlainObject),
};
const NUMERIC_DEFAULTS = { impute: 'median', fillValue: 0, scale: 'standard' } as const satisfies Required<NumericPreprocessing>;
const NUMERIC_RULES: RuleTable<Required<NumericPreprocessing>> = {
  impute: rules.oneOf(['mean', 'median', 'most_frequent', 'constant', null] as const),
  fillValue: rules.number(),
  scale: rules.oneOf(['standard', 'minmax', 'robust', null] as const),
};
const CATEGORICAL_DEFAULTS = { impute: 'most_frequent', fillValue: 'missing', encode: 'onehot', handleUnknown: 'error', drop: null } as const satisfies Required<CategoricalPreprocessing>;
const CATEGORICAL_RULES: RuleTable<Required<CategoricalPreprocessing>> = {
  impute: rules.oneOf(['most_frequent', 'constant', null] as const),
  fillValue: rules.string(),
  encode: rules.oneOf(['onehot', 'ordinal'] as const),
  handleUnknown: rules.oneOf(['error', 'ignore'] as const),
  drop: rules.oneOf(['first', null] as const),
};

function resolveParams(options: TabularPipelineOptions | undefined): TabularPipelineParams {
  const fn = 'tabularPipeline';
  const o = resolveOptions<Required<TabularPipelineOptions>>(fn, options, TABULAR_PIPELINE_DEFAULTS, RULES);
  const categorical = resolveOptions<Required<CategoricalPreprocessing>>('tabularPipeline (categorical)', o.categorical, CATEGORICAL_DEFAULTS, CATEGORICAL_RULES);
  // Options that would otherwise be silently ignored.
  if (o.positive !== null && o.target === null) {
    throw new InvalidOptionError({ fn, arg: 'positive', expected: 'null unless a target column is given', got: JSON.stringify(o.positive) });
  }
  if (categorical.drop !== null && categorical.encode === 'ordinal') {
    throw new InvalidOptionError({ fn, arg: 'categorical.drop', expected: "null when categorical.encode is 'ordinal' (dropping a level applies to one-hot only)", got: JSON.stringify(categorical.drop) });
  }
  return Object.freeze({
    target: o.target,
    positive: o.positive,
    drop: Object.freeze([...o.drop]),
    numeric: resolveOptions<Required<NumericPreprocessing>>('tabularPipeline (numeric)', o.numeric, NUMERIC_DEFAULTS, NUMERIC_RULES),
    categorical,
  });
}

function numericBlock(t: Table, names: readonly string[], fn: string): DenseMatrix {
  const c = names.length;
  const data = new Float64Array(t.nRows * c);
  names.forEach((name, j) => {
    const col = findColumn(t, name, 'table', fn);
    if (col.kind !== 'numeric') throw new DataError({ fn, arg: 'table', expected: `column ${JSON.stringify(name)} to be numeric (as at fit)`, got: 'a categorical column' });
    for (let i = 0; i < t.nRows; i++) data[i * c + j] = col.values[i] as number;
  });
  return { rows: t.nRows, cols: c, data };
}

function categoricalBlock(t: Table, names: readonly string[], fn: string): Table {
  const cols: Column[] = names.map((name) => {
    const col = findColumn(t, name, 'table', fn);
    if (col.kind !== 'categorical') throw new DataError({ fn, arg: 'table', expected: `column ${JSON.stringify(name)} to be categorical (as at fit)`, got: 'a numeric column' });
    return col;
  });
  return freezeTable(t.nRows, cols);
}

function makeFitted(params: TabularPipelineParams, state: TabularPipelineState): FittedTabularPipeline {
  const fn = 'tabularPipeline.transform';
  const nNum = state.numericColumns.length;
  const featureNames: string[] = [...state.numericColumns];
  const groups: Record<string, readonly number[]> = {};
  state.numericColumns.forEach((n, j) => {
    groups[n] = Object.freeze([j]);
  });
  if (state.encoder !== null) {
    featureNames.push(...state.encoder.featureNames);
    for (const [k, idx] of Object.entries(state.encoder.featureGroups)) groups[k] = Object.freeze(idx.map((i) => i + nNum));
  }
  const width = featureNames.length;
  const transformDense = (table: Table): DenseMatrix => {
    const t = checkTable(table, 'table', fn);
    const out = new Float64Array(t.nRows * width);
    if (nNum > 0) {
      let m = numericBlock(t, state.numericColumns, fn);
      if (state.numericImputer !== null) m = state.numericImputer.transformDense(m);
      for (let k = 0; k < m.data.length; k++) {
        if (!Number.isFinite(m.data[k] as number)) {
          throw new DataError({
            fn,
            arg: 'table',
            expected: 'finite numbers (or enable numeric.impute)',
            got: `${describeValue(m.data[k])} in column ${JSON.stringify(state.numericColumns[k % nNum])}, row ${Math.floor(k / nNum)}`,
          });
        }
      }
      if (state.scaler !== null) m = state.scaler.transformDense(m);
      for (let i = 0; i < t.nRows; i++) out.set(m.data.subarray(i * nNum, (i + 1) * nNum), i * width);
    }
    if (state.encoder !== null) {
      let c = categoricalBlock(t, state.categoricalColumns, fn);
      if (state.categoricalImputer !== null) c = state.categoricalImputer.transform(c);
      const e = state.encoder.transformDense(c);
      const w = e.cols;
      for (let i = 0; i < t.nRows; i++) out.set(e.data.subarray(i * w, (i + 1) * w), i * width + nNum);
    }
    return { rows: t.nRows, cols: width, data: out };
  };
  const transformTarget = (table: Table): Float64Array => {
    const tfn = 'tabularPipeline.transformTarget';
    if (params.target === null || state.targetKind === null) throw new DataError({ fn: tfn, arg: 'target', expected: 'a pipeline created with a target column', got: 'null' });
    const col = findColumn(checkTable(table, 'table', tfn), params.target, 'table', tfn);
    const y = new Float64Array(col.values.length);
    const code = new Map(state.targetClasses.map((c, i) => [c, i] as const));
    for (let i = 0; i < y.length; i++) {
      const v = col.values[i] as number | string | null;
      if (state.targetKind === 'numeric' && col.kind === 'numeric') {
        if (!Number.isFinite(v as number)) throw new DataError({ fn: tfn, arg: 'table', expected: 'finite target values', got: `${describeValue(v)} at row ${i}` });
        y[i] = v as number;
        continue;
      }
      const k = v === null ? undefined : code.get(String(v));
      if (k === undefined) {
        throw new DataError({ fn: tfn, arg: 'table', expected: `a target label seen at fit (${state.targetClasses.map((c) => JSON.stringify(c)).join(', ')})`, got: `${describeValue(v)} at row ${i}` });
      }
      y[i] = k;
    }
    return y;
  };
  return Object.freeze({
    kind: 'TabularPipeline' as const,
    params,
    state,
    nFeaturesOut: width,
    featureNames: Object.freeze(featureNames),
    featureGroups: Object.freeze(groups),
    transform: (t: Table) => denseToArrays(transformDense(t)),
    transformDense,
    transformTensor: (t: Table) => {
      const m = transformDense(t);
      return tf.tensor2d(Float32Array.from(m.data), [m.rows, m.cols], 'float32');
    },
    transformTarget,
    toJSON: (): EstimatorJSON => ({
      kind: 'TabularPipeline',
      version: 1,
      params: {
        target: params.target,
        positive: params.positive,
        drop: [...params.drop],
        numeric: { ...params.numeric },
        categorical: { ...params.categorical },
      },
      state: {
        numericColumns: [...state.numericColumns],
        categoricalColumns: [...state.categoricalColumns],
        numericImputer: state.numericImputer === null ? null : (state.numericImputer.toJSON() as unknown as JsonValue),
        scaler: state.scaler === null ? null : (state.scaler.toJSON() as unknown as JsonValue),
        categoricalImputer: state.categoricalImputer === null ? null : (state.categoricalImputer.toJSON() as unknown as JsonValue),
        encoder: state.encoder === null ? null : (state.encoder.toJSON() as unknown as JsonValue),
        targetClasses: [...state.targetClasses],
        targetKind: state.targetKind,
      },
    }),
  });
}

function fitPipeline(params: TabularPipelineParams, table: Table): FittedTabularPipeline {
  const fn = 'tabularPipeline.fit';
  const t = checkTable(table, 'table', fn);
  if (t.nRows === 0) throw new DataError({ fn, arg: 'table', expected: 'at least 1 row', got: '0 rows' });
  for (const d of params.drop) findColumn(t, d, 'drop', fn);
  const targetCol = params.target === null ? null : findColumn(t, params.target, 'target', fn);
  const excluded = new Set([...params.drop, ...(params.target === null ? [] : [params.target])]);
  const features = t.columns.filter((c) => !excluded.has(c.name));
  if (features.length === 0) throw new DataError({ fn, arg: 'table', expected: 'at least 1 feature column', got: 'none after removing target and drop' });
  const numericColumns = Object.freeze(features.filter((c) => c.kind === 'numeric').map((c) => c.name));
  const categoricalColumns = Object.freeze(features.filter((c) => c.kind === 'categorical').map((c) => c.name));
  const p = params.numeric;
  let numericImputer: FittedSimpleImputer | null = null;
  let scaler: AnyFittedMatrixTransformer | null = null;
  if (numericColumns.length > 0) {
    let m = numericBlock(t, numericColumns, fn);
    if (p.impute !== null) {
      numericImputer = simpleImputer({ strategy: p.impute, fillValue: p.fillValue }).fitDense(m);
      m = numericImputer.transformDense(m);
    }
    m.data.forEach((v, k) => {
      if (!Number.isFinite(v)) {
        throw new DataError({ fn, arg: 'table', expected: 'finite numbers (or enable numeric.impute)', got: `${describeValue(v)} in column ${JSON.stringify(numericColumns[k % numericColumns.length])}, row ${Math.floor(k / numericColumns.length)}` });
      }
    });
    if (p.scale !== null) {
      const spec = p.scale === 'standard' ? standardScaler() : p.scale === 'minmax' ? minMaxScaler() : robustScaler();
      scaler = (spec.fitDense as (x: DenseMatrix) => AnyFittedMatrixTransformer)(m);
    }
  }
  const c = params.categorical;
  let catImputer: FittedCategoricalImputer | null = null;
  let encoder: FittedOneHotEncoder | FittedOrdinalEncoder | null = null;
  if (categoricalColumns.length > 0) {
    let block = categoricalBlock(t, categoricalColumns, fn);
    if (c.impute !== null) {
      catImputer = categoricalImputer({ strategy: c.impute, fillValue: c.fillValue }).fit(block);
      block = catImputer.transform(block);
    } else {
      // No imputation: categories are the observed values; missing values are unknown at transform.
      // Fill nulls with an observed value of the same column so the category sets are unchanged.
      block = freezeTable(
        block.nRows,
        block.columns.map((col) => {
          const vals = col.values as readonly (string | null)[];
          const seen = vals.find((v) => v !== null);
          if (seen === undefined) throw new DataError({ fn, arg: 'table', expected: 'at least one observed value per categorical column', got: `only missing values in column ${JSON.stringify(col.name)}` });
          return { kind: 'categorical' as const, name: col.name, values: vals.map((v) => v ?? seen) };
        }),
      );
    }
    encoder =
      c.encode === 'onehot'
        ? oneHotEncoder({ handleUnknown: c.handleUnknown, drop: c.drop }).fit(block)
        : ordinalEncoder(c.handleUnknown === 'ignore' ? { handleUnknown: 'useEncodedValue', unknownValue: -1 } : {}).fit(block);
  }
  if (targetCol !== null && targetCol.kind === 'numeric' && params.positive !== null) {
    throw new DataError({
      fn,
      arg: 'positive',
      expected: `null for the numeric target column ${JSON.stringify(targetCol.name)} (its values are used as they are; make it categorical to choose the positive label)`,
      got: JSON.stringify(params.positive),
    });
  }
  let targetClasses: readonly string[] = [];
  if (targetCol !== null && targetCol.kind === 'categorical') {
    const labels = uniqueSorted(targetCol.values);
    if (params.positive !== null) {
      if (!labels.includes(params.positive) || labels.length !== 2) {
        throw new DataError({ fn, arg: 'positive', expected: `one of exactly 2 target labels`, got: `${JSON.stringify(params.positive)} with labels ${labels.map((l) => JSON.stringify(l)).join(', ')}` });
      }
      targetClasses = [labels.find((l) => l !== params.positive) as string, params.positive];
    } else {
      targetClasses = labels;
    }
  }
  return makeFitted(
    params,
    Object.freeze({
      numericColumns,
      categoricalColumns,
      numericImputer,
      scaler,
      categoricalImputer: catImputer,
      encoder,
      targetClasses: Object.freeze(targetClasses),
      targetKind: targetCol === null ? null : targetCol.kind,
    }),
  );
}

/**
 * Creates a tabular preprocessing pipeline (a column transformer): numeric columns are imputed and
 * scaled, categorical columns imputed and one-hot/ordinal encoded, the target and `drop` columns
 * are left out. Every statistic is learned by `fit` on the training Table only and reused for any
 * later Table, so test rows never leak into preprocessing. Serialises to JSON.
 *
 * @param options - {@link TabularPipelineOptions}.
 * @returns A frozen spec; `fit(trainTable)` returns a frozen {@link FittedTabularPipeline}.
 * @throws {InvalidOptionError} invalid options.
 * @example
 * ```ts
 * import { createTable, tabularPipeline } from 'finml';
 * const trainTable = createTable({ Duration: [6, 48, 12, NaN], Purpose: ['Radio', 'NewCar', 'Radio', 'UsedCar'], Class: ['Good', 'Bad', 'Good', 'Bad'] });
 * const testTable = createTable({ Duration: [24], Purpose: ['NewCar'], Class: ['Bad'] });
 * const prep = tabularPipeline({ target: 'Class', positive: 'Bad' }).fit(trainTable);
 * const xTest = prep.transform(testTable); // number[][]: scaled Duration, then one column per Purpose
 * xTest[0]?.length; //=> 4
 * Array.from(prep.transformTarget(testTable)); //=> [1]
 * prep.featureGroups.Purpose; //=> [1, 2, 3]
 * ```
 * @category Data
 */
export function tabularPipeline(options?: TabularPipelineOptions): TabularPipelineSpec {
  const params = resolveParams(options);
  return Object.freeze({
    kind: 'TabularPipeline' as const,
    params,
    fit: (table: Table) => fitPipeline(params, table),
    withParams: (patch: TabularPipelineOptions) => tabularPipeline({ ...params, ...patch }),
    transform: notFitted('TabularPipeline', 'transform'),
  });
}

const SCALERS: Readonly<Record<string, (json: unknown) => AnyFittedMatrixTransformer>> = {
  StandardScaler: standardScalerFromJSON as (json: unknown) => AnyFittedMatrixTransformer,
  MinMaxScaler: minMaxScalerFromJSON as (json: unknown) => AnyFittedMatrixTransformer,
  RobustScaler: robustScalerFromJSON as (json: unknown) => AnyFittedMatrixTransformer,
};

/**
 * Restores a fitted tabular pipeline from its `toJSON()` envelope; the restored pipeline gives
 * identical transforms.
 *
 * @param json - A parsed `toJSON()` envelope (e.g. from `JSON.parse`).
 * @returns the fitted object, behaving exactly like the one that was saved.
 * @throws {SerializationError} on a malformed envelope.
 * @example
 * ```ts
 * import { createTable, tabularPipeline, tabularPipelineFromJSON } from 'finml';
 * const table = createTable({ Amount: [1000, 2500, 4000], Purpose: ['Radio', 'NewCar', 'Radio'] });
 * const prep = tabularPipeline().fit(table);
 * const text = JSON.stringify(prep.toJSON());
 * const again = tabularPipelineFromJSON(JSON.parse(text));
 * JSON.stringify(again.transform(table)) === JSON.stringify(prep.transform(table)); //=> true
 * ```
 * @category Data
 */
export function tabularPipelineFromJSON(json: unknown): FittedTabularPipeline {
  const fn = 'tabularPipelineFromJSON';
  const env = checkEnvelope(json, 'TabularPipeline', [1], fn);
  let params: TabularPipelineParams;
  try {
    params = resolveParams(env.params as TabularPipelineOptions);
  } catch (e) {
    throw new SerializationError({ fn, arg: 'json.params', expected: 'valid tabularPipeline options', got: describeValue(env.params) }, { cause: e });
  }
  const s = stateObject(env.state, fn);
  const strings = (k: string): string[] => {
    const v = s[k];
    if (!Array.isArray(v) || !v.every((x) => typeof x === 'string')) throw new SerializationError({ fn, arg: `json.state.${k}`, expected: 'an array of strings', got: describeValue(v) });
    return v as string[];
  };
  const sub = <T>(k: string, from: (j: unknown) => T): T | null => (s[k] === null ? null : from(s[k]));
  const scalerJson = s.scaler as { kind?: unknown } | null;
  const scalerFrom = scalerJson === null ? undefined : SCALERS[String(scalerJson?.kind)];
  if (scalerJson !== null && scalerFrom === undefined) {
    throw new SerializationError({ fn, arg: 'json.state.scaler', expected: 'null or a scaler envelope', got: describeValue(scalerJson) });
  }
  const encJson = s.encoder as { kind?: unknown } | null;
  const encoder =
    encJson === null ? null : encJson?.kind === 'OrdinalEncoder' ? ordinalEncoderFromJSON(encJson) : oneHotEncoderFromJSON(encJson);
  const targetKind = s.targetKind;
  if (targetKind !== null && targetKind !== 'numeric' && targetKind !== 'categorical') {
    throw new SerializationError({ fn, arg: 'json.state.targetKind', expected: "null, 'numeric' or 'categorical'", got: describeValue(targetKind) });
  }
  const state: TabularPipelineState = Object.freeze({
    numericColumns: Object.freeze(strings('numericColumns')),
    categoricalColumns: Object.freeze(strings('categoricalColumns')),
    numericImputer: sub('numericImputer', simpleImputerFromJSON),
    scaler: scalerFrom === undefined ? null : scalerFrom(scalerJson),
    categoricalImputer: sub('categoricalImputer', categoricalImputerFromJSON),
    encoder,
    targetClasses: Object.freeze(strings('targetClasses')),
    targetKind,
  });
  if ((state.encoder === null) !== (state.categoricalColumns.length === 0)) {
    throw new SerializationError({ fn, arg: 'json.state.encoder', expected: 'an encoder exactly when there are categorical columns', got: describeValue(encJson) });
  }
  return makeFitted(params, state);
}
