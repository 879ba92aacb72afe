/**
 * Adverse-action style reason codes from Shapley values: the features that pushed one
 * applicant's score toward default, in plain words.
 *
 * @module
 */
import { DataError, InvalidOptionError, ShapeError, describeValue } from '../core/errors';
import { resolveOptions, rules, type RuleTable } from '../core/options';
import { isGroupList, resolvePlayers } from './_internal/explainPlayers';
import type { FeatureGroup } from './groupByPrefix';

/** One reason: a feature that raised the risk of the positive (default) class. @category Explain */
export interface ReasonCode {
  /** 1 for the strongest reason. */
  readonly rank: number;
  /** Index of the player (feature or group) in the Shapley values row. */
  readonly player: number;
  /** Feature or group name. */
  readonly name: string;
  /** The applicant's value of the feature in words (a one-hot group shows its active level), or null when unknown. */
  readonly value: string | null;
  /** How much the feature raised the risk (> 0), in the units of the Shapley values. */
  readonly contribution: number;
  /** The signed Shapley value as given. */
  readonly shapValue: number;
  /** A plain-words sentence, e.g. "CheckingAccountStatus = lt.0 raised the default risk by 0.12 (log-odds)". */
  readonly sentence: string;
}

/** Options of {@link reasonCodes}. @category Explain */
export interface ReasonCodeOptions {
  /** Name of each player (same length as the values row). Overrides names derived from `featureNames`/`groups`. @defaultValue null */
  readonly playerNames?: readonly string[] | null;
  /** Columns of each player, e.g. `explanation.playerColumns` (used to describe `x` values). @defaultValue null */
  readonly playerColumns?: readonly (readonly number[])[] | null;
  /** Column names; with `groups`, defines the players like the explainers do. @defaultValue null */
  readonly featureNames?: readonly string[] | null;
  /** Feature groups used when the values were computed. @defaultValue null */
  readonly groups?: readonly FeatureGroup[] | null;
  /** The applicant's row of column values, used to show each feature's value. @defaultValue null */
  readonly x?: readonly number[] | null;
  /** Explicit value text of each player (overrides `x`). @defaultValue null */
  readonly displayValues?: readonly (string | number | null)[] | null;
  /** Number of reasons returned (fewer when fewer features raised the risk). @defaultValue 4 */
  readonly topK?: number;
  /**
   * Sign convention: `'higher-is-riskier'` when the explained score is the probability (or
   * log-odds) of default, so positive values push toward default; `'lower-is-riskier'` when it is
   * a probability of repayment or a credit score.
   * @defaultValue 'higher-is-riskier'
   */
  readonly direction?: 'higher-is-riskier' | 'lower-is-riskier';
  /** Only contributions strictly greater than this are reasons. @defaultValue 0 */
  readonly minContribution?: number;
  /** Unit appended in parentheses, e.g. `'log-odds'`; null for none. @defaultValue null */
  readonly unit?: string | null;
  /** What the contributions raise, in words. @defaultValue 'the default risk' */
  readonly outcome?: string;
  /** Decimals shown for contributions and numeric values. @defaultValue 2 */
  readonly digits?: number;
  /** Custom sentence writer (receives the reason with the default sentence). @defaultValue null */
  readonly describe?: ((reason: ReasonCode) => string) | null;
}

const REASON_CODES_DEFAULTS = {
  playerNames: null,
  playerColumns: null,
  featureNames: null,
  groups: null,
  x: null,
  displayValues: null,
  topK: 4,
  direction: 'higher-is-riskier',
  minContribution: 0,
  unit: null,
  outcome: 'the default risk',
  digits: 2,
  describe: null,
} as const satisfies Required<ReasonCodeOptions>;

const RULES: RuleTable<Required<ReasonCodeOptions>> = {
  playerNames: rules.nullable(rules.stringArray()),
  playerColumns: rules.nullable(rules.custom('an array of integer column lists', (v) => Array.isArray(v) && v.every((c) => Array.isArray(c) && c.every((j) => Number.isInteger(j) && (j as number) >= 0)))),
  featureNames: rules.nullable(rules.stringArray()),
  groups: rules.nullable(rules.custom('an array of { name, columns } groups with non-empty integer column lists', isGroupList)),
  x: rules.nullable(rules.numberArray()),
  displayValues: rules.nullable(rules.custom('an array of strings, numbers or nulls', (v) => Array.isArray(v) && v.every((d) => d === null || typeof d === 'string' || (typeof d === 'number' && Number.isFinite(d))))),
  topK: rules.int({ min: 1 }),
  direction: rules.oneOf(['higher-is-riskier', 'lower-is-riskier']),
  minContribution: rules.number({ min: 0 }),
  unit: rules.nullable(rules.string()),
  outcome: rules.string(),
  digits: rules.int({ min: 0, max: 10 }),
  describe: rules.nullable(rules.func()),
};

function fmt(v: number, digits: number): string {
  return Number.isInteger(v) ? String(v) : v.toFixed(digits);
}

function describeGroupValue(cols: readonly number[], x: readonly number[], featureNames: readonly string[] | null, name: string, digits: number): string {
  if (cols.length === 1) return fmt(x[cols[0] as number] as number, digits);
  const hot = cols.filter((c) => x[c] === 1);
  const isOneHot = cols.every((c) => x[c] === 0 || x[c] === 1) && hot.length <= 1;
  if (isOneHot && featureNames !== null) {
    if (hot.length === 0) return 'none of the listed levels';
    const full = featureNames[hot[0] as number] as string;
    for (const sep of ['.', '_', '=', ':']) {
      if (full.startsWith(name + sep)) return full.slice(name.length + sep.length);
    }
    return full;
  }
  return cols.map((c) => `${featureNames?.[c] ?? `x${c}`}=${fmt(x[c] as number, digits)}`).join(', ');
}

