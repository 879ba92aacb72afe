/** Private: turns tokenized CSV records into typed Table columns (shared by parseCsv and parseCsvStream). */
import { DataError, InvalidOptionError, describeValue } from '../core/errors';
import type { Column, Table } from '../data/table';
import type { CsvRecord } from './csvTokenizer';

/** Column kind of a CSV column. */
export type CsvColumnType = 'numeric' | 'categorical';

const NUMBER_RE = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/;

/** Parses a decimal number; undefined when `s` is not one. */
export function parseNumber(s: string): number | undefined {
  const t = s.trim();
  if (!NUMBER_RE.test(t)) return undefined;
  return Number(t);
}

/** Header handling: returns column names and the records holding data. */
export function headerNames(first: CsvRecord, header: boolean, columnNames: readonly string[] | null, fn: string): string[] {
  const names = columnNames !== null ? [...columnNames] : header ? first.fields.map((f) => f.trim()) : first.fields.map((_, j) => `x${j}`);
  if (columnNames !== null && columnNames.length !== first.fields.length) {
    throw new DataError({ fn, arg: 'columnNames', expected: `${first.fields.length} names (fields on line ${first.line})`, got: `${columnNames.length} names` });
  }
  const seen = new Set<string>();
  for (const n of names) {
    if (seen.has(n)) throw new DataError({ fn, arg: columnNames !== null ? 'columnNames' : 'header', expected: 'unique column names', got: `${JSON.stringify(n)} twice` });
    seen.add(n);
  }
  return names;
}

/** Checks that every key of `types` names a column. */
export function checkTypes(types: Readonly<Record<string, CsvColumnType>>, names: readonly string[], fn: string): void {
  for (const k of Object.keys(types)) {
    if (!names.includes(k)) {
      throw new InvalidOptionError({ fn, arg: 'types', expected: `keys that are column names (${names.map((n) => JSON.stringify(n)).join(', ')})`, got: JSON.stringify(k) });
    }
  }
}

/** Checks field counts and transposes records into raw string columns. */
export function transpose(records: readonly CsvRecord[], nCols: number, fn: string): string[][] {
  const cols: string[][] = Array.from({ length: nCols }, () => new Array<string>(records.length));
  for (let i = 0; i < records.length; i++) {
    const r = records[i] as CsvRecord;
    if (r.fields.length !== nCols) {
      throw new DataError({ fn, arg: 'text', expected: `${nCols} fields per row (as in the first row)`, got: `${r.fields.length} fields on line ${r.line}` });
    }
    for (let j = 0; j < nCols; j++) (cols[j] as string[])[i] = r.fields[j] as string;
  }
  return cols;
}

/** Infers column kinds: numeric when every non-missing value is a number (explicit `types` win). */
export function inferKinds(
  names: readonly string[],
  raw: readonly (readonly string[])[],
  types: Readonly<Record<string, CsvColumnType>>,
  missing: ReadonlySet<string>,
): CsvColumnType[] {
  return names.map((name, j) => {
    const declared = types[name];
    if (declared !== undefined) return declared;
    for (const v of raw[j] as readonly string[]) {
      if (!missing.has(v.trim()) && parseNumber(v) === undefined) return 'categorical';
    }
    return 'numeric';
  });
}

/** Builds typed columns; numeric columns must hold numbers or missing tokens. */
export function buildTable(
  names: readonly string[],
  kinds: readonly CsvColumnType[],
  raw: readonly (readonly string[])[],
  records: readonly CsvRecord[],
  missing: ReadonlySet<string>,
  fn: string,
): Table {
  const nRows = records.length;
  const columns: Column[] = names.map((name, j) => {
    const vals = raw[j] as readonly string[];
    if (kinds[j] === 'numeric') {
      const out = new Float64Array(nRows);
      for (let i = 0; i < nRows; i++) {
        const v = vals[i] as string;
        if (missing.has(v.trim())) {
          out[i] = Number.NaN;
          continue;
        }
        const x = parseNumber(v);
        if (x === undefined) {
          throw new DataError({
            fn,
            arg: 'text',
            expected: `a number or a missing token in numeric column ${JSON.stringify(name)} (declare it categorical in 'types' otherwise)`,
            got: `${describeValue(v)} on line ${(records[i] as CsvRecord).line}`,
          });
        }
        out[i] = x;
      }
      return Object.freeze({ kind: 'numeric' as const, name, values: out });
    }
    const out = new Array<string | null>(nRows);
    for (let i = 0; i < nRows; i++) {
      const v = vals[i] as string;
      out[i] = missing.has(v.trim()) ? null : v;
    }
    return Object.freeze({ kind: 'categorical' as const, name, values: Object.freeze(out) });
  });
  return Object.freeze({ nRows, columns: Object.freeze(columns) });
}
