/**
 * Lets explainers recognise a predictor made by `layersModelPredictor` and run masked rows on
 * the device: a WeakMap from the predictor function to its model and options (no public API;
 * any other predictor goes through the generic JS path).
 * @internal
 */
import type * as tfl from '@tensorflow/tfjs-layers';

/** What `layersModelPredictor` wraps. */
export interface DevicePredictorInfo {
  readonly model: tfl.LayersModel;
  readonly outputIndex: number;
  /** Shape of one example (flat rows are reshaped to it). */
  readonly rowShape: readonly number[];
  /** Rows per inference batch. */
  readonly batchSize: number;
}

const registry = new WeakMap<object, DevicePredictorInfo>();

/** Records that `predictor` runs `info.model`. */
export function registerDevicePredictor(predictor: object, info: DevicePredictorInfo): void {
  registry.set(predictor, Object.freeze({ ...info, rowShape: Object.freeze([...info.rowShape]) }));
}

/** The model behind a predictor made by `layersModelPredictor`, else null. */
export function devicePredictorOf(predictor: unknown): DevicePredictorInfo | null {
  return typeof predictor === 'function' ? (registry.get(predictor) ?? null) : null;
}
