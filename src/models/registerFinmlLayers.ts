/**
 * Registration of finml's custom tfjs-layers classes.
 *
 * @module
 */
import * as tf from '@tensorflow/tfjs-core';
import { ensureChainedOps } from '../core/chainedOps';
import { PortableConv1D } from './portableConv1d';
import { SeededDropout } from './seededDropout';

let registered = false;

/**
 * Registers finml's custom layers ({@link PortableConv1D}, {@link SeededDropout}) with tfjs
 * serialisation and installs the chained tensor ops tfjs-layers needs. Idempotent; every finml
 * builder calls it, and so must any code that loads a saved model containing these layers
 * (`tfl.loadLayersModel`) before loading.
 *
 * @example
 * ```ts
 * import { registerFinmlLayers } from 'finml';
 * import * as tf from '@tensorflow/tfjs-core';
 * import * as tfl from '@tensorflow/tfjs-layers';
 * registerFinmlLayers();
 * // artifacts of a model saved with finml layers (here: saved to memory just before)
 * let artifacts: tf.io.ModelArtifacts | undefined;
 * const saved = tfl.sequential({ layers: [tfl.layers.dense({ units: 1, inputShape: [2] })] });
 * await saved.save(tf.io.withSaveHandler(async (a) => { artifacts = a; return { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON' } }; }));
 * const model = await tfl.loadLayersModel(tf.io.fromMemory(artifacts!));
 * saved.dispose(); model.dispose();
 * ```
 * @category Models
 */
export function registerFinmlLayers(): void {
  ensureChainedOps();
  if (registered) return;
  tf.serialization.registerClass(PortableConv1D);
  tf.serialization.registerClass(SeededDropout);
  registered = true;
}
