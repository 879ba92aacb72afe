/**
 * A credit-risk model report a risk team can sign: model card, discrimination, quantile-binned
 * calibration with counts, the chosen cut-off (confusion matrix, approval and bad rates), score
 * bands with gains and lift, population stability of the score and of each input, a coloured SHAP
 * summary and per-group metrics for protected attributes.
 *
 * @module
 */
import { DataError, ShapeError, describeValue } from '../core/errors';
import { resolveOptions, rules } from '../core/options';
import type { Column, Table } from '../data/table';
import { brierScore, calibrationCurve, gini, ksStatistic, logLoss, psiTable, rocAuc, rocCurve } from '../metrics/index';
import type { MetricInput } from '../metrics/types';
import { searchLeft } from '../metrics/_internal/metricInputs';
import { quantileSorted } from '../core/_internal/stats';
import { fmtValue } from './_internal/svg';
import { calibrationPlot } from './calibrationPlot';
import { modelReport, type ReportCell, type ReportMetric, type ReportPlot, type ReportSection } from './modelReport';
import { rocCurvePlot } from './rocCurvePlot';
import { shapSummaryPlot } from './shapSummaryPlot';

/**
 * A protected (or monitoring) attribute for the per-group table of {@link riskReport}: one value
 * per held-out row (`null`: unknown, shown as its own group).
 *
 * @category Report
 */
export interface RiskReportGroup {
  /** Attribute name, e.g. `'age band'`. */
  readonly name: string;
  /** The attribute's value for each held-out row. */
  readonly values: readonly (string | null)[];
}

/**
 * The numbers {@link riskReport} is computed from. Only `yTrue` and `pd` are required.
 *
 * @category Report
 */
export interface RiskReportData {
  /** Held-out outcomes, 1 = the modelled (bad) outcome, 0 = good. */
  readonly yTrue: MetricInput;
  /** Held-out predicted probabilities of the bad outcome (PD), in [0, 1]. */
  readonly pd: MetricInput;
  /** PDs of the training rows (or of the development sample): the reference of the score PSI. */
  readonly trainPd?: MetricInput;
  /** Input columns of the training rows: the reference of the per-input PSI. */
  readonly trainInputs?: Table;
  /** Input columns of the held-out (or new) rows, compared column by column with `trainInputs`. */
  readonly testInputs?: Table;
  /** SHAP values of explained held-out rows, with feature values for the colours (`null`: categorical or missing, grey). */
  readonly shap?: {
    readonly values: readonly (readonly number[])[];
    readonly featureValues?: readonly (readonly (number | null)[])[];
    readonly featureNames: readonly string[];
    /** What the SHAP values are in, e.g. `'log-odds of Bad'`. */
    readonly unit?: string;
  };
  /** Protected attributes for the per-group metrics, one value per held-out row. */
  readonly groups?: readonly RiskReportGroup[];
}

/**
 * The model-card section of {@link riskReport}. Fields left out are shown as "not stated", so a
 * reviewer sees the gap.
 *
 * @category Report
 */
export interface ModelCard {
  /** Where the data come from, period, population and sampling. */
  readonly data?: string;
  /** The decision the model supports and for whom. */
  readonly intendedUse?: string;
  /** Known limitations and uses that are out of scope. */
  readonly limitations?: readonly string[];
  /** Model version. */
  readonly version?: string;
  /** Owner or contact. */
  readonly owner?: string;
  /** How the model was built (algorithm, preprocessing, validation scheme). */
  readonly method?: string;
}

/**
 * Options of {@link riskReport}.
 *
 * @category Report
 */
