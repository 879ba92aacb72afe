/**
 * The CLI's preprocessing of a raw CSV table: numeric columns are median-imputed and
 * standardised, categorical columns are mode-imputed and one-hot encoded (unknown levels at
 * prediction time become all-zero columns). Fitted on training rows only; serialises to JSON.
 *
 * @module
 */
import { DataError, SerializationError, describeValue } from '../core/errors';
import type { JsonValue } from '../core/estimator';
import type { Table } from '../data/table';
import { categoricalImputer, categoricalImputerFromJSON } from '../data/categoricalImputer';
import { oneHotEncoder, oneHotEncoderFromJSON } from '../data/oneHotEncoder';
import { selectColumns } from '../data/selectColumns';
import { simpleImputer, simpleImputerFromJSON } from '../data/simpleImputer';
import { standardScaler, standardScalerFromJSON } from '../data/standardScaler';
import { tableToMatrix } from '../data/tableToMatrix';
import type { FeatureGroup } from '../explain/groupByPrefix';

/** A fitted preprocessor. */
export interface TabularPreprocessor {
  /** Input columns, numeric first, in file order within each kind. */
  readonly numeric: readonly string[];
  readonly categorical: readonly string[];
  /** Names of the output columns (numeric names, then `column=level`). */
  readonly outputNames: readonly string[];
  /** One group per input column: its output columns (for SHAP players). */
  readonly groups: readonly FeatureGroup[];
  transform(table: Table): number[][];
  toJSON(): JsonValue;
}

type Fitted = {
  num: { imputer: ReturnType<ReturnType<typeof simpleImputer>['fit']>; scaler: ReturnType<ReturnType<typeof standardScaler>['fit']> } | null;
  cat: { imputer: ReturnType<ReturnType<typeof categoricalImputer>['fit']>; encoder: ReturnType<ReturnType<typeof oneHotEncoder>['fit']> } | null;
};

function build(numeric: readonly string[], categorical: readonly string[], f: Fitted, fn: string): TabularPreprocessor {
  const levels = f.cat === null ? [] : f.cat.encoder.state.categories;
  const outputNames = [...numeric, ...categorical.flatMap((c, j) => (levels[j] ?? []).map((l) => `${c}=${l}`))];
  const groups: FeatureGroup[] = numeric.map((name, j) => ({ name, columns: [j] }));
  let k = numeric.length;
  categorical.forEach((name, j) => {
    const n = (levels[j] ?? []).length;
    groups.push({ name, columns: Array.from({ length: n }, (_, i) => k + i) });
    k += n;
  });
  const transform = (table: Table): number[][] => {
    const have = new Set(table.columns.map((c) => c.name));
    const missing = [...numeric, ...categorical].filter((c) => !have.has(c));
    if (missing.length > 0) {
      throw new DataError({ fn, arg: 'data', expected: `the model's feature columns (${[...numeric, ...categorical].join(', ')})`, got: `a file without ${missing.map((m) => `'${m}'`).join(', ')}` });
    }
    for (const c of numeric) {
      const col = table.columns.find((x) => x.name === c);
      if (col?.kind !== 'numeric') throw new DataError({ fn, arg: c, expected: 'a numeric column (as at training)', got: 'text values' });
    }
    const parts: number[][][] = [];
    if (f.num !== null) parts.push(f.num.scaler.transform(f.num.imputer.transform(matrixRows(tableToMatrix(selectColumns(table, numeric), { allowNaN: true })))));
    if (f.cat !== null) parts.push(f.cat.encoder.transform(f.cat.imputer.transform(stringTable(selectColumns(table, categorical)))));
    return Array.from({ length: table.nRows }, (_, i) => parts.flatMap((p) => p[i] as number[]));
  };
  return Object.freeze({
    numeric,
    categorical,
    outputNames,
    groups,
    transform,
    toJSON: (): JsonValue => ({
      numeric: [...numeric],
      categorical: [...categorical],
      numImputer: f.num?.imputer.toJSON() ?? null,
      scaler: f.num?.scaler.toJSON() ?? null,
      catImputer: f.cat?.imputer.toJSON() ?? null,
      encoder: f.cat?.encoder.toJSON() ?? null,
    }) as unknown as JsonValue,
  });
}

function matrixRows(m: { rows: number; cols: number; data: Float64Array }): number[][] {
  return Array.from({ length: m.rows }, (_, i) => Array.from(m.data.subarray(i * m.cols, (i + 1) * m.cols)));
}

/** Categorical columns as rows of strings (a numeric column in a categorical slot is read as text). */
function stringTable(t: Table): (string | null)[][] {
  return Array.from({ length: t.nRows }, (_, i) =>
    t.columns.map((c) => {
      if (c.kind === 'categorical') return c.values[i] ?? null;
      const v = c.values[i] as number;
      return Number.isNaN(v) ? null : String(v);
    }),
  );
}

/** Fits the preprocessor on a feature table (target already removed). */
export function fitTabularPreprocessor(features: Table, fn: string): TabularPreprocessor {
  const numeric = features.columns.filter((c) => c.kind === 'numeric').map((c) => c.name);
  const categorical = features.columns.filter((c) => c.kind === 'categorical').map((c) => c.name);
  if (numeric.length + categorical.length === 0) throw new DataError({ fn, arg: 'data', expected: 'at least one feature column besides the target', got: 'none' });
  const f: Fitted = { num: null, cat: null };
  if (numeric.length > 0) {
    const raw = matrixRows(tableToMatrix(selectColumns(features, numeric), { allowNaN: true }));
    const imputer = simpleImputer({ strategy: 'median' }).fit(raw);
    f.num = { imputer, scaler: standardScaler().fit(imputer.transform(raw)) };
  }
  if (categorical.length > 0) {
    const raw = stringTable(selectColumns(features, categorical));
    const imputer = categoricalImputer().fit(raw);
    f.cat = { imputer, encoder: oneHotEncoder({ handleUnknown: 'ignore' }).fit(imputer.transform(raw)) };
  }
  return build(numeric, categorical, f, fn);
}

/** Restores a preprocessor from {@link TabularPreprocessor.toJSON}. */
export function tabularPreprocessorFromJSON(json: unknown, fn: string): TabularPreprocessor {
  const j = json as Record<string, unknown> | null;
  const names = (v: unknown): v is string[] => Array.isArray(v) && v.every((s) => typeof s === 'string');
  if (typeof j !== 'object' || j === null || !names(j.numeric) || !names(j.categorical)) {
    throw new SerializationError({ fn, arg: 'preprocessor', expected: '{ numeric: string[], categorical: string[], ... }', got: describeValue(json) });
  }
  const f: Fitted = { num: null, cat: null };
  if (j.numeric.length > 0) f.num = { imputer: simpleImputerFromJSON(j.numImputer), scaler: standardScalerFromJSON(j.scaler) };
  if (j.categorical.length > 0) f.cat = { imputer: categoricalImputerFromJSON(j.catImputer), encoder: oneHotEncoderFromJSON(j.encoder) };
  return build(j.numeric, j.categorical, f, fn);
}
