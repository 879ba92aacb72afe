/**
 * Column selection.
 *
 * @module
 */
import { checkTable, findColumn, freezeTable } from './_internal/tableChecks';
import type { Table } from './table';

/**
 * A new Table with only the named columns, in the given order (columns are shared, not copied:
 * they are immutable).
 *
 * @param table - A Table.
 * @param names - Column names to keep.
 * @returns The selected Table.
 * @throws {DataError} for a name that is not a column.
 * @example
 * ```ts
 * import { selectColumns, createTable } from 'finml';
 * selectColumns(createTable({ a: [1], b: [2], c: [3] }), ['c', 'a']).columns.map((c) => c.name); //=> ['c', 'a']
 * ```
 * @category Data
 */
export function selectColumns(table: Table, names: readonly string[]): Table {
  const t = checkTable(table, 'table', 'selectColumns');
  return freezeTable(t.nRows, names.map((n) => findColumn(t, n, 'names', 'selectColumns')));
}
