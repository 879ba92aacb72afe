/**
 * Deserialisers of every estimator kind in src/models/, keyed by envelope kind.
 * Add one line per estimator; the contract meta-test checks each kind has a contract case.
 *
 * @module
 */
import { linearRegressionFromJSON } from './linearRegression';
import { logisticRegressionFromJSON } from './logisticRegression';
import { neuralModelFromJSON } from './neuralModel';

/** Envelope kind → fromJSON of src/models/ (neural models restore asynchronously: a Promise). */
export const MODELS_KINDS: Readonly<Record<string, (json: unknown) => unknown>> = Object.freeze({
  LinearRegression: linearRegressionFromJSON,
  LogisticRegression: logisticRegressionFromJSON,
  NeuralClassifier: neuralModelFromJSON,
  NeuralRegressor: neuralModelFromJSON,
});
