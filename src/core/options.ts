/**
 * Declarative option validation: one defaults object, one rule table, one resolver.
 *
 * @module
 */
import { InvalidOptionError, describeValue } from './errors';

/**
 * A rule checks a value and returns `undefined` when valid, or the expectation in words.
 *
 * @category Core
 */
export interface Rule {
  /** What a valid value looks like, e.g. `'an integer >= 1'`. */
  readonly expected: string;
  /** True when `v` is acceptable. */
  test(v: unknown): boolean;
}

function rule(expected: string, test: (v: unknown) => boolean): Rule {
  return Object.freeze({ expected, test });
}

function rangeText(min?: number, max?: number, exclusiveMin?: boolean): string {
  const parts: string[] = [];
  if (min !== undefined) parts.push(`${exclusiveMin === true ? '>' : '>='} ${min}`);
  if (max !== undefined) parts.push(`<= ${max}`);
  return parts.length > 0 ? ` ${parts.join(' and ')}` : '';
}

/**
 * Bounds for numeric rules.
 *
 * @category Core
 */
export interface Bounds {
  readonly min?: number;
  readonly max?: number;
  /** When true, `min` itself is not allowed. */
  readonly exclusiveMin?: boolean;
}

function inRange(n: number, b: Bounds): boolean {
  if (b.min !== undefined && (b.exclusiveMin === true ? n <= b.min : n < b.min)) return false;
  if (b.max !== undefined && n > b.max) return false;
  return true;
}

/**
 * Rule builders used by every options table in finml.
 *
 * @category Core
 */
export const rules = {
  /** A finite integer within bounds. */
  int: (b: Bounds = {}): Rule =>
    rule(`an integer${rangeText(b.min, b.max, b.exclusiveMin)}`, (v) => typeof v === 'number' && Number.isInteger(v) && inRange(v, b)),
  /** A finite number within bounds. */
  number: (b: Bounds = {}): Rule =>
    rule(`a finite number${rangeText(b.min, b.max, b.exclusiveMin)}`, (v) => typeof v === 'number' && Number.isFinite(v) && inRange(v, b)),
  /** A boolean. */
  boolean: (): Rule => rule('a boolean', (v) => typeof v === 'boolean'),
  /** A string. */
  string: (): Rule => rule('a string', (v) => typeof v === 'string'),
  /** One of the listed literal values. */
  oneOf: <T extends string | number | boolean | null>(values: readonly T[]): Rule =>
    rule(`one of ${values.map((x) => JSON.stringify(x)).join(', ')}`, (v) => values.includes(v as T)),
  /** An array of integers within bounds (optionally non-empty). */
  intArray: (b: Bounds & { readonly nonEmpty?: boolean } = {}): Rule =>
    rule(
      `${b.nonEmpty === true ? 'a non-empty' : 'an'} array of integers${rangeText(b.min, b.max, b.exclusiveMin)}`,
      (v) =>
        Array.isArray(v) &&
        (b.nonEmpty !== true || v.length > 0) &&
        v.every((x) => typeof x === 'number' && Number.isInteger(x) && inRange(x, b)),
    ),
  /** An array of finite numbers within bounds. */
  numberArray: (b: Bounds & { readonly nonEmpty?: boolean } = {}): Rule =>
    rule(
      `${b.nonEmpty === true ? 'a non-empty' : 'an'} array of finite numbers${rangeText(b.min, b.max, b.exclusiveMin)}`,
      (v) =>
        Array.isArray(v) &&
        (b.nonEmpty !== true || v.length > 0) &&
        v.every((x) => typeof x === 'number' && Number.isFinite(x) && inRange(x, b)),
    ),
  /** An array of strings. */
  stringArray: (): Rule => rule('an array of strings', (v) => Array.isArray(v) && v.every((x) => typeof x === 'string')),
  /** A function. */
  func: (): Rule => rule('a function', (v) => typeof v === 'function'),
  /** Either of two rules. */
  or: (a: Rule, b: Rule): Rule => rule(`${a.expected} or ${b.expected}`, (v) => a.test(v) || b.test(v)),
  /** `null` or the given rule. */
  nullable: (a: Rule): Rule => rule(`null or ${a.expected}`, (v) => v === null || a.test(v)),
  /** Anything (used for option values validated elsewhere, e.g. nested objects). */
  any: (): Rule => rule('any value', () => true),
  /** A custom predicate. */
  custom: (expected: string, test: (v: unknown) => boolean): Rule => rule(expected, test),
} as const;

/**
 * A rule for every key of `T`.
 *
 * @category Core
 */
export type RuleTable<T> = { readonly [K in keyof T]-?: Rule };

/**
 * Merges user options over defaults, rejecting unknown keys and invalid values with
 * {@link InvalidOptionError}. Returns a frozen object. Enumerable inherited options count like own
 * ones; an option set to `undefined` takes its default.
 *
 * @param fn - The public function name used in error messages.
 * @param given - The user's (partial) options, may be undefined.
 * @param defaults - The single source of default values.
 * @param table - One validation rule per key.
 *
 * @example
 * ```ts
 * import { resolveOptions, rules } from 'finml/extend';
 * const o = resolveOptions('earlyStopping', { patience: 3 }, { patience: 5, minDelta: 0 },
 *   { patience: rules.int({ min: 0 }), minDelta: rules.number({ min: 0 }) });
 * o.patience; //=> 3
 * ```
 *
 * @category Core
 */
export function resolveOptions<T extends object>(
  fn: string,
  given: Partial<T> | undefined,
  defaults: T,
  table: RuleTable<T>,
): Readonly<T> {
  if (given !== undefined && (given === null || typeof given !== 'object' || Array.isArray(given))) {
    throw new InvalidOptionError({ fn, arg: 'options', expected: 'an options object', got: describeValue(given) });
  }
  const out: Record<string, unknown> = { ...(defaults as Record<string, unknown>) };
  const known = new Set(Object.keys(table));
  // for...in, not Object.entries: an option inherited from a prototype (`Object.create(base)`) is
  // validated and used like an own one instead of being silently dropped.
  const entries: [string, unknown][] = [];
  for (const k in given ?? {}) entries.push([k, (given as Record<string, unknown>)[k]]);
  for (const [k, v] of entries) {
    if (!known.has(k)) {
      throw new InvalidOptionError({
        fn,
        arg: k,
        expected: `a known option (one of ${[...known].map((x) => `'${x}'`).join(', ')})`,
        got: 'an unknown option name',
      });
    }
    if (v === undefined) continue;
    out[k] = v;
  }
  for (const k of known) {
    const r = (table as Record<string, Rule>)[k];
    const v = out[k];
    if (r !== undefined && !r.test(v)) {
      throw new InvalidOptionError({ fn, arg: k, expected: r.expected, got: describeValue(v) });
    }
  }
  return Object.freeze(out) as Readonly<T>;
}

/**
 * Produces one value that a rule rejects, used by contract tests to check that every option is
 * validated.
 *
 * @param r - A validation rule.
 * @returns a value for which `r.test` is false (a fresh symbol if every candidate passes).
 * @example
 * ```ts
 * import { invalidValueFor, rules } from 'finml/extend';
 * invalidValueFor(rules.int({ min: 0 })); //=> NaN
 * ```
 * @category Core
 */
export function invalidValueFor(r: Rule): unknown {
  const candidates: unknown[] = [Number.NaN, -1e9, 1e12, 0.5, 'not-an-option', [], [Number.NaN], {}, null];
  for (const c of candidates) if (!r.test(c)) return c;
  return Symbol('invalid');
}
