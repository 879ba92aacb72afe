/**
 * Private: trainModel's data preparation. Everything here is JS-side validation and copying: no
 * tensor is created, so a bad input fails before training allocates anything.
 */
import { DataError, InvalidOptionError, ShapeError, describeValue } from '../../core/errors';
import type { Rng } from '../../core/random';
import type { LossName } from '../losses';
import { balancedClassWeights } from '../classWeights';
import { rowsOf, type HostData } from './batches';
import { checkInputShape, readInput, readTarget, type NeuralInput, type NeuralTarget } from './neuralData';

/** Class weights: `'balanced'`, an array indexed by class, or a record keyed by class index. */
type ClassWeights = 'balanced' | readonly number[] | Readonly<Record<string, number>> | null;

/** What the model's output asks of the targets. */
export interface OutputHead {
  /** The model's input shape `[null, ...dims]`. */
  readonly inputShape: readonly (number | null)[];
  /** Output units. */
  readonly units: number;
  readonly loss: LossName;
  /** Classes of the class weights (units for softmax, else 2). */
  readonly nClasses: number;
}

/** The data-related trainer options. */
export interface DataOptions {
  readonly validationSplit: number;
  readonly validationMode: 'last' | 'shuffled';
  readonly validationData: { readonly x: NeuralInput; readonly y: NeuralTarget } | null;
  readonly classWeight: ClassWeights;
}

/** Validated training rows on the JS side, the validation rows and the per-row loss weights. */
export interface TrainingData extends HostData {
  /** Rows of x and y. */
  readonly n: number;
  /** Training rows. */
  readonly nTrain: number;
  /** Training row i is row `trainRows[i]` of x/y; null when every row trains. */
  readonly trainRows: Int32Array | null;
  /** Loss weight of each training row (class weights), or null. */
  readonly weights: Float32Array | null;
  /** Validation rows (explicit or split off), or null. */
  readonly validation: HostData | null;
}

/**
 * Reads and validates x and y against the model's head, splits off the validation rows (the last
 * ones, or a seeded random subset drawn from a fork of `rng`) or reads explicit validation data,
 * and computes the class weights of the training rows.
 */
export function prepareTrainingData(x: NeuralInput, y: NeuralTarget, head: OutputHead, o: DataOptions, rng: Rng, fn: string): TrainingData {
  const xi = readInput(x, fn, 'x');
  checkInputShape(xi.shape, head.inputShape, fn, 'x');
  const n = xi.shape[0] as number;
  const yi = readTarget(y, fn, 'y', n);
  const yt = prepareTargets(yi.shape, yi.values, head.loss, head.units, fn, 'y');
  const yWidth = yt.values.length / n;
  const split = splitValidationRows(n, o, rng, fn);
  let validation: HostData | null = null;
  if (o.validationData !== null) {
    validation = readValidationData(o.validationData, head, fn);
  } else if (split.valIdx !== null) {
    validation = { x: rowsOf(xi.values, xi.shape, split.valIdx), xRowShape: xi.shape.slice(1), y: rowsOf(yt.values, [n, yWidth], split.valIdx), yWidth };
  }
  const trainIdx = split.trainIdx;
  const nTrain = trainIdx.length;
  const trainLabels = yt.labels === null ? null : labelsOfRows(yt.labels, trainIdx);
  const missingNote: MissingClassNote = (cls) => whyClassIsMissing(cls, yt.labels, o);
  const weights = sampleWeights(trainLabels, o.classWeight, head, missingNote, fn);
  return { x: xi.values, xRowShape: xi.shape.slice(1), y: yt.values, yWidth, n, nTrain, trainRows: nTrain === n ? null : trainIdx, weights, validation };
}

/** The training and validation row indices of a `validationSplit` (all rows train without one). */
function splitValidationRows(n: number, o: DataOptions, rng: Rng, fn: string): { trainIdx: Int32Array; valIdx: Int32Array | null } {
  const all = (): Int32Array => Int32Array.from({ length: n }, (_, i) => i);
  if (o.validationData !== null || o.validationSplit <= 0) return { trainIdx: all(), valIdx: null };
  const nVal = Math.floor(n * o.validationSplit);
  if (nVal < 1 || nVal >= n) {
    throw new DataError({ fn, arg: 'validationSplit', expected: `a split leaving at least 1 training and 1 validation row of ${n}`, got: `${nVal} validation rows` });
  }
  const shuffled = o.validationMode === 'shuffled';
  const order = shuffled ? rng.fork().permutation(n) : all();
  const trainIdx = order.slice(0, n - nVal);
  const valIdx = order.slice(n - nVal);
  if (shuffled) {
    trainIdx.sort();
    valIdx.sort();
  }
  return { trainIdx, valIdx };
}

function readValidationData(data: NonNullable<DataOptions['validationData']>, head: OutputHead, fn: string): HostData {
  const vx = readInput(data.x, fn, 'validationData.x');
  checkInputShape(vx.shape, head.inputShape, fn, 'validationData.x');
  const vn = vx.shape[0] as number;
  const vyRaw = readTarget(data.y, fn, 'validationData.y', vn);
  const vy = prepareTargets(vyRaw.shape, vyRaw.values, head.loss, head.units, fn, 'validationData.y');
  return { x: vx.values, xRowShape: vx.shape.slice(1), y: vy.values, yWidth: vy.values.length / vn };
}

function labelsOfRows(labels: Int32Array, rows: Int32Array): Int32Array {
  const out = new Int32Array(rows.length);
  for (let i = 0; i < rows.length; i++) out[i] = labels[rows[i] as number] as number;
  return out;
}

