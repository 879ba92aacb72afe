/**
 * Batch scoring of CSV streams larger than memory with a risk model.
 *
 * @module
 */
import { type RuleTable, resolveOptions, rules } from '../core/options';
import { DataError, DisposedError, describeValue } from '../core/errors';
import { freezeTable } from '../data/_internal/tableChecks';
import { typedCsvBatches } from '../data/_internal/csvBatches';
import type { CsvSource } from '../data/parseCsvStream';
import type { Column, Table } from '../data/table';
import type { RiskModel } from './buildRiskModel';

/**
 * Options of {@link scoreCsvStream}.
 * @category Presets
 */
export interface ScoreCsvStreamOptions {
  /** Columns copied to the output as text, exactly as in the file (missing → null), e.g. an application id. @defaultValue [] */
  readonly idColumns?: readonly string[];
  /** Columns to ignore (they must be in the header and not be model inputs); other unused columns are ignored too, read as text so they can never fail a batch. @defaultValue [] */
  readonly drop?: readonly string[];
  /** Probability cut-off of the predicted label (`p >= threshold` → the positive label). Default: the model's own cut-off (`model.combiner.cutoff`, chosen out of fold), as `model.predict` uses. */
  readonly threshold?: number;
  /** Rows per batch: memory is proportional to it, not to the file. @defaultValue 10000 */
  readonly batchSize?: number;
  /** Field separator. @defaultValue ',' */
  readonly delimiter?: string;
  /** Tokens read as missing. @defaultValue ['', 'NA', 'NaN', 'null'] */
  readonly missing?: readonly string[];
}

/**
 * One scored batch of {@link scoreCsvStream}.
 * @category Presets
 */
export interface ScoredBatch {
  /** 0-based index, in the whole stream, of the batch's first data row. */
  readonly firstRow: number;
  /**
   * The id columns (categorical, as read), then `p_<positive>` (numeric: the probability of the
   * positive label, the PD) and `predicted_<target>` (categorical: the label at the threshold).
   */
  readonly table: Table;
}

const DEFAULTS = { idColumns: [], drop: [], threshold: 0.5, batchSize: 10000, delimiter: ',', missing: ['', 'NA', 'NaN', 'null'] } as const satisfies Required<ScoreCsvStreamOptions>;
const RULES: RuleTable<Required<ScoreCsvStreamOptions>> = {
  idColumns: rules.stringArray(),
  drop: rules.stringArray(),
  threshold: rules.number({ min: 0, max: 1 }),
  batchSize: rules.int({ min: 1 }),
  delimiter: rules.custom('a single character other than \'"\', CR or LF', (v) => typeof v === 'string' && v.length === 1 && !'"\r\n'.includes(v)),
  missing: rules.stringArray(),
};

/**
 * Scores a CSV stream with a {@link RiskModel}, batch by batch, at constant memory: only one
 * batch of rows (and its scores) is held at a time, whatever the length of the stream. Every
 * column's kind is fixed from the header before the first batch (the model's numeric and
 * categorical inputs as the model was fitted, everything else as text), so a late batch cannot
 * change a column's kind. Yields one {@link ScoredBatch} per batch, in order; the scores equal
 * `model.score` on the whole file.
 *
 * @param model - A fitted (not disposed) risk model; it is not disposed here.
 * @param source - A Node readable stream (`fs.createReadStream`), any `AsyncIterable<string | Uint8Array>`, or a web `ReadableStream`; the CSV needs a header row.
 * @param options - {@link ScoreCsvStreamOptions}.
 * @returns An async generator of scored batches (none for a header-only stream).
 * @throws {DataError} a header without the model's input columns or an id column, malformed CSV
 *   (with its line), a value the model cannot score (e.g. an unseen category), or output column
 *   names that clash with an id column.
 * @throws {InvalidOptionError} invalid options, or `drop` naming an absent, input or id column.
 * @throws {DisposedError} the model is disposed.
 * @example
 * ```ts
 * import { buildRiskModel, createTable, scoreCsvStream } from 'finml';
 * const train = createTable({ x: [1, 2, 3, 4, 5, 6, 7, 8], Class: ['Good', 'Good', 'Good', 'Bad', 'Good', 'Bad', 'Bad', 'Bad'] });
 * const model = await buildRiskModel(train, { target: 'Class', members: 1, epochs: 5 });
 * async function* csv() { yield 'id,x,note\n'; yield 'a1,2,hello\na2,7,\n'; }
 * for await (const { firstRow, table } of scoreCsvStream(model, csv(), { idColumns: ['id'], batchSize: 1 })) {
 *   console.log(firstRow, table.columns.map((c) => c.name)); // 0 ['id', 'p_Bad', 'predicted_Class'], then 1 …
 * }
 * model.dispose();
 * ```
 * @category Presets
 */
export async function* scoreCsvStream(model: RiskModel, source: CsvSource, options?: ScoreCsvStreamOptions): AsyncGenerator<ScoredBatch, void, undefined> {
  const fn = 'scoreCsvStream';
  const o = resolveOptions<Required<ScoreCsvStreamOptions>>(fn, options, DEFAULTS, RULES);
  if (typeof model !== 'object' || model === null || (model as { kind?: unknown }).kind !== 'RiskModel') {
    throw new DataError({ fn, arg: 'model', expected: 'a RiskModel (buildRiskModel, loadRiskModel)', got: describeValue(model) });
  }
  if (model.members.some((m) => m.isDisposed)) throw new DisposedError(fn, 'risk model');
  const threshold = options?.threshold === undefined ? model.combiner.cutoff : o.threshold;
  const positive = model.classes[1] as string;
  const negative = model.classes[0] as string;
  const pName = `p_${positive}`;
  const yName = `predicted_${model.params.target}`;
  const clash = o.idColumns.find((c) => c === pName || c === yName);
  if (clash !== undefined) throw new DataError({ fn, arg: 'idColumns', expected: `names other than the output columns '${pName}' and '${yName}'`, got: JSON.stringify(clash) });
  const { numericColumns, categoricalColumns } = model.pipeline.state;
  const batches = typedCsvBatches(
    source,
    { numeric: numericColumns, categorical: categoricalColumns, ids: o.idColumns, drop: o.drop, batchSize: o.batchSize, delimiter: o.delimiter, missing: o.missing },
    fn,
  );
  let firstRow = 0;
  for await (const batch of batches) {
    if (batch.nRows === 0) continue;
    const pd = model.score(batch);
    const labels = Array.from(pd, (p) => (p >= threshold ? positive : negative));
    const ids = o.idColumns.map((name) => batch.columns.find((c) => c.name === name) as Column);
    const columns: Column[] = [...ids, { kind: 'numeric', name: pName, values: pd }, { kind: 'categorical', name: yName, values: Object.freeze(labels) }];
    yield { firstRow, table: freezeTable(batch.nRows, columns) };
    firstRow += batch.nRows;
  }
}