export interface RiskReportOptions {
  /** Report heading. @defaultValue `'Credit risk model report'` */
  readonly title?: string;
  /** Name of the modelled (bad) outcome, used in the wording. @defaultValue `'bad'` */
  readonly positive?: string;
  /** PD cut-off: rows with PD ≥ cut-off are declined, the others approved. @defaultValue 0.5 */
  readonly cutoff?: number;
  /** Number of score bands (quantiles of the held-out PD, highest risk first). @defaultValue 10 */
  readonly bands?: number;
  /** Number of quantile bins of the calibration table and plot. @defaultValue 10 */
  readonly calibrationBins?: number;
  /** PSI bins (quantiles of the reference sample) for the score and numeric inputs. @defaultValue 10 */
  readonly psiBins?: number;
  /** Model card. @defaultValue `{}` */
  readonly modelCard?: ModelCard;
  /** Training seed. @defaultValue `null` */
  readonly seed?: number | null;
  /** tfjs backend the model ran on. @defaultValue `null` */
  readonly backend?: string | null;
  /** Timestamp shown in the header (none by default, so equal inputs give equal HTML). @defaultValue `null` */
  readonly generatedAt?: string | null;
  /** Further metrics shown after the held-out ones (e.g. validation metrics). @defaultValue `[]` */
  readonly metrics?: readonly ReportMetric[];
  /** Further figures (e.g. training curves), shown last. @defaultValue `[]` */
  readonly plots?: readonly ReportPlot[];
  /** Free-text notes. @defaultValue `[]` */
  readonly notes?: readonly string[];
}

const DEFAULTS = {
  title: 'Credit risk model report',
  positive: 'bad',
  cutoff: 0.5,
  bands: 10,
  calibrationBins: 10,
  psiBins: 10,
  modelCard: {},
  seed: null,
  backend: null,
  generatedAt: null,
  metrics: [],
  plots: [],
  notes: [],
} as const satisfies Required<RiskReportOptions>;

const isObj = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const CARD_KEYS = ['data', 'intendedUse', 'limitations', 'version', 'owner', 'method'];

const RULES = {
  title: rules.string(),
  positive: rules.string(),
  cutoff: rules.number({ min: 0, max: 1 }),
  bands: rules.int({ min: 2, max: 100 }),
  calibrationBins: rules.int({ min: 2, max: 100 }),
  psiBins: rules.int({ min: 2, max: 100 }),
  modelCard: rules.custom('an object { data?, intendedUse?, limitations?: string[], version?, owner?, method? } of strings', (v) =>
    isObj(v) &&
    Object.keys(v).every((k) => CARD_KEYS.includes(k)) &&
    Object.entries(v).every(([k, x]) => (k === 'limitations' ? Array.isArray(x) && x.every((s: unknown) => typeof s === 'string') : x === undefined || typeof x === 'string')),
  ),
  seed: rules.nullable(rules.int()),
  backend: rules.nullable(rules.string()),
  generatedAt: rules.nullable(rules.string()),
  metrics: rules.custom('an array of { name: string, value: number | string }', (v) => Array.isArray(v) && v.every((m: unknown) => isObj(m) && typeof m.name === 'string' && (typeof m.value === 'number' || typeof m.value === 'string'))),
  plots: rules.custom('an array of { title, svg, caption? }', (v) => Array.isArray(v) && v.every((p: unknown) => isObj(p) && typeof p.title === 'string' && typeof p.svg === 'string')),
  notes: rules.stringArray(),
};

/** PSI rule of thumb: < 0.1 stable, 0.1–0.25 some shift (watch), ≥ 0.25 major shift (investigate). */
function psiFlag(value: number): ReportCell {
  return { value: value < 0.1 ? 'stable' : value < 0.25 ? 'some shift' : 'major shift', flag: value < 0.1 ? 'ok' : value < 0.25 ? 'warn' : 'alert' };
}

const pct = (x: number): string => (Number.isFinite(x) ? `${(100 * x).toFixed(1)}%` : '–');
const num = (x: number, d = 4): string => (Number.isFinite(x) ? fmtValue(x, d) : '–');

function toArray(v: MetricInput, fn: string, arg: string): Float64Array {
  if (v instanceof Float64Array) return v;
  if (Array.isArray(v) || ArrayBuffer.isView(v)) return Float64Array.from(v as ArrayLike<number>);
  throw new DataError({ fn, arg, expected: 'an array of numbers', got: describeValue(v) });
}

