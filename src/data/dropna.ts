/**
 * Dropping rows with missing values.
 *
 * @module
 */
import { type RuleTable, resolveOptions, rules } from '../core/options';
import { ShapeError, describeValue } from '../core/errors';
import { checkTable, findColumn } from './_internal/tableChecks';
import { takeRows } from './takeRows';
import type { Column, Table } from './table';

/**
 * Options of {@link dropna}.
 * @category Data
 */
export interface DropnaOptions {
  /** Only look for missing values in these columns (Tables only). @defaultValue null (all columns) */
  readonly subset?: readonly string[] | null;
  /** Drop a row when `'any'` or when `'all'` of the inspected values are missing. @defaultValue 'any' */
  readonly how?: 'any' | 'all';
}

const DROPNA_DEFAULTS = { subset: null, how: 'any' } as const satisfies Required<DropnaOptions>;
const RULES: RuleTable<Required<DropnaOptions>> = { subset: rules.nullable(rules.stringArray()), how: rules.oneOf(['any', 'all'] as const) };

function isMissing(c: Column, i: number): boolean {
  return c.kind === 'numeric' ? Number.isNaN(c.values[i] as number) : c.values[i] === null;
}

/**
 * Removes rows with missing values (NaN in numeric columns, null in categorical ones; NaN in a
 * numeric matrix). Returns a new object; the input is never mutated.
 *
 * @param data - A Table, or a numeric matrix as nested arrays.
 * @param options - {@link DropnaOptions}.
 * @returns The rows without missing values, in the same form as `data`.
 * @throws {DataError} a subset name that is not a column. @throws {ShapeError} ragged matrix rows.
 * @example
 * ```ts
 * import { dropna, createTable } from 'finml';
 * dropna([[1, 2], [NaN, 3], [4, 5]]); //=> [[1, 2], [4, 5]]
 * dropna(createTable({ a: [1, NaN], s: ['x', 'y'] })).nRows; //=> 1
 * ```
 * @category Data
 */
export function dropna(data: Table, options?: DropnaOptions): Table;
export function dropna(data: readonly (readonly number[])[], options?: DropnaOptions): number[][];
export function dropna(data: Table | readonly (readonly number[])[], options?: DropnaOptions): Table | number[][] {
  const fn = 'dropna';
  const o = resolveOptions<Required<DropnaOptions>>(fn, options, DROPNA_DEFAULTS, RULES);
  if (Array.isArray(data)) {
    const rows = data as readonly (readonly number[])[];
    const w = rows[0]?.length ?? 0;
    return rows
      .filter((r, i) => {
        if (!Array.isArray(r) || r.length !== w) throw new ShapeError({ fn, arg: 'data', expected: `rows of equal length ${w}`, got: `row ${i} with ${describeValue(r)}` });
        const nMiss = r.filter((v) => Number.isNaN(v)).length;
        return o.how === 'any' ? nMiss === 0 : nMiss < w || w === 0;
      })
      .map((r) => r.slice());
  }
  const t = checkTable(data as Table, 'data', fn);
  const cols = o.subset === null ? t.columns : o.subset.map((n) => findColumn(t, n, 'subset', fn));
  const keep: number[] = [];
  for (let i = 0; i < t.nRows; i++) {
    let nMiss = 0;
    for (const c of cols) if (isMissing(c, i)) nMiss++;
    if (o.how === 'any' ? nMiss === 0 : nMiss < cols.length || cols.length === 0) keep.push(i);
  }
  return takeRows(t, keep);
}
