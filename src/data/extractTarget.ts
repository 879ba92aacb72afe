/**
 * Target extraction and label encoding.
 *
 * @module
 */
import { type RuleTable, resolveOptions, rules } from '../core/options';
import { DataError, describeValue } from '../core/errors';
import { checkTable, findColumn, freezeTable } from './_internal/tableChecks';
import { uniqueSorted } from '../core/_internal/stats';
import type { Table } from './table';

/**
 * Options of {@link extractTarget}.
 * @category Data
 */
export interface ExtractTargetOptions {
  /** `'binary'` → 0/1, `'multiclass'` → 0..K-1 (sorted classes), `'regression'` → the numbers. @defaultValue 'binary' */
  readonly task?: 'binary' | 'multiclass' | 'regression';
  /** Binary only: the label encoded as 1 (numbers compared as text). @defaultValue null (the larger of the two sorted labels) */
  readonly positive?: string | number | null;
}

/**
 * Result of {@link extractTarget}.
 * @category Data
 */
export interface ExtractedTarget {
  /** Encoded target, one value per row. */
  readonly y: Float64Array;
  /** Class labels by code (`classes[1]` is the positive class for binary); empty for regression. */
  readonly classes: readonly string[];
  /** The table without the target column. */
  readonly features: Table;
}

const EXTRACT_TARGET_DEFAULTS = { task: 'binary', positive: null } as const satisfies Required<ExtractTargetOptions>;
const RULES: RuleTable<Required<ExtractTargetOptions>> = {
  task: rules.oneOf(['binary', 'multiclass', 'regression'] as const),
  positive: rules.nullable(rules.or(rules.string(), rules.number())),
};

/**
 * Splits the target column off a Table and encodes it. Binary: the `positive` label → 1, the
 * other → 0 (e.g. `Class` "Good"/"Bad" with `positive: 'Bad'` for default prediction). Labels of a
 * numeric column are compared as text ("0", "1").
 *
 * @param table - A Table containing the target column.
 * @param column - The target column name.
 * @param options - {@link ExtractTargetOptions}.
 * @returns `{ y, classes, features }`.
 * @throws {DataError} missing column or target values, more (or fewer) than 2 classes for binary,
 *   a `positive` label that does not occur, a categorical column for regression.
 * @example
 * ```ts
 * import { createTable, extractTarget } from 'finml';
 * const t = createTable({ x: [1, 2, 3], Class: ['Good', 'Bad', 'Good'] });
 * const { y, classes } = extractTarget(t, 'Class', { positive: 'Bad' });
 * y;       //=> Float64Array [0, 1, 0]
 * classes; //=> ['Good', 'Bad']
 * ```
 * @category Data
 */
export function extractTarget(table: Table, column: string, options?: ExtractTargetOptions): ExtractedTarget {
  const fn = 'extractTarget';
  const o = resolveOptions<Required<ExtractTargetOptions>>(fn, options, EXTRACT_TARGET_DEFAULTS, RULES);
  const t = checkTable(table, 'table', fn);
  const c = findColumn(t, column, 'column', fn);
  const features = freezeTable(t.nRows, t.columns.filter((x) => x !== c));
  const y = new Float64Array(t.nRows);
  if (o.task === 'regression') {
    if (c.kind !== 'numeric') throw new DataError({ fn, arg: 'column', expected: 'a numeric column for regression', got: `categorical column ${JSON.stringify(column)}` });
    for (let i = 0; i < t.nRows; i++) {
      const v = c.values[i] as number;
      if (!Number.isFinite(v)) throw new DataError({ fn, arg: 'column', expected: 'finite target values', got: `${describeValue(v)} at row ${i}` });
      y[i] = v;
    }
    return Object.freeze({ y, classes: Object.freeze([]), features });
  }
  const labels: string[] = new Array<string>(t.nRows);
  for (let i = 0; i < t.nRows; i++) {
    const v = c.values[i] as number | string | null;
    if (v === null || (typeof v === 'number' && Number.isNaN(v))) {
      throw new DataError({ fn, arg: 'column', expected: 'no missing target values', got: `a missing value at row ${i}` });
    }
    labels[i] = String(v);
  }
  let classes = uniqueSorted(labels);
  if (o.task === 'binary') {
    const pos = o.positive === null ? null : String(o.positive);
    if (classes.length > 2) {
      throw new DataError({ fn, arg: 'column', expected: "at most 2 classes for task 'binary' (use task 'multiclass')", got: `${classes.length} classes: ${classes.map((x) => JSON.stringify(x)).join(', ')}` });
    }
    if (pos !== null) {
      if (classes.length === 2 && !classes.includes(pos)) {
        throw new DataError({ fn, arg: 'positive', expected: `one of ${classes.map((x) => JSON.stringify(x)).join(', ')}`, got: JSON.stringify(pos) });
      }
      const neg = classes.find((x) => x !== pos);
      if (neg === undefined) {
        throw new DataError({ fn, arg: 'column', expected: 'two classes, or one class plus a different positive label', got: `only ${JSON.stringify(pos)}` });
      }
      classes = [neg, pos];
    } else if (classes.length < 2) {
      throw new DataError({ fn, arg: 'column', expected: "2 classes for task 'binary' (or give 'positive')", got: `${classes.length} class(es)` });
    }
  }
  const code = new Map(classes.map((k, i) => [k, i] as const));
  for (let i = 0; i < t.nRows; i++) y[i] = code.get(labels[i] as string) as number;
  return Object.freeze({ y, classes: Object.freeze(classes), features });
}