const PSI_EPSILON = 1e-4;

function psiFromCounts(ce: readonly number[], ca: readonly number[]): number {
  const te = ce.reduce((a, b) => a + b, 0);
  const ta = ca.reduce((a, b) => a + b, 0);
  let s = 0;
  for (let b = 0; b < ce.length; b++) {
    const es = (ce[b] as number) === 0 ? PSI_EPSILON : (ce[b] as number) / te;
    const as = (ca[b] as number) === 0 ? PSI_EPSILON : (ca[b] as number) / ta;
    s += (as - es) * Math.log(as / es);
  }
  return s;
}

/**
 * PSI of one input column between a reference and a comparison sample: numeric columns in
 * quantile bins of the reference (like {@link psiTable}) plus a bin for missing values (NaN);
 * categorical columns by category, with missing (`null`) as its own category. Empty shares are
 * replaced by 1e-4, as in {@link psiTable}.
 */
function columnPsi(e: Column, a: Column, bins: number): { psi: number; bins: number; missingShift: number } {
  if (e.kind === 'numeric' && a.kind === 'numeric') {
    const present = Float64Array.from(e.values.filter((v) => !Number.isNaN(v))).sort();
    const cuts: number[] = [];
    for (let i = 1; i < bins && present.length > 0; i++) {
      const q = quantileSorted(present, i / bins);
      if (cuts.length === 0 || q > (cuts[cuts.length - 1] as number)) cuts.push(q);
    }
    const k = cuts.length + 1;
    const ce = new Array<number>(k + 1).fill(0);
    const ca = new Array<number>(k + 1).fill(0);
    const add = (c: number[], v: number): void => {
      c[Number.isNaN(v) ? k : searchLeft(cuts, v)]! += 1;
    };
    e.values.forEach((v) => add(ce, v));
    a.values.forEach((v) => add(ca, v));
    const used = ce[k] === 0 && ca[k] === 0 ? [ce.slice(0, k), ca.slice(0, k)] : [ce, ca];
    return { psi: psiFromCounts(used[0] as number[], used[1] as number[]), bins: (used[0] as number[]).length, missingShift: (ca[k] as number) / a.values.length - (ce[k] as number) / e.values.length };
  }
  const key = (v: unknown): string => (v === null || (typeof v === 'number' && Number.isNaN(v)) ? '\u0000missing' : String(v));
  const cats = new Map<string, [number, number]>();
  for (const v of e.values) {
    const c = cats.get(key(v)) ?? [0, 0];
    c[0]++;
    cats.set(key(v), c);
  }
  for (const v of a.values) {
    const c = cats.get(key(v)) ?? [0, 0];
    c[1]++;
    cats.set(key(v), c);
  }
  const ce = [...cats.values()].map((c) => c[0]);
  const ca = [...cats.values()].map((c) => c[1]);
  const m = cats.get('\u0000missing') ?? [0, 0];
  return { psi: psiFromCounts(ce, ca), bins: cats.size, missingShift: m[1] / a.values.length - m[0] / e.values.length };
}

interface Counts {
  n: number;
  bads: number;
  approved: number;
  approvedBads: number;
}

function counts(y: Float64Array, p: Float64Array, cutoff: number, idx: readonly number[]): Counts {
  const c: Counts = { n: idx.length, bads: 0, approved: 0, approvedBads: 0 };
  for (const i of idx) {
    const bad = (y[i] as number) === 1;
    if (bad) c.bads++;
    if ((p[i] as number) < cutoff) {
      c.approved++;
      if (bad) c.approvedBads++;
    }
  }
  return c;
}

