/**
 * KernelSHAP on an executor: the rows to explain are split into batches, each batch is explained
 * by the built-in task `'finml.shapRows'` (in a worker of a pool), and the batches are joined.
 *
 * @module
 */
import { InvalidOptionError, describeValue } from '../core/errors';
import type { EstimatorJSON, Serializable } from '../core/estimator';
import { checkExecutor, runTasks, type Executor } from '../core/executor';
import { denseToArrays, toDense, type DenseMatrix, type MatrixLike } from '../core/matrix';
import type { Predictor } from '../core/predictor';
import { fromEstimatorJSON } from '../registry';
import { kernelShapFromJSON, type FittedKernelShap, type ShapExplanation } from '../explain/kernelShap';
import { withRestored } from './_internal/modelCache';

/**
 * The payload of the built-in task `'finml.shapRows'`.
 *
 * @example
 * ```ts
 * import { type ShapRowsPayload } from 'finml';
 * declare const payload: ShapRowsPayload; // { explainer: fitted.toJSON(), model: model.toJSON(), x: { rows, cols, data } }
 * ```
 * @category Explain
 */
export interface ShapRowsPayload {
  /** A fitted KernelSHAP explainer's `toJSON()`. */
  readonly explainer: EstimatorJSON;
  /** The model's `toJSON()`: any finml fitted model whose restored form has `asPredictor()`. */
  readonly model: EstimatorJSON;
  /** The rows to explain. */
  readonly x: DenseMatrix;
}

/**
 * The built-in task `'finml.shapRows'`: restores the explainer and the model (once per worker:
 * a worker keeps the last restored ones, keyed by a hash of their envelope; in the calling thread
 * the model is disposed after the call) and explains `x` with the model's predictor.
 *
 * @param payload - `{ explainer, model, x }` (see {@link ShapRowsPayload}).
 * @returns the explanation of the rows of `x`.
 * @throws {SerializationError} for a malformed explainer or model envelope.
 * @throws {InvalidOptionError} when `x` is not a dense matrix or the restored model has no `asPredictor()`.
 * @internal
 */
export async function shapRowsTask(payload: ShapRowsPayload): Promise<ShapExplanation> {
  const fn = 'finml.shapRows';
  if (typeof payload !== 'object' || payload === null) {
    throw new InvalidOptionError({ fn, arg: 'payload', expected: 'an object { explainer, model, x }', got: describeValue(payload) });
  }
  const x = payload.x as Partial<DenseMatrix> | undefined;
  if (typeof x !== 'object' || x === null || !(x.data instanceof Float64Array) || !Number.isInteger(x.rows) || !Number.isInteger(x.cols) || (x.rows as number) * (x.cols as number) !== x.data.length) {
    throw new InvalidOptionError({ fn, arg: 'payload.x', expected: 'a dense matrix { rows, cols, data: Float64Array of rows*cols values }', got: describeValue(x) });
  }
  const envelope = payload.model;
  return withRestored(payload.explainer, kernelShapFromJSON, (fitted) =>
    withRestored(envelope, fromEstimatorJSON, async (restored) => {
      const model = restored as { asPredictor?: unknown };
      if (typeof model.asPredictor !== 'function') {
        throw new InvalidOptionError({ fn, arg: 'model', expected: 'the envelope of a model with asPredictor() (e.g. a neural classifier or regressor)', got: `a ${describeValue(envelope.kind)}` });
      }
      const predictor = (model.asPredictor as () => Predictor)();
      return fitted.explain(predictor, denseToArrays(payload.x));
    }),
  );
}

/**
 * Options of {@link explainRowsWith}.
 *
 * @example
 * ```ts
 * import { type ExplainRowsWithOptions } from 'finml';
 * const o: ExplainRowsWithOptions = { batchRows: 64 };
 * ```
 * @category Explain
 */
export interface ExplainRowsWithOptions {
  /** Rows per task. @defaultValue `ceil(rows / executor.concurrency)` (one batch per worker) */
  readonly batchRows?: number;
}

