/**
 * Private helper of src/explain/: resolves feature groups ("players") against a matrix width.
 *
 * @module
 */
import { InvalidOptionError, ShapeError, describeValue } from '../../core/errors';

/** A named set of columns treated as one feature (e.g. all one-hot columns of one variable). */
export interface PlayerGroupLike {
  readonly name: string;
  readonly columns: readonly number[];
}

/** Resolved players: column lists (sorted) and names, ordered by their first column. */
export interface Players {
  readonly columns: readonly (readonly number[])[];
  readonly names: readonly string[];
  /** Player index of each column. */
  readonly playerOfColumn: Int32Array;
}

/** Checks the shape of a `groups` option value (before the width is known). */
export function isGroupList(v: unknown): boolean {
  return (
    Array.isArray(v) &&
    v.every(
      (g) =>
        typeof g === 'object' &&
        g !== null &&
        typeof (g as PlayerGroupLike).name === 'string' &&
        Array.isArray((g as PlayerGroupLike).columns) &&
        (g as PlayerGroupLike).columns.length > 0 &&
        (g as PlayerGroupLike).columns.every((c) => typeof c === 'number' && Number.isInteger(c) && c >= 0),
    )
  );
}

/**
 * Builds the players for `cols` columns: each group is one player, every column not in a group is
 * its own player (named by `featureNames` or `x<j>`). Players are ordered by their first column.
 *
 * @throws {ShapeError} when a group column is out of range or featureNames has the wrong length.
 * @throws {InvalidOptionError} when a column belongs to two groups.
 */
export function resolvePlayers(
  cols: number,
  groups: readonly PlayerGroupLike[] | null,
  featureNames: readonly string[] | null,
  fn: string,
): Players {
  if (featureNames !== null && featureNames.length !== cols) {
    throw new ShapeError({ fn, arg: 'featureNames', expected: `${cols} names (one per column)`, got: describeValue(featureNames) });
  }
  const owner = new Int32Array(cols).fill(-1);
  const list: { name: string; columns: number[] }[] = [];
  for (const g of groups ?? []) {
    const columns = [...new Set(g.columns)].sort((a, b) => a - b);
    for (const c of columns) {
      if (c >= cols) {
        throw new ShapeError({ fn, arg: 'groups', expected: `column indices < ${cols}`, got: `column ${c} in group "${g.name}"` });
      }
      if ((owner[c] as number) >= 0) {
        throw new InvalidOptionError({ fn, arg: 'groups', expected: 'disjoint groups', got: `column ${c} in both "${list[owner[c] as number]?.name ?? ''}" and "${g.name}"` });
      }
      owner[c] = list.length;
    }
    list.push({ name: g.name, columns });
  }
  for (let c = 0; c < cols; c++) {
    if ((owner[c] as number) < 0) list.push({ name: featureNames?.[c] ?? `x${c}`, columns: [c] });
  }
  list.sort((a, b) => (a.columns[0] as number) - (b.columns[0] as number));
  const playerOfColumn = new Int32Array(cols);
  list.forEach((p, i) => {
    for (const c of p.columns) playerOfColumn[c] = i;
  });
  return { columns: list.map((p) => p.columns), names: list.map((p) => p.name), playerOfColumn };
}