/**
 * Builds a self-contained HTML credit-risk report (through {@link modelReport}: script-free by
 * construction, with a Content-Security-Policy) from held-out outcomes and PDs, with the sections
 * a model-risk review asks for:
 * - **Model card**: data, intended use, limitations, method, version, owner, seed, backend;
 * - **Discrimination**: AUC, Gini, KS, Brier score, log loss, bad rate vs mean PD, ROC curve;
 * - **Calibration**: quantile bins of the PD (about equally many rows each, so a low default rate
 *   does not put every row in one bin) with counts, mean PD, observed bad rate; reliability diagram;
 * - **Cut-off**: confusion matrix (declined = PD ≥ cut-off), approval rate, bad rate among the
 *   approved and the declined, share of bads caught;
 * - **Score bands**: PD quantile bands, highest risk first, with rows, bads, bad rate, cumulative
 *   share of rows and of bads (gains), lift and cumulative lift;
 * - **Population stability**: PSI of the score (training vs held-out PDs) and of each input column
 *   (numeric: quantile bins plus a missing bin; categorical: categories plus missing), flagged
 *   stable (< 0.1), some shift (0.1–0.25) or major shift (≥ 0.25);
 * - **Explanations**: SHAP summary coloured by feature value, and mean |SHAP| per feature;
 * - **Per-group metrics** for each protected attribute: rows, bad rate, mean PD, AUC, approval rate
 *   and bad rate among the approved per group;
 * - further metrics, figures and notes.
 * The report prints no file paths other than what the caller writes into the text.
 * Deterministic: equal inputs give an identical string.
 *
 * @param data - Held-out outcomes and PDs, and optionally training PDs, input tables, SHAP values and groups.
 * @param options - Title, cut-off, number of bands and bins, model card, further metrics/figures (see {@link RiskReportOptions}).
 * @returns A complete HTML document string.
 * @throws {DataError} labels other than 0/1, PDs outside [0, 1] or not finite, one class only, input tables with different columns, or an unsafe figure.
 * @throws {ShapeError} `yTrue`, `pd`, group values or SHAP rows of different lengths.
 * @throws {InvalidOptionError} unknown or invalid options.
 * @example
 * ```ts
 * import { riskReport } from 'finml';
 * const html = riskReport(
 *   { yTrue: [0, 0, 1, 0, 1, 0, 0, 1], pd: [0.1, 0.2, 0.7, 0.3, 0.6, 0.05, 0.4, 0.9], trainPd: [0.1, 0.3, 0.5, 0.7] },
 *   { cutoff: 0.5, bands: 4, calibrationBins: 2, modelCard: { intendedUse: 'Retail loan applications' } },
 * );
 * html.includes('Score bands'); //=> true
 * ```
 * @category Report
 */