/**
 * Turns one row of Shapley values into reason codes: the `topK` features that pushed this score
 * most toward default (positive class), strongest first, each with a sentence such as
 * "CheckingAccountStatus = lt.0 raised the default risk by 0.12 (log-odds)".
 *
 * @param values - One row of Shapley values (`explanation.values[i]`), one per player.
 * @param options - Player names (or featureNames/groups), the applicant's row `x`, `topK`, sign
 *   convention; see {@link ReasonCodeOptions}.
 * @returns the reasons, possibly fewer than `topK` (none when nothing raised the risk).
 * @throws {InvalidOptionError} for invalid options.
 * @throws {ShapeError} when names, columns, `x` or display values do not match the values row.
 * @throws {DataError} for non-finite values.
 * @example
 * ```ts
 * import { reasonCodes } from 'finml';
 * const r = reasonCodes([0.4, -0.2, 0.1], { playerNames: ['Duration', 'Age', 'Amount'], x: [48, 35, 9000], unit: 'log-odds', topK: 2 });
 * r.map((c) => c.sentence);
 * //=> ['Duration = 48 raised the default risk by 0.40 (log-odds)', 'Amount = 9000 raised the default risk by 0.10 (log-odds)']
 * ```
 * @category Explain
 */
export function reasonCodes(values: readonly number[], options?: ReasonCodeOptions): ReasonCode[] {
  const fn = 'reasonCodes';
  if (!Array.isArray(values) && !ArrayBuffer.isView(values)) {
    throw new ShapeError({ fn, arg: 'values', expected: 'one row of Shapley values (an array of numbers)', got: describeValue(values) });
  }
  const o = resolveOptions(fn, options, REASON_CODES_DEFAULTS, RULES);
  const m = values.length;
  for (let i = 0; i < m; i++) {
    if (typeof values[i] !== 'number' || !Number.isFinite(values[i])) {
      throw new DataError({ fn, arg: 'values', expected: 'finite numbers', got: `${describeValue(values[i])} at index ${i}` });
    }
  }
  let names: readonly string[];
  let columns: readonly (readonly number[])[] | null = o.playerColumns;
  if (o.featureNames !== null || o.groups !== null) {
    const width = o.featureNames?.length ?? o.x?.length;
    if (width === undefined) {
      throw new InvalidOptionError({ fn, arg: 'featureNames', expected: 'the column names (or x) when groups are given', got: 'null' });
    }
    const p = resolvePlayers(width, o.groups, o.featureNames, fn);
    names = p.names;
    columns ??= p.columns;
  } else {
    names = o.playerNames ?? Array.from({ length: m }, (_, i) => `x${i}`);
  }
  if (o.playerNames !== null) names = o.playerNames;
  if (names.length !== m) throw new ShapeError({ fn, arg: 'playerNames', expected: `${m} names (one per Shapley value)`, got: describeValue(names) });
  if (columns !== null && columns.length !== m) throw new ShapeError({ fn, arg: 'playerColumns', expected: `${m} column lists (one per Shapley value)`, got: describeValue(columns) });
  if (o.displayValues !== null && o.displayValues.length !== m) {
    throw new ShapeError({ fn, arg: 'displayValues', expected: `${m} values (one per Shapley value)`, got: describeValue(o.displayValues) });
  }
  const x = o.x;
  if (x !== null && columns === null && x.length !== m) {
    throw new ShapeError({ fn, arg: 'x', expected: `${m} values (one per player), or playerColumns/featureNames to map columns to players`, got: describeValue(x) });
  }
  if (x !== null && columns !== null) {
    const maxCol = Math.max(...columns.flat());
    if (maxCol >= x.length) throw new ShapeError({ fn, arg: 'x', expected: `at least ${maxCol + 1} column values`, got: describeValue(x) });
  }
  const sign = o.direction === 'higher-is-riskier' ? 1 : -1;
  const order = Array.from({ length: m }, (_, i) => i)
    .filter((i) => sign * (values[i] as number) > o.minContribution)
    .sort((a, b) => sign * (values[b] as number) - sign * (values[a] as number) || a - b)
    .slice(0, o.topK);
  return order.map((i, rank) => {
    const name = names[i] as string;
    let value: string | null = null;
    const dv = o.displayValues?.[i];
    if (dv !== undefined && dv !== null) value = typeof dv === 'number' ? fmt(dv, o.digits) : dv;
    else if (x !== null) value = describeGroupValue(columns?.[i] ?? [i], x, o.featureNames, name, o.digits);
    const contribution = sign * (values[i] as number);
    const sentence = `${value === null ? name : `${name} = ${value}`} raised ${o.outcome} by ${contribution.toFixed(o.digits)}${o.unit === null ? '' : ` (${o.unit})`}`;
    const base: ReasonCode = { rank: rank + 1, player: i, name, value, contribution, shapValue: values[i] as number, sentence };
    const custom = o.describe?.(base);
    if (custom !== undefined && typeof custom !== 'string') {
      throw new InvalidOptionError({ fn, arg: 'describe', expected: 'a function returning a string', got: describeValue(custom) });
    }
    return Object.freeze(custom === undefined ? base : { ...base, sentence: custom });
  });
}
