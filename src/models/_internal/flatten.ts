/**
 * Flatten helper for builders that accept higher-rank inputs.
 *
 * @module
 */
import * as tfl from '@tensorflow/tfjs-layers';

/** A flatten layer when the input shape has rank > 1, else nothing. */
export function flattenIfNeeded(inputShape: readonly number[]): tfl.layers.Layer[] {
  return inputShape.length > 1 ? [tfl.layers.flatten()] : [];
}
