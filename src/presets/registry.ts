/**
 * Deserialisers of every estimator kind in src/presets/, keyed by envelope kind.
 * Add one line per estimator; the contract meta-test checks each kind has a contract case.
 *
 * @module
 */
import { forecasterFromJSON } from './forecaster';
import { riskModelFromJSON } from './buildRiskModel';
import { tabularModelFromJSON } from './tabularModel';

/** Envelope kind → fromJSON of src/presets/ (both restore asynchronously: a Promise). */
export const PRESETS_KINDS: Readonly<Record<string, (json: unknown) => unknown>> = Object.freeze({
  Forecaster: forecasterFromJSON,
  RiskModel: riskModelFromJSON,
  TabularModel: tabularModelFromJSON,
});
