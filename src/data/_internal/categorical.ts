/** Private: normalisation of string (categorical) inputs for imputers and encoders. */
import { DataError, SerializationError, ShapeError, describeValue } from '../../core/errors';
import { checkEnvelope } from '../../core/estimator';
import type { CategoricalInput, Table } from '../table';
import { uniqueSorted } from '../../core/_internal/stats';
import { checkTable, findColumn } from './tableChecks';

/** Column-major view of a categorical input. */
export interface StringColumns {
  readonly names: readonly string[];
  readonly cols: readonly (readonly (string | null)[])[];
  readonly nRows: number;
}

/** True for a Table (as opposed to nested arrays). */
export function isTable(x: unknown): x is Table {
  return typeof x === 'object' && x !== null && !Array.isArray(x) && 'columns' in x && 'nRows' in x;
}

/**
 * Normalises `x`. At fit, pass `names` undefined: Tables give their (categorical) column names,
 * matrices `x0..`. After fit, pass the fitted names: Tables are looked up by name, matrices must
 * have that width.
 */
export function toStringColumns(
  x: CategoricalInput,
  arg: string,
  fn: string,
  opts: { readonly names?: readonly string[]; readonly allowNull: boolean; readonly minRows?: number },
): StringColumns {
  let names: readonly string[];
  let cols: (readonly (string | null)[])[];
  let nRows: number;
  if (isTable(x)) {
    const t = checkTable(x, arg, fn);
    const picked = opts.names === undefined ? t.columns : opts.names.map((n) => findColumn(t, n, arg, fn));
    for (const c of picked) {
      if (c.kind !== 'categorical') {
        throw new DataError({ fn, arg, expected: 'categorical (string) columns', got: `numeric column ${JSON.stringify(c.name)}` });
      }
    }
    names = picked.map((c) => c.name);
    cols = picked.map((c) => c.values as readonly (string | null)[]);
    nRows = t.nRows;
  } else if (Array.isArray(x)) {
    nRows = x.length;
    const first = x[0] as unknown;
    if (nRows > 0 && !Array.isArray(first)) {
      throw new ShapeError({ fn, arg, expected: 'a 2-D array of strings (an array of rows) or a Table', got: `an array whose first element is ${describeValue(first)}` });
    }
    const w = nRows > 0 ? (first as unknown[]).length : (opts.names?.length ?? 0);
    if (opts.names !== undefined && w !== opts.names.length) {
      throw new ShapeError({ fn, arg, expected: `${opts.names.length} columns (as seen in fit)`, got: `${w} columns` });
    }
    names = opts.names ?? Array.from({ length: w }, (_, j) => `x${j}`);
    cols = Array.from({ length: w }, () => new Array<string | null>(nRows));
    for (let i = 0; i < nRows; i++) {
      const r = x[i] as readonly unknown[];
      if (!Array.isArray(r) || r.length !== w) throw new ShapeError({ fn, arg, expected: `rows of equal length ${w}`, got: `row ${i} with ${describeValue(r)}` });
      for (let j = 0; j < w; j++) {
        const v = r[j];
        if (typeof v !== 'string' && v !== null) {
          throw new DataError({ fn, arg, expected: 'strings (or null for missing)', got: `${describeValue(v)} at row ${i}, column ${j}` });
        }
        (cols[j] as (string | null)[])[i] = v;
      }
    }
  } else {
    throw new ShapeError({ fn, arg, expected: 'a 2-D array of strings or a Table', got: describeValue(x) });
  }
  const minRows = opts.minRows ?? 1;
  if (nRows < minRows) throw new DataError({ fn, arg, expected: `at least ${minRows} row(s)`, got: `${nRows} rows` });
  if (names.length === 0) throw new DataError({ fn, arg, expected: 'at least 1 categorical column', got: '0 columns' });
  if (!opts.allowNull) {
    cols.forEach((c, j) => {
      const i = c.indexOf(null);
      if (i !== -1) {
        throw new DataError({ fn, arg, expected: 'no missing values (impute them first, e.g. with categoricalImputer)', got: `null at row ${i}, column ${JSON.stringify(names[j])}` });
      }
    });
  }
  return { names, cols, nRows };
}

/** Reads a string[] field of a deserialised state. */
export function readStringArray(state: Record<string, unknown>, field: string, fn: string): string[] {
  const v = state[field];
  if (!Array.isArray(v) || !v.every((s) => typeof s === 'string')) {
    throw new SerializationError({ fn, arg: `json.state.${field}`, expected: 'an array of strings', got: describeValue(v) });
  }
  return [...(v as string[])]; // a copy: the fitted object freezes it, the caller's JSON stays untouched
}

/** Reads a string[][] field of a deserialised state. */
export function readStringMatrix(state: Record<string, unknown>, field: string, fn: string, length: number): string[][] {
  const v = state[field];
  if (!Array.isArray(v) || v.length !== length || !v.every((r) => Array.isArray(r) && r.every((s) => typeof s === 'string'))) {
    throw new SerializationError({ fn, arg: `json.state.${field}`, expected: `an array of ${length} string arrays`, got: describeValue(v) });
  }
  return (v as string[][]).map((r) => [...r]);
}

/** Reads the state object of an envelope. */
export function stateObject(state: unknown, fn: string): Record<string, unknown> {
  if (typeof state !== 'object' || state === null || Array.isArray(state)) {
    throw new SerializationError({ fn, arg: 'json.state', expected: 'an object', got: describeValue(state) });
  }
  return state as Record<string, unknown>;
}

/** Fitted state of the encoders: input column names and the sorted categories of each. */
export interface CategoriesState {
  readonly columns: readonly string[];
  readonly categories: readonly (readonly string[])[];
}

/** Learns the sorted categories of every column (encoder fit; missing values rejected). */
export function fitCategories(x: CategoricalInput, fn: string): CategoriesState {
  const s = toStringColumns(x, 'x', fn, { allowNull: false });
  return Object.freeze({ columns: Object.freeze([...s.names]), categories: Object.freeze(s.cols.map((c) => Object.freeze(uniqueSorted(c)))) });
}

/**
 * Checks the envelope of a categorical estimator, rebuilds its params through the factory (a
 * SerializationError when they are invalid) and reads the `columns` of its state.
 */
export function restoreCategorical<P, R>(
  json: unknown,
  kind: string,
  fn: string,
  factory: string,
  make: (params: P) => { readonly params: R },
): { readonly params: R; readonly state: Record<string, unknown>; readonly columns: readonly string[] } {
  const env = checkEnvelope(json, kind, [1], fn);
  let params: R;
  try {
    params = make(env.params as P).params;
  } catch (e) {
    throw new SerializationError({ fn, arg: 'json.params', expected: `valid ${factory} parameters`, got: describeValue(env.params) }, { cause: e });
  }
  const state = stateObject(env.state, fn);
  return { params, state, columns: Object.freeze(readStringArray(state, 'columns', fn)) };
}

/** Reads the frozen `categories` of an encoder state (one string list per column). */
export function readCategories(state: Record<string, unknown>, columns: readonly string[], fn: string): CategoriesState {
  const categories = readStringMatrix(state, 'categories', fn, columns.length);
  return Object.freeze({ columns, categories: Object.freeze(categories.map((c) => Object.freeze(c))) });
}
