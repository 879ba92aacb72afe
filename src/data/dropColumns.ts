/**
 * Column removal.
 *
 * @module
 */
import { checkTable, findColumn, freezeTable } from './_internal/tableChecks';
import type { Table } from './table';

/**
 * A new Table without the named columns.
 *
 * @param table - A Table.
 * @param names - Column names to drop; each must exist.
 * @returns The remaining columns, in their original order.
 * @throws {DataError} for a name that is not a column.
 * @example
 * ```ts
 * import { dropColumns, createTable } from 'finml';
 * dropColumns(createTable({ a: [1], b: [2] }), ['a']).columns.map((c) => c.name); //=> ['b']
 * ```
 * @category Data
 */
export function dropColumns(table: Table, names: readonly string[]): Table {
  const t = checkTable(table, 'table', 'dropColumns');
  for (const n of names) findColumn(t, n, 'names', 'dropColumns');
  const drop = new Set(names);
  return freezeTable(t.nRows, t.columns.filter((c) => !drop.has(c.name)));
}
