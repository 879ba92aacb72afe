/**
 * Private helper of src/explain/ (and the areas above it): the body of permutation importance
 * with the prediction step passed in, so that `permutationImportance` (a {@link Predictor} in this
 * thread) and `permutationImportanceWith` (src/parallel: a fitted model on an executor) share
 * the options, the permutations (one seeded sequence), the permuted copies and the scores, and
 * give the same bits for the same predictions.
 *
 * @module
 */
import { DataError, ShapeError, describeValue } from '../../core/errors';
import { toDense, toVector, type MatrixLike, type VectorLike } from '../../core/matrix';
import { resolveOptions, rules, type RuleTable } from '../../core/options';
import { createRng } from '../../core/random';
import type { RowSource } from './explainBatch';
import { isGroupList, resolvePlayers, type PlayerGroupLike } from './explainPlayers';

/** The options of permutation importance, resolved (see `PermutationImportanceOptions`). */
export interface PermutationSettings {
  readonly metric: ((yTrue: Float64Array, yPred: Float64Array) => number) | null;
  readonly greaterIsBetter: boolean;
  readonly nRepeats: number;
  readonly seed: number;
  readonly groups: readonly PlayerGroupLike[] | null;
  readonly featureNames: readonly string[] | null;
  readonly maxBatchRows: number;
}

const DEFAULTS: PermutationSettings = {
  metric: null,
  greaterIsBetter: true,
  nRepeats: 5,
  seed: 0,
  groups: null,
  featureNames: null,
  maxBatchRows: 65536,
};

const RULES: RuleTable<PermutationSettings> = {
  metric: rules.func(),
  greaterIsBetter: rules.boolean(),
  nRepeats: rules.int({ min: 1 }),
  seed: rules.int(),
  groups: rules.nullable(rules.custom('an array of { name, columns } groups with non-empty integer column lists', isGroupList)),
  featureNames: rules.nullable(rules.stringArray()),
  maxBatchRows: rules.int({ min: 1 }),
};

/**
 * What `permutationImportance` and `permutationImportanceWith` return; one entry per feature
 * (group or ungrouped column). Declared here, where both are computed; exported by
 * src/explain/permutationImportance.ts.
 * @category Explain
 */
export interface PermutationImportanceResult {
  /** Feature names, in order of their first column. */
  readonly names: readonly string[];
  /** Columns of each feature. */
  readonly columns: readonly (readonly number[])[];
  /** Mean importance over repeats (baseline − permuted for greater-is-better metrics). */
  readonly importancesMean: readonly number[];
  /** Population standard deviation of the importance over repeats (as scikit-learn). */
  readonly importancesStd: readonly number[];
  /** Raw importances: `importances[feature][repeat]`. */
  readonly importances: readonly (readonly number[])[];
  /** The metric on the unpermuted data. */
  readonly baselineScore: number;
  /** Number of predictor calls made. */
  readonly predictorCalls: number;
}

/** What the permuted copies are made of (for a predictor that builds them elsewhere, e.g. in workers). */
export interface CopyPlan {
  /** Rows of the data. */
  readonly n: number;
  readonly cols: number;
  /** The rows, row-major float64. */
  readonly data: Float64Array;
  readonly nRepeats: number;
  /** Columns of each feature (permuted jointly). */
  readonly columns: readonly (readonly number[])[];
  /** The row permutation of copy `c >= 1` (`c = 1 + p·nRepeats + r`; copy 0 is the data), drawn from the seeded sequence in copy order when first asked for. */
  readonly permOf: (copy: number) => Int32Array;
}

/**
 * Writes rows of the virtual sequence of copies (copy 0: the data; copy `1 + p·R + r`: the data
 * with the columns of feature p taken from the rows `permOf(copy)`): rows `start .. start +
 * count − 1` (global row g is row `g mod n` of copy `⌊g / n⌋`) into `out`.
 */
export function copyFiller<T extends Float64Array | Float32Array>(
  d: T,
  n: number,
  cols: number,
  R: number,
  columns: readonly (readonly number[])[],
  permOf: (copy: number) => Int32Array,
): (start: number, count: number, out: T) => void {
  return (start, count, out) => {
    let t = 0;
    while (t < count) {
      // the rows of one copy in this call: copied in one block, then the feature's columns overwritten row by row
      const g = start + t;
      const copy = Math.floor(g / n);
      const i0 = g - copy * n;
      const len = Math.min(count - t, n - i0);
      out.set(d.subarray(i0 * cols, (i0 + len) * cols), t * cols);
      if (copy > 0) {
        const cs = columns[Math.floor((copy - 1) / R)] as readonly number[];
        const perm = permOf(copy);
        for (let k = 0; k < len; k++) {
          const from = (perm[i0 + k] as number) * cols;
          const o = (t + k) * cols;
          for (const c of cs) out[o + c] = d[from + c] as number;
        }
      }
      t += len;
    }
  };
}

/**
 * Predicts every row of `src` (the baseline copy, then each permuted copy) in chunks of at most
 * `maxBatchRows` rows and hands each chunk's predictions to `consume(start, preds)` (chunks may
 * arrive in any order); returns the number of prediction calls.
 */
