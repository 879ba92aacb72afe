/** Private: best-value tracking shared by trainModel's early stopping and ReduceLROnPlateau. */

/**
 * Whether `current` improves on `best` by more than `minDelta` in the direction of `mode`.
 *
 * A NaN `current` is never an improvement (as in Keras, where every comparison with NaN is false):
 * a NaN epoch counts as a stale epoch and never becomes the best one. `best === null` means no
 * value has been accepted yet: then any non-NaN value (±Infinity included) is an improvement.
 */
export function isImprovement(mode: 'min' | 'max', current: number, best: number | null, minDelta: number): boolean {
  if (Number.isNaN(current)) return false;
  if (best === null) return true;
  return mode === 'min' ? current < best - minDelta : current > best + minDelta;
}
