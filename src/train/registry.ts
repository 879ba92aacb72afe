/**
 * Deserialisers of every estimator kind in src/train/, keyed by envelope kind.
 * Add one line per estimator; the contract meta-test checks each kind has a contract case.
 *
 * @module
 */
import { neuralModelFromJSON } from './neuralModel';

/** Envelope kind → fromJSON of src/train/ (neural models restore asynchronously: a Promise). */
export const TRAIN_KINDS: Readonly<Record<string, (json: unknown) => unknown>> = Object.freeze({
  NeuralClassifier: neuralModelFromJSON,
  NeuralRegressor: neuralModelFromJSON,
});