export function riskReport(data: RiskReportData, options?: RiskReportOptions): string {
  const fn = 'riskReport';
  const o = resolveOptions<RiskReportOptions>(fn, options, DEFAULTS, RULES) as Required<RiskReportOptions>;
  if (!isObj(data)) throw new DataError({ fn, arg: 'data', expected: 'an object { yTrue, pd, ... }', got: describeValue(data) });
  const y = toArray(data.yTrue, fn, 'data.yTrue');
  const p = toArray(data.pd, fn, 'data.pd');
  if (y.length !== p.length) throw new ShapeError({ fn, arg: 'data.pd', expected: `${y.length} values (as data.yTrue)`, got: `${p.length} values` });
  y.forEach((v, i) => {
    if (v !== 0 && v !== 1) throw new DataError({ fn, arg: 'data.yTrue', expected: 'labels 0 (good) or 1 (bad)', got: `${v} at index ${i}` });
  });
  p.forEach((v, i) => {
    if (!(v >= 0 && v <= 1)) throw new DataError({ fn, arg: 'data.pd', expected: 'probabilities in [0, 1]', got: `${v} at index ${i}` });
  });
  const nBad = y.reduce((a, b) => a + b, 0);
  if (nBad === 0 || nBad === y.length) throw new DataError({ fn, arg: 'data.yTrue', expected: 'both outcomes (good and bad) among the held-out rows', got: `${nBad} bad of ${y.length}` });
  const n = y.length;
  const bad = o.positive;
  const all = Array.from({ length: n }, (_, i) => i);
  const sections: ReportSection[] = [];

  // Model card
  const card = o.modelCard;
  const stated = (v: string | undefined): string => (v === undefined || v.trim() === '' ? 'not stated' : v);
  sections.push({
    title: 'Model card',
    definitions: [
      ['Model', o.title],
      ['Version', stated(card.version)],
      ['Owner', stated(card.owner)],
      ['Intended use', stated(card.intendedUse)],
      ['Data', stated(card.data)],
      ['Method', stated(card.method)],
      ['Seed', o.seed === null ? 'not stated' : String(o.seed)],
      ['Backend', o.backend ?? 'not stated'],
      ['Outcome', `PD = probability of '${bad}'; ${n} held-out rows, ${nBad} ${bad} (${pct(nBad / n)})`],
    ],
    ...(card.limitations !== undefined && card.limitations.length > 0
      ? { tables: [{ caption: 'Limitations', columns: ['#', 'Limitation'], rows: card.limitations.map((l, i) => [String(i + 1), l]) }] }
      : { paragraphs: ['Limitations: not stated.'] }),
  });

  // Discrimination
  const ks = ksStatistic(y, p);
  const meanPd = p.reduce((a, b) => a + b, 0) / n;
  const disc: ReportCell[][] = [
    ['AUC', rocAuc(y, p)],
    ['Gini', gini(y, p)],
    ['KS', ks.statistic],
    ['Brier score', brierScore(y, p)],
    ['Log loss', logLoss(y, p)],
    ['Rows', n],
    [`Observed ${bad} rate`, nBad / n],
    ['Mean PD', meanPd],
    ...o.metrics.map((m): ReportCell[] => [m.name, m.value]),
  ];
  sections.push({
    title: 'Discrimination (held-out rows)',
    tables: [{ columns: ['Metric', 'Value'], rows: disc }],
    plots: [{ title: 'ROC curve', svg: rocCurvePlot({ ...rocCurve(y, p), label: `held-out (${n} rows)` }) }],
  });

  // Calibration: quantile bins
  const cal = calibrationCurve(y, p, { nBins: o.calibrationBins, strategy: 'quantile' });
  sections.push({
    title: 'Calibration (quantile bins of the PD)',
    paragraphs: [`Held-out rows in ${cal.counts.length} bins with about equally many rows each (edges at quantiles of the PD). A calibrated model has mean PD ≈ observed ${bad} rate in every bin.`],
    tables: [
      {
        columns: ['Bin', 'Rows', 'Mean PD', `Observed ${bad} rate`, `${bad} count`],
        rows: cal.counts.map((c, i) => [String(i + 1), c, cal.probPred[i] as number, cal.probTrue[i] as number, Math.round(c * (cal.probTrue[i] as number))]),
      },
    ],
    plots: [{ title: 'Reliability diagram (quantile bins)', svg: calibrationPlot(cal, { label: 'held-out' }) }],
  });

  // Cut-off
  const c = counts(y, p, o.cutoff, all);
  const declined = n - c.approved;
  const declinedBads = c.bads - c.approvedBads;
  sections.push({
    title: `Decision at PD cut-off ${fmtValue(o.cutoff, 4)}`,
    paragraphs: [`Rows with PD ≥ ${fmtValue(o.cutoff, 4)} are declined, the others approved.`],
    tables: [
      {
        caption: 'Confusion matrix (held-out rows)',
        columns: ['Actual \\ decision', 'Declined', 'Approved', 'Total'],
        rows: [
          [`${bad}`, declinedBads, c.approvedBads, c.bads],
          [`not ${bad}`, declined - declinedBads, c.approved - c.approvedBads, n - c.bads],
          ['Total', declined, c.approved, n],
        ],
      },
      {
        caption: 'Rates at the cut-off',
        columns: ['Rate', 'Value'],
        rows: [
          ['Approval rate', pct(c.approved / n)],
          [`${bad} rate among approved`, c.approved === 0 ? '–' : pct(c.approvedBads / c.approved)],
          [`${bad} rate among declined`, declined === 0 ? '–' : pct(declinedBads / declined)],
          [`Share of ${bad} declined (recall)`, pct(declinedBads / c.bads)],
          [`Share of declined that are ${bad} (precision)`, declined === 0 ? '–' : pct(declinedBads / declined)],
        ],
      },
    ],
  });

  // Score bands (gains / lift), highest PD first
  const sortedPd = Float64Array.from(p).sort();
  const edges: number[] = [];
  for (let i = 1; i < o.bands; i++) {
    const q = quantileSorted(sortedPd, i / o.bands);
    if (edges.length === 0 || q > (edges[edges.length - 1] as number)) edges.push(q);
  }
  const nb = edges.length + 1;
  const bandRows = new Array<number>(nb).fill(0);
  const bandBads = new Array<number>(nb).fill(0);
  const bandMin = new Array<number>(nb).fill(Infinity);
  const bandMax = new Array<number>(nb).fill(-Infinity);
  for (let i = 0; i < n; i++) {
    const b = searchLeft(edges, p[i] as number);
    bandRows[b]!++;
    bandBads[b]! += y[i] as number;
    bandMin[b] = Math.min(bandMin[b] as number, p[i] as number);
    bandMax[b] = Math.max(bandMax[b] as number, p[i] as number);
  }
  const rate = nBad / n;
  let cumRows = 0;
  let cumBads = 0;
  const bandTable: ReportCell[][] = [];
  let k = 0;
  for (let b = nb - 1; b >= 0; b--) {
    if (bandRows[b] === 0) continue;
    k++;
    cumRows += bandRows[b] as number;
    cumBads += bandBads[b] as number;
    const br = (bandBads[b] as number) / (bandRows[b] as number);
    bandTable.push([
      String(k),
      `${num(bandMin[b] as number)} – ${num(bandMax[b] as number)}`,
      bandRows[b] as number,
      bandBads[b] as number,
      pct(br),
      pct(cumRows / n),
      pct(cumBads / nBad),
      br / rate,
      cumBads / cumRows / rate,
    ]);
  }
  sections.push({
    title: 'Score bands (gains and lift)',
    paragraphs: [`Held-out rows in ${k} bands at quantiles of the PD, highest risk first. Cumulative capture = share of all ${bad} rows in this band and the riskier ones; lift = band ${bad} rate / overall ${bad} rate (${pct(rate)}).`],
    tables: [{ columns: ['Band', 'PD range', 'Rows', bad, `${bad} rate`, 'Cum. rows', `Cum. ${bad} captured`, 'Lift', 'Cum. lift'], rows: bandTable }],
  });

  // Population stability
  const psiRows: ReportCell[][] = [];
  if (data.trainPd !== undefined) {
    const t = psiTable(toArray(data.trainPd, fn, 'data.trainPd'), p, { bins: o.psiBins });
    psiRows.push(['Score (PD)', t.psi, psiFlag(t.psi), t.bins.length, '–']);
  }
  if ((data.trainInputs === undefined) !== (data.testInputs === undefined)) {
    throw new DataError({ fn, arg: data.trainInputs === undefined ? 'data.trainInputs' : 'data.testInputs', expected: 'both data.trainInputs and data.testInputs, or neither', got: 'only one of them' });
  }
  if (data.trainInputs !== undefined && data.testInputs !== undefined) {
    const tr = data.trainInputs;
    const te = data.testInputs;
    for (const col of tr.columns) {
      const other = te.columns.find((x) => x.name === col.name);
      if (other === undefined || other.kind !== col.kind) {
        throw new DataError({ fn, arg: 'data.testInputs', expected: `a ${col.kind} column '${col.name}' (as in data.trainInputs)`, got: other === undefined ? 'no such column' : `a ${other.kind} column` });
      }
      const r = columnPsi(col, other, o.psiBins);
      psiRows.push([col.name, r.psi, psiFlag(r.psi), r.bins, r.missingShift === 0 ? '0' : `${r.missingShift > 0 ? '+' : ''}${(100 * r.missingShift).toFixed(1)} pp`]);
    }
  }
  if (psiRows.length > 0) {
    sections.push({
      title: 'Population stability (PSI)',
      paragraphs: [
        'PSI = Σ (a − e) · ln(a / e) over bins, reference e = training rows, comparison a = held-out rows (numeric: quantile bins of the reference plus a missing bin; categorical: one bin per category, missing included). Flags: < 0.1 stable, 0.1–0.25 some shift, ≥ 0.25 major shift.',
      ],
      tables: [{ columns: ['Variable', 'PSI', 'Flag', 'Bins', 'Change in missing share'], rows: psiRows }],
    });
  }

  // SHAP
  if (data.shap !== undefined) {
    const s = data.shap;
    const names = s.featureNames;
    const m = s.values.length;
    const meanAbs = names.map((name, j) => ({ name, v: s.values.reduce((a, r) => a + Math.abs(r[j] as number), 0) / Math.max(1, m) })).sort((a, b) => b.v - a.v);
    sections.push({
      title: 'Explanations (SHAP)',
      paragraphs: [`SHAP values of ${m} explained held-out rows${s.unit === undefined ? '' : ` (${s.unit})`}: one dot per row, coloured by the feature's value (blue low, red high, grey categorical or missing).`],
      plots: [{ title: 'SHAP summary', svg: shapSummaryPlot({ shapValues: s.values, featureNames: names, ...(s.featureValues !== undefined && { featureValues: s.featureValues }) }, { xLabel: `SHAP value${s.unit === undefined ? '' : ` (${s.unit})`}` }) }],
      tables: [{ caption: 'Mean |SHAP value| per feature', columns: ['Feature', 'Mean |SHAP|'], rows: meanAbs.map((e) => [e.name, e.v]) }],
    });
  }

  // Per-group metrics
  for (const g of data.groups ?? []) {
    if (!isObj(g) || typeof g.name !== 'string' || !Array.isArray(g.values)) throw new DataError({ fn, arg: 'data.groups', expected: 'an array of { name: string, values: (string | null)[] }', got: describeValue(g) });
    if (g.values.length !== n) throw new ShapeError({ fn, arg: `data.groups['${g.name}'].values`, expected: `${n} values (one per held-out row)`, got: `${g.values.length} values` });
    const idx = new Map<string, number[]>();
    g.values.forEach((v, i) => {
      const kk = v === null ? '(unknown)' : String(v);
      const list = idx.get(kk) ?? [];
      list.push(i);
      idx.set(kk, list);
    });
    const rows: ReportCell[][] = [...idx.entries()]
      .sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0))
      .map(([value, ids]) => {
        const gc = counts(y, p, o.cutoff, ids);
        const gy = ids.map((i) => y[i] as number);
        const gp = ids.map((i) => p[i] as number);
        const both = gc.bads > 0 && gc.bads < gc.n;
        return [
          value,
          gc.n,
          pct(gc.n / n),
          pct(gc.bads / gc.n),
          gp.reduce((a, b) => a + b, 0) / gc.n,
          both ? rocAuc(gy, gp) : '– (one outcome only)',
          pct(gc.approved / gc.n),
          gc.approved === 0 ? '–' : pct(gc.approvedBads / gc.approved),
        ];
      });
    sections.push({
      title: `Per-group metrics: ${g.name}`,
      paragraphs: [`Held-out rows by '${g.name}', at PD cut-off ${fmtValue(o.cutoff, 4)}. Compare approval rates, ${bad} rates among the approved and calibration (mean PD vs ${bad} rate) across groups.`],
      tables: [{ columns: [g.name, 'Rows', 'Share', `${bad} rate`, 'Mean PD', 'AUC', 'Approval rate', `${bad} rate among approved`], rows }],
    });
  }

  return modelReport({
    title: o.title,
    sections,
    plots: o.plots,
    notes: o.notes,
    seed: o.seed,
    backend: o.backend,
    generatedAt: o.generatedAt,
  });
}