/**
 * KernelSHAP of many rows on an executor (e.g. `createWorkerPool()` from `finml/node`): the rows
 * are split into batches, each batch is one call of the built-in task `'finml.shapRows'` (the
 * explainer and the model travel as their `toJSON()`), and the explanations are joined in row
 * order. A row's Shapley values do not depend on the other rows (the same seeded coalitions are
 * used for every row), so the result equals `fitted.explain(model.asPredictor(), x)`.
 *
 * @param executor - Where the batches run.
 * @param fitted - A fitted KernelSHAP explainer (`kernelShap(options).fit(background)`).
 * @param model - A fitted finml model with `toJSON()` whose restored form has `asPredictor()` (neural classifier or regressor).
 * @param x - The rows to explain (nested arrays, a tensor or a dense matrix `{ rows, cols, data }`).
 * @param options - `batchRows` (default: one batch per worker).
 * @returns one explanation of all rows (`predictorCalls` summed over the batches).
 * @throws {InvalidOptionError} for a bad executor, model or `batchRows`.
 * @throws {ShapeError} for rows of the wrong width. @throws {DataError} for empty or non-finite rows.
 * @throws {WorkerError} when a worker crashed, was terminated or timed out.
 * @example
 * ```ts
 * import { explainRowsWith, kernelShap, neuralRegressor, sequentialExecutor, FINML_TASKS } from 'finml';
 * const x = [[0, 1], [1, 0], [1, 1], [0, 0]];
 * const model = await neuralRegressor({ model: { type: 'fnn', hidden: [4] }, train: { epochs: 2 }, seed: 1 }).fit(x, [1, 1, 2, 0]);
 * const fitted = kernelShap({ backgroundSummary: 'none' }).fit(x);
 * const e = await explainRowsWith(sequentialExecutor(FINML_TASKS), fitted, model, x, { batchRows: 2 });
 * e.values.length; //=> 4
 * model.dispose();
 * ```
 * @category Explain
 */
export async function explainRowsWith(
  executor: Executor,
  fitted: FittedKernelShap,
  model: Serializable,
  x: MatrixLike | DenseMatrix,
  options: ExplainRowsWithOptions = {},
): Promise<ShapExplanation> {
  const fn = 'explainRowsWith';
  checkExecutor(fn, 'executor', executor);
  if (typeof fitted !== 'object' || fitted === null || fitted.kind !== 'KernelShap' || typeof fitted.toJSON !== 'function') {
    throw new InvalidOptionError({ fn, arg: 'fitted', expected: 'a fitted KernelSHAP explainer (kernelShap(options).fit(background))', got: describeValue(fitted) });
  }
  if (typeof model !== 'object' || model === null || typeof (model as Partial<Serializable>).toJSON !== 'function') {
    throw new InvalidOptionError({ fn, arg: 'model', expected: 'a fitted finml model with toJSON()', got: describeValue(model) });
  }
  const isDense = typeof x === 'object' && x !== null && (x as Partial<DenseMatrix>).data instanceof Float64Array && typeof (x as Partial<DenseMatrix>).rows === 'number';
  const xm = toDense(isDense ? denseToArrays(x as DenseMatrix) : (x as MatrixLike), 'x', fn, { cols: fitted.nFeaturesIn });
  const batchRows = options.batchRows ?? Math.ceil(xm.rows / executor.concurrency);
  if (!Number.isSafeInteger(batchRows) || batchRows < 1) {
    throw new InvalidOptionError({ fn, arg: 'batchRows', expected: 'an integer >= 1', got: describeValue(options.batchRows) });
  }
  const explainer = fitted.toJSON();
  const modelJson = model.toJSON();
  const calls = [];
  for (let r = 0; r < xm.rows; r += batchRows) {
    const rows = Math.min(batchRows, xm.rows - r);
    const data = xm.data.slice(r * xm.cols, (r + rows) * xm.cols);
    // a new buffer of ours: moved to the worker, not copied
    calls.push({ task: 'finml.shapRows', payload: { explainer, model: modelJson, x: { rows, cols: xm.cols, data } } satisfies ShapRowsPayload, transfer: [data.buffer as ArrayBuffer] });
  }
  const parts = (await runTasks(executor, calls)) as ShapExplanation[];
  const first = parts[0] as ShapExplanation;
  return Object.freeze({
    ...first,
    values: Object.freeze(parts.flatMap((p) => p.values)),
    fx: Object.freeze(parts.flatMap((p) => p.fx)),
    predictorCalls: parts.reduce((a, p) => a + p.predictorCalls, 0),
  });
}
