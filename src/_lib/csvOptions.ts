/** Private: the options table of parseCsv / parseCsvStream. */
import { type RuleTable, rules } from '../core/options';
import type { ParseCsvOptions } from '../data/parseCsv';

/** Defaults of parseCsv, shared with parseCsvStream. */
export const PARSE_CSV_DEFAULTS = {
  delimiter: ',',
  header: true,
  columnNames: null,
  types: {},
  missing: ['', 'NA', 'NaN', 'null'],
} as const satisfies Required<ParseCsvOptions>;

/** Option rules of parseCsv, shared with parseCsvStream. */
export const PARSE_CSV_RULES: RuleTable<Required<ParseCsvOptions>> = {
  delimiter: rules.custom('a single character other than \'"\', CR or LF', (v) => typeof v === 'string' && v.length === 1 && !'"\r\n'.includes(v)),
  header: rules.boolean(),
  columnNames: rules.nullable(rules.stringArray()),
  types: rules.custom(
    "an object mapping column names to 'numeric' or 'categorical'",
    (v) => typeof v === 'object' && v !== null && !Array.isArray(v) && Object.values(v).every((t) => t === 'numeric' || t === 'categorical'),
  ),
  missing: rules.stringArray(),
};