/** Why the training rows lack a class, for the error of `classWeight: 'balanced'`. */
type MissingClassNote = (cls: number) => string;

function whyClassIsMissing(cls: number, labels: Int32Array | null, o: DataOptions): string {
  let total = 0;
  if (labels !== null) for (let i = 0; i < labels.length; i++) if (labels[i] === cls) total++;
  if (total === 0) return `y has no row of class ${cls}`;
  return `the validationSplit of ${o.validationSplit} (validationMode '${o.validationMode}') put all ${total} row(s) of class ${cls} in the validation rows; use validationMode 'shuffled', explicit validationData or explicit class weights`;
}

/** Turns raw targets into [n, k] float targets for the loss, and class labels for weighting. */
function prepareTargets(
  shape: number[],
  values: Float32Array,
  loss: LossName,
  units: number,
  fn: string,
  arg: string,
): { values: Float32Array; labels: Int32Array | null } {
  const n = shape[0] as number;
  const k = shape.length === 2 ? (shape[1] as number) : 1;
  if (loss === 'categoricalCrossentropy') {
    const labels = new Int32Array(n);
    if (shape.length === 1 || k === 1) {
      const out = new Float32Array(n * units);
      for (let i = 0; i < n; i++) {
        const v = values[i] as number;
        if (!Number.isInteger(v) || v < 0 || v >= units) {
          throw new DataError({ fn, arg, expected: `integer class labels in [0, ${units - 1}]`, got: `${describeValue(v)} at row ${i}` });
        }
        labels[i] = v;
        out[i * units + v] = 1;
      }
      return { values: out, labels };
    }
    if (k !== units) throw new ShapeError({ fn, arg, expected: `one-hot rows of width ${units} (the model's output units)`, got: `width ${k}` });
    for (let i = 0; i < n; i++) {
      let best = 0;
      for (let j = 1; j < k; j++) if ((values[i * k + j] as number) > (values[i * k + best] as number)) best = j;
      labels[i] = best;
    }
    return { values, labels };
  }
  if (k !== units) throw new ShapeError({ fn, arg, expected: `${units} target column(s) (the model's output units)`, got: `${k} column(s)` });
  if (loss === 'binaryCrossentropy') {
    const labels = new Int32Array(n * k);
    for (let i = 0; i < values.length; i++) {
      const v = values[i] as number;
      if (v < 0 || v > 1) throw new DataError({ fn, arg, expected: 'binary targets in [0, 1]', got: `${describeValue(v)} at row ${Math.floor(i / k)}` });
      labels[i] = v >= 0.5 ? 1 : 0;
    }
    return { values, labels: k === 1 ? labels : null };
  }
  return { values, labels: null };
}

/** The loss weight of every training row from the class weights (null without class weights). */
function sampleWeights(labels: Int32Array | null, cw: ClassWeights, head: OutputHead, missingNote: MissingClassNote, fn: string): Float32Array | null {
  if (cw === null) return null;
  const { loss, units, nClasses } = head;
  if (labels === null) {
    if (loss === 'binaryCrossentropy') {
      throw new InvalidOptionError({
        fn,
        arg: 'classWeight',
        expected:
          'null for a multi-output (multi-label) binary model: class weights need one class label per row, i.e. a model with one output unit (binary) or a softmax output (multiclass)',
        got: `${describeValue(cw)} for a model with ${units} output units trained with binaryCrossentropy`,
      });
    }
    throw new InvalidOptionError({ fn, arg: 'classWeight', expected: `null for the regression loss ${loss} (class weights need class labels)`, got: describeValue(cw) });
  }
  const perClass = classWeightsOf(labels, cw, nClasses, missingNote, fn);
  const w = new Float32Array(labels.length);
  for (let i = 0; i < labels.length; i++) w[i] = perClass[labels[i] as number] as number;
  return w;
}

/** One weight per class from `'balanced'` (counts of the training rows), an array or a record (missing classes weigh 1). */
function classWeightsOf(labels: Int32Array, cw: NonNullable<ClassWeights>, nClasses: number, missingNote: MissingClassNote, fn: string): number[] {
  if (cw === 'balanced') {
    const counts = new Array<number>(nClasses).fill(0);
    for (let i = 0; i < labels.length; i++) counts[labels[i] as number] = (counts[labels[i] as number] as number) + 1;
    const missing = counts.findIndex((c) => c === 0);
    if (missing >= 0) {
      throw new DataError({
        fn,
        arg: 'classWeight',
        expected: `used only when the training rows contain every class 0..${nClasses - 1} ('balanced' divides by each class's count of training rows)`,
        got: `'balanced' with no training row of class ${missing}: ${missingNote(missing)}`,
      });
    }
    return balancedClassWeights(labels, nClasses);
  }
  if (Array.isArray(cw)) {
    const arr = cw as readonly number[];
    if (arr.length !== nClasses) throw new InvalidOptionError({ fn, arg: 'classWeight', expected: `an array of ${nClasses} weights (one per class)`, got: describeValue(cw) });
    return arr.slice();
  }
  const rec = cw as Readonly<Record<string, number>>;
  const perClass = Array.from({ length: nClasses }, (_, c) => rec[String(c)] ?? 1);
  const bad = Object.keys(rec).find((k) => Number(k) >= nClasses);
  if (bad !== undefined) throw new InvalidOptionError({ fn, arg: 'classWeight', expected: `class indices in [0, ${nClasses - 1}]`, got: `key ${bad}` });
  return perClass;
}
