/** Private: the options table of parseCsv / parseCsvStream / readCsv / streamCsv. */
import { type RuleTable, rules } from '../core/options';
import type { ParseCsvOptions } from '../data/parseCsv';
import type { CsvConfig } from './csvParser';

/** Defaults of parseCsv, shared with parseCsvStream. */
export const PARSE_CSV_DEFAULTS = {
  delimiter: ',',
  header: true,
  columnNames: null,
  types: {},
  missing: ['', 'NA', 'NaN', 'null'],
  maxStrayTokens: 3,
  strict: false,
  maxFieldBytes: 1048576,
  maxRowBytes: 16777216,
  encoding: 'utf-8',
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
  maxStrayTokens: rules.int({ min: 0 }),
  strict: rules.boolean(),
  maxFieldBytes: rules.int({ min: 1 }),
  maxRowBytes: rules.int({ min: 1 }),
  encoding: rules.oneOf(['utf-8', 'latin1']),
};

/** The parser settings of resolved options. */
export function csvConfig(fn: string, arg: string, o: Required<ParseCsvOptions>): CsvConfig {
  return {
    fn,
    arg,
    delimiter: o.delimiter,
    header: o.header,
    columnNames: o.columnNames,
    types: o.types,
    missing: o.missing,
    maxStrayTokens: o.maxStrayTokens,
    strict: o.strict,
    maxFieldBytes: o.maxFieldBytes,
    maxRowBytes: o.maxRowBytes,
    encoding: o.encoding,
  };
}
