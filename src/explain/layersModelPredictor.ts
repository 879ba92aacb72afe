/**
 * Adapter from a tfjs-layers model to the {@link Predictor} type that every finml explainer uses.
 *
 * @module
 */
import { requireBackend } from '../core/backend';
import { coalitionOutputsFor, predictValuesAsync } from '../models/_internal/batchedPredict';
import { withCoalitionOutputs, withFloat32Rows } from '../core/_internal/float32Rows';
import type * as tfl from '@tensorflow/tfjs-layers';
import { ensureChainedOps } from '../core/chainedOps';
import { InvalidOptionError, ShapeError, describeValue } from '../core/errors';
import type { DenseMatrix } from '../core/matrix';
import { resolveOptions, rules, type RuleTable } from '../core/options';
import type { Predictor } from '../core/predictor';

/** Options of {@link layersModelPredictor}. @category Explain */
export interface LayersModelPredictorOptions {
  /**
   * Rows per inference mini-batch. Small batches (tfjs' `predict` defaults to 32) are tens of
   * times slower than a large batch (especially on wasm).
   * @defaultValue 4096
   */
  readonly batchSize?: number;
  /**
   * Which output column to return when the model has several output units (e.g. the class index
   * of a softmax head). For a 1-unit sigmoid head keep 0.
   * @defaultValue 0
   */
  readonly outputIndex?: number;
  /**
   * Shape of one input example, e.g. `[lookback, nFeatures]` for a recurrent or convolutional
   * model: each flat row of the batch (length = product of the shape, row-major) is reshaped to
   * it. `null` reads it from the model's input layer.
   * @defaultValue null
   */
  readonly inputShape?: readonly number[] | null;
}

const LAYERS_MODEL_PREDICTOR_DEFAULTS = {
  batchSize: 4096,
  outputIndex: 0,
  inputShape: null,
} as const satisfies Required<LayersModelPredictorOptions>;

const RULES: RuleTable<Required<LayersModelPredictorOptions>> = {
  batchSize: rules.int({ min: 1 }),
  outputIndex: rules.int({ min: 0 }),
  inputShape: rules.nullable(rules.intArray({ min: 1, nonEmpty: true })),
};

/**
 * Wraps a `tf.LayersModel` as a {@link Predictor}: each call runs the model in inference mode on
 * mini-batches of `batchSize` rows, each uploaded from the batch's array as its own float32
 * tensor (no slicing of one big device tensor, which on wasm copies the whole tensor per batch),
 * reads the selected output column and disposes every tensor it created (the model itself is never disposed; it stays owned by the
 * caller). The returned predictor is async.
 *
 * @param model - A built tfjs-layers model with a single input. Multi-output models use their first output.
 * @param options - See {@link LayersModelPredictorOptions}.
 * @returns an async predictor returning a `Float64Array` with one value per row.
 * @throws {InvalidOptionError} for invalid options, a non-model, or an input shape that cannot be
 *   read from the model.
 * @throws {ShapeError} (when called) for a batch whose width does not match the model input, or
 *   an `outputIndex` beyond the model's output units.
 * @example
 * ```ts
 * import * as tfl from '@tensorflow/tfjs-layers';
 * import { layersModelPredictor, kernelShap } from 'finml';
 * const model = tfl.sequential({ layers: [tfl.layers.dense({ inputShape: [3], units: 1, activation: 'sigmoid' })] });
 * const predict = layersModelPredictor(model, { batchSize: 4096 });
 * const p = await predict({ rows: 1, cols: 3, data: Float64Array.of(1, 2, 3) });
 * p.length; //=> 1
 * ```
 * @category Explain
 */
export function layersModelPredictor(model: tfl.LayersModel, options?: LayersModelPredictorOptions): Predictor {
  const fn = 'layersModelPredictor';
  requireBackend(fn);
  ensureChainedOps();
  if (typeof model !== 'object' || model === null || typeof (model as { predict?: unknown }).predict !== 'function' || !Array.isArray((model as { inputs?: unknown }).inputs)) {
    throw new InvalidOptionError({ fn, arg: 'model', expected: 'a tf.LayersModel', got: describeValue(model) });
  }
  const o = resolveOptions(fn, options, LAYERS_MODEL_PREDICTOR_DEFAULTS, RULES);
  let rowShape: number[];
  if (o.inputShape !== null) {
    rowShape = [...o.inputShape];
  } else {
    const s = model.inputs[0]?.shape.slice(1) ?? [];
    if (s.length === 0 || !s.every((d): d is number => typeof d === 'number' && d > 0)) {
      throw new InvalidOptionError({ fn, arg: 'inputShape', expected: 'the per-example input shape (the model input has unknown dimensions)', got: describeValue(null) });
    }
    rowShape = s;
  }
  const width = rowShape.reduce((a, b) => a * b, 1);
  const { batchSize, outputIndex } = o;
  const run = async (data: Float32Array | Float64Array, n: number): Promise<Float64Array | Float32Array> => {
    const out = await predictValuesAsync(model, data, n, rowShape, `${fn} (predictor)`, batchSize);
    const k = n > 0 ? out.width : 1;
    if (outputIndex >= k) {
      throw new ShapeError({ fn: `${fn} (predictor)`, arg: 'outputIndex', expected: `an index < ${k} (the model's output units)`, got: String(outputIndex) });
    }
    if (k === 1) return out.values;
    const res = new Float32Array(n);
    for (let i = 0; i < n; i++) res[i] = out.values[i * k + outputIndex] as number;
    return res;
  };
  const checkWidth = (cols: number): void => {
    if (cols !== width) {
      throw new ShapeError({ fn: `${fn} (predictor)`, arg: 'batch', expected: `${width} columns (model input [${rowShape.join(', ')}])`, got: `${cols} columns` });
    }
  };
  const predictor = async (batch: DenseMatrix): Promise<Float64Array> => {
    checkWidth(batch.cols);
    return Float64Array.from(await run(batch.data.subarray(0, batch.rows * width), batch.rows));
  };
  // float32 rows (KernelSHAP's masked rows) go in without a float64 copy; dense networks also
  // give KernelSHAP the masked rows' outputs without the rows being built
  const withRows = withFloat32Rows(predictor, async (data, rows, cols) => {
    checkWidth(cols);
    return run(data.subarray(0, rows * width), rows);
  });
  return withCoalitionOutputs(withRows, coalitionOutputsFor(model, rowShape, outputIndex));
}
