/**
 * Column lookup by name.
 *
 * @module
 */
import { checkTable, findColumn } from './_internal/tableChecks';
import type { Column, Table } from './table';

/**
 * Returns the column called `name`.
 *
 * @param table - A Table.
 * @param name - Column name.
 * @returns The (frozen) column.
 * @throws {DataError} when no column has that name (the message lists the available names).
 * @example
 * ```ts
 * import { getColumn, createTable } from 'finml';
 * getColumn(createTable({ a: [1, 2] }), 'a').values; //=> Float64Array [1, 2]
 * ```
 * @category Data
 */
export function getColumn(table: Table, name: string): Column {
  return findColumn(checkTable(table, 'table', 'getColumn'), name, 'name', 'getColumn');
}
