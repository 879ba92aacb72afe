/**
 * Releasing a model's tensors.
 *
 * @module
 */
import * as tf from '@tensorflow/tfjs-core';
import type * as tfl from '@tensorflow/tfjs-layers';

interface MaskHolder {
  dropoutMask?: tf.Tensor | tf.Tensor[] | null;
  recurrentDropoutMask?: tf.Tensor | tf.Tensor[] | null;
}

/**
 * tfjs RNN cells keep their last dropout masks alive (`tf.keep`) until their next call, and
 * `model.dispose()` does not release them: do it here.
 */
function releaseDropoutMasks(model: tfl.LayersModel): void {
  for (const layer of model.layers) {
    const cell = (layer as unknown as { cell?: MaskHolder & { cells?: MaskHolder[] } }).cell;
    if (cell === undefined || cell === null) continue;
    for (const c of [cell, ...(cell.cells ?? [])]) {
      if (c.dropoutMask != null) tf.dispose(c.dropoutMask);
      if (c.recurrentDropoutMask != null) tf.dispose(c.recurrentDropoutMask);
      c.dropoutMask = null;
      c.recurrentDropoutMask = null;
    }
    if ((layer as unknown as { layers?: unknown }).layers !== undefined) releaseDropoutMasks(layer as unknown as tfl.LayersModel);
  }
}

/**
 * Disposes every weight of a model, the dropout masks tfjs RNN cells keep alive, and its
 * compiled optimizer (which `model.dispose()` alone leaves alive when it was passed as an object). Safe to call twice, and on `undefined`/`null`.
 *
 * @param model - A model from a finml builder, `tfl.loadLayersModel`, ...
 * @example
 * ```ts
 * import { buildModel, disposeModel } from 'finml';
 * const m = buildModel({ type: 'linear' }, { inputShape: [3], head: { task: 'regression', units: 1 } });
 * disposeModel(m); // tf.memory().numTensors back to where it was
 * ```
 * @category Models
 */
export function disposeModel(model: tfl.LayersModel | null | undefined): void {
  if (model === null || model === undefined) return;
  const m = model as tfl.LayersModel & { isOptimizerOwned?: boolean };
  releaseDropoutMasks(m);
  const optimizer = (m as { optimizer?: { dispose(): void } | undefined }).optimizer;
  try {
    m.dispose();
  } catch (e) {
    // tfjs throws when a model is disposed twice; that is a no-op for us.
    if (!(e instanceof Error) || !/already disposed/i.test(e.message)) throw e;
  }
  if (optimizer !== undefined && m.isOptimizerOwned !== true) {
    try {
      optimizer.dispose();
    } catch {
      /* already disposed */
    }
  }
}
