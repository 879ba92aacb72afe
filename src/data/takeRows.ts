/**
 * Row selection by index (e.g. with the index sets of the splitters).
 *
 * @module
 */
import { DataError, describeValue } from '../core/errors';
import { checkTable, freezeTable } from './_internal/tableChecks';
import type { Column, Table } from './table';

/**
 * A new Table holding the rows at `indices`, in that order (repeats allowed).
 *
 * @param table - A Table.
 * @param indices - Row indices, e.g. the `train` set of {@link trainTestSplit}.
 * @returns The new Table (values copied).
 * @throws {DataError} for an index that is not an integer in [0, nRows).
 * @example
 * ```ts
 * import { createTable, takeRows } from 'finml';
 * const t = createTable({ a: [10, 20, 30] });
 * takeRows(t, Int32Array.from([2, 0])).columns[0]?.values; //=> Float64Array [30, 10]
 * ```
 * @category Data
 */
export function takeRows(table: Table, indices: ArrayLike<number>): Table {
  const fn = 'takeRows';
  const t = checkTable(table, 'table', fn);
  const n = indices.length;
  for (let i = 0; i < n; i++) {
    const r = indices[i] as number;
    if (!Number.isInteger(r) || r < 0 || r >= t.nRows) {
      throw new DataError({ fn, arg: 'indices', expected: `integers in [0, ${t.nRows})`, got: `${describeValue(r)} at position ${i}` });
    }
  }
  const cols: Column[] = t.columns.map((c) => {
    if (c.kind === 'numeric') {
      const v = new Float64Array(n);
      for (let i = 0; i < n; i++) v[i] = c.values[indices[i] as number] as number;
      return { kind: 'numeric', name: c.name, values: v };
    }
    const v = new Array<string | null>(n);
    for (let i = 0; i < n; i++) v[i] = c.values[indices[i] as number] as string | null;
    return { kind: 'categorical', name: c.name, values: Object.freeze(v) };
  });
  return freezeTable(n, cols);
}
