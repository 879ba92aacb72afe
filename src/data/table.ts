/**
 * Typed tabular data: what `readCsv` returns and what preprocessing consumes.
 *
 * @module
 */

/**
 * A numeric column; missing values are `NaN`.
 * @category Data
 */
export interface NumericColumn {
  readonly kind: 'numeric';
  readonly name: string;
  readonly values: Float64Array;
}

/**
 * A categorical (string) column; missing values are `null`.
 * @category Data
 */
export interface CategoricalColumn {
  readonly kind: 'categorical';
  readonly name: string;
  readonly values: readonly (string | null)[];
}

/**
 * One column of a {@link Table}.
 * @category Data
 */
export type Column = NumericColumn | CategoricalColumn;

/**
 * An immutable table of typed columns, all of length `nRows`.
 * @category Data
 */
export interface Table {
  readonly nRows: number;
  readonly columns: readonly Column[];
}

/**
 * A categorical input: rows of strings (null = missing) or a Table of categorical columns.
 * @category Data
 */
export type CategoricalInput = readonly (readonly (string | null)[])[] | Table;
