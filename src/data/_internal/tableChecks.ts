/** Private validation helpers for Table arguments. */
import { DataError, ShapeError, describeValue } from '../../core/errors';
import type { Column, Table } from '../table';

/** Checks that `t` looks like a Table (columns of length nRows, known kinds). */
export function checkTable(t: Table, arg: string, fn: string): Table {
  if (typeof t !== 'object' || t === null || !Array.isArray(t.columns) || typeof t.nRows !== 'number') {
    throw new ShapeError({ fn, arg, expected: 'a Table { nRows, columns }', got: describeValue(t) });
  }
  if (!Number.isSafeInteger(t.nRows) || t.nRows < 0) {
    throw new ShapeError({ fn, arg, expected: 'a Table whose nRows is an integer >= 0', got: `nRows ${describeValue(t.nRows)}` });
  }
  for (const c of t.columns) {
    if (typeof c !== 'object' || c === null) throw new ShapeError({ fn, arg, expected: 'column objects { kind, name, values }', got: describeValue(c) });
    const ok =
      (c.kind === 'numeric' && c.values instanceof Float64Array) || (c.kind === 'categorical' && Array.isArray(c.values));
    if (!ok) throw new ShapeError({ fn, arg, expected: "columns of kind 'numeric' (Float64Array) or 'categorical' (array)", got: `column ${describeValue((c as Column).name)}` });
    if (c.values.length !== t.nRows) {
      throw new ShapeError({ fn, arg, expected: `columns of length nRows = ${t.nRows}`, got: `column ${JSON.stringify(c.name)} of length ${c.values.length}` });
    }
  }
  return t;
}

/** Finds a column by name. @throws {DataError} naming the missing column and the available ones. */
export function findColumn(t: Table, name: string, arg: string, fn: string): Column {
  const c = t.columns.find((x) => x.name === name);
  if (c === undefined) {
    throw new DataError({
      fn,
      arg,
      expected: `a column name of the table (${t.columns.map((x) => JSON.stringify(x.name)).join(', ')})`,
      got: `${JSON.stringify(name)}, which is missing`,
    });
  }
  return c;
}

/** Builds a frozen table. */
export function freezeTable(nRows: number, columns: readonly Column[]): Table {
  return Object.freeze({ nRows, columns: Object.freeze(columns.map((c) => Object.freeze(c))) });
}