export type PredictCopies = (src: RowSource, maxBatchRows: number, consume: (start: number, preds: ArrayLike<number>) => void, plan: CopyPlan) => Promise<number>;

/** Reads the options and inputs of permutation importance (as `permutationImportance` does). */
export function readPermutationInputs(fn: string, x: MatrixLike, y: VectorLike, options: unknown): { o: Readonly<PermutationSettings>; xm: ReturnType<typeof toDense>; yv: Float64Array } {
  const o = resolveOptions(fn, options as Partial<PermutationSettings>, DEFAULTS, RULES);
  const xm = toDense(x, 'x', fn);
  const yv = toVector(y, 'y', fn);
  if (yv.length !== xm.rows) throw new ShapeError({ fn, arg: 'y', expected: `${xm.rows} values (one per row of x)`, got: `${yv.length} values` });
  return { o, xm, yv };
}

/** Permutation importance of the rows `xm` against `yv`, predicting with `predict`. */
export async function runPermutation(fn: string, inputs: ReturnType<typeof readPermutationInputs>, predict: PredictCopies): Promise<PermutationImportanceResult> {
  const { o, xm, yv } = inputs;
  const metric = o.metric as (yTrue: Float64Array, yPred: Float64Array) => number;
  const players = resolvePlayers(xm.cols, o.groups, o.featureNames, fn);
  const nP = players.columns.length;
  const { rows: n, cols, data } = xm;
  const R = o.nRepeats;
  const rng = createRng(o.seed);
  const nCopies = 1 + nP * R;
  // perms[c - 1] is the row permutation of copy c = 1 + p·R + r, drawn from the seeded sequence in
  // copy order when first needed (a pooled caller sends the first copies before drawing the rest)
  const perms: Int32Array[] = [];
  const permOf = (copy: number): Int32Array => {
    while (perms.length < copy) perms.push(rng.permutation(n));
    return perms[copy - 1] as Int32Array;
  };
  const preds = new Float64Array(n * nCopies);
  const makeFill = <T extends Float64Array | Float32Array>(d: T): ((start: number, count: number, out: T) => void) => copyFiller(d, n, cols, R, players.columns, permOf);
  let fill32: ((start: number, count: number, out: Float32Array) => void) | null = null;
  const src: RowSource = {
    total: n * nCopies,
    cols,
    fill: makeFill(data),
    // float32 rows for predictors with a float32 entry (the same values after their conversion)
    fill32(start, count, out) {
      const f = (fill32 ??= makeFill<Float32Array>(Float32Array.from(data)));
      f(start, count, out);
    },
  };
  const score = (copy: number): number => {
    const s = metric(yv, preds.subarray(copy * n, (copy + 1) * n));
    if (typeof s !== 'number' || !Number.isFinite(s)) {
      throw new DataError({ fn, arg: 'metric', expected: 'a finite score (check that y and the predictions suit the metric)', got: `${describeValue(s)} for ${copy === 0 ? 'the baseline' : `permuted copy ${copy}`}` });
    }
    return s;
  };
  // each copy is scored, in copy order, as soon as all its predictions are in (a pooled caller's
  // later copies are still being predicted meanwhile)
  const scores = new Float64Array(nCopies);
  const missing = new Float64Array(nCopies).fill(n);
  let scored = 0;
  const plan: CopyPlan = { n, cols, data, nRepeats: R, columns: players.columns, permOf };
  const calls = await predict(
    src,
    o.maxBatchRows,
    (start, p) => {
      for (let k = 0; k < p.length; k++) preds[start + k] = p[k] as number;
      for (let g = start; g < start + p.length; ) {
        const copy = Math.floor(g / n);
        const upto = Math.min(start + p.length, (copy + 1) * n);
        missing[copy] = (missing[copy] as number) - (upto - g);
        g = upto;
      }
      while (scored < nCopies && missing[scored] === 0) {
        scores[scored] = score(scored);
        scored++;
      }
    },
    plan,
  );
  for (; scored < nCopies; scored++) scores[scored] = score(scored); // a predictor that skipped the callback for some rows leaves them 0, as before
  const baselineScore = scores[0] as number;
  const sign = o.greaterIsBetter ? 1 : -1;
  const importances: number[][] = [];
  const importancesMean: number[] = [];
  const importancesStd: number[] = [];
  for (let p = 0; p < nP; p++) {
    const imp: number[] = [];
    for (let r = 0; r < R; r++) imp.push(sign * (baselineScore - (scores[1 + p * R + r] as number)) + 0); // + 0 turns -0 into 0
    const mean = imp.reduce((a, b) => a + b, 0) / R;
    const variance = imp.reduce((a, b) => a + (b - mean) ** 2, 0) / R;
    importances.push(imp);
    importancesMean.push(mean);
    importancesStd.push(Math.sqrt(variance));
  }
  return Object.freeze({
    names: players.names,
    columns: players.columns,
    importancesMean,
    importancesStd,
    importances,
    baselineScore,
    predictorCalls: calls,
  });
}
